"""The small, fixed vocabularies of the annotation format.

Each annotation type maps to a W3C Web Annotation motivation
(https://www.w3.org/TR/annotation-vocab/#motivation), used by the JSON-LD export.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


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
