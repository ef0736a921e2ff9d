"""The index page: people, places and organisations by kind and name, each with every ¶
that mentions it and the notes about it (read from the rendered documents' records)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from bisect import bisect_left
from itertools import accumulate
from typing import TYPE_CHECKING

from edition.entities import KINDS, Entity, Mention
from edition.links import page_link
from edition.views import element, paragraph_links

if TYPE_CHECKING:
    from collections.abc import Iterator

    from edition.anchoring import Anchor
    from edition.document import DocumentRecord
    from edition.state import EditionState

WIKIDATA = "https://www.wikidata.org/wiki/"


def index_view(state: EditionState) -> list[ET.Element]:
    """The index page: entities by kind and name, each with its ¶ and its notes."""
    entities = state.entities
    mentions = _mentions(state)
    notes = notes_about(state, mentions)
    out = [element("p", "People, places and organisations of the text. Each entry lists every paragraph (¶) "
                    "that mentions it and the notes about it, and links to Wikidata where the editors are "
                    "certain of the item.", class_="ed-intro")]
    for kind, heading in KINDS.items():
        members = sorted((e for e in entities if e.kind == kind), key=lambda e: (e.name.casefold(), e.id))
        if not members:
            continue
        out.append(element("h2", heading, id=f"index-{kind}"))
        for entity in members:
            out.extend(_entry(entity, mentions.get(entity.id, []), notes.get(entity.id, []), state))
    return out


def _mentions(state: EditionState) -> dict[str, list[Mention]]:
    """Each entity's mentions (by its id), in the documents' order and each document's text order."""
    mentions: dict[str, list[Mention]] = {}
    for record in state.documents.values():
        for mention in state.edition.mentions(record):
            mentions.setdefault(mention.entity, []).append(mention)
    return mentions


def notes_about(state: EditionState, mentions: dict[str, list[Mention]] | None = None
                ) -> dict[str, list[tuple[DocumentRecord, Anchor]]]:
    """The notes about each entity (by its id): those anchored on a passage that overlaps one of
    its mentions, by document, in text order."""
    about: dict[str, list[tuple[DocumentRecord, Anchor]]] = {}
    for entity, found in (_mentions(state) if mentions is None else mentions).items():
        by_document: dict[str, list[Mention]] = {}
        for mention in found:
            by_document.setdefault(mention.document, []).append(mention)
        for document, in_document in by_document.items():
            record = state.documents[document]
            about.setdefault(entity, []).extend((record, anchor) for anchor in _noted(record, in_document))
    return about


def indexed_notes(state: EditionState) -> tuple[tuple[str, str, str, str], ...]:
    """All the index reads of the notes: for each note it shows, the entity, the note's page, id
    and title (`mkdocs serve` converts the index again only when this changed, not at every edit
    of a note: `edition.extension.VIEW_READS`)."""
    return tuple((entity, record.page, anchor.annotation.id, anchor.annotation.title)
                 for entity, notes in sorted(notes_about(state).items()) for record, anchor in notes)


def _noted(record: DocumentRecord, mentions: list[Mention]) -> Iterator[Anchor]:
    """The anchors of `record` whose span overlaps one of `mentions` (all in that document, in text order).

    Linear: the mentions' starts are sorted, and a running maximum of their ends tells whether
    any mention that starts before an anchor's end reaches past the anchor's start.
    """
    starts = [m.doc_start for m in mentions]
    reach = list(accumulate((m.doc_end for m in mentions), max))
    for anchor in record.anchors:
        before = bisect_left(starts, anchor.doc_end)
        if before and reach[before - 1] > anchor.doc_start:
            yield anchor


def _entry(entity: Entity, mentions: list[Mention], about: list[tuple[DocumentRecord, Anchor]],
           state: EditionState) -> list[ET.Element]:
    heading = element("h3", entity.name, id=f"entity-{entity.id}", class_="ed-entity__name")
    details = element("dl", None, class_="ed-entry ed-entity")
    if entity.description:
        element("dt", "About", details)
        element("dd", entity.description, details)
    element("dt", "In the text", details)
    places = element("dd", None, details, class_="ed-entity__occurrences")
    seen: set[tuple[str, int]] = set()
    places_found: list[tuple[DocumentRecord, str, str]] = []
    for mention in mentions:
        record = state.documents[mention.document]
        if (mention.document, mention.block) in seen:
            continue
        seen.add((mention.document, mention.block))
        places_found.append((record, record.block_ids[mention.block], record.text.blocks[mention.block].label))
    paragraph_links(places, places_found, state.options.index_page, state, "not found")
    element("dt", "Also written", details)
    element("dd", ", ".join(f"“{m}”" for m in entity.mentions), details)
    notes: list[ET.Element] = []
    for record, anchor in about:
        link = ET.Element("a", {"href": f"{page_link(record.page, state.options.index_page)}"
                                        f"#note-{anchor.annotation.id}"})
        link.text = anchor.annotation.title
        notes.append(link)
    if notes:
        element("dt", "Notes", details)
        box = element("dd", None, details)
        listing = element("ul", None, box)
        for link in notes:
            item = element("li", None, listing)
            item.append(link)
    if entity.wikidata:
        element("dt", "Wikidata", details)
        cell = element("dd", None, details)
        element("a", entity.wikidata, cell, href=WIKIDATA + entity.wikidata)
    return [heading, details]
