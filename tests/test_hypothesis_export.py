"""`data/hypothesis/<document>.json`: a document's notes in the file Hypothesis's client imports
(Share → Import), one file per document: the client saves what it imports on the page open.

The fields checked are those the client's import reads (hypothesis/client:
`src/sidebar/helpers/import.ts` `readExportFile`, `src/sidebar/services/import-annotations.ts`,
`src/sidebar/helpers/annotations-by-user.ts`, `annotation-metadata.ts` `quote`/`isReply`,
`permissions.ts` `isShared`, `account-id.ts` `parseAccountID`).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest

from conftest import FIXTURES, SEED, copy_project, edit, mkdocs_build, with_second_document
from edition.vocabulary import ANNOTATION_TYPES
from test_build import CORPUS

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.build
SITE = "http://127.0.0.1:8000/"
ACCOUNT = re.compile(r"^acct:([^@]+)@(.+)")
"""`parseAccountID` of the client: how it tells the user's name for the list of users to import."""


def export(site: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((site / "data" / "hypothesis" / "interview.json").read_text(encoding="utf-8"))
    return data


def test_the_export_has_the_shape_the_clients_import_reads(built_site: Path) -> None:
    data = export(built_site)
    # `JSONExportContent`; `readExportFile` requires an object whose `annotations` is a list.
    assert sorted(data) == ["annotations", "client_version", "export_date", "export_userid"]
    assert all(isinstance(data[key], str) for key in ("client_version", "export_date", "export_userid"))
    annotations = data["annotations"]
    assert isinstance(annotations, list)
    assert len(annotations) == len(CORPUS.notes)
    text = SEED.read_text(encoding="utf-8").rstrip("\n")
    for annotation in annotations:
        assert ACCOUNT.match(annotation["user"]) is not None  # else the client lists it under no name
        assert annotation["references"] == []  # `isReply`: replies are not imported
        assert isinstance(annotation["text"], str) and annotation["text"].startswith("**")
        assert isinstance(annotation["tags"], list) and len(annotation["tags"]) == 1
        assert annotation["tags"][0] in ANNOTATION_TYPES  # `arraysEqual(a.tags, b.tags)` reads a list
        assert annotation["permissions"]["read"] == ["group:__world__"]  # `isShared`: imported as shared
        assert annotation["uri"] == f"{SITE}interview/"
        assert isinstance(annotation["document"], dict) and annotation["document"]["title"]
        [target] = annotation["target"]  # `quote()` reads `target[0].selector`
        assert target["source"] == annotation["uri"]
        [selector] = target["selector"]
        assert selector["type"] == "TextQuoteSelector" and selector["exact"]
        # The client finds the quote by its context: prefix, words and suffix occur once in the text.
        assert text.count(selector["prefix"] + selector["exact"] + selector["suffix"]) == 1


def test_each_note_is_its_title_body_sources_and_type_with_the_w3c_exports_quote(built_site: Path) -> None:
    by_id = {annotation["links"]["incontext"].split("#note-")[1]: annotation
             for annotation in export(built_site)["annotations"]}  # type: ignore[attr-defined]
    assert by_id.keys() == CORPUS.notes.keys()
    collection = json.loads((built_site / "data" / "documents" / "interview.jsonld").read_text(encoding="utf-8"))
    w3c_notes = {item["id"].split("#", 1)[1]: item for item in collection["first"]["items"]}
    for note_id, annotation in by_id.items():
        note = CORPUS.notes[note_id]
        assert annotation["tags"] == [note.type]
        assert annotation["text"].startswith(f"**{note.title.replace('*', chr(92) + '*')}**\n\n")
        assert "](term:" not in annotation["text"] and "](note:" not in annotation["text"]
        for source in note.sources:
            assert source.url in annotation["text"]
        assert annotation["target"][0]["selector"][0] == w3c_notes[note_id]["target"]["selector"][0]
        assert annotation["user_info"]["display_name"] == note.author
    linked = by_id["related-countries-china"]["text"]
    assert f"[trade]({SITE}annotations/#china-trade)" in linked  # `note:` links go to the list of notes
    assert any(f"]({SITE}glossary/#" in annotation["text"] for annotation in by_id.values())  # and `term:` ones




def test_each_document_has_its_own_file_holding_only_its_notes(tmp_path: Path) -> None:
    """The client's import saves every annotation on the page open (`getImportData`: `uri:
    currentFrame?.uri ?? ann.uri`): a file holding two documents' notes would put both on one page."""
    project = with_second_document(copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary"))
    edit(project / "mkdocs.yml", "  - The interview: interview.md\n",
         "  - The interview: interview.md\n  - The second: second.md\n")
    index = project / "docs" / "index.md"  # a page may link a document's file: it is registered before rendering
    index.write_text(index.read_text(encoding="utf-8") + "\n[Its notes](data/hypothesis/second.json)\n",
                     encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert sorted(path.name for path in (site / "data" / "hypothesis").iterdir()) == ["interview.json", "second.json"]
    assert not (site / "data" / "hypothesis.json").exists()
    second = json.loads((site / "data" / "hypothesis" / "second.json").read_text(encoding="utf-8"))
    [note] = second["annotations"]
    assert (note["uri"], note["target"][0]["source"]) == (f"{SITE}second/",) * 2
    assert note["links"]["incontext"] == f"{SITE}second/#note-second-note"
    assert note["target"][0]["selector"][0]["exact"] == "a second text"
    first = export(site)["annotations"]
    assert isinstance(first, list) and first
    assert {a["uri"] for a in first} == {f"{SITE}interview/"}
    assert "second-note" not in {a["links"]["incontext"].split("#note-")[1] for a in first}
    sitemap = (site / "data" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{SITE}data/hypothesis/second.json" in sitemap and f"{SITE}data/hypothesis/interview.json" in sitemap
    linked = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="data/hypothesis/second.json"' in linked
