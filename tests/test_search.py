"""Search sections read off the edition's tree (`edition.search`) and what the site's index holds."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import markdown

from conftest import FIXTURES, copy_project, mkdocs_build
from edition.search import page_sections
from test_extension import SMALL, SMALL_NOTES, SMALL_TEXT, SPEAKERS, declare

if TYPE_CHECKING:
    from pathlib import Path


def sections_of(html: str) -> list[tuple[str | None, str, str]]:
    found = page_sections(ET.fromstring(f"<div>{html}</div>"))
    assert found is not None
    return [(s.id, s.title, s.text) for s in found]


def test_headings_with_ids_split_sections_and_the_first_h1_is_the_page() -> None:
    html = ('<h1 id="t">Title</h1><p>One <em>two</em></p><h2 id="a">A</h2><ul><li>x</li></ul>'
            '<h3>no id</h3><p>y</p>')
    assert sections_of(html) == [
        (None, "Title", "<p>One two</p>"),
        ("a", "A", "<ul><li>x</li></ul>no id<p>y</p>"),
    ]


def test_what_the_edition_added_and_permalinks_are_left_out() -> None:
    html = ('<h1 id="t">Title<a class="headerlink" href="#t">¶</a></h1>'
            '<p><a data-ed-added="" class="ed-pnum" href="#p1"></a><span data-ed-added="">[note 1:] </span>'
            '<mark>Who</mark><a data-ed-added="" href="#note-x"><sup>1</sup></a> was &lt;there&gt;?</p>'
            '<script>var x;</script><div data-search-exclude="">secret</div>')
    assert sections_of(html) == [(None, "Title", "<p>Who was &lt;there&gt;?</p>")]


def test_text_before_any_heading_is_an_untitled_page_section() -> None:
    assert sections_of('<p>Intro</p><h2 id="b">B</h2><p>x</p>') == [(None, "", "<p>Intro</p>"), ("b", "B", "<p>x</p>")]


def test_escaped_characters_are_restored_and_placeholders_refuse() -> None:
    def tree(text: str) -> ET.Element:  # control characters cannot go through an XML parser
        root = ET.fromstring('<div><h1 id="t">T</h1><p /></div>')
        root[1].text = text
        return root

    escaped = page_sections(tree("a\x0242\x03b"))
    assert escaped is not None and escaped[0].text == "<p>a*b</p>"
    assert page_sections(tree("\x02wzxhzdk:0\x03")) is None


def test_a_converted_document_has_a_section_per_paragraph_and_per_endnote(tmp_path: Path) -> None:
    notes = tmp_path / "a"
    notes.mkdir()
    (notes / "n.yml").write_text(SMALL_NOTES.replace(" <script>alert(1)</script>", ""), encoding="utf-8")
    documents = declare(tmp_path, SMALL_TEXT, more=SPEAKERS)
    md = markdown.Markdown(extensions=["attr_list", "toc", "edition"], extension_configs={
        "edition": {"annotations": str(notes), "glossary": str(FIXTURES / "glossary"), "documents": str(documents)}})
    state = md.registeredExtensions[-1].state  # type: ignore[attr-defined]
    state.site.current_page = "interview.md"
    md.convert(SMALL)
    sections = state.site.search_sections["interview.md"]
    record = state.documents["interview"]
    paragraphs = [block_id for block_id in record.block_ids if block_id.startswith("p")]
    assert [s.id for s in sections] == [None, *paragraphs, "ed-notes-title",
                                        *(f"note-{a.annotation.id}-title" for a in record.anchors)]
    assert [s.title for s in sections[:3]] == ["A title", "¶1", "¶2"]
    # ¶1's entry ends with its glossary terms and their transliterations (found by "SIZO")
    terms = "<p>Russian terms: СИЗО (SIZO), КНБ (KNB)</p>"
    assert sections[1].text.endswith(terms) and terms not in sections[2].text
    page_text = " ".join(s.text for s in sections[:3]).replace(terms, " ")
    assert "[note" not in page_text and "<sup>" not in page_text and "[Yuritsyn]" not in page_text
    assert re.sub(r"<[^>]+>", "", page_text).split() == " ".join(b.text for b in record.text.blocks[1:]).split()
    # a note's entry is titled "Type: Title" (the colon is for screen readers and the search only)
    assert sections[4].title == "Context: Outer 1 &lt; 2 &gt; 0 &amp; \"quotes\""


def test_the_site_index_has_the_whole_text_clean_and_every_note(built_site: Path, seed_text: str) -> None:
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    interview = [doc for doc in docs if doc["location"].startswith("interview/")]
    text = " ".join(doc["title"] + " " + re.sub(r"<[^>]+>", " ", doc["text"]) for doc in interview)
    assert "[note" not in text
    words = " ".join(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split())
    for line in seed_text.splitlines():
        assert " ".join(line.split()) in words, line
    paragraphs = {doc["location"]: doc["title"] for doc in interview
                  if re.fullmatch(r"interview/#p\d+", doc["location"])}
    assert paragraphs == {f"interview/#p{n}": f"¶{n}" for n in range(1, len(paragraphs) + 1)}
    html = (built_site / "interview" / "index.html").read_text(encoding="utf-8")
    assert len(paragraphs) == len(re.findall(r'<p [^>]*id="p\d+"', html))
    notes = [doc for doc in interview if re.fullmatch(r"interview/#note-.+-title", doc["location"])]
    assert len(notes) == len({doc["location"] for doc in notes}) > 80


def test_a_page_the_tree_cannot_give_is_left_to_the_search_plugin(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "interview.md"
    front, body = page.read_text(encoding="utf-8").split("---\n", 2)[1:]
    page.write_text(f'---\n{front}---\n<div class="raw">Raw block with zyxwvu</div>\n\n{body}', encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    docs = json.loads((project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert any("zyxwvu" in doc["text"] for doc in docs if doc["location"].startswith("interview/"))
    assert any(doc["location"].startswith("interview/#note-") for doc in docs)


def test_a_glossary_entry_is_found_by_the_word_forms_of_its_terms(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    md = markdown.Markdown(extensions=["attr_list", "toc", "edition"], extension_configs={
        "edition": {"annotations": str(tmp_path / "a"), "glossary": str(FIXTURES / "glossary")}})
    state = md.registeredExtensions[-1].state  # type: ignore[attr-defined]
    state.site.current_page = "glossary.md"
    html = md.convert('# Glossary { data-edition-view="glossary" }\n')
    sections = {section.id: section for section in state.site.search_sections["glossary.md"]}
    forms = re.fullmatch(r".*<p>Word forms: ([^<]*)</p>", sections["sizo"].text, re.DOTALL)
    assert forms is not None
    assert {"изолятора", "изоляторов", "следственного"} <= set(forms.group(1).split(", "))
    assert "чемодан" in sections["na-chemodanakh"].text.rsplit("Word forms:", 1)[1]
    assert "Word forms" not in html  # for the search only, not the page
