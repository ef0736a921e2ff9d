"""The product's tests are independent of the repository's own edition (issue 17, item 5): in
a copy of the repository whose only document is another transcript, with none of the first
edition's notes, glossary or index, that edition builds strictly and the product's suite
(all but `tests/content/`) passes. The browser and build tiers are left out here for time;
they read the same fixture edition (`tests/fixtures/edition/`) as the rest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from conftest import FIXTURES, ROOT, edit, mkdocs_build
from edition.cli import main
from edition.newedition import repository_files

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.build
FIRST_EDITION = ("documents", "annotations", "glossary", "index", "docs/sources", "docs/interview.md",
                 "docs/index.md", "CITATION.cff")
"""What the repository holds of the first edition (its product files aside)."""


def repository_copy(target: Path) -> Path:
    """The repository's files (tracked, or new and not ignored) copied into `target`."""
    for name in repository_files(ROOT):  # as `edition new-edition` lists them
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    return target


def test_the_product_suite_passes_on_an_edition_of_another_transcript(tmp_path: Path) -> None:
    project = repository_copy(tmp_path / "repo")
    for name in FIRST_EDITION:
        path = project / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    for folder in ("documents", "annotations", "glossary", "index"):
        (project / folder).mkdir()
    edit(project / "mkdocs.yml", "  - The interview: interview.md\n", "")
    (project / "docs" / "index.md").write_text("# A press availability\n\nAn edition of one briefing.\n",
                                               encoding="utf-8")
    assert main(["add-document", str(FIXTURES / "texts" / "press-availability.txt"), "--id", "press",
                 "-f", str(project / "mkdocs.yml")]) == 0
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    assert "WARNING" not in built.stderr, built.stderr
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    suite = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                            "--ignore=tests/content", "-m", "not browser and not build"],
                           cwd=project, capture_output=True, text=True, check=False, timeout=900, env=env)
    assert suite.returncode == 0, suite.stdout[-3000:] + suite.stderr[-2000:]
    assert " passed" in suite.stdout.splitlines()[-1]
