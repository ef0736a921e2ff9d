from __future__ import annotations

import pytest

from edition.anchoring import Anchor, Block, DocumentText, anchor_one
from edition.model import Annotation, Place
from edition.problems import Problem

TEXT = DocumentText([
    Block("title", "A title about the KNB"),
    Block("¶1", "The KNB arrested him. Later  the KNB\u00a0released him."),
    Block("¶2", "Nobody knows why the KNB did it."),
])


def note(quote: str, **fields: object) -> Annotation:
    values: dict[str, object] = {
        "id": "n", "document": "interview", "type": "context", "quote": quote, "title": "t",
        "body": "b", "author": "a", "status": "verified", "confidence": "high",
        "place": Place("annotations/a.yml", 3),
        "field_places": {"quote": Place("annotations/a.yml", 7, 5)},
    }
    values.update(fields)
    return Annotation(**values)  # type: ignore[arg-type]


def anchored(quote: str, **fields: object) -> Anchor:
    result = anchor_one(note(quote, **fields), TEXT)
    assert isinstance(result, Anchor), str(result)
    return result


def failed(quote: str, **fields: object) -> Problem:
    result = anchor_one(note(quote, **fields), TEXT)
    assert isinstance(result, Problem), result
    return result


def test_unique_quote_anchors_with_raw_offsets() -> None:
    found = anchored("arrested him")
    assert (found.block, found.start, found.end) == (1, 8, 20)
    assert TEXT.raw[found.doc_start:found.doc_end] == "arrested him"


def test_whitespace_in_text_and_quote_is_normalised() -> None:
    found = anchored("Later the\nKNB released")
    assert TEXT.blocks[1].text[found.start:found.end] == "Later  the KNB\u00a0released"


def test_ambiguous_quote_fails_and_offers_each_disambiguation() -> None:
    problem = failed("the KNB")
    assert (problem.path, problem.line, problem.col) == ("annotations/a.yml", 7, 5)
    assert "matches 3 places" in problem.message
    assert "title" in problem.hint and "¶1" in problem.hint and "¶2" in problem.hint
    assert 'suffix: "did"' in problem.hint or 'prefix: "why"' in problem.hint


@pytest.mark.parametrize(("fields", "block"), [
    ({"occurrence": 3}, 2),
    ({"prefix": "why"}, 2),
    ({"suffix": " released"}, 1),
    ({"prefix": "about", "suffix": ""}, 0),
])
def test_prefix_suffix_and_occurrence_disambiguate(fields: dict[str, object], block: int) -> None:
    assert anchored("the KNB", **fields).block == block


def test_missing_quote_names_the_nearest_passages() -> None:
    problem = failed("the KNB arested him")
    assert "is not in document 'interview'" in problem.message
    assert "nearest: ¶1" in problem.hint


def test_occurrence_out_of_range() -> None:
    problem = failed("the KNB", occurrence=9)
    assert "matches only 3 time(s)" in problem.message
    assert "from 1 to 3" in problem.hint


def test_prefix_that_never_precedes_the_quote() -> None:
    problem = failed("the KNB", prefix="somebody")
    assert "never with this prefix/suffix" in problem.message


def test_quote_cannot_cross_blocks() -> None:
    assert "is not in document" in failed("released him. Nobody").message


def test_shortest_context_picks_the_shortest_unique_words() -> None:
    candidates = TEXT.find_all("the KNB")
    assert TEXT.shortest_context("the KNB", candidates, 2) in {("why", ""), ("", "did")}
