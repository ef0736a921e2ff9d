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

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import fastjsonschema
import iuliia
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from edition.lint import lint
from edition.model import Annotation, Corpus, GlossaryEntry, KazakhName, Place, Source
from edition.problems import Problem, Severity
from edition.yamlfile import JsonPath, YamlDocument, read_yaml

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from pathlib import Path

    from jsonschema import Draft202012Validator, ValidationError

DATA_SUFFIXES = (".yml", ".yaml")

_Item = TypeVar("_Item", Annotation, GlossaryEntry)

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
    """The JSON Schema for `kind` ("annotations" or "glossary"), as shipped in the package."""
    text = resources.files("edition").joinpath(f"schemas/{kind}.schema.json").read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


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


def suggest(word: str, choices: Iterable[str]) -> str:
    """' — did you mean …?' text for the closest choice, or '' if none is close."""
    match = process.extractOne(word, list(choices), score_cutoff=70)
    return f"did you mean '{match[0]}'? " if match else ""


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
        "title": "keep the title on a single line",
        "term": "remove spaces at the start and end",
        "wikidata": "write a Wikidata item id such as Q12345, or leave `wikidata` out",
        "related": "list glossary ids such as 'knb'",
        "aliases": "remove spaces at the start and end of the alias",
    }
)

TYPE_NAMES = MappingProxyType(
    {"string": "text", "integer": "a whole number", "array": "a list", "object": "a mapping of fields"}
)


def _field_name(path: JsonPath) -> str:
    names = [part for part in path if isinstance(part, str)]
    return names[-1] if names else "entry"


def _required(doc: YamlDocument, error: ValidationError) -> Iterator[Problem]:
    for name in error.validator_value:
        if isinstance(error.instance, dict) and name not in error.instance:
            what = _what(doc, tuple(error.absolute_path))
            yield _problem(doc, doc.place(tuple(error.absolute_path)), f"{what} has no `{name}`",
                           f"add a `{name}:` field (see README: data formats)")


def _additional(doc: YamlDocument, error: ValidationError) -> Iterator[Problem]:
    allowed = list(error.schema.get("properties", {}))
    path = tuple(error.absolute_path)
    for name in error.instance:
        if name not in allowed:
            yield _problem(doc, doc.key_place((*path, name)), f"unknown field `{name}`",
                           f"{suggest(name, allowed)}allowed fields: {', '.join(allowed)}")


def _enum(doc: YamlDocument, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    choices = [str(value) for value in error.validator_value]
    yield _problem(doc, doc.place(path), f"'{error.instance}' is not a valid `{_field_name(path)}`",
                   f"{suggest(str(error.instance), choices)}use one of: {', '.join(choices)}")


def _type(doc: YamlDocument, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    expected = TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
    got = type(error.instance).__name__
    hint = "put the value in double quotes" if expected == "text" else f"write {expected} here"
    if not path:
        yield _problem(doc, doc.place(path), f"the file must be a list of entries, not {got}",
                       "start each entry with '- id: …'")
        return
    yield _problem(doc, doc.place(path), f"`{_field_name(path)}` must be {expected}, not {got}", hint)


def _pattern(doc: YamlDocument, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    name = _field_name(path)
    yield _problem(doc, doc.place(path), f"`{name}` has an invalid value {error.instance!r}",
                   FIELD_HINTS.get(name, f"match the pattern {error.validator_value}"))


def _length(doc: YamlDocument, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    name = _field_name(path)
    if error.validator == "minLength":
        yield _problem(doc, doc.place(path), f"`{name}` is empty", f"write a value for `{name}` or remove it")
    else:
        yield _problem(doc, doc.place(path), f"`{name}` is longer than {error.validator_value} characters",
                       "shorten it")


def _items(doc: YamlDocument, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    if error.validator == "minItems":
        yield _problem(doc, doc.place(path), "the list is empty", "add at least one entry or delete the file")
    else:
        yield _problem(doc, doc.place(path), f"`{_field_name(path)}` lists a value twice", "remove the repeat")


def _minimum(doc: YamlDocument, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    yield _problem(doc, doc.place(path), f"`{_field_name(path)}` must be at least {error.validator_value}",
                   "count matches from 1")


def _generic(doc: YamlDocument, error: ValidationError) -> Iterator[Problem]:
    yield _problem(doc, doc.place(tuple(error.absolute_path)), error.message, "see README: data formats")


SCHEMA_ERRORS: MappingProxyType[str, Callable[[YamlDocument, ValidationError], Iterator[Problem]]] = (
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


def _what(doc: YamlDocument, path: JsonPath) -> str:
    if len(path) == 1 and isinstance(doc.data, list) and isinstance(path[0], int):
        item = doc.data[path[0]]
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"entry '{item['id']}'"
        return f"entry {int(path[0]) + 1}"
    return f"`{_field_name(path)}`"


def _problem(doc: YamlDocument, place: Place, message: str, hint: str) -> Problem:
    return Problem(doc.path, place.line, place.col, Severity.ERROR, message, hint)


def schema_problems(doc: YamlDocument, kind: str) -> tuple[list[Problem], set[int]]:
    """Problems from validating `doc` against the `kind` schema, and the indexes of bad items."""
    problems: list[Problem] = []
    bad: set[int] = set()
    if is_valid(doc.data, kind):
        return problems, bad
    for error in _validator(kind).iter_errors(doc.data):
        path = tuple(error.absolute_path)
        if path and isinstance(path[0], int):
            bad.add(path[0])
        if path in doc.refused:
            continue
        problems.extend(SCHEMA_ERRORS.get(str(error.validator), _generic)(doc, error))
    return problems, bad


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
        field_places=_places(doc, index, item),
    )


def _entry(doc: YamlDocument, index: int, item: dict[str, Any], scheme: str) -> GlossaryEntry:
    kazakh = item.get("kazakh")
    return GlossaryEntry(
        id=item["id"],
        term=item["term"],
        full=item["full"],
        translation=item["translation"],
        translit=item.get("translit") or transliterate(item["term"], scheme),
        definition=item["definition"],
        place=doc.place((index,)),
        aliases=tuple(item.get("aliases", ())),
        related=tuple(item.get("related", ())),
        kazakh=KazakhName(**kazakh) if kazakh else None,
        sources=_sources(item.get("sources")),
        field_places=_places(doc, index, item),
    )


def transliterate(text: str, scheme: str = DEFAULT_TRANSLIT_SCHEME) -> str:
    """Romanise Cyrillic `text` with a standard scheme from the `iuliia` library."""
    result: str = TRANSLIT_SCHEMES[scheme].translate(text)
    return result


# ---------------------------------------------------------------------------------------
# Whole corpus
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    """A corpus of the valid items, and every problem found while loading."""

    corpus: Corpus
    problems: tuple[Problem, ...]


def data_files(folder: Path) -> list[Path]:
    """The YAML files under `folder`, in a stable order independent of the file system."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.rglob("*") if p.suffix in DATA_SUFFIXES and p.is_file()),
                  key=lambda p: p.relative_to(folder).as_posix())


def valid_items(folder: Path | None, root: Path, kind: str, problems: list[Problem],
                invalid_ids: set[str] | None = None) -> Iterator[tuple[YamlDocument, int, dict[str, Any]]]:
    """Each item of each `kind` file under `folder` that passes the schema, in a stable order.

    Problems of every file go into `problems`; paths in them are relative to `root`. The ids
    of the items left out (those that fail the schema, and those of files that cannot be
    read) go into `invalid_ids`, so that links to them need not be reported as well.
    """
    for path in data_files(folder) if folder else []:
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        doc = read_yaml(path, shown)
        problems.extend(doc.problems)
        if doc.data is None:
            if invalid_ids is not None:
                invalid_ids.update(_written_ids(doc))
            continue
        found, bad = schema_problems(doc, kind)
        problems.extend(found)
        if invalid_ids is not None:
            left_out = [doc.data[index] for index in bad] if isinstance(doc.data, list) else [doc.data]
            invalid_ids.update(item["id"] for item in left_out
                               if isinstance(item, dict) and isinstance(item.get("id"), str))
        if isinstance(doc.data, list):
            yield from ((doc, index, item) for index, item in enumerate(doc.data) if index not in bad)


_ID_LINE = re.compile(r"""^[ \t-]*id:[ \t]*["']?([^"'\s#]+)""")
"""An `id:` line (`- id: knb`), the only way to know the ids of a file YAML cannot read."""


def _written_ids(doc: YamlDocument) -> Iterator[str]:
    for line in doc.lines:
        match = _ID_LINE.match(line)
        if match:
            yield match.group(1)


def load_corpus(annotations_dir: Path, glossary_dir: Path, root: Path,
                translit_scheme: str = DEFAULT_TRANSLIT_SCHEME) -> LoadResult:
    """Load and validate every data file; paths in problems are relative to `root`."""
    problems: list[Problem] = []
    annotations: list[Annotation] = []
    entries: list[GlossaryEntry] = []
    invalid_notes: set[str] = set()
    invalid_terms: set[str] = set()

    for doc, index, item in valid_items(annotations_dir, root, "annotations", problems, invalid_notes):
        annotations.append(_annotation(doc, index, item))
    for doc, index, item in valid_items(glossary_dir, root, "glossary", problems, invalid_terms):
        entries.append(_entry(doc, index, item, translit_scheme))

    annotations = _unique(annotations, problems, "annotation")
    entries = _unique(entries, problems, "glossary entry")
    corpus = Corpus(tuple(annotations), tuple(entries),
                    frozenset(invalid_notes - {a.id for a in annotations}),
                    frozenset(invalid_terms - {e.id for e in entries}))
    problems.extend(cross_reference_problems(corpus))
    problems.extend(lint(corpus))
    return LoadResult(corpus, tuple(sorted(set(problems))))


def _unique(items: list[_Item], problems: list[Problem], what: str) -> list[_Item]:
    seen: dict[str, _Item] = {}
    for item in items:
        first = seen.get(item.id)
        if first is None:
            seen[item.id] = item
            continue
        place = item.place_of("id")
        problems.append(Problem(place.path, place.line, place.col, Severity.ERROR,
                                f"duplicate {what} id '{item.id}', first used at "
                                f"{first.place_of('id').path}:{first.place_of('id').line}",
                                "give this one a different id"))
    return list(seen.values())


def cross_reference_problems(corpus: Corpus) -> Iterator[Problem]:
    """`related` entries that do not exist, and clashing term forms.

    Links in Markdown texts are checked on the tree Markdown makes of them (see
    `edition.render.BodyRenderer.problems`). An entry left out for errors of its own is
    not reported again as unknown.
    """
    for entry in corpus.glossary:
        for related in entry.related:
            if related not in corpus.terms and related not in corpus.invalid_term_ids:
                place = entry.place_of("related")
                yield Problem(place.path, place.line, place.col, Severity.ERROR,
                              f"`related` names unknown glossary entry '{related}'",
                              f"{suggest_id(related, corpus.terms)}use the id of an existing entry")
    owners: dict[str, GlossaryEntry] = {}
    for entry in corpus.glossary:
        for form in entry.forms:
            owner = owners.setdefault(form, entry)
            if owner is not entry:
                place = entry.place_of("aliases" if form in entry.aliases else "term")
                first = owner.place_of("aliases" if form in owner.aliases else "term")
                yield Problem(place.path, place.line, place.col, Severity.ERROR,
                              f"'{form}' is also a form of glossary entry '{owner.id}' "
                              f"({first.path}:{first.line})",
                              "a form can link to only one entry: remove it from one of the two")
