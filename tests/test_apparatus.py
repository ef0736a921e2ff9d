"""The scholarly apparatus of the interview: coverage of the glossary, balance of the notes."""

from __future__ import annotations

import re

from conftest import ROOT, SEED
from edition.loading import load_corpus
from edition.vocabulary import ANNOTATION_TYPES

CORPUS = load_corpus(ROOT / "annotations", ROOT / "glossary", ROOT).corpus
TEXT = SEED.read_text(encoding="utf-8")
LATIN_RUSSIAN = {"ODKB", "EAES", "Mir", "Maidan"}
"""Russian words and abbreviations the text writes in Latin letters, kept by hand."""


def forms() -> set[str]:
    return {form for entry in CORPUS.glossary for form in entry.forms}


def test_every_cyrillic_word_and_abbreviation_is_in_the_glossary() -> None:
    words = re.findall(r"[\u0400-\u04ff]+(?:[ -][\u0400-\u04ff]+)*", TEXT)
    assert words
    known = forms()
    missing = [w for w in words if w not in known and not all(part in known for part in w.split())]
    assert not missing, missing


def test_latin_spellings_of_russian_terms_are_in_the_glossary() -> None:
    for word in LATIN_RUSSIAN:
        assert re.search(rf"(?<!\w){word}(?!\w)", TEXT), f"{word} is not in the text any more"
    assert forms() >= LATIN_RUSSIAN


def test_the_issue_names_each_required_term() -> None:
    required = {"СИЗО", "КНБ", "ФСБ", "ОДКБ", "ЕАЭС", "СВО", "КНДР", "БАМ", "Магнитка", "МИР", "Майдан",
                "ботофермы", "на чемоданах"}
    assert required <= {entry.term for entry in CORPUS.glossary} | forms()
    knb = CORPUS.terms["knb"]
    assert knb.kazakh is not None and knb.kazakh.abbr


def test_scale_and_balance_of_the_apparatus() -> None:
    assert len(CORPUS.annotations) >= 50
    assert len(CORPUS.glossary) >= 25
    kinds = {a.type for a in CORPUS.annotations}
    assert {"correction", "translation", "context", "speaker"} <= kinds <= set(ANNOTATION_TYPES)
    speakers = [a for a in CORPUS.annotations if a.type == "speaker"]
    assert len(speakers) == 10, "each unlabelled em-dash turn is attributed"
    assert any(a.status == "unverified" for a in CORPUS.annotations)


def test_every_factual_note_cites_a_source_or_says_it_is_unverified() -> None:
    for annotation in CORPUS.annotations:
        if ANNOTATION_TYPES[annotation.type].needs_sources:
            assert annotation.sources or annotation.status == "unverified", annotation.id
