"""The declared documents as the edition knows them, computed once from their text, before
any page is rendered: each block with its label and id, every note anchored, and every
place a glossary term occurs.

Pages, the list of notes, the glossary's back-references, the index, the search and the
exports read these records; none of them depends on the order in which pages are rendered,
or on pages being rendered at all (`edition check`, a generator that runs no hooks).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.anchoring import Block, DocumentText, anchor_annotations
from edition.document import DocumentRecord, Occurrence
from edition.entities import MentionMatcher
from edition.terms import TermMatcher
from edition.transcript import text_runs

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from edition.entities import Entity, Mention
    from edition.model import Annotation, Corpus
    from edition.problems import Problem
    from edition.transcript import Transcript


def labels_and_ids(transcript: Transcript) -> list[tuple[str, str]]:
    """Each line's label (`title`, `¶1`, `¶2`…) and its element's id (`title`, `p1`…)."""
    found: list[tuple[str, str]] = []
    paragraph = 0
    for line in transcript.lines:
        if line.role == "title":
            found.append(("title", "title"))
        else:
            paragraph += 1
            found.append((f"¶{paragraph}", f"p{paragraph}"))
    return found


def document_text(transcript: Transcript) -> DocumentText:
    """A document's text as the anchoring reads it: each line with its label."""
    return DocumentText([Block(label, line.text)
                         for line, (label, _) in zip(transcript.lines, labels_and_ids(transcript), strict=True)])


def document_record(transcript: Transcript, annotations: Iterable[Annotation], matcher: TermMatcher,
                    texts: Mapping[str, DocumentText] | None = None) -> tuple[DocumentRecord, list[Problem]]:
    """The record of one declared document, and the problems of anchoring its notes (a quote
    that is not in it is looked for in the other documents' `texts`, by id)."""
    declaration = transcript.declaration
    places = labels_and_ids(transcript)
    text = texts[declaration.id] if texts is not None else document_text(transcript)
    anchors, problems = anchor_annotations(annotations, text, texts)
    # Numbered in the order of their markers, which follow the end of each span, so that
    # note calls read 1, 2, 3… even where notes nest.
    anchors.sort(key=lambda a: (a.doc_end, a.doc_start, a.annotation.id))
    record = DocumentRecord(declaration.id, declaration.page, text, anchors, [block_id for _, block_id in places],
                            name=declaration.display_name)
    for line, (label, block_id) in zip(transcript.lines, places, strict=True):
        if line.role == "title":
            continue  # a heading links no term: its name would carry the link into every list of headings
        where = Occurrence(declaration.page, block_id, label, declaration.id)
        for start, end, kind in text_runs(line):
            if kind == "link":
                continue  # no link inside a link
            for match in matcher.finditer(line.text[start:end]):
                occurrences = record.term_occurrences.setdefault(match.entry_id, [])
                if not occurrences or occurrences[-1].block_id != block_id:
                    occurrences.append(where)
    return record, problems


def document_records(transcripts: Mapping[str, Transcript], by_document: Mapping[str, tuple[Annotation, ...]],
                     matcher: TermMatcher) -> tuple[dict[str, DocumentRecord], list[Problem]]:
    """The record of every declared document (in the order declared), and every problem."""
    texts = {document: document_text(transcript) for document, transcript in transcripts.items()}
    records: dict[str, DocumentRecord] = {}
    problems: list[Problem] = []
    for document, transcript in transcripts.items():
        records[document], found = document_record(transcript, by_document.get(document, ()), matcher, texts)
        problems.extend(found)
    return records, problems


class Edition:
    """The edition computed once from its data, before any page: the record of every declared
    document (its notes anchored, its terms found), the glossary's and the index's matchers,
    and the problems of anchoring. Pages, views, search and exports only read it."""

    def __init__(self, corpus: Corpus, entities: tuple[Entity, ...], transcripts: Mapping[str, Transcript]) -> None:
        self.matcher = TermMatcher(corpus.glossary)
        """The one glossary matcher of the edition."""
        self.mention_matcher = MentionMatcher(entities)
        """The one matcher of the index's mentions."""
        records, problems = document_records(transcripts, corpus.by_document, self.matcher)
        self.documents: Mapping[str, DocumentRecord] = MappingProxyType(records)
        """The record of each declared document, in the order declared."""
        self.problems: tuple[Problem, ...] = tuple(problems)
        """The problems of anchoring the notes."""
        self._mentions = {document: tuple(self.mention_matcher.mentions(record))
                          for document, record in records.items()}

    def mentions(self, record: DocumentRecord) -> tuple[Mention, ...]:
        """Every mention of an entity in a document, in text order."""
        return self._mentions[record.document]
