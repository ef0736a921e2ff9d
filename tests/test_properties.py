"""Property-based tests: the checker never crashes, whatever a contributor writes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SEED
from edition.anchoring import Anchor, Block, DocumentText, anchor_one
from edition.loading import load_corpus
from edition.model import Annotation, Place
from edition.problems import Problem

SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
DOCUMENT = DocumentText([Block(f"¶{i}", line) for i, line in enumerate(SEED_LINES)])
FIELDS = ["id", "document", "type", "quote", "prefix", "suffix", "occurrence", "title", "body", "sources",
          "author", "status", "confidence", "wikidata", "extra"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                    st.sampled_from(["interview", "context", "Kostanay", "verified", "high", "[x](note:y)"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=4), max_leaves=10)
entries = st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS))
documents = st.one_of(st.lists(entries, max_size=3), values)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_text(text: str | bytes) -> list[Problem]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "annotations").mkdir()
        target = root / "annotations" / "random.yml"
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return list(load_corpus(root / "annotations", FIXTURES / "glossary", root).problems)


@SETTINGS
@given(documents)
def test_random_yaml_structures_never_crash_the_check(data: object) -> None:
    problems = check_text(yaml.safe_dump(data, allow_unicode=True))
    assert all(isinstance(problem, Problem) and problem.line >= 0 for problem in problems)


@SETTINGS
@given(st.text(max_size=300))
def test_random_text_never_crashes_the_check(text: str) -> None:
    for problem in check_text(text):
        assert str(problem).startswith("annotations/random.yml:")


@SETTINGS
@given(st.binary(max_size=200))
def test_random_bytes_never_crash_the_check(data: bytes) -> None:
    for problem in check_text(data):
        assert " — " in str(problem)


@SETTINGS
@given(quote=st.one_of(st.text(max_size=40), st.sampled_from(SEED_LINES).flatmap(
    lambda line: st.tuples(st.integers(0, len(line)), st.integers(0, 40)).map(lambda ab: line[ab[0]:ab[0] + ab[1]]))),
    prefix=st.text(max_size=5), suffix=st.text(max_size=5), occurrence=st.integers(0, 4))
def test_random_quotes_anchor_exactly_once_or_are_explained(quote: str, prefix: str, suffix: str,
                                                           occurrence: int) -> None:
    note = Annotation("n", "interview", "context", quote, "t", "b", "a", "verified", "high",
                      Place("annotations/n.yml", 1), prefix=prefix, suffix=suffix, occurrence=occurrence)
    result = anchor_one(note, DOCUMENT)
    if isinstance(result, Anchor):
        found = DOCUMENT.blocks[result.block].text[result.start:result.end]
        assert " ".join(found.split()) == " ".join(quote.split())
        matches = DOCUMENT.find_all(" ".join(quote.split()))
        assert len(matches) == 1 or prefix or suffix or occurrence, "several matches must never pass silently"
    else:
        assert result.message and result.hint
