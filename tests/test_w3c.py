"""The W3C Web Annotation export (`edition.w3c`), checked with the W3C test suite's MUSTs,
by re-anchoring every selector, and against the built interview page."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
import math
import re
import shutil
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from conftest import ROOT, copy_project
from edition.anchoring import Block, DocumentText
from edition.checking import render_documents
from edition.document import DocumentRecord
from edition.vocabulary import ANNOTATION_TYPES, GLOSSARY_MOTIVATION
from edition.w3c import _collection_label, export_annotations
from w3c_suite import assertions, check, evaluate, must_failures

if TYPE_CHECKING:
    from pathlib import Path

    from edition.model import Annotation
    from edition.state import EditionState

SITE = "http://127.0.0.1:8000/"
GLOSSARY = SITE + "glossary/"
CREATED, MODIFIED = "2026-11-25T00:00:00Z", "2026-11-26T12:30:00+05:00"
ANNOTATION_MUSTS = "annotations/annotationMusts.test"
COLLECTION_MUSTS = "collections/collectionMusts.test"
PAGE_MUSTS = "collections/pages/pageMusts.test"
COLLECTION = "data/annotations.jsonld"
PAGE = re.compile(r"data/annotations/page-(\d+)\.jsonld")

JSON = dict[str, Any]


def page_url(page: str) -> str:
    return SITE + page.removesuffix(".md") + "/"


def fixed_dates(annotation: Annotation) -> tuple[str, str]:
    del annotation
    return CREATED, MODIFIED


def export(state: EditionState, page_size: int = 50) -> dict[str, JSON]:
    return export_annotations(state, site_url=SITE, page_url=page_url, glossary_url=GLOSSARY,
                              dates=fixed_dates, page_size=page_size)


@pytest.fixture(scope="module")
def state(edition_project: Path) -> EditionState:
    result = render_documents(edition_project / "mkdocs.yml")
    assert not [p for p in result.problems if p.is_error], result.problems
    assert "interview" in result.documents
    return result


@pytest.fixture(scope="module")
def exported(state: EditionState) -> dict[str, JSON]:
    return export(state)


def annotation_files(exported: dict[str, JSON]) -> dict[str, JSON]:
    """Every annotation, with the @context of the document's collection that embeds it, by id
    relative to the site ("data/documents/interview.jsonld#kirillov")."""
    found: dict[str, JSON] = {}
    for path, collection in exported.items():
        if path.startswith("data/documents/") and collection.get("total"):
            for item in collection["first"]["items"]:
                found[item["id"].removeprefix(SITE)] = {"@context": collection["@context"], **item}
    return found


def notes(exported: dict[str, JSON]) -> dict[str, JSON]:
    """Editorial notes by annotation id."""
    return {path.split("#", 1)[1]: doc for path, doc in annotation_files(exported).items()
            if "#term/" not in path}


def term_links(exported: dict[str, JSON]) -> list[JSON]:
    return [doc for path, doc in annotation_files(exported).items() if "#term/" in path]


def selectors(annotation: JSON) -> tuple[JSON, JSON]:
    """The top-level TextQuoteSelector and the CssSelector of the quote's block, refined by a
    TextPositionSelector within that block."""
    quote, css = annotation["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and css["type"] == "CssSelector"
    assert css["refinedBy"]["type"] == "TextPositionSelector" and set(css["refinedBy"]) == {"type", "start", "end"}
    return quote, css


def position(state: EditionState, css: JSON, document: str = "interview") -> tuple[int, int]:
    """Where a block's CssSelector and its TextPositionSelector point in the document's text."""
    record = state.documents[document]
    block = record.block_ids.index(css["value"].removeprefix("#"))
    base = record.text.raw_offsets[block]
    return base + css["refinedBy"]["start"], base + css["refinedBy"]["end"]


def with_documents(state: EditionState, documents: dict[str, DocumentRecord]) -> EditionState:
    """A shallow copy of `state` whose edition has these documents' records."""
    other = copy.copy(state)
    other.edition = copy.copy(state.edition)
    other.edition.documents = documents
    return other


def variant(state: EditionState, change: Any) -> EditionState:
    """A shallow copy of `state` whose interview record's anchors are passed through `change`."""
    record = state.documents["interview"]
    return with_documents(state, {**state.documents,
                                  "interview": dataclasses.replace(record, anchors=change(record.anchors))})


# ---------------------------------------------------------------------------------------
# The runner itself can fail
# ---------------------------------------------------------------------------------------

GOOD: JSON = {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    "id": "https://example.org/edition/annotations/a-001.jsonld",
    "type": "Annotation",
    "motivation": "commenting",
    "created": "2024-05-01T12:00:00Z",
    "creator": {"type": "Person", "name": "Alice"},
    "body": {"type": "TextualBody", "value": "<p>…</p>", "format": "text/html", "language": "en"},
    "target": {"source": "https://example.org/edition/interview/",
               "selector": [{"type": "TextQuoteSelector", "exact": "Хроника", "prefix": "мы ", "suffix": ","},
                            {"type": "TextPositionSelector", "start": 3, "end": 10}]},
}


def failed(test: str, instance: object) -> set[str]:
    return {f.assertion.rsplit("/", 1)[1].removesuffix(".json") for f in must_failures(test, instance)}


def test_the_suite_lists_its_must_assertions() -> None:
    assert len(assertions(ANNOTATION_MUSTS)) == 54
    assert len(assertions(COLLECTION_MUSTS)) == 10
    assert len(assertions(PAGE_MUSTS)) == 15


def test_the_runner_passes_a_spec_like_annotation() -> None:
    assert must_failures(ANNOTATION_MUSTS, GOOD) == []


def test_the_runner_fails_a_broken_annotation_on_the_right_assertions() -> None:
    broken = {key: value for key, value in GOOD.items() if key != "target"}
    broken |= {"id": "a 001", "created": "2024-05-01", "bodyValue": "text"}
    assert failed(ANNOTATION_MUSTS, broken) == {
        "3.1-annotationIdValidated",       # "a 001" is no URI: proves `format: uri` really runs
        "3.1-targetKeyFound",
        "3.2-targetObjectsRecognized",
        "3.2.5-notBodyBodyValue",
        "3.3.1-annotationCreatedValidated",  # a date without a time is no date-time
    }


def test_the_runner_fails_bad_bodies_and_selectors() -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["body"] = {"id": "https://example.org/glossary/#knb", "purpose": "identifying"}
    bad["target"]["selector"] = [{"type": "TextQuoteSelector", "prefix": "мы "},
                                 {"type": "TextPositionSelector", "start": -1, "end": 10}]
    assert failed(ANNOTATION_MUSTS, bad) == {
        "3.3.5-bodyEWRNoPurpose", "4.2-selectorValidIfPresent", "4.2.4-textQuoteSelectorValid",
        "4.2-TextDataPositionSelectorValid"}


def test_the_runner_fails_bad_collections_and_pages() -> None:
    collection = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://example.org/c",
                  "type": "AnnotationCollection", "total": 3}
    assert failed(COLLECTION_MUSTS, collection) == {"5.1-collectionFirstValidated"}
    assert failed(COLLECTION_MUSTS, collection | {"first": "https://example.org/p1"}) == set()
    page = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://example.org/p1",
            "type": "AnnotationPage", "partOf": {"id": "https://example.org/c", "total": 3},
            "startIndex": 0, "items": [GOOD]}
    assert failed(PAGE_MUSTS, page) == set()
    assert "5.2-pageItemsValidated" in failed(PAGE_MUSTS, page | {"items": [{"type": "Note"}]})
    assert "5.2-pageStartIndexValidated" in failed(PAGE_MUSTS, page | {"startIndex": -1})
    assert "5.2-pagePartOfValidated" in failed(PAGE_MUSTS, page | {"partOf": {"id": "not a uri"}})
    # Quirk 3: the suite wants `partOf` embedded, not as a bare IRI (seven MUSTs fail).
    assert len(failed(PAGE_MUSTS, page | {"partOf": "https://example.org/c"})) == 7


def test_the_runner_respects_expected_result() -> None:
    name = "annotations/3.1-annotationIdValidated.json"
    schema = json.loads((ROOT / "tests" / "w3c" / name).read_text(encoding="utf-8"))
    assert check(name, GOOD) is None
    assert check(name, GOOD | {"id": "a 001"}) is not None
    inverted = schema | {"expectedResult": "invalid"}
    assert evaluate(name, inverted, GOOD) is not None
    assert evaluate(name, inverted, GOOD | {"id": "a 001"}) is None


# ---------------------------------------------------------------------------------------
# The export passes the suite
# ---------------------------------------------------------------------------------------


def test_every_annotation_passes_every_must(exported: dict[str, JSON], state: EditionState) -> None:
    files = annotation_files(exported)
    assert set(notes(exported)) == {a.id for a in state.corpus.annotations}
    assert term_links(exported)
    for path, annotation in files.items():
        assert must_failures(ANNOTATION_MUSTS, annotation) == [], path
        assert annotation["id"] == SITE + path and "canonical" not in annotation  # the id is stable
        assert path.startswith("data/documents/interview.jsonld#")
        assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert annotation["type"] == "Annotation"
        assert annotation["target"]["source"] == page_url("interview.md")


def test_the_collection_passes_every_must(exported: dict[str, JSON]) -> None:
    collection = exported[COLLECTION]
    assert must_failures(COLLECTION_MUSTS, collection) == []
    pages = sorted((p for p in exported if PAGE.fullmatch(p)), key=lambda p: int(PAGE.fullmatch(p)[1]))  # type: ignore[index]
    total = len(annotation_files(exported))
    assert collection["type"] == "AnnotationCollection" and collection["id"] == SITE + COLLECTION
    assert collection["total"] == total
    assert len(pages) == math.ceil(total / 50) >= 2
    assert collection["first"] == SITE + pages[0] and collection["last"] == SITE + pages[-1]
    assert "Idleness and Neighbors" in collection["label"]


@pytest.mark.parametrize("page_size", [1000, 50, 7])
def test_pages_pass_every_must_and_list_every_annotation_once(state: EditionState, page_size: int) -> None:
    exported = export(state, page_size)
    collection, files = exported[COLLECTION], annotation_files(exported)
    count = math.ceil(len(files) / page_size)
    pages = [exported[f"data/annotations/page-{n}.jsonld"] for n in range(1, count + 1)]
    assert len([p for p in exported if PAGE.fullmatch(p)]) == count
    items: list[str] = []
    for index, page in enumerate(pages):
        assert must_failures(PAGE_MUSTS, page) == [], page["id"]
        assert page["type"] == "AnnotationPage"
        assert page["partOf"] == {"id": collection["id"], "label": collection["label"], "total": len(files)}
        assert page["startIndex"] == len(items)
        assert page.get("prev") == (pages[index - 1]["id"] if index else None)
        assert page.get("next") == (pages[index + 1]["id"] if index + 1 < count else None)
        assert 1 <= len(page["items"]) <= page_size
        items.extend(page["items"])
    # The items are the ids of the annotations the documents' collections hold, in order:
    # each annotation is written once, in its document's file.
    assert items == [SITE + path for path in files]
    assert len(set(items)) == len(items)


def test_each_document_has_its_own_collection_holding_its_annotations(state: EditionState) -> None:
    exported = export(state)
    assert len([path for path in exported if path.startswith("data/documents/")]) == len(state.documents)
    for document in state.documents:
        path = f"data/documents/{document}.jsonld"
        collection = exported[path]
        assert must_failures(COLLECTION_MUSTS, collection) == []
        page = collection["first"]
        assert page["id"] == collection["last"] == f"{SITE}{path}#page/1"
        assert must_failures(PAGE_MUSTS, {"@context": collection["@context"], **page}) == [], page["id"]
        assert page["partOf"] == {"id": SITE + path, "label": collection["label"], "total": collection["total"]}
        assert page["startIndex"] == 0 and collection["total"] == len(page["items"]) > 0
        record = state.documents[document]
        assert {item["target"]["source"] for item in page["items"]} == {page_url(record.page)}
        # The notes first, in note order, then the glossary links; every id a fragment of the file.
        ids = [item["id"] for item in page["items"]]
        assert ids[:len(record.anchors)] == [f"{SITE}{path}#{anchor.annotation.id}" for anchor in record.anchors]
        assert all(i.startswith(f"{SITE}{path}#term/") for i in ids[len(record.anchors):])
        assert all("@context" not in item for item in page["items"])  # the collection's


def test_an_edition_without_documents_exports_an_empty_collection(state: EditionState) -> None:
    exported = export(with_documents(state, {}))
    assert list(exported) == [COLLECTION]
    assert exported[COLLECTION]["total"] == 0 and "first" not in exported[COLLECTION]
    assert must_failures(COLLECTION_MUSTS, exported[COLLECTION]) == []


# ---------------------------------------------------------------------------------------
# Content of the annotations
# ---------------------------------------------------------------------------------------


def test_motivations_bodies_and_metadata_of_notes(exported: dict[str, JSON], state: EditionState) -> None:
    by_id = notes(exported)
    renderer = state.renderer(page_url("annotations.md") + "#{id}", GLOSSARY + "#{id}")
    kinds = set()
    for annotation in state.corpus.annotations:
        doc = by_id[annotation.id]
        kinds.add(annotation.type)
        assert doc["motivation"] == ANNOTATION_TYPES[annotation.type].motivation
        assert doc["label"] == annotation.title
        assert doc["body"] == {"type": "TextualBody", "value": renderer.html(annotation.body),
                               "format": "text/html", "language": "en"}
        assert doc["creator"] == {"type": "Person", "name": annotation.author}
        assert (doc["created"], doc["modified"]) == (CREATED, MODIFIED)
    assert {"correction", "translation", "context", "speaker"} <= kinds
    corrections = [by_id[a.id] for a in state.corpus.annotations if a.type == "correction"]
    assert corrections and all(doc["motivation"] == "editing" for doc in corrections)
    # Links between notes and to the glossary are absolute in the export.
    bodies = " ".join(doc["body"]["value"] for doc in by_id.values())
    assert f'href="{GLOSSARY}#' in bodies and f'href="{SITE}annotations/#' in bodies
    assert 'href="#' not in bodies and "term:" not in bodies and "note:" not in bodies


def test_notes_say_when_they_were_checked_and_cite_their_sources(exported: dict[str, JSON],
                                                                 state: EditionState) -> None:
    by_id = notes(exported)
    days = set()
    for annotation in state.corpus.annotations:
        doc = by_id[annotation.id]
        assert doc["schema:lastReviewed"] == annotation.checked, annotation.id
        cited = doc.get("schema:citation", [])
        assert len(cited) == len(annotation.sources), annotation.id
        for source, item in zip(annotation.sources, cited, strict=True):
            assert item["schema:name"] == source.title
            assert item.get("schema:publisher", "") == source.publisher
            assert item.get("schema:datePublished", "") == source.date
            assert item.get("schema:description", "") == source.note
            if not source.url:
                assert item["type"] == "schema:CreativeWork" and "state" not in item
                continue
            assert (item["type"], item["source"]) == ("SpecificResource", source.url)
            if source.accessed:
                days.add(source.accessed)
                assert item["state"] == {"type": "TimeState",
                                         "sourceDateStart": f"{source.accessed}T00:00:00Z",
                                         "sourceDateEnd": f"{source.accessed}T23:59:59Z"}
            else:
                assert "state" not in item
    assert "2026-12-07" in days
    # The suite's MUSTs hold with the new properties too (checked above for every file).
    cited = next(doc for doc in by_id.values() if doc.get("schema:citation"))
    assert must_failures(ANNOTATION_MUSTS, cited) == []


def test_glossary_links_identify_their_entry(exported: dict[str, JSON], state: EditionState) -> None:
    links = term_links(exported)
    record = state.documents["interview"]
    assert {link["body"]["id"].removeprefix(GLOSSARY + "#") for link in links} == set(record.term_occurrences)
    for link in links:
        assert link["motivation"] == GLOSSARY_MOTIVATION == "identifying"
        entry = state.corpus.terms[link["body"]["id"].removeprefix(GLOSSARY + "#")]
        assert link["body"] == {"id": f"{GLOSSARY}#{entry.id}", "type": "Text", "format": "text/html",
                                "language": "en"}
        quote, _ = selectors(link)
        assert quote["exact"] in entry.forms
        assert "creator" not in link and "created" not in link
    # Ids name the entry, the document and the paragraph, and number the entry's links in it 1, 2, …
    raw, offsets = record.text.raw, record.text.raw_offsets
    seen: dict[tuple[str, str], int] = {}
    for link in sorted(links, key=lambda link: position(state, selectors(link)[1])):
        entry_id = link["body"]["id"].removeprefix(GLOSSARY + "#")
        start = position(state, selectors(link)[1])[0]
        block = max(index for index, offset in enumerate(offsets) if offset <= start)
        assert start + len(selectors(link)[0]["exact"]) <= offsets[block] + len(record.text.blocks[block].text)
        paragraph = record.block_ids[block]
        seen[entry_id, paragraph] = seen.get((entry_id, paragraph), 0) + 1
        assert link["id"] == (f"{SITE}data/documents/interview.jsonld#term/{entry_id}/{paragraph}-"
                              f"{seen[entry_id, paragraph]}"), raw[start:start + 20]
    assert len({link["id"] for link in links}) == len(links) > 20


def test_a_wikidata_item_becomes_an_identifying_body(state: EditionState) -> None:
    def with_item(anchors: list[Any]) -> list[Any]:
        return [dataclasses.replace(anchors[0], annotation=dataclasses.replace(anchors[0].annotation,
                                                                               wikidata="Q232")), *anchors[1:]]

    changed = variant(state, with_item)
    note = changed.documents["interview"].anchors[0].annotation
    doc = notes(export(changed))[note.id]
    assert isinstance(doc["body"], list) and len(doc["body"]) == 2
    assert doc["body"][0]["type"] == "TextualBody"
    assert doc["body"][1] == {"type": "SpecificResource", "source": "http://www.wikidata.org/entity/Q232",
                              "purpose": "identifying"}
    assert must_failures(ANNOTATION_MUSTS, doc) == []


def test_bad_arguments_are_refused(state: EditionState) -> None:
    with pytest.raises(ValueError, match="site_url"):
        export_annotations(state, site_url="http://127.0.0.1:8000", page_url=page_url, glossary_url=GLOSSARY,
                           dates=fixed_dates)
    with pytest.raises(ValueError, match="site_url"):
        export_annotations(state, site_url="/edition/", page_url=page_url, glossary_url=GLOSSARY,
                           dates=fixed_dates)
    with pytest.raises(ValueError, match="page_size"):
        export(state, page_size=0)


@pytest.mark.parametrize("note_id", ["page-2", "term", "page"])
def test_no_note_id_clashes_with_a_page_or_a_glossary_link(state: EditionState, note_id: str) -> None:
    # Note ids have no "/": "#page-2" and "#term" are notes, "#page/1" the page, "#term/…" links.
    def renamed(anchors: list[Any]) -> list[Any]:
        return [dataclasses.replace(anchors[0], annotation=dataclasses.replace(anchors[0].annotation,
                                                                               id=note_id)), *anchors[1:]]

    exported = export(variant(state, renamed), page_size=7)
    ids = [SITE + path for path in annotation_files(exported)]
    assert f"{SITE}data/documents/interview.jsonld#{note_id}" in ids
    pages = [doc["id"] for path, doc in exported.items() if PAGE.fullmatch(path)]
    pages.append(exported["data/documents/interview.jsonld"]["first"]["id"])
    assert len(set(ids)) == len(ids) and not set(ids) & set(pages)


# ---------------------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------------------


def places(text: str, part: str) -> list[int]:
    found, pos = [], text.find(part)
    while pos != -1:
        found.append(pos)
        pos = text.find(part, pos + 1)
    return found


def test_every_text_quote_selector_re_anchors_to_its_position(exported: dict[str, JSON],
                                                               state: EditionState) -> None:
    record = state.documents["interview"]
    raw = record.text.raw
    anchors = {anchor.annotation.id: anchor for anchor in record.anchors}
    checked = 0
    for path, annotation in annotation_files(exported).items():
        quote, css = selectors(annotation)
        start, end = position(state, css)
        assert set(quote) == {"type", "exact", "prefix", "suffix"}
        assert quote["exact"] and raw[start:end] == quote["exact"]
        matches = places(raw, quote["prefix"] + quote["exact"] + quote["suffix"])
        assert len(matches) == 1, path
        assert matches[0] + len(quote["prefix"]) == start
        assert len(quote["prefix"]) >= min(32, start) and len(quote["suffix"]) >= min(32, len(raw) - end)
        note_id = path.split("#", 1)[1]
        if note_id in anchors:
            assert (start, end) == (anchors[note_id].doc_start, anchors[note_id].doc_end)
            checked += 1
    assert checked == len(state.corpus.annotations)


def test_a_repeated_passage_gets_a_longer_context(state: EditionState) -> None:
    # A copy of the document whose last block repeats the block of a note: 32 code points
    # of context no longer single the note out, so the selector takes more.
    record = state.documents["interview"]
    blocks = record.text.blocks
    target = next(a for a in record.anchors if a.block > 0 and a.start > 40 and a.end + 40 < len(blocks[a.block].text))
    doubled = DocumentText([*blocks, blocks[target.block]])
    changed = with_documents(state, {"interview": dataclasses.replace(record, text=doubled, anchors=[target],
                                                                     term_occurrences={},
                                                                     block_ids=[*record.block_ids, "copy"])})
    doc = notes(export(changed))[target.annotation.id]
    quote, css = selectors(doc)
    assert position(changed, css) == (target.doc_start, target.doc_end)
    assert len(quote["prefix"]) > 32 or len(quote["suffix"]) > 32
    assert len(places(doubled.raw, quote["prefix"] + quote["exact"] + quote["suffix"])) == 1


def test_positions_count_code_points_in_cyrillic_text(exported: dict[str, JSON], state: EditionState) -> None:
    raw = state.documents["interview"].text.raw
    cyrillic = [doc for doc in annotation_files(exported).values()
                if re.search("[а-яА-ЯёЁ]", selectors(doc)[0]["exact"])
                and re.search("[а-яА-ЯёЁ]", raw[:position(state, selectors(doc)[1])[0]])]
    assert len(cyrillic) >= 5
    for doc in cyrillic:
        quote, css = selectors(doc)
        start, end = position(state, css)
        assert raw[start:end] == quote["exact"]
        assert len(raw[:start].encode("utf-8")) > start  # byte offsets would be wrong here


def test_positions_count_code_points_not_utf16_units(tmp_path: Path, exported: dict[str, JSON],
                                                     state: EditionState) -> None:
    project = copy_project(tmp_path / "edition")
    if (ROOT / "overrides").is_dir() and not (project / "overrides").exists():  # the theme's custom_dir
        shutil.copytree(ROOT / "overrides", project / "overrides")
    interview = project / "docs" / "sources" / "interview.txt"
    astral = "𝔸 "  # one code point outside the BMP (two UTF-16 units), then a space
    interview.write_text(astral + interview.read_text(encoding="utf-8"), encoding="utf-8")  # in the title
    shifted_state = render_documents(project / "mkdocs.yml")
    shifted = export(shifted_state)
    assert shifted[COLLECTION]["total"] == exported[COLLECTION]["total"]
    in_title, moved_files = 0, annotation_files(shifted)
    for path, doc in annotation_files(exported).items():
        quote, css = selectors(doc)
        new_quote, new_css = selectors(moved_files[path])
        assert new_quote["exact"] == quote["exact"]
        start, end = position(state, css)
        assert position(shifted_state, new_css) == (start + 2, end + 2), path
        # Within its block, a position moves only if the change is in that block.
        moved = 2 if css["value"] == "#title" else 0
        in_title += moved // 2
        assert new_css == {**css, "refinedBy": {**css["refinedBy"], "start": css["refinedBy"]["start"] + moved,
                                                "end": css["refinedBy"]["end"] + moved}}, path
    assert in_title >= 1


# ---------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------


def test_the_export_is_deterministic(exported: dict[str, JSON], edition_project: Path) -> None:
    again = export(render_documents(edition_project / "mkdocs.yml"))
    assert list(again) == list(exported)
    assert json.dumps(again, sort_keys=True, ensure_ascii=False) == json.dumps(exported, sort_keys=True,
                                                                                ensure_ascii=False)


# ---------------------------------------------------------------------------------------
# Against the built page
# ---------------------------------------------------------------------------------------


def reader_blocks(site: Path) -> list[tuple[str, list[tuple[Tag, int, int]]]]:
    """Each block of the built interview: its reader text and the (element, start, end) of
    every text run inside a `mark` or `a`, offsets within the block."""
    soup = BeautifulSoup((site / "interview" / "index.html").read_text(encoding="utf-8"), "html.parser")
    document = soup.select_one(".ed-document")
    assert document is not None
    found = []
    for block in document.children:
        if not isinstance(block, Tag) or block.name not in ("h1", "p"):
            continue
        # Nothing is taken out: what the edition adds to a block holds no text.
        runs: list[tuple[Tag, int, int]] = []
        pos = 0
        for string in block.descendants:
            if type(string) is not NavigableString:
                continue
            for parent in string.parents:
                if parent is block:
                    break
                if parent.name in ("mark", "a"):
                    runs.append((parent, pos, pos + len(string)))
            pos += len(string)
        assert pos == len(block.get_text())
        found.append((block.get_text(), runs))
    return found


@pytest.mark.build
def test_selectors_match_the_built_page(built_site: Path, exported: dict[str, JSON], state: EditionState) -> None:
    blocks = reader_blocks(built_site)
    raw = state.documents["interview"].text.raw
    assert "\n".join(text for text, _ in blocks) == raw
    highlighted: dict[str, list[tuple[int, str]]] = {}
    links: dict[int, tuple[str, str, int, int]] = {}
    base = 0
    for text, runs in blocks:
        for element, start, end in runs:
            classes: list[str] = list(element.get("class") or [])
            if element.name == "mark" and "ed-hl" in classes:
                for note_id in str(element.get("data-notes", "")).split():
                    highlighted.setdefault(note_id, []).append((base + start, text[start:end]))
            elif element.name == "a" and "ed-term" in classes:
                previous = links.get(id(element))
                first = previous[2] if previous else base + start
                links[id(element)] = (str(element["data-term"]), str(element["href"]), first, base + end)
        base += len(text) + 1

    by_id = notes(exported)
    assert set(highlighted) == set(by_id)
    for note_id, doc in by_id.items():
        quote, css = selectors(doc)
        start, end = position(state, css)
        marks = sorted(highlighted[note_id])
        assert "".join(part for _, part in marks) == quote["exact"], note_id
        assert all(start + len(part) == following for (start, part), (following, _) in itertools.pairwise(marks))
        assert marks[0][0] == start
        assert marks[-1][0] + len(marks[-1][1]) == end

    expected = sorted((entry, start, end) for entry, _, start, end in links.values())
    assert all(href.endswith(f"glossary/#{entry}") for entry, href, _, _ in links.values())
    actual = sorted((link["body"]["id"].removeprefix(GLOSSARY + "#"), *position(state, selectors(link)[1]))
                    for link in term_links(exported))
    assert len(expected) >= 20
    assert actual == expected


def test_the_collection_names_documents_as_the_list_of_notes_does() -> None:
    titled = DocumentRecord("one", "one.md", DocumentText([Block("title", "The  title"), Block("¶1", "x")]), [],
                            ["", "p1"])
    late = DocumentRecord("two", "two.md", DocumentText([Block("h2", "Intro"), Block("title", "Late")]), [], ["", ""])
    assert (titled.title, late.title) == ("The  title", None)
    assert _collection_label([titled, late]) == "Notes and glossary links: “The title”; “two”"
