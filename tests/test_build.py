"""Full `mkdocs build --strict` of the real edition, checked on the parsed HTML."""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import EDITION, FIXTURES, copy_project, mkdocs_build
from edition.loading import load_corpus
from edition.textnorm import normalize_plain
from edition.views import russian_sort_key

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.build


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name / "index.html").read_text(encoding="utf-8"), "html.parser")


def blocks(soup: BeautifulSoup) -> list[Tag]:
    document = soup.select_one(".ed-document")
    assert document is not None
    return [child for child in document.children if isinstance(child, Tag) and child.name in ("h1", "p")]


def attr(tag: Tag, name: str) -> str:
    """A single-valued attribute as text."""
    value = tag.get(name)
    return value if isinstance(value, str) else " ".join(value or ())


CORPUS = load_corpus(EDITION / "annotations", EDITION / "glossary", EDITION).corpus


def test_the_page_text_is_the_seed_text_character_for_character(built_site: Path, seed_text: str) -> None:
    # Nothing is taken out first: the edition's additions (numbers, markers, inferred
    # speakers, "[note 3:]") are attributes and CSS generated content, never text.
    soup = page(built_site, "interview")
    assert [b.get_text() for b in blocks(soup)] == seed_text.split("\n")
    document = soup.select_one(".ed-document")
    # The document's blocks are its lines, each ended by a newline: a quote's prefix and
    # suffix across lines are what a client reading the page sees.
    assert document is not None and document.get_text() == seed_text + "\n"


def test_paragraphs_are_numbered_with_ids_and_permalinks(built_site: Path, seed_text: str) -> None:
    paragraphs = [b for b in blocks(page(built_site, "interview")) if b.name == "p"]
    assert len(paragraphs) == len(seed_text.split("\n")) - 1
    for number, paragraph in enumerate(paragraphs, 1):
        assert paragraph["id"] == f"p{number}"
        link = paragraph.select_one("a.ed-pnum")
        assert link is not None and link["href"] == f"#p{number}" and link["data-n"] == str(number)


def test_front_matter_is_distinct_from_the_dialogue(built_site: Path) -> None:
    soup = page(built_site, "interview")
    title = soup.select_one(".ed-document h1")
    assert title is not None and title.get_text().startswith("Idleness and Neighbors")
    for css, start in ((".ed-caption", "Qasym-Malik"), (".ed-lede", "Why is Russia"),
                       (".ed-source", "Original:"), (".ed-statement", "Statement:")):
        found = soup.select(css)
        assert len(found) == 1 and found[0].get_text().startswith(start), css


def test_speaker_turns_including_inferred_ones(built_site: Path) -> None:
    turns = [b for b in blocks(page(built_site, "interview")) if "ed-turn" in (b.get("class") or [])]
    labelled = [t for t in turns if t.select_one(".ed-speaker:not(.ed-speaker--inferred)")]
    inferred = [t for t in turns if t.select_one(".ed-speaker--inferred")]
    assert {t["data-speaker"] for t in labelled} == {"Reporter", "Yuritsyn"}
    assert len(inferred) == 10
    assert all(t.get_text().startswith("— ") for t in inferred)
    assert [t["data-speaker"] for t in inferred] == ["Reporter", "Yuritsyn"] * 5
    for turn in inferred:
        label = turn.select_one(".ed-speaker--inferred")
        # The label is CSS generated content ("[Reporter] "): the paragraph's text is the source's.
        assert label is not None and label.get_text() == "" and label["data-label"] == turn["data-speaker"]
        assert label["title"] == "Speaker attributed by the editors"
    continued = [t for t in turns if "ed-turn--cont" in t["class"]]
    assert continued and all(t["data-speaker"] == "Yuritsyn" for t in continued)


def test_every_annotation_is_rendered_once_and_covers_exactly_its_quote(built_site: Path) -> None:
    soup = page(built_site, "interview")
    ids = [a.id for a in CORPUS.annotations]
    assert len(ids) >= 10
    for annotation in CORPUS.annotations:
        assert len(soup.select(f"#note-{annotation.id}")) == 1
        assert len(soup.select(f"#ref-{annotation.id}")) == 1
        marks = [m for m in soup.select("mark.ed-hl") if annotation.id in attr(m, "data-notes").split()]
        assert marks, annotation.id
        assert normalize_plain("".join(m.get_text() for m in marks)) == normalize_plain(annotation.quote)
    numbers = [int(attr(li, "data-number")) for li in soup.select(".ed-notes__list > li")]
    assert numbers == list(range(1, len(ids) + 1))
    # Screen readers hear where each span starts (and its marker where it ends), except in a
    # heading, whose name would begin with "[note 1:]" in every list of headings.
    in_headings = {attr(m, "data-note") for m in soup.select(".ed-document :is(h1, h2, h3) .ed-marker")}
    assert in_headings  # the title has a note
    number_of = {attr(li, "id").removeprefix("note-"): attr(li, "data-number") for li in soup.select(".ed-note")}
    # "[note 3:]" is CSS generated content: read out, but no text of the page.
    starts = {attr(s, "data-note"): (s.get_text(), attr(s, "data-label"))
              for s in soup.select(".ed-document .ed-sr-only.ed-start")}
    assert starts == {note: ("", f"note {number_of[note]}:") for note in number_of if note not in in_headings}
    for mark in soup.select("mark"):
        assert not mark.select("mark"), "highlights must be flat"


def test_overlapping_annotations_exist_and_render_flat(built_site: Path) -> None:
    overlaps = page(built_site, "interview").select("mark.ed-hl--overlap")
    assert overlaps
    assert all(len(attr(m, "data-notes").split()) >= 2 for m in overlaps)


def test_every_term_occurrence_links_to_its_entry_with_a_tooltip(built_site: Path, seed_text: str) -> None:
    soup = page(built_site, "interview")
    links = soup.select(".ed-document a.ed-term")
    forms = {form: entry for entry in CORPUS.glossary for form in entry.forms}
    expected = sum(len(re.findall(rf"(?<!\w){re.escape(f)}(?!\w)", seed_text)) for f in forms
                   if not any(f != g and f in g and g in seed_text for g in forms))
    assert len(links) == expected
    for link in links:
        entry = forms[link.get_text()]
        assert link["href"] == f"../glossary/#{entry.id}"
        assert entry.full in link["title"] and entry.translation.replace("&", "&amp;") in link["title"]
    required = {"СИЗО", "КНБ", "ФСБ", "ОДКБ", "СВО", "КНДР", "БАМ", "Магнитка", "МИР", "Майдан", "ботофермы",
                "на чемоданах", "ODKB", "EAES"}
    assert required <= {link.get_text() for link in links}


def test_glossary_page_is_sorted_anchored_and_back_referenced(built_site: Path) -> None:
    soup = page(built_site, "glossary")
    headings = soup.select("h2.ed-entry__term")
    terms = [h.select_one("span[lang=ru]").get_text() for h in headings]  # type: ignore[union-attr]
    assert terms == sorted(terms, key=russian_sort_key)
    assert {h["id"] for h in headings} == {e.id for e in CORPUS.glossary}
    interview = page(built_site, "interview")
    for entry in CORPUS.glossary:
        details = soup.select_one(f"#{entry.id} + dl")
        assert details is not None
        text = details.get_text()
        assert entry.translit in text and entry.translation in text
        labels = [dt.get_text() for dt in details.select("dt")]
        assert labels[0] == ("Transliteration (BGN/PCGN)" if entry.translit_scheme == "bgn_pcgn" else "Transliteration")
        assert ("Spelling in the text" in labels) == bool(entry.text_spelling), entry.id
        refs = details.select(".ed-entry__occurrences a")
        assert refs, entry.id
        for ref in refs:
            target = attr(ref, "href").split("#")[1]
            paragraph = interview.select_one(f"#{target}")
            assert paragraph is not None and paragraph.select(f'a.ed-term[data-term="{entry.id}"]')
    eaes = soup.select_one("#eaes + dl")
    assert eaes is not None
    rows = dict(zip([dt.get_text() for dt in eaes.select("dt")], [dd.get_text() for dd in eaes.select("dd")],
                    strict=True))
    assert rows["Transliteration (BGN/PCGN)"] == "YeAES" and rows["Spelling in the text"] == "EAES"


def test_all_annotations_page_lists_notes_in_text_order(built_site: Path) -> None:
    interview = page(built_site, "interview")
    interview_order = [attr(li, "id").removeprefix("note-") for li in interview.select(".ed-note")]
    listing = page(built_site, "annotations")
    items = listing.select("ol.ed-notelist > li")
    assert [attr(item, "id") for item in items] == interview_order  # old `annotations/#<id>` links still land
    for number, (item, note_id) in enumerate(zip(items, interview_order, strict=True), 1):
        link = item.select_one("a.ed-notelist__title")
        assert link is not None and attr(link, "href") == f"../interview/#note-{note_id}"
        title = interview.select_one(f"#note-{note_id} .ed-note__title")
        assert title is not None and link.get_text() == f"{number}. {title.get_text()}"
        assert item.select_one("q") is not None
    assert not listing.select(".ed-note__body"), "bodies live in the documents' endnotes, not repeated here"


def test_search_index_has_glossary_transliterations_and_note_text(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en", "ru"]
    text = " ".join(doc["text"] + " " + doc["title"] for doc in index["docs"])
    assert "SIZO" in text and "СИЗО" in text and "KNB" in text
    glossary_locations = {doc["location"] for doc in index["docs"] if doc["location"].startswith("glossary/#")}
    assert {f"glossary/#{e.id}" for e in CORPUS.glossary} <= glossary_locations
    # Each endnote is a section of its own: a hit on a note's text lands on that note.
    for note in CORPUS.annotations:
        entry = next(doc for doc in index["docs"] if doc["location"] == f"interview/#note-{note.id}-title")
        assert note.title in entry["title"]
        assert entry["text"]


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    for html in built_site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for element in soup.select("script[src], link[href], img[src], iframe, source[src]"):
            url = element.get("src") or element.get("href") or ""
            rel = attr(element, "rel").split()
            if "canonical" in rel or "alternate" in rel:
                continue
            assert not re.match(r"^(https?:)?//", str(url)), f"{html}: {element}"
    for css in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


def test_bad_input_fails_the_build_with_every_problem_and_no_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    (project / "annotations" / "bad.yml").write_text(
        "- id: bad-one\n  document: interview\n  type: corection\n  quote: Kostanay\n  title: t\n  body: b\n"
        "  author: a\n  status: verified\n  confidence: high\n"
        "- id: bad-two\n  document: interview\n  type: context\n  quote: no such words anywhere\n  title: t\n"
        "  body: b\n  sources: [{title: s}]\n  author: a\n  status: verified\n  confidence: high\n",
        encoding="utf-8")
    (project / "glossary" / "broken.yml").write_text("- id: x\n  term: [unclosed\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if re.match(r"^\S+\.yml:\d+:\d+: ", line)]
    assert lines == [
        "annotations/bad.yml:3:9: error: 'corection' is not a valid `type` — did you mean 'correction'? use one "
        "of: correction, translation, context, person, place, organization, event, speaker",
        "annotations/bad.yml:13:10: error: quote “no such words anywhere” is not in document 'interview' — copy "
        "the exact words from the text (nothing similar was found)",
        "glossary/broken.yml:3:1: error: YAML syntax error: expected ',' or ']', but got '<stream end>' — check "
        "indentation, quotes and colons on this line or the one above",
    ]
    assert not (project / "site" / "interview" / "index.html").exists()


def test_index_of_people_places_and_organisations(built_site: Path) -> None:
    from edition.entities import load_entities  # noqa: PLC0415

    entities, problems = load_entities(EDITION / "index", EDITION)
    assert not problems and len(entities) >= 20
    soup = page(built_site, "people-places")
    interview = page(built_site, "interview")
    assert {attr(h, "id") for h in soup.select("h3.ed-entity__name")} == {f"entity-{e.id}" for e in entities}
    assert [h.get_text().rstrip("¶") for h in soup.select("h2")][:3] == ["People", "Places", "Organisations"]
    for entity in entities:
        details = soup.select_one(f"#entity-{entity.id} + dl")
        assert details is not None
        places = details.select(".ed-entity__occurrences a")
        assert places, entity.id
        for link in places:
            paragraph = interview.select_one("#" + attr(link, "href").split("#")[1])
            assert paragraph is not None
            assert any(m in paragraph.get_text() for m in entity.mentions), (entity.id, attr(link, "href"))
        wikidata = details.select_one('a[href^="https://www.wikidata.org/wiki/"]')
        assert (wikidata is not None) == bool(entity.wikidata)


def test_a_build_freezes_what_it_keeps_and_hands_it_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook freezes the loaded data and each page's survivors, and unfreezes at the end."""
    from mkdocs.commands.build import build  # noqa: PLC0415 - an in-process build, only here
    from mkdocs.config import load_config  # noqa: PLC0415

    project = copy_project(tmp_path / "project")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    freezes: list[int] = []
    real_freeze = gc.freeze

    def freeze() -> None:
        real_freeze()
        freezes.append(gc.get_freeze_count())

    monkeypatch.setattr(gc, "freeze", freeze)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
        pages = len(list((tmp_path / "site").rglob("index.html")))
        assert len(freezes) >= pages + 1  # the data, then every page
        assert freezes == sorted(freezes) and freezes[-1] > freezes[0] > 0
        assert gc.get_freeze_count() == 0
        config.plugins.on_shutdown()
        assert gc.get_freeze_count() > 0  # what is left, for the end of the process
    finally:
        gc.unfreeze()
    assert (tmp_path / "site" / "interview" / "index.html").is_file()


def test_a_document_without_a_nav_or_front_matter_title_is_titled_by_its_heading(tmp_path: Path,
                                                                                  seed_text: str) -> None:
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - The interview: interview.md\n" in text
    config.write_text(text.replace("  - The interview: interview.md\n", "  - interview.md\n"), encoding="utf-8")
    page_source = project / "docs" / "interview.md"
    source = page_source.read_text(encoding="utf-8")
    assert "title: The interview\n" in source
    page_source.write_text(source.replace("title: The interview\n", "", 1), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    html = BeautifulSoup((project / "site" / "interview" / "index.html").read_text(encoding="utf-8"), "html.parser")
    heading = seed_text.splitlines()[0]  # the transcript's first line is its title
    title = html.select_one("title")
    assert title is not None and title.get_text().startswith(f"{heading} - ")
    citation = html.select_one('meta[name="citation_title"]')
    assert citation is not None and attr(citation, "content").startswith(heading)
    active = html.select_one(".md-nav--primary .md-nav__link--active")
    assert active is not None and " ".join(active.get_text().split()) == heading


def test_a_large_edition_builds_the_same_in_one_process_or_several(tmp_path: Path) -> None:
    """Bodies converted and exports written in other processes give the same site as one process."""
    from benchmarks.corpus import generate  # noqa: PLC0415 - the benchmark's corpus, only here

    project = generate(tmp_path / "corpus", pages=32, terms=40)  # 640 notes: enough for other processes
    sites: dict[str, dict[str, bytes]] = {}
    for processes in ("", "1"):
        site = tmp_path / f"site{processes or 'N'}"
        env = {**os.environ, "EDITION_PROCESSES": processes, "EDITION_TIMINGS": "1"}
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                                cwd=project, capture_output=True, text=True, check=False, timeout=300, env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        elsewhere = re.search(r"made in another process in ([\d.]+) s", result.stderr)
        texts = re.search(r"(\d+) texts converted in another process", result.stderr)
        assert elsewhere is not None and texts is not None, result.stderr[-500:]
        assert (float(elsewhere.group(1)) > 0, int(texts.group(1)) >= 600) == (processes == "",) * 2
        sites[processes] = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
                            if p.is_file() and not p.name.startswith("sitemap")}
    assert len(sites[""]) > 100 and any(path.startswith("data/documents/") for path in sites[""])  # pages, exports
    assert sites[""].keys() == sites["1"].keys()
    assert [path for path in sites[""] if sites[""][path] != sites["1"][path]] == []


def test_a_rebuild_in_the_same_process_converts_only_the_texts_that_changed(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """As under `mkdocs serve`: each rebuild loads the config again, the hooks stay loaded."""
    from mkdocs.commands.build import build  # noqa: PLC0415 - in-process builds, only here
    from mkdocs.config import load_config  # noqa: PLC0415

    from edition.render import RenderCache  # noqa: PLC0415

    project = copy_project(tmp_path / "project")
    converted: list[str] = []
    real_convert = RenderCache._convert

    def counting(self: RenderCache, text: str) -> object:
        converted.append(text)
        return real_convert(self, text)

    monkeypatch.setattr(RenderCache, "_convert", counting)

    def rebuild() -> int:
        converted.clear()
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            gc.unfreeze()
        return len(converted)

    first = rebuild()
    assert first > 80  # every body and definition
    assert rebuild() == 0
    notes = project / "annotations" / "war.yml"
    text = notes.read_text(encoding="utf-8")
    body = re.search(r"\n  body: \|\n    (.+)\n", text)
    assert body is not None
    notes.write_text(text.replace(body.group(1), body.group(1) + " Edited.", 1), encoding="utf-8")
    assert rebuild() == 1
    html = (tmp_path / "site" / "interview" / "index.html").read_text(encoding="utf-8")
    assert "Edited." in html


def test_a_page_leaves_no_garbage_to_be_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the hook freezes a page's survivors, the page's garbage is gone, even what the
    collector had already moved to its oldest generation during a long conversion (a view's
    tree): a full collection just before each freeze finds nothing left to free."""
    from mkdocs.commands.build import build  # noqa: PLC0415 - an in-process build, only here
    from mkdocs.config import load_config  # noqa: PLC0415

    project = copy_project(tmp_path / "project")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    left: list[int] = []
    real_freeze = gc.freeze

    def freeze() -> None:
        left.append(gc.collect())
        real_freeze()

    monkeypatch.setattr(gc, "freeze", freeze)
    threshold = gc.get_threshold()
    gc.set_threshold(50)  # the collector runs often during each page's conversion, as in a long one
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
    pages = left[1:]  # after the data's freeze: one for each page
    assert len(pages) >= len(list((tmp_path / "site").rglob("index.html")))
    assert max(pages) == 0, pages


UNUSED_ENTRY = """\
- id: unused-entry
  term: ЩЮЩЯЩ
  full: Щющящ
  translation: A word no text uses
  translit: ShchYuShchYaShch
  definition: An entry for a warning.
"""


def test_a_serve_rebuild_reports_what_the_check_before_it_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    """Under `mkdocs serve`, the check before each build has just checked every body and the
    whole site in the same data: `on_env` reports what it found (a warning too) and does not
    check them again. `mkdocs build`, which runs no check first, does."""
    from mkdocs.commands.build import build  # noqa: PLC0415 - an in-process build, only here
    from mkdocs.config import load_config  # noqa: PLC0415

    from edition.state import EditionState  # noqa: PLC0415

    builds: set[int] = set()  # the states of builds (the checks' make their bodies at once)
    checked: list[int] = []
    real_init, real_check = EditionState.__init__, EditionState.check_bodies

    def init(self: EditionState, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("bodies_later"):
            builds.add(id(self))
        real_init(self, *args, **kwargs)

    def check_bodies(self: EditionState) -> None:
        checked.append(id(self))
        real_check(self)

    monkeypatch.setattr(EditionState, "__init__", init)
    monkeypatch.setattr(EditionState, "check_bodies", check_bodies)
    caplog.warnings_expected = True  # type: ignore[attr-defined]  # the unused entry's, checked below
    project = copy_project(tmp_path / "project")
    (project / "glossary" / "unused-entry.yml").write_text(UNUSED_ENTRY, encoding="utf-8")
    site = tmp_path / "site"
    try:
        for command in ("serve", "serve", "build"):
            config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
            config.plugins.on_startup(command=command, dirty=False)
            builds.clear()
            checked.clear()
            caplog.clear()
            with caplog.at_level("WARNING", logger="mkdocs.plugins.edition"):
                build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
            warned = [r.getMessage() for r in caplog.records if "'unused-entry'" in r.getMessage()]
            assert len(warned) == 1, (command, warned)
            assert "occurs nowhere in the text" in warned[0]
            assert checked, command  # the check's state (serve) or the build's (build)
            assert bool(builds & set(checked)) == (command == "build"), command
            config.plugins.on_shutdown()
    finally:
        gc.unfreeze()


def test_the_first_serve_build_keeps_what_each_document_exported(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `mkdocs serve`, the first build makes the exports in MkDocs' process (it could
    fork: no other thread runs yet), so that the first rebuild makes again only what an
    edit changed, not every document's part (as it did when the first build forked them)."""
    from mkdocs.commands.build import build  # noqa: PLC0415 - an in-process build, only here
    from mkdocs.config import load_config  # noqa: PLC0415

    from edition.reuse import DocumentExports  # noqa: PLC0415

    made: list[str] = []
    real_part = DocumentExports.part

    def part(self: DocumentExports, *args: Any) -> list[Any]:
        export, document, record, values, make = args

        def counted() -> list[Any]:
            made.append(f"{export} {document}")
            return make()  # type: ignore[no-any-return]
        return real_part(self, export, document, record, values, counted)

    monkeypatch.setattr(DocumentExports, "part", part)
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    try:
        for build_number in (1, 2):
            config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
            config.plugins.on_startup(command="serve", dirty=False)
            made.clear()
            build(config, serve_url="http://127.0.0.1:8000/")
            if build_number == 1:
                assert made  # made here, and kept
        assert made == []  # nothing changed: every document's part as the first build made it
        config.plugins.on_shutdown()
        assert (site / "data" / "annotations.jsonld").is_file()
    finally:
        gc.unfreeze()
