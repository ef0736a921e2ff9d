"""Split a text into flat segments, each knowing which spans cover it.

Overlapping and nested annotations cannot be nested HTML elements without breaking or
duplicating text. Instead, every boundary of every span cuts the text, and each piece
between two cuts records the set of spans over it. Pieces never overlap and together
they cover the text exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterable


@dataclass(frozen=True)
class Span:
    """A half-open range `[start, end)` carrying a key (an annotation id)."""

    start: int
    end: int
    key: str


@dataclass(frozen=True)
class Segment:
    """A piece `[start, end)` of the text and the keys of the spans covering all of it."""

    start: int
    end: int
    keys: tuple[str, ...]


def segment(length: int, spans: Iterable[Span]) -> list[Segment]:
    """Cut `[0, length)` at every span boundary; each segment lists its covering keys.

    Keys appear in the order of the spans given. Empty spans are ignored. Segments with
    no keys are included, so the segments always tile the whole text.
    """
    ordered = [span for span in spans if span.start < span.end]
    for span in ordered:
        if not 0 <= span.start < span.end <= length:
            raise ValueError(f"span {span} lies outside a text of length {length}")
    cuts = sorted({0, length, *(s.start for s in ordered), *(s.end for s in ordered)})
    rank: dict[Hashable, int] = {span.key: i for i, span in reversed(list(enumerate(ordered)))}
    starting: dict[int, list[Span]] = {}
    ending: dict[int, list[Span]] = {}
    for span in ordered:
        starting.setdefault(span.start, []).append(span)
        ending.setdefault(span.end, []).append(span)
    active: dict[str, int] = {}
    result: list[Segment] = []
    for left, right in pairwise(cuts):
        for span in ending.get(left, ()):
            active[span.key] -= 1
            if not active[span.key]:
                del active[span.key]
        for span in starting.get(left, ()):
            active[span.key] = active.get(span.key, 0) + 1
        result.append(Segment(left, right, tuple(sorted(active, key=rank.__getitem__))))
    return result
