"""Warnings about data that is valid but probably not what its author meant.

- a word that mixes Latin and Cyrillic letters (a Latin "C" typed inside "СИЗО");
- a glossary form that contains another entry's form, so one hides the other;
- a verified annotation without sources although its type asks for them.

Unused glossary entries are found after rendering (`pages.unused_term_problems`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from edition.problems import Problem, Severity
from edition.vocabulary import ANNOTATION_TYPES

if TYPE_CHECKING:
    from collections.abc import Iterator

    from edition.model import Corpus, Place

WORD = re.compile(r"\w+")
WORD_CHAR = re.compile(r"\w")


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return "Cyrillic" if name.startswith("CYRILLIC") else "Latin" if name.startswith("LATIN") else ""


def mixed_script_words(text: str) -> Iterator[tuple[str, str]]:
    """Each word mixing Latin and Cyrillic letters, with the letters of the minority script."""
    for match in WORD.finditer(text):
        word = match.group()
        if word.isascii():  # no Cyrillic letter: most words of an English text, at no cost
            continue
        scripts = {char: _script(char) for char in word}
        cyrillic = [c for c in word if scripts[c] == "Cyrillic"]
        latin = [c for c in word if scripts[c] == "Latin"]
        if cyrillic and latin:
            minority, name = (latin, "Latin") if len(latin) <= len(cyrillic) else (cyrillic, "Cyrillic")
            yield word, f"{name} {', '.join(dict.fromkeys(minority))}"


def _warning(place: Place, message: str, hint: str) -> Problem:
    return Problem(place.path, place.line, place.col, Severity.WARNING, message, hint)


def lint(corpus: Corpus) -> Iterator[Problem]:
    """Every warning about the corpus, in no particular order."""
    yield from _mixed_scripts(corpus)
    yield from _shadowing(corpus)
    yield from _missing_sources(corpus)


def _mixed_scripts(corpus: Corpus) -> Iterator[Problem]:
    fields: list[tuple[str, Place, str]] = []
    for annotation in corpus.annotations:
        fields += [(getattr(annotation, name), annotation.place_of(name), name)
                   for name in ("quote", "prefix", "suffix") if getattr(annotation, name)]
    for entry in corpus.glossary:
        fields.append((entry.term, entry.place_of("term"), "term"))
        fields += [(alias, entry.place_of("aliases"), "aliases") for alias in entry.aliases]
    for text, place, name in fields:
        for word, letters in mixed_script_words(text):
            yield _warning(place, f"`{name}` word '{word}' mixes Latin and Cyrillic letters ({letters})",
                           "retype the word in one alphabet; lookalike letters never match the text")


def _whole_word_parts(form: str) -> set[str]:
    r"""Every substring of `form` with no word character right before or after it.

    These are exactly the strings `s` for which `(?<!\w)s(?!\w)` matches inside `form`.
    """
    starts = [i for i in range(len(form) + 1) if i == 0 or not WORD_CHAR.match(form[i - 1])]
    ends = [j for j in range(len(form) + 1) if j == len(form) or not WORD_CHAR.match(form[j])]
    return {form[i:j] for i in starts for j in ends if i <= j}


def _shadowing(corpus: Corpus) -> Iterator[Problem]:
    forms = [(form, entry) for entry in corpus.glossary for form in entry.forms]
    # One lookup per whole-word part of each form, instead of one regex per pair of forms.
    where: dict[str, list[int]] = {}
    for index, (form, _) in enumerate(forms):
        where.setdefault(form, []).append(index)
    for form, entry in forms:
        inside = sorted(index for part in _whole_word_parts(form) for index in where.get(part, ()))
        for other_form, other in (forms[index] for index in inside):
            if other is entry or form == other_form:
                continue
            field = "aliases" if form in entry.aliases else "term"
            yield _warning(entry.place_of(field),
                           f"'{form}' ({entry.id}) contains '{other_form}' ({other.id}), so it hides "
                           f"'{other_form}' wherever both match",
                           "the longer form wins; remove one of them if that is not what you want")


def _missing_sources(corpus: Corpus) -> Iterator[Problem]:
    for annotation in corpus.annotations:
        kind = ANNOTATION_TYPES[annotation.type]
        if kind.needs_sources and not annotation.sources and annotation.status == "verified":
            yield _warning(annotation.place_of("sources"), f"{kind.label.lower()} note '{annotation.id}' cites "
                           "no sources", "add `sources:` with publisher, title and date, or mark the note "
                           "`status: unverified` and say why in the body")

