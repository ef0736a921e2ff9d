"""Invariants of the rendering, on random documents with random annotations (Hypothesis).

Documents are texts as received (`edition.transcript`): lines mixing Latin and Cyrillic
words, Markdown-like characters that stay as written (emphasis, code, links, whose web
address becomes a link) and glossary terms that are substrings of each other. Annotations
are random spans of the text the reader sees: overlapping, nested, adjacent, whole-paragraph
and one-character ones, spans crossing markup, and quotes that repeat.
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from edition.anchoring import at_word_edge
from edition.problems import EditionError

WORDS = ["the", "КНБ", "РК", "КНБ РК", "СИЗО", "Astana", "border", "a", "и", "в", "ОДКБ", "war", "mir", "МИР"]
TERMS = {"knb": ("КНБ", []), "knb-rk": ("КНБ РК", []), "rk": ("РК", []), "sizo": ("СИЗО", ["Сизо"]),
         "mir": ("МИР", ["Mir"])}


@dataclass(frozen=True)
class Piece:
    """A run of words, possibly wrapped in inline markup."""

    text: str
    markup: str  # "", "em", "code" or "link"

    def markdown(self) -> str:
        wrappers = {"": "{}", "em": "*{}*", "code": "`{}`", "link": "[{}](https://example.org/x)"}
        return wrappers[self.markup].format(self.text)


pieces = st.builds(Piece, st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
                   st.sampled_from(["", "", "", "em", "code", "link"]))
paragraphs = st.lists(pieces, min_size=1, max_size=5).map(tuple)
documents = st.lists(paragraphs, min_size=1, max_size=4)


def render(doc: list[tuple[Piece, ...]], notes: list[dict[str, object]]) -> str:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "documents").mkdir()
        (root / "documents" / "d.yml").write_text("- id: d\n  page: d.md\n  source: ../d.txt\n", encoding="utf-8")
        (root / "d.txt").write_text("\n".join(["Title", *(plain(p) for p in doc)]) + "\n",
                                                  encoding="utf-8")
        (root / "annotations").mkdir()
        (root / "glossary").mkdir()
        if notes:
            (root / "annotations" / "n.yml").write_text(yaml.safe_dump(notes, allow_unicode=True), encoding="utf-8")
        (root / "glossary" / "g.yml").write_text(yaml.safe_dump([
            {"id": key, "term": term, "full": "полная форма", "translation": "t", "definition": "d",
             "aliases": aliases} for key, (term, aliases) in TERMS.items()], allow_unicode=True), encoding="utf-8")
        md = markdown.Markdown(extensions=["attr_list", "edition"], extension_configs={
            "edition": {"annotations": str(root / "annotations"), "glossary": str(root / "glossary"),
                        "documents": str(root / "documents")}})
        return md.convert("::: edition-document d\n")


def reader_texts(html: str) -> tuple[ET.Element, list[str]]:
    tree = ET.fromstring(f"<root>{html}</root>")  # also proves the output is well-formed
    document = ET.fromstring(f"<root>{html}</root>").find("div[@class='ed-document']")
    assert document is not None
    # Nothing is taken out: what the edition adds holds no text.
    return tree, ["".join(block.itertext()) for block in document.findall("p")]


def plain(paragraph: tuple[Piece, ...]) -> str:
    """The line of the text: its pieces as written (never read as Markdown)."""
    return " ".join(piece.markdown() for piece in paragraph)


SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def annotated(draw: st.DrawFn) -> tuple[list[tuple[Piece, ...]], list[dict[str, object]]]:
    drawn = draw(documents)
    # A numbered word in some pieces gives quotes a chance to be unique; others stay repetitive.
    counter = iter(range(1000))
    doc = [tuple(Piece(f"{piece.text} w{next(counter)}" if draw(st.booleans()) else piece.text, piece.markup)
                 for piece in paragraph) for paragraph in drawn]
    notes: list[dict[str, object]] = []
    for index in range(draw(st.integers(0, 6))):
        number = draw(st.integers(0, len(doc) - 1))
        text = plain(doc[number])
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        while not at_word_edge(text, start):  # a quote is whole words of the text
            start -= 1
        while not at_word_edge(text, end):
            end += 1
        quote = text[start:end]
        if not quote.strip():
            continue
        everything = "\n".join(["Title", *(plain(p) for p in doc)])
        offset = len("Title\n") + sum(len(plain(p)) + 1 for p in doc[:number]) + start
        positions = whole_word_positions(everything, quote)
        note: dict[str, object] = {
            "id": f"n{index}", "document": "d", "type": "context", "quote": quote, "title": f"Note {index}",
            "body": "b", "author": "a", "status": "unverified", "confidence": "low"}
        if len(positions) > 1 and draw(st.booleans()):
            note["occurrence"] = positions.index(offset) + 1
        notes.append(note)
    return doc, notes


def whole_word_positions(text: str, quote: str) -> list[int]:
    """Where `quote` occurs in `text` as whole words (as the edition anchors quotes)."""
    return [i for i in range(len(text)) if text.startswith(quote, i)
            and at_word_edge(text, i) and at_word_edge(text, i + len(quote))]


def ambiguous(doc: list[tuple[Piece, ...]], note: dict[str, object]) -> bool:
    everything = "\n".join(["Title", *(plain(p) for p in doc)])
    quote = " ".join(str(note["quote"]).split())
    return "occurrence" not in note and len(whole_word_positions(everything, quote)) > 1


@SETTINGS
@given(annotated())
def test_rendering_invariants(case: tuple[list[tuple[Piece, ...]], list[dict[str, object]]]) -> None:
    doc, drawn = case
    # Repeated quotes are the next test's subject; here every note must anchor.
    notes = [note for note in drawn if not ambiguous(doc, note)
             and str(note["quote"]) == " ".join(str(note["quote"]).split())]
    event(f"{min(len(notes), 3)}+ notes" if len(notes) >= 3 else f"{len(notes)} notes")
    html = render(doc, notes)
    tree, texts = reader_texts(html)
    # 1. The page's text is the source text, character for character.
    assert texts == [plain(p) for p in doc]
    # 2. Every annotation is rendered exactly once and covers exactly its quote.
    for note in notes:
        marks = [m for m in tree.iter("mark") if str(note["id"]) in (m.get("data-notes") or "").split()]
        assert "".join("".join(m.itertext()) for m in marks) == note["quote"]
        assert len([a for a in tree.iter("a") if a.get("id") == f"ref-{note['id']}"]) == 1
        assert len([li for li in tree.iter("li") if li.get("id") == f"note-{note['id']}"]) == 1
    # 3. Highlights are flat; glossary links never sit inside links, code or headings.
    parents = {child: parent for parent in tree.iter() for child in parent}
    for element in tree.iter():
        ancestors = []
        node = parents.get(element)
        while node is not None:
            ancestors.append(node.tag)
            node = parents.get(node)
        if element.tag == "mark":
            assert "mark" not in ancestors
        if element.tag == "a" and "ed-term" in (element.get("class") or ""):
            assert not {"a", "code", "h1", "h2", "h3", "h4", "h5", "h6"} & set(ancestors)


@SETTINGS
@given(annotated())
def test_a_repeated_quote_never_anchors_silently(case: tuple[list[tuple[Piece, ...]], list[dict[str, object]]]
                                                 ) -> None:
    doc, notes = case
    repeated = [note for note in notes if ambiguous(doc, note)]
    if not repeated:
        return
    try:
        render(doc, notes)
    except EditionError as error:
        message = str(error)
        for note in repeated:
            assert f"“{' '.join(str(note['quote']).split())}” matches" in message
    else:
        raise AssertionError("an ambiguous quote was anchored without an error")
