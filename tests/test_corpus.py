"""A corpus reads as one work (issue 17, item 3): with two documents, every ¶ reference made
outside a document's own page names its document, search is Unicode-normalised, and the
index's spellings find the paragraphs that spell a name otherwise."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, expect

from browser import serve
from conftest import FIXTURES, copy_project, mkdocs_build
from edition.checking import check
from edition.cli import main
from edition.model import document_name

if TYPE_CHECKING:
    from pathlib import Path

PRESS = "\n".join([
    "Press availability on the Caspian water agreement",
    "MINISTER ABENOV: Good afternoon. The ОДКБ is not a party to it.",
    "QUESTION: Did President Tokaev sign it in Aktau?",
    "MINISTER ABENOV: He did, and the Caspi\u0301an ports are named.",  # a decomposed í
    "QUESTION: Thank you.",
]) + "\n"
NOTE = """\
- id: press-ports
  document: press
  type: context
  quote: the Caspi\u0301an ports
  title: The ports
  body: Three ports are named.
  author: Test
  status: unverified
  confidence: low
"""


def add_press(project: Path, name: str | None = "Press availability") -> None:
    text = project / "press.txt"
    text.write_text(PRESS, encoding="utf-8")
    assert main(["add-document", str(text), "--id", "press", "-f", str(project / "mkdocs.yml")]) == 0
    if name:
        declaration = project / "documents" / "press.yml"
        declaration.write_text(declaration.read_text(encoding="utf-8").replace(
            "- id: press\n", f"- id: press\n  name: {name}\n"), encoding="utf-8")
    (project / "annotations" / "press.yml").write_text(NOTE, encoding="utf-8")


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("corpus") / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    add_press(project)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name / "index.html").read_text(encoding="utf-8"), "html.parser")


GROUPED = re.compile(r"^Interview ¶\d+(, ¶\d+)* · Press availability ¶(\d+)$")


@pytest.mark.build
def test_the_glossary_names_the_document_of_each_paragraph(corpus_site: Path) -> None:
    entry = page(corpus_site, "glossary").select_one("#odkb + dl .ed-entry__occurrences")
    assert entry is not None
    found = GROUPED.match(entry.get_text())
    assert found is not None, entry.get_text()
    assert found.group(2) == "1"
    assert [a["href"] for a in entry.select("a")][-1] == "../press/#p1"
    assert [span.get_text() for span in entry.select(".ed-places__document")] == ["Interview", "Press availability"]


@pytest.mark.build
def test_the_index_names_the_document_of_each_paragraph(corpus_site: Path) -> None:
    entry = page(corpus_site, "people-places").select_one("#entity-tokayev + dl .ed-entity__occurrences")
    assert entry is not None
    found = GROUPED.match(entry.get_text())
    assert found is not None, entry.get_text()
    assert found.group(2) == "2"


@pytest.mark.build
def test_the_list_of_notes_is_grouped_by_document_and_names_each_place(corpus_site: Path) -> None:
    notes = page(corpus_site, "annotations")
    assert [h2.get("id") for h2 in notes.select("h2[id^=notes-]")] == ["notes-interview", "notes-press"]
    press = notes.select_one("#press-ports")
    assert press is not None
    assert press.select_one(".ed-notelist__title").get_text() == "1. The ports"  # type: ignore[union-attr]
    assert press.select_one(".ed-notelist__where").get_text().startswith(  # type: ignore[union-attr]
        " — Press availability ¶3: ")
    interview_places = [where.get_text() for where in notes.select("#notes-interview + ol .ed-notelist__where")]
    assert interview_places and all(where.startswith(" — Interview ") for where in interview_places)


@pytest.mark.build
def test_search_names_documents_is_nfc_and_finds_the_index_spellings(corpus_site: Path) -> None:
    docs = json.loads((corpus_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    by_location = {doc["location"]: doc for doc in docs}
    assert by_location["press/#p1"]["title"] == "Press availability ¶1"
    assert by_location["interview/#p1"]["title"] == "Interview ¶1"
    ports = by_location["press/#p3"]["text"]
    assert "Caspían" in ports and ports == unicodedata.normalize("NFC", ports)  # the page keeps í decomposed
    assert "People, places and organisations: Kassym-Jomart Tokayev" in by_location["press/#p2"]["text"]
    press_page = page(corpus_site, "press")
    assert "Caspi\u0301an" in press_page.select_one("#p3").get_text()  # type: ignore[union-attr]


def test_a_quote_of_another_document_says_which(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    add_press(project)
    notes = project / "annotations" / "press.yml"
    notes.write_text(NOTE.replace("quote: the Caspi\u0301an ports", "quote: Qasym-Malik Tokaev"), encoding="utf-8")
    assert [str(problem) for problem in check(project / "mkdocs.yml")] == [
        "annotations/press.yml:2:13: error: quote “Qasym-Malik Tokaev” is not in document 'press', but it is in "
        "document 'interview' (¶1) — set `document: interview` if the note is about that text; else copy the exact "
        "words from 'press'"]


def test_a_document_is_named_by_its_declaration_or_its_id(tmp_path: Path) -> None:
    assert document_name("press-availability") == "Press availability"
    assert document_name("press", "Briefing of 3 May") == "Briefing of 3 May"
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    add_press(project, name="<b>Press</b>")
    assert [str(problem) for problem in check(project / "mkdocs.yml")] == [
        "documents/press.yml:5:9: error: `name` contains markup '<b>' — write plain text: this field is shown as it "
        "is written, never as HTML; write '< ' (with a space) for a less-than sign"]


def describe_speakers(project: Path) -> None:
    """The minister gets a name, a description with characters a tooltip must escape, and a colour."""
    declaration = project / "documents" / "press.yml"
    text = declaration.read_text(encoding="utf-8")
    assert '    - label: "MINISTER ABENOV"\n' in text
    declaration.write_text(text.replace('    - label: "MINISTER ABENOV"\n', (
        '    - label: "MINISTER ABENOV"\n      name: Daniyar Abenov\n'
        '      description: "minister of water resources & irrigation (a fixture: 1 < 2)"\n      colour: 5\n')),
        encoding="utf-8")


@pytest.fixture(scope="module")
def speakers_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("speakers") / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    add_press(project)
    describe_speakers(project)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.mark.build
def test_every_speaker_is_listed_with_every_turn_in_every_document(speakers_site: Path) -> None:
    speakers = page(speakers_site, "speakers")
    entries = {h2["id"]: h2 for h2 in speakers.select("h2.ed-speaker-entry")}
    assert list(entries) == ["speaker-darya-aslamova", "speaker-vladislav-yuritsyn", "speaker-daniyar-abenov",
                             "speaker-question"]
    minister = entries["speaker-daniyar-abenov"].find_next("dl")
    assert minister is not None
    assert minister.select_one(".ed-speaker-entry__turns").get_text() == "Press availability ¶1, ¶3"  # type: ignore[union-attr]
    assert "minister of water resources & irrigation (a fixture: 1 < 2)" in minister.get_text()
    interview = page(speakers_site, "interview")
    reporter_turns = [p["id"] for p in interview.select('.ed-document p[data-speaker="Reporter"]')
                      if p.select_one(".ed-speaker") is not None or "ed-turn--inferred" in p["class"]]
    listed = entries["speaker-darya-aslamova"].find_next("dl").select(".ed-speaker-entry__turns a")  # type: ignore[union-attr]
    assert [a["href"] for a in listed] == [f"../interview/#{turn}" for turn in reporter_turns]


@pytest.mark.build
def test_speaker_colours_and_tooltips_come_from_the_declaration(speakers_site: Path) -> None:
    press = page(speakers_site, "press")
    turns = press.select(".ed-document p.ed-turn")
    assert [(p["data-speaker"], p["data-colour"]) for p in turns] == [
        ("MINISTER ABENOV", "5"), ("QUESTION", "2"), ("MINISTER ABENOV", "5"), ("QUESTION", "2")]
    label = turns[0].select_one(".ed-speaker")
    assert label is not None and label.get_text() == "MINISTER ABENOV:"
    raw = (speakers_site / "press" / "index.html").read_text(encoding="utf-8")
    # escaped twice for Material's tooltip, which reads `title` as HTML (`edition.material.tooltip`)
    assert 'title="Daniyar Abenov — minister of water resources &amp;amp; irrigation (a fixture: 1 &amp;lt; 2)"' in raw
    assert [p.get_text() for p in turns] == PRESS.splitlines()[1:]  # the text is still the source


@pytest.mark.build
def test_each_document_page_has_its_own_citation_metadata_and_collection(corpus_site: Path) -> None:
    press = page(corpus_site, "press")
    script = press.select_one('script[type="application/ld+json"]')
    assert script is not None
    about = json.loads(script.get_text())["about"]
    # no `original:` declared: the document's own title and speakers
    assert about["name"] == PRESS.splitlines()[0] and about["alternateName"] == "Press availability"
    assert about["author"] == [{"@type": "Person", "name": "MINISTER ABENOV"}, {"@type": "Person", "name": "QUESTION"}]
    interview = json.loads(page(corpus_site, "interview").select_one(  # type: ignore[union-attr]
        'script[type="application/ld+json"]').get_text())["about"]
    assert interview["publisher"]["name"] == "Pravda.Ru" and interview["alternateName"] == "Interview"
    collection = json.loads((corpus_site / "data" / "documents" / "press.jsonld").read_text(encoding="utf-8"))
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]  # the document's annotations, embedded
    assert collection["total"] == len(items["items"]) >= 2  # the note and the ОДКБ glossary link
    assert {item["target"]["source"] for item in items["items"]} == {"http://127.0.0.1:8000/press/"}
    assert [link["href"] for link in press.select("link[rel=alternate]")] == [
        "../data/annotations.jsonld", "../data/documents/press.jsonld"]
    whole = json.loads((corpus_site / "data" / "annotations.jsonld").read_text(encoding="utf-8"))
    interview_total = json.loads((corpus_site / "data" / "documents" / "interview.jsonld").read_text(
        encoding="utf-8"))["total"]
    assert whole["total"] == interview_total + collection["total"]


@pytest.mark.browser
def test_a_decomposed_query_finds_the_composed_text_and_the_other_way_round(corpus_site: Path,
                                                                           browser: Browser) -> None:
    """The press text writes “Caspían” with a combining accent; the search entries are NFC, and
    search-nfc.js makes the query NFC: typed either way, it finds ¶3."""
    for query in ("Casp\u00edan", "Caspi\u0301an"):
        for url in serve(corpus_site):
            tab = browser.new_page()
            tab.goto(url + "press/")
            tab.locator("label.md-search__icon, .md-search__input").first.click()
            box = tab.locator("input.md-search__input")
            box.fill(query)
            box.press("End")
            results = tab.locator(".md-search-result__item a")
            expect(results.first).to_be_visible(timeout=10_000)
            assert box.input_value() == "Casp\u00edan"  # the query as NFC
            hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
            assert any(re.search(r"press/(\?[^#]*)?#p3$", href) for href in hrefs), hrefs
            tab.close()


@pytest.mark.browser
def test_a_speakers_first_label_shows_who_it_is_on_focus_as_on_hover(speakers_site: Path, browser: Browser) -> None:
    """One tab stop a speaker and document (the first label), whose focus shows the same tooltip
    as hovering, and Material describes the label by it (`aria-describedby`)."""
    press = page(speakers_site, "press")
    labels = press.select(".ed-document .ed-speaker[title]")
    assert [(label.get_text(), label.get("tabindex")) for label in labels] == [
        ("MINISTER ABENOV:", "0"), ("MINISTER ABENOV:", None)]  # QUESTION has neither name nor description
    for url in serve(speakers_site):
        tab = browser.new_page()
        tab.goto(url + "press/")
        label = tab.locator("#p1 .ed-speaker")
        label.focus()
        tooltip = tab.locator(".md-tooltip2--active")
        expect(tooltip).to_have_text("Daniyar Abenov — minister of water resources & irrigation (a fixture: 1 < 2)")
        described = label.get_attribute("aria-describedby")
        assert described and tab.locator(f"#{described}").count() == 1
        tab.close()
