"""The `edition check` console script: same validation as the build, exit codes, formats."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

from conftest import FIXTURES, copy_project

if TYPE_CHECKING:
    from pathlib import Path

def run(cwd: Path, *args: str, command: str = "check") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "edition.cli", command, *args], cwd=cwd, capture_output=True,
                          text=True, check=False, timeout=120)


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


def fills_in_the_placeholders(project: Path, *names: str) -> None:
    """The check finds nothing wrong with new files but their TODO title and body; filled in, nothing at all."""
    result = run(project)
    assert result.returncode == 1
    found = [(line.split(":")[0], line.split(": error: ")[1].split(" — ")[0]) for line in result.stdout.splitlines()]
    assert found == [(f"annotations/{name}", f"`{field}` still holds a TODO placeholder (as `edition new` writes it)")
                     for name in sorted(names) for field in ("title", "body")]
    for name in names:
        path = project / "annotations" / name
        text = re.sub(r"TODO: the note.*", "The note.", path.read_text(encoding="utf-8"))
        path.write_text(text.replace("TODO: a one-line title", "A title"), encoding="utf-8")
    filled = run(project)
    assert (filled.returncode, filled.stdout) == (0, "")


def test_new_writes_a_valid_annotation_for_a_unique_quote(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    result = run(project, "the Beskid tunnel", "--type", "place", command="new")
    assert result.returncode == 0, result.stderr
    written = project / "annotations" / "the-beskid-tunnel.yml"
    assert result.stdout.strip() == str(written)
    text = written.read_text(encoding="utf-8")
    assert 'quote: "the Beskid tunnel"' in text and "type: place" in text and "document: interview" in text
    assert "prefix" not in text and "suffix" not in text
    fills_in_the_placeholders(project, "the-beskid-tunnel.yml")


def test_new_lists_candidates_for_a_repeated_quote_then_disambiguates(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    listed = run(project, "Tolkien fans", command="new")
    assert listed.returncode == 1
    assert listed.stderr.splitlines()[:2] == [
        "quote “Tolkien fans” occurs 3 times; rerun with --occurrence N:",
        '  1: ¶11 “…enly raided a group of "Tolkien fans" — people who liked elv…”',
    ]
    assert not (project / "annotations" / "tolkien-fans.yml").exists()
    chosen = run(project, "Tolkien fans", "--occurrence", "2", command="new")
    assert chosen.returncode == 0
    assert '  suffix: "also"\n' in (project / "annotations" / "tolkien-fans.yml").read_text(encoding="utf-8")
    second = run(project, "Tolkien fans", "--occurrence", "3", command="new")
    assert second.returncode == 0
    assert (project / "annotations" / "tolkien-fans-2.yml").is_file()
    fills_in_the_placeholders(project, "tolkien-fans.yml", "tolkien-fans-2.yml")


def test_a_changed_transcript_names_every_stale_annotation_and_the_new_passage(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    for changed in (project / "docs" / "interview.md", project / "docs" / "sources" / "interview.txt"):
        text = changed.read_text(encoding="utf-8")
        changed.write_text(text.replace("capital of Akmola region", "capital of Akmola Region"), encoding="utf-8")
    result = run(project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "annotations/sample.yml:21:10: error: quote “lived in Kostanay, the capital of Akmola region” is not in "
        "document 'interview' — copy the exact words from the text; nearest: ¶6 “lived in Kostanay, the capital of "
        "Akmola Region” (98%)",
        "annotations/sample.yml:31:10: error: quote “the capital of Akmola region” is not in document 'interview' — "
        "copy the exact words from the text; nearest: ¶6 “the capital of Akmola Region” (96%)",
        "index/entities.yml:184:3: warning: entity 'akmola-region' is mentioned nowhere in the text — copy the "
        "exact form the text uses into `mentions`",
    ]
