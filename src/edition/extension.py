"""The Python-Markdown extension: the portable core of the edition.

Name it under `markdown_extensions:` with its data folders as options; any tool that runs
Python-Markdown extensions (MkDocs, Zensical) then anchors notes and links terms:

    markdown_extensions:
      - attr_list
      - edition:
          documents: documents        # relative to the folder of mkdocs.yml
          annotations: annotations
          glossary: glossary

A page shows a declared document (`edition.transcript`) with one line, and a generated view
opts in through an attribute on its heading (set with `attr_list`):

    ::: edition-document interview
    # Glossary { data-edition-view="glossary" }
    # All annotations { data-edition-view="notes" }
    # People, places and organisations { data-edition-view="index" }

Processors registered (Python-Markdown runs tree processors from high priority to low):

| name             | kind          | priority | why                                                   |
|------------------|---------------|----------|-------------------------------------------------------|
| `edition`        | Treeprocessor | 6        | after `inline` (20), `attr_list` (8) and `abbr` (7),   |
|                  |               |          | so text and attributes are final; before `toc` and    |
|                  |               |          | MkDocs' anchor scanner (5), so our ids are known, and |
|                  |               |          | before MkDocs' `relpath` (0), which rewrites our      |
|                  |               |          | `glossary.md#id` links into URLs.                     |
| `edition-note-headings` | Treeprocessor | 4 | after `toc` and MkDocs' anchor scanner (5): turns each |
|                  |               |          | endnote's head into an `<h3>` with an id, so that     |
|                  |               |          | search has every note as a section of its own (a hit  |
|                  |               |          | lands on the note), while the table of contents stays |
|                  |               |          | short (it would list every note); then reads the      |
|                  |               |          | page's search sections off the final tree (`search`). |
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from edition.anchoring import Block, DocumentText
from edition.document import DocumentRecord, Occurrence
from edition.index_view import index_view
from edition.links import page_link
from edition.loading import suggest
from edition.material import tooltip
from edition.problems import Problem, Severity
from edition.search import ADDED, HEADINGS, Section, content_text, extra_line, page_sections
from edition.segments import Span, segment
from edition.state import EditionOptions, EditionState
from edition.transcript_view import transcript_elements
from edition.views import glossary_view, notes_view, render_note
from edition.vocabulary import ANNOTATION_TYPES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import markdown

    from edition.anchoring import Anchor
    from edition.model import GlossaryEntry
    from edition.render import BodyRenderer

BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
NO_TERMS_INSIDE = frozenset({"a", "code", "pre", "kbd", "samp", "script", "style", "abbr"})
"""Glossary links never go inside these (a link inside a link, or inside code)."""
DECLARED_DOCUMENT = re.compile(r"^::: *edition-document +(\S+) *$", re.MULTILINE)
"""How a page's Markdown shows a declared document: `::: edition-document <id>`."""
PLACEHOLDER = "data-edition-document"
"""The attribute of the element that stands for a declared document until the tree processor
puts the document's blocks in its place."""
CYRILLIC = re.compile("[\u0400-\u04ff]")
OPT_IN = ("data-edition-view",)
"""The attribute by which a page's heading opts in to a generated view (see the module docstring)."""
HEADING_ATTRIBUTES = frozenset({*OPT_IN, "data-toc-label"})
"""`data-` attributes the edition reads on a page's headings."""
WRITTEN_DOCUMENT = "data-document"
"""How the first edition wrote a document in Markdown, on its title; no longer read."""


@dataclass
class TextNode:
    """A run of text in a block: `holder.text` or `holder.tail` (then `parent` holds it)."""

    holder: ET.Element
    attr: str
    parent: ET.Element | None
    start: int
    value: str


def text_nodes(element: ET.Element) -> list[TextNode]:
    """Every text run a reader sees in `element`, in reading order, with its offset.

    Offsets agree with `visible_text`: what the edition added is skipped.
    """
    nodes: list[TextNode] = []

    def walk(el: ET.Element, pos: int) -> int:
        if el.text:
            nodes.append(TextNode(el, "text", None, pos, el.text))
            pos += len(el.text)
        for child in el:
            if child.get(ADDED) is None:
                pos = walk(child, pos)
            if child.tail:
                nodes.append(TextNode(child, "tail", el, pos, child.tail))
                pos += len(child.tail)
        return pos

    walk(element, 0)
    return nodes


def visible_text(element: ET.Element) -> str:
    """The text of `element` as a reader sees it, without what the edition added."""
    parts: list[str] = []

    def walk(el: ET.Element) -> None:
        if el.get(ADDED) is None:
            parts.append(el.text or "")
            for child in el:
                walk(child)
        parts.append(el.tail or "")

    parts.append(element.text or "")
    for child in element:
        walk(child)
    return "".join(parts)


def replace_text(node: TextNode, pieces: list[str | ET.Element]) -> None:
    """Replace a text run by a mix of strings and new elements, in order."""
    leading: list[str] = []
    items = list(pieces)
    while items and isinstance(items[0], str):
        leading.append(items.pop(0))  # type: ignore[arg-type]
    setattr(node.holder, node.attr, "".join(leading) or None)
    container = node.holder if node.attr == "text" else node.parent
    assert container is not None
    index = 0 if node.attr == "text" else list(container).index(node.holder) + 1
    last: ET.Element | None = None
    for item in items:
        if isinstance(item, str):
            assert last is not None
            last.tail = (last.tail or "") + item
        else:
            container.insert(index, item)
            index += 1
            last = item


class EditionTreeprocessor(Treeprocessor):
    """Turn opted-in pages into an annotated document, a glossary or a list of notes."""

    def __init__(self, md: markdown.Markdown, extension: EditionExtension) -> None:
        super().__init__(md)
        self.extension = extension
        self.note_heads: list[tuple[ET.Element, str]] = []
        """Endnote heads of the page being converted and their ids, for `NoteHeadings`."""
        self.rendered_page: str | None = None
        """The page being converted, if it is a document or a view, for its search sections."""
        self.edition_page = False
        """Whether the page being converted is a document or a view (with or without the hooks)."""
        self.search_starts: dict[ET.Element, str] = {}
        """A document's paragraphs and their labels (¶12): each is a search section of its own."""
        self.search_extra: dict[ET.Element, str] = {}
        """What the search also finds an element's section by, not shown on the page (HTML): a
        paragraph's glossary terms with their transliterations, a glossary entry's word forms."""
        self.stashed_sections: dict[str, list[Section]] = {}
        """Search sections of the list of notes put into the page as HTML, by its placeholder."""
        self.stashed_text: dict[str, str] = {}
        """Search text of each paragraph put into the page as HTML, by its placeholder."""

    @property
    def state(self) -> EditionState:
        """The build's state."""
        return self.extension.state

    def run(self, root: ET.Element) -> None:
        """Find the opt-in attribute and render the page accordingly."""
        self.note_heads.clear()
        self.search_starts.clear()
        self.search_extra.clear()
        self.stashed_sections.clear()
        self.stashed_text.clear()
        self.rendered_page, self.edition_page = None, False
        for element in root:
            if element.get(PLACEHOLDER) is not None:
                blocks = self._expand(root, element)
                if blocks:
                    self.rendered_page, self.edition_page = self.state.current_page, True
                    self.render_document(root, blocks)
                return
            if element.tag in HEADINGS and element.get(WRITTEN_DOCUMENT):
                self.state.add_problems([self._page_problem(
                    f"a document written in Markdown (`{WRITTEN_DOCUMENT}` on its title) is no longer read",
                    "declare it in the documents folder with its text as received, and put `::: edition-document "
                    f"{element.get(WRITTEN_DOCUMENT)}` on the page (`edition add-document` does both)",
                    WRITTEN_DOCUMENT)])
                return
            view = element.get("data-edition-view")
            if view:
                self.rendered_page, self.edition_page = self.state.current_page, True
                self.views.get(view, self._unknown_view)(root, element)
                return
        misspelt = list(self._misspelled_opt_in(root))
        if misspelt:
            self.state.add_problems(misspelt)

    def _expand(self, root: ET.Element, placeholder: ET.Element) -> list[ET.Element]:
        """Put the blocks of the declared document `placeholder` names in its place and return
        them; none (and a problem) when no document of that id is declared."""
        document = placeholder.get(PLACEHOLDER, "")
        index = list(root).index(placeholder)
        root.remove(placeholder)
        transcript = self.state.loaded.transcripts.get(document)
        page = self.state.current_page
        if transcript is None:
            if document not in self.state.loaded.invalid_documents:  # else reported where it is declared
                known = sorted(self.state.loaded.transcripts)
                self.state.add_problems([self._page_problem(
                    f"no document '{document}' is declared",
                    f"{suggest(document, known)}declare it in the documents folder (see “Documents” in the README)",
                    f"edition-document {document}")])
            return []
        declaration = transcript.declaration
        if page is not None and page != declaration.page:
            place = declaration.place_of("page")
            self.state.add_problems([Problem(place.path, place.line, place.col, Severity.ERROR,
                                             f"document '{document}' is shown on {page}, not on its page "
                                             f"{declaration.page}", f"set `page: {page}`, or show it on "
                                             f"{declaration.page} only")])
        self.state.shown.add(document)
        blocks = transcript_elements(transcript)
        for offset, block in enumerate(blocks):
            root.insert(index + offset, block)
        return blocks

    def _misspelled_opt_in(self, root: ET.Element) -> Iterator[Problem]:
        """A heading whose `data-` attribute is close to an opt-in one, or a paragraph that reads like
        a misspelt `::: edition-document <id>`: the page would stay plain."""
        for element in root:
            text = (element.text or "").strip() if element.tag == "p" else ""
            if text.startswith(":::") and "edition" in text:
                yield self._page_problem(f"“{text[:60]}” is not a line the edition reads: the page shows no document",
                                         "write `::: edition-document <id>` on a line of its own, with the id of a "
                                         "document of the documents folder", text[:20])
            if element.tag not in HEADINGS:
                continue
            for name in element.attrib:
                near = suggest(name, OPT_IN) if name.startswith("data-") and name not in HEADING_ATTRIBUTES else ""
                if near:
                    yield self._page_problem(f"unknown attribute `{name}`: the page is not rendered as part of "
                                             "the edition", f"{near}see “Documents” in the README", name)

    def _page_problem(self, message: str, hint: str, near: str) -> Problem:
        """An error in the page being rendered, at the line where `near` occurs when the pages' folder is known."""
        path, line = self.state.options.page_place(self.state.current_page or "the page", near)
        return Problem(path, line, 1, Severity.ERROR, message, hint)

    @property
    def views(self) -> dict[str, Callable[[ET.Element, ET.Element], None]]:
        """Renderers of generated views, by the name given in `data-edition-view`."""
        return {"glossary": self._glossary, "notes": self._notes, "index": self._index}

    def _unknown_view(self, root: ET.Element, heading: ET.Element) -> None:
        del root
        name = heading.attrib.pop("data-edition-view")
        page = self.state.current_page or "the page"
        self.state.add_problems([Problem(page, 1, 1, Severity.ERROR, f"unknown edition view '{name}'",
                                         f"use one of: {', '.join(self.views)}")])

    def _glossary(self, root: ET.Element, heading: ET.Element) -> None:
        heading.attrib.pop("data-edition-view")
        root.extend(glossary_view(self.state, self.search_extra))

    def _index(self, root: ET.Element, heading: ET.Element) -> None:
        heading.attrib.pop("data-edition-view")
        root.extend(index_view(self.state))

    def _notes(self, root: ET.Element, heading: ET.Element) -> None:
        heading.attrib.pop("data-edition-view")
        root.extend(notes_view(self.state))

    # -----------------------------------------------------------------------------------
    # The annotated document
    # -----------------------------------------------------------------------------------

    def render_document(self, root: ET.Element, blocks: list[ET.Element]) -> None:
        """Link terms, highlight notes, number paragraphs and append the endnotes of a declared
        document, whose `blocks` (its title first) are in `root`."""
        title = blocks[0]
        document = title.attrib.pop("data-document")
        record = self.state.documents[document]
        """Its record, computed from its text before any page, its notes anchored (`edition.records`)."""
        page = record.page
        wrapper = ET.Element("div", {"class": "ed-document", "data-document": document})
        first = list(root).index(title)
        for element in blocks:
            root.remove(element)
        root.insert(first, wrapper)
        wrapper.extend(blocks)

        labels, ids = self._number(blocks)
        for block in blocks:
            if block.tag in HEADINGS:  # the table of contents keeps the plain title
                block.set("data-toc-label", visible_text(block))
        links = DocumentRecord(document, page, DocumentText([]), [], ids)
        """Where this page links each term (the first use of each is marked for print)."""
        # Paragraphs go into the page as HTML when every link in them can be written final.
        site_link = self.state.site_link
        glossary_url = site_link(self.state.options.glossary_page, page) if site_link else None
        stashed = [b for b in blocks if glossary_url is not None and b.tag == "p" and _stashable(b)]
        final = set(stashed)
        for block, label, block_id in zip(blocks, labels, ids, strict=True):
            if block.tag not in HEADINGS:
                linked = self._link_terms(block, links, Occurrence(page, block_id, label),
                                          glossary_url if block in final else None)
                if linked and block.tag == "p":
                    self.search_extra[block] = _search_terms(linked)

        text = DocumentText([Block(label, visible_text(b)) for b, label in zip(blocks, labels, strict=True)])
        assert text.raw == record.text.raw, f"the page of '{document}' is not its text"
        assert links.term_occurrences == record.term_occurrences, f"the page of '{document}' links other terms"
        anchors = record.anchors
        if record.title:
            self.state.page_titles[page] = " ".join(record.title.split())
        self.state.add_problems([])  # without the hooks (errors not deferred), the data's errors raise here

        numbers = {anchor.annotation.id: n for n, anchor in enumerate(anchors, 1)}
        by_block: dict[int, list[Anchor]] = {}
        for anchor in anchors:  # one pass, not one per block
            by_block.setdefault(anchor.block, []).append(anchor)
        for index in sorted(by_block):
            self._highlight(blocks[index], by_block[index], numbers)
        self._add_paragraph_links(blocks, ids, labels)
        wrapper.tail = None
        if self.state.check_only:
            return  # the list of notes and the search sections hold no problems: not made for a check
        self.search_starts.update((block, label) for block, label in zip(blocks, labels, strict=True)
                                  if block.tag == "p")
        self._stash(stashed, page)
        root.insert(first + 1, self._endnotes(record))

    @staticmethod
    def _number(blocks: list[ET.Element]) -> tuple[list[str], list[str]]:
        labels: list[str] = []
        ids: list[str] = []
        paragraph = 0
        for block in blocks:
            if block.tag == "p":
                paragraph += 1
                labels.append(f"¶{paragraph}")
                ids.append(f"p{paragraph}")
                block.set("id", f"p{paragraph}")
            else:
                labels.append("title" if block.tag == "h1" else block.tag)
                ids.append(block.get("id") or "")
        return labels, ids

    def _link_terms(self, block: ET.Element, record: DocumentRecord, where: Occurrence,
                    glossary_url: str | None = None) -> list[GlossaryEntry]:
        """Link every glossary form in `block`, walking text and tails in reverse (like `abbr`);
        return the entries linked, in the order of their first link.

        Links go to `glossary_url` when given (the glossary's URL in the built site), else to
        the glossary page's `.md` path, for the site generator to rewrite.
        """
        matcher = self.state.matcher
        if matcher.pattern is None:
            return []
        terms = self.state.corpus.terms
        glossary = glossary_url if glossary_url is not None else page_link(self.state.options.glossary_page,
                                                                          where.page)
        first_use: list[tuple[GlossaryEntry, ET.Element]] = []

        def link(entry_id: str, text: str) -> ET.Element:
            entry = terms[entry_id]
            full = f": {entry.full}" if entry.full != entry.term else ""  # not "языковые патрули: языковые патрули"
            tip = f"{entry.term} ({entry.translit}){full} — {entry.translation}"
            element = ET.Element("a", {
                "class": "ed-term",
                "href": f"{glossary}#{entry.id}",
                "title": tooltip(tip),
                "data-term": entry.id,
            })
            element.text = text
            if CYRILLIC.search(text):
                element.set("lang", "ru")  # read with a Russian voice (WCAG 3.1.2)
            occurrences = record.term_occurrences.setdefault(entry.id, [])
            first_use.append((entry, element))
            if not occurrences or occurrences[-1].block_id != where.block_id:
                occurrences.append(where)
            return element

        def walk(element: ET.Element) -> None:
            for child in reversed(list(element)):
                if child.tag not in NO_TERMS_INSIDE and child.get(ADDED) is None:
                    walk(child)
                if child.tail:
                    self._replace_terms(TextNode(child, "tail", element, 0, child.tail), link)
            if element.text:
                self._replace_terms(TextNode(element, "text", None, 0, element.text), link)

        walk(block)
        # The walk runs in reverse, but each text run forward: find each entry's first link in
        # the block in document order.
        made = {element: entry for entry, element in first_use}
        linked: dict[str, GlossaryEntry] = {}
        for element in block.iter("a"):
            entry = made.get(element)
            if entry is not None:
                linked.setdefault(entry.id, entry)
            if entry is not None and entry.id not in record.glossed:
                record.glossed.add(entry.id)
                element.set("class", "ed-term ed-term--first")
                # The printed gloss does not repeat the words of the text (an English alias).
                same = (element.text or "").casefold() == entry.translation.casefold()
                element.set("data-gloss", entry.translit if same else f"{entry.translit}: {entry.translation}")
        return list(linked.values())

    def _replace_terms(self, node: TextNode, link: Callable[[str, str], ET.Element]) -> None:
        matches = list(self.state.matcher.finditer(node.value))
        if not matches:
            return
        pieces: list[str | ET.Element] = []
        pos = 0
        for match in matches:
            pieces.append(node.value[pos:match.start])
            pieces.append(link(match.entry_id, node.value[match.start:match.end]))
            pos = match.end
        pieces.append(node.value[pos:])
        replace_text(node, [p for p in pieces if not isinstance(p, str) or p])

    def _highlight(self, block: ET.Element, anchors: list[Anchor], numbers: dict[str, int]) -> None:
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
                mark = self._mark(seg.keys, by_id)
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
            self._insert_marker(block, last_mark[annotation_id], parents, by_id[annotation_id],
                                numbers[annotation_id])
        if block.tag in HEADINGS:
            return  # "[note 1:]" would open the heading's name in every list of headings; its marker says it
        for annotation_id in sorted(first_mark, key=lambda key: numbers[key]):
            self._insert_start(block, first_mark[annotation_id], parents, annotation_id, numbers[annotation_id])

    @staticmethod
    def _mark(keys: tuple[str, ...], by_id: dict[str, Anchor]) -> ET.Element:
        innermost = min(keys, key=lambda k: (by_id[k].end - by_id[k].start, k))
        kind = by_id[innermost].annotation.type
        classes = f"ed-hl ed-hl--{kind}" + (" ed-hl--overlap" if len(keys) > 1 else "")
        return ET.Element("mark", {"class": classes, "data-notes": " ".join(keys)})

    @staticmethod
    def _outside_links(block: ET.Element, mark: ET.Element, parents: dict[ET.Element, ET.Element]) -> ET.Element:
        """`mark`, or the outermost link around it: what to put things beside."""
        outer = mark
        ancestor = parents[mark]
        while ancestor is not block:
            if ancestor.tag == "a":
                outer = ancestor
            ancestor = parents[ancestor]
        return outer

    def _insert_start(self, block: ET.Element, mark: ET.Element, parents: dict[ET.Element, ET.Element],
                      annotation_id: str, number: int) -> None:
        """Tell screen readers where a note's span begins (its marker tells where it ends)."""
        before = self._outside_links(block, mark, parents)
        container = parents[before]
        # Read out from CSS generated content (`data-label`), not a text node: the page's
        # text stays the source's (copying, Hypothesis, Apache Annotator, text fragments).
        start = ET.Element("span", {"class": "ed-sr-only ed-start", "data-note": annotation_id, ADDED: "",
                                    "data-label": f"note {number}:"})
        container.insert(list(container).index(before), start)

    def _insert_marker(self, block: ET.Element, mark: ET.Element, parents: dict[ET.Element, ET.Element],
                       anchor: Anchor, number: int) -> None:
        # Right after the note's last segment, but never inside a link.
        after = self._outside_links(block, mark, parents)
        container = parents[after]
        annotation = anchor.annotation
        label = _type_label(annotation.type)
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

    @staticmethod
    def _add_paragraph_links(blocks: list[ET.Element], ids: list[str], labels: list[str]) -> None:
        for block, block_id, label in zip(blocks, ids, labels, strict=True):
            if block.tag != "p":
                continue
            link = ET.Element("a", {"class": "ed-pnum", "href": f"#{block_id}", ADDED: "",
                                    "data-n": label[1:], "aria-label": f"Paragraph {label[1:]}, permalink"})
            link.tail, block.text = block.text, None
            block.insert(0, link)

    def _stash(self, blocks: list[ET.Element], page: str) -> None:
        """Put each of `blocks` (paragraphs, every link in them final) into the page as HTML.

        A document's paragraphs carry most of its elements (highlights, markers, term links):
        serialized here once, they are not walked again by Markdown's later steps, the table of
        contents, MkDocs' link rewriting and the search, and the page comes out the same. Each
        paragraph keeps its own tag and attributes, so its id stays where anchors are looked for.
        """
        if not blocks:
            return
        ids = self.state.stashed_ids.setdefault(page, set())
        for block in blocks:
            content = ET.Element("div")
            content.text, block.text = block.text, None
            content.extend(block)
            del block[:]
            ids.update(found for element in content.iter() if (found := element.get("id")))
            text = content_text(content)
            literal_ampersands(content)
            placeholder = self.md.htmlStash.store(self.md.serializer(content)[len("<div>"):-len("</div>")])
            self.stashed_text[placeholder] = text
            block.text = placeholder

    def _renderer(self, record: DocumentRecord, link: Callable[[str, str], str | None]) -> BodyRenderer | None:
        """The renderer of `record`'s endnote bodies, linking other pages through `link`."""
        glossary = link(self.state.options.glossary_page, record.page)
        notes = link(self.state.options.notes_page, record.page)
        if glossary is None or notes is None:
            return None
        # A note of another document is linked through the list of all notes, which is
        # rendered last and so always knows where every note is.
        return self.state.renderer("#note-{id}", glossary + "#{id}", document=record.document,
                                   other_note_href=notes + "#{id}", page=record.page)

    def _endnotes(self, record: DocumentRecord) -> ET.Element:
        """The document's notes, in a section after the text.

        Most of an annotated page's elements would be its notes. When every link in them is
        final (the site generator gave the site's own URLs, and no body links a page by a
        relative path of its own), the list of notes goes into the page as HTML, serialized
        here once, and its search sections are read here: Markdown's later steps, the table
        of contents, MkDocs' link rewriting and the search never walk its elements, and the
        page comes out the same. Otherwise the notes go in as elements, bodies linking pages
        as `.md` paths, which the site generator rewrites and checks.
        """
        section = ET.Element("section", {"class": "ed-notes", "id": "ed-notes",
                                         "aria-labelledby": "ed-notes-title"})
        heading = ET.SubElement(section, "h2", {"id": "ed-notes-title"})
        heading.text = "Notes"
        listing = ET.Element("ol", {"class": "ed-notes__list"})
        as_pages = self._renderer(record, page_link)
        assert as_pages is not None  # page_link links any page
        final = self._renderer(record, self.state.site_link) if self.state.site_link else None
        if final is not None and any(as_pages.needs_site_links(a.annotation.body) for a in record.anchors):
            final = None
        stashed_text: dict[str, str] = {}
        for number, anchor in enumerate(record.anchors, 1):
            text = anchor.annotation.body
            if final is None:
                body = as_pages.element(text, "ed-note__body")
            else:
                body = ET.Element("div", {"class": "ed-note__body"})
                body.text = self.md.htmlStash.store(final.html(text))
                stashed_text[body.text] = final.search_text(text)
            item = render_note(anchor, number, record, body)
            head = (item[0], f"note-{anchor.annotation.id}-title")
            if final is None:
                self.note_heads.append(head)  # made <h3> after the table of contents
            else:
                _make_heading(*head)
            listing.append(item)
        if final is None:
            section.append(listing)
            return section
        around = ET.Element("div")
        around.append(listing)  # read as part of the page: the list's own tags count
        sections = page_sections(around, stashed=stashed_text)
        assert sections is not None  # the edition's own elements and stashed bodies only
        holder = ET.SubElement(section, "p")
        literal_ampersands(listing)
        holder.text = self.md.htmlStash.store(self.md.serializer(listing))
        self.stashed_sections[holder.text] = sections
        # For the site generator's check of links to anchors, which reads the tree only.
        ids = self.state.stashed_ids.setdefault(record.page, set())
        ids.update(found for element in listing.iter() if (found := element.get("id")))
        return section


class DocumentPlaceholder(BlockProcessor):
    """`::: edition-document <id>` on a line of its own: the place of a declared document.

    It becomes an empty `<div data-edition-document="<id>">`, which the tree processor replaces
    with the document's blocks, made from its source text after every inline and attribute
    step has run: nothing in the text is read as Markdown, HTML or `{ attributes }`.
    """

    PATTERN = re.compile(r"^::: *edition-document +([^\s]+) *$")

    def test(self, parent: ET.Element, block: str) -> bool:
        del parent
        return self.PATTERN.match(block.strip()) is not None

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        match = self.PATTERN.match(blocks.pop(0).strip())
        assert match is not None  # `test` said so
        ET.SubElement(parent, "div", {PLACEHOLDER: match.group(1)})


def literal_ampersands(element: ET.Element) -> None:
    """Make every `&` in the text of `element` and its descendants show as `&`.

    Python-Markdown's serializer leaves an `&` that starts something like an entity as it is
    (`&amp;` in the text would show as `&`), since Markdown has already stashed the entities an
    author wrote. The text the edition puts in is plain text, so its `&` goes in as Markdown's
    own placeholder for one, which its last step writes as `&amp;`. Call it last on a tree,
    or just before serializing one: the text's length changes.
    """
    amp = AMP_SUBSTITUTE + "amp;"
    for node in element.iter():
        if node.text and "&" in node.text:
            node.text = node.text.replace("&", amp)
        if node.tail and "&" in node.tail and node is not element:
            node.tail = node.tail.replace("&", amp)
        quote = node.get("data-quote")
        if quote and "&" in quote:
            node.set("data-quote", quote.replace("&", amp))


class NoteHeadings(Treeprocessor):
    """Make each endnote's head an `<h3 id="note-<id>-title">`, after the table of contents."""

    def __init__(self, md: markdown.Markdown, main: EditionTreeprocessor) -> None:
        super().__init__(md)
        self.main = main

    def run(self, root: ET.Element) -> None:
        for head in self.main.note_heads:
            _make_heading(*head)
        self.main.note_heads.clear()
        for document in root.iter("div"):
            if document.get("class") == "ed-document":
                _symbols_as_generated_content(document)
        page = self.main.rendered_page
        if page is not None and not self.main.state.check_only:
            # The tree is final but for link rewriting: read the search sections off it now.
            sections = page_sections(root, self.main.search_starts, stashed=self.main.stashed_text,
                                     sections=self.main.stashed_sections, extra=self.main.search_extra)
            if sections is not None:
                self.main.state.search_sections[page] = sections
        if self.main.edition_page:  # last: the text's length changes (see `literal_ampersands`)
            literal_ampersands(root)
        self.main.edition_page = False
        self.main.rendered_page = None
        self.main.search_starts.clear()
        self.main.search_extra.clear()
        self.main.stashed_sections.clear()
        self.main.stashed_text.clear()


def _symbols_as_generated_content(document: ET.Element) -> None:
    """Empty the `toc` extension's permalinks ("¶") in a document's headings: CSS draws the
    symbol, so that each heading's text is exactly its line of the source."""
    for link in document.iter("a"):
        if link.get("class") == "headerlink":
            link.text = None
            link.set("class", "headerlink ed-headerlink")


def _search_terms(entries: list[GlossaryEntry]) -> str:
    """A line for a paragraph's search entry naming its glossary terms with their
    transliterations, so that a search for "SIZO" finds the paragraphs that say СИЗО (the
    search has no Russian stemming and does not transliterate)."""
    return extra_line("Russian terms", (f"{entry.term} ({entry.translit})" for entry in entries))


def _stashable(block: ET.Element) -> bool:
    """Whether a paragraph can go into the page as HTML: it holds no link or image of the text's
    own (the site generator rewrites and checks those) and no placeholder that a later step of
    Markdown resolves (raw HTML, an escaped character)."""
    for element in block.iter():
        if element is not block and (element.tag in ("a", "img") or "\x02" in (element.tail or "")):
            return False
        if "\x02" in (element.text or "") or any("\x02" in value for value in element.attrib.values()):
            return False
    return True


def _make_heading(head: ET.Element, head_id: str) -> None:
    """An endnote's head becomes its `<h3>`, with the id search and links use."""
    head.tag = "h3"
    head.set("id", head_id)


def declared_document(markdown_text: str) -> str | None:
    """The document a page's Markdown shows, if any (read before rendering, as a hint)."""
    match = DECLARED_DOCUMENT.search(markdown_text)
    return match.group(1) if match else None


def _type_label(kind: str) -> str:
    return ANNOTATION_TYPES[kind].label


class EditionExtension(Extension):
    """Anchor annotations, link glossary terms and render the edition's views."""

    def __init__(self, state: EditionState | None = None, **kwargs: Any) -> None:
        self.config = {
            "annotations": ["", "Folder of annotation YAML files."],
            "glossary": ["", "Folder of glossary YAML files."],
            "glossary_page": ["glossary.md", "Page of the glossary, relative to the docs folder."],
            "notes_page": ["annotations.md", "Page listing all annotations, relative to the docs folder."],
            "entities": ["", "Folder of the index of people, places and organisations (YAML)."],
            "index_page": ["people-places.md", "Page of that index, relative to the docs folder."],
            "translit_scheme": ["bgn_pcgn", "Transliteration scheme: bgn_pcgn, ala_lc, scientific, …"],
            "docs_dir": ["", "Folder of the pages, to find a page's lines for its problems."],
            "documents": ["", "Folder of the documents' declarations (YAML): each names its text as received "
                              "(a .txt) and the page that shows it."],
            "base_dir": ["", "Folder the relative paths above are read from: the configuration file's folder (the "
                             "MkDocs hooks and `edition check` set it); else the working folder."],
        }
        # Options it does not have are kept aside, for `edition.configuration` to report at
        # their line (Python-Markdown would raise a KeyError).
        self.unknown_options = {key: kwargs.pop(key) for key in list(kwargs) if key not in self.config}
        super().__init__(**kwargs)
        self._state = state

    def options(self) -> EditionOptions:
        """The configured options, with folders as absolute paths (relative ones read from `base_dir`)."""
        base = Path(self.getConfig("base_dir") or Path.cwd())

        def folder(name: str) -> Path | None:
            value = self.getConfig(name)
            return (base / value).absolute() if value else None  # symbolic links are refused, not resolved

        annotations, glossary = folder("annotations"), folder("glossary")
        parents = [str(path.parent) for path in (annotations, glossary) if path is not None]
        root = Path(os.path.commonpath(parents)) if parents else base.absolute()
        return EditionOptions(
            annotations=annotations,
            glossary=glossary,
            entities=folder("entities"),
            docs_dir=folder("docs_dir"),
            documents=folder("documents"),
            root=root,
            index_page=self.getConfig("index_page"),
            glossary_page=self.getConfig("glossary_page"),
            notes_page=self.getConfig("notes_page"),
            translit_scheme=self.getConfig("translit_scheme"),
        )

    @property
    def state(self) -> EditionState:
        """The build state: given by the MkDocs hooks, or loaded on first use."""
        if self._state is None:
            self._state = EditionState(self.options())
        return self._state

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        """Register the tree processor (see the module docstring for its priority)."""
        # Before `paragraph` (10), the last block processor: the line would become a paragraph.
        md.parser.blockprocessors.register(DocumentPlaceholder(md.parser), "edition-document", 75)
        main = EditionTreeprocessor(md, self)
        md.treeprocessors.register(main, "edition", 6)
        md.treeprocessors.register(NoteHeadings(md, main), "edition-note-headings", 4)
        md.registerExtension(self)


def makeExtension(**kwargs: Any) -> EditionExtension:  # noqa: N802 - Python-Markdown's API
    """Entry point for `markdown.Markdown(extensions=["edition"])`."""
    return EditionExtension(**kwargs)
