"""Limits for what can only be a mistake or an attack, each an error with a clear message.

10,000 notes on one word built a 12 MB page that took 50 s to load in a browser. Real use
is far below every limit (README: Limits has this edition's figures).

| what | limit |
|---|---|
| notes over any one passage (overlapping at one character) | `MAX_NOTES_PER_PASSAGE` = 20 |
| notes anchored in one paragraph | `MAX_NOTES_PER_PARAGRAPH` = 100 |
| a document's size: its text and its notes' titles, quotes and bodies | `MAX_PAGE_CHARACTERS` = 2,000,000 |

The page's size is counted on what it shows rather than on its HTML, so that `edition check`
(which renders documents without their endnotes) and the build count the same; its HTML is
a few times larger. Both apply the limits after rendering the documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from edition.problems import Problem, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

    from edition.anchoring import Anchor
    from edition.document import DocumentRecord
    from edition.state import EditionState

MAX_NOTES_PER_PASSAGE = 20
MAX_NOTES_PER_PARAGRAPH = 100
MAX_PAGE_CHARACTERS = 2_000_000


def _deepest(anchors: list[Anchor]) -> tuple[int, Anchor]:
    """How many of `anchors` (of one block) overlap at most at one character, and, of those
    that overlap there, the one written last (by file and line), where a problem is reported."""
    events = sorted([(a.start, 1) for a in anchors] + [(a.end, -1) for a in anchors])
    depth = deepest = 0
    at = anchors[0].start
    for offset, step in events:  # at equal offsets an end (-1) comes before a start (+1)
        depth += step
        if depth > deepest:
            deepest, at = depth, offset
    over = [a for a in anchors if a.start <= at < a.end or a.start == at == a.end]
    place = max(over, key=lambda a: (a.annotation.place.path, a.annotation.place.line))
    return deepest, place


def _document_problems(record: DocumentRecord) -> Iterator[Problem]:
    by_block: dict[int, list[Anchor]] = {}
    for anchor in record.anchors:
        by_block.setdefault(anchor.block, []).append(anchor)
    for block, anchors in sorted(by_block.items()):
        label = record.text.blocks[block].label
        if len(anchors) > MAX_NOTES_PER_PARAGRAPH:
            last = max(anchors, key=lambda a: (a.annotation.place.path, a.annotation.place.line))
            place = last.annotation.place_of("quote")
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"{label} of document '{record.document}' has {len(anchors):,} notes; at most "
                          f"{MAX_NOTES_PER_PARAGRAPH} may be anchored in one paragraph",
                          "merge notes on the same paragraph into fewer notes")
        deepest, over = _deepest(anchors)
        if deepest > MAX_NOTES_PER_PASSAGE:
            place = over.annotation.place_of("quote")
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"{deepest:,} notes overlap on one passage of {label} of document '{record.document}'; "
                          f"at most {MAX_NOTES_PER_PASSAGE} may",
                          "merge notes on the same words into one note")


def page_characters(record: DocumentRecord) -> int:
    """What a document's page shows, in characters: its text and its notes' titles, quotes and bodies."""
    return len(record.text.text) + sum(len(a.annotation.title) + len(a.annotation.quote) + len(a.annotation.body)
                                       for a in record.anchors)


def limit_problems(state: EditionState) -> Iterator[Problem]:
    """An error for each paragraph with too many notes, a passage under too many, and a
    document too large."""
    for record in state.documents.values():
        yield from _document_problems(record)
        size = page_characters(record)
        if size > MAX_PAGE_CHARACTERS:
            path, line = state.options.page_place(record.page, "::: edition-document")
            yield Problem(path, line, 1, Severity.ERROR,
                          f"document '{record.document}' with its notes is {size:,} characters long; at most "
                          f"{MAX_PAGE_CHARACTERS:,} are allowed on one page (a browser takes many seconds to open "
                          "a page that size)",
                          "split the document into several pages, or write fewer and shorter notes")
