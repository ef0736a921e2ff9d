"""Documents made from their text as received (`edition.transcript`): lines, roles, speakers,
every problem of a text or a declaration, and pages whose text is exactly the source's."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from edition.transcript import load_documents

if TYPE_CHECKING:
    from pathlib import Path

DECLARATION = """\
- id: briefing
  page: briefing.md
  source: ../texts/briefing.txt
  lede: [2]
  statement: [9]
  speakers:
    - label: MINISTER ABENOV
    - label: SPECIAL ENVOY MARSH
    - label: QUESTION
    - label: Q
  turns:
    - {line: 8, speaker: QUESTION}
"""

BRIEFING = """\
Press availability # 1 <b>really</b>
Remarks as delivered; *not* an official transcript.
MINISTER ABENOV: Good morning. 1990. was a year & so was 1991.
It goes on, in the minister's turn [1] \\ with a backslash.
SPECIAL ENVOY MARSH: Thank you, Minister.
QUESTION: And the border?
Q: A short label, not the QUESTION one.
— An unlabelled question the editors attribute.
Statement: the views are the speakers' own.
"""


def project(tmp_path: Path, text: str = BRIEFING, declaration: str = DECLARATION) -> Path:
    (tmp_path / "documents").mkdir(exist_ok=True)
    (tmp_path / "texts").mkdir(exist_ok=True)
    (tmp_path / "documents" / "briefing.yml").write_text(declaration, encoding="utf-8")
    (tmp_path / "texts" / "briefing.txt").write_text(text, encoding="utf-8")
    return tmp_path


def loaded(root: Path) -> tuple[list[tuple[int, str, str, bool, bool]], list[str]]:
    transcripts, problems, _ = load_documents(root / "documents", root)
    lines = [(line.number, line.role, line.speaker, line.labelled, line.inferred)
             for transcript in transcripts for line in transcript.lines]
    return lines, [str(problem) for problem in problems]


def test_labels_of_several_words_in_any_case_open_turns_and_others_continue(tmp_path: Path) -> None:
    lines, problems = loaded(project(tmp_path))
    assert problems == []
    assert lines == [
        (1, "title", "", False, False),
        (2, "lede", "", False, False),
        (3, "", "MINISTER ABENOV", True, False),
        (4, "", "MINISTER ABENOV", False, False),  # continues the turn before it
        (5, "", "SPECIAL ENVOY MARSH", True, False),
        (6, "", "QUESTION", True, False),
        (7, "", "Q", True, False),  # the longer label is tried first, and "Q:" is not "QUESTION:"
        (8, "", "QUESTION", False, True),
        (9, "statement", "", False, False),
    ]


def test_an_undeclared_label_is_a_warning_at_its_line(tmp_path: Path) -> None:
    root = project(tmp_path, BRIEFING.replace("SPECIAL ENVOY MARSH:", "AMBASSADOR LEE:"))
    lines, problems = loaded(root)
    assert problems == [
        "texts/briefing.txt:5:1: warning: the line opens with “AMBASSADOR LEE:”, which looks like a speaker's label "
        "but is not declared — add `- label: AMBASSADOR LEE` under `speakers:` of document 'briefing' "
        "(documents/briefing.yml:1) if it opens a turn, else add it to `not_speakers:`"]
    assert lines[4] == (5, "", "MINISTER ABENOV", False, False)
    _, problems = loaded(project(tmp_path, BRIEFING.replace("SPECIAL ENVOY MARSH:", "AMBASSADOR LEE:"),
                                 DECLARATION + "  not_speakers: [AMBASSADOR LEE]\n"))
    assert problems == []  # declared as no speaker
    # A colon after ordinary words is no label.
    _, problems = loaded(project(tmp_path, BRIEFING.replace("SPECIAL ENVOY MARSH:", "and then he said:")))
    assert problems == []


def test_every_problem_of_a_declaration_is_at_its_line(tmp_path: Path) -> None:
    declaration = DECLARATION.replace("lede: [2]", "lede: [2, 40]").replace("statement: [9]", "statement: [9, 2]")
    declaration += "    - {line: 3, speaker: QUESTION}\n    - {line: 4, speaker: Minister}\n"
    _, problems = loaded(project(tmp_path, declaration=declaration))
    assert sorted(problems) == [
        "documents/briefing.yml:13:7: error: line 3 opens with its own label 'MINISTER ABENOV:' — remove it from "
        "`turns`: only unlabelled lines are attributed",
        "documents/briefing.yml:14:7: error: 'Minister' is not one of the document's `speakers` — declare it under "
        "`speakers:` or use one of: MINISTER ABENOV, SPECIAL ENVOY MARSH, QUESTION, Q",
        "documents/briefing.yml:4:13: error: `lede` names line 40, but the text has 9 lines — give a line number "
        "from 1 to 9",
        "documents/briefing.yml:5:18: error: line 2 is given two roles, `lede` and `statement` — give each line "
        "one role",
    ]


SHORT = DECLARATION.split("  lede:", maxsplit=1)[0] + "  speakers: [{label: Q}]\n"
"""A declaration that names no line but the title."""


def test_every_problem_of_a_text_is_at_its_line(tmp_path: Path) -> None:
    root = project(tmp_path, "Title\nOne\n\nTwo\x07\nThree\u2028\n", SHORT)
    _, problems = loaded(root)
    assert problems == [
        "texts/briefing.txt:3:1: error: the line is empty — remove it: each line of the text is one block of the "
        "page (no blank lines between paragraphs)",
        "texts/briefing.txt:4:4: error: the line holds a control character (U+0007), which is not text — remove "
        "it: a line of the text holds one paragraph of readable text",
        "texts/briefing.txt:5:6: error: the line holds LINE SEPARATOR (U+2028), which is not text — remove it: a "
        "line of the text holds one paragraph of readable text",
    ]
    (root / "texts" / "briefing.txt").write_bytes(b"Title\nCaf\xe9\n")
    assert loaded(root)[1] == ["texts/briefing.txt:2:1: error: the text is not UTF-8 — save the file as UTF-8 "
                               "(the byte at this line is not)"]
    (root / "texts" / "briefing.txt").write_bytes(b"")
    assert loaded(root)[1][0].startswith("texts/briefing.txt:0:1: error: the text is empty — ")
    (root / "texts" / "briefing.txt").unlink()
    assert loaded(root)[1] == ["documents/briefing.yml:3:11: error: the text of document 'briefing', "
                               "'../texts/briefing.txt', is not a file — give its path relative to "
                               "documents/briefing.yml (it resolves to texts/briefing.txt)"]


def test_windows_line_ends_and_a_byte_order_mark_are_not_text(tmp_path: Path) -> None:
    lines, problems = loaded(project(tmp_path, "\ufeff" + BRIEFING.replace("\n", "\r\n")))
    assert problems == [] and len(lines) == 9


def convert(root: Path, annotations: Path = FIXTURES / "annotations") -> str:
    md = markdown.Markdown(extensions=["attr_list", "toc", "edition"], extension_configs={"edition": {
        "documents": str(root / "documents"), "annotations": str(annotations),
        "glossary": str(FIXTURES / "glossary")}})
    return md.convert("Before the document, *Markdown* as usual.\n\n::: edition-document briefing\n")


def blocks(page: str) -> list[ET.Element]:
    root = ET.fromstring(f"<root>{page}</root>")
    document = root.find("div[@class='ed-document']")
    assert document is not None
    return [block for block in document if block.tag in ("h1", "p")]


def text(element: ET.Element) -> str:
    return "".join(element.itertext())


def test_the_page_text_is_the_source_text_whatever_it_holds(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.yml").write_text(
        "- id: bold\n  document: briefing\n  type: context\n  quote: '# 1 <b>really</b>'\n  title: T\n"
        "  body: B.\n  author: A\n  status: verified\n  confidence: high\n  sources: [{title: S}]\n"
        "- id: slash\n  document: briefing\n  type: context\n  quote: '[1] \\ with'\n  title: T\n"
        "  body: B.\n  author: A\n  status: verified\n  confidence: high\n  sources: [{title: S}]\n",
        encoding="utf-8")
    page = convert(project(tmp_path), notes)
    assert page.startswith("<p>Before the document, <em>Markdown</em> as usual.</p>")
    found = blocks(page)
    assert [text(block) for block in found] == BRIEFING.splitlines()
    assert "<b>" not in page and "&lt;b&gt;really&lt;/b&gt;" in page  # shown, never markup
    assert "1990. was a year &amp; so was 1991." in page
    title, lede = found[0], found[1]
    assert title.get("id") == "title" and lede.get("class") == "ed-lede"
    assert found[2].get("data-speaker") == "MINISTER ABENOV"
    assert found[2].get("class") == "ed-turn ed-turn--minister-abenov"
    assert found[3].get("class") == "ed-turn ed-turn--cont ed-turn--minister-abenov"
    inferred = found[7].find("span[@class='ed-speaker ed-speaker--inferred']")
    assert inferred is not None and inferred.get("data-label") == "QUESTION" and not inferred.text
    # The notes anchored on what the text holds: Markdown and HTML characters included.
    assert {mark.get("data-notes") for mark in ET.fromstring(f"<root>{page}</root>").iter("mark")} == {"bold", "slash"}


def test_an_ampersand_that_looks_like_an_entity_shows_as_written(tmp_path: Path) -> None:
    page = convert(project(tmp_path, "A title &amp; more\nQ: Fish &chips; &#33; & AT&T\n", SHORT))
    assert [text(block) for block in blocks(page)] == ["A title &amp; more", "Q: Fish &chips; &#33; & AT&T"]


def test_a_web_address_in_the_text_is_a_link_and_the_text_is_unchanged(tmp_path: Path) -> None:
    line = "Original: https://www.toutiao.com/article/7563577139488948776/. And http://x.example/a?b=c)."
    page = convert(project(tmp_path, f"Title\n{line}\n", SHORT))
    paragraph = blocks(page)[1]
    assert text(paragraph) == line
    assert [a.get("href") for a in paragraph.iter("a") if a.get("class") is None] == [
        "https://www.toutiao.com/article/7563577139488948776/", "http://x.example/a?b=c"]


def test_a_page_naming_an_undeclared_document_is_an_error(tmp_path: Path) -> None:
    md = markdown.Markdown(extensions=["edition"], extension_configs={"edition": {
        "documents": str(project(tmp_path) / "documents"), "annotations": str(FIXTURES / "annotations"),
        "glossary": str(FIXTURES / "glossary")}})
    try:
        md.convert("::: edition-document breifing\n")
    except Exception as error:
        assert "no document 'breifing' is declared — did you mean 'briefing'?" in str(error)
    else:
        raise AssertionError("an undeclared document was shown")


MARKUP_LIKE = st.text(alphabet=st.sampled_from(list("#*_<>[]()\\`&;!-=+.|:{}~ \tab1é𝔸й")), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(MARKUP_LIKE.filter(lambda line: line.strip() != ""), min_size=1, max_size=6))
def test_random_lines_of_markup_like_characters_are_the_page_text(tmp_path_factory: object, lines: list[str]) -> None:
    root = project(tmp_path_factory.mktemp("random"), "\n".join(lines) + "\n",  # type: ignore[attr-defined]
                   SHORT)
    (root / "notes").mkdir(exist_ok=True)
    page = convert(root, root / "notes")  # no notes
    assert [text(block) for block in blocks(page)] == lines
