"""Limits for what can only be a mistake or an attack: notes per passage, per paragraph, page size."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
import yaml

from conftest import FIXTURES, copy_project, mkdocs_build
from edition.checking import render_documents
from edition.cli import main
from edition.limits import MAX_NOTES_PER_PARAGRAPH, MAX_NOTES_PER_PASSAGE, MAX_PAGE_CHARACTERS, page_characters

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.build


def note(note_id: str, quote: str, occurrence: int, body: str = "A body.") -> dict[str, object]:
    return {"id": note_id, "document": "interview", "type": "translation", "quote": quote, "occurrence": occurrence,
            "title": "A title", "body": body, "author": "Editors", "status": "unverified", "confidence": "low"}


def word_notes(project: Path, blocks: list[int], per_block: int, body: str = "A body.", *, total: int = 0
               ) -> list[dict[str, object]]:
    """`per_block` notes (or, with `total`, up to that many, until there are `total`) on
    successive words of each of `blocks` (indexes of the document's blocks), each a single
    word singled out by its `occurrence`."""
    text = render_documents(project / "mkdocs.yml").documents["interview"].text
    notes: list[dict[str, object]] = []
    for block in blocks:
        base = text.norm_offsets[block]
        made = 0
        for word in re.finditer(r"\w+", text.normalized[block].text):
            starts = [candidate.start for candidate in text.find_all(word.group())]
            if base + word.start() not in starts or made == per_block or len(notes) == (total or len(notes) + 1):
                continue
            notes.append(note(f"n{len(notes)}", word.group(), starts.index(base + word.start()) + 1, body))
            made += 1
        assert total or made == per_block, f"block {block} has too few words"
    assert len(notes) == (total or len(blocks) * per_block)
    return notes


PER_FILE = 60
"""Notes in one generated file (of 10 lines each)."""


def place_of_note(index: int) -> str:
    """Where the `quote` of the `index`-th generated note is."""
    return f"annotations/zz-many-{index // PER_FILE}.yml:{10 * (index % PER_FILE) + 4}:10"


def check_and_build(project: Path, notes: list[dict[str, object]], capsys: pytest.CaptureFixture[str]
                    ) -> list[str]:
    """The error lines of `edition check` on `project` with `notes` added, which the build must print too."""
    for start in range(0, len(notes), PER_FILE):  # a data file holds at most 512 KB
        (project / "annotations" / f"zz-many-{start // PER_FILE}.yml").write_text(
            yaml.safe_dump(notes[start:start + PER_FILE], allow_unicode=True, sort_keys=False), encoding="utf-8")
    code = main(["check", "-f", str(project / "mkdocs.yml")])
    lines = [line for line in capsys.readouterr().out.splitlines() if ": error: " in line]
    assert code == 1
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert "Traceback" not in built.stderr
    assert [line for line in built.stderr.splitlines() if ": error: " in line] == lines
    return lines


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")


def test_too_many_notes_over_one_passage(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fixture note covers "Kostanay" already: with 20 more, 21 notes overlap there."""
    notes = [note(f"same-{index}", "Kostanay", 1) for index in range(MAX_NOTES_PER_PASSAGE)]
    lines = check_and_build(project, notes, capsys)
    assert lines == [f"{place_of_note(MAX_NOTES_PER_PASSAGE - 1)}: error: 21 notes overlap on one passage of ¶6 of "
                     "document 'interview'; at most 20 may — merge notes on the same words into one note"]


def test_too_many_notes_in_one_paragraph(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = render_documents(project / "mkdocs.yml").documents["interview"].text
    longest = max(range(len(text.blocks)), key=lambda index: len(text.blocks[index].text))
    notes = word_notes(project, [longest], MAX_NOTES_PER_PARAGRAPH + 1)
    lines = check_and_build(project, notes, capsys)
    assert lines == [f"{place_of_note(MAX_NOTES_PER_PARAGRAPH)}: error: {text.blocks[longest].label} of document "
                     "'interview' has 101 notes; at most 100 may be anchored in one paragraph — merge notes on the "
                     "same paragraph into fewer notes"]


def test_a_document_too_large_with_its_notes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = ("Words of a long note. " * 300)[:6000]
    text = render_documents(project / "mkdocs.yml").documents["interview"].text
    longest = sorted(range(len(text.blocks)), key=lambda index: -len(text.blocks[index].text))
    notes = word_notes(project, longest, 50, body, total=MAX_PAGE_CHARACTERS // 6000 + 1)
    lines = check_and_build(project, notes, capsys)
    state = render_documents(project / "mkdocs.yml")
    size = page_characters(state.documents["interview"])
    assert size > MAX_PAGE_CHARACTERS
    assert lines == [f"docs/interview.md:6:1: error: document 'interview' with its notes is {size:,} characters long; "
                     "at most 2,000,000 are allowed on one page (a browser takes many seconds to open a page that "
                     "size) — split the document into several pages, or write fewer and shorter notes"]
