"""The speakers page: each speaker of the edition, with who they are and every turn they
take in every document (the paragraphs that open a turn, by label or as the editors
attribute it), read from the documents' records and declarations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from edition.transcript import slug
from edition.views import element, paragraph_links

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

    from edition.document import DocumentRecord
    from edition.model import Speaker
    from edition.state import EditionState


def speakers_view(state: EditionState) -> list[ET.Element]:
    """Speakers in the order the documents declare them; one speaker of several documents (the
    same name, or the same label where no name is given) is one entry."""
    speakers: dict[str, list[Speaker]] = {}
    turns: dict[str, list[tuple[DocumentRecord, str, str]]] = {}
    for document, record in state.documents.items():
        transcript = state.loaded.transcripts.get(document)
        if transcript is None:
            continue
        by_label = {speaker.label: speaker for speaker in transcript.declaration.speakers}
        for speaker in transcript.declaration.speakers:
            speakers.setdefault(speaker.known_as, []).append(speaker)
        for index, line in enumerate(transcript.lines):
            opening = by_label.get(line.speaker)
            if opening is not None and (line.labelled or line.inferred):
                turns.setdefault(opening.known_as, []).append(
                    (record, record.block_ids[index], record.text.blocks[index].label))
    out = [element("p", "The speakers of the edition's documents, with every turn each of them takes: the "
                        "paragraphs that open it, under the label the text gives or as the editors attribute "
                        "it.", class_="ed-intro")]
    for key, declared in speakers.items():
        out.extend(_entry(key, declared, turns.get(key, []), state))
    return out


def _entry(key: str, declared: list[Speaker], turns: list[tuple[DocumentRecord, str, str]],
           state: EditionState) -> list[ET.Element]:
    heading = element("h2", key, id=f"speaker-{slug(key)}", class_="ed-speaker-entry",
                      data_colour=str(declared[0].colour))
    details = element("dl", None, class_="ed-entry")
    descriptions = list(dict.fromkeys(speaker.description for speaker in declared if speaker.description))
    if descriptions:
        element("dt", "Who", details)
        element("dd", "; ".join(descriptions), details)
    element("dt", "Label in the text", details)
    labels = list(dict.fromkeys(speaker.label for speaker in declared))
    element("dd", ", ".join(f"{label}:" for label in labels), details)
    element("dt", f"Turns ({len(turns)})", details)
    places = element("dd", None, details, class_="ed-speaker-entry__turns")
    paragraph_links(places, turns, state.options.speakers_page, state, "none")
    return [heading, details]
