"""A declared document's lines as the blocks of its page (`edition.transcript`).

Each line becomes one element whose text is exactly the line: the title an `<h1>`, every
other line a `<p>`. What the edition adds is markup and attributes only: the role of a line
(`.ed-caption`, `.ed-lede`, `.ed-source`, `.ed-statement`), the speaker of a turn
(`data-speaker`, with the label the text writes wrapped in `.ed-speaker`), and for a turn the
editors attribute, an empty `.ed-speaker--inferred` whose `data-label` CSS shows in brackets.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from edition.search import ADDED

if TYPE_CHECKING:
    from edition.transcript import Line, Transcript

URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]}»”’'*_]")
"""A web address in the text (http or https only), without the punctuation that ends a sentence."""
FROM_SOURCE = "data-from-source"
"""Set on a document's title when its blocks were made from its source text (not written as Markdown)."""


def transcript_elements(transcript: Transcript) -> list[ET.Element]:
    """The blocks of the document's page, in the order of its lines."""
    declaration = transcript.declaration
    blocks: list[ET.Element] = []
    for line in transcript.lines:
        if line.role == "title":
            block = ET.Element("h1", {"id": "title", "data-document": declaration.id, FROM_SOURCE: ""})
            block.text = line.text
        else:
            block = _paragraph(line)
        block.tail = "\n"
        blocks.append(block)
    return blocks


def _paragraph(line: Line) -> ET.Element:
    block = ET.Element("p")
    if line.role:
        block.set("class", f"ed-{line.role}")
        _put_text(block, line.text)
        return block
    if not line.speaker:
        _put_text(block, line.text)
        return block
    kind = "ed-turn--inferred" if line.inferred else "" if line.labelled else "ed-turn--cont"
    block.set("class", " ".join(part for part in ("ed-turn", kind, f"ed-turn--{slug(line.speaker)}") if part))
    block.set("data-speaker", line.speaker)
    if line.labelled:
        label = ET.SubElement(block, "span", {"class": "ed-speaker"})
        label.text = line.text[:len(line.speaker) + 1]
        _put_text(block, line.text[len(line.speaker) + 1:])
    elif line.inferred:
        # No text of its own: CSS shows `data-label` in brackets ("[Reporter] ").
        label = ET.SubElement(block, "span", {"class": "ed-speaker ed-speaker--inferred", ADDED: "",
                                              "data-label": line.speaker,
                                              "title": "Speaker attributed by the editors"})
        _put_text(block, line.text)
    else:
        _put_text(block, line.text)
    return block


def _put_text(block: ET.Element, text: str) -> None:
    """Append `text` to `block`, its web addresses made links (the text stays as it is)."""
    last = block[-1] if len(block) else None
    pos = 0
    for match in URL.finditer(text):
        _append(block, last, text[pos:match.start()])
        last = ET.SubElement(block, "a", {"href": match.group()})
        last.text = match.group()
        pos = match.end()
    _append(block, last, text[pos:])


def _append(block: ET.Element, last: ET.Element | None, text: str) -> None:
    if not text:
        return
    if last is None:
        block.text = (block.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def slug(text: str) -> str:
    """A class-name form of a speaker's label (`MINISTER ABENOV` → `minister-abenov`)."""
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")
