"""The text runs of an element tree as a reader sees them, and replacing a run by text and
new elements: what term links and highlights are made with. What the edition added
(`data-ed-added`) holds no text and is skipped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from edition.search import ADDED


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
