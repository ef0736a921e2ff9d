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

from edition.material import tooltip
from edition.records import labels_and_ids
from edition.search import ADDED
from edition.transcript import slug, text_runs

if TYPE_CHECKING:
    from collections.abc import Mapping

    from edition.model import Speaker
    from edition.transcript import Line, Transcript

DECLARED_DOCUMENT = re.compile(r"^::: *edition-document +(\S+) *$", re.MULTILINE)
"""The line by which a page shows a declared document: `::: edition-document <id>`."""


def declared_document(markdown_text: str) -> str | None:
    """The document a page's Markdown shows, if any (read before rendering)."""
    match = DECLARED_DOCUMENT.search(markdown_text)
    return match.group(1) if match else None

def transcript_elements(transcript: Transcript) -> list[ET.Element]:
    """The blocks of the document's page, in the order of its lines."""
    declaration = transcript.declaration
    speakers = {speaker.label: speaker for speaker in declaration.speakers}
    introduced: set[str] = set()
    """Speakers whose label has been made focusable (the first of each: see `_paragraph`)."""
    blocks: list[ET.Element] = []
    for line, (_, block_id) in zip(transcript.lines, labels_and_ids(transcript), strict=True):
        if line.role == "title":
            block = ET.Element("h1", {"id": block_id, "data-document": declaration.id})
            block.text = line.text
        else:
            block = _paragraph(line, speakers, introduced)
            block.set("id", block_id)
        block.tail = "\n"
        blocks.append(block)
    return blocks


def _paragraph(line: Line, speakers: Mapping[str, Speaker], introduced: set[str]) -> ET.Element:
    block = ET.Element("p")
    speaker = speakers.get(line.speaker)
    if line.role:
        block.set("class", f"ed-{line.role}")
    elif line.speaker:
        kind = "ed-turn--inferred" if line.inferred else "" if line.labelled else "ed-turn--cont"
        block.set("class", " ".join(part for part in ("ed-turn", kind, f"ed-turn--{slug(line.speaker)}") if part))
        block.set("data-speaker", line.speaker)
        if speaker is not None:
            block.set("data-colour", str(speaker.colour))  # the palette's colour (`speakers.css`)
    if line.inferred:
        # No text of its own: CSS shows `data-label` in brackets ("[Reporter] ").
        ET.SubElement(block, "span", {"class": "ed-speaker ed-speaker--inferred", ADDED: "",
                                      "data-label": line.speaker, "title": "Speaker attributed by the editors"})
    for start, end, kind in text_runs(line):
        text = line.text[start:end]
        if kind == "label":
            label = ET.SubElement(block, "span", {"class": "ed-speaker"})
            label.text = text
            if speaker is not None and speaker.title:  # who it is, on hover (Material's tooltip)
                label.set("title", tooltip(speaker.title))
                if speaker.label not in introduced:  # and on focus, once a document: one tab stop a speaker
                    introduced.add(speaker.label)
                    label.set("tabindex", "0")
        elif kind == "link":
            ET.SubElement(block, "a", {"href": text}).text = text
        elif len(block):
            block[-1].tail = text
        else:
            block.text = text
    return block
