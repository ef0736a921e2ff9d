"""A document of the edition as the build knows it: its text, the notes anchored in it, and
where each glossary term occurs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from edition.model import document_name

if TYPE_CHECKING:
    from edition.anchoring import Anchor, DocumentText


@dataclass(slots=True)
class Occurrence:
    """A place in a document: the page, the block's id and its label (¶12), and the document."""

    page: str
    block_id: str
    label: str
    document: str


@dataclass
class DocumentRecord:
    """One declared document as the edition computes it before any page (`edition.records`):
    its text, its notes anchored, its blocks' ids and where each glossary term occurs. Only
    read once made (a rebuild under `mkdocs serve` may reuse it); a page's rendering keeps its
    own state (`edition.term_links.TermLinks`)."""

    document: str
    page: str
    """Path of the document's Markdown page, relative to the docs folder."""
    text: DocumentText
    anchors: list[Anchor]
    """Anchors in text order; a note's number is its index plus one."""
    block_ids: list[str]
    term_occurrences: dict[str, list[Occurrence]] = field(default_factory=dict)
    name: str = ""
    """Its short name (`edition.model.document_name`), by which other pages name it."""

    @property
    def short_name(self) -> str:
        """Its short name, or one made from its id."""
        return document_name(self.document, self.name)

    @property
    def title(self) -> str | None:
        """The text of the document's opening heading if it is its title (an `<h1>`)."""
        first = self.text.blocks[0] if self.text.blocks else None
        return first.text if first is not None and first.label == "title" else None
