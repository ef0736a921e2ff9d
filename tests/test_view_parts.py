"""Items of the list of notes kept from one conversion to the next (`edition.view_parts`):
what `mkdocs serve` converts again after a note edit must be what a fresh conversion gives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import markdown
import pytest
import yaml

from conftest import EDITION
from edition.extension import EditionExtension
from edition.state import EditionOptions, EditionState
from edition.view_parts import Part, ViewParts

if TYPE_CHECKING:
    from pathlib import Path

    from edition.search import Section

PAGE = "annotations.md"
VIEW = '# All annotations { data-edition-view="notes" }\n'


def notes_page(annotations: Path, parts: ViewParts | None = None, text: str = VIEW
               ) -> tuple[str, list[Section] | None]:
    """The list of notes of the edition with the notes of `annotations`, converted as the
    hooks convert a page (named, with `toc`), and its search sections."""
    state = EditionState(EditionOptions(annotations, EDITION / "glossary", EDITION, documents=EDITION / "documents"),
                         view_parts=parts)
    state.site.current_page = PAGE
    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc", EditionExtension(state=state)])
    return md.convert(text), state.site.search_sections.get(PAGE)


def retitled(source: Path, target: Path, note: str, title: str) -> Path:
    """A copy of the annotations folder `source` in which `note` has `title` and another type."""
    target.mkdir()
    for path in sorted(source.glob("*.yml")):
        items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in items:
            if item["id"] == note:
                item["title"] = title
                item["type"] = "context" if item["type"] != "context" else "translation"
        (target / path.name).write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def test_an_item_kept_from_the_last_conversion_is_what_a_fresh_conversion_makes(tmp_path: Path) -> None:
    """Converted with kept items, the page and its search sections are byte for byte those of a
    conversion without: the first time (every item made and kept), the second (every item
    taken), and after a note's title and type change (that item made again, the rest taken),
    with characters the serializer escapes in the new title."""
    annotations = EDITION / "annotations"
    plain = notes_page(annotations)
    count = plain[0].count('class="ed-notelist__item')
    assert count > 20 and plain[1] is not None
    parts = ViewParts()
    for taken in (0, count):
        parts.for_site("site")
        assert notes_page(annotations, parts) == plain
        assert (parts.reused, len(parts)) == (taken, count)
    note = yaml.safe_load(next(iter(sorted(annotations.glob("*.yml")))).read_text(encoding="utf-8"))[0]["id"]
    edited = retitled(annotations, tmp_path / "a", note, 'A & B < C > "D" &amp; ¶')
    after = notes_page(edited)
    assert after != plain and "A &amp; B &lt; C &gt;" in after[0]
    parts.for_site("site")
    assert notes_page(edited, parts) == after
    assert (parts.reused, len(parts)) == (count - 1, count)


def test_a_new_site_makes_every_item_again() -> None:
    """The items' links are resolved by the site generator from its configuration and files:
    when the site changes, nothing kept is used."""
    parts = ViewParts()
    parts.for_site(("mkdocs.yml", frozenset({"a.md"})))
    notes_page(EDITION / "annotations", parts)
    assert len(parts) > 20
    parts.for_site(("mkdocs.yml", frozenset({"a.md"})))
    assert len(parts) > 20
    parts.for_site(("mkdocs.yml", frozenset({"a.md", "b.md"})))
    assert len(parts) == 0 and parts.reused == 0


def test_a_page_the_search_cannot_read_keeps_no_item() -> None:
    """A page with an author's raw HTML is left to the search plugin (no sections read): its
    items are made, shown as a fresh conversion shows them, and not kept, since what each
    adds to the search is not known."""
    text = VIEW + '\n<div class="mine">Written in HTML.</div>\n'
    plain = notes_page(EDITION / "annotations", text=text)
    assert plain[1] is None and '<div class="mine">Written in HTML.</div>' in plain[0]
    parts = ViewParts()
    assert notes_page(EDITION / "annotations", parts, text) == plain
    assert len(parts) == 0


@pytest.mark.parametrize(("html", "search", "known"), [(None, None, False), ("<a>x</a>", None, False),
                                                        (None, "x", False), ("<a>x</a>", "x", True)])
def test_a_part_is_kept_only_when_its_html_and_its_search_text_are_known(html: str | None, search: str | None,
                                                                         known: bool) -> None:
    parts = ViewParts()
    parts.keep(PAGE, [Part("key", html, search)])
    assert len(parts) == int(known)
    assert parts.part(PAGE, "key").known is known
    assert parts.reused == int(known)
    assert not parts.part("other.md", "key").known
