"""The Python-Markdown extension: the portable core of the edition.

Name it under `markdown_extensions:` with its data folders as options; any tool that runs
Python-Markdown extensions (MkDocs, Zensical) then anchors notes and links terms:

    markdown_extensions:
      - attr_list
      - edition:
          documents: documents        # relative to the folder of mkdocs.yml
          annotations: annotations
          glossary: glossary

A page shows a declared document (`edition.transcript`) with one line, and a generated view
opts in through an attribute on its heading (set with `attr_list`):

    ::: edition-document interview
    # Glossary { data-edition-view="glossary" }
    # All annotations { data-edition-view="notes" }
    # People, places and organisations { data-edition-view="index" }
    # Speakers { data-edition-view="speakers" }

Processors registered (Python-Markdown runs them from high priority to low; each
registration in `EditionExtension.extendMarkdown` says why it sits where it does):

| name                        | kind           | priority | job                                          |
|-----------------------------|----------------|---------:|----------------------------------------------|
| `edition-document`          | BlockProcessor | 75       | `::: edition-document <id>` → a placeholder  |
| `edition-views`             | Treeprocessor  | 6.5      | glossary, list of notes, index               |
| `edition`                   | Treeprocessor  | 6        | the document: blocks, terms, notes, endnotes |
| `edition-heading-ids`       | Treeprocessor  | 5.9      | `heading_ids: unicode`: `toc`'s slugify      |
| `edition-opt-in-check`      | Treeprocessor  | 5.5      | a page that meant to opt in and did not      |
| `edition-note-headings`     | Treeprocessor  | 4        | endnote heads as `<h3>`; search sections     |
| `edition-source-characters` | Treeprocessor  | 3        | `¶` and `&` of the edition's text as written |
| `edition-view-items`        | Treeprocessor  | -10      | view lists kept for the next conversion      |

They share what they know of the page being converted (`PageState`), cleared by
`EditionExtension.reset()` and at the start of each page.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from pymdownx.slugs import slugify as unicode_slugify

from edition.anchoring import Block, DocumentText
from edition.configuration import UNICODE_IDS
from edition.document import DocumentRecord, Occurrence
from edition.highlighting import highlight
from edition.index_view import index_view, indexed_notes
from edition.links import page_link
from edition.loading import suggest
from edition.problems import Problem, Severity
from edition.search import ADDED, HEADINGS, extra_line, page_sections
from edition.speakers_view import speakers_view
from edition.state import EditionOptions, EditionState
from edition.term_links import TermLinks, link_terms
from edition.textnodes import visible_text
from edition.transcript_view import DECLARED_DOCUMENT, transcript_elements
from edition.views import glossary_view, notes_view, place_label, render_note

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    import markdown

    from edition.anchoring import Anchor
    from edition.model import Annotation, GlossaryEntry
    from edition.render import BodyRenderer
    from edition.view_parts import Part

PLACEHOLDER = "data-edition-document"
"""The attribute of the element that stands for a declared document until the tree processor
puts the document's blocks in its place."""
OPT_IN = ("data-edition-view",)
"""The attribute by which a page's heading opts in to a generated view (see the module docstring)."""
HEADING_ATTRIBUTES = frozenset({*OPT_IN, "data-toc-label"})
"""`data-` attributes the edition reads on a page's headings."""
WRITTEN_DOCUMENT = "data-document"
"""How the first edition wrote a document in Markdown, on its title; no longer read."""


@dataclass
class PageState:
    """What the edition's processors share while they convert one page: cleared by
    `EditionExtension.reset()`, and by the first of them on each page (a tool may convert
    several pages without resetting)."""

    rendered_page: str | None = None
    """The page being converted, if it is a document or a view and the site generator named it."""
    edition_page: bool = False
    """Whether the page being converted is a document or a view (with or without the hooks)."""
    note_heads: list[tuple[ET.Element, str]] = field(default_factory=list)
    """Endnote heads of the page and their ids, made `<h3>` after the table of contents."""
    search_starts: dict[ET.Element, str] = field(default_factory=dict)
    """A document's paragraphs and their labels (¶12): each is a search section of its own."""
    search_extra: dict[ET.Element, str] = field(default_factory=dict)
    """What the search also finds an element's section by, not shown on the page (HTML): a
    paragraph's glossary terms with their transliterations, a glossary entry's word forms."""
    items: dict[ET.Element, Part] = field(default_factory=dict)
    """The view's elements whose content is kept for the next conversion (`edition.view_parts`),
    with the part each was or will be made of."""

    def clear(self) -> None:
        """Forget the page converted last."""
        self.rendered_page, self.edition_page = None, False
        for part in (self.note_heads, self.search_starts, self.search_extra, self.items):
            part.clear()


class _EditionProcessor(Treeprocessor):
    """A tree processor of the edition: the build's state and the page's shared state."""

    def __init__(self, md: markdown.Markdown, extension: EditionExtension) -> None:
        super().__init__(md)
        self.extension = extension

    @property
    def state(self) -> EditionState:
        """The build's state."""
        return self.extension.state

    @property
    def page(self) -> PageState:
        """What the edition's processors share about the page being converted."""
        return self.extension.page

    def _page_problem(self, message: str, hint: str, near: str) -> Problem:
        """An error in the page being rendered, at the line where `near` occurs when the pages' folder is known."""
        path, line = self.state.options.page_place(self.state.site.current_page or "the page", near)
        return Problem(path, line, 1, Severity.ERROR, message, hint)

    def _start_edition_page(self) -> None:
        self.page.rendered_page, self.page.edition_page = self.state.site.current_page, True


VIEW_READS = MappingProxyType({
    "glossary": frozenset({"glossary"}),  # each entry whole, and the ¶ where it occurs
    "notes": frozenset({"notes"}),  # each note's number, type, status, title and passage
    "index": frozenset({"indexed notes"}),  # each entity's ¶, and the notes about it (their titles)
    "speakers": frozenset(),  # each speaker's turns
})
"""What each view reads besides the texts, the documents' declarations and the glossary's ids
and forms (where each term occurs), by name of `VIEW_INPUTS`: "notes" (of each note,
`VIEW_NOTE_FIELDS`), "indexed notes" (the notes the index shows, `indexed_notes`),
"glossary" (the entries' translations, definitions…). `mkdocs serve` converts a view again
only when what it reads changed (`page_reads`); `tests/test_extension.py` checks each view
against this."""
VIEW_NOTE_FIELDS = ("id", "document", "type", "status", "title", "quote", "prefix", "suffix", "occurrence")
"""What a view that reads "notes" reads of a note: where it is anchored (and so its number) and
what the list of notes shows; not its body, sources, author or dates."""
_VIEW_NAMED = re.compile(r"""data-edition-view\s*=\s*["']?([^"'\s}]+)""")


def page_reads(markdown: str) -> frozenset[str] | None:
    """What a page that is no declared document's shows (as `VIEW_READS` says), judged from its
    Markdown: the union of what its views read; None (anything) when it names no view, a view
    that does not exist, or a document."""
    views = set(_VIEW_NAMED.findall(markdown))
    if not views or not views <= VIEW_READS.keys() or "edition-document" in markdown:
        return None
    return frozenset().union(*(VIEW_READS[view] for view in views))


def view_notes(annotations: Iterable[Annotation]) -> tuple[tuple[object, ...], ...]:
    """What the views that read "notes" read of them (`VIEW_NOTE_FIELDS`)."""
    return tuple(tuple(getattr(note, name) for name in VIEW_NOTE_FIELDS) for note in annotations)


VIEW_INPUTS: Mapping[str, Callable[[EditionState], object]] = MappingProxyType({
    "notes": lambda state: view_notes(state.corpus.annotations),
    "glossary": lambda state: state.corpus.glossary,
    "indexed notes": indexed_notes,
})
"""Each input a view may read (`VIEW_READS`), as a value of the edition's state: equal values,
the same view."""


class ViewTreeprocessor(_EditionProcessor):
    """A page whose heading opts in (`{ data-edition-view="glossary" }`) gets that view: the
    glossary, the list of all notes or the index, read from the edition's records."""

    def run(self, root: ET.Element) -> None:
        self.page.clear()  # the first of the edition's processors on each page
        for element in root:
            view = element.get("data-edition-view")
            if view:
                self._start_edition_page()
                heading_view = self.views.get(view)
                if heading_view is None:
                    self._unknown_view(element)
                else:
                    element.attrib.pop("data-edition-view")
                    root.extend(heading_view())
                return

    @property
    def views(self) -> dict[str, Callable[[], list[ET.Element]]]:
        """Renderers of generated views, by the name given in `data-edition-view` (what each
        reads: `VIEW_READS`)."""
        reuse = self._reuse if self.state.view_parts is not None else None
        return {"glossary": lambda: glossary_view(self.state, self.page.search_extra),
                "notes": lambda: notes_view(self.state, reuse), "index": lambda: index_view(self.state),
                "speakers": lambda: speakers_view(self.state)}

    def _reuse(self, listing: ET.Element, record: DocumentRecord) -> bool:
        """Whether the last conversion of this page made the list of notes of `record` from
        this very record: then its items stay empty until `ViewItems` puts that content in."""
        parts = self.state.view_parts
        assert parts is not None  # `views` passes this only then
        key = (record.document, self.state.options.notes_page, len(self.state.documents) > 1)
        part = self.page.items[listing] = parts.part(self.page.rendered_page or "", key, record)
        return part.known

    def _unknown_view(self, heading: ET.Element) -> None:
        name = heading.attrib.pop("data-edition-view")
        page = self.state.site.current_page or "the page"
        self.state.add_problems([Problem(page, 1, 1, Severity.ERROR, f"unknown edition view '{name}'",
                                         f"use one of: {', '.join(self.views)}")])


class OptInCheck(_EditionProcessor):
    """A page that is neither a document nor a view but looks as if it meant to be: a misspelt
    `::: edition-document` line or opt-in attribute, or a document written in Markdown (no
    longer read). Each is an error at its line."""

    def run(self, root: ET.Element) -> None:
        if self.page.edition_page:
            return
        for element in root:
            if element.tag in HEADINGS and element.get(WRITTEN_DOCUMENT):
                self.state.add_problems([self._page_problem(
                    f"a document written in Markdown (`{WRITTEN_DOCUMENT}` on its title) is no longer read",
                    "declare it in the documents folder with its text as received, and put `::: edition-document "
                    f"{element.get(WRITTEN_DOCUMENT)}` on the page (`edition add-document` does both)",
                    WRITTEN_DOCUMENT)])
                return
        misspelt = list(self._misspelled_opt_in(root))
        if misspelt:
            self.state.add_problems(misspelt)

    def _misspelled_opt_in(self, root: ET.Element) -> Iterator[Problem]:
        """A heading whose `data-` attribute is close to an opt-in one, or a paragraph that reads like
        a misspelt `::: edition-document <id>`: the page would stay plain."""
        for element in root:
            text = (element.text or "").strip() if element.tag == "p" else ""
            if text.startswith(":::") and "edition" in text:
                yield self._page_problem(f"“{text[:60]}” is not a line the edition reads: the page shows no document",
                                         "write `::: edition-document <id>` on a line of its own, with the id of a "
                                         "document of the documents folder", text[:20])
            if element.tag not in HEADINGS:
                continue
            for name in element.attrib:
                near = suggest(name, OPT_IN) if name.startswith("data-") and name not in HEADING_ATTRIBUTES else ""
                if near:
                    yield self._page_problem(f"unknown attribute `{name}`: the page is not rendered as part of "
                                             "the edition", f"{near}see “Documents” in the README", name)


class DocumentTreeprocessor(_EditionProcessor):
    """`::: edition-document <id>` becomes the document: one block a line of its text, terms
    linked, notes highlighted, paragraphs numbered, endnotes after it."""

    def run(self, root: ET.Element) -> None:
        for element in root:
            if element.get(PLACEHOLDER) is not None:
                blocks = self._expand(root, element)
                if blocks:
                    self._start_edition_page()
                    self.render_document(root, blocks)
                return

    def _expand(self, root: ET.Element, placeholder: ET.Element) -> list[ET.Element]:
        """Put the blocks of the declared document `placeholder` names in its place and return
        them; none (and a problem) when no document of that id is declared."""
        document = placeholder.get(PLACEHOLDER, "")
        index = list(root).index(placeholder)
        root.remove(placeholder)
        transcript = self.state.loaded.transcripts.get(document)
        page = self.state.site.current_page
        if transcript is None:
            if document not in self.state.loaded.invalid_documents:  # else reported where it is declared
                known = sorted(self.state.loaded.transcripts)
                self.state.add_problems([self._page_problem(
                    f"no document '{document}' is declared",
                    f"{suggest(document, known)}declare it in the documents folder (see “Documents” in the README)",
                    f"edition-document {document}")])
            return []
        declaration = transcript.declaration
        if page is not None and page != declaration.page:
            place = declaration.place_of("page")
            self.state.add_problems([Problem(place.path, place.line, place.col, Severity.ERROR,
                                             f"document '{document}' is shown on {page}, not on its page "
                                             f"{declaration.page}", f"set `page: {page}`, or show it on "
                                             f"{declaration.page} only")])
        self.state.site.shown.add(document)
        blocks = transcript_elements(transcript)
        for offset, block in enumerate(blocks):
            root.insert(index + offset, block)
        return blocks

    # -----------------------------------------------------------------------------------
    # The annotated document
    # -----------------------------------------------------------------------------------

    def render_document(self, root: ET.Element, blocks: list[ET.Element]) -> None:
        """Link terms, highlight notes, number paragraphs and append the endnotes of a declared
        document, whose `blocks` (its title first) are in `root`."""
        title = blocks[0]
        document = title.attrib.pop("data-document")
        record = self.state.documents[document]
        """Its record, computed from its text before any page, its notes anchored (`edition.records`)."""
        page = record.page
        if record.title:
            self.state.site.page_titles[page] = " ".join(record.title.split())
        self.state.add_problems([])  # without the hooks (errors not deferred), the data's errors raise here
        if self.state.site.check_only:
            # Linking terms, highlighting notes, the endnotes, the list of notes and the search
            # sections find no problem (the record holds what the checks read): not made for a check.
            return
        wrapper = ET.Element("div", {"class": "ed-document", "data-document": document})
        first = list(root).index(title)
        for element in blocks:
            root.remove(element)
        root.insert(first, wrapper)
        wrapper.extend(blocks)

        labels = [block.label for block in record.text.blocks]
        ids = record.block_ids
        for block in blocks:
            if block.tag in HEADINGS:  # the table of contents keeps the plain title
                block.set("data-toc-label", visible_text(block))
        links = TermLinks()
        """Where this page links each term (the first use of each is marked for print)."""
        glossary = page_link(self.state.options.glossary_page, page)  # for the site generator to rewrite
        for block, label, block_id in zip(blocks, labels, ids, strict=True):
            if block.tag not in HEADINGS:
                linked = link_terms(block, links, Occurrence(page, block_id, label, document),
                                    matcher=self.state.edition.matcher, terms=self.state.corpus.terms,
                                    glossary=glossary)
                if linked and block.tag == "p":
                    self.page.search_extra[block] = _search_terms(linked)
        self._search_names(record, blocks)

        text = DocumentText([Block(label, visible_text(b)) for b, label in zip(blocks, labels, strict=True)])
        assert text.raw == record.text.raw, f"the page of '{document}' is not its text"
        assert links.term_occurrences == record.term_occurrences, f"the page of '{document}' links other terms"
        anchors = record.anchors

        numbers = {anchor.annotation.id: n for n, anchor in enumerate(anchors, 1)}
        by_block: dict[int, list[Anchor]] = {}
        for anchor in anchors:  # one pass, not one per block
            by_block.setdefault(anchor.block, []).append(anchor)
        for index in sorted(by_block):
            highlight(blocks[index], by_block[index], numbers)
        self._add_paragraph_links(blocks, ids, labels)
        wrapper.tail = None
        # A hit's title: `¶12`, or `Interview ¶12` where the edition has several documents.
        self.page.search_starts.update((block, place_label(record, label, self.state))
                                       for block, label in zip(blocks, labels, strict=True) if block.tag == "p")
        root.insert(first + 1, self._endnotes(record))

    def _search_names(self, record: DocumentRecord, blocks: list[ET.Element]) -> None:
        """Each paragraph's search entry also names the people, places and organisations of the
        index it mentions, as the index spells them, so that a search for "Tokayev" finds the
        paragraph that says "Tokaev" (the page does not show these lines)."""
        named: dict[int, dict[str, None]] = {}
        entities = {entity.id: entity for entity in self.state.entities}
        for mention in self.state.edition.mentions(record):
            named.setdefault(mention.block, {})[entities[mention.entity].name] = None
        for index, names in named.items():
            block = blocks[index]
            if block.tag == "p":
                self.page.search_extra[block] = (self.page.search_extra.get(block, "")
                                                 + extra_line("People, places and organisations", names))

    @staticmethod
    def _add_paragraph_links(blocks: list[ET.Element], ids: list[str], labels: list[str]) -> None:
        for block, block_id, label in zip(blocks, ids, labels, strict=True):
            if block.tag != "p":
                continue
            link = ET.Element("a", {"class": "ed-pnum", "href": f"#{block_id}", ADDED: "",
                                    "data-n": label[1:], "aria-label": f"Paragraph {label[1:]}, permalink"})
            link.tail, block.text = block.text, None
            block.insert(0, link)

    def _renderer(self, record: DocumentRecord) -> BodyRenderer:
        """The renderer of `record`'s endnote bodies: a note of another document is linked
        through the list of all notes."""
        glossary = page_link(self.state.options.glossary_page, record.page)
        notes = page_link(self.state.options.notes_page, record.page)
        return self.state.renderer("#note-{id}", glossary + "#{id}", document=record.document,
                                   other_note_href=notes + "#{id}", page=record.page)

    def _endnotes(self, record: DocumentRecord) -> ET.Element:
        """The document's notes, in a section after the text. Bodies link pages as `.md`
        paths, which the site generator rewrites and checks."""
        section = ET.Element("section", {"class": "ed-notes", "id": "ed-notes",
                                         "aria-labelledby": "ed-notes-title"})
        heading = ET.SubElement(section, "h2", {"id": "ed-notes-title"})
        heading.text = "Notes"
        listing = ET.SubElement(section, "ol", {"class": "ed-notes__list"})
        renderer = self._renderer(record)
        for number, anchor in enumerate(record.anchors, 1):
            item = render_note(anchor, number, record, renderer.element(anchor.annotation.body, "ed-note__body"))
            self.page.note_heads.append((item[0], f"note-{anchor.annotation.id}-title"))  # after the table of contents
            listing.append(item)
        return section


class DocumentPlaceholder(BlockProcessor):
    """`::: edition-document <id>` on a line of its own: the place of a declared document.

    It becomes an empty `<div data-edition-document="<id>">`, which the tree processor replaces
    with the document's blocks, made from its source text after every inline and attribute
    step has run: nothing in the text is read as Markdown, HTML or `{ attributes }`.
    """

    def test(self, parent: ET.Element, block: str) -> bool:
        del parent
        return DECLARED_DOCUMENT.fullmatch(block.strip()) is not None

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        match = DECLARED_DOCUMENT.fullmatch(blocks.pop(0).strip())
        assert match is not None  # `test` said so
        ET.SubElement(parent, "div", {PLACEHOLDER: match.group(1)})


def literal_ampersands(element: ET.Element) -> None:
    """Make every `&` in the text of `element` and its descendants show as `&`.

    Python-Markdown's serializer leaves an `&` that starts something like an entity as it is
    (`&amp;` in the text would show as `&`), since Markdown has already stashed the entities an
    author wrote. The text the edition puts in is plain text, so its `&` goes in as Markdown's
    own placeholder for one, which its last step writes as `&amp;`. Call it last on a tree,
    or just before serializing one: the text's length changes.
    """
    amp = AMP_SUBSTITUTE + "amp;"
    for node in element.iter():
        if node.text and "&" in node.text:
            node.text = node.text.replace("&", amp)
        if node.tail and "&" in node.tail and node is not element:
            node.tail = node.tail.replace("&", amp)
        quote = node.get("data-quote")
        if quote and "&" in quote:
            node.set("data-quote", quote.replace("&", amp))


class NoteHeadings(_EditionProcessor):
    """Make each endnote's head an `<h3 id="note-<id>-title">` after the table of contents (so
    that search has every note as a section of its own, while the table of contents stays
    short), then read the page's search sections off the tree, final but for link rewriting."""

    def run(self, root: ET.Element) -> None:
        page = self.page
        for head in page.note_heads:
            _make_heading(*head)
        page.note_heads.clear()
        if page.rendered_page is not None and not self.state.site.check_only:
            contents = {item: part.search for item, part in page.items.items()}
            sections = page_sections(root, page.search_starts, extra=page.search_extra, contents=contents)
            if sections is not None:
                self.state.site.search_sections[page.rendered_page] = sections
                for item, part in page.items.items():
                    part.search = contents[item]


class SourceCharacters(_EditionProcessor):
    """What the edition put in shows exactly as written. The `toc` extension's "¶" in a
    document's headings is emptied (CSS draws it), and every `&` of the edition's text goes
    in as Markdown's own placeholder for one (see `literal_ampersands`)."""

    def run(self, root: ET.Element) -> None:
        if self.page.edition_page:
            for document in root.iter("div"):
                if document.get("class") == "ed-document":
                    _symbols_as_generated_content(document)
            literal_ampersands(root)


class ViewItems(_EditionProcessor):
    """Last of all, once the tree is final (links resolved by the site generator, ids read by
    its anchor check): each view element kept for the next conversion (`edition.view_parts`)
    gets the content it was made with, serialized, which Python-Markdown's stash of raw HTML
    puts back after serializing the page, as it does an author's HTML. The parts are kept,
    and the page's shared state is cleared."""

    def run(self, root: ET.Element) -> None:
        del root
        page, parts = self.page, self.state.view_parts if self.page.items else None
        if parts is not None:
            for item, part in page.items.items():
                if part.html is None:
                    html = self.md.serializer(item)  # `<ol …>content</ol>` and its tail: an attribute escapes `>`
                    part.html = html[html.index(">") + 1:html.rindex(f"</{item.tag}>")]
                item.text = self.md.htmlStash.store(part.html)
                del item[:]
            parts.keep(page.rendered_page or "", page.items.values())
        page.clear()


def _symbols_as_generated_content(document: ET.Element) -> None:
    """Empty the `toc` extension's permalinks ("¶") in a document's headings: CSS draws the
    symbol, so that each heading's text is exactly its line of the source."""
    for link in document.iter("a"):
        if link.get("class") == "headerlink":
            link.text = None
            link.set("class", "headerlink ed-headerlink")


def _search_terms(entries: list[GlossaryEntry]) -> str:
    """A line for a paragraph's search entry naming its glossary terms with their
    transliterations, so that a search for "SIZO" finds the paragraphs that say СИЗО (the
    search has no Russian stemming and does not transliterate)."""
    return extra_line("Russian terms", (f"{entry.term} ({entry.translit})" for entry in entries))


def _make_heading(head: ET.Element, head_id: str) -> None:
    """An endnote's head becomes its `<h3>`, with the id search and links use."""
    head.tag = "h3"
    head.set("id", head_id)


class HeadingIds(Treeprocessor):
    """Give the `toc` extension a slugify that keeps every letter (pymdownx's, lowercased), as
    `slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}` would, with a
    plain option value instead of a YAML tag. `slugify` is a documented option of `toc` and
    a public attribute of its processor, read each time it runs."""

    slugify = staticmethod(unicode_slugify(case="lower"))

    def run(self, root: ET.Element) -> None:
        del root
        if "toc" in self.md.treeprocessors:
            toc = self.md.treeprocessors["toc"]
            toc.slugify = self.slugify  # type: ignore[attr-defined]


class EditionExtension(Extension):
    """Anchor annotations, link glossary terms and render the edition's views."""

    def __init__(self, state: EditionState | None = None, **kwargs: Any) -> None:
        self.config = {
            "annotations": ["", "Folder of annotation YAML files."],
            "glossary": ["", "Folder of glossary YAML files."],
            "glossary_page": ["glossary.md", "Page of the glossary, relative to the docs folder."],
            "notes_page": ["annotations.md", "Page listing all annotations, relative to the docs folder."],
            "entities": ["", "Folder of the index of people, places and organisations (YAML)."],
            "index_page": ["people-places.md", "Page of that index, relative to the docs folder."],
            "speakers_page": ["speakers.md", "Page listing the speakers and their turns, relative to the docs "
                                             "folder."],
            "translit_scheme": ["bgn_pcgn", "Transliteration scheme: bgn_pcgn, ala_lc, scientific, …"],
            "docs_dir": ["", "Folder of the pages, to find a page's lines for its problems."],
            "documents": ["", "Folder of the documents' declarations (YAML): each names its text as received "
                              "(a .txt) and the page that shows it."],
            "heading_ids": ["", "`unicode`: the `toc` extension's heading ids keep every letter of "
                                "the heading, lowercased (`Ёлка и йод` → `ёлка-и-йод`), instead of "
                                "dropping what is not ASCII; empty: `toc`'s own setting."],
            "base_dir": ["", "Folder the relative paths above are read from: the configuration file's folder (the "
                             "MkDocs hooks and `edition check` set it); else the working folder."],
        }
        # Options it does not have are kept aside, for `edition.configuration` to report at
        # their line (Python-Markdown would raise a KeyError).
        self.unknown_options = {key: kwargs.pop(key) for key in list(kwargs) if key not in self.config}
        super().__init__(**kwargs)
        self._state = state
        self.page = PageState()
        """What the edition's processors share about the page being converted."""

    def options(self) -> EditionOptions:
        """The configured options, with folders as absolute paths (relative ones read from `base_dir`)."""
        base = Path(self.getConfig("base_dir") or Path.cwd())

        def folder(name: str) -> Path | None:
            value = self.getConfig(name)
            return (base / value).absolute() if value else None  # symbolic links are refused, not resolved

        annotations, glossary = folder("annotations"), folder("glossary")
        parents = [str(path.parent) for path in (annotations, glossary) if path is not None]
        root = Path(os.path.commonpath(parents)) if parents else base.absolute()
        return EditionOptions(
            annotations=annotations,
            glossary=glossary,
            entities=folder("entities"),
            docs_dir=folder("docs_dir"),
            documents=folder("documents"),
            root=root,
            index_page=self.getConfig("index_page"),
            speakers_page=self.getConfig("speakers_page"),
            glossary_page=self.getConfig("glossary_page"),
            notes_page=self.getConfig("notes_page"),
            translit_scheme=self.getConfig("translit_scheme"),
        )

    @property
    def state(self) -> EditionState:
        """The build state: given by the MkDocs hooks, or loaded on first use."""
        if self._state is None:
            self._state = EditionState(self.options())
        return self._state

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        """Register the processors, each with its priority and why."""
        # Before `paragraph` (10), the last block processor: the line would become a paragraph.
        md.parser.blockprocessors.register(DocumentPlaceholder(md.parser), "edition-document", 75)
        # After `inline` (20), `attr_list` (8) and `abbr` (7), so text and attributes are final
        # (and the documents' text is never read as Markdown); before `toc` and MkDocs' anchor
        # scanner (5), so the ids the edition makes are known, and before MkDocs' `relpath` (0),
        # which rewrites the `.md` links the edition writes. Views first: it clears the page state.
        md.treeprocessors.register(ViewTreeprocessor(md, self), "edition-views", 6.5)
        md.treeprocessors.register(DocumentTreeprocessor(md, self), "edition", 6)
        # Before `toc` (5), which reads its `slugify` when it runs; only when asked for.
        if self.getConfig("heading_ids") == UNICODE_IDS:
            md.treeprocessors.register(HeadingIds(md), "edition-heading-ids", 5.9)
        # After both, on a page that turned out to be neither: a misspelt opt-in is an error.
        md.treeprocessors.register(OptInCheck(md, self), "edition-opt-in-check", 5.5)
        # After `toc` and the anchor scanner (5): endnote heads become `<h3>` with ids the table
        # of contents does not list; the search sections are read off the tree.
        md.treeprocessors.register(NoteHeadings(md, self), "edition-note-headings", 4)
        # After the search sections were read: characters as written.
        md.treeprocessors.register(SourceCharacters(md, self), "edition-source-characters", 3)
        # Last, after MkDocs' `relpath` and Python-Markdown's `unescape` (0): the tree is final.
        md.treeprocessors.register(ViewItems(md, self), "edition-view-items", -10)
        md.registerExtension(self)

    def reset(self) -> None:
        """Forget the page converted last (Python-Markdown calls this from `Markdown.reset`)."""
        self.page.clear()


def makeExtension(**kwargs: Any) -> EditionExtension:  # noqa: N802 - Python-Markdown's API
    """Entry point for `markdown.Markdown(extensions=["edition"])`."""
    return EditionExtension(**kwargs)
