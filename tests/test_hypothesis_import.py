"""`edition import hypothesis FILE.json`: Hypothesis annotations become draft notes, or go to
review, or are skipped with the reason; the edition still checks clean; and the edition's own
`data/hypothesis/interview.json` comes back as the same notes (the round trip)."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import pytest
import yaml

from conftest import EDITION, FIXTURES, copy_project, mkdocs_build
from edition.checking import check, render_documents
from edition.cli import main
from edition.loading import load_corpus
from edition.textnorm import normalize_plain

if TYPE_CHECKING:
    from pathlib import Path

HYPOTHESIS = FIXTURES / "hypothesis"


def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")


def run(root: Path, source: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["import", "hypothesis", str(source), "-f", str(root / "mkdocs.yml"), *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def drafts(root: Path) -> dict[str, dict[str, object]]:
    entries = yaml.safe_load((root / "annotations" / "hypothesis.yml").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in entries}


def review(root: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = yaml.safe_load((root / "hypothesis-review.yml").read_text(encoding="utf-8"))
    return entries


def test_an_export_file_gives_drafts_review_entries_and_reasons(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    source = HYPOTHESIS / "export.json"
    code, out, err = run(root, source, capsys)
    assert (code, err) == (0, "")
    shown = source.as_posix()
    assert out[:3] == [
        f"{shown}:55: skipped annotation Reply00000000000000001: a reply to another annotation",
        f"{shown}:66: skipped annotation PageNote00000000000001: a page note (it quotes nothing)",
        f"{shown}:76: skipped annotation Elsewhere000000000001: on another site (https://news.example.com/kazakhstan; "
        "the edition's is 127.0.0.1:8000, see --site-url)",
    ]
    assert out[3].startswith(f"{shown}:22: to review: annotation Tolkien000000000000001: quote “Tolkien fans” "
                             "matches 3 places, and its prefix and suffix agree with 3 of them: ¶11 “")
    assert '→ suffix: "also"' in out[3]  # every place, and how a note says it means that one
    assert out[4] == (f"{shown}:44: to review: annotation Missing000000000000001: quote “capital of Akmola regoin” "
                      "is not in the document; nearest: ¶6 “capital of Akmola region” (96%)")
    assert out[5:] == [
        "2 draft note(s) written to annotations/hypothesis.yml (the-beskid-tunnel, tolkien-fans)",
        "2 annotation(s) to review in hypothesis-review.yml",
        "3 annotation(s) skipped",
    ]
    found = drafts(root)
    assert found["the-beskid-tunnel"] == {
        "id": "the-beskid-tunnel", "document": "interview", "type": "place", "quote": "the Beskid tunnel",
        "title": "The Beskyd tunnel is in the Carpathians, not in Lviv. See the tunnel and…",  # the first line, cut
        "body": "The Beskyd tunnel is in the Carpathians, not in Lviv. See [the tunnel]"
                "(https://en.wikipedia.org/wiki/Beskyd_Tunnel) and https://example.org/rail.",
        "sources": [{"title": "the tunnel", "url": "https://en.wikipedia.org/wiki/Beskyd_Tunnel"},
                    {"title": "https://example.org/rail", "url": "https://example.org/rail"}],
        "author": "alice", "status": "unverified", "confidence": "low", "created": "2026-01-05",
        "modified": "2026-01-06"}
    # Three places: the prefix and suffix chose the second, which a note names as `edition new` does.
    assert {key: found["tolkien-fans"][key] for key in ("quote", "suffix", "type", "author")} == {
        "quote": "Tolkien fans", "suffix": "also", "type": "context", "author": "bob"}
    assert "prefix" not in found["tolkien-fans"] and "occurrence" not in found["tolkien-fans"]
    text = (root / "annotations" / "hypothesis.yml").read_text(encoding="utf-8")
    assert "# hypothesis: Beskid0000000000000001\n- id: the-beskid-tunnel\n" in text
    entries = review(root)
    assert [entry["hypothesis"] for entry in entries] == ["Tolkien000000000000001", "Missing000000000000001"]
    assert entries[1]["text"] == "Misspelt on purpose." and entries[1]["quote"] == "capital of Akmola regoin"
    assert check(root / "mkdocs.yml") == []  # the drafts are notes the edition accepts


def test_importing_again_adds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    source = HYPOTHESIS / "export.json"
    run(root, source, capsys)
    before = [(root / "annotations" / "hypothesis.yml").read_bytes(), (root / "hypothesis-review.yml").read_bytes()]
    code, out, _ = run(root, source, capsys)
    assert code == 0
    assert out[-3:] == ["0 draft note(s) written to annotations/hypothesis.yml",
                        "0 annotation(s) to review in hypothesis-review.yml", "7 annotation(s) skipped"]
    assert sum("imported before" in line for line in out) == 4
    assert [(root / "annotations" / "hypothesis.yml").read_bytes(), (root / "hypothesis-review.yml").read_bytes()] \
        == before
    # Without ids, the same quote and text are recognised too.
    data = json.loads(source.read_text(encoding="utf-8"))
    for annotation in data["annotations"]:
        del annotation["id"]
    anonymous = tmp_path / "anonymous.json"
    anonymous.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(root, anonymous, capsys)
    assert out[-3:-1] == ["0 draft note(s) written to annotations/hypothesis.yml",
                          "0 annotation(s) to review in hypothesis-review.yml"]
    assert sum("already there" in line for line in out) == 4


def test_search_results_match_the_page_by_its_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    source = HYPOTHESIS / "search.json"
    code, out, _ = run(root, source, capsys)
    assert code == 0
    # https, index.html, a query and a fragment: the same page.
    assert out == [
        f"{source.as_posix()}:10: skipped annotation Row_Glossary00000001: on a page of the site that shows no "
        "document (http://127.0.0.1:8000/glossary/)",
        "1 draft note(s) written to annotations/hypothesis.yml (qasym-malik-tokaev)",
        "0 annotation(s) to review in hypothesis-review.yml",
        "1 annotation(s) skipped",
    ]
    draft = drafts(root)["qasym-malik-tokaev"]
    assert (draft["type"], draft["title"], draft["author"], draft["quote"]) == (
        "correction", "A garbled name", "dana", "Qasym-Malik Tokaev")
    # A link to the edition's glossary is a `term:` link, not a source.
    assert draft["body"] == ("The president is [Kassym-Jomart Tokayev](https://en.wikipedia.org/wiki/"
                             "Kassym-Jomart_Tokayev); compare [СИЗО](term:sizo).")
    assert draft["sources"] == [{"title": "Kassym-Jomart Tokayev",
                                 "url": "https://en.wikipedia.org/wiki/Kassym-Jomart_Tokayev"}]
    assert check(root / "mkdocs.yml") == []
    # Made on the deployed site: the edition's address says which annotations are its own.
    other = copy_project(tmp_path / "q", FIXTURES / "annotations", FIXTURES / "glossary")
    code, out, _ = run(other, source, capsys, "--site-url", "https://edition.example.org/")
    assert out[-3:] == ["0 draft note(s) written to annotations/hypothesis.yml",
                        "0 annotation(s) to review in hypothesis-review.yml", "2 annotation(s) skipped"]
    assert not (other / "annotations" / "hypothesis.yml").exists()


@pytest.mark.parametrize(("name", "expected"), [
    ("not-json.json", ":3: error: not valid JSON (Expecting ',' delimiter, column 1) — export the annotations"),
    ("wrong-shape.json", ":4: error: annotation 2 of `annotations`: `tags` is not a list — export the annotations"),
])
def test_bad_input_is_one_line_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      name: str, expected: str) -> None:
    root = project(tmp_path)
    before = sorted(path.relative_to(root) for path in root.rglob("*"))
    source = HYPOTHESIS / name
    code, out, err = run(root, source, capsys)
    assert (code, out) == (1, [])
    assert err.splitlines()[0].startswith(source.as_posix() + expected)
    assert err.splitlines()[1:] == ["edition: nothing was written"]
    assert sorted(path.relative_to(root) for path in root.rglob("*")) == before


def test_values_from_strangers_are_written_safely_and_what_the_check_refuses_goes_to_review(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    data = json.loads((HYPOTHESIS / "export.json").read_text(encoding="utf-8"))
    first = data["annotations"][0]
    hostile = {**first, "id": "Hostile000000000000001", "user": "acct:x: y@hypothes.is",
               "text": "key: value\n- item\n\"quoted\" 'single' # not a comment\n"
                       "\x1b[31mred\x1b[0m\u2028 &anchor *alias",
               "tags": ["!!python/object"]}
    html = {**first, "id": "Html00000000000000001", "text": "Raw <b>HTML</b> is refused by the check.",
            "target": [{**first["target"][0], "selector": [{"type": "TextQuoteSelector", "exact": "Tolkien fans",
                                                            "prefix": "raided a group of \""}]}]}
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps({"annotations": [hostile, html]}), encoding="utf-8")
    code, out, _ = run(root, source, capsys)
    assert code == 0
    assert out[0].startswith(f"{source.as_posix()}:1: to review: annotation Html00000000000000001: the edition's "
                             "check refuses the draft: ")
    assert "raw HTML '<b>' is not allowed in notes and definitions" in out[0]
    assert out[1:] == ["1 draft note(s) written to annotations/hypothesis.yml (the-beskid-tunnel)",
                       "1 annotation(s) to review in hypothesis-review.yml", "0 annotation(s) skipped"]
    draft = drafts(root)["the-beskid-tunnel"]
    assert draft["body"] == "key: value\n- item\n\"quoted\" 'single' # not a comment\n[31mred[0m &anchor *alias"
    assert (draft["author"], draft["type"]) == ("x: y", "context")
    assert check(root / "mkdocs.yml") == []
    [entry] = review(root)
    assert entry["text"] == html["text"] and entry["quote"] == "Tolkien fans"


@pytest.mark.build
def test_the_editions_export_imports_as_the_same_notes(built_site: Path, edition_project: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Round trip: `data/hypothesis/interview.json` of the built edition, imported into a copy without notes."""
    root = copy_project(tmp_path / "p")
    shutil.rmtree(root / "annotations")
    (root / "annotations").mkdir()
    code, out, _ = run(root, built_site / "data" / "hypothesis" / "interview.json", capsys)
    assert code == 0
    corpus = load_corpus(EDITION / "annotations", EDITION / "glossary", EDITION).corpus
    assert out[-3:] == [out[-3], "0 annotation(s) to review in hypothesis-review.yml", "0 annotation(s) skipped"]
    imported = load_corpus(root / "annotations", root / "glossary", root).corpus.notes
    assert imported.keys() == corpus.notes.keys()  # the note's id comes back from its link in context
    original = render_documents(edition_project / "mkdocs.yml").documents["interview"]
    again = render_documents(root / "mkdocs.yml").documents["interview"]
    places = {a.annotation.id: (a.doc_start, a.doc_end) for a in original.anchors}
    assert {a.annotation.id: (a.doc_start, a.doc_end) for a in again.anchors} == places
    for note_id, note in corpus.notes.items():
        draft = imported[note_id]
        quote = normalize_plain(note.quote)
        assert (draft.quote, draft.title, draft.type) == (quote, note.title, note.type)
        assert draft.body.strip() == note.body.strip()
        assert [(s.title, s.url, s.publisher, s.date) for s in draft.sources] == [
            (s.title, s.url, s.publisher, s.date) for s in note.sources]
        # The prefix, suffix or occurrence the edition computes for that place, as `edition new` writes them.
        matches = original.text.find_all(quote)
        index = next(i for i, c in enumerate(matches)
                     if original.text.anchor_of(note, c).doc_start == places[note_id][0])
        expected = original.text.placement(quote, matches, index)
        assert (draft.prefix, draft.suffix, draft.occurrence or None) == (
            expected.prefix, expected.suffix, expected.occurrence)
    built = mkdocs_build(root)
    assert built.returncode == 0, built.stderr
