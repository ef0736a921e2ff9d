"""A corpus of deliberately broken files (tests/bad/): each gets its exact one-line message."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, copy_project
from edition.cli import main

BAD = Path(__file__).resolve().parent / "bad"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load((BAD / "expected.yml").read_text(encoding="utf-8"))


def run_check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["check", "-f", str(project / "mkdocs.yml")])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_the_corpus_covers_every_file() -> None:
    files = {p.relative_to(BAD).as_posix() for p in BAD.glob("*/*.yml")}
    assert files == set(EXPECTED)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    shutil.copy(BAD / name, project / name)
    code, lines, err = run_check(project, capsys)
    assert lines == EXPECTED[name]["lines"]
    assert code == EXPECTED[name]["exit"]
    assert "Traceback" not in err
    for line in lines:
        assert line.count(" — ") >= 1 and line.split(":")[0] in {name, "glossary/sizo.yml"}


def test_oversized_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    (project / "annotations" / "huge.yml").write_text("# padding\n" * 60_000, encoding="utf-8")
    code, lines, _ = run_check(project, capsys)
    assert (code, lines) == (1, ["annotations/huge.yml:1:1: error: file is 600,000 bytes, over the 524,288-byte "
                                 "limit — split it into several smaller files"])


def _build_lines(stderr: str) -> list[str]:
    """The problems a build printed, as `edition check` prints them (without the log's level)."""
    lines = [line.split(" -  ", 1)[1] if line.startswith(("WARNING", "ERROR")) else line
             for line in stderr.splitlines()]
    return sorted(line for line in lines if ": error: " in line or ": warning: " in line)


@pytest.mark.build
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_and_build_agree(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever `edition check` accepts, `mkdocs build --strict` accepts, and it refuses the
    rest with the same problems, without a traceback."""
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    shutil.copy(BAD / name, project / name)
    code, lines, _ = run_check(project, capsys)
    # Not `-q`, which keeps MkDocs from logging warnings, and so from counting them under `--strict`.
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True,
                           text=True, check=False, timeout=300)
    assert "Traceback" not in built.stderr
    assert (built.returncode == 0) == (code == 0), built.stderr
    assert _build_lines(built.stderr) == sorted(lines)
