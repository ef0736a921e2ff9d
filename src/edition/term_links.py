"""Links from the text to the glossary: every form of every entry, as whole words, never inside
a link, code or what the edition added; each with a tooltip giving the term, its
transliteration, full form and translation (escaped for Material's tooltips)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from edition.material import tooltip
from edition.search import ADDED
from edition.textnodes import TextNode, replace_text

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from edition.document import DocumentRecord, Occurrence
    from edition.model import GlossaryEntry
    from edition.terms import TermMatcher

NO_TERMS_INSIDE = frozenset({"a", "code", "pre", "kbd", "samp", "script", "style", "abbr"})
"""Glossary links never go inside these (a link inside a link, or inside code)."""
CYRILLIC = re.compile("[\u0400-\u04ff]")


@dataclass
class TermLinks:
    """What linking one page's terms has done so far (`link_terms`): where it linked each
    entry, and which entries' first use it has marked. Made for each rendering of a page, so
    the edition's records (`edition.records`) are only read."""

    term_occurrences: dict[str, list[Occurrence]] = field(default_factory=dict)
    """Where each entry is linked, by entry id, as `DocumentRecord.term_occurrences` has it."""
    glossed: set[str] = field(default_factory=set)
    """Entries whose first use has been marked (printed with its meaning)."""


def linked_entries(record: DocumentRecord, terms: Mapping[str, GlossaryEntry]) -> tuple[GlossaryEntry, ...]:
    """The glossary entries a document's page shows something of (its links' tooltips, the
    printed glosses, the search's "Russian terms" lines, the exports' labels): those that occur
    in its text. A `note:`/`term:` link in a note's body shows only the entry's id."""
    return tuple(terms[entry_id] for entry_id in record.term_occurrences if entry_id in terms)


def link_terms(block: ET.Element, record: TermLinks, where: Occurrence, *, matcher: TermMatcher,
               terms: Mapping[str, GlossaryEntry], glossary: str) -> list[GlossaryEntry]:
    """Link every glossary form in `block` to its entry at `glossary#<id>`, walking text and
    tails in reverse (like `abbr`), and record where in `record`; return the entries linked,
    in the order of their first link. The first link to each entry in the document is marked
    (`ed-term--first`), for print to gloss it.
    """
    if matcher.pattern is None:
        return []
    first_use: list[tuple[GlossaryEntry, ET.Element]] = []

    def link(entry_id: str, text: str) -> ET.Element:
        entry = terms[entry_id]
        full = f": {entry.full}" if entry.full != entry.term else ""  # not "языковые патрули: языковые патрули"
        tip = f"{entry.term} ({entry.translit}){full} — {entry.translation}"
        element = ET.Element("a", {
            "class": "ed-term",
            "href": f"{glossary}#{entry.id}",
            "title": tooltip(tip),
            "data-term": entry.id,
        })
        element.text = text
        if CYRILLIC.search(text):
            element.set("lang", "ru")  # read with a Russian voice (WCAG 3.1.2)
        occurrences = record.term_occurrences.setdefault(entry.id, [])
        first_use.append((entry, element))
        if not occurrences or occurrences[-1].block_id != where.block_id:
            occurrences.append(where)
        return element

    def walk(element: ET.Element) -> None:
        for child in reversed(list(element)):
            if child.tag not in NO_TERMS_INSIDE and child.get(ADDED) is None:
                walk(child)
            if child.tail:
                _replace_terms(matcher, TextNode(child, "tail", element, 0, child.tail), link)
        if element.text:
            _replace_terms(matcher, TextNode(element, "text", None, 0, element.text), link)

    walk(block)
    # The walk runs in reverse, but each text run forward: find each entry's first link in
    # the block in document order.
    made = {element: entry for entry, element in first_use}
    linked: dict[str, GlossaryEntry] = {}
    for element in block.iter("a"):
        entry = made.get(element)
        if entry is not None:
            linked.setdefault(entry.id, entry)
        if entry is not None and entry.id not in record.glossed:
            record.glossed.add(entry.id)
            element.set("class", "ed-term ed-term--first")
            gloss = print_gloss(entry, "".join(block.itertext()))
            if gloss:
                element.set("data-gloss", gloss)
    return list(linked.values())


def print_gloss(entry: GlossaryEntry, said: str) -> str:
    """What print adds after a term's first use: its transliteration and translation, less
    what the paragraph `said` already (an English alias, a name given in Latin letters
    before its Cyrillic); empty if that is all of it, as in "Aslan Tolegenov (Аслан
    Толегенов)" with "Aslan Tolegenov (personal name)".

    A translation that ends in a parenthesis is two things: where the paragraph says the first
    ("Maidan", "Donbas", "Collective Security Treaty Organization"), the parenthesis may still
    tell what it does not ("Independence Square", "the Donets coal basin", "CSTO"), and then
    it is kept, alone. Not when it only says what kind of word a name is (the translation is
    the transliteration: "(personal name)"), nor when it continues what the paragraph named
    ("(of Kazakhstan)", opening with a preposition).
    """
    seen = said.casefold()
    translit = entry.translit.casefold()
    parts = [entry.translit] if translit not in seen else []
    match = _ASIDE.fullmatch(entry.translation)
    core, aside = match.groups() if match else (entry.translation, None)
    if core.casefold() not in seen and core.casefold() != translit:
        parts.append(entry.translation)
    elif aside and aside.casefold() not in seen and core.casefold() != translit and not _NARROWS.match(aside):
        parts.append(aside)
    return ": ".join(parts)


_ASIDE = re.compile(r"(.*?)(?:\s*\(([^()]*)\))?", re.DOTALL)
"""A translation: what it says, and what a parenthesis at its end adds ("Maidan (Independence Square)")."""
_NARROWS = re.compile(r"(?:of|in|on|at|for|from|to|by|with)\b")
"""A parenthesis that continues the words before it ("National Security Committee (of Kazakhstan)")."""


def _replace_terms(matcher: TermMatcher, node: TextNode, link: Callable[[str, str], ET.Element]) -> None:
    matches = list(matcher.finditer(node.value))
    if not matches:
        return
    pieces: list[str | ET.Element] = []
    pos = 0
    for match in matches:
        pieces.append(node.value[pos:match.start])
        pieces.append(link(match.entry_id, node.value[match.start:match.end]))
        pos = match.end
    pieces.append(node.value[pos:])
    replace_text(node, [p for p in pieces if not isinstance(p, str) or p])
