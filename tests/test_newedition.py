"""`edition new-edition`: a new edition in three commands — new-edition, add-document, serve."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from conftest import FIXTURES, ROOT, mkdocs_build
from edition.checking import check
from edition.cli import main

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.build
def test_a_new_edition_has_the_product_none_of_this_content_and_builds_once_its_metadata_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "briefings"
    assert main(["new-edition", str(folder), "--title", "Briefings on the Caspian",
                 "-f", str(ROOT / "mkdocs.yml")]) == 0
    assert "next: cd" in capsys.readouterr().out
    for product in ("src/edition/extension.py", "hooks/edition_site.py", "overrides/main.html", "Makefile",
                    "docs/assets/edition.css", "tests/conftest.py", "tests/fixtures/edition/mkdocs.yml",
                    "tests/content/test_edition.py", ".ci/run", "docs/glossary.md"):
        assert (folder / product).is_file(), product
    for content in ("docs/interview.md", "docs/sources/interview.txt", "documents/interview.yml", "CITATION.cff",
                    "tests/content/test_apparatus.py"):
        assert not (folder / content).exists(), content
    assert not list((folder / "annotations").glob("*.yml")) and not list((folder / "glossary").glob("*.yml"))
    config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'site_name: "Briefings on the Caspian"' in config and "interview.md" not in config
    assert main(["add-document", str(FIXTURES / "texts" / "press-availability.txt"), "--id", "press",
                 "-f", str(folder / "mkdocs.yml")]) == 0
    warned = [str(problem) for problem in check(folder / "mkdocs.yml")]
    assert warned and all("still holds a placeholder" in line for line in warned)
    assert len(warned) == 6  # description, author, copyright, editors, publisher, date
    assert mkdocs_build(folder).returncode == 1  # strict: the template's metadata is not the edition's
    config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    assert "press.md" in config  # `add-document` put the page in the navigation
    written = re.sub(r'"TODO: [^"]*"', '"The editors"', config.replace('"TODO: YYYY-MM-DD"', '"2026-12-07"'))
    (folder / "mkdocs.yml").write_text(written, encoding="utf-8")
    assert check(folder / "mkdocs.yml") == []
    built = mkdocs_build(folder)
    assert built.returncode == 0, built.stderr
    assert (folder / "site" / "press" / "index.html").is_file()


def test_a_new_edition_goes_only_into_a_new_folder_outside_this_one(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new-edition", str(tmp_path / "taken"), "-f", str(ROOT / "mkdocs.yml")]) == 2
    assert "the folder is not empty" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]
    assert main(["new-edition", str(ROOT / "docs" / "new"), "-f", str(ROOT / "mkdocs.yml")]) == 2
    assert "inside this edition" in capsys.readouterr().err
    assert not (ROOT / "docs" / "new").exists()
