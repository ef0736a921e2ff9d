"""The index of people, places and organisations.

Entities live in YAML (`index/*.yml`, schema `entities.schema.json`). Each lists the exact
forms (`mentions`) the text uses for it. Mentions are found in the rendered documents with
one pattern per build, longest first and as whole words, like glossary terms, but they are
not linked in the text: the index links to them. An entity's notes are the annotations
whose highlighted span overlaps one of its mentions.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.loading import DUPLICATE_ID_HINT, valid_items
from edition.model import Place
from edition.problems import Problem, Severity
from edition.terms import FormMatcher

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from edition.document import DocumentRecord

KINDS = MappingProxyType({"person": "People", "place": "Places", "organization": "Organisations"})


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


@dataclass(frozen=True, slots=True)
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
