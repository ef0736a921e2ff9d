"""The declared documents as the edition knows them, computed once from their text, before
any page is rendered: each block with its label and id, every note anchored, and every
place a glossary term occurs.

Pages, the list of notes, the glossary's back-references, the index, the search and the
exports read these records; none of them depends on the order in which pages are rendered,
or on pages being rendered at all (`edition check`, a generator that runs no hooks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.anchoring import Block, DocumentText, anchor_annotations
from edition.document import DocumentRecord, Occurrence
from edition.entities import MentionMatcher
from edition.terms import TermMatcher, matcher_inputs
from edition.transcript import text_runs

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from edition.entities import Entity, Mention
    from edition.model import Annotation, Corpus
    from edition.problems import Problem
    from edition.transcript import Transcript

    Computed = tuple[tuple[Annotation, ...], DocumentRecord, tuple[Problem, ...], tuple[Mention, ...]]
    """A document's notes, and the record, problems and mentions computed from them."""


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


@dataclass
class RecordCache:
    """The records an earlier `Edition` of this process computed, with what each was computed
    from, so that a rebuild under `mkdocs serve` computes again only the records an edit
    changed (at N = 200 pages, one note edited: one record instead of 200).

    A record is a function of its document's notes and text, the glossary's forms (where its
    terms occur: not their translations), the index, and the other documents' texts (where a
    quote not found is looked for). All but the notes are compared once for the whole
    edition: if any differs, nothing is taken; else a document's record is taken when its
    notes are the same.
    """

    shared: object = None
    """The glossary's forms, the index and every document's text, as of the last `Edition`."""
    records: dict[str, Computed] = field(default_factory=dict)
    """By document: what was computed of it, and from what."""
    texts: dict[str, tuple[Transcript, DocumentText]] = field(default_factory=dict)
    """By document: its text as the anchoring reads it, and the transcript it was read from."""


class Edition:
    """The edition computed once from its data, before any page: the record of every declared
    document (its notes anchored, its terms found), the glossary's and the index's matchers,
    and the problems of anchoring. Pages, views, search and exports only read it."""

    def __init__(self, corpus: Corpus, entities: tuple[Entity, ...], transcripts: Mapping[str, Transcript],
                 cache: RecordCache | None = None) -> None:
        self.matcher = TermMatcher(corpus.glossary)
        """The one glossary matcher of the edition."""
        self.mention_matcher = MentionMatcher(entities)
        """The one matcher of the index's mentions."""
        shared = (matcher_inputs(corpus.glossary), entities, tuple(transcripts.items()))
        kept = cache.records if cache is not None and cache.shared == shared else {}
        texts: dict[str, DocumentText] | None = None
        records: dict[str, DocumentRecord] = {}
        problems: list[Problem] = []
        self._mentions: dict[str, tuple[Mention, ...]] = {}
        made: dict[str, Computed] = {}
        for document, transcript in transcripts.items():
            notes = corpus.by_document.get(document, ())
            before = kept.get(document)
            if before is not None and before[0] == notes:  # its text is in `shared`
                made[document] = before
            else:
                if texts is None:
                    texts = _texts(transcripts, cache)
                record, found = document_record(transcript, notes, self.matcher, texts)
                made[document] = (notes, record, tuple(found), tuple(self.mention_matcher.mentions(record)))
            _, records[document], found_problems, self._mentions[document] = made[document]
            problems.extend(found_problems)
        if cache is not None:
            cache.shared, cache.records = shared, made
        self.documents: Mapping[str, DocumentRecord] = MappingProxyType(records)
        """The record of each declared document, in the order declared."""
        self.problems: tuple[Problem, ...] = tuple(problems)
        """The problems of anchoring the notes."""

    def mentions(self, record: DocumentRecord) -> tuple[Mention, ...]:
        """Every mention of an entity in a document, in text order."""
        return self._mentions[record.document]


def _texts(transcripts: Mapping[str, Transcript], cache: RecordCache | None) -> dict[str, DocumentText]:
    """Every document's text as the anchoring reads it; with a `cache`, a transcript read
    before (the same object, `edition.loading.LoadCache`) keeps the text made of it."""
    kept = cache.texts if cache is not None else {}
    made = {name: before if (before := kept.get(name)) is not None and before[0] is transcript
            else (transcript, document_text(transcript)) for name, transcript in transcripts.items()}
    if cache is not None:
        cache.texts = made
    return {name: text for name, (_, text) in made.items()}
