"""Notes on a block of a document: its annotated text wrapped in flat `<mark>` segments (each
knowing every note that covers it), a numbered marker after each note's last segment, and,
for screen readers, where each note starts. Numbers and labels are attributes that CSS shows,
never text of the page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from edition.search import ADDED, HEADINGS
from edition.segments import Span, segment
from edition.textnodes import replace_text, text_nodes, visible_text
from edition.vocabulary import ANNOTATION_TYPES

if TYPE_CHECKING:
    from edition.anchoring import Anchor


def highlight(block: ET.Element, anchors: list[Anchor], numbers: dict[str, int]) -> None:
    """Wrap annotated text in flat `<mark>` segments and add a marker after each note."""
    by_id = {a.annotation.id: a for a in anchors}
    spans = [Span(a.start, a.end, a.annotation.id) for a in anchors]
    covered = [s for s in segment(len(visible_text(block)), spans) if s.keys]
    last_mark: dict[str, ET.Element] = {}
    first_mark: dict[str, ET.Element] = {}
    for node in reversed(text_nodes(block)):
        end = node.start + len(node.value)
        pieces: list[str | ET.Element] = []
        in_node: dict[str, ET.Element] = {}
        starts: dict[str, ET.Element] = {}
        pos = node.start
        for seg in covered:
            lo, hi = max(seg.start, node.start), min(seg.end, end)
            if lo >= hi:
                continue
            if lo > pos:
                pieces.append(node.value[pos - node.start: lo - node.start])
            mark = _mark(seg.keys, by_id)
            mark.text = node.value[lo - node.start: hi - node.start]
            pieces.append(mark)
            for key in seg.keys:
                in_node[key] = mark
                starts.setdefault(key, mark)
            pos = hi
        # Nodes are visited last to first, so the first mark seen for a note is its last,
        # and the last one seen is its first.
        for key, mark in in_node.items():
            last_mark.setdefault(key, mark)
        first_mark.update(starts)
        if pos == node.start:
            continue
        if pos < end:
            pieces.append(node.value[pos - node.start:])
        replace_text(node, pieces)
    parents = {child: parent for parent in block.iter() for child in parent}
    for annotation_id in sorted(last_mark, key=lambda key: -numbers[key]):
        _insert_marker(block, last_mark[annotation_id], parents, by_id[annotation_id],
                            numbers[annotation_id])
    if block.tag in HEADINGS:
        return  # "[note 1:]" would open the heading's name in every list of headings; its marker says it
    for annotation_id in sorted(first_mark, key=lambda key: numbers[key]):
        _insert_start(block, first_mark[annotation_id], parents, annotation_id, numbers[annotation_id])

def _mark(keys: tuple[str, ...], by_id: dict[str, Anchor]) -> ET.Element:
    innermost = min(keys, key=lambda k: (by_id[k].end - by_id[k].start, k))
    kind = by_id[innermost].annotation.type
    classes = f"ed-hl ed-hl--{kind}" + (" ed-hl--overlap" if len(keys) > 1 else "")
    return ET.Element("mark", {"class": classes, "data-notes": " ".join(keys)})

def _outside_links(block: ET.Element, mark: ET.Element, parents: dict[ET.Element, ET.Element]) -> ET.Element:
    """`mark`, or the outermost link around it: what to put things beside."""
    outer = mark
    ancestor = parents[mark]
    while ancestor is not block:
        if ancestor.tag == "a":
            outer = ancestor
        ancestor = parents[ancestor]
    return outer

def _insert_start(block: ET.Element, mark: ET.Element, parents: dict[ET.Element, ET.Element],
                  annotation_id: str, number: int) -> None:
    """Tell screen readers where a note's span begins (its marker tells where it ends)."""
    before = _outside_links(block, mark, parents)
    container = parents[before]
    # Read out from CSS generated content (`data-label`), not a text node: the page's
    # text stays the source's (copying, Hypothesis, Apache Annotator, text fragments).
    start = ET.Element("span", {"class": "ed-sr-only ed-start", "data-note": annotation_id, ADDED: "",
                                "data-label": f"note {number}:"})
    container.insert(list(container).index(before), start)

def _insert_marker(block: ET.Element, mark: ET.Element, parents: dict[ET.Element, ET.Element],
                   anchor: Anchor, number: int) -> None:
    # Right after the note's last segment, but never inside a link.
    after = _outside_links(block, mark, parents)
    container = parents[after]
    annotation = anchor.annotation
    label = ANNOTATION_TYPES[annotation.type].label
    marker = ET.Element("a", {
        "class": f"ed-marker ed-marker--{annotation.type}",
        "id": f"ref-{annotation.id}",
        "href": f"#note-{annotation.id}",
        "data-note": annotation.id,
        "data-n": str(number),  # shown by CSS generated content: the number is not the text's
        ADDED: "",
        "aria-label": f"Note {number}, {label}: {annotation.title}",
    })
    marker.tail, after.tail = after.tail, None
    container.insert(list(container).index(after) + 1, marker)
