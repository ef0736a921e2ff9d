"""Parts of a generated view as converted before in this process (`mkdocs serve`).

The list of notes has a list for each document, an item for each note (4,000 at N = 200).
An edit to one annotation file changes that document's list, but every item went through
every step of the page's conversion again: built, its links resolved by the site generator,
read for the search, serialized. Under `mkdocs serve`, a document's list made from the very
record of the last conversion of the same page is not filled again: its items are made
empty, with their ids (which the site generator's anchor check reads) and classes, until the
conversion's last tree step puts the content the list had (as HTML, through Python-Markdown's
stash of raw HTML); and the search reads the text it had.

What a part is made from is its `key` (values) and its `source` (compared by identity: a
document's record, which `edition.records.RecordCache` keeps while its inputs are equal).
How a site generator resolves the links depends on the site (its configuration and files):
`ViewParts.for_site` forgets every part when those change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterable


@dataclass(slots=True, eq=False)
class Part:
    """The content of one element of a view: made from `key` and `source`; its HTML and search
    text once known."""

    key: Hashable
    source: object = None
    """What it was made from besides `key`, compared by identity (and kept alive by the part,
    so that no other object takes its identity)."""
    html: str | None = None
    """The element's content (not its own tags) as the conversion serialized it, after every tree step."""
    search: str | None = None
    """What the element's content added to its search section (`edition.search.page_sections`)."""

    @property
    def known(self) -> bool:
        """Whether both are known: only then can a later conversion use the part."""
        return self.html is not None and self.search is not None


@dataclass
class ViewParts:
    """The parts of each page's views as the page's last conversion made them."""

    site: Hashable = None
    """What the parts' resolved links depend on (the site's configuration and files)."""
    reused: int = 0
    """How many parts this build took from the last conversions."""
    _kept: dict[str, dict[Hashable, Part]] = field(default_factory=dict)

    def for_site(self, site: Hashable) -> None:
        """A new build, of `site`: every kept part is forgotten when it differs from the last build's."""
        self.reused = 0
        if site != self.site:
            self._kept.clear()
            self.site = site

    def part(self, page: str, key: Hashable, source: object = None) -> Part:
        """The part of `page` made from `key` and `source`: as the last conversion made it, else a new one."""
        kept = self._kept.get(page)
        part = kept.get(key) if kept else None
        if part is None or part.source is not source:
            return Part(key, source)
        self.reused += 1
        return part

    def keep(self, page: str, parts: Iterable[Part]) -> None:
        """The parts `page` was converted with, those known, for its next conversion (and only them)."""
        self._kept[page] = {part.key: part for part in parts if part.known}

    def __len__(self) -> int:
        return sum(len(kept) for kept in self._kept.values())
