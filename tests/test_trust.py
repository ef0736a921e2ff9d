"""Issue 19: every input path hardened; check and build agree; messages are one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_project
from edition.cli import main
from edition.problems import Problem, Severity, one_line

BAD = Path(__file__).resolve().parent / "bad"


@pytest.mark.parametrize(("text", "shown"), [
    ("a\nb", "a\\nb"), ("\x1b[31mred", "\\x1b[31mred"), ("A\ud800", "A\\ud800"), ("x\u2028y", "x\\u2028y"),
    ("\x85", "\\x85"), ("\x00", "\\x00"), ("plain “text” — ok", "plain “text” — ok"),
])
def test_one_line_shows_unprintable_characters_escaped(text: str, shown: str) -> None:
    assert one_line(text) == shown


def test_a_problem_is_one_printable_line_whatever_its_value_holds() -> None:
    problem = Problem("a.yml", 3, 5, Severity.ERROR, "link 'x\ny\x1b[2J' is bad", "fix\r\nit")
    assert str(problem) == "a.yml:3:5: error: link 'x\\ny\\x1b[2J' is bad — fix\\r\\nit"


@pytest.mark.parametrize("output", ["text", "github"])
def test_escape_sequences_are_not_echoed_by_edition_check(tmp_path: Path, output: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    shutil.copy(BAD / "annotations" / "escape-sequence.yml", project / "annotations")
    code = main(["check", "-f", str(project / "mkdocs.yml"), "--format", output])
    out = capsys.readouterr().out
    assert code == 1
    assert out.count("\n") == 1
    assert "\x1b" not in out
    assert "`title` contains U+001B ESCAPE" in out
    if output == "github":
        assert out.startswith("::error file=annotations/escape-sequence.yml,line=7,col=10::")
