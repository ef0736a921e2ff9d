"""Search sections of a page the edition rendered, read from its element tree.

Material's search plugin indexes a page by parsing its HTML again: one section per heading
with an id, the text of each section, and the tags `p`, `li`, `code`… kept in it. On an
annotated document that is ten times more tags than the plain text (highlights, markers,
endnotes), and the parse was the largest single cost of a build. The edition owns that
tree, so it reads the sections from it directly, in the same shape, and leaves out what it
added for reading aloud and navigating (`data-ed-added`: "[note 3:]", ¶ links, markers), which
only cluttered the results. Each paragraph of a document and each endnote (its `<h3>`) is a
section of its own, so a hit lands on its paragraph or on its note.

A page whose tree still holds placeholders (raw HTML, entities kept for later) is not read
here: `page_sections` returns None and the search plugin parses that page as usual. The
only placeholders read are those the edition stashed itself: for endnote bodies (clean
HTML) `page_sections` is given the text `html_text` reads from that HTML, and for a
document's paragraphs the text `content_text` read from their elements before they were
stashed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

import nh3

from edition.textnorm import unescaped

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET
    from collections.abc import Iterable, Mapping

ADDED = "data-ed-added"
"""Marks every element the edition adds to the transcript, so its text can be told apart."""
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
KEPT_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
"""Tags Material's search keeps in a section's text."""
SKIPPED_TAGS = frozenset({"script", "style", "object"})


@dataclass(frozen=True, slots=True)
class Section:
    """One search entry: its heading's id (None for the page itself), title and text (HTML).

    Compact (three strings, no lists), as a build keeps every page's sections until the
    search plugin takes them.
    """

    id: str | None
    title: str
    text: str

    def entry(self, page_url: str, page_title: str) -> dict[str, str]:
        """The search index entry, as Material's search plugin writes it (untitled: the page's title)."""
        return {"location": page_url + (f"#{self.id}" if self.id else ""),
                "title": self.title or escape(page_title, quote=False), "text": self.text}


@dataclass
class _Open:
    """A section being read: its parts so far."""

    id: str | None
    title: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def close(self) -> Section:
        return Section(self.id, "".join(self.title).strip(), "".join(self.text).strip())


class _PlaceholderError(Exception):
    """The tree holds a placeholder that only a later step of Python-Markdown resolves."""


def html_text(html: str) -> str:
    """A clean HTML fragment's text as a search section holds it: the kept tags (bare), escaped text."""
    text = nh3.clean(html, tags=set(KEPT_TAGS), attributes={"*": set()})
    return text.replace("&nbsp;", "\xa0").replace("\n", " ").strip()  # as `_walk` writes them


def _clean(text: str) -> str:
    if "\x02" in text:
        text = unescaped(text)
        if "\x02" in text or "\x03" in text:
            raise _PlaceholderError
    return escape(text.replace("\n", " "), quote=False)


def page_sections(root: ET.Element, starts: Mapping[ET.Element, str] | None = None, *,
                  stashed: Mapping[str, str] | None = None,
                  sections: Mapping[str, list[Section]] | None = None,
                  extra: Mapping[ET.Element, str] | None = None) -> list[Section] | None:
    """The sections of a page, in order; None if the tree cannot be read faithfully yet.

    A heading with an id starts a section, and so does each element of `starts` (with an id),
    titled with its value: a document's paragraphs, so that a hit lands on its paragraph.
    A placeholder that is an element's whole text reads as its text in `stashed`; an element
    whose whole text is a placeholder in `sections` (HTML put into the page, read beforehand)
    stands for those sections. The section of an element of `extra` ends with its value
    (HTML), which the page does not show.
    """
    found: list[_Open] = []
    try:
        _walk(root, _Reader(found, starts or {}, stashed or {}, sections or {}, extra or {}), None)
    except _PlaceholderError:
        return None
    return [section.close() for section in found]


def extra_line(label: str, items: Iterable[str]) -> str:
    """A line a section also holds for the search, which the page does not show (see
    `page_sections`'s `extra`): `<p>label: item, item</p>`, escaped as section text is."""
    return f"<p>{label}: {escape(', '.join(items), quote=False)}</p>"


def content_text(element: ET.Element) -> str:
    """The text `element`'s content adds to its section (its own tag aside), as `page_sections`
    reads it: for an element put into the page as HTML, read before it is stashed."""
    found = [_Open(None)]
    reader = _Reader(found, {}, {}, {}, {})
    if element.text:
        found[0].text.append(reader.text(element.text))
    _walk(element, reader, None)
    assert len(found) == 1, "a paragraph holds no heading"
    return "".join(found[0].text)


class _Reader:
    """Reads sections off a tree: appends each element's text to the open section."""

    def __init__(self, sections: list[_Open], starts: Mapping[ET.Element, str], stashed: Mapping[str, str],
                 stashed_sections: Mapping[str, list[Section]], extra: Mapping[ET.Element, str]) -> None:
        self.sections = sections
        self.starts = starts
        self.stashed = stashed
        self.stashed_sections = stashed_sections
        self.extra = extra

    def text(self, text: str) -> str:
        stashed = self.stashed.get(text)
        return _clean(text) if stashed is None else stashed

    def current(self) -> _Open:
        if not self.sections:
            self.sections.append(_Open(None))
        return self.sections[-1]


def _walk(element: ET.Element, reader: _Reader, in_title: _Open | None) -> None:
    """Append the text of `element`'s children (and their tails) to the sections."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        attrib = child.attrib
        skipped = tag in SKIPPED_TAGS or (bool(attrib) and (
            ADDED in attrib or "data-search-exclude" in attrib or (tag == "a" and attrib.get("class") == "headerlink")))
        if not skipped:
            _element(child, tag, reader, in_title)
        tail = child.tail
        if tail:
            (in_title.title if in_title is not None else reader.current().text).append(reader.text(tail))


def _element(child: ET.Element, tag: str, reader: _Reader, in_title: _Open | None) -> None:
    title = in_title
    sections = reader.sections
    text = child.text
    if reader.stashed_sections and text and not len(child):
        read = reader.stashed_sections.get(text)
        if read is not None:
            if read and read[0].id is None:  # what comes before the first heading: the open section's
                reader.current().text.append(read[0].text)
                read = read[1:]
            sections.extend(_Open(s.id, [s.title], [s.text]) for s in read)
            return
    element_id = child.get("id")
    if element_id and in_title is None and child in reader.starts:
        sections.append(_Open(element_id, [escape(reader.starts[child], quote=False)]))
    elif element_id and tag in HEADINGS:
        # The page's first heading, if an <h1>, is the page itself (no anchor), as in Material.
        sections.append(_Open(None if not sections and tag == "h1" else element_id))
        title = sections[-1]
    kept = tag in KEPT_TAGS and title is None
    if kept:
        reader.current().text.append(f"<{tag}>")
    if text:
        (title.title if title is not None else reader.current().text).append(reader.text(text))
    if len(child):
        _walk(child, reader, title)
    if kept:
        reader.current().text.append(f"</{tag}>")
    if reader.extra:
        added = reader.extra.get(child)
        if added:
            reader.current().text.append(added)
