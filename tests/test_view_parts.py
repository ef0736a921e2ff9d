"""The list of notes' lists kept from one conversion to the next (`edition.view_parts`):
what `mkdocs serve` converts again after a note edit must be what a fresh conversion gives."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

import markdown
import pytest
import yaml
from benchmarks.corpus import generate

from edition.extension import EditionExtension
from edition.records import RecordCache
from edition.state import EditionOptions, EditionState
from edition.view_parts import Part, ViewParts

if TYPE_CHECKING:
    from pathlib import Path

    from edition.search import Section

PAGE = "annotations.md"
VIEW = '# All annotations { data-edition-view="notes" }\n'


def notes_page(project: Path, parts: ViewParts | None = None, text: str = VIEW,
               records: RecordCache | None = None) -> tuple[str, list[Section] | None]:
    """The list of notes of `project` (an edition's folder), converted as the hooks convert a
    page (named, with `toc`), and its search sections; with `records`, the documents' records
    of the last state made with them where their inputs are the same."""
    state = EditionState(EditionOptions(project / "annotations", project / "glossary", project,
                                        documents=project / "documents"), view_parts=parts, record_cache=records)
    state.site.current_page = PAGE
    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc", EditionExtension(state=state)])
    return md.convert(text), state.site.search_sections.get(PAGE)


def retitled(source: Path, target: Path, note: str, title: str) -> Path:
    """A copy of the edition `source` in which `note` has `title` and another type."""
    shutil.copytree(source, target)
    for path in sorted((target / "annotations").glob("*.yml")):
        items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in items:
            if item["id"] == note:
                item["title"] = title
                item["type"] = "context" if item["type"] != "context" else "translation"
        path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated edition of three documents."""
    return generate(tmp_path_factory.mktemp("parts") / "p", pages=3, terms=12)


def test_a_list_kept_from_the_last_conversion_is_what_a_fresh_conversion_makes(project: Path,
                                                                              tmp_path: Path) -> None:
    """Converted with kept lists, the page and its search sections are byte for byte those of a
    conversion without: the first time (every list made and kept), the second (every list
    taken, its document's record being the same), and after a note's title and type change
    (that document's list made again, the others taken), with characters the serializer
    escapes in the new title. A new record of the same document is not taken for the old."""
    plain = notes_page(project)
    lists = plain[0].count('<ol class="ed-notelist">')
    assert lists == 3 and plain[0].count('class="ed-notelist__item') > 20 and plain[1] is not None
    parts, records = ViewParts(), RecordCache()
    for taken in (0, lists):
        parts.for_site("site")
        assert notes_page(project, parts, records=records) == plain
        assert (parts.reused, len(parts)) == (taken, lists)
    first = sorted((project / "annotations").glob("*.yml"))[0]
    note = yaml.safe_load(first.read_text(encoding="utf-8"))[0]["id"]
    edited = retitled(project, tmp_path / "edited", note, 'A & B < C > "D" &amp; ¶')
    after = notes_page(edited)
    assert after != plain and "A &amp; B &lt; C &gt;" in after[0]
    parts.for_site("site")
    records_there = RecordCache()  # the same texts in another folder: records of their own
    notes_page(edited, records=records_there)
    assert notes_page(edited, parts, records=records_there) == after
    parts.for_site("site")
    assert notes_page(edited, parts, records=records_there) == after
    assert (parts.reused, len(parts)) == (lists, lists)
    edited_again = retitled(edited, tmp_path / "again", note, "Another title")
    again = notes_page(edited_again)
    shutil.rmtree(edited)
    edited_again.rename(edited)  # the same folder, one note retitled: one record made anew
    parts.for_site("site")
    assert notes_page(edited, parts, records=records_there) == again
    assert (parts.reused, len(parts)) == (lists - 1, lists)


def test_a_new_site_makes_every_list_again(project: Path) -> None:
    """The items' links are resolved by the site generator from its configuration and files:
    when the site changes, nothing kept is used."""
    parts = ViewParts()
    parts.for_site(("mkdocs.yml", frozenset({"a.md"})))
    notes_page(project, parts)
    assert len(parts) >= 2
    parts.for_site(("mkdocs.yml", frozenset({"a.md"})))
    assert len(parts) >= 2
    parts.for_site(("mkdocs.yml", frozenset({"a.md", "b.md"})))
    assert len(parts) == 0 and parts.reused == 0


def test_a_page_the_search_cannot_read_keeps_no_list(project: Path) -> None:
    """A page with an author's raw HTML is left to the search plugin (no sections read): its
    lists are made, shown as a fresh conversion shows them, and not kept, since what each
    adds to the search is not known."""
    text = VIEW + '\n<div class="mine">Written in HTML.</div>\n'
    plain = notes_page(project, text=text)
    assert plain[1] is None and '<div class="mine">Written in HTML.</div>' in plain[0]
    parts = ViewParts()
    assert notes_page(project, parts, text) == plain
    assert len(parts) == 0


@pytest.mark.parametrize(("html", "search", "known"), [(None, None, False), ("<a>x</a>", None, False),
                                                        (None, "x", False), ("<a>x</a>", "x", True)])
def test_a_part_is_kept_only_when_its_html_and_its_search_text_are_known(html: str | None, search: str | None,
                                                                         known: bool) -> None:
    parts = ViewParts()
    parts.keep(PAGE, [Part("key", None, html, search)])
    assert len(parts) == int(known)
    assert parts.part(PAGE, "key").known is known
    assert parts.reused == int(known)
    assert not parts.part("other.md", "key").known
