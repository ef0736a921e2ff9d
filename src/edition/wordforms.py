"""Inflected forms of the Russian words of a glossary entry, for the search.

Material's search has no Russian stemming: a reader who types «патрулей» or «изолятора»
would not find the entries «языковые патрули» and «следственный изолятор». The glossary's
search entries therefore also hold every form of each Cyrillic word of the term, its full
form and its aliases, as `pymorphy3` (with the OpenCorpora dictionary) inflects the word's
most likely reading. Words are inflected one by one, not as phrases: the list is for
finding, and is shown only in search results, never on the page as if it were edited text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

import pymorphy3

if TYPE_CHECKING:
    from collections.abc import Iterable

CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+(?:-[\u0400-\u04ff]+)*")
PARENTHESES = re.compile(r"\([^()]*\)")
SKIPPED_GRAMMEMES = frozenset({"COMP", "Cmp2", "Supr"})
"""Comparatives and superlatives (языковее, поязыковее): other words, as a reader sees them."""
NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
"""A capitalised word is read as a name where the dictionary allows (Юрицын: a surname)."""
SURNAME_MODELS = {"ов": "иванов", "ев": "сергеев", "ёв": "королёв", "ин": "пушкин", "ын": "птицын"}
"""Surnames the dictionary knows, by ending: a capitalised word with one of these endings
that the dictionary cannot read as a surname (Толегенов, which it takes for a genitive
plural; Тулегенов, a first name's) also gets the forms of the model with its own stem
(Толегенова, Толегеновым…). A place name so ending (Киев) gets a few forms more, which
only help a search find it."""


@cache
def _analyzer() -> pymorphy3.MorphAnalyzer:
    """The analyzer, made on first use (it reads its dictionary: about 0.07 s) and kept."""
    return pymorphy3.MorphAnalyzer(lang="ru")


@cache
def _forms(word: str) -> tuple[str, ...]:
    """The forms of `word` (as written) in its most likely reading, of the same part of speech
    (no short adjectives for a full one); none for an abbreviation (СИЗО, ЧВК)."""
    if len(word) > 1 and word.isupper():
        return ()
    parses = _analyzer().parse(word.lower())
    names = [parse for parse in parses if NAME_GRAMMEMES & parse.tag.grammemes] if word[0].isupper() else []
    parse = (names or parses)[0]
    forms = tuple(form.word for form in parse.lexeme
                  if form.tag.POS == parse.tag.POS and not SKIPPED_GRAMMEMES & form.tag.grammemes)
    unknown_surname = word[0].isupper() and not any("Surn" in name.tag.grammemes for name in names)
    model = SURNAME_MODELS.get(word[-2:].lower()) if unknown_surname else None
    return forms if model is None else forms + _like(word.lower(), model)


@cache
def _surname_endings(model: str) -> tuple[str, ...]:
    """The endings of the surname `model` in its forms (иванов: -ов, -ова, -ову, -овым…)."""
    parse = next(parse for parse in _analyzer().parse(model) if "Surn" in parse.tag.grammemes)
    stem = model[:-2]
    return tuple(sorted({form.word[len(stem):] for form in parse.lexeme if form.word.startswith(stem)}))


def _like(word: str, model: str) -> tuple[str, ...]:
    """`word` inflected as the surname `model`, which has the same ending."""
    return tuple(word[:-2] + ending for ending in _surname_endings(model))


def glossary_word_forms(entries: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, list[str]]:
    """`word_forms` of each (entry id, its term and other forms), for another process to make."""
    return {entry_id: word_forms(texts) for entry_id, texts in entries}


def word_forms(texts: Iterable[str]) -> list[str]:
    """The inflected forms of the Cyrillic words in `texts`, in lower case and alphabetical
    order, without the words `texts` already hold. Words in parentheses are left out: they
    explain the term («голод 1932–1933 годов»), and their forms (год, лет) would make common
    words find it."""
    written = {word for text in texts for word in CYRILLIC_WORD.findall(PARENTHESES.sub(" ", text))}
    words = {word.lower() for word in written}
    return sorted({form for word in written for form in _forms(word)} - words)
