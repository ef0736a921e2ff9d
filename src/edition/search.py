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

import re
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET
    from collections.abc import Mapping

ADDED = "data-ed-added"
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
KEPT_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
"""Tags Material's search keeps in a section's text."""
SKIPPED_TAGS = frozenset({"script", "style", "object"})
_ESCAPED = re.compile("\x02(\\d+)\x03")
"""A character escaped with a backslash in Markdown, until Python-Markdown's `unescape` step."""


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


def _clean(text: str) -> str:
    text = _ESCAPED.sub(lambda match: chr(int(match.group(1))), text)
    if "\x02" in text or "\x03" in text:
        raise _PlaceholderError
    return escape(text.replace("\n", " "), quote=False)


def page_sections(root: ET.Element, starts: Mapping[ET.Element, str] | None = None) -> list[Section] | None:
    """The sections of a page, in order; None if the tree cannot be read faithfully yet.

    A heading with an id starts a section, and so does each element of `starts` (with an id),
    titled with its value: a document's paragraphs, so that a hit lands on its paragraph.
    """
    sections: list[_Open] = []
    try:
        _walk(root, sections, None, starts or {})
    except _PlaceholderError:
        return None
    return [section.close() for section in sections]


def _current(sections: list[_Open]) -> _Open:
    if not sections:
        sections.append(_Open(None))
    return sections[-1]


def _walk(element: ET.Element, sections: list[_Open], in_title: _Open | None,
          starts: Mapping[ET.Element, str]) -> None:
    """Append the text of `element`'s children (and their tails) to the sections."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        skipped = (tag in SKIPPED_TAGS or ADDED in child.attrib or "data-search-exclude" in child.attrib
                   or (tag == "a" and child.get("class") == "headerlink"))
        if not skipped:
            _element(child, tag, sections, in_title, starts)
        if child.tail:
            target = in_title.title if in_title is not None else _current(sections).text
            target.append(_clean(child.tail))


def _element(child: ET.Element, tag: str, sections: list[_Open], in_title: _Open | None,
             starts: Mapping[ET.Element, str]) -> None:
    title = in_title
    if child in starts and child.get("id") and in_title is None:
        sections.append(_Open(child.get("id"), [escape(starts[child], quote=False)]))
    elif tag in HEADINGS and child.get("id"):
        # The page's first heading, if an <h1>, is the page itself (no anchor), as in Material.
        sections.append(_Open(None if not sections and tag == "h1" else child.get("id")))
        title = sections[-1]
    kept = tag in KEPT_TAGS and title is None
    if kept:
        _current(sections).text.append(f"<{tag}>")
    if child.text:
        (title.title if title is not None else _current(sections).text).append(_clean(child.text))
    _walk(child, sections, title, starts)
    if kept:
        _current(sections).text.append(f"</{tag}>")
