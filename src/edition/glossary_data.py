"""The glossary as data: a SKOS concept scheme in JSON-LD, and CSV.

SKOS allows one `prefLabel` per language tag, so an entry has the Cyrillic term
(`ru`), its transliteration (`ru-Latn`), the English translation (`en`) and, for Kazakh
institutions, the Kazakh name (`kk`) as preferred labels; the Russian full form and the
aliases are alternative labels, and so is the text's own Latin spelling (`text_spelling`, also
a CSV column) where it differs from the transliteration.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING, Any

from edition.views import russian_sort_key

if TYPE_CHECKING:
    from edition.model import GlossaryEntry
    from edition.render import BodyRenderer
    from edition.state import EditionState

SKOS_CONTEXT = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
}
CSV_COLUMNS = ("id", "term", "translit", "full", "translation", "kazakh", "kazakh_abbr", "aliases", "related",
               "definition", "url", "text_spelling")
"""`text_spelling` came last, so that the columns before it kept their places."""
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _plain(renderer: BodyRenderer, markdown_text: str) -> str:
    """The text of a Markdown definition, without markup, on one line."""
    return " ".join("".join(renderer.element(markdown_text, "x").itertext()).split())


def _label(value: str, language: str) -> dict[str, str]:
    return {"@value": value, "@language": language}


def _sorted_entries(state: EditionState) -> list[GlossaryEntry]:
    return sorted(state.corpus.glossary, key=lambda entry: (russian_sort_key(entry.term), entry.id))


def glossary_skos(state: EditionState, glossary_url: str, title: str) -> dict[str, Any]:
    """The glossary as a SKOS ConceptScheme, with one Concept per entry."""
    renderer = state.renderer(glossary_url + "#{id}", glossary_url + "#{id}")
    scheme = glossary_url + "#scheme"
    concepts: list[dict[str, Any]] = []
    for entry in _sorted_entries(state):
        labels = [_label(entry.term, "ru"), _label(entry.translit, "ru-Latn"), _label(entry.translation, "en")]
        if entry.kazakh:
            labels.append(_label(entry.kazakh.full, "kk"))
        alternatives = [_label(entry.full, "ru")]
        alternatives += [_label(alias, "ru" if _CYRILLIC.search(alias) else "ru-Latn") for alias in entry.aliases]
        if entry.kazakh and entry.kazakh.abbr:
            alternatives.append(_label(entry.kazakh.abbr, "kk"))
        if entry.text_spelling and entry.text_spelling not in entry.aliases:
            alternatives.append(_label(entry.text_spelling, "ru-Latn"))
        concept: dict[str, Any] = {
            "@id": f"{glossary_url}#{entry.id}",
            "@type": "skos:Concept",
            "skos:inScheme": {"@id": scheme},
            "skos:topConceptOf": {"@id": scheme},
            "skos:prefLabel": labels,
            "skos:altLabel": alternatives,
            "skos:definition": _label(_plain(renderer, entry.definition), "en"),
        }
        if entry.related:
            concept["skos:related"] = [{"@id": f"{glossary_url}#{other}"} for other in entry.related]
        concepts.append(concept)
    return {
        "@context": SKOS_CONTEXT,
        "@graph": [
            {
                "@id": scheme,
                "@type": "skos:ConceptScheme",
                "dct:title": _label(title, "en"),
                "skos:hasTopConcept": [{"@id": concept["@id"]} for concept in concepts],
            },
            *concepts,
        ],
    }


def glossary_csv(state: EditionState, glossary_url: str) -> str:
    """The glossary as CSV (UTF-8, one row per entry, `|` between list items, every field quoted).

    Every field is quoted, so that no program has to guess where one ends; the loader refuses
    control characters (a carriage return started a new row in Gnumeric) and `_inert` keeps any
    line of a cell from starting a formula.
    """
    renderer = state.renderer(glossary_url + "#{id}", glossary_url + "#{id}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for entry in _sorted_entries(state):
        writer.writerow(_inert(cell) for cell in (
            entry.id, entry.term, entry.translit, entry.full, entry.translation,
            entry.kazakh.full if entry.kazakh else "", entry.kazakh.abbr if entry.kazakh else "",
            " | ".join(entry.aliases), " | ".join(entry.related), _plain(renderer, entry.definition),
            f"{glossary_url}#{entry.id}", entry.text_spelling,
        ))
    return buffer.getvalue()


FORMULA_START = re.compile(r"(?:\A|(?<=[\r\n]))(?=[=+\-@\t\r])")
"""Where a spreadsheet would read a formula (OWASP, "CSV injection"): a line of a cell that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return (some spreadsheets start a new row
at a line break, even one inside quotes)."""


def _inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: each of its lines that would start a formula gets a leading `'`."""
    return FORMULA_START.sub("'", cell)
