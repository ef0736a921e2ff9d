"""A small offline runner for the W3C Web Annotation Data Model test suite (`tests/w3c/`).

The suite is JSON Schema (draft-04): `definitions/*.json` are shared libraries referenced
by bare file name, each assertion file is a schema plus `assertionType` (must, should,
may) and `expectedResult` (valid, invalid), and a `.test` file lists assertion files
(nested lists are groups). An object conforms when every MUST assertion of a `.test`
file gives its expected result.

Assertions are compiled one at a time against a registry holding only the definitions,
because two assertion ids repeat across folders. Formats are really checked: `uri` by
`rfc3986-validator` (which `jsonschema` picks up when installed; without it "a 001"
would pass as a URI) and `date-time` by a strict RFC 3339 check of our own (which
`jsonschema` only does when `rfc3339-validator` is installed).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUITE = Path(__file__).resolve().parent / "w3c"

RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")


@dataclass(frozen=True)
class Failure:
    """An assertion that did not give its expected result."""

    assertion: str
    """Path of the assertion file, relative to the suite folder."""
    message: str
    """The suite's own `errorMessage`, with the first validation error when there is one."""

    def __str__(self) -> str:
        return f"{self.assertion}: {self.message}"


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats only constrain strings
    if not RFC3339.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@cache
def format_checker() -> FormatChecker:
    """Draft 4's format checker, which must know `uri`, plus a strict `date-time`."""
    checker = FormatChecker(Draft4Validator.FORMAT_CHECKER.checkers)
    if "uri" not in checker.checkers:
        raise RuntimeError("`format: uri` would not be checked: install rfc3986-validator")
    checker.checks("date-time")(_is_date_time)
    return checker


@cache
def registry() -> Registry:
    """The suite's seven shared definition files, by their bare ids."""
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["id"], Resource.from_contents(contents, default_specification=DRAFT4)))
    assert len(resources) == 7, "the suite has seven definition files"
    return Registry().with_resources(resources)


@cache
def _assertion(relative: str) -> dict[str, Any]:
    contents: dict[str, Any] = json.loads((SUITE / relative).read_text(encoding="utf-8"))
    return contents


def assertions(test: str) -> list[str]:
    """The assertion files a `.test` file lists (groups flattened), relative to the suite."""
    listed = json.loads((SUITE / test).read_text(encoding="utf-8"))["assertions"]
    found: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            elif isinstance(item, str):
                found.append(item)
            else:
                raise ValueError(f"{test}: unsupported assertion entry {item!r}")

    walk(listed)
    return found


def check(relative: str, instance: object) -> Failure | None:
    """Run one assertion file; a `Failure` when the result is not the expected one."""
    return evaluate(relative, _assertion(relative), instance)


def evaluate(name: str, schema: dict[str, Any], instance: object) -> Failure | None:
    """Run one assertion given as a schema; a `Failure` named `name` when the result is not the expected one."""
    validator = Draft4Validator(schema, registry=registry(), format_checker=format_checker())
    errors = list(validator.iter_errors(instance))
    expected_valid = schema.get("expectedResult", "valid") == "valid"
    if (not errors) == expected_valid:
        return None
    detail = f" ({errors[0].message[:200]})" if errors else " (valid, but expected to be invalid)"
    return Failure(name, schema.get("errorMessage", "assertion failed") + detail)


def must_failures(test: str, instance: object) -> list[Failure]:
    """Every MUST assertion of `test` (e.g. "annotations/annotationMusts.test") that `instance` fails."""
    failures: list[Failure] = []
    for relative in assertions(test):
        if _assertion(relative).get("assertionType") != "must":
            continue
        failure = check(relative, instance)
        if failure is not None:
            failures.append(failure)
    return failures
