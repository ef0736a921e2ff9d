from __future__ import annotations

from edition.model import GlossaryEntry, Place
from edition.terms import TermMatcher


def entry(entry_id: str, term: str, *aliases: str) -> GlossaryEntry:
    return GlossaryEntry(entry_id, term, "full", "translation", "translit", "definition",
                         Place("glossary/x.yml", 1), aliases=aliases)


MATCHER = TermMatcher([
    entry("sizo", "СИЗО"),
    entry("knb", "КНБ"),
    entry("chemodan", "на чемоданах"),
    entry("chemodany", "чемоданах"),
    entry("eaes", "ЕАЭС", "EAES"),
    entry("mir", "МИР", "Mir"),
])


def found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.entry_id) for m in MATCHER.finditer(text)]


def test_longest_form_wins_over_a_form_inside_it() -> None:
    assert found("people «на чемоданах» and чемоданах") == [("на чемоданах", "chemodan"),
                                                            ("чемоданах", "chemodany")]


def test_whole_words_only_in_cyrillic_and_latin() -> None:
    assert found("КНБ-шники, СИЗОшный, (КНБ), EAESX, Mirror, Mir.") == [("КНБ", "knb"), ("КНБ", "knb"),
                                                                     ("Mir", "mir")]


def test_case_sensitive_so_aliases_list_other_forms() -> None:
    assert found("сизо mir МИР") == [("МИР", "mir")]


def test_no_entries_means_no_matches() -> None:
    assert list(TermMatcher([]).finditer("СИЗО")) == []
