"""Site-level content the MkDocs hooks add: generated pages and whole-build checks."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.entities import entity_problems, unused_mentions
from edition.limits import limit_problems
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
        "speakers": (
            '# Speakers { data-edition-view="speakers" }\n'
        ),
        "notes": (
            '# All annotations { data-edition-view="notes" }\n\n'
            "Also as data: [W3C Web Annotations (JSON-LD)](data/annotations.jsonld).\n"
        ),
    }
)
"""Markdown of each generated page; the extension fills in the view named in the heading."""


def site_problems(state: EditionState) -> Iterator[Problem]:
    """Problems visible only once every page is rendered: a declared document shown on no page,
    notes for documents that do not exist (one problem per missing document), relative links
    in bodies that point nowhere from the page they are shown on, and glossary entries that
    no document uses."""
    yield from _page_link_problems(state)
    yield from limit_problems(state)
    for document, transcript in state.loaded.transcripts.items():
        if document not in state.site.shown:
            place = transcript.declaration.place_of("page")
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"document '{document}' is shown on no page",
                          f"put the line `::: edition-document {document}` on its page, "
                          f"{transcript.declaration.page} (in the docs folder)")
    missing: dict[str, list[Place]] = {}
    for annotation in state.corpus.annotations:
        if annotation.document not in {*state.documents, *state.loaded.transcripts, *state.loaded.invalid_documents}:
            missing.setdefault(annotation.document, []).append(annotation.place_of("document"))
    known = {*state.documents, *state.loaded.transcripts}
    for document, places in missing.items():
        place, others = places[0], places[1:]
        also = (f" ({len(others)} other note(s) name it too: {', '.join(f'{p.path}:{p.line}' for p in others[:3])}"
                f"{', …' if len(others) > 3 else ''})") if others else ""
        yield Problem(place.path, place.line, place.col, Severity.ERROR,
                      f"document '{document}' does not exist{also}",
                      f"{suggest(document, known)}use the id of a document: "
                      f"{', '.join(sorted(known)) or 'none is declared'}")
    if not state.documents:  # nothing is used where there is no text: say only what is missing
        return
    mentions = [m for record in state.documents.values() for m in state.edition.mentions(record)]
    yield from entity_problems(state.entities, mentions)
    raw = {document: record.text.raw for document, record in state.documents.items()}
    yield from unused_mentions(state.entities, {(m.entity, raw[m.document][m.doc_start:m.doc_end]) for m in mentions})
    used = {term for record in state.documents.values() for term in record.term_occurrences}
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
