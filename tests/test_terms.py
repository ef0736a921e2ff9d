from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from edition.model import GlossaryEntry, Place
from edition.terms import FormMatcher, TermMatcher


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


def test_a_form_starting_inside_a_rejected_match_is_still_found() -> None:
    # "на чемоданах" begins inside "дона": refused; "чемоданах" inside that same match is a word.
    assert found("дона чемоданах") == [("чемоданах", "chemodany")]


FORMS = ("ab", "ab c", "b", "b c", "c", "a-b", "-b", "ы", "ыы ы")


@given(st.text(alphabet="abcы -_.1", max_size=40))
def test_matches_are_those_of_the_pattern_with_a_look_behind(text: str) -> None:
    # The reference: the same trie with `(?<!\w)` in front, which the matcher leaves out for speed.
    matcher = FormMatcher((form, form) for form in FORMS)
    assert matcher.pattern is not None
    reference = re.compile(r"(?<!\w)" + matcher.pattern.pattern)
    assert [(m.start, m.end) for m in matcher.finditer(text)] == [m.span() for m in reference.finditer(text)]
