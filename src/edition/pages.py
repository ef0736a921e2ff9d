"""Site-level content the MkDocs hooks add: generated pages and whole-build checks."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.entities import entity_problems
from edition.loading import suggest
from edition.problems import Problem, Severity
from edition.render import PAGE

if TYPE_CHECKING:
    from collections.abc import Iterator

    from edition.model import Place
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
    exist, relative links in bodies that point nowhere from the page they are shown on, and
    glossary entries that no document uses."""
    yield from _page_link_problems(state)
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


def _page_link_problems(state: EditionState) -> Iterator[Problem]:
    """Relative links in notes (shown on their document's page) and definitions (on the glossary)."""
    shown: list[tuple[str, Place, str]] = [
        (annotation.body, annotation.place_of("body"), state.documents[annotation.document].page)
        for annotation in state.corpus.annotations if annotation.document in state.documents]
    shown += [(entry.definition, entry.place_of("definition"), state.options.glossary_page)
              for entry in state.corpus.glossary]
    checker = state.renderer("#{id}", "#{id}")
    for text, place, page in shown:
        for finding in checker.findings(text):
            wrong = state.page_link_problem(finding.value.strip(), page) if finding.kind == PAGE else None
            if wrong is not None:
                at = place.within(finding.line, finding.col)
                yield Problem(at.path, at.line, at.col, Severity.ERROR, *wrong)
