"""Validated, immutable values: what the YAML files become once loaded.

Nothing downstream of `loading` ever sees raw YAML; it sees these frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value came from: a file and a 1-based line and column."""

    path: str
    line: int
    col: int = 1
    literal: bool = False
    """Whether this is where a YAML literal block (`|`) starts: line n of its text (from 0) is
    then line `line + n` of the file, indented to `col` (see `within`)."""

    def within(self, line: int, col: int) -> Place:
        """The place of line `line`, column `col` (both from 0) of the text that starts here.

        Exact in a literal block, whose lines are the file's lines; in any other value (a
        quoted or folded one, whose lines and escapes differ from the file's), this place.
        """
        if not self.literal:
            return Place(self.path, self.line, self.col)
        return Place(self.path, self.line + line, self.col + col)


@dataclass(frozen=True, slots=True)
class Source:
    """A cited source."""

    title: str
    publisher: str = ""
    date: str = ""
    url: str = ""
    note: str = ""
    accessed: str = ""
    """When the page at `url` was last seen (YYYY-MM-DD)."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """A note anchored to an exact quote in one document."""

    id: str
    document: str
    type: str
    quote: str
    title: str
    body: str
    author: str
    status: str
    confidence: str
    place: Place
    prefix: str = ""
    suffix: str = ""
    occurrence: int = 0
    """1-based index among the quote's matches; 0 when not given."""
    sources: tuple[Source, ...] = ()
    wikidata: str = ""
    created: str = ""
    modified: str = ""
    checked: str = ""
    """When the note's facts were last checked against its sources (YYYY-MM-DD)."""
    field_places: Mapping[str, Place] = field(default_factory=lambda: MappingProxyType({}), compare=False)
    """Where each field's value starts, for pointing errors at the right line."""

    def place_of(self, name: str) -> Place:
        """The place of a field, or of the annotation when the field is absent."""
        return self.field_places.get(name, self.place)


@dataclass(frozen=True, slots=True)
class KazakhName:
    """The Kazakh-language name of a Kazakh institution."""

    full: str
    abbr: str = ""


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A Russian term, its forms and its explanation."""

    id: str
    term: str
    full: str
    translation: str
    translit: str
    definition: str
    place: Place
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    kazakh: KazakhName | None = None
    sources: tuple[Source, ...] = ()
    text_spelling: str = ""
    """How the text writes the term in Latin letters, where that differs from `translit`."""
    translit_scheme: str = ""
    """The scheme (e.g. 'bgn_pcgn') whose output `translit` is; "" when it was given by hand and differs."""
    field_places: Mapping[str, Place] = field(default_factory=lambda: MappingProxyType({}), compare=False)

    @property
    def forms(self) -> tuple[str, ...]:
        """Every surface form that links to this entry in the text: the term, then its aliases."""
        return (self.term, *self.aliases)

    def place_of(self, name: str) -> Place:
        """The place of a field, or of the entry when the field is absent."""
        return self.field_places.get(name, self.place)


@dataclass(frozen=True)
class Corpus:
    """Every annotation and glossary entry of an edition, validated and indexed once."""

    annotations: tuple[Annotation, ...]
    glossary: tuple[GlossaryEntry, ...]
    invalid_note_ids: frozenset[str] = frozenset()
    """Ids of annotations left out because they have errors (reported where they are): a link
    to one of them is not reported as a link to an unknown note as well."""
    invalid_term_ids: frozenset[str] = frozenset()
    """Ids of glossary entries left out because they have errors, likewise."""

    @cached_property
    def by_document(self) -> Mapping[str, tuple[Annotation, ...]]:
        """Annotations grouped by the document they target, in file order."""
        groups: dict[str, list[Annotation]] = {}
        for annotation in self.annotations:
            groups.setdefault(annotation.document, []).append(annotation)
        return MappingProxyType({key: tuple(value) for key, value in groups.items()})

    @cached_property
    def markdown_fields(self) -> tuple[tuple[str, Place], ...]:
        """Every Markdown text (note bodies, then definitions) and where it starts."""
        return (*((a.body, a.place_of("body")) for a in self.annotations),
                *((e.definition, e.place_of("definition")) for e in self.glossary))

    @cached_property
    def terms(self) -> Mapping[str, GlossaryEntry]:
        """Glossary entries by id."""
        return MappingProxyType({entry.id: entry for entry in self.glossary})

    @cached_property
    def notes(self) -> Mapping[str, Annotation]:
        """Annotations by id."""
        return MappingProxyType({annotation.id: annotation for annotation in self.annotations})


@dataclass(frozen=True)
class Original:
    """What a document presents, for citations (`original:` of its declaration)."""

    title: str = ""
    authors: tuple[str, ...] = ()
    """Who spoke or wrote it (an interview's interviewee)."""
    interviewers: tuple[str, ...] = ()
    publisher: str = ""
    date: str = ""
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY`."""
    url: str = ""
    language: str = ""
    """A BCP 47 tag: `ru`, `kk`, `en`."""

    def values(self) -> tuple[str, ...]:
        """Every text it holds."""
        return tuple(value for _, value in self.fields())

    def fields(self) -> tuple[tuple[str, str], ...]:
        """Every text it holds, with its field's name (a list's items each under the list's)."""
        return (("title", self.title), *(("authors", name) for name in self.authors),
                *(("interviewers", name) for name in self.interviewers), ("publisher", self.publisher),
                ("date", self.date), ("url", self.url), ("language", self.language))


def document_name(document_id: str, declared: str = "") -> str:
    """A document's short name: as declared, else its id, capitalised, with spaces for hyphens
    (`press-availability` → "Press availability"). Other pages name a document by it where the
    edition has several (Interview ¶56)."""
    if declared:
        return declared
    words = document_id.replace("-", " ")
    return words[:1].upper() + words[1:]


SPEAKER_COLOURS = 6
"""The colours of the edition's palette for speakers' turns (`colour: 1` … `6`; the CSS has each)."""


@dataclass(frozen=True)
class Speaker:
    """A speaker of a document: the label that opens their turns (`Label: …`), as written."""

    label: str
    name: str = ""
    description: str = ""
    """Who the speaker is, in a few words."""
    colour: int = 0
    """The palette colour of the speaker's turns (1–6); 0: by the speaker's place in the declaration."""

    @property
    def known_as(self) -> str:
        """How the edition names the speaker: the name, else the label. One person who speaks in
        several documents is one speaker by it (the Speakers page, its `speaker-` anchors)."""
        return self.name or self.label

    @property
    def title(self) -> str:
        """What the label's tooltip says: the name and the description, those given."""
        return " — ".join(part for part in (self.name, self.description) if part)


ROLES = MappingProxyType({"title": "title", "caption": "caption", "lede": "lede", "source_line": "source",
                          "statement": "statement"})
"""The declaration fields naming lines that are not dialogue, and the role each gives its lines
(the page marks a role with the class `ed-<role>`, except the title, which is the heading)."""


@dataclass(frozen=True)
class DocumentDeclaration:
    """A document of the edition: its text as received (a `.txt`, one block per line) and what the
    editors declare of it."""

    id: str
    page: str
    """The page that shows it, relative to the docs folder."""
    source: str
    """The text's file, as the declaration names it (relative to the declaration's file)."""
    source_file: str
    """The text's file as an absolute path (POSIX)."""
    place: Place
    roles: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({1: "title"}))
    """The role of each line that is not dialogue (line numbers from 1): `title`, `caption`, …"""
    speakers: tuple[Speaker, ...] = ()
    not_speakers: frozenset[str] = frozenset()
    """Label-like words at the start of lines that are not speakers (no warning for them)."""
    turns: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    """Lines without a label that the editors attribute: line number → speaker label."""
    name: str = ""
    """Its short name as declared (see `document_name`)."""
    original: Original | None = None
    """What it presents, for citations."""
    field_places: Mapping[str, Place] = field(default_factory=lambda: MappingProxyType({}), compare=False)

    @property
    def display_name(self) -> str:
        """The short name by which other pages name the document (`document_name`)."""
        return document_name(self.id, self.name)

    def place_of(self, name: str) -> Place:
        """The place of a field, or of the declaration when the field is absent."""
        return self.field_places.get(name, self.place)
