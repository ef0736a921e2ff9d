"""The small, fixed vocabularies of the annotation format: the one source of truth.

Each annotation type maps to a W3C Web Annotation motivation
(https://www.w3.org/TR/annotation-vocab/#motivation), used by the JSON-LD export.

The JSON Schemas in `schemas/` list the same values (for editors' completion), but the
loader does not trust them: `with_vocabularies` puts these values into the schema it
validates with, so a type added to a schema file alone is refused with a clear message
instead of reaching code that does not know it, and a test holds the files to these values.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class AnnotationType:
    """One annotation type: its label, W3C motivation and whether it must cite sources."""

    name: str
    label: str
    motivation: str
    needs_sources: bool
    description: str


ANNOTATION_TYPES = MappingProxyType(
    {
        t.name: t
        for t in (
            AnnotationType("correction", "Correction", "editing", True,
                           "A factual error or garbled name in the text, and the right fact."),
            AnnotationType("translation", "Translation", "editing", False,
                           "A phrase that reads like a mistranslation or an editorial substitution."),
            AnnotationType("context", "Context", "commenting", True,
                           "Background a reader needs to follow a claim."),
            AnnotationType("person", "Person", "identifying", True, "Who someone is."),
            AnnotationType("place", "Place", "identifying", True, "Where and what a place is."),
            AnnotationType("organization", "Organisation", "identifying", True,
                           "What an organisation or institution is."),
            AnnotationType("event", "Event", "describing", True, "What happened, and when."),
            AnnotationType("speaker", "Speaker", "classifying", False,
                           "Who speaks an unlabeled turn, and why the editors think so."),
        )
    }
)
"""Annotation types in display order."""

GLOSSARY_MOTIVATION = "identifying"
"""Motivation of the links from the text to glossary entries."""

STATUSES = ("verified", "unverified", "disputed")
CONFIDENCES = ("high", "medium", "low")

VOCABULARIES: MappingProxyType[tuple[str, str], tuple[str, ...]] = MappingProxyType({
    ("annotations", "type"): tuple(ANNOTATION_TYPES),
    ("annotations", "status"): STATUSES,
    ("annotations", "confidence"): CONFIDENCES,
})
"""The allowed values of each vocabulary field, by schema kind and field name."""


def with_vocabularies(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of the `kind` schema whose vocabulary fields (`VOCABULARIES`) allow exactly these values.

    Raises:
        KeyError: If the schema has no definition of an annotation or lacks a vocabulary field.
    """
    result = copy.deepcopy(schema)
    for (schema_kind, name), values in VOCABULARIES.items():
        if schema_kind == kind:
            result["$defs"]["annotation"]["properties"][name]["enum"] = list(values)
    return result
