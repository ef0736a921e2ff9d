"""Quotes as whole words, a document's page and declaration, and a build that reports bad data
instead of crashing on it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from conftest import FIXTURES, copy_project, edit, mkdocs_build
from edition.anchoring import Block, DocumentText, anchor_one
from edition.checking import check
from edition.model import Annotation, Place
from edition.problems import Problem

if TYPE_CHECKING:
    from pathlib import Path

def blocks(*texts: str) -> list[Block]:
    return [Block("title" if n == 0 else f"¶{n}", text) for n, text in enumerate(texts)]


def note(quote: str) -> Annotation:
    return Annotation("n", "d", "context", quote, "t", "b", "a", "verified", "high", Place("a.yml", 3))


TEXT = DocumentText(blocks("Title", "A Kazakhstani passport, said Kazakhstan's press.",
                           "He started live-streaming content after that."))


def test_a_quote_matches_whole_words_only() -> None:
    found = anchor_one(note("Kazakhstan"), TEXT)
    assert not isinstance(found, Problem)
    assert TEXT.raw[found.doc_start:found.doc_end] == "Kazakhstan"
    assert found.block == 1 and found.start == TEXT.blocks[1].text.index("Kazakhstan's")
    inside = anchor_one(note("Kazakh"), TEXT)
    assert str(inside) == ("a.yml:3:1: error: quote “Kazakh” occurs only inside longer words (¶1 “A Kazakhstani "
                           "passpo…”; ¶1 “…sport, said Kazakhstan's press…”) — quote whole words, as they are "
                           "written in the text")


def test_nearest_passages_are_whole_words() -> None:
    found = anchor_one(note("started live-streamng content"), TEXT)
    assert "nearest: ¶2 “started live-streaming content”" in str(found)
    found = anchor_one(note("after that he started live streaming"), TEXT)
    assert "“He started live-streaming content after that”" in str(found) or "nearest: ¶2 “" in str(found)
    assert "“fter" not in str(found) and "conten”" not in str(found)


def test_an_often_repeated_quote_lists_five_places_and_says_how_to_reach_the_others() -> None:
    text = DocumentText(blocks("Title", *(f"Paragraph {n} says yes." for n in range(1, 13))))
    found = str(anchor_one(note("says yes"), text))
    assert found.count("→") == 5
    assert found.endswith("or, for one of the 7 others, `occurrence:` with its number (6 to 12, in text order), "
                          "or a longer quote")


@pytest.mark.build
def test_the_build_reports_a_declared_line_the_text_lacks_at_the_declaration(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    declaration = project / "documents" / "interview.yml"
    edit(declaration, "caption: [2]", "caption: [200]")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    line = next(n for n, text in enumerate(declaration.read_text(encoding="utf-8").splitlines(), 1) if "200" in text)
    lines = len((project / "docs" / "sources" / "interview.txt").read_text(encoding="utf-8").splitlines())
    assert f"documents/interview.yml:{line}:13: error: `caption` names line 200, but the text has {lines} lines — " \
           f"give a line number from 1 to {lines}" in result.stderr.splitlines(), result.stderr


@pytest.mark.build
def test_a_broken_related_entry_fails_the_build_with_its_problem_not_a_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    edit(project / "glossary" / "sizo.yml", "related: [knb]", "related: [kbn]")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "KeyError" not in result.stderr
    assert re.search(r"^glossary/sizo\.yml:\d+:\d+: error: .*'kbn'", result.stderr, re.MULTILINE), result.stderr


def edited_check(tmp_path: Path, old: str, new: str, *, copy_as: str | None = None) -> list[str]:
    """`check` of the fixture edition with one edit to its document page (and maybe a copy of it)."""
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    page = project / "docs" / "interview.md"
    text = page.read_text(encoding="utf-8")
    edit(page, old, new)
    if copy_as:
        (project / "docs" / copy_as).write_text(text, encoding="utf-8")
    return [str(p) for p in check(project / "mkdocs.yml") if p.is_error]


def test_a_misspelt_directive_is_reported_at_the_page_and_the_declaration(tmp_path: Path) -> None:
    errors = edited_check(tmp_path, "::: edition-document interview", "::: edition-documnet interview")
    assert errors == [
        "docs/interview.md:6:1: error: “::: edition-documnet interview” is not a line the edition reads: the page "
        "shows no document — write `::: edition-document <id>` on a line of its own, with the id of a document of "
        "the documents folder",
        "documents/interview.yml:5:9: error: document 'interview' is shown on no page — put the line "
        "`::: edition-document interview` on its page, interview.md (in the docs folder)"]


def test_an_unknown_role_is_a_schema_error_at_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    declaration = project / "documents" / "interview.yml"
    edit(declaration, "  caption: [2]", "  captoin: [2]")
    line = declaration.read_text(encoding="utf-8").splitlines().index("  captoin: [2]") + 1
    errors = [str(p) for p in check(project / "mkdocs.yml") if p.is_error]
    assert len(errors) == 1 and errors[0].startswith(f"documents/interview.yml:{line}:3: error: "), errors
    assert "unknown field `captoin` — did you mean 'caption'?" in errors[0]


def test_a_document_shown_on_a_second_page_names_its_own(tmp_path: Path) -> None:
    assert edited_check(tmp_path, "::: edition-document interview", "::: edition-document interview",
                        copy_as="copy.md") == [
        "documents/interview.yml:5:9: error: document 'interview' is shown on copy.md, not on its page interview.md "
        "— set `page: copy.md`, or show it on interview.md only"]


def test_a_misspelt_mention_of_a_mentioned_entity_is_a_warning(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    index = project / "index" / "entities.yml"
    text = index.read_text(encoding="utf-8")
    edit(index, '  mentions: ["Putin"]\n', "  mentions: [Putin, Puttin]\n")
    line = text[:text.index("- id: putin")].count("\n") + 1
    assert [str(p) for p in check(project / "mkdocs.yml")] == [
        f"index/entities.yml:{line}:3: warning: mention 'Puttin' of entity 'putin' occurs nowhere in the text — copy "
        "the form exactly as the text writes it, or remove it from `mentions`"]


def test_a_document_written_in_markdown_is_reported_with_how_to_declare_it(tmp_path: Path) -> None:
    errors = edited_check(tmp_path, "::: edition-document interview", '# A title { data-document="interview" }')
    assert errors[0] == (
        "docs/interview.md:6:1: error: a document written in Markdown (`data-document` on its title) is no longer "
        "read — declare it in the documents folder with its text as received, and put `::: edition-document "
        "interview` on the page (`edition add-document` does both)")
    assert errors[1].endswith("error: document 'interview' is shown on no page — put the line `::: edition-document "
                              "interview` on its page, interview.md (in the docs folder)")
