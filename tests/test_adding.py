"""`edition add-document`: a new document from its text as received, in one command."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, copy_project, mkdocs_build
from edition.adding import AddError, Layout, add_document
from edition.checking import edition_layout
from edition.cli import main

if TYPE_CHECKING:
    from pathlib import Path

PRESS = FIXTURES / "texts" / "press-availability.txt"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "edition")


def layout(project: Path) -> Layout:
    return edition_layout(project / "mkdocs.yml")


def test_speakers_are_labels_seen_more_than_once_and_the_others_are_listed(project: Path) -> None:
    added = add_document(layout(project), PRESS, "press")
    assert added.speakers == (("MINISTER ABENOV", 2), ("SPECIAL ENVOY MARSH", 2), ("QUESTION", 2))
    assert added.not_speakers == (("MODERATOR", 10),)
    declaration = (project / "documents" / "press.yml").read_text(encoding="utf-8")
    assert '    - label: "SPECIAL ENVOY MARSH"\n' in declaration and 'not_speakers: ["MODERATOR"]' in declaration
    assert (project / "docs" / "sources" / "press.txt").read_bytes() == PRESS.read_bytes()  # as received
    page = (project / "docs" / "press.md").read_text(encoding="utf-8")
    assert page.endswith("::: edition-document press\n")
    assert 'title: "Press availability on the Caspian water agreement # 3"' in page


def test_speakers_given_on_the_command_line_are_declared_as_given(project: Path) -> None:
    added = add_document(layout(project), PRESS, "press", speakers=["MINISTER ABENOV", "MODERATOR"],
                         title="Press availability")
    assert [label for label, _ in added.speakers] == ["MINISTER ABENOV", "MODERATOR"]
    assert [label for label, _ in added.not_speakers] == ["SPECIAL ENVOY MARSH", "QUESTION"]
    assert "  - \"Press availability\": press.md\n" in (project / "mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("content", "message"), [
    (b"Title\nCaf\xe9\n", "text.txt:2: error: the text is not UTF-8 — save the file as UTF-8"),
    (b"", "text.txt: error: the text is empty — put the document's title on the first line, then one paragraph a line"),
    (b"Title\n\nA paragraph after a blank line.\n", "text.txt:2:1: error: the line is empty — remove it: each line of "
                                                    "the text is one block of the page (no blank lines between "
                                                    "paragraphs)"),
    (b"Title\nA bell \x07 here.\n", "text.txt:2:8: error: the line holds a control character (U+0007), which is not "
                                    "text — remove it: a line of the text holds one paragraph of readable text"),
])
def test_a_text_that_cannot_be_a_document_writes_nothing(project: Path, tmp_path: Path, content: bytes,
                                                         message: str) -> None:
    source = tmp_path / "text.txt"
    source.write_bytes(content)
    before = snapshot(project)
    with pytest.raises(AddError) as error:
        add_document(layout(project), source, "text")
    assert [line.removeprefix(tmp_path.as_posix() + "/") for line in error.value.lines] == [message]
    assert snapshot(project) == before


def test_adding_the_same_id_twice_is_a_clear_error_and_writes_nothing(project: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add-document", str(PRESS), "--id", "press", "-f", str(project / "mkdocs.yml")]) == 0
    before = snapshot(project)
    capsys.readouterr()
    assert main(["add-document", str(PRESS), "--id", "press", "-f", str(project / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == ["docs/sources/press.txt: error: document 'press' exists already (docs/sources/press.txt, "
                   "documents/press.yml, docs/press.md) — choose another --id, or remove those files first",
                   "edition: nothing was written"]
    assert snapshot(project) == before
    with pytest.raises(AddError, match="not a document id"):
        add_document(layout(project), PRESS, "Press Release")
    with pytest.raises(AddError, match="document 'interview' exists already"):
        add_document(layout(project), PRESS, "interview")


@pytest.mark.build
def test_an_added_document_builds_strictly_with_its_text_as_the_page(project: Path) -> None:
    out = main(["add-document", str(PRESS), "--id", "press-availability", "--title", "Press availability",
                "-f", str(project / "mkdocs.yml")])
    assert out == 0
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((project / "site" / "press-availability" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    blocks = page.select(".ed-document > h1, .ed-document > p")
    assert [block.get_text() for block in blocks] == PRESS.read_text(encoding="utf-8").splitlines()
    assert [str(block.get("data-speaker", "")) for block in blocks[2:5]] == [
        "MINISTER ABENOV", "MINISTER ABENOV", "SPECIAL ENVOY MARSH"]
    nav = [a.get_text(strip=True) for a in page.select(".md-nav--primary .md-nav__link")]
    assert "Press availability" in nav and "The interview" in nav
    # The interview is still there, with its notes.
    interview = (project / "site" / "interview" / "index.html").read_text(encoding="utf-8")
    assert interview.count('class="ed-note ') > 50
