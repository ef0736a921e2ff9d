"""The `edition check` console script: same validation as the build, exit codes, formats."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

from conftest import FIXTURES, copy_project

if TYPE_CHECKING:
    from pathlib import Path

CHECK = [sys.executable, "-m", "edition.cli", "check"]


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CHECK, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120)


def test_clean_project_exits_zero(tmp_path: Path) -> None:
    result = run(copy_project(tmp_path / "p"))
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.strip() == "0 error(s), 0 warning(s)"


def test_problems_exit_one_in_text_and_github_formats(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    note = project / "annotations" / "sample.yml"
    note.write_text(note.read_text(encoding="utf-8").replace("quote: Tolkien fans", "quote: Tolkein fans"),
                    encoding="utf-8")
    result = run(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "annotations/sample.yml:90:10: error: quote “Tolkein fans” is not in document 'interview' — copy the "
        "exact words from the text; nearest: ¶11 “Tolkien fans” (92%); ¶13 “Tolkien fans” (92%)",
    ]
    github = run(project, "--format", "github")
    assert github.returncode == 1
    assert github.stdout.startswith("::error file=annotations/sample.yml,line=90,col=10::quote “Tolkein fans”")


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    assert run(tmp_path).returncode == 2
    assert run(tmp_path, "--format", "xml").returncode == 2
