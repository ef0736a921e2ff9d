"""Anchor annotations to the text a reader sees, strictly: one quote, one place.

A document is a sequence of blocks (the title and the paragraphs), each with the plain
text the reader sees. The quote is matched on normalised text (NFC, whitespace collapsed)
and must fall inside one block. It must match exactly one place once `prefix`, `suffix`
and `occurrence` are applied; anything else is an error that names the candidates, so
an annotation never silently lands on a lookalike passage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from edition.problems import Problem, Severity
from edition.textnorm import NormalizedText, normalize, normalize_plain

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from edition.model import Annotation

CONTEXT_CHARS = 32
MAX_OPTIONS = 5
"""Places of an ambiguous quote spelled out in its message (the message stays one readable line)."""
"""Length of the prefix and suffix kept for W3C TextQuoteSelectors."""


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a document: its label for people (¶12, or 'title') and its text."""

    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation landed: a block, and raw offsets within it and the document."""

    annotation: Annotation
    block: int
    start: int
    end: int
    doc_start: int
    """Start in the document text (blocks joined by newlines), in code points."""
    doc_end: int


@dataclass(frozen=True, slots=True)
class Placement:
    """How a note singles out one place its quote matches: the fields it writes for it.

    One of `prefix` and `suffix` (the shortest whole words that suffice), else `occurrence`;
    all empty when the quote matches only that place.
    """

    prefix: str = ""
    suffix: str = ""
    occurrence: int | None = None

    def fields(self) -> dict[str, str | int]:
        """The note's fields that say it: `{"prefix": …}`, `{"suffix": …}`, `{"occurrence": N}` or `{}`."""
        found: dict[str, str | int] = {"prefix": self.prefix, "suffix": self.suffix}
        if self.occurrence is not None:
            found["occurrence"] = self.occurrence
        return {name: value for name, value in found.items() if value}

    def written(self) -> list[str]:
        """The fields as a note's YAML writes them, one a line (`suffix: "also"`)."""
        return [f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in self.fields().items()]

    def __str__(self) -> str:
        """The fields as a note writes them, for messages."""
        return "; ".join(self.written())


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a quote matched, as normalised offsets into the document text."""

    block: int
    start: int
    end: int


class DocumentText:
    """The text of a document's blocks, raw and normalised, with offsets between them."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = tuple(blocks)
        self.normalized = tuple(normalize(block.text) for block in self.blocks)
        self.raw_offsets: list[int] = []
        self.norm_offsets: list[int] = []
        raw_pos = norm_pos = 0
        for block, norm in zip(self.blocks, self.normalized, strict=True):
            self.raw_offsets.append(raw_pos)
            self.norm_offsets.append(norm_pos)
            raw_pos += len(block.text) + 1
            norm_pos += len(norm.text) + 1

    @cached_property
    def raw(self) -> str:
        """The document's text as the reader sees it: blocks joined by newlines."""
        return "\n".join(block.text for block in self.blocks)

    @cached_property
    def text(self) -> str:
        """The normalised document text; a newline separates blocks."""
        return "\n".join(norm.text for norm in self.normalized)

    def block_at(self, norm_pos: int) -> int:
        """The index of the block containing normalised position `norm_pos`."""
        lo, hi = 0, len(self.norm_offsets) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.norm_offsets[mid] <= norm_pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def find_all(self, quote: str, *, inside_words: bool = False) -> list[Candidate]:
        """Every place the normalised `quote` occurs within a single block.

        A quote is words of the text: a place where it would begin or end inside a word
        ("Kazakhstan" in "Kazakhstani") is not one of them, unless `inside_words`.
        """
        found: list[Candidate] = []
        if not quote:
            return found
        text = self.text
        pos = text.find(quote)
        while pos != -1:
            end = pos + len(quote)
            if inside_words or (at_word_edge(text, pos) and at_word_edge(text, end)):
                found.append(Candidate(self.block_at(pos), pos, end))
            pos = text.find(quote, pos + 1)
        return found

    def anchor_of(self, annotation: Annotation, candidate: Candidate) -> Anchor:
        """The raw-offset anchor for a normalised candidate."""
        base = self.norm_offsets[candidate.block]
        norm: NormalizedText = self.normalized[candidate.block]
        start, end = norm.raw_span(candidate.start - base, candidate.end - base)
        raw_base = self.raw_offsets[candidate.block]
        return Anchor(annotation, candidate.block, start, end, raw_base + start, raw_base + end)

    def excerpt(self, candidate: Candidate, width: int = 24) -> str:
        """A short excerpt around a candidate, on one line, for messages."""
        base = self.norm_offsets[candidate.block]
        line = self.normalized[candidate.block].text
        start, end = candidate.start - base, candidate.end - base
        left = max(0, start - width)
        right = min(len(line), end + width)
        return ("…" if left else "") + line[left:right] + ("…" if right < len(line) else "")

    def nearest(self, quote: str, limit: int = 3) -> list[tuple[Candidate, float]]:
        """The passages most like `quote`, best first, for 'not found' messages."""
        scored: list[tuple[Candidate, float]] = []
        for index, norm in enumerate(self.normalized):
            if not norm.text:
                continue
            alignment = fuzz.partial_ratio_alignment(quote, norm.text)
            if alignment is None or alignment.score < 70:
                continue
            base = self.norm_offsets[index]
            start, end = alignment.dest_start, alignment.dest_end
            while start > 0 and not at_word_edge(norm.text, start):  # never cut a word in a suggestion
                start -= 1
            while end < len(norm.text) and not at_word_edge(norm.text, end):
                end += 1
            scored.append((Candidate(index, base + start, base + end), alignment.score))
        scored.sort(key=lambda pair: (-pair[1], pair[0].start))
        return scored[:limit]

    def option(self, quote: str, candidates: Sequence[Candidate], index: int) -> str:
        """One of the places a quote matches, and how a note says it means that one, as messages
        show it: `¶11 “…a group of "Tolkien fans" — people…” → suffix: "also"`."""
        candidate = candidates[index]
        return (f"{self.blocks[candidate.block].label} “{self.excerpt(candidate, 16)}” "
                f"→ {self.placement(quote, candidates, index)}")

    def nearest_passages(self, quote: str) -> list[str]:
        """The passages most like `quote` (`nearest`), each as messages show it: `¶6 “…” (96%)`."""
        return [f"{self.blocks[c.block].label} “{self.text[c.start:c.end]}” ({score:.0f}%)"
                for c, score in self.nearest(quote)]

    def context(self, candidate: Candidate) -> tuple[str, str]:
        """Up to `CONTEXT_CHARS` of normalised text before and after a candidate, within the document."""
        text = self.text
        return (text[max(0, candidate.start - CONTEXT_CHARS): candidate.start],
                text[candidate.end: candidate.end + CONTEXT_CHARS])

    def shortest_context(self, quote: str, candidates: Sequence[Candidate], index: int) -> tuple[str, str]:
        """The shortest whole-word prefix or suffix that singles out `candidates[index]`.

        Returns `(prefix, "")` or `("", suffix)`, whichever is shorter; `("", "")` if
        neither can (identical contexts up to the block's ends).
        """
        target = candidates[index]
        text = self.text
        best: tuple[str, str] = ("", "")
        for side in ("prefix", "suffix"):
            block_start = self.norm_offsets[target.block]
            block_end = block_start + len(self.normalized[target.block].text)
            for size in range(1, 200):
                lo, hi = ((max(block_start, target.start - size), target.start) if side == "prefix"
                          else (target.end, min(block_end, target.end + size)))
                context = text[lo:hi]
                if len(context) < size:
                    break
                if not _whole_words(text, lo, hi, block_start, block_end):
                    continue
                matching = [c for c in candidates if _touches(text, c, side, context.strip())]
                if matching == [target]:
                    context = context.strip()
                    if not any(best) or len(context) < len(best[0] or best[1]):
                        best = (context, "") if side == "prefix" else ("", context)
                    break
        return best

    def placement(self, quote: str, candidates: Sequence[Candidate], index: int) -> Placement:
        """How a note on `candidates[index]` (every place the normalised `quote` matches) says which
        place it means: the shortest prefix or suffix (`shortest_context`), else its occurrence."""
        if len(candidates) == 1:
            return Placement()
        prefix, suffix = self.shortest_context(quote, candidates, index)
        return Placement(prefix, suffix, None if prefix or suffix else index + 1)


def at_word_edge(text: str, pos: int) -> bool:
    """Whether `pos` is not inside a word of `text` (letters or digits on both sides)."""
    return pos <= 0 or pos >= len(text) or not (text[pos - 1].isalnum() and text[pos].isalnum())


def _whole_words(text: str, lo: int, hi: int, block_start: int, block_end: int) -> bool:
    """Whether `text[lo:hi]` starts and ends at word edges (or at the block's edges)."""
    starts_clean = lo == block_start or not (text[lo - 1].isalnum() and text[lo].isalnum())
    ends_clean = hi == block_end or not (text[hi - 1].isalnum() and text[hi].isalnum())
    return starts_clean and ends_clean and bool(text[lo:hi].strip())


def anchor_annotations(annotations: Iterable[Annotation], document: DocumentText,
                       others: Mapping[str, DocumentText] | None = None) -> tuple[list[Anchor], list[Problem]]:
    """Anchor each annotation in `document`; return the anchors and the failures. A quote not
    found is looked for in the `others` documents (by id), to say where it is."""
    anchors: list[Anchor] = []
    problems: list[Problem] = []
    for annotation in annotations:
        result = anchor_one(annotation, document, others)
        if isinstance(result, Anchor):
            anchors.append(result)
        else:
            problems.append(result)
    return anchors, problems


def _not_found(annotation: Annotation, quote: str, document: DocumentText, others: Mapping[str, DocumentText],
               problem: Callable[..., Problem]) -> Problem:
    """Why `quote` is not found in `document`: inside longer words, in another document, or
    not at all (with the nearest passages)."""
    inside = document.find_all(quote, inside_words=True)
    if inside:
        shown = "; ".join(f"{document.blocks[c.block].label} “{document.excerpt(c, 12)}”" for c in inside[:3])
        return problem(f"quote “{_short(quote)}” occurs only inside longer words ({shown})",
                       "quote whole words, as they are written in the text")
    found = next(((other, text, in_other) for other, text in others.items()
                  if other != annotation.document and (in_other := text.find_all(quote))), None)
    if found is not None:  # the first document that has it: the others are not searched
        other, text, in_other = found
        return problem(f"quote “{_short(quote)}” is not in document '{annotation.document}', but it is in "
                       f"document '{other}' ({', '.join(text.blocks[c.block].label for c in in_other[:3])})",
                       f"set `document: {other}` if the note is about that text; else copy the exact words "
                       f"from '{annotation.document}'", "document")
    nearest = document.nearest_passages(quote)
    if nearest:
        hint = f"copy the exact words from the text; nearest: {'; '.join(nearest)}"
    else:
        hint = "copy the exact words from the text (nothing similar was found)"
    return problem(f"quote “{_short(quote)}” is not in document '{annotation.document}'", hint)


def anchor_one(annotation: Annotation, document: DocumentText,
               others: Mapping[str, DocumentText] | None = None) -> Anchor | Problem:
    """Anchor one annotation, or explain why it cannot be anchored (naming the `others`
    documents, by id, that hold a quote this one does not)."""
    quote = normalize_plain(annotation.quote)
    matches = document.find_all(quote)
    place = annotation.place_of("quote")

    def problem(message: str, hint: str, at: str = "quote") -> Problem:
        where = annotation.place_of(at) if at != "quote" else place
        return Problem(where.path, where.line, where.col, Severity.ERROR, message, hint)

    def labels(candidates: Sequence[Candidate]) -> str:
        return ", ".join(document.blocks[c.block].label for c in candidates)

    if not matches:
        return _not_found(annotation, quote, document, others or {}, problem)

    filtered = matches
    if annotation.prefix:
        prefix = normalize_plain(annotation.prefix)
        filtered = [c for c in filtered if _touches(document.text, c, "prefix", prefix)]
    if annotation.suffix:
        suffix = normalize_plain(annotation.suffix)
        filtered = [c for c in filtered if _touches(document.text, c, "suffix", suffix)]
    if not filtered:
        return problem(f"quote “{_short(quote)}” occurs at {labels(matches)}, but never with this "
                       "prefix/suffix", "copy the prefix/suffix exactly from the text right before/after "
                       "the quote", "prefix" if annotation.prefix else "suffix")
    if annotation.occurrence:
        if annotation.occurrence > len(filtered):
            return problem(f"`occurrence: {annotation.occurrence}` but the quote matches only "
                           f"{len(filtered)} time(s) ({labels(filtered)})",
                           f"use a number from 1 to {len(filtered)}", "occurrence")
        filtered = [filtered[annotation.occurrence - 1]]
    if len(filtered) > 1:
        options = [document.option(quote, filtered, index) for index in range(min(len(filtered), MAX_OPTIONS))]
        more = len(filtered) - MAX_OPTIONS
        if more > 0:
            options.append(f"or, for one of the {more} others, `occurrence:` with its number "
                           f"({MAX_OPTIONS + 1} to {len(filtered)}, in text order), or a longer quote")
        return problem(f"quote “{_short(quote)}” matches {len(filtered)} places",
                       "say which one by adding one of: " + "; ".join(options))
    return document.anchor_of(annotation, filtered[0])


def _touches(text: str, candidate: Candidate, side: str, context: str) -> bool:
    """Whether `context` is right before (prefix) or after (suffix) a candidate.

    Normalised prefixes and suffixes lose their edge spaces, so one space at the join is
    allowed.
    """
    if side == "prefix":
        return text[max(0, candidate.start - len(context) - 1): candidate.start].rstrip(" ").endswith(context)
    return text[candidate.end: candidate.end + len(context) + 1].lstrip(" ").startswith(context)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
