"""Checks of note bodies and glossary definitions, read off the tree Markdown makes of them.

Each test writes data files with a body broken on purpose and asserts the exact lines a
contributor gets: every way of writing a link is checked, each problem is reported at its
own line, and one broken item does not make others' links look broken.
"""

from __future__ import annotations

import pickle
import shutil
import threading
from typing import TYPE_CHECKING

import pytest

from conftest import FIXTURES, copy_project, mkdocs_build
from edition.cli import main
from edition.model import Place
from edition.render import RenderCache
from edition.state import EditionOptions, EditionState
from edition.yamlfile import read_yaml

if TYPE_CHECKING:
    from pathlib import Path

NOTE = """\
- id: {id}
  document: interview
  type: context
  quote: Kostanay
  title: A title
  body: {body}
  sources:
    - title: A source
  author: Editors
  status: verified
  confidence: high
"""
"""A note whose body starts on line 6 (as `body: |`, its text starts on line 7, column 5)."""


def literal(*lines: str) -> str:
    """`lines` as a YAML literal block under `body:` (text from line 7, column 5)."""
    return "|\n" + "".join(f"    {line}\n" if line else "\n" for line in lines).rstrip("\n")


def load(tmp_path: Path, notes: dict[str, str], glossary: dict[str, str] | None = None) -> EditionState:
    """The state of an edition of `notes` (file name → text) and the fixture glossary (plus `glossary`)."""
    (tmp_path / "annotations").mkdir(exist_ok=True)
    for name, text in notes.items():
        (tmp_path / "annotations" / name).write_text(text, encoding="utf-8")
    if not (tmp_path / "glossary").exists():
        shutil.copytree(FIXTURES / "glossary", tmp_path / "glossary")
    for name, text in (glossary or {}).items():
        (tmp_path / "glossary" / name).write_text(text, encoding="utf-8")
    return EditionState(EditionOptions(tmp_path / "annotations", tmp_path / "glossary", tmp_path),
                        defer_errors=True)


def problems(tmp_path: Path, body: str, *, other: str = "other-note") -> list[str]:
    """Every problem of a note with `body`, beside a good note `other` in a second file."""
    state = load(tmp_path, {"a.yml": NOTE.format(id="a-note", body=body),
                            "b.yml": NOTE.format(id=other, body="Fine.")})
    return [str(problem) for problem in sorted(set(state.problems))]


# --- dead links, whatever their syntax (audit item 3) -----------------------------------------


def test_every_link_syntax_is_checked_at_its_own_line(tmp_path: Path) -> None:
    body = literal(
        'A [titled](term:kbn "the KNB") link,',
        "a [reference][k] link and [a spaced](note: other-nte) one,",
        "[angled](<note:other note>), [fine](term:knb), [also fine](note:other-note)",
        "and `[code](term:nothing)`, which is not a link.",
        "",
        "[k]: term:sizzo",
    )
    assert problems(tmp_path, body) == [
        "annotations/a.yml:7:16: error: link to unknown glossary entry 'term:kbn' — did you mean 'knb'? use the "
        "id of an existing glossary entry",
        "annotations/a.yml:8:42: error: link to unknown annotation 'note:other-nte' — did you mean 'other-note'? "
        "use the id of an existing annotation; remove the space after `note:`",
        "annotations/a.yml:9:15: error: link to unknown annotation 'note:other note' — did you mean 'other-note'? "
        "use the id of an existing annotation",
        "annotations/a.yml:12:10: error: link to unknown glossary entry 'term:sizzo' — did you mean 'sizo'? use "
        "the id of an existing glossary entry",
    ]


def test_a_dead_link_renders_as_text_and_a_good_one_as_a_link(tmp_path: Path) -> None:
    state = load(tmp_path, {"a.yml": NOTE.format(id="a-note", body="x")})
    renderer = state.renderer("#note-{id}", "glossary.md#{id}")
    element = renderer.element('[dead](term:kbn "t") [dead][k] [good](term:knb)\n\n[k]: note:nowhere', "body")
    assert [(link.tag, link.get("href"), link.text) for link in element.iter() if link.tag in ("a", "span")] == [
        ("span", None, "dead"), ("span", None, "dead"), ("a", "glossary.md#knb", "good")]


def test_a_link_with_no_id_is_reported(tmp_path: Path) -> None:
    assert problems(tmp_path, literal("See [the term](term:).")) == [
        "annotations/a.yml:7:20: error: link 'term:' names no glossary entry — write the id of an existing "
        "glossary entry after `term:`"]


# --- `Term:` in capitals (audit item 11) ------------------------------------------------------


def test_link_schemes_in_capitals_are_told_to_be_lower_case(tmp_path: Path) -> None:
    body = literal("See [b](Term:knb), [c](NOTE:other-note) and [d](Term:kbn).")
    assert problems(tmp_path, body) == [
        "annotations/a.yml:7:13: error: link 'Term:knb' is not written as term:knb — write `term:` in lower case",
        "annotations/a.yml:7:28: error: link 'NOTE:other-note' is not written as note:other-note — write `note:` "
        "in lower case",
        "annotations/a.yml:7:53: error: link to unknown glossary entry 'term:kbn' — did you mean 'knb'? use the id "
        "of an existing glossary entry; write `term:` in lower case",
    ]
    state = load(tmp_path, {})
    html = state.renderer("#note-{id}", "#{id}").html("[b](Term:knb)")
    assert html == '<p><a href="#knb" rel="noopener noreferrer">b</a></p>'  # it still means the entry


def test_a_misspelt_scheme_gets_a_did_you_mean(tmp_path: Path) -> None:
    assert problems(tmp_path, literal("See [x](terms:knb) and [y](javascript:alert(1)).")) == [
        "annotations/a.yml:7:13: error: link 'terms:knb' uses a forbidden scheme — did you mean 'term:'? link only "
        "to http://, https://, mailto: or relative addresses",
        "annotations/a.yml:7:32: error: link 'javascript:alert(1)' uses a forbidden scheme — link only to http://, "
        "https://, mailto: or relative addresses",
    ]


def test_a_note_or_term_link_in_angle_brackets_is_told_how_to_write_it(tmp_path: Path) -> None:
    assert problems(tmp_path, literal("See <term:knb>.")) == [
        "annotations/a.yml:7:9: error: link '<term:knb>' is read as raw HTML — write it as [text](term:knb)"]


# --- images and headings (audit item 14) ------------------------------------------------------


def test_images_and_headings_are_errors_with_a_way_out(tmp_path: Path) -> None:
    body = literal("## Background", "", "Text ![map](https://example.org/map.png).", "", "Later", "-----", "",
                   "More.")
    assert problems(tmp_path, body) == [
        "annotations/a.yml:7:8: error: heading 'Background' is not allowed in notes and definitions — write it "
        "as a line in bold instead: **Background**",
        "annotations/a.yml:9:17: error: image 'https://example.org/map.png' is not shown: notes and definitions "
        "cannot show images — link to the image instead: remove the '!' before its [description]",
        "annotations/a.yml:11:5: error: heading 'Later' is not allowed in notes and definitions — write it as a "
        "line in bold instead: **Later**",
    ]


def test_a_glossary_definition_is_checked_like_a_body(tmp_path: Path) -> None:
    entry = ("- id: gulag\n  term: ГУЛАГ\n  full: Главное управление лагерей\n  translation: Camps\n"
             "  definition: |\n    The camps.\n    # Gulag\n    See [the KNB](term:kbn).\n")
    state = load(tmp_path, {"a.yml": NOTE.format(id="a-note", body="Fine.")}, {"gulag.yml": entry})
    assert [str(p) for p in sorted(state.problems) if p.is_error] == [
        "glossary/gulag.yml:7:7: error: heading 'Gulag' is not allowed in notes and definitions — write it as a "
        "line in bold instead: **Gulag**",
        "glossary/gulag.yml:8:19: error: link to unknown glossary entry 'term:kbn' — did you mean 'knb'? use the "
        "id of an existing glossary entry",
    ]


# --- the line of each problem (audit item 10b) ------------------------------------------------


def test_raw_html_is_reported_on_each_of_its_lines(tmp_path: Path) -> None:
    body = literal("One <b>bold</b> word,", "a fine line,", "and <i>one</i> <u>more</u>; AT&amp;T is text.")
    assert problems(tmp_path, body) == [
        "annotations/a.yml:7:9: error: raw HTML '<b>' is not allowed in notes and definitions — use Markdown "
        "instead (**bold**, *italic*, [text](https://…))",
        "annotations/a.yml:9:9: error: raw HTML '<i>', '<u>' is not allowed in notes and definitions — use "
        "Markdown instead (**bold**, *italic*, [text](https://…))",
    ]


@pytest.mark.parametrize("body", [
    ">\n    One <b>bold</b> word\n    and [a link](term:kbn).",  # folded: lines are joined
    '"One <b>bold</b> word\\n and [a link](term:kbn)."',  # double-quoted: escapes and folding
])
def test_other_scalar_styles_keep_the_line_of_the_body(tmp_path: Path, body: str) -> None:
    place = "7:5" if body.startswith(">") else "6:9"
    assert problems(tmp_path, body) == [
        f"annotations/a.yml:{place}: error: link to unknown glossary entry 'term:kbn' — did you mean 'knb'? use "
        "the id of an existing glossary entry",
        f"annotations/a.yml:{place}: error: raw HTML '<b>' is not allowed in notes and definitions — use Markdown "
        "instead (**bold**, *italic*, [text](https://…))",
    ]


def test_a_place_inside_a_literal_block() -> None:
    literal_place = Place("a.yml", 7, 5, literal=True)
    assert literal_place.within(2, 10) == Place("a.yml", 9, 15)
    assert Place("a.yml", 7, 5).within(2, 10) == Place("a.yml", 7, 5)


def test_only_a_literal_block_maps_its_lines_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("- a: |\n\n    text\n  b: >\n    folded\n  c: plain\n", encoding="utf-8")
    doc = read_yaml(tmp_path / "a.yml", "a.yml")
    assert [doc.content_place((0, name)) for name in "abc"] == [
        Place("a.yml", 2, 5, literal=True),  # the text's first line is blank; its indentation is the next line's
        Place("a.yml", 5, 5), Place("a.yml", 6, 6)]


def test_a_literal_block_starting_with_a_blank_line_keeps_its_columns(tmp_path: Path) -> None:
    body = "|\n\n    See [x](term:kbn)."
    assert problems(tmp_path, body)[0].startswith("annotations/a.yml:8:13: error: link to unknown glossary entry")


# --- one broken item, one error (audit item 5) ------------------------------------------------


def test_links_to_a_note_that_fails_the_schema_are_not_reported_again(tmp_path: Path) -> None:
    broken = NOTE.format(id="broken-note", body="Fine.").replace("type: context", "type: contxt")
    linking = NOTE.format(id="a-note", body=literal("See [it](note:broken-note) and [that](note:missing-note)."))
    state = load(tmp_path, {"a.yml": linking, "b.yml": broken})
    assert [str(p) for p in sorted(state.problems)] == [
        "annotations/a.yml:7:43: error: link to unknown annotation 'note:missing-note' — use the id of an existing "
        "annotation",
        "annotations/b.yml:3:9: error: 'contxt' is not a valid `type` — did you mean 'context'? use one of: "
        "correction, translation, context, person, place, organization, event, speaker",
    ]


def test_links_to_entries_of_a_file_yaml_cannot_read_are_not_reported_again(tmp_path: Path) -> None:
    knb = (FIXTURES / "glossary" / "knb.yml").read_text(encoding="utf-8")
    related = ("- id: fsb\n  term: ФСБ\n  full: Федеральная служба безопасности\n  translation: FSB\n"
               "  definition: Like [the KNB](term:knb).\n  related: [knb]\n")
    state = load(tmp_path, {"a.yml": NOTE.format(id="a-note", body="See [the KNB](term:knb).")},
                 {"knb.yml": knb.replace("\n  full:", "\n\tfull:"), "fsb.yml": related})
    assert [p.path for p in state.problems if p.is_error] == ["glossary/knb.yml"]
    assert state.corpus.invalid_term_ids == {"knb"}


def test_a_file_that_is_not_a_list_keeps_its_id_known(tmp_path: Path) -> None:
    not_a_list = NOTE.format(id="loose-note", body="Fine.").replace("- id:", "id:").replace("\n  ", "\n")
    state = load(tmp_path, {"a.yml": NOTE.format(id="a-note", body="See [it](note:loose-note)."),
                            "b.yml": not_a_list})
    assert [str(p).split(": error: ")[1].split(" — ")[0] for p in state.problems] == [
        "the file must be a list of entries, not a set of fields"]


# --- relative links (audit item 12) -----------------------------------------------------------

RELATIVE = literal(
    "Outside: [a](../glossary.md#sizo), absolute: [b](/index.md),",
    "no such page: [c](glossry.md), no such entry: [d](glossary.md#siz0),",
    "no such note: [e](annotations.md#no-such-note).",
    "Fine: [f](glossary.md#sizo), [g](index.md), [h](sources/interview.txt), [i](annotations.md#a-note).",
)

RELATIVE_PROBLEMS = [
    "annotations/a.yml:7:18: error: link '../glossary.md#sizo' points outside the docs folder — did you mean "
    "'glossary.md'? the text is shown on interview.md: write the path of a file of the docs folder from there",
    "annotations/a.yml:7:54: error: link '/index.md' starts with '/' — did you mean 'index.md'? the text is shown "
    "on interview.md: write the path of a file of the docs folder from there",
    "annotations/a.yml:8:23: error: link 'glossry.md' points to 'glossry.md', which is not a file of the site — "
    "did you mean 'glossary.md'? the text is shown on interview.md: write the path of a file of the docs folder "
    "from there",
    "annotations/a.yml:8:55: error: link 'glossary.md#siz0': the glossary has no '#siz0' — did you mean 'sizo'? "
    "link a glossary entry as [text](term:<id>)",
    "annotations/a.yml:9:23: error: link 'annotations.md#no-such-note': the list of notes has no "
    "'#no-such-note' — link a note as [text](note:<id>)",
]


def relative_project(tmp_path: Path, body: str) -> Path:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    (project / "annotations" / "a.yml").write_text(NOTE.format(id="a-note", body=body), encoding="utf-8")
    return project


def test_relative_links_are_checked_against_the_pages_of_the_site(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    project = relative_project(tmp_path, RELATIVE)
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == RELATIVE_PROBLEMS
    assert "5 error(s), 0 warning(s)" in captured.err


def test_the_build_reports_bad_relative_links_at_the_note_not_at_the_page(tmp_path: Path) -> None:
    project = relative_project(tmp_path, RELATIVE)
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "\n".join(RELATIVE_PROBLEMS) in result.stderr
    assert "WARNING" not in result.stderr  # MkDocs never sees the bad links: they are dropped


def test_good_relative_links_build_and_are_rewritten_by_mkdocs(tmp_path: Path) -> None:
    body = literal("See [the entry](glossary.md#sizo) and [the text](sources/interview.txt).")
    project = relative_project(tmp_path, body)
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 0
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    page = (project / "site" / "interview" / "index.html").read_text(encoding="utf-8")
    assert ('See <a href="../glossary/#sizo" rel="noopener noreferrer">the entry</a> and '
            '<a href="../sources/interview.txt" rel="noopener noreferrer">the text</a>.') in page


# --- conversions made once, here or in another process -------------------------------------------

BODIES = [
    'A [titled](term:kbn "t"), [ref][k], [spaced](note: x) and [Capital](Term:knb).\n\n[k]: term:kbn',
    "## Heading\n\n![image](https://example.org/a.png) and <b>raw</b>\n<i>HTML</i>; [page](glossary.md#x)",
    "[unsafe](javascript:alert(1)) and <note:x> and AT&amp;T",
]


def test_findings_are_the_same_from_another_process_and_survive_pickling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in `mkdocs build` (see test_render.py)
    parallel = RenderCache()
    parallel.convert_many(BODIES, workers=2, min_parallel=1)
    assert parallel.converted_elsewhere > 0
    serial = RenderCache()
    for body in BODIES:
        converted = serial.convert(body)
        assert converted is not None and converted.findings
        assert parallel.convert(body) == converted == pickle.loads(pickle.dumps(converted))
    kinds = [{finding.kind for finding in serial.convert(body).findings} for body in BODIES]  # type: ignore[union-attr]
    assert kinds == [{"term", "note"}, {"heading", "image", "html", "page"}, {"unsafe", "html"}]
