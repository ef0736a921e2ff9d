"""Site-level content the MkDocs hooks add: generated pages and whole-build checks."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.entities import entity_problems
from edition.loading import suggest
from edition.problems import Problem, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

    from edition.state import EditionState

VIEW_PAGES = MappingProxyType(
    {
        "glossary": (
            '# Glossary { data-edition-view="glossary" }\n\n'
            "Russian terms of the text, in Russian alphabetical order. Each entry gives the full form, "
            "a transliteration, a translation and a definition, and lists every paragraph (¶) where the "
            "term occurs. In the text, every occurrence links here.\n\n"
            "Also as data: [SKOS concept scheme (JSON-LD)](data/glossary.jsonld) · "
            "[CSV](data/glossary.csv).\n"
        ),
        "index": (
            '# People, places and organisations { data-edition-view="index" }\n'
        ),
        "notes": (
            '# All annotations { data-edition-view="notes" }\n\n'
            "Also as data: [W3C Web Annotations (JSON-LD)](data/annotations.jsonld).\n"
        ),
    }
)
"""Markdown of each generated page; the extension fills in the view named in the heading."""


def site_problems(state: EditionState) -> Iterator[Problem]:
    """Problems visible only once every page is rendered: notes for documents that do not
    exist, and glossary entries that no document uses."""
    for annotation in state.corpus.annotations:
        if annotation.document not in state.documents:
            place = annotation.place_of("document")
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"document '{annotation.document}' does not exist",
                          f"{suggest(annotation.document, state.documents)}use the `data-document` of a page: "
                          f"{', '.join(sorted(state.documents)) or 'none is defined'}")
    mentions = [m for record in state.documents.values() for m in state.mentions(record)]
    yield from entity_problems(state.entities, mentions)
    used = {term for record in state.documents.values() for term in record.term_occurrences}
    if not state.documents:
        return
    for entry in state.corpus.glossary:
        if entry.id not in used:
            place = entry.place_of("term")
            yield Problem(place.path, place.line, place.col, Severity.WARNING,
                          f"glossary entry '{entry.id}' ({entry.term}) occurs nowhere in the text",
                          "add the form the text uses to `aliases`, or remove the entry")
