"""The index of people, places and organisations.

Entities live in YAML (`index/*.yml`, schema `entities.schema.json`). Each lists the exact
forms (`mentions`) the text uses for it. Mentions are found in the rendered documents with
one pattern per build, longest first and as whole words, like glossary terms, but they are
not linked in the text: the index links to them. An entity's notes are the annotations
whose highlighted span overlaps one of its mentions.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate
from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.loading import DUPLICATE_ID_HINT, valid_items
from edition.model import Place
from edition.problems import Problem, Severity
from edition.terms import FormMatcher
from edition.views import element, join_links, page_link

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from edition.anchoring import Anchor
    from edition.state import DocumentRecord, EditionState

KINDS = MappingProxyType({"person": "People", "place": "Places", "organization": "Organisations"})
WIKIDATA = "https://www.wikidata.org/wiki/"


@dataclass(frozen=True)
class Entity:
    """A person, place or organisation of the text."""

    id: str
    name: str
    kind: str
    mentions: tuple[str, ...]
    place: Place
    description: str = ""
    wikidata: str = ""


@dataclass(frozen=True)
class Mention:
    """Where an entity is mentioned: a document, a block and offsets in the document text."""

    entity: str
    document: str
    block: int
    doc_start: int
    doc_end: int


def load_entities(folder: Path | None, root: Path) -> tuple[tuple[Entity, ...], list[Problem]]:
    """Every valid entity under `folder`, and every problem found."""
    problems: list[Problem] = []
    entities: dict[str, Entity] = {}
    for doc, index, item in valid_items(folder, root, "entities", problems):
        place = doc.place((index,))
        first = entities.get(item["id"])
        if first is not None:
            problems.append(Problem(place.path, place.line, place.col, Severity.ERROR,
                                    f"duplicate entity id '{item['id']}', also used at {first.place.path}:"
                                    f"{first.place.line}", DUPLICATE_ID_HINT))
            continue
        entities[item["id"]] = Entity(item["id"], item["name"], item["kind"], tuple(item["mentions"]), place,
                                      item.get("description", ""), item.get("wikidata", ""))
    return tuple(entities.values()), problems


class MentionMatcher(FormMatcher):
    """Every mention of every entity, found like glossary forms (longest first, whole words)."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        super().__init__((mention, entity.id) for entity in entities for mention in entity.mentions)

    def mentions(self, record: DocumentRecord) -> Iterator[Mention]:
        """Every mention in a rendered document, in text order."""
        for index, block in enumerate(record.text.blocks):
            base = record.text.raw_offsets[index]
            for match in self.finditer(block.text):
                yield Mention(match.entry_id, record.document, index, base + match.start, base + match.end)


def entity_problems(entities: tuple[Entity, ...], mentions: Iterable[Mention]) -> Iterator[Problem]:
    """A warning for each mention that occurs nowhere, and an error for a form given to two entities."""
    found = {mention.entity for mention in mentions}
    owners: dict[str, Entity] = {}
    for entity in entities:
        for form in entity.mentions:
            owner = owners.setdefault(form, entity)
            if owner is not entity:
                yield Problem(entity.place.path, entity.place.line, entity.place.col, Severity.ERROR,
                              f"mention '{form}' is given to two entities: '{owner.id}' ({owner.place.path}:"
                              f"{owner.place.line}) and '{entity.id}' (here)",
                              "a form can belong to one entity only: remove it from one of the two")
        # A form given to two entities is found for the first only: when that is all an entity has, it is
        # reported above, not as mentioned nowhere.
        if entity.id not in found and any(owners[form] is entity for form in entity.mentions):
            yield Problem(entity.place.path, entity.place.line, entity.place.col, Severity.WARNING,
                          f"entity '{entity.id}' is mentioned nowhere in the text",
                          "copy the exact form the text uses into `mentions`")


def index_view(state: EditionState) -> list[ET.Element]:
    """The index page: entities by kind and name, each with its ¶ and its notes."""
    entities = state.entities
    mentions: dict[str, list[Mention]] = {}
    for record in state.documents.values():
        for mention in state.mentions(record):
            mentions.setdefault(mention.entity, []).append(mention)
    out = [element("p", "People, places and organisations of the text. Each entry lists every paragraph (¶) "
                    "that mentions it and the notes about it, and links to Wikidata where the editors are "
                    "certain of the item.", class_="ed-intro")]
    for kind, heading in KINDS.items():
        members = sorted((e for e in entities if e.kind == kind), key=lambda e: (e.name.casefold(), e.id))
        if not members:
            continue
        out.append(element("h2", heading, id=f"index-{kind}"))
        for entity in members:
            out.extend(_entry(entity, mentions.get(entity.id, []), state))
    return out


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


def _entry(entity: Entity, mentions: list[Mention], state: EditionState) -> list[ET.Element]:
    heading = element("h3", entity.name, id=f"entity-{entity.id}", class_="ed-entity__name")
    details = element("dl", None, class_="ed-entry ed-entity")
    if entity.description:
        element("dt", "About", details)
        element("dd", entity.description, details)
    element("dt", "In the text", details)
    places = element("dd", None, details, class_="ed-entity__occurrences")
    seen: set[tuple[str, int]] = set()
    links: list[ET.Element] = []
    for mention in mentions:
        record = state.documents[mention.document]
        if (mention.document, mention.block) in seen:
            continue
        seen.add((mention.document, mention.block))
        href = f"{page_link(record.page, state.options.index_page)}#{record.block_ids[mention.block]}"
        links.append(ET.Element("a", {"href": href}))
        links[-1].text = record.text.blocks[mention.block].label
    join_links(places, links, "not found")
    element("dt", "Also written", details)
    element("dd", ", ".join(f"“{m}”" for m in entity.mentions), details)
    by_document: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_document.setdefault(mention.document, []).append(mention)
    notes: list[ET.Element] = []
    for document, found in by_document.items():
        record = state.documents[document]
        for anchor in _noted(record, found):
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


def unused_mentions(entities: tuple[Entity, ...], used: set[tuple[str, str]]) -> Iterator[Problem]:
    """A warning for each form of an entity that is found elsewhere but never in this form:
    most likely misspelt (`used` holds (entity id, form as found) pairs)."""
    found = {entity for entity, _ in used}
    for entity in entities:
        if entity.id not in found:
            continue  # `entity_problems` reports an entity mentioned nowhere, once
        for form in entity.mentions:
            if (entity.id, form) not in used:
                yield Problem(entity.place.path, entity.place.line, entity.place.col, Severity.WARNING,
                              f"mention '{form}' of entity '{entity.id}' occurs nowhere in the text",
                              "copy the form exactly as the text writes it, or remove it from `mentions`")
