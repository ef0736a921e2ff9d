"""Problems found in an edition's data, reported as one line each.

Every problem has a place (file, line, column), a severity, what is wrong and how to
fix it, so that a contributor who does not read Python can act on it:

    annotations/people.yml:12:5: error: unknown type 'corection' — did you mean 'correction'?
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path


def display_path(path: Path, root: Path) -> str:
    """How problems name a file: relative to the edition's root when inside it, with forward slashes."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""What may not reach a terminal or a log as it is: control characters (a new line, a terminal's
escape sequences), the Unicode line separators, lone surrogates (which cannot be printed)."""


def one_line(text: str) -> str:
    """`text` with every unprintable character written as a Python escape (`\\n`, `\\x1b`,
    `\\u2028`), so that a message is one line and shows what a value holds."""
    return UNPRINTABLE.sub(lambda found: repr(found.group())[1:-1], text)


class Severity(StrEnum):
    """How bad a problem is: errors fail the build, warnings fail only `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located in a file."""

    path: str
    """The file, relative to the project root, with forward slashes."""
    line: int
    """1-based line; 0 when the problem concerns the whole file."""
    col: int
    """1-based column; 1 when unknown."""
    severity: Severity
    message: str
    """What is wrong."""
    hint: str
    """How to fix it."""

    def __str__(self) -> str:
        return one_line(f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message} — {self.hint}")

    @property
    def is_error(self) -> bool:
        """Whether this problem fails a normal build."""
        return self.severity is Severity.ERROR


def format_problems(problems: Iterable[Problem]) -> str:
    """All problems, sorted by place, one per line."""
    return "\n".join(str(problem) for problem in sorted(problems))


class EditionError(Exception):
    """Raised when the edition's data has errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        count = sum(problem.is_error for problem in self.problems)
        super().__init__(f"{count} problem(s) in the edition's data:\n{format_problems(self.problems)}")


class LinesError(Exception):
    """Why a command did nothing: one line each, `file:line: what — how to fix`."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def line_of(page: Path, needle: str) -> int:
    """The 1-based line of `page` where `needle` first occurs (1 if it does not, or `page` cannot be read)."""
    try:
        text = page.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1
    found = text.find(needle) if needle else -1
    return text.count("\n", 0, found) + 1 if found >= 0 else 1
