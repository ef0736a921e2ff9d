"""Problems of the edition's configuration (`mkdocs.yml`), each one line at its place.

A YAML error in `mkdocs.yml`, an option of the `edition` extension that does not exist, an
unknown transliteration scheme or a data folder that is not there used to end in a traceback
(a `KeyError`), or, for a misspelt folder, in one "unknown annotation" error per link to a
note. Each is now one problem in `mkdocs.yml`, and nothing else is checked until it is fixed:
every other finding would follow from it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from edition.loading import TRANSLIT_SCHEMES, suggest
from edition.problems import Problem, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    _Make = Callable[[str, str, str], Problem]

FOLDERS = ("documents", "annotations", "glossary", "entities", "docs_dir")
"""Options that name a folder, which must exist when given."""

_MARK = re.compile(r'line (\d+), column (\d+)')


UNICODE_IDS = "unicode"
"""The value of the extension's `heading_ids` option that keeps every letter of a heading in its id."""


def _key_place(text: str, key: str) -> tuple[int, int]:
    """The line and column of the first `key:` in `text` (1, 1 if it is not there)."""
    found = re.search(rf"^([ \t-]*){re.escape(key)}\s*:", text, re.MULTILINE)
    if found is None:
        return 1, 1
    return text.count("\n", 0, found.start()) + 1, len(found.group(1)) + 1


def _read(config_file: Path) -> str:
    """The text of `config_file` ("" if it cannot be read)."""
    try:
        return config_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def config_error_problem(config_file: Path, error: Exception) -> Problem:
    """MkDocs' refusal to load `config_file` (a YAML error, a bad setting), as one problem."""
    message = str(error).strip() or type(error).__name__
    line, col = 1, 1
    mark = _MARK.search(message)
    setting = re.match(r"Config value '([\w.]+)'", message)
    if mark:
        line, col = int(mark.group(1)), int(mark.group(2))
    elif setting:
        line, col = _key_place(_read(config_file), setting.group(1).split(".")[-1])
    first = message.split("\n", 1)[0].removeprefix("MkDocs encountered an error parsing the configuration file: ")
    yaml_error = "parsing the configuration file" in message
    what = f"YAML syntax error: {first}" if yaml_error else first
    hint = ("check indentation, quotes and colons on this line or the one above" if yaml_error
            else "see the MkDocs documentation of this setting")
    return Problem(config_file.name, line, col, Severity.ERROR, what, hint)


def option_problems(options: Mapping[str, object], known: Mapping[str, object], config_file: Path | None
                    ) -> list[Problem]:
    """What is wrong with the `edition` extension's `options` (`known`: its options and defaults)."""
    text = _read(config_file) if config_file is not None else ""
    name = config_file.name if config_file is not None else "mkdocs.yml"

    def problem(key: str, message: str, hint: str) -> Problem:
        line, col = _key_place(text, key)
        return Problem(name, line, col, Severity.ERROR, message, hint)

    return list(_option_problems(options, known, problem))


def _option_problems(options: Mapping[str, object], known: Mapping[str, object], problem: _Make
                     ) -> Iterator[Problem]:
    for key in options:
        if key not in known:
            yield problem(key, f"`{key}` is not an option of the `edition` extension",
                          f"{suggest(key, known)}options: {', '.join(known)}")
    scheme = options.get("translit_scheme", "bgn_pcgn")
    if not isinstance(scheme, str) or scheme not in TRANSLIT_SCHEMES:
        yield problem("translit_scheme", f"`translit_scheme: {scheme}` is not a transliteration scheme of the edition",
                      f"{suggest(str(scheme), TRANSLIT_SCHEMES)}use one of: {', '.join(TRANSLIT_SCHEMES)}")
    ids = options.get("heading_ids", "")
    if ids not in ("", UNICODE_IDS):
        yield problem("heading_ids", f"`heading_ids: {ids}` is not a value of this option",
                      f"use `heading_ids: {UNICODE_IDS}`, or leave the option out for the `toc` extension's own ids")
    base = Path(str(options.get("base_dir") or "."))  # relative folders are read from the config file's folder
    for key in FOLDERS:
        folder = options.get(key)
        if folder and not (base / str(folder)).is_dir():
            yield problem(key, f"`{key}` names the folder {folder}, which does not exist",
                          "create the folder, or correct the path under `edition:` (relative to the folder of "
                          "mkdocs.yml)")
