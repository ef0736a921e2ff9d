"""The check without a site build, and what `mkdocs serve` keeps of it between rebuilds
(`DocumentChecks`): a page is rendered again exactly when one of its inputs changed, and
the problems found are always those of a check from scratch."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import FIXTURES, copy_project, edit, mkdocs_build, with_second_document
from edition.checking import DocumentChecks, check
from edition.extension import DocumentTreeprocessor

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET
    from pathlib import Path

    from edition.problems import Problem



@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture edition with a second document and its own annotation file."""
    return with_second_document(copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary"))


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents rendered, in order, from now on."""
    documents: list[str] = []
    original = DocumentTreeprocessor.render_document

    def counting(self: DocumentTreeprocessor, root: ET.Element, blocks: list[ET.Element]) -> None:
        documents.append(blocks[0].get("data-document") or "")
        original(self, root, blocks)

    monkeypatch.setattr(DocumentTreeprocessor, "render_document", counting)
    return documents


def checked(project: Path, checks: DocumentChecks, rendered: list[str]) -> tuple[list[Problem], list[str]]:
    """Check with `checks`, and check from scratch: both must agree. Returns the problems and
    the documents the check with `checks` rendered."""
    rendered.clear()
    problems = check(project / "mkdocs.yml", checks=checks)
    again = list(rendered)
    assert problems == check(project / "mkdocs.yml")
    return problems, again


def test_unchanged_pages_are_not_rendered_again(project: Path, rendered: list[str]) -> None:
    checks = DocumentChecks()
    problems, first = checked(project, checks, rendered)
    assert sorted(first) == ["interview", "second"]
    assert not [p for p in problems if p.is_error]
    assert checked(project, checks, rendered) == (problems, [])


def test_an_edited_note_renders_its_document_again_and_its_problem_is_found(project: Path,
                                                                            rendered: list[str]) -> None:
    checks = DocumentChecks()
    checked(project, checks, rendered)
    edit(project / "annotations" / "second.yml", "quote: a second text", "quote: a third text")
    problems, again = checked(project, checks, rendered)
    assert again == ["second"]
    assert [(p.path, p.line, p.message[:30]) for p in problems if p.is_error] == [
        ("annotations/second.yml", 4, "quote “a third text” is not in")]
    edit(project / "annotations" / "second.yml", "quote: a third text", "quote: a second text")
    problems, again = checked(project, checks, rendered)
    assert again == ["second"]
    assert not [p for p in problems if p.is_error]


def test_a_problem_moves_with_its_line(project: Path, rendered: list[str]) -> None:
    """Equal notes whose fields moved are rendered again: the problem's line follows."""
    checks = DocumentChecks()
    notes = project / "annotations" / "second.yml"
    edit(notes, "quote: a second text", "quote: a third text")
    checked(project, checks, rendered)
    edit(notes, "  type: context", "  # a comment inside the note: the quote moves, the note does not\n  type: context")
    problems, again = checked(project, checks, rendered)
    assert again == ["second"]
    assert [p.line for p in problems if p.is_error] == [5]
    notes.write_text("# A comment that moves every line down\n" + notes.read_text(encoding="utf-8"), encoding="utf-8")
    problems, again = checked(project, checks, rendered)
    assert again == ["second"]
    assert [p.line for p in problems if p.is_error] == [6]


def test_an_edited_text_renders_its_page_again(project: Path, rendered: list[str]) -> None:
    checks = DocumentChecks()
    checked(project, checks, rendered)
    edit(project / "docs" / "sources" / "second.txt", "a second text", "a second, edited text")
    problems, again = checked(project, checks, rendered)
    assert again == ["second"]
    assert [p.message[:31] for p in problems if p.is_error] == ["quote “a second text” is not in"]


@pytest.mark.parametrize(("file", "old", "new"), [
    ("docs/sources/interview.txt", "7,500-kilometer", "7,500-kilometre"),  # the text of a declared document
    ("documents/interview.yml", "statement: [64]", "statement: [64, 11]"),  # its declaration
])
def test_an_edited_source_text_or_declaration_renders_its_document_again(project: Path, rendered: list[str],
                                                                        file: str, old: str, new: str) -> None:
    checks = DocumentChecks()
    checked(project, checks, rendered)
    edit(project / file, old, new)
    problems, again = checked(project, checks, rendered)  # the same problems as a check from scratch
    assert again == ["interview"]
    errors = [p.message[:26] for p in problems if p.is_error]
    assert errors == (["quote “7,500-kilometer bor"] if file.endswith(".txt") else [])


@pytest.mark.parametrize(("change", "pages"), [
    # where terms occur depends on the glossary's forms, not on a translation
    (("glossary/knb.yml", "translation: \"National Security Committee\"", "translation: \"Security Committee\""), []),
    (("glossary/knb.yml", "  term: КНБ\n", "  term: КНБ\n  aliases: [КГБ]\n"), ["interview", "second"]),
    (("mkdocs.yml", "site_name:", "# a comment\nsite_name:"), ["interview", "second"]),
])
def test_the_glossary_s_forms_or_the_configuration_render_every_page_again(
        project: Path, rendered: list[str], change: tuple[str, str, str], pages: list[str]) -> None:
    checks = DocumentChecks()
    checked(project, checks, rendered)
    file, old, new = change
    edit(project / file, old, new)
    assert sorted(checked(project, checks, rendered)[1]) == pages  # and the problems of a check from scratch


def test_a_removed_page_is_forgotten(project: Path, rendered: list[str]) -> None:
    checks = DocumentChecks()
    checked(project, checks, rendered)
    (project / "docs" / "second.md").unlink()
    problems, again = checked(project, checks, rendered)
    assert again == []
    assert next(p.message for p in problems if p.is_error) == "document 'second' is shown on no page"


def test_a_check_makes_no_list_of_notes_and_finds_what_the_build_finds(project: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    edit(project / "annotations" / "second.yml", "quote: a second text", "quote: a third text")  # not in the text
    build = mkdocs_build(project)
    assert "a third text" in build.stderr and build.returncode != 0

    def refused(*_: object) -> None:
        raise AssertionError("a check made a list of notes or search sections")

    monkeypatch.setattr(DocumentTreeprocessor, "_endnotes", refused)
    monkeypatch.setattr("edition.extension.page_sections", refused)
    problems = check(project / "mkdocs.yml")
    errors = [p for p in problems if p.is_error]
    assert errors and any("a third text" in p.message for p in errors)
    assert all(f"{p.path}:{p.line}" in build.stderr for p in errors)


def test_a_check_of_many_pages_renders_half_in_another_process_and_finds_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From `PARALLEL_PAGES` pages on, a forked process renders the second half: the problems
    found on pages of either half are those of a check in one process."""
    import threading  # noqa: PLC0415

    from benchmarks.corpus import generate  # noqa: PLC0415 - the benchmark's corpus, only here

    from edition import background  # noqa: PLC0415
    from edition.background import FileWriter  # noqa: PLC0415

    project = generate(tmp_path / "corpus", pages=8, terms=20)
    for name in ("aaa-first.md", "zzz-last.md"):  # one page in each half, each with an unknown view
        (project / "docs" / name).write_text(f'# {name} {{ data-edition-view="nope-{name[:3]}" }}\n',
                                             encoding="utf-8")
    for document in ("doc-1", "doc-8"):  # a note of a document of each half links a note that does not exist
        edit(project / "annotations" / f"{document}.yml", "(note:", "(note:nope-")
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in `edition check` (pytest runs threads)
    forked: list[bool] = []
    real_fork = FileWriter.fork_waiting

    def fork_waiting(self: FileWriter, *args: object, **kwargs: object) -> object:
        results = real_fork(self, *args, **kwargs)  # type: ignore[arg-type]
        forked.append(results is not None)
        return results

    monkeypatch.setattr(FileWriter, "fork_waiting", fork_waiting)
    parallel = check(project / "mkdocs.yml")
    assert forked == [True]
    monkeypatch.setattr(background, "may_fork", lambda: False)
    alone = check(project / "mkdocs.yml")
    assert parallel == alone
    unknown = [p for p in alone if "unknown edition view" in p.message]
    assert sorted(p.path for p in unknown) == ["aaa-first.md", "zzz-last.md"], alone
    links = [p for p in alone if "nope-" in p.message and "view" not in p.message]
    assert sorted(p.path for p in links) == ["annotations/doc-1.yml", "annotations/doc-8.yml"], alone
