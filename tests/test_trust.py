"""Issue 19: every input path hardened; check and build agree; messages are one line."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, copy_project, edit, mkdocs_build
from edition.checking import render_documents
from edition.cli import main
from edition.glossary_data import CSV_COLUMNS, glossary_csv
from edition.loading import reserved_id
from edition.problems import Problem, Severity, one_line

BAD = Path(__file__).resolve().parent / "bad"


@pytest.mark.parametrize(("text", "shown"), [
    ("a\nb", "a\\nb"), ("\x1b[31mred", "\\x1b[31mred"), ("A\ud800", "A\\ud800"), ("x\u2028y", "x\\u2028y"),
    ("\x85", "\\x85"), ("\x00", "\\x00"), ("plain “text” — ok", "plain “text” — ok"),
])
def test_one_line_shows_unprintable_characters_escaped(text: str, shown: str) -> None:
    assert one_line(text) == shown


def test_a_problem_is_one_printable_line_whatever_its_value_holds() -> None:
    problem = Problem("a.yml", 3, 5, Severity.ERROR, "link 'x\ny\x1b[2J' is bad", "fix\r\nit")
    assert str(problem) == "a.yml:3:5: error: link 'x\\ny\\x1b[2J' is bad — fix\\r\\nit"


@pytest.mark.parametrize("output", ["text", "github"])
def test_escape_sequences_are_not_echoed_by_edition_check(tmp_path: Path, output: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    shutil.copy(BAD / "annotations" / "escape-sequence.yml", project / "annotations")
    code = main(["check", "-f", str(project / "mkdocs.yml"), "--format", output])
    out = capsys.readouterr().out
    assert code == 1
    assert out.count("\n") == 1
    assert "\x1b" not in out
    assert "`title` contains U+001B ESCAPE" in out
    if output == "github":
        assert out.startswith("::error file=annotations/escape-sequence.yml,line=7,col=10::")


FORMULAS = """\
- id: formulas
  term: "=СИЗО"
  full: "+cmd|' /C calc'!A0"
  translation: "=HYPERLINK(\\"https://evil.example\\",\\"x\\")"
  translit: "-2+3"
  aliases: ["@SUM(1)", "=1+1"]
  kazakh: {full: "@SUM(A1)", abbr: "=A1"}
  definition: |
    =1+1 starts the definition.

    -2 starts its second paragraph.
"""


def test_the_glossary_csv_has_one_quoted_row_per_entry_and_nothing_a_spreadsheet_evaluates(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    (project / "glossary" / "formulas.yml").write_text(FORMULAS, encoding="utf-8")
    state = render_documents(project / "mkdocs.yml")
    assert not [p for p in state.problems if p.is_error]
    text = glossary_csv(state, "https://e.example/g/")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == len(state.corpus.glossary) + 1
    assert {len(row) for row in rows} == {len(CSV_COLUMNS)}
    assert all(line.startswith('"') and line.endswith('"') for line in text.splitlines())  # every field quoted
    cells = [cell for row in rows for cell in row]
    lines = [line for cell in cells for line in cell.replace("\r", "\n").split("\n")]
    assert not [line for line in lines if line.startswith(("=", "+", "-", "@", "\t"))]
    formulas = next(row for row in rows if row[0] == "formulas")
    assert formulas[1:8] == ["'=СИЗО", "'-2+3", "'+cmd|' /C calc'!A0", "'=HYPERLINK(\"https://evil.example\",\"x\")",
                             "'@SUM(A1)", "'=A1", "'@SUM(1) | =1+1"]


def assert_refused_alike(project: Path, expected: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """`edition check` prints exactly `expected` and exits 1; the build fails with the same errors."""
    code = main(["check", "-f", str(project / "mkdocs.yml")])
    assert (code, capsys.readouterr().out.splitlines()) == (1, expected)
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert "Traceback" not in built.stderr
    assert [line for line in built.stderr.splitlines() if ": error: " in line] == expected


def test_hidden_data_files_are_reported_not_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    note = (BAD / "annotations" / "crlf.yml").read_bytes()
    (project / "annotations" / ".draft.yml").write_bytes(note)
    (project / "glossary" / ".old").mkdir()
    (project / "glossary" / ".old" / "entry.yaml").write_bytes(note)
    (project / "annotations" / ".gitkeep").write_text("", encoding="utf-8")  # not data: fine
    expected = [
        "annotations/.draft.yml:1:1: error: file is not read: its name or its folder's starts with '.' (hidden) — "
        "rename it to draft.yml if it is data, or move it out of the data folder",
        "glossary/.old/entry.yaml:1:1: error: file is not read: its name or its folder's starts with '.' (hidden) — "
        "rename it to old/entry.yaml if it is data, or move it out of the data folder"]
    assert_refused_alike(project, expected, capsys)


def test_a_duplicate_id_is_reported_on_the_later_file_naming_the_first(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    note = (BAD / "annotations" / "crlf.yml").read_text(encoding="utf-8").replace("\r\n", "\n")
    (project / "annotations" / "aa-first.yml").write_text(note, encoding="utf-8")
    (project / "annotations" / "zz-second.yml").write_text("# a copy\n" + note, encoding="utf-8")
    expected = ["annotations/zz-second.yml:3:7: error: duplicate annotation id 'crlf', also used at "
                "annotations/aa-first.yml:2 — ids must be unique: rename one of the two (renaming a published one "
                "breaks links to it)"]
    assert_refused_alike(project, expected, capsys)


def test_the_reserved_ids_cover_every_anchor_the_edition_generates_beside_bare_ids(fixture_site: Path) -> None:
    """On the list of notes and the glossary, notes and entries have their bare ids: any other
    id the edition or the theme puts on those pages must be one that no note or entry may have."""
    corpus = render_documents(fixture_site.parent / "mkdocs.yml").corpus
    for page, kind, own in (("annotations", "annotations", set(corpus.notes)),
                            ("glossary", "glossary", set(corpus.terms))):
        html = BeautifulSoup((fixture_site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        generated = {str(tag["id"]) for tag in html.select("[id]")} - own
        assert generated, page
        assert [anchor for anchor in sorted(generated)
                if not anchor.startswith("__") and reserved_id(anchor, kind) is None] == []
    assert reserved_id("p12", "annotations") is None  # notes are `note-<id>` on their documents


PLAIN = (" — write plain text: the theme prints this into the page as it is; write '< ' (with a space) for a "
         "less-than sign")
DATA_PLAIN = (" — write plain text: this field is shown as it is written, never as HTML; write '< ' (with a space) "
              "for a less-than sign")


@pytest.mark.parametrize(("change", "expected"), [
    (("mkdocs.yml", "site_name: ", "site_name: : ["),
     ["mkdocs.yml:3:12: error: YAML syntax error: mapping values are not allowed here — check indentation, quotes "
      "and colons on this line or the one above"]),
    (("mkdocs.yml", "      translit_scheme: bgn_pcgn", "      translit_scheme: bgn-pcgn\n      colour: red"),
     ["mkdocs.yml:{translit_scheme}:7: error: `translit_scheme: bgn-pcgn` is not a transliteration scheme of the "
      "edition — did you mean 'bgn_pcgn'? use one of: bgn_pcgn, ala_lc, scientific, wikipedia, gost_779",
      "mkdocs.yml:{colour}:7: error: `colour` is not an option of the `edition` extension — options: annotations, "
      "glossary, glossary_page, notes_page, entities, index_page, speakers_page, translit_scheme, docs_dir, "
      "documents, heading_ids, base_dir"]),
    (("mkdocs.yml", "      annotations: annotations", "      annotations: annotaions"),
     ["mkdocs.yml:{annotations}:7: error: `annotations` names the folder annotaions, which does not exist — create "
      "the folder, or correct the path under `edition:` (relative to the folder of mkdocs.yml)"]),
    (("mkdocs.yml", "custom_dir: overrides", "custom_dir: overides"),
     ["mkdocs.yml:{theme}:1: error: Config value 'theme': The path set in custom_dir ('{project}/overides') does not "
      "exist. — see the MkDocs documentation of this setting"]),
    (("docs/interview.md", "title: The interview", "title: The <img src=x onerror=alert(1)> interview"),
     ["docs/interview.md:2:1: error: `title` contains markup '<img src=x onerror=alert(1)>'" + PLAIN]),
    (("docs/index.md", "description: \"How", "description: \"<script src=//evil.example/x.js>How"),
     ["docs/index.md:3:1: error: `description` contains markup '<script src=//evil.example/x.js>'" + PLAIN]),
    (("docs/index.md", "title: Introduction", 'title: "Intro\\x1b[2J"'),
     ["docs/index.md:2:1: error: `title` contains U+001B ESCAPE — delete it; this text is printed into every page's "
      "HTML"]),
    (("mkdocs.yml", 'site_name: "Kazakhstan', 'site_name: "\\" onmouseover=\\"alert(1)\\" Kazakhstan'),
     ["mkdocs.yml:3:1: error: `site_name` contains a double quote \" — use typographic quotes “…” instead: the theme "
      "prints this unescaped inside an HTML attribute"]),
    (("mkdocs.yml", "copyright: Annotations", "copyright: <img src=x onerror=alert(1)>Annotations"),
     ["mkdocs.yml:11:1: error: `copyright` contains markup '<img src=x onerror=alert(1)>'" + PLAIN]),
    (("mkdocs.yml", "  - Glossary: glossary.md", "  - Glossary</a><img src=x>: glossary.md"),
     ["mkdocs.yml:17:5: error: `nav` contains markup '</a>'" + PLAIN]),
    (("mkdocs.yml", '    publisher: "Annotated edition project"', '    publisher: "<svg onload=alert(1)>"'),
     ["mkdocs.yml:{publisher}:5: error: `publisher` contains markup '<svg onload=alert(1)>'" + PLAIN]),
    (("documents/interview.yml", "    publisher: Pravda.Ru", '    publisher: "<b>Pravda.Ru"'),
     ["documents/interview.yml:10:16: error: `original: publisher` contains markup '<b>'" + DATA_PLAIN]),
], ids=["yaml-syntax", "unknown-option-and-scheme", "missing-data-folder", "mkdocs-setting", "front-matter-title",
        "front-matter-description", "front-matter-escape", "site-name-quote", "copyright", "nav-title",
        "edition-metadata", "edition-original-metadata"])
def test_configuration_metadata_and_front_matter_problems_are_one_line_each_from_check_and_build(
        tmp_path: Path, change: tuple[str, str, str], expected: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Each at its line, without a traceback, and the same from the build; a missing data folder
    is the one error, not the 'unknown annotation' errors that follow from it."""
    file, old, new = change
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    edit(project / file, old, new)
    text = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    lines = {key: next((n for n, line in enumerate(text, 1) if line.strip().startswith(f"{key}:")), 0)
             for key in ("translit_scheme", "colour", "annotations", "publisher", "theme")}  # where they are now
    expected = [line.format(project=project, **lines) for line in expected]
    code = main(["check", "-f", str(project / "mkdocs.yml")])
    captured = capsys.readouterr()
    assert (code, captured.out.splitlines()) == (1, expected)
    assert "Traceback" not in captured.err
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert "Traceback" not in built.stderr
    found = [line for line in built.stderr.splitlines() if line.startswith((file, "mkdocs.yml:"))]
    mkdocs_words_it = "YAML syntax" in expected[0] or "Config value" in expected[0]  # on one line, its own way
    assert found == ([] if mkdocs_words_it else expected)
    assert "unknown annotation" not in built.stderr
