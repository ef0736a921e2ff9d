"""The edition's metadata has one place per edition (`mkdocs.yml`) and one per document (its
declaration's `original:`); CITATION.cff is written from them and checked against them."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import jsonschema
import yaml

from conftest import EDITION, FIXTURES, ROOT, copy_project, edit, mkdocs_build
from edition.checking import check
from edition.cli import main

if TYPE_CHECKING:
    from pathlib import Path

CFF_SCHEMA = ROOT / "tests" / "vendor" / "cff" / "schema.json"
MISMATCH = ("CITATION.cff:1:1: warning: CITATION.cff does not say what the edition's metadata says — run "
            "`edition citation` to write it from mkdocs.yml and the documents' `original:`")


def project_with_citation(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    shutil.copy(EDITION / "CITATION.cff", project / "CITATION.cff")
    return project


def test_the_citation_file_is_valid_cff_and_says_what_the_metadata_says(tmp_path: Path) -> None:
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    written = yaml.safe_load((EDITION / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(written, schema, format_checker=jsonschema.FormatChecker())
    assert written["title"] == yaml.safe_load((EDITION / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"]
    reference = written["references"][0]
    declared = yaml.safe_load((EDITION / "documents" / "interview.yml").read_text(encoding="utf-8"))[0]["original"]
    assert (reference["title"], reference["publisher"]["name"], reference["date-published"]) == (
        declared["title"], declared["publisher"], declared["date"])
    project = project_with_citation(tmp_path)
    assert not [problem for problem in check(project / "mkdocs.yml") if "CITATION" in str(problem)]


def test_metadata_and_citation_out_of_step_is_a_warning_until_edition_citation_writes_it(tmp_path: Path) -> None:
    project = project_with_citation(tmp_path)
    edit(project / "documents" / "interview.yml", "    publisher: Pravda.Ru", "    publisher: Pravda.Ru (video)")
    assert [str(problem) for problem in check(project / "mkdocs.yml")] == [MISMATCH]
    built = mkdocs_build(project)  # the build says the same, and a strict build stops on it
    assert built.returncode == 1 and MISMATCH in built.stderr
    assert main(["citation", "-f", str(project / "mkdocs.yml")]) == 0
    assert check(project / "mkdocs.yml") == []
    written = yaml.safe_load((project / "CITATION.cff").read_text(encoding="utf-8"))
    assert written["references"][0]["publisher"] == {"name": "Pravda.Ru (video)"}
    jsonschema.validate(written, json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))


def test_a_placeholder_left_in_the_metadata_is_a_warning_at_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    edit(project / "mkdocs.yml", 'site_name: "Kazakhstan', 'site_name: "TODO: the edition\'s title — Kazakhstan')
    edit(project / "documents" / "interview.yml", "    publisher: Pravda.Ru", "    publisher: TODO the outlet")
    assert [str(problem) for problem in check(project / "mkdocs.yml")] == [
        "documents/interview.yml:10:16: warning: the `original:` of document 'interview' still holds a placeholder "
        "(TODO the outlet) — write what the document presents: its title, authors, publisher and date",
        "mkdocs.yml:3:13: warning: the edition's metadata still holds a placeholder (TODO: the edition's title — "
        "Kazakhstan, Russia and their neighbours — an annotated edition) — write the edition's own value in its "
        "place"]
