"""The Python-Markdown extension on its own, without MkDocs or its hooks."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import markdown
import pytest
import yaml

from conftest import EDITION, FIXTURES, ROOT
from edition.configuration import option_problems
from edition.extension import VIEW_INPUTS, VIEW_NOTE_FIELDS, VIEW_READS, DocumentTreeprocessor, page_reads
from edition.problems import EditionError
from edition.render import BodyRenderer
from edition.state import EditionOptions, EditionState

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

GOLDEN = ROOT / "tests" / "golden"


def convert(source: str, annotations: Path = FIXTURES / "annotations", glossary: Path = FIXTURES / "glossary",
            documents: Path = EDITION / "documents") -> str:
    md = markdown.Markdown(extensions=["attr_list", "edition"], extension_configs={
        "edition": {"annotations": str(annotations), "glossary": str(glossary), "documents": str(documents)}})
    return md.convert(source)


def declare(folder: Path, text: str, document: str = "interview", *, page: str | None = None,
            more: str = "") -> Path:
    """A documents folder under `folder` declaring `document` with `text` (and `more` YAML)."""
    (folder / "documents").mkdir(exist_ok=True)
    (folder / "texts").mkdir(exist_ok=True)
    (folder / "texts" / f"{document}.txt").write_text(text, encoding="utf-8")
    (folder / "documents" / f"{document}.yml").write_text(
        f"- id: {document}\n  page: {page or document + '.md'}\n  source: ../texts/{document}.txt\n{more}",
        encoding="utf-8")
    return folder / "documents"


SPEAKERS = "  speakers: [{label: Reporter}, {label: Yuritsyn}]\n  turns: [{line: 3, speaker: Yuritsyn}]\n"
"""The speakers of the small documents below."""


def check_golden(name: str, html: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.write_text(html + "\n", encoding="utf-8")
    assert html + "\n" == path.read_text(encoding="utf-8"), f"{name} changed; rerun with --update-golden"


def test_transcript_with_fixture_notes_matches_golden_html(update_golden: bool) -> None:
    source = (EDITION / "docs" / "interview.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    html = convert(source)
    check_golden("interview-fixture.html", html, update_golden)
    ET.fromstring(f"<root>{html.replace('&nbsp;', ' ')}</root>")  # well-formed


SMALL_TEXT = """\
A title
Reporter: Who was placed in pre-trial detention (СИЗО) because of the КНБ?
— Nobody knows *the fate* of Tolegenov.
"""
SMALL = "::: edition-document interview\n"
"""The page of a document: one line."""

SMALL_NOTES = """\
- id: outer
  document: interview
  type: context
  quote: pre-trial detention (СИЗО) because
  title: Outer 1 < 2 > 0 & "quotes"
  body: See [the term](term:sizo) and [inner](note:inner). <script>alert(1)</script>
  author: T
  status: verified
  confidence: high
  sources: [{title: S}]
- id: inner
  document: interview
  type: correction
  quote: СИЗО) because of
  title: Inner
  body: Inner body.
  author: T
  status: unverified
  confidence: low
  sources: [{title: S}]
- id: fate
  document: interview
  type: event
  quote: knows *the fate*
  title: Across Markdown-like characters
  body: Fate.
  author: T
  status: verified
  confidence: high
  sources: [{title: S}]
"""


@pytest.fixture
def small_data(tmp_path: Path) -> tuple[Path, Path, Path]:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "n.yml").write_text(SMALL_NOTES, encoding="utf-8")
    return tmp_path / "a", FIXTURES / "glossary", declare(tmp_path, SMALL_TEXT, more=SPEAKERS)


def test_small_document_matches_golden_html(small_data: tuple[Path, Path, Path], update_golden: bool) -> None:
    with pytest.raises(EditionError) as raised:  # the raw <script> in a body is an error …
        convert(SMALL, *small_data)
    assert "raw HTML '<script>' is not allowed" in str(raised.value)
    notes = small_data[0] / "n.yml"
    notes.write_text(notes.read_text(encoding="utf-8").replace(" <script>alert(1)</script>", ""), encoding="utf-8")
    html = convert(SMALL, *small_data)
    check_golden("small.html", html, update_golden)
    assert "<script" not in html
    assert 'title="СИЗО (SIZO): следственный изолятор — pre-trial detention centre"' in html


def test_sanitiser_neutralises_what_the_check_reports() -> None:
    renderer = BodyRenderer(lambda kind, target: None)
    html = renderer.html('<script>alert(1)</script><img src=x onerror=alert(1)> [a](javascript:alert(1)) '
                         '<iframe src="https://example.org"></iframe> [b](data:text/html,x) [ok](https://a.org)')
    assert "<script" not in html and "onerror" not in html and "<iframe" not in html
    assert "javascript:" not in html and "data:text" not in html
    assert '<a href="https://a.org" rel="noopener noreferrer">ok</a>' in html
    element = renderer.element("[dead](javascript:x) and [ok](#x)", "body")
    assert [e.tag for e in element.iter()] == ["div", "p", "span", "a"]


def test_unanchored_quote_raises_with_every_problem(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "n.yml").write_text(SMALL_NOTES.replace("knows *the fate*", "knows the fates")
                                          .replace("quote: СИЗО) because of", "quote: the"),
                                          encoding="utf-8")
    shutil.copytree(FIXTURES / "glossary", tmp_path / "g")
    with pytest.raises(EditionError) as raised:
        convert(SMALL, tmp_path / "a", tmp_path / "g", declare(tmp_path, SMALL_TEXT, more=SPEAKERS))
    lines = str(raised.value).splitlines()[1:]
    assert [line.split(" — ")[0] for line in lines] == [
        "a/n.yml:6:9: error: raw HTML '<script>' is not allowed in notes and definitions",
        "a/n.yml:14:10: error: quote “the” matches 2 places",
        "a/n.yml:24:10: error: quote “knows the fates” is not in document 'interview'",
    ]


def test_an_unknown_view_is_reported_not_crashed() -> None:
    with pytest.raises(EditionError) as raised:
        convert('# Index { data-edition-view="indx" }\n')
    assert "unknown edition view 'indx' — use one of: glossary, notes, index" in str(raised.value)


def test_a_note_links_a_note_of_another_document_through_the_list_of_notes(tmp_path: Path) -> None:
    notes = tmp_path / "a"
    notes.mkdir()
    common = "  author: T\n  status: verified\n  confidence: high\n  sources: [{title: S}]\n"
    (notes / "n.yml").write_text(
        "- id: here\n  document: one\n  type: context\n  quote: first words\n  title: Here\n"
        "  body: See [there](note:there) and [this](note:here).\n" + common +
        "- id: there\n  document: two\n  type: context\n  quote: other words\n  title: There\n  body: B.\n" + common,
        encoding="utf-8")
    declare(tmp_path, "One\nThe first words.\n", "one", page="texts/one.md")
    documents = declare(tmp_path, "Two\nThe other words.\n", "two")
    md = markdown.Markdown(extensions=["attr_list", "edition"], extension_configs={
        "edition": {"annotations": str(notes), "glossary": str(FIXTURES / "glossary"), "documents": str(documents)}})
    html = md.convert("::: edition-document one\n")  # the page is known from the declaration
    body = ET.fromstring(f"<root>{html}</root>").find(".//li[@id='note-here']/div[@class='ed-note__body']")
    assert body is not None
    assert [a.get("href") for a in body.iter("a")] == ["../annotations.md#there", "#note-here"]


def convert_as_page(text: str, data: tuple[Path, Path, Path]) -> tuple[str, DocumentTreeprocessor]:
    """`text` converted as `interview.md`, as the MkDocs hooks name the page."""
    md = markdown.Markdown(extensions=["attr_list", "toc", "edition"], extension_configs={
        "edition": {"annotations": str(data[0]), "glossary": str(data[1]), "documents": str(data[2])}})
    state = md.registeredExtensions[-1].state  # type: ignore[attr-defined]
    state.site.current_page = "interview.md"
    return md.convert(text), md.treeprocessors["edition"]  # type: ignore[return-value]


def test_note_bodies_go_in_as_elements_and_the_search_reads_them(small_data: tuple[Path, Path, Path]) -> None:
    """Bodies go into the page as elements (nothing stashed as HTML), escaped, and the search
    reads their text, Markdown's own tags kept as Material's search keeps them."""
    notes = small_data[0] / "n.yml"
    text = notes.read_text(encoding="utf-8").replace(" <script>alert(1)</script>", "")
    notes.write_text(text.replace("body: Fate.", 'body: "Fate & 1 < 2 **y** \\"q\\" `z`\\u00a0w\\n\\n1. a\\n2. b"'),
                     encoding="utf-8")
    html, processor = convert_as_page(SMALL, small_data)
    assert processor.md.htmlStash.html_counter == 0
    assert '<div class="ed-note__body"><p>Fate &amp; 1 &lt; 2 <strong>y</strong> "q" <code>z</code>' in html
    sections = processor.state.site.search_sections["interview.md"]
    assert '<p>Fate &amp; 1 &lt; 2 y "q" <code>z</code>\xa0w</p> <ol> <li>a</li> <li>b</li> </ol>' in sections[-1].text


def test_a_body_with_a_relative_page_link_leaves_it_for_the_site_generator(
        small_data: tuple[Path, Path, Path]) -> None:
    notes = small_data[0] / "n.yml"
    text = notes.read_text(encoding="utf-8").replace(" <script>alert(1)</script>", "")
    notes.write_text(text.replace("body: Fate.", "body: See [the glossary](glossary.md#sizo)."), encoding="utf-8")
    html, _ = convert_as_page(SMALL, small_data)
    root = ET.fromstring(f"<root>{html}</root>")
    bodies = {item.get("id"): item.find("div[@class='ed-note__body']") for item in root.iter("li")}
    fate, outer = bodies["note-fate"], bodies["note-outer"]
    assert fate is not None and outer is not None
    # every link of the page's notes left as a page path, for MkDocs to rewrite and check
    assert [a.get("href") for a in fate.iter("a")] == ["glossary.md#sizo"]
    assert [a.get("href") for a in outer.iter("a")] == ["glossary.md#sizo", "#note-inner"]


PARAGRAPHS = """\
A title
Reporter: Who was placed in pre-trial detention (СИЗО) because of the КНБ? 1 < 2 & "q"
— Nobody knows *the fate* of Tolegenov; see https://example.org/other, the КНБ.
An escaped \\*star\\* and the КНБ.
Raw <br> HTML and the КНБ.
`code` and ![an image](i.png) and the КНБ.
"""


def test_markdown_and_html_in_the_text_are_its_characters(tmp_path: Path,
                                                          small_data: tuple[Path, Path, Path]) -> None:
    """Markdown and HTML in a document's text show as written, and its glossary links are
    page paths, for the site generator to rewrite."""
    notes = small_data[0] / "n.yml"
    notes.write_text(notes.read_text(encoding="utf-8").replace(" <script>alert(1)</script>", ""), encoding="utf-8")
    data = (small_data[0], small_data[1], declare(tmp_path, PARAGRAPHS, more=SPEAKERS))
    html, processor = convert_as_page(SMALL, data)
    assert processor.md.htmlStash.html_counter == 0
    assert "1 &lt; 2 &amp; \"q\"" in html
    assert "Raw &lt;br&gt; HTML" in html and "\\*star\\*" in html and "![an image](i.png)" in html
    root = ET.fromstring(f"<root>{html}</root>")
    assert [a.get("href") for a in root.iter("a") if a.get("data-term") == "knb"] == ["glossary.md#knb"] * 5


def test_a_term_link_never_repeats_itself_in_its_tooltip_or_printed_gloss(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "p.yml").write_text(
        "- id: patrols\n  term: языковые патрули\n  full: языковые патрули\n  translation: language patrols\n"
        "  aliases: [language patrols]\n  definition: D.\n", encoding="utf-8")
    html = convert("::: edition-document d\n", tmp_path / "a", tmp_path / "g",
                   declare(tmp_path, "T\nThe language patrols came; языковые патрули.\n", "d"))
    links = ET.fromstring(f"<root>{html}</root>").findall(".//a[@data-term='patrols']")
    assert [link.get("title") for link in links] == ["языковые патрули (yazykovyye patruli) — language patrols"] * 2
    assert links[0].get("data-gloss") == "yazykovyye patruli"  # the text already says "language patrols"
    assert links[1].get("data-gloss") is None and links[1].get("lang") == "ru"


def printed_glosses(folder: Path, glossary: str, text: str) -> dict[str, str | None]:
    """The gloss print adds after each entry's first use in a document of `text`, with the
    glossary `glossary` (YAML), by entry."""
    for name in ("a", "g"):
        (folder / name).mkdir(exist_ok=True)
    (folder / "g" / "t.yml").write_text(glossary, encoding="utf-8")
    html = convert("::: edition-document d\n", folder / "a", folder / "g", declare(folder, text, "d"))
    links = ET.fromstring(f"<root>{html}</root>").iter("a")
    return {link.get("data-term") or "": link.get("data-gloss") for link in links
            if link.get("class") == "ed-term ed-term--first"}


TOLEGENOV = ("- id: tolegenov\n  term: Аслан Толегенов\n  full: Аслан Толегенов\n"
             "  translation: Aslan Tolegenov (personal name)\n  definition: D.\n")


def test_a_printed_gloss_says_nothing_the_paragraph_said(tmp_path: Path) -> None:
    """A name given in Latin letters, then in Cyrillic: transliteration and translation only
    repeat it, so print adds no gloss (not "[Aslan Tolegenov: Aslan Tolegenov (personal name)]")."""
    glossary = TOLEGENOV + ("- id: sizo\n  term: СИЗО\n  full: следственный изолятор\n"
                            "  translation: pre-trial detention centre\n  definition: D.\n")
    text = "T\nThe Aslan Tolegenov (Аслан Толегенов) case; he was in СИЗО.\n"
    assert printed_glosses(tmp_path, glossary, text) == {"tolegenov": None, "sizo": "SIZO: pre-trial detention centre"}


def test_a_printed_gloss_keeps_what_a_parenthesis_adds_to_words_the_paragraph_said(tmp_path: Path) -> None:
    """The paragraph says "Maidan", not what it means: the gloss keeps "Independence Square"
    (it used to print "Maydan" alone). A parenthesis is left out when the paragraph says it,
    when it continues the words before it ("of Kazakhstan") or only says that a name is one."""
    glossary = TOLEGENOV + (
        "- id: maidan\n  term: Майдан\n  full: Майдан Незалежности\n  translation: Maidan (Independence Square)\n"
        "  aliases: [Maidan]\n  definition: D.\n"
        "- id: knb\n  term: КНБ\n  full: Комитет национальной безопасности\n"
        "  translation: National Security Committee (of Kazakhstan)\n  definition: D.\n"
        "- id: odkb\n  term: ОДКБ\n  full: Организация Договора о коллективной безопасности\n"
        "  translation: Collective Security Treaty Organization (CSTO)\n  definition: D.\n")
    text = ("T\nTo launch a \"Maidan\" (Майдан) you need money.\n"
            "The National Security Committee (КНБ) and the Collective Security Treaty Organization (ОДКБ).\n"
            "The Aslan Tolegenov (Аслан Толегенов) case.\n")
    assert printed_glosses(tmp_path, glossary, text) == {
        "maidan": "Maydan: Independence Square", "knb": "KNB", "odkb": "ODKB: CSTO", "tolegenov": None}
    # Where the paragraph says the parenthesis too, it is left out with the rest.
    text = "T\nA Collective Security Treaty Organization (CSTO, ОДКБ) summit.\n"
    assert printed_glosses(tmp_path, glossary, text) == {"odkb": "ODKB"}


def test_a_note_shows_when_it_was_checked_and_when_each_page_was_seen(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "n.yml").write_text(
        SMALL_NOTES.replace(" <script>alert(1)</script>", "")
        .replace("  sources: [{title: S}]\n- id: inner",
                 "  checked: '2026-12-07'\n  sources: [{title: S, url: 'https://example.org/a',"
                 " accessed: '2026-12-01'}, {title: Offline, accessed: '2026-11-30'},"
                 " {title: Unseen, url: 'https://example.org/b'}]\n- id: inner"),
        encoding="utf-8")
    html = convert(SMALL, tmp_path / "a", FIXTURES / "glossary", declare(tmp_path, SMALL_TEXT, more=SPEAKERS))
    outer = html[html.index('id="note-outer"'):html.index('id="note-inner"')]
    assert "confidence high · last checked 2026-12-07</span>" in outer
    assert 'https://example.org/a</a> (accessed 2026-12-01) ' in outer
    assert "<cite>Offline</cite> (accessed 2026-11-30) " in outer
    assert 'https://example.org/b</a> </li>' in outer  # no access date, none shown
    inner = html[html.index('id="note-inner"'):]
    assert "last checked" not in inner and "accessed" not in inner


@pytest.mark.parametrize("extensions", [["toc", "edition"], ["edition", "toc"]])
def test_unicode_heading_ids_keep_every_letter_with_a_plain_option(extensions: list[str]) -> None:
    """`heading_ids: unicode` gives `toc` a slugify that keeps Cyrillic and accents (with the
    extensions in either order); without it, `toc` keeps its own ASCII ids."""
    page = "# Ёлка и йод\n\n## Café au lait\n"

    def ids(option: str) -> list[str | None]:
        md = markdown.Markdown(extensions=extensions, extension_configs={"edition": {"heading_ids": option}})
        root = ET.fromstring(f"<root>{md.convert(page)}</root>")
        return [heading.get("id") for heading in root]

    assert ids("unicode") == ["ёлка-и-йод", "café-au-lait"]
    assert ids("") == ["_1", "cafe-au-lait"]


def test_a_heading_ids_value_the_extension_does_not_know_is_one_line_at_its_place(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("markdown_extensions:\n  - edition:\n      heading_ids: cyrillic\n", encoding="utf-8")
    problems = option_problems({"heading_ids": "cyrillic"}, {"heading_ids": ""}, config)
    assert [str(problem) for problem in problems] == [
        "mkdocs.yml:3:7: error: `heading_ids: cyrillic` is not a value of this option — use `heading_ids: unicode`, "
        "or leave the option out for the `toc` extension's own ids"]


def test_the_configuration_has_no_yaml_tags() -> None:
    """Plain values only (issue 16): any tool reads `mkdocs.yml` with a safe loader."""
    config = yaml.safe_load((EDITION / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_url"].startswith("http")
    edition = next(entry["edition"] for entry in config["markdown_extensions"]
                   if isinstance(entry, dict) and "edition" in entry)
    assert edition["heading_ids"] == "unicode"


def _edited_copy(source: Path, target: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the data folder `source` with `edit` applied to every item of every file."""
    target.mkdir()
    for path in sorted(source.glob("*.yml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in items:
            edit(item)
        (target / path.name).write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _retitle(note: dict[str, Any]) -> None:
    note["title"] = f"Retitled {note['title']}"
    note["type"] = "context" if note["type"] != "context" else "translation"


def _rewrite(note: dict[str, Any]) -> None:
    note["body"] = f"Rewritten. {note['body']}"
    note["author"] = "Someone else"
    note["confidence"] = "low" if note["confidence"] != "low" else "high"


def _redefine(entry: dict[str, Any]) -> None:
    entry["translation"] = f"edited {entry['translation']}"
    entry["definition"] = f"Edited. {entry['definition']}"


@pytest.mark.parametrize("view", sorted(VIEW_READS))
def test_a_view_changes_with_what_it_reads_and_with_nothing_else(view: str, tmp_path: Path) -> None:
    """`mkdocs serve` converts a view again only when what `VIEW_READS` says it reads changed:
    every note retitled and retyped, or every glossary entry's translation and definition
    edited (not its forms), changes the views that read them and leaves the others as they were."""
    notes = _edited_copy(EDITION / "annotations", tmp_path / "annotations", _retitle)
    glossary = _edited_copy(EDITION / "glossary", tmp_path / "glossary", _redefine)
    page = f'# View {{ data-edition-view="{view}" }}\n'

    def view_of(annotations: Path = EDITION / "annotations", glossary: Path = EDITION / "glossary") -> str:
        return markdown.Markdown(extensions=["attr_list", "edition"], extension_configs={"edition": {
            "annotations": str(annotations), "glossary": str(glossary), "documents": str(EDITION / "documents"),
            "entities": str(EDITION / "index")}}).convert(page)

    first = view_of()
    assert first.count("<a ") > 10  # the view lists something
    assert page_reads(page) == VIEW_READS[view]
    assert (view_of(notes) != first) is bool(VIEW_READS[view] & {"notes", "indexed notes"})
    assert (view_of(glossary=glossary) != first) is ("glossary" in VIEW_READS[view])
    # What no view reads of a note (VIEW_NOTE_FIELDS): its body, author, confidence
    assert {"body", "author", "confidence"}.isdisjoint(VIEW_NOTE_FIELDS)
    assert view_of(_edited_copy(EDITION / "annotations", tmp_path / "rewritten", _rewrite)) == first


def _index_of(annotations: Path) -> tuple[tuple[object, ...], str]:
    """What the index reads (`VIEW_INPUTS`), and the index page, with the notes of `annotations`."""
    state = EditionState(EditionOptions(annotations, EDITION / "glossary", EDITION, entities=EDITION / "index",
                                        documents=EDITION / "documents"))
    reads = tuple(VIEW_INPUTS[name](state) for name in sorted(VIEW_READS["index"]))
    page = markdown.Markdown(extensions=["attr_list", "edition"], extension_configs={"edition": {
        "annotations": str(annotations), "glossary": str(EDITION / "glossary"), "documents": str(EDITION / "documents"),
        "entities": str(EDITION / "index")}}).convert('# Index { data-edition-view="index" }\n')
    return reads, page


def test_the_index_reads_the_notes_it_shows_and_no_other(tmp_path: Path) -> None:
    """`mkdocs serve` converts the index again when a note it shows is edited, not at every edit
    of a note: retitling (and retyping) a note it does not show changes neither what it reads
    nor the page; retitling one it shows changes both."""
    reads, page = _index_of(EDITION / "annotations")
    indexed = reads[0]
    assert isinstance(indexed, tuple) and indexed
    shown = {entry[2] for entry in indexed}
    every = {str(item["id"]) for path in sorted((EDITION / "annotations").glob("*.yml"))
             for item in yaml.safe_load(path.read_text(encoding="utf-8"))}
    assert shown < every
    for note, changes in ((sorted(every - shown)[0], False), (sorted(shown)[0], True)):
        def retitle(item: dict[str, Any], note: str = note) -> None:
            if item["id"] == note:
                _retitle(item)

        edited = _edited_copy(EDITION / "annotations", tmp_path / note, retitle)
        after, after_page = _index_of(edited)
        assert (after != reads) is changes, note
        assert (after_page != page) is changes, note
        assert ("Retitled " in after_page) is changes


def test_a_page_may_show_anything_unless_every_view_it_names_is_known() -> None:
    two = "# Glossary { data-edition-view='glossary' }\n\n# Speakers {data-edition-view=speakers}\n"
    assert page_reads(two) == frozenset({"glossary"})
    two = '# Glossary { data-edition-view="glossary" }\n\n# Index { data-edition-view="index" }\n'
    assert page_reads(two) == frozenset({"glossary", "indexed notes"})
    assert page_reads("# Introduction\n\nSee [a note](note:war).\n") is None  # no view: it may show anything
    assert page_reads('# Speakers { data-edition-view="speakers" }\n\n::: edition-document interview\n') is None
    assert page_reads('# Nothing { data-edition-view="nothing" }\n') is None
