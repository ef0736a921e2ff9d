from __future__ import annotations

import pytest

from edition.segments import Segment, Span, segment


def test_overlap_and_nesting_become_flat_segments() -> None:
    result = segment(10, [Span(0, 6, "outer"), Span(3, 9, "cross"), Span(4, 5, "inner")])
    assert result == [
        Segment(0, 3, ("outer",)),
        Segment(3, 4, ("outer", "cross")),
        Segment(4, 5, ("outer", "cross", "inner")),
        Segment(5, 6, ("outer", "cross")),
        Segment(6, 9, ("cross",)),
        Segment(9, 10, ()),
    ]


def test_segments_tile_the_text_exactly_once() -> None:
    spans = [Span(2, 4, "a"), Span(4, 7, "b"), Span(2, 7, "c"), Span(5, 5, "empty")]
    result = segment(8, spans)
    assert [s.start for s in result] == [0, 2, 4, 7]
    assert [s.end for s in result] == [2, 4, 7, 8]
    assert result[1].keys == ("a", "c")
    assert result[2].keys == ("b", "c")


def test_same_key_twice_stays_listed_once() -> None:
    assert segment(4, [Span(0, 3, "x"), Span(1, 4, "x")])[1] == Segment(1, 3, ("x",))


def test_span_outside_text_is_rejected() -> None:
    with pytest.raises(ValueError, match="outside"):
        segment(3, [Span(1, 5, "x")])
