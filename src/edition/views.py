"""Elements for notes and for the generated pages: endnotes, all notes, the glossary.

Everything here builds ElementTree elements; text goes in as text (escaped on output)
and Markdown bodies go through the sanitising `BodyRenderer`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.links import page_link
from edition.search import extra_line
from edition.vocabulary import ANNOTATION_TYPES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from edition.anchoring import Anchor
    from edition.document import DocumentRecord
    from edition.model import Annotation, GlossaryEntry, Source
    from edition.render import BodyRenderer
    from edition.state import EditionState

RUSSIAN_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_RANK = {letter: index for index, letter in enumerate(RUSSIAN_ALPHABET)}


@lru_cache(maxsize=4096)
def russian_sort_key(text: str) -> tuple[tuple[int, int], ...]:
    """Sort key in Russian alphabetical order (ё after е); other characters after Cyrillic."""
    return tuple((0, _RANK[ch]) if ch in _RANK else (1, ord(ch)) for ch in text.casefold())


BLOCK_LEVEL = frozenset({"dl", "dt", "dd", "p", "ul", "ol", "li", "div", "section", "nav", "h2", "h3"})
"""Elements followed by a newline, so that text extracted from the HTML (the search index) keeps
words of neighbouring elements apart."""


def element(tag: str, text: str | None = None, parent: ET.Element | None = None, **attrib: str) -> ET.Element:
    """A new element (under `parent` if given); `class_`/`data_x` keywords become `class`/`data-x`."""
    attrs = {key.rstrip("_").replace("_", "-"): value for key, value in attrib.items()}
    element = ET.Element(tag, attrs) if parent is None else ET.SubElement(parent, tag, attrs)
    element.text = text
    if tag in BLOCK_LEVEL:
        element.tail = "\n"
    return element


def join_links(parent: ET.Element, links: list[ET.Element], empty: str | None = None) -> None:
    """Append `links` to `parent`, separated by commas; `empty` is the text when there are none."""
    if not links:
        parent.text = empty
        return
    for index, link in enumerate(links):
        link.tail = ", " if index < len(links) - 1 else None
        parent.append(link)


def place_label(record: DocumentRecord, label: str, state: EditionState) -> str:
    """A block's label as other pages give it: `¶12`, or `Interview ¶12` where the edition has
    several documents."""
    return f"{record.short_name} {label}" if len(state.documents) > 1 else label


def paragraph_links(parent: ET.Element, places: Iterable[tuple[DocumentRecord, str, str]], from_page: str,
                    state: EditionState, empty: str | None = None) -> None:
    """Append links to paragraphs (`record`, block id, label) to `parent`: `¶12, ¶15`; where the
    edition has several documents, grouped by document, each group named by the document's
    short name: `Interview ¶12, ¶15 · Press availability ¶6`."""
    groups: dict[str, list[ET.Element]] = {}
    for record, block_id, label in places:
        groups.setdefault(record.document, []).append(
            element("a", label, href=f"{page_link(record.page, from_page)}#{block_id}"))
    if len(state.documents) <= 1 or not groups:
        join_links(parent, [link for links in groups.values() for link in links], empty)
        return
    for index, (document, links) in enumerate(groups.items()):
        name = element("span", state.documents[document].short_name, parent, class_="ed-places__document")
        name.tail = " "
        join_links(parent, links)
        if index < len(groups) - 1:
            links[-1].tail = " · "


def type_badge(annotation: Annotation, parent: ET.Element) -> None:
    """The type label of a note, and its status when not verified, then a colon that only
    screen readers and the search see ("Translation: The headline…", not "Translation The
    headline…"); the badges' look sets them apart on screen."""
    kind = ANNOTATION_TYPES[annotation.type]
    badge = element("span", kind.label, parent, class_=f"ed-badge ed-badge--{kind.name}")
    if annotation.status != "verified":
        badge.tail = " "
        element("span", annotation.status, parent, class_=f"ed-status ed-status--{annotation.status}")
    element("span", ":", parent, class_="ed-sr-only").tail = " "


TRANSLIT_LABELS = MappingProxyType({"bgn_pcgn": "BGN/PCGN", "ala_lc": "ALA-LC", "scientific": "scientific",
                                     "wikipedia": "Wikipedia", "gost_779": "GOST 7.79"})
"""How the glossary names each transliteration scheme of `edition.loading.TRANSLIT_SCHEMES`."""


def sources_list(sources: tuple[Source, ...], parent: ET.Element, *, titled: bool = True) -> None:
    """A 'Sources' list; nothing when there are none."""
    if not sources:
        return
    box = element("div", None, parent, class_="ed-sources")
    if titled:
        element("p", "Sources", box, class_="ed-sources__title")
    listing = element("ul", None, box)
    for source in sources:
        item = element("li", None, listing)
        cite = element("cite", source.title, item)
        details = [part for part in (source.publisher, source.date) if part]
        cite.tail = (". " + ", ".join(details) if details else "") + ("." if details else "")
        accessed = f"(accessed {source.accessed}) " if source.accessed else ""
        if source.url:
            link = element("a", source.url, item, href=source.url, class_="ed-sources__url")
            link.tail = " " + accessed
            cite.tail += " "
        elif accessed:
            cite.tail += " " + accessed
        if source.note:
            element("span", source.note, item, class_="ed-sources__note")


def render_note(anchor: Anchor, number: int, record: DocumentRecord, body: ET.Element) -> ET.Element:
    """One endnote of the transcript page, around its rendered `body`; the popover shows the same content."""
    annotation = anchor.annotation
    label = record.text.blocks[anchor.block].label
    item = element("li", None, id=f"note-{annotation.id}", class_=f"ed-note ed-note--{annotation.type}",
               data_type=annotation.type, data_status=annotation.status, data_number=str(number))
    # Becomes an <h3> after the table of contents is made (see `NoteHeadings`).
    head = element("p", None, item, class_="ed-note__head")
    type_badge(annotation, head)
    element("span", annotation.title, head, class_="ed-note__title")
    quote = element("p", None, item, class_="ed-note__quote")
    where = element("a", label, quote, href=f"#{record.block_ids[anchor.block]}")
    where.tail = ": "
    # The passage is CSS generated content (`data-quote`), not text of the page: the text's
    # words occur on the page once, where they are, so a client anchoring a quote with its
    # context (Hypothesis, Apache Annotator, a text fragment) cannot land on a note's copy.
    element("q", None, quote, data_quote=record.text.raw[anchor.doc_start:anchor.doc_end])
    item.append(body)
    sources_list(annotation.sources, item)
    meta = element("p", None, item, class_="ed-note__meta")
    element("span", f"{annotation.author} · confidence {annotation.confidence}"
            + (f" · last checked {annotation.checked}" if annotation.checked else ""), meta)
    links = element("span", None, meta, class_="ed-note__links")
    element("a", "↩ back to the text", links, href=f"#ref-{annotation.id}", class_="ed-note__back",
        aria_label=f"Back to the text, note {number}")
    element("a", "permalink", links, href=f"#note-{annotation.id}", class_="ed-note__permalink",
        aria_label=f"Permalink to note {number}")
    return item


def notes_view(state: EditionState, reuse: Callable[[ET.Element, DocumentRecord], bool] | None = None
               ) -> list[ET.Element]:
    """The 'All annotations' page: every note of every document in text order, as a list of links.

    Each item links to the note's permalink in its document, where the note opens, and the
    note's own previous/next buttons move through the notes. The notes' bodies are not
    repeated here: the documents carry them as endnotes, and the search finds them there.
    Each item keeps the note's id as its anchor (`annotations/#<id>`).

    With `reuse`, a document's items are made empty (their ids and classes only) when
    `reuse(listing, record)` is true: the list was made before from that record (`edition.view_parts`).
    """
    out: list[ET.Element] = [element(
        "p", "Every note of the edition, in the order of the text. Each link opens the note at its place "
        "in the text; there, the note's ← and → buttons go to the previous and the next note.",
        class_="ed-intro")]
    for record in state.documents.values():  # in the order MkDocs renders them: the navigation's
        out.append(element("h2", record.title or record.document, id=f"notes-{record.document}"))
        listing = element("ol", None, class_="ed-notelist")
        made = reuse is not None and reuse(listing, record)
        page = f"{page_link(record.page, state.options.notes_page)}#note-"
        for number, anchor in enumerate(record.anchors, 1):
            annotation = anchor.annotation
            item = element("li", None, listing, id=annotation.id,
                           class_=f"ed-notelist__item ed-note--{annotation.type}")
            if made:
                continue
            type_badge(annotation, item)
            element("a", f"{number}. {annotation.title}", item, href=page + annotation.id,
                    class_="ed-notelist__title")
            where = element("span", None, item, class_="ed-notelist__where")
            where.text = f" — {place_label(record, record.text.blocks[anchor.block].label, state)}: "
            element("q", record.text.raw[anchor.doc_start:anchor.doc_end], where)
        out.append(listing)
    return out


def glossary_view(state: EditionState, search_extra: dict[ET.Element, str] | None = None) -> list[ET.Element]:
    """The glossary page: entries in Russian alphabetical order, with every occurrence.

    Each entry's inflected Russian word forms (`edition.wordforms`) go into `search_extra`,
    for its search entry only.
    """
    options = state.options
    renderer = state.renderer(page_link(options.notes_page, options.glossary_page) + "#{id}", "#{id}",
                              page=options.glossary_page)
    entries = sorted(state.corpus.glossary, key=lambda e: russian_sort_key(e.term))
    out: list[ET.Element] = []
    for entry in entries:
        out.extend(_glossary_entry(entry, state, renderer))
        if search_extra is not None:
            forms = state.word_forms.get(entry.id)
            if forms:
                search_extra[out[-1]] = extra_line("Word forms", forms)
    return out


def _glossary_entry(entry: GlossaryEntry, state: EditionState, renderer: BodyRenderer) -> list[ET.Element]:
    heading = element("h2", None, id=entry.id, class_="ed-entry__term")
    element("span", entry.term, heading, lang="ru")
    details = element("dl", None, class_="ed-entry")

    def row(name: str, value: str | ET.Element, lang: str = "") -> None:
        element("dt", name, details)
        cell = element("dd", None, details)
        if isinstance(value, str):
            cell.text = value
            if lang:
                cell.set("lang", lang)
        else:
            cell.append(value)

    scheme = TRANSLIT_LABELS.get(entry.translit_scheme, entry.translit_scheme)
    row(f"Transliteration ({scheme})" if scheme else "Transliteration", entry.translit)
    if entry.text_spelling and entry.text_spelling != entry.translit:
        row("Spelling in the text", entry.text_spelling)
    row("Russian full form", entry.full, "ru")
    row("Translation", entry.translation)
    if entry.kazakh:
        row("Kazakh", entry.kazakh.full + (f" ({entry.kazakh.abbr})" if entry.kazakh.abbr else ""), "kk")
    if entry.aliases:
        row("Also written", ", ".join(entry.aliases))
    row("Definition", renderer.element(entry.definition, "ed-entry__definition"))
    if entry.related:
        related = element("span", None)
        terms = state.corpus.terms  # an unknown entry is reported by the checks, not linked
        join_links(related, [element("a", terms[other].term, href=f"#{other}", lang="ru")
                             for other in entry.related if other in terms])
        row("Related", related)
    occurrences = [occ for record in state.documents.values()
                   for occ in record.term_occurrences.get(entry.id, ())]
    if occurrences:
        places = element("span", None, class_="ed-entry__occurrences")
        paragraph_links(places, [(state.documents[occurrence.document], occurrence.block_id, occurrence.label)
                                 for occurrence in occurrences], state.options.glossary_page, state)
        row("In the text", places)
    if entry.sources:
        box = element("div", None)
        sources_list(entry.sources, box, titled=False)
        row("Sources", box)
    return [heading, details]
