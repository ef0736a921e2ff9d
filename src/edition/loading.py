"""Load annotation and glossary files: YAML → JSON Schema → frozen dataclasses.

The JSON Schemas in `schemas/` are the only definition of the file formats: the same
files give editors completion (through the `yaml-language-server` modeline) and give this
loader its checks. Each schema error becomes a one-line `Problem` at the line the YAML
parser recorded. Items with errors are left out of the `Corpus`, so that one run can go
on to report every other problem too.

Each file is first checked by the same schema compiled to Python by `fastjsonschema`
(a tenth of the time); only a file it rejects goes through `jsonschema`, which names every
error and where it is. Tests hold the two to the same verdict.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import fastjsonschema
import iuliia
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from edition.lint import lint
from edition.model import Annotation, Corpus, GlossaryEntry, KazakhName, Place, Source
from edition.problems import Problem, Severity, display_path
from edition.strict import strict_problems, strings
from edition.vocabulary import with_vocabularies
from edition.yamlfile import JsonPath, YamlDocument, read_yaml

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping

    from jsonschema import Draft202012Validator, ValidationError

DATA_SUFFIXES = (".yml", ".yaml")

_Item = TypeVar("_Item", Annotation, GlossaryEntry)
_T = TypeVar("_T")

TRANSLIT_SCHEMES = MappingProxyType(
    {
        "bgn_pcgn": iuliia.BGN_PCGN,
        "ala_lc": iuliia.ALA_LC,
        "scientific": iuliia.SCIENTIFIC,
        "wikipedia": iuliia.WIKIPEDIA,
        "gost_779": iuliia.GOST_779,
    }
)
"""Transliteration schemes an edition may choose (`translit_scheme` option)."""

DEFAULT_TRANSLIT_SCHEME = "bgn_pcgn"


@cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema for `kind` ("annotations" or "glossary"), as shipped in the package, with
    the values of its vocabulary fields taken from `edition.vocabulary` (their one source)."""
    text = resources.files("edition").joinpath(f"schemas/{kind}.schema.json").read_text(encoding="utf-8")
    return with_vocabularies(kind, json.loads(text))


@cache
def _validator(kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # noqa: PLC0415 - only for a file that fails the quick check

    return Draft202012Validator(schema(kind))


@cache
def _fast_validator(kind: str) -> Callable[[object], object]:
    # No handlers: a `$ref` to another document would fail here rather than be fetched.
    validate: Callable[[object], object] = fastjsonschema.compile(schema(kind), handlers={})
    return validate


def is_valid(data: object, kind: str) -> bool:
    """Whether `data` passes the `kind` schema (the quick check; `schema_problems` explains)."""
    try:
        _fast_validator(kind)(data)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice that `word` is plausibly a misspelling of, or None.

    Plausible: ignoring case, at most one edit per three letters of `word` (a letter added,
    dropped or changed, or two neighbours swapped; at least one edit). So `tittle` gives
    'title' and `kbn` 'knb', but `end` gives nothing rather than 'created'.
    """
    limit = max(1, len(word) // 3)
    match = process.extractOne(word, list(choices), scorer=OSA.distance, processor=str.casefold,
                               score_cutoff=limit)
    return None if match is None else str(match[0])


def suggest(word: str, choices: Iterable[str]) -> str:
    """' — did you mean …?' text for the closest choice, or '' if none is close."""
    match = closest(word, choices)
    return f"did you mean '{match}'? " if match else ""


def suggest_id(word: str, ids: Iterable[str]) -> str:
    """' — did you mean …?' text for the id closest to a mistyped `word`, or '' if none is close."""
    match = closest_id(word, ids)
    return f"did you mean '{match}'? " if match is not None else ""


def closest_id(word: str, ids: Iterable[str]) -> str | None:
    """The id a mistyped `word` was probably meant to be, if one is close.

    Ids are short, and typos in them are what this is for: 'kbn' is 67 % like 'knb' for
    `suggest`, but one edit away when two letters swapped count as one edit (optimal string
    alignment). Up to one edit in four letters is taken as a typo; else the id most like the
    word as a whole (`suggest` also matches parts, and would offer 'a-note' for 'missing-note').
    """
    choices = list(ids)
    match = (process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=max(1, len(word) // 4))
             or process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=75))
    return str(match[0]) if match else None


# ---------------------------------------------------------------------------------------
# Schema errors → problems
# ---------------------------------------------------------------------------------------

FIELD_HINTS = MappingProxyType(
    {
        "id": "use lowercase letters, digits and single hyphens, starting with a letter, e.g. 'kostanay-region'",
        "document": "use the document id of the transcript page, e.g. 'interview'",
        "url": "write a full http:// or https:// (or mailto:) address, or leave `url` out",
        "date": "write YYYY, YYYY-MM or YYYY-MM-DD",
        "created": "write YYYY-MM-DD",
        "modified": "write YYYY-MM-DD",
        "accessed": "write YYYY-MM-DD",
        "checked": "write YYYY-MM-DD",
        "title": "keep the title on a single line",
        "term": "remove spaces at the start and end",
        "wikidata": "write a Wikidata item id such as Q12345, or leave `wikidata` out",
        "related": "list glossary ids such as 'knb'",
        "aliases": "remove spaces at the start and end of the alias",
    }
)

TYPE_NAMES = MappingProxyType(
    {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
     "array": "a list", "object": "a set of fields `name: value`"}
)
"""What each JSON Schema type is called in messages."""

TYPE_HINTS = MappingProxyType(
    {"string": "put the value in double quotes", "integer": "write a whole number such as 2",
     "array": "write a list: `[first, second]`, or one `- item` per line under it",
     "object": "write its fields as `name: value` on the lines under it, indented"}
)

BOOLEAN_WORDS = "unquoted yes, no, on, off, true and false mean true/false"


def _kind_of(value: object) -> str:
    """What a value read from YAML is, in words."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a set of fields"


@dataclass(frozen=True)
class _Explaining:
    """What the messages for one file's schema errors need besides the error."""

    doc: YamlDocument
    kind: str
    renames: Mapping[tuple[JsonPath, str], str]
    """A missing required field, by the object's path and an unknown field that misspells it."""

    def problem(self, path: JsonPath, message: str, hint: str, *, key: bool = False) -> Problem:
        place = self.doc.key_place(path) if key else self.doc.place(path)
        return Problem(self.doc.path, place.line, place.col, Severity.ERROR, message, hint)

    def required(self, path: JsonPath) -> bool:
        """Whether the value at `path` is a required field of its object."""
        return bool(path) and path[-1] in _schema_at(self.kind, path[:-1]).get("required", ())


def _schema_at(kind: str, path: JsonPath) -> dict[str, Any]:
    """The part of the `kind` schema that describes the value at `path` (empty if none does)."""
    root = schema(kind)

    def resolved(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:  # only local references: "#/$defs/name"
            node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
        return node

    node = resolved(root)
    for part in path:
        node = resolved(node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {}))
    return node


def _field_name(path: JsonPath) -> str:
    names = [part for part in path if isinstance(part, str)]
    return names[-1] if names else "entry"


def _subject(doc: YamlDocument, path: JsonPath) -> str:
    """The value at `path`, named for a message: entry 'id', item 2 of `sources`, `title`."""
    if len(path) == 1 and isinstance(doc.data, list) and isinstance(path[0], int):
        item = doc.data[path[0]]
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"entry '{item['id']}'"
        return f"entry {path[0] + 1}"
    if path and isinstance(path[-1], int):
        return f"item {path[-1] + 1} of `{_field_name(path)}`"
    return f"`{_field_name(path)}`"


def _as_written(path: JsonPath, text: str) -> str:
    """`text` as the value at `path`: "`name: text`", or "`text` in `name`" for an item of a list."""
    return f"`{text}` in `{_field_name(path)}`" if path and isinstance(path[-1], int) else \
        f"`{_field_name(path)}: {text}`"


def _empty(explaining: _Explaining, path: JsonPath) -> Problem:
    """An empty (or blank) value."""
    doc, name = explaining.doc, _field_name(path)
    written = doc.written.get(path, "")
    subject = _subject(doc, path)
    if written:  # `null` or `~`
        return explaining.problem(path, f"{_as_written(path, written)} is read as an empty value",
                                  f"write {_as_written(path, json.dumps(written))} if you mean the text")
    where = f"on the indented lines under `{name}: |`" if path in doc.block_scalars else f"after `{name}:`"
    if isinstance(path[-1], int):
        hint = "write the value, or remove the item"
    elif explaining.required(path):
        hint = f"write it {where}; `{name}` is required"
    else:
        hint = f"write it {where}, or remove the `{name}` field"
    return explaining.problem(path, f"{subject} is empty", hint)


def _required(explaining: _Explaining, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    misspelled = {missing for (where, _), missing in explaining.renames.items() if where == path}
    for name in error.validator_value:
        if isinstance(error.instance, dict) and name not in error.instance and name not in misspelled:
            yield explaining.problem(path, f"{_subject(explaining.doc, path)} has no `{name}`",
                                     f"add a `{name}:` field (see README: data formats)")


def _additional(explaining: _Explaining, error: ValidationError) -> Iterator[Problem]:
    allowed = list(error.schema.get("properties", {}))
    path = tuple(error.absolute_path)
    for name in error.instance:
        if name in allowed:
            continue
        meant = explaining.renames.get((path, name))
        if meant:
            yield explaining.problem((*path, name), f"`{name}` is not a field; did you mean `{meant}`?",
                                     f"rename it to `{meant}`, which is required here", key=True)
        else:
            yield explaining.problem((*path, name), f"unknown field `{name}`",
                                     f"{suggest(name, allowed)}allowed fields: {', '.join(allowed)}", key=True)


def _renames(errors: Iterable[ValidationError]) -> dict[tuple[JsonPath, str], str]:
    """Each unknown field that misspells a missing required field of the same object, by object and name."""
    missing: dict[JsonPath, list[str]] = {}
    unknown: dict[JsonPath, list[str]] = {}
    for error in errors:
        if isinstance(error.instance, dict) and error.validator == "required":
            missing[tuple(error.absolute_path)] = [n for n in error.validator_value if n not in error.instance]
        elif isinstance(error.instance, dict) and error.validator == "additionalProperties":
            allowed = error.schema.get("properties", {})
            unknown[tuple(error.absolute_path)] = [n for n in error.instance if n not in allowed]
    renames: dict[tuple[JsonPath, str], str] = {}
    for path, names in unknown.items():
        left = list(missing.get(path, ()))
        for name in names:
            meant = closest(name, left)
            if meant:
                renames[path, name] = meant
                left.remove(meant)
    return renames


def _enum(explaining: _Explaining, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    name = _field_name(path)
    choices = [str(value) for value in error.validator_value]
    value = error.instance
    if value is None:
        yield explaining.problem(path, f"`{name}` is empty", f"write one of: {', '.join(choices)}")
        return
    written = explaining.doc.written.get(path, str(value))
    if isinstance(value, bool):
        yield explaining.problem(path, f"`{name}: {written}` is read as true/false, not as a word",
                                 f"{BOOLEAN_WORDS}; write one of: {', '.join(choices)}")
        return
    yield explaining.problem(path, f"'{written}' is not a valid `{name}`",
                             f"{suggest(written, choices)}use one of: {', '.join(choices)}")


def _type(explaining: _Explaining, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    doc, value, expected = explaining.doc, error.instance, str(error.validator_value)
    if not path:
        yield explaining.problem(path, f"the file must be a list of entries, not {_kind_of(value)}",
                                 "start each entry with '- id: …'")
        return
    if value is None:
        yield _empty(explaining, path)
        return
    written = doc.written.get(path)
    if expected == "string" and written is not None:  # true/false or a number, unquoted
        quoted = _as_written(path, json.dumps(written, ensure_ascii=False))
        if isinstance(value, bool):
            yield explaining.problem(path, f"{_as_written(path, written)} is read as true/false, not as text",
                                     f"{BOOLEAN_WORDS}: write {quoted}")
        else:
            yield explaining.problem(path, f"{_as_written(path, written)} is read as {_kind_of(value)}, "
                                           "not as text", f"write {quoted}")
        return
    yield explaining.problem(path, f"{_subject(doc, path)} must be {TYPE_NAMES.get(expected, expected)}, "
                                   f"not {_kind_of(value)}", TYPE_HINTS.get(expected, "see README: data formats"))


def _pattern(explaining: _Explaining, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    if isinstance(error.instance, str) and not error.instance.strip():
        yield _empty(explaining, path)
        return
    name = _field_name(path)
    yield explaining.problem(path, f"`{name}` has an invalid value {error.instance!r}",
                             FIELD_HINTS.get(name, f"match the pattern {error.validator_value}"))


def _length(explaining: _Explaining, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    if error.validator == "minLength":
        yield _empty(explaining, path)
    else:
        yield explaining.problem(path, f"`{_field_name(path)}` is longer than {error.validator_value} characters",
                                 "shorten it")


def _items(explaining: _Explaining, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    name = _field_name(path)
    if error.validator == "minItems" and not path:
        yield explaining.problem(path, "the list is empty", "add at least one entry or delete the file")
    elif error.validator == "minItems":
        yield explaining.problem(path, f"`{name}` is an empty list", f"list at least one value under `{name}`")
    else:
        yield explaining.problem(path, f"`{name}` lists a value twice", "remove the repeat")


def _minimum(explaining: _Explaining, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    yield explaining.problem(path, f"`{_field_name(path)}` must be at least {error.validator_value}",
                             "count matches from 1")


def _generic(explaining: _Explaining, error: ValidationError) -> Iterator[Problem]:
    yield explaining.problem(tuple(error.absolute_path), error.message, "see README: data formats")


SCHEMA_ERRORS: MappingProxyType[str, Callable[[_Explaining, ValidationError], Iterator[Problem]]] = (
    MappingProxyType(
        {
            "required": _required,
            "additionalProperties": _additional,
            "enum": _enum,
            "type": _type,
            "pattern": _pattern,
            "minLength": _length,
            "maxLength": _length,
            "minItems": _items,
            "uniqueItems": _items,
            "minimum": _minimum,
        }
    )
)
"""How each JSON Schema keyword's failure is explained, keyword by keyword."""


def schema_problems(doc: YamlDocument, kind: str) -> tuple[list[Problem], dict[int, set[str]]]:
    """Problems from validating `doc` against the `kind` schema, and the bad items: by index,
    the names of their fields that have errors (empty when only the item as a whole has:
    a field missing, or one it may not have)."""
    problems: list[Problem] = []
    bad: dict[int, set[str]] = {}
    if is_valid(doc.data, kind):
        return problems, bad
    errors = list(_validator(kind).iter_errors(doc.data))
    explaining = _Explaining(doc, kind, _renames(errors))
    for error in errors:
        path = tuple(error.absolute_path)
        if path and isinstance(path[0], int):
            fields = bad.setdefault(path[0], set())
            if len(path) > 1:
                fields.add(str(path[1]))
        if path in doc.refused:
            continue
        problems.extend(SCHEMA_ERRORS.get(str(error.validator), _generic)(explaining, error))
    return list(dict.fromkeys(problems)), bad  # "" fails both `minLength` and `pattern: \S`: one line


# ---------------------------------------------------------------------------------------
# What the schema cannot tell: real dates, placeholders left in
# ---------------------------------------------------------------------------------------

DATE_FIELDS = frozenset({"date", "created", "modified", "accessed", "checked"})
MARKDOWN_FIELDS = frozenset({"body", "definition"})
MAX_OPEN_BRACKETS = 300
"""At most this many `[` in a Markdown text: Python-Markdown's time grows with the square of
their number (6,000 took 3.5 s to convert); a note with fifty links has fifty."""


def open_brackets(text: str) -> int:
    """How many `[` `text` has, escaped ones too (an escaped backslash before one unescapes it)."""
    return text.count("[")


def escape_brackets(text: str) -> str:
    """`text` with every `[` written as the entity `&#91;`, which starts no link: Markdown then
    converts it in linear time (for a text that is an error anyway, see `MAX_OPEN_BRACKETS`)."""
    return text.replace("[", "&#91;")


DATE_SHAPE = re.compile(r"[0-9]{4}(?:-[0-9]{2}){0,2}")
"""YYYY, YYYY-MM or YYYY-MM-DD: the schema says which a field allows, `value_problems` whether it exists."""

PLACEHOLDER = re.compile(r"^[ \t]*TODO\b", re.MULTILINE)
"""A line that starts with TODO, as those `edition new` writes for the contributor to replace."""
PLACEHOLDER_HINTS = MappingProxyType({
    "annotations": MappingProxyType({"title": "write the note's title in its place",
                                     "body": "write the note in its place, in Markdown (see README: data formats)",
                                     "author": "write your name in its place (the page's “Suggest a note” "
                                               "leaves this placeholder)"}),
})
"""The fields of each kind that must not keep a placeholder, and what to write instead."""


def _in_calendar(text: str) -> bool:
    """Whether YYYY, YYYY-MM or YYYY-MM-DD names a real year, month or day."""
    year, month, day = [*(int(part) for part in text.split("-")), 1, 1][:3]  # a missing day or month: the 1st
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


RESERVED_IDS: Mapping[str, tuple[tuple[re.Pattern[str], str], ...]] = MappingProxyType({
    "annotations": (
        (re.compile(r"notes-.+"), "the list of notes gives each document's heading the id `notes-<document>`"),
        (re.compile(r"all-annotations"), "it is the id of the heading of the list of notes"),
        (re.compile(r"(?:ed|md)-.+"), "ids starting with `ed-` or `md-` belong to the edition's and the theme's "
                                     "own elements"),
    ),
    "glossary": (
        (re.compile(r"glossary"), "it is the id of the glossary page's heading"),
        (re.compile(r"(?:ed|md)-.+"), "ids starting with `ed-` or `md-` belong to the edition's and the theme's "
                                     "own elements"),
    ),
})
"""Ids a note or a glossary entry may not have: they would clash with anchors the edition
generates on the same page (the list of notes shows each note under its bare id, the glossary
each entry). Notes appear on their documents as `note-<id>` and `ref-<id>`, entities as
`entity-<id>`, so `p12` or `title` clash with nothing; but the heading of note `x`'s endnote
is `note-x-title`, the endnote of a note `x-title` (see `cross_reference_problems`)."""


def reserved_id(value: str, kind: str) -> str | None:
    """Why `value` may not be the id of an item of `kind`, or None if it may."""
    return next((why for pattern, why in RESERVED_IDS.get(kind, ()) if pattern.fullmatch(value)), None)


def value_problems(doc: YamlDocument, kind: str) -> Iterator[Problem]:
    """Dates that are not in the calendar (2024-13-45, 2026-02-30) and TODO placeholders left in.

    Every value is looked at, in valid items and not, so that one run reports these too.
    """
    hints: Mapping[str, str] = PLACEHOLDER_HINTS.get(kind, MappingProxyType({}))
    for path, value in strings(doc.data):
        name = path[-1] if path else None
        clash = reserved_id(value, kind) if len(path) == 2 and name == "id" else None
        if clash:
            place = doc.place(path)
            yield Problem(doc.path, place.line, place.col, Severity.ERROR,
                          f"id '{value}' would clash with an anchor the edition generates: {clash}",
                          "choose another id")
        if name in DATE_FIELDS and DATE_SHAPE.fullmatch(value) and not _in_calendar(value):
            place = doc.place(path)
            yield Problem(doc.path, place.line, place.col, Severity.ERROR,
                          f"`{name}` {value!r} is not a date in the calendar",
                          f"{FIELD_HINTS[str(name)]}, with a month from 01 to 12 and a day that the month has")
        brackets = open_brackets(value) if len(path) == 2 and name in MARKDOWN_FIELDS else 0
        if brackets > MAX_OPEN_BRACKETS:
            place = doc.content_place(path)
            yield Problem(doc.path, place.line, place.col, Severity.ERROR,
                          f"`{name}` has {brackets} `[`; at most {MAX_OPEN_BRACKETS} are allowed (Markdown's time "
                          "grows with the square of their number)",
                          "write fewer links and brackets")
        placeholder = PLACEHOLDER.search(value) if len(path) == 2 and name in hints else None
        if placeholder:
            place = doc.content_place(path)
            if path in doc.block_scalars:
                place = Place(place.path, place.line + value.count("\n", 0, placeholder.start()), place.col)
            yield Problem(doc.path, place.line, place.col, Severity.ERROR,
                          f"`{name}` still holds a TODO placeholder (as `edition new` writes it)", hints[str(name)])


# ---------------------------------------------------------------------------------------
# Valid items → dataclasses
# ---------------------------------------------------------------------------------------


def _places(doc: YamlDocument, index: int, item: dict[str, Any]) -> MappingProxyType[str, Place]:
    return MappingProxyType({name: doc.content_place((index, name)) for name in item})


def _sources(items: list[dict[str, str]] | None) -> tuple[Source, ...]:
    return tuple(Source(**item) for item in items or ())


def _annotation(doc: YamlDocument, index: int, item: dict[str, Any]) -> Annotation:
    return Annotation(
        id=item["id"],
        document=item["document"],
        type=item["type"],
        quote=item["quote"],
        title=item["title"],
        body=item["body"],
        author=item["author"],
        status=item["status"],
        confidence=item["confidence"],
        place=doc.place((index,)),
        prefix=item.get("prefix", ""),
        suffix=item.get("suffix", ""),
        occurrence=item.get("occurrence", 0),
        sources=_sources(item.get("sources")),
        wikidata=item.get("wikidata", ""),
        created=item.get("created", ""),
        modified=item.get("modified", ""),
        checked=item.get("checked", ""),
        field_places=_places(doc, index, item),
    )


def _entry(doc: YamlDocument, index: int, item: dict[str, Any], scheme: str) -> GlossaryEntry:
    kazakh = item.get("kazakh")
    generated = transliterate(item["term"], scheme)
    translit = item.get("translit") or generated
    return GlossaryEntry(
        id=item["id"],
        term=item["term"],
        full=item["full"],
        translation=item["translation"],
        translit=translit,
        translit_scheme=scheme if translit == generated else "",
        text_spelling=item.get("text_spelling", ""),
        definition=item["definition"],
        place=doc.place((index,)),
        aliases=tuple(item.get("aliases", ())),
        related=tuple(item.get("related", ())),
        kazakh=KazakhName(**kazakh) if kazakh else None,
        sources=_sources(item.get("sources")),
        field_places=_places(doc, index, item),
    )


def transliterate(text: str, scheme: str = DEFAULT_TRANSLIT_SCHEME) -> str:
    """Romanise Cyrillic `text` with a standard scheme from the `iuliia` library.

    Without BGN/PCGN's optional middle dot (`post·sovet·skoye` for тс): readers took it for
    a typo, and a search for "postsovetskoye" missed it.
    """
    result: str = TRANSLIT_SCHEMES[scheme].translate(text)
    return result.replace("\u00b7", "")


# ---------------------------------------------------------------------------------------
# Whole corpus
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    """A corpus of the valid items, and every problem found while loading."""

    corpus: Corpus
    problems: tuple[Problem, ...]


NOT_DATA = re.compile(r"(?i)readme\b.*|.*\.md")
"""Files a data folder may hold besides data: READMEs and other Markdown notes."""


_Found = list[tuple[Path, tuple[str, ...]]]
"""Regular files under a folder, each with its path's parts below the folder (`_tree`)."""


def _tree(folder: Path) -> tuple[_Found, list[Path]]:
    """The regular files under `folder` (each with its path's parts below `folder`) and the
    symbolic links, without following them; nothing if `folder` is not a folder or is a link.

    One walk by `os.scandir`, whose entries already know their kind: no `stat` per file (at
    200 pages, the data folders' walks were 0.05 s of a load under `mkdocs serve`).
    A folder that cannot be read is skipped, as `Path.rglob` skips it.
    """
    files: _Found = []
    links: list[Path] = []
    if not folder.is_dir() or folder.is_symlink():
        return files, links
    todo: list[tuple[Path, tuple[str, ...]]] = [(folder, ())]
    while todo:
        current, parts = todo.pop()
        try:
            with os.scandir(current) as found:
                entries = list(found)
        except OSError:
            continue
        for entry in entries:
            path, below = current / entry.name, (*parts, entry.name)
            if entry.is_symlink():
                links.append(path)
            elif entry.is_dir(follow_symlinks=False):
                todo.append((path, below))
            elif entry.is_file(follow_symlinks=False):
                files.append((path, below))
    return files, links


def _visible(files: _Found) -> _Found:
    """Of `files`, those neither hidden (`.gitkeep`) nor in a hidden folder.

    Symbolic links are not among them (see `symlink_problems`): a pull request could otherwise
    make the build read, and publish, any file of the machine.
    """
    return [(path, parts) for path, parts in files if not any(part.startswith(".") for part in parts)]


def symlink_problems(links: list[Path], root: Path) -> Iterator[Problem]:
    """An error for the data folder, or a file in it, that is a symbolic link (it is not read)."""
    for link in sorted(links):
        yield Problem(display_path(link, root), 1, 1, Severity.ERROR, "is a symbolic link, which is not read",
                      "put the data itself in the folder, as an ordinary file")


def data_files(folder: Path) -> list[Path]:
    """The YAML files under `folder`, in a stable order independent of the file system."""
    found = [(path, parts) for path, parts in _visible(_tree(folder)[0]) if path.suffix in DATA_SUFFIXES]
    return [path for path, _ in sorted(found, key=lambda item: "/".join(item[1]))]


def stray_file_problems(files: _Found, root: Path) -> Iterator[Problem]:
    """An error for each of a data folder's visible `files` that is not read because of its
    name (`zz.YML`, `my-note`)."""
    for path in sorted(path for path, _ in files):
        if path.suffix in DATA_SUFFIXES or NOT_DATA.fullmatch(path.name):
            continue
        named = re.match(r"(?i)(.+?)\.ya?ml(?:\.|$)", path.name)
        target = path.with_name(f"{named.group(1) if named else path.stem}.yml")
        hint = f"rename it to {target.name}"
        if target.exists() and not target.samefile(path):  # not the same file on a case-blind file system
            hint += f"; if it is a spare copy of {target.name}, delete it or move it out of the folder"
        yield Problem(display_path(path, root), 1, 1, Severity.ERROR, "file is not read: data files end in .yml", hint)


def valid_items(folder: Path | None, root: Path, kind: str, problems: list[Problem],
                invalid_ids: set[str] | None = None) -> Iterator[tuple[YamlDocument, int, dict[str, Any]]]:
    """Each item of each `kind` file under `folder` that passes the schema, in a stable order.

    Problems of every file go into `problems` (also for a file not read because of its name);
    paths in them are relative to `root`. The ids
    of the items left out (those that fail the schema, and those of files that cannot be
    read) go into `invalid_ids`, so that links to them need not be reported as well.
    """
    if folder is None:
        return
    problems.extend(folder_problems(folder, root))
    for path in data_files(folder):
        yield from file_items(path, root, kind, problems, invalid_ids)


def folder_problems(folder: Path, root: Path) -> Iterator[Problem]:
    """A data folder's files not read: named otherwise than data, hidden, or symbolic links
    (the folder walked once for the three)."""
    files, links = _tree(folder)
    yield from stray_file_problems(_visible(files), root)
    yield from hidden_file_problems(files, root)
    yield from symlink_problems([folder] if folder.is_symlink() else links, root)


def hidden_file_problems(files: _Found, root: Path) -> Iterator[Problem]:
    """An error for each of a data folder's `files` that is a data file not read because it is
    hidden: its name, or that of a folder it is in, starts with a dot (`.draft.yml`, `.old/note.yml`)."""
    for path, parts in sorted(files):
        if path.suffix not in DATA_SUFFIXES:
            continue
        if any(part.startswith(".") for part in parts):
            shown = "/".join(part.lstrip(".") for part in parts)
            yield Problem(display_path(path, root), 1, 1, Severity.ERROR,
                          "file is not read: its name or its folder's starts with '.' (hidden)",
                          f"rename it to {shown} if it is data, or move it out of the data folder")


def file_items(path: Path, root: Path, kind: str, problems: list[Problem], invalid_ids: set[str] | None,
               *, unchecked: list[tuple[Place, tuple[str, ...]]] | None = None
               ) -> Iterator[tuple[YamlDocument, int, dict[str, Any]]]:
    """`valid_items` of one file; the `related` ids of the glossary entries left out go into
    `unchecked`, with their place, to be checked against the corpus all the same."""
    doc = read_yaml(path, display_path(path, root))
    problems.extend(doc.problems)
    if doc.data is None:
        if invalid_ids is not None:
            invalid_ids.update(_written_ids(doc))
        return
    found, bad_fields = schema_problems(doc, kind)
    problems.extend(found)
    strict, refused = strict_problems(doc, lambda path: _schema_at(kind, path).get("type"))
    problems.extend(strict)
    problems.extend(value_problems(doc, kind))
    items = doc.data if isinstance(doc.data, list) else []
    salvaged = {index: fixed for index, fields in bad_fields.items()
                if index not in refused and (fixed := salvage(items[index], fields, kind)) is not None}
    bad = (set(bad_fields) | refused) - set(salvaged)
    if invalid_ids is not None:
        left_out = [items[index] for index in bad] if isinstance(doc.data, list) else [doc.data]
        invalid_ids.update(item["id"] for item in left_out
                           if isinstance(item, dict) and isinstance(item.get("id"), str))
    if unchecked is not None and kind == "glossary":
        unchecked.extend((doc.place((index, "related")), tuple(items[index]["related"])) for index in sorted(bad)
                         if isinstance(items[index], dict) and "related" not in bad_fields.get(index, {"related"})
                         and "related" in items[index])
    yield from ((doc, index, salvaged.get(index, item)) for index, item in enumerate(items) if index not in bad)


SALVAGE: Mapping[str, tuple[frozenset[str], Mapping[str, str]]] = MappingProxyType({
    "annotations": (frozenset({"id", "document", "quote", "prefix", "suffix", "occurrence"}),
                    MappingProxyType({"type": "context", "title": "(a title with errors)",
                                      "body": "(a body with errors)", "author": "(an author with errors)",
                                      "status": "unverified", "confidence": "low"})),
    "glossary": (frozenset({"id", "term", "aliases"}),
                 MappingProxyType({"full": "(a full form with errors)", "translation": "(a translation with errors)",
                                   "definition": "(a definition with errors)"})),
    "entities": (frozenset({"id", "mentions"}), MappingProxyType({"name": "(a name with errors)", "kind": "person"})),
})
"""For each kind: the fields an item cannot do without (what it is, where it is, what it
matches), and what stands in for each required field that has errors."""


def salvage(item: object, fields: set[str], kind: str) -> dict[str, Any] | None:
    """An item with schema errors, made valid to be checked further, or None if it cannot be.

    An item whose errors are all in fields it can do without (a misspelt `type`, a bad
    source, a field it may not have) is kept, with those fields left out or stood in for, so
    that one run also reports what else is wrong with it: raw HTML in its body, a bad link, a
    quote that does not anchor. It has errors, so it is never published. A salvaged note is
    `unverified` (its `sources` or `type` may be what is wrong, which decides the warnings).
    """
    if kind not in SALVAGE or not isinstance(item, dict):
        return None
    essential, stand_ins = SALVAGE[kind]
    if fields & essential:
        return None
    allowed = _schema_at(kind, (0,)).get("properties", {})
    fixed = {name: value for name, value in item.items() if name in allowed and name not in fields}
    fixed.update({name: value for name, value in stand_ins.items() if name not in fixed})
    if kind == "annotations":
        fixed["status"] = "unverified"
    return fixed if is_valid([fixed], kind) else None


@dataclass(frozen=True)
class _Loaded:
    """What one data file gives: its valid items made into dataclasses (annotations or glossary
    entries, by the file's kind), its problems, and the ids of the items left out."""

    annotations: list[Annotation]
    entries: list[GlossaryEntry]
    problems: list[Problem]
    invalid_ids: set[str]
    unchecked_related: list[tuple[Place, tuple[str, ...]]]
    """The `related` ids of glossary entries left out, with their place (see `file_items`)."""


def _load_file(task: _Task) -> _Loaded:
    """One file of annotations or of the glossary (`task`: its path, kind, the root of the paths
    in problems, and the transliteration scheme), loaded."""
    path, kind, root, scheme = task
    problems: list[Problem] = []
    invalid: set[str] = set()
    unchecked: list[tuple[Place, tuple[str, ...]]] = []
    found = file_items(path, root, kind, problems, invalid, unchecked=unchecked)
    if kind == "annotations":
        return _Loaded([_annotation(doc, index, item) for doc, index, item in found], [], problems, invalid, unchecked)
    entries = [_entry(doc, index, item, scheme) for doc, index, item in found]
    return _Loaded([], entries, problems, invalid, unchecked)


_Task = tuple[Path, str, Path, str]
"""A data file to load: its path, its kind, the root of the paths in problems, the transliteration scheme."""


class LoadCache:
    """Data files as loaded before in this process, by how they were loaded and their bytes.

    `mkdocs serve` keeps one across rebuilds: a rebuild loads again only the files an edit
    changed (a file's results depend on its bytes alone). Files are compared by their bytes,
    not their times, which may not change between two quick saves.
    """

    def __init__(self) -> None:
        self._loaded: dict[tuple[_Task, bytes], _Loaded] = {}
        self._made: dict[Hashable, tuple[object, object]] = {}
        self._making: dict[Hashable, tuple[object, object]] = {}

    def made(self, key: Hashable, inputs: object, make: Callable[[], _T]) -> _T:
        """What `make()` gives, taken from the last load if it made one under `key` from equal
        `inputs` (everything `make` reads: a transcript's declaration and its file's bytes)."""
        before = self._made.get(key)
        value = before[1] if before is not None and before[0] == inputs else make()
        self._making[key] = (inputs, value)
        return value  # type: ignore[return-value] # stored as `object`: `key` names what `make` gave

    def done(self) -> None:
        """A load is complete: the next keeps only what this one made (`made`)."""
        self._made, self._making = self._making, {}

    def load(self, tasks: list[_Task]) -> list[_Loaded]:
        """Each task loaded, from this cache where its file is unchanged. The cache then holds these only."""
        keys = [(task, file_digest(task[0])) for task in tasks]
        todo = [index for index, key in enumerate(keys) if key not in self._loaded]
        fresh = _load_files([tasks[index] for index in todo])
        loaded = dict(zip(todo, fresh, strict=True))
        results = [loaded[index] if index in loaded else self._loaded[key] for index, key in enumerate(keys)]
        self._loaded = {key: result for key, result in zip(keys, results, strict=True) if key[1]}
        return results


def _load_files(tasks: list[_Task]) -> list[_Loaded]:
    """Each task loaded, in this process.

    Loading was once split across two processes (every other file read by a forked child):
    measured at N = 200, 0.96× the CPU time and 0.97× the wall time of loading in one
    process (benchmarks/README.md, issue 21), so it was removed.
    """
    return [_load_file(task) for task in tasks]


def file_digest(path: Path) -> bytes:
    """A digest of the file's bytes (empty if it cannot be read: then it is not kept)."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return b""


_ID_LINE = re.compile(r"""^[ \t-]*id:[ \t]*["']?([^"'\s#]+)""")
"""An `id:` line (`- id: knb`), the only way to know the ids of a file YAML cannot read."""


def _written_ids(doc: YamlDocument) -> Iterator[str]:
    for line in doc.lines:
        match = _ID_LINE.match(line)
        if match:
            yield match.group(1)


def load_corpus(annotations_dir: Path, glossary_dir: Path, root: Path,
                translit_scheme: str = DEFAULT_TRANSLIT_SCHEME, cache: LoadCache | None = None) -> LoadResult:
    """Load and validate every data file; paths in problems are relative to `root`. A `cache`
    kept from an earlier load in this process spares loading the files that have not changed."""
    problems: list[Problem] = [*folder_problems(annotations_dir, root), *folder_problems(glossary_dir, root)]
    annotations: list[Annotation] = []
    entries: list[GlossaryEntry] = []
    invalid_notes: set[str] = set()
    invalid_terms: set[str] = set()
    unchecked: list[tuple[Place, tuple[str, ...]]] = []

    tasks = [(path, kind, root, translit_scheme)
             for folder, kind in ((annotations_dir, "annotations"), (glossary_dir, "glossary"))
             for path in data_files(folder)]
    # Without a cache, no file is read for its digest as well.
    for (_, kind, _, _), loaded in zip(tasks, cache.load(tasks) if cache else _load_files(tasks), strict=True):
        problems.extend(loaded.problems)
        annotations.extend(loaded.annotations)
        entries.extend(loaded.entries)
        (invalid_notes if kind == "annotations" else invalid_terms).update(loaded.invalid_ids)
        unchecked.extend(loaded.unchecked_related)

    annotations = _unique(annotations, problems, "annotation")
    entries = _unique(entries, problems, "glossary entry")
    corpus = Corpus(tuple(annotations), tuple(entries),
                    frozenset(invalid_notes - {a.id for a in annotations}),
                    frozenset(invalid_terms - {e.id for e in entries}))
    problems.extend(cross_reference_problems(corpus))
    problems.extend(problem for place, related in unchecked for problem in _unknown_related(related, place, corpus))
    problems.extend(lint(corpus))
    return LoadResult(corpus, tuple(sorted(set(problems))))


DUPLICATE_ID_HINT = "ids must be unique: rename one of the two (renaming a published one breaks links to it)"


def _unique(items: list[_Item], problems: list[Problem], what: str) -> list[_Item]:
    seen: dict[str, _Item] = {}
    for item in items:
        first = seen.get(item.id)
        if first is None:
            seen[item.id] = item
            continue
        place, other = item.place_of("id"), first.place_of("id")
        problems.append(Problem(place.path, place.line, place.col, Severity.ERROR,
                                f"duplicate {what} id '{item.id}', also used at {other.path}:{other.line}",
                                DUPLICATE_ID_HINT))
    return list(seen.values())


def _unknown_related(ids: Iterable[str], place: Place, corpus: Corpus) -> Iterator[Problem]:
    """An error for each of the `related` `ids` (at `place`) that names no glossary entry."""
    for related in ids:
        if related not in corpus.terms and related not in corpus.invalid_term_ids:
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"`related` names unknown glossary entry '{related}'",
                          f"{suggest_id(related, corpus.terms)}use the id of an existing entry")


def cross_reference_problems(corpus: Corpus) -> Iterator[Problem]:
    """`related` entries that do not exist, and clashing term forms.

    Links in Markdown texts are checked on the tree Markdown makes of them (see
    `edition.render.BodyRenderer.problems`). An entry left out for errors of its own is
    not reported again as unknown.
    """
    for entry in corpus.glossary:
        yield from _unknown_related(entry.related, entry.place_of("related"), corpus)
    for note in corpus.annotations:
        other = corpus.notes.get(note.id.removesuffix("-title")) if note.id.endswith("-title") else None
        if other is not None and other.document == note.document:
            place = note.place_of("id")
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"id '{note.id}' would clash with an anchor the edition generates: `note-{note.id}` is also "
                          f"the id of the heading of note '{other.id}' ({other.place.path}:{other.place.line})",
                          "choose another id for one of the two")
    owners: dict[str, GlossaryEntry] = {}
    for entry in corpus.glossary:
        for form in entry.forms:
            owner = owners.setdefault(form, entry)
            if owner is not entry:
                place = entry.place_of("aliases" if form in entry.aliases else "term")
                first = owner.place_of("aliases" if form in owner.aliases else "term")
                yield Problem(place.path, place.line, place.col, Severity.ERROR,
                              f"'{form}' is a form of two glossary entries: '{owner.id}' ({first.path}:{first.line}) "
                              f"and '{entry.id}' (here)",
                              "a form can link to only one entry: remove it from one of the two")
