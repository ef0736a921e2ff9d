"""Plain-text fields hold plain text: no markup, no invisible characters.

Titles, quotes, names, terms and sources are printed as text on the pages (escaped), but
the exports carry them as they are (W3C `label` and `creator`, SKOS, CSV), where another
program may read them as HTML; and a character nobody can see (a zero-width space, a
right-to-left override that reverses what follows) makes a title, a term or a URL read
differently from what it is. Both come from pull requests by strangers, so both are errors,
each at its field, saying which character or tag it is. Markdown bodies and definitions
are checked for markup elsewhere (`edition.render`); the invisible characters are checked
in them too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial
from typing import TYPE_CHECKING, Any

from edition.problems import Problem, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Iterator

    from edition.entities import Entity
    from edition.model import Annotation, Corpus, DocumentDeclaration, GlossaryEntry, Place, Source

    Remember = Callable[[Hashable, object, Callable[[], tuple[Problem, ...]]], tuple[Problem, ...]]
    """`make()` of an item, remembered under a key from an earlier load with equal inputs
    (`edition.loading.LoadCache.made`)."""

INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
"""Format characters that change how text reads or that nobody sees: soft hyphen, zero-width
spaces and joiners, direction marks, embeddings, overrides and isolates, the BOM."""
MARKUP = re.compile(r"<[A-Za-z/!?][^<>]{0,38}>?")
"""Something that an HTML reader would take for the start of a tag, a comment or a declaration,
closed or not: a `<` right before a letter, `/`, `!` or `?` (`a < b` is text). The match
shows at most 40 characters of it."""
THE_TEXTS_OWN = frozenset({"quote", "prefix", "suffix"})
"""Fields that hold the text's own words: they may hold whatever the text holds (the text's
characters are escaped wherever they are shown, and they must match the text anyway)."""
MULTILINE = frozenset({"body", "definition", "description"})
"""Fields whose value may run over several lines."""


def _field_problems(value: str, place: Place, field: str) -> Iterator[Problem]:
    found = INVISIBLE.search(value)
    if found:
        char = found.group()
        name = unicodedata.name(char, "format character")
        yield Problem(place.path, place.line, place.col, Severity.ERROR,
                      f"`{field}` contains an invisible character, U+{ord(char):04X} {name}",
                      "delete it (retype the text around it if you cannot see where it is)")
    if field in MULTILINE:
        return
    tag = None if field in THE_TEXTS_OWN else MARKUP.search(value)
    if tag:
        yield Problem(place.path, place.line, place.col, Severity.ERROR,
                      f"`{field}` contains markup '{tag.group()}'",
                      "write plain text: this field is shown as it is written, never as HTML; "
                      "write '< ' (with a space) for a less-than sign")
    if "\n" in value:
        yield Problem(place.path, place.line, place.col, Severity.ERROR, f"`{field}` runs over more than one line",
                      "write it on one line (without `|` or `>`)")


def _sources(sources: Iterable[Source], place: Place) -> Iterator[Problem]:
    for source in sources:
        for name in ("title", "publisher", "date", "url", "note"):
            yield from _field_problems(getattr(source, name), place, f"sources: {name}")


def _declarations(documents: Iterable[DocumentDeclaration]) -> Iterator[Problem]:
    for document in documents:
        if document.name:
            yield from _field_problems(document.name, document.place_of("name"), "name")
        for speaker in document.speakers:
            for name in ("name", "description"):
                value = getattr(speaker, name)
                if value:
                    yield from _field_problems(value, document.place_of("speakers"), f"speakers: {name}")
        if document.original is not None:
            for name, value in document.original.fields():
                yield from _field_problems(value, document.place_of(f"original.{name}"), f"original: {name}")


def plain_text_problems(corpus: Corpus, entities: Iterable[Entity] = (),
                        documents: Iterable[DocumentDeclaration] = (), remember: Remember | None = None
                        ) -> Iterator[Problem]:
    """Every plain-text field with markup, an invisible character or a line break; and every
    Markdown field with an invisible character. With `remember` (`mkdocs serve`), an item
    whose values and places equal an earlier load's is not checked again."""
    yield from _declarations(documents)
    items: list[tuple[Annotation | GlossaryEntry | Entity, Callable[[Any], Iterator[Problem]]]] = [
        *((note, _note_problems) for note in corpus.annotations),
        *((entry, _entry_problems) for entry in corpus.glossary),
        *((entity, _entity_problems) for entity in entities)]
    for item, problems in items:
        if remember is None:
            yield from problems(item)
        else:  # the places too: equal items may sit on other lines (`field_places` is not compared)
            places = getattr(item, "field_places", None)
            yield from remember(("plain text", type(item).__name__, item.place), (item, places),
                                partial(_as_tuple, problems, item))


def _as_tuple(problems: Callable[[Any], Iterator[Problem]], item: object) -> tuple[Problem, ...]:
    return tuple(problems(item))


def _note_problems(note: Annotation) -> Iterator[Problem]:
    for name in ("id", "title", "quote", "prefix", "suffix", "author", "body"):
        yield from _field_problems(getattr(note, name), note.place_of(name), name)
    yield from _sources(note.sources, note.place_of("sources"))


def _entry_problems(entry: GlossaryEntry) -> Iterator[Problem]:
    for name in ("id", "term", "full", "translation", "translit", "definition"):
        yield from _field_problems(getattr(entry, name), entry.place_of(name), name)
    for alias in entry.aliases:
        yield from _field_problems(alias, entry.place_of("aliases"), "aliases")
    if entry.kazakh is not None:
        yield from _field_problems(entry.kazakh.full, entry.place_of("kazakh"), "kazakh: full")
        yield from _field_problems(entry.kazakh.abbr, entry.place_of("kazakh"), "kazakh: abbr")
    yield from _sources(entry.sources, entry.place_of("sources"))


def _entity_problems(entity: Entity) -> Iterator[Problem]:
    for name in ("id", "name", "description"):
        yield from _field_problems(getattr(entity, name), entity.place, name)
    for mention in entity.mentions:
        yield from _field_problems(mention, entity.place, "mentions")
