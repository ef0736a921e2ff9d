"""The quick schema check (`fastjsonschema`) and the explaining one (`jsonschema`) agree.

A file the quick check passes is never explained, so a file it wrongly passed would load
with an error nobody reports. Both are given the same data: every data file of the
repository (good and bad) and many random variations of a valid item of each kind.
"""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edition import loading
from edition.loading import _validator, is_valid
from edition.vocabulary import ANNOTATION_TYPES, VOCABULARIES
from edition.yamlfile import read_yaml

ROOT = Path(__file__).resolve().parent.parent
EDITION = ROOT / "tests" / "fixtures" / "edition"
FOLDERS = {"annotations": [EDITION / "annotations", ROOT / "tests/bad/annotations",
                           ROOT / "tests/fixtures/annotations"],
           "glossary": [EDITION / "glossary", ROOT / "tests/bad/glossary", ROOT / "tests/fixtures/glossary"],
           "entities": [EDITION / "index"], "documents": [EDITION / "documents"]}


def explained(data: object, kind: str) -> bool:
    """Whether `jsonschema` finds no error."""
    return not any(True for _ in _validator(kind).iter_errors(data))


def data_files() -> list[tuple[str, Path, object]]:
    """Kind, path and data of every data file, read as the edition reads it (those it cannot read stop
    before the schema)."""
    found: list[tuple[str, Path, object]] = []
    for kind, folders in FOLDERS.items():
        for path in sorted(p for folder in folders for p in folder.glob("*.y*ml")):
            data = read_yaml(path, path.name).data
            if data is not None:
                found.append((kind, path, data))
    return found


@pytest.mark.parametrize(("kind", "path", "data"), data_files(),
                         ids=lambda value: str(value).rsplit("/", 2)[-1][:40])
def test_both_checks_give_every_data_file_the_same_verdict(kind: str, path: Path, data: object) -> None:
    assert is_valid(data, kind) == explained(data, kind), path


def test_the_data_files_include_both_verdicts() -> None:
    files = data_files()
    assert len(files) > 40
    assert {explained(data, kind) for kind, _, data in files} == {True, False}


VALID: dict[str, dict[str, Any]] = {
    "annotations": {"id": "a-note", "document": "interview", "type": "context", "quote": "q", "title": "T",
                    "body": "B", "author": "A", "status": "verified", "confidence": "high", "prefix": "p",
                    "suffix": "s", "occurrence": 1, "wikidata": "Q1", "created": "2025-01-01",
                    "sources": [{"title": "S", "url": "https://example.org/", "date": "2025-10"}]},
    "glossary": {"id": "sizo", "term": "СИЗО", "full": "следственный изолятор", "translation": "t",
                 "definition": "d", "aliases": ["сизо"], "related": ["knb"], "translit": "SIZO",
                 "kazakh": {"full": "тергеу изоляторы", "abbr": "ТИ"}, "sources": [{"title": "S"}]},
    "entities": {"id": "tokayev", "name": "Kassym-Jomart Tokayev", "kind": "person", "mentions": ["Tokayev"],
                 "wikidata": "Q1", "description": "d"},
    "documents": {"id": "briefing", "page": "briefing.md", "source": "../texts/briefing.txt", "title": 1,
                  "caption": [2], "lede": [3], "source_line": [9], "statement": [10],
                  "speakers": [{"label": "MINISTER ABENOV", "name": "Aibek Abenov"}], "not_speakers": ["Note"],
                  "turns": [{"line": 4, "speaker": "MINISTER ABENOV"}]},
}

values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False)
    | st.sampled_from(["", " ", "x", "Q42", "2025-13-01", "2025-10", "https://a.b/", "javascript:x", "mailto:a",
                       "verified", "context", "high", "a b", "-", "СИЗО", "a" * 300, "\u00a0", "\t"]),
    # min_size=1: each branch always draws from `inner` (else Hypothesis may warn that the
    # extension never uses its argument, a warning the tests treat as an error).
    lambda inner: st.lists(inner, min_size=1, max_size=3) | st.dictionaries(st.sampled_from(["title", "url", "x"]),
                                                                            inner, min_size=1, max_size=3),
    max_leaves=6)


@st.composite
def variations(draw: st.DrawFn) -> tuple[str, object]:
    kind = draw(st.sampled_from(sorted(VALID)))
    item = dict(VALID[kind])
    for name in draw(st.lists(st.sampled_from([*item, "unknown"]), max_size=3)):
        if draw(st.booleans()):
            item.pop(name, None)
        else:
            item[name] = draw(values)
    data = draw(st.sampled_from([[item], [item, item], item, [], [[item]]]))
    return kind, data


@settings(max_examples=600, deadline=None)
@given(variations())
def test_both_checks_give_random_variations_the_same_verdict(case: tuple[str, object]) -> None:
    kind, data = case
    assert is_valid(data, kind) == explained(data, kind), data


def test_the_schema_files_list_the_vocabularies_of_the_code() -> None:
    # Editors' completion reads the files; the loader takes the values from `edition.vocabulary`.
    for (kind, name), values in VOCABULARIES.items():
        shipped = json.loads((ROOT / "src" / "edition" / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
        assert shipped["$defs"]["annotation"]["properties"][name]["enum"] == list(values), \
            f"schemas/{kind}.schema.json: `{name}` must list exactly {list(values)} (edition/vocabulary.py)"


def test_a_type_added_to_a_schema_file_alone_is_refused_not_a_crash(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = json.loads((ROOT / "src" / "edition" / "schemas" / "annotations.schema.json").read_text("utf-8"))
    shipped["$defs"]["annotation"]["properties"]["type"]["enum"].append("rumour")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "annotations.schema.json").write_text(json.dumps(shipped), "utf-8")
    caches = (loading.schema, loading._validator, loading._fast_validator)
    monkeypatch.setattr(importlib.resources, "files", lambda package: tmp_path)
    for cached in caches:
        cached.cache_clear()
    try:
        assert loading.schema("annotations")["$defs"]["annotation"]["properties"]["type"]["enum"] == \
            list(ANNOTATION_TYPES)
        item = {**VALID["annotations"], "type": "rumour"}
        assert not is_valid([item], "annotations") and not explained([item], "annotations")
        assert is_valid([VALID["annotations"]], "annotations")
    finally:
        monkeypatch.undo()
        for cached in caches:
            cached.cache_clear()
