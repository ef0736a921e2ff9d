from __future__ import annotations

import unicodedata

from edition.textnorm import normalize, normalize_plain


def test_plain_collapses_whitespace_and_composes() -> None:
    assert normalize_plain("  СИЗО \n\t detention  ") == "СИЗО detention"
    decomposed = unicodedata.normalize("NFD", "Ёлка")
    assert normalize_plain(decomposed) == "Ёлка"


def test_simple_text_is_not_copied_into_maps() -> None:
    result = normalize("already simple text")
    assert result.text == "already simple text"
    assert result.starts is None
    assert result.raw_span(3, 9) == (3, 9)


def test_maps_point_back_to_raw_characters() -> None:
    raw = "a  b\u00a0\nЕ\u0308ж"
    result = normalize(raw)
    assert result.text == "a b Ёж"
    # "b" is raw index 3; the run "\u00a0\n" becomes one space; "Ё" stands for two raw chars.
    assert result.raw_span(2, 3) == (3, 4)
    assert result.raw_span(3, 4) == (4, 6)
    assert result.raw_span(4, 5) == (6, 8)
    assert raw[slice(*result.raw_span(2, 6))] == "b\u00a0\nЕ\u0308ж"
