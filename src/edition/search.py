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
here: `page_sections` returns None and the search plugin parses that page as usual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING
from unicodedata import normalize

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
        # NFC, as `edition.js` makes the query: a typed й finds a decomposed й of the text.
        return Section(self.id, normalize("NFC", "".join(self.title).strip()),
                       normalize("NFC", "".join(self.text).strip()))


class _PlaceholderError(Exception):
    """The tree holds a placeholder that only a later step of Python-Markdown resolves."""


def _clean(text: str) -> str:
    if "\x02" in text:
        text = unescaped(text)
        if "\x02" in text or "\x03" in text:
            raise _PlaceholderError
    return escape(text.replace("\n", " "), quote=False)


def page_sections(root: ET.Element, starts: Mapping[ET.Element, str] | None = None, *,
                  extra: Mapping[ET.Element, str] | None = None,
                  contents: dict[ET.Element, str | None] | None = None) -> list[Section] | None:
    """The sections of a page, in order; None if the tree cannot be read faithfully yet.

    A heading with an id starts a section, and so does each element of `starts` (with an id),
    titled with its value: a document's paragraphs, so that a hit lands on its paragraph.
    The section of an element of `extra` ends with its value
    (HTML), which the page does not show.

    The content of an element of `contents` (no heading and no start in it) adds its value
    to the section instead of being read, or, where the value is None, is read and its
    value set to what it added (`edition.view_parts`: the lists of a view made before).
    """
    found: list[_Open] = []
    try:
        _walk(root, _Reader(found, starts or {}, extra or {}, contents or {}), None)
    except _PlaceholderError:
        return None
    return [section.close() for section in found]


def extra_line(label: str, items: Iterable[str]) -> str:
    """A line a section also holds for the search, which the page does not show (see
    `page_sections`'s `extra`): `<p>label: item, item</p>`, escaped as section text is."""
    return f"<p>{label}: {escape(', '.join(items), quote=False)}</p>"


class _Reader:
    """Reads sections off a tree: appends each element's text to the open section."""

    def __init__(self, sections: list[_Open], starts: Mapping[ET.Element, str],
                 extra: Mapping[ET.Element, str], contents: dict[ET.Element, str | None]) -> None:
        self.sections = sections
        self.starts = starts
        self.extra = extra
        self.contents = contents

    @staticmethod
    def text(text: str) -> str:
        return _clean(text)

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
    if reader.contents and child in reader.contents:
        _content(child, reader)
    else:
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


def _content(child: ET.Element, reader: _Reader) -> None:
    """The content of an element of `reader.contents`: its value, or read (and its value set)."""
    section = reader.current()
    known = reader.contents[child]
    if known is not None:
        section.text.append(known)
        return
    start = len(section.text)
    if child.text:
        section.text.append(reader.text(child.text))
    if len(child):
        _walk(child, reader, None)
    if reader.current() is not section:
        raise ValueError(f"a heading or section start inside <{child.tag} id={child.get('id')!r}>")
    reader.contents[child] = "".join(section.text[start:])
