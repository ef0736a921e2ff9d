"""Export the edition's notes and glossary links as W3C Web Annotations (JSON-LD).

The export follows the Web Annotation Data Model (https://www.w3.org/TR/annotation-model/)
and passes every MUST assertion of its test suite (vendored in `tests/w3c/`). It is written
per document, not per annotation (issue 21: one file per note and per glossary link made
40 times as many files as the pages, and every annotation was written three times):

- `data/documents/<document>.jsonld`: the document's own `AnnotationCollection`, which holds
  all its annotations in one embedded `AnnotationPage` (`first`, with the fragment id
  `#page/1`; `last` names it). Each annotation's id is a fragment of this file, so it is
  dereferenceable (fetch the file, take the item with that id) and stable:
  - a note: `data/documents/<document>.jsonld#<note id>`, with the day it was last checked
    (`schema:lastReviewed`) and its sources (`schema:citation`; a web source is the page as
    it was on the day it was accessed, see `_citation`);
  - a link from the text to a glossary entry:
    `data/documents/<document>.jsonld#term/<entry>/<paragraph>-<n>` (the `n`th link to that
    entry in that paragraph: `n` is 1 unless the paragraph links the entry twice). A note's
    id has no "/" (its schema allows letters, digits and hyphens), so the two never clash.
    The transcript does not change, so these ids stay the same when terms, aliases or other
    documents are added;
- `data/annotations.jsonld`: the whole edition's `AnnotationCollection` (`label`, `total`,
  `first`, `last`), whose `AnnotationPage`s `data/annotations/page-1.jsonld`, … list every
  annotation by its id (`items` may be IRIs), each page with `partOf` embedded as
  `{id, label, total}` (the suite's page assertions require an object), `startIndex` and
  `next`/`prev`. Each annotation is thus written once.

Each annotation targets the document's page with two equivalent selectors, each of which a
client can resolve on the page as it is:

- a `TextQuoteSelector`: the exact text, with about `CONTEXT_CHARS` code points of prefix
  and suffix (more where needed to make it unique in the document). The page's text is the
  source's text (everything the edition adds is CSS generated content or attributes), and
  its blocks are separated by one newline, as the source's lines are, so prefix and suffix
  are what Hypothesis, Apache Annotator or a text fragment see around the quote;
- a `CssSelector` for the quote's block (`#p12`, the paragraph's id) `refinedBy` a
  `TextPositionSelector` counted in code points within that element's text, so that nothing
  elsewhere on the page (navigation, notes, another document) moves it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from edition.anchoring import CONTEXT_CHARS
from edition.term_links import linked_entries
from edition.vocabulary import ANNOTATION_TYPES, GLOSSARY_MOTIVATION

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from edition.anchoring import Anchor
    from edition.document import DocumentRecord
    from edition.model import Annotation, GlossaryEntry, Source
    from edition.render import BodyRenderer
    from edition.reuse import DocumentExports
    from edition.state import EditionState

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
COLLECTION_PATH = "data/annotations.jsonld"
FOLDER = "data/annotations"
DOCUMENTS_FOLDER = "data/documents"
"""Each document's own collection, with its annotations: `data/documents/<id>.jsonld`."""
PAGE_SIZE = 1000
"""Annotation ids on each page of the whole edition's collection (about 60 kB)."""


def document_collection(document: str) -> str:
    """The path of a document's own collection of annotations."""
    return f"{DOCUMENTS_FOLDER}/{quote(document, safe='')}.jsonld"


WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
LANGUAGE = "en"
"""Language of the notes, the glossary and the generated pages."""

JSON = dict[str, Any]


def export_annotations(state: EditionState, *, site_url: str, page_url: Callable[[str], str],
                       glossary_url: str, dates: Callable[[Annotation], tuple[str, str]],
                       page_size: int = PAGE_SIZE, cache: DocumentExports | None = None) -> dict[str, dict[str, Any]]:
    """JSON-LD documents keyed by output path relative to the site root.

    Args:
        state: A build state whose documents have been rendered.
        site_url: The absolute URL of the site, ending with "/"; every `id` starts with it.
        page_url: The absolute URL of a page, given its path in the docs folder
            ("interview.md" → "https://example.org/interview/").
        glossary_url: The absolute URL of the glossary page.
        dates: The `created` and `modified` date-times (ISO 8601 with a time zone) of a note.
        page_size: The number of annotation ids on each page of the whole edition's collection.
        cache: What an earlier call in this process made of each document (`mkdocs serve`).

    Returns:
        The whole edition's collection, then its pages, then each document's collection with
        its annotations ("data/annotations.jsonld", "data/annotations/page-1.jsonld", …,
        "data/documents/interview.jsonld"). Annotations are ordered by document (in page
        order), each document's notes first (in note order), then its glossary links in text
        order. The same state and arguments always give the same documents.

    Raises:
        ValueError: If `site_url` is not absolute or lacks its final "/", or if `page_size`
            is not positive.
    """
    files = dict(annotation_files(state, site_url=site_url, page_url=page_url, glossary_url=glossary_url,
                                  dates=dates, page_size=page_size, cache=cache))
    documents = {path: files.pop(path) for path in list(files) if path.startswith(f"{DOCUMENTS_FOLDER}/")}
    return {**files, **documents}


def annotation_files(state: EditionState, *, site_url: str, page_url: Callable[[str], str],
                     glossary_url: str, dates: Callable[[Annotation], tuple[str, str]],
                     page_size: int = PAGE_SIZE, cache: DocumentExports | None = None
                     ) -> Iterator[tuple[str, dict[str, Any]]]:
    """The files of `export_annotations`, one at a time, so that a document's are written and
    dropped before the next one's are made: each document's collection, then the whole
    edition's collection and its pages (which list every id).

    Raises:
        ValueError: As `export_annotations`, on the first file asked for.
    """
    parts = urlsplit(site_url)
    if not (parts.scheme and parts.netloc and site_url.endswith("/")):
        raise ValueError(f"site_url must be an absolute URL ending with '/', not {site_url!r}")
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    patterns = (_pattern(page_url(state.options.notes_page)), _pattern(glossary_url))
    renderer = state.renderer(*patterns)
    records = sorted(state.documents.values(), key=lambda record: (record.page, record.document))

    ids: list[str] = []
    for record in records:
        path = document_collection(record.document)
        base, source = site_url + path, page_url(record.page)
        note_dates = [dates(anchor.annotation) for anchor in record.anchors]

        def items_of(record: DocumentRecord = record, base: str = base, source: str = source,
                     note_dates: list[tuple[str, str]] = note_dates) -> list[JSON]:
            items = [_note(anchor.annotation, f"{base}#{anchor.annotation.id}", source=source,
                           selectors=anchor_selectors(record, anchor), renderer=renderer, dates=when)
                     for anchor, when in zip(record.anchors, note_dates, strict=True)]
            counts: dict[tuple[str, str], int] = {}
            for entry, block_id, start, end, local in _term_spans(state, record):
                key = (entry.id, block_id)
                counts[key] = counts.get(key, 0) + 1
                fragment = quote(f"term/{entry.id}/{block_id}-{counts[key]}", safe="/-")
                items.append(_term_link(entry, f"{base}#{fragment}", source,
                                        _selectors(record.text.raw, start, end, block_id, local), glossary_url))
            return items

        # A glossary link's label gives its entry's term and translation
        values = (base, source, glossary_url, patterns, note_dates, linked_entries(record, state.corpus.terms))
        items = items_of() if cache is None else cache.part("w3c", record.document, record, values, items_of)
        ids.extend(item["id"] for item in items)
        yield path, _document_collection(base, _collection_label([record]), items)

    yield from _collection(COLLECTION_PATH, FOLDER, _collection_label(records), ids,
                           site_url=site_url, page_size=page_size).items()


def _document_collection(collection_id: str, label: str, items: list[JSON]) -> JSON:
    """A document's `AnnotationCollection`, its annotations embedded in its one page (`first`)."""
    collection: JSON = {"@context": ANNO_CONTEXT, "id": collection_id, "type": "AnnotationCollection",
                        "label": label, "total": len(items)}
    if items:
        page_id = f"{collection_id}#page/1"
        collection["first"] = {"id": page_id, "type": "AnnotationPage",
                               "partOf": {"id": collection_id, "label": label, "total": len(items)},
                               "startIndex": 0, "items": items}
        collection["last"] = page_id
    return collection


def _collection(path: str, folder: str, label: str, items: list[str], *, site_url: str, page_size: int
                ) -> dict[str, JSON]:
    """An `AnnotationCollection` at `path` and its `AnnotationPage`s (`<folder>/page-N.jsonld`),
    which list `items` (annotation ids); keyed by path."""
    collection_id = site_url + path
    total = len(items)
    page_paths = [f"{folder}/page-{number}.jsonld" for number in range(1, -(-total // page_size) + 1)]
    collection: JSON = {"@context": ANNO_CONTEXT, "id": collection_id, "type": "AnnotationCollection",
                        "label": label, "total": total}
    if page_paths:
        collection["first"] = site_url + page_paths[0]
        collection["last"] = site_url + page_paths[-1]
    documents: dict[str, JSON] = {path: collection}
    for index, page_path in enumerate(page_paths):
        start = index * page_size
        page: JSON = {"@context": ANNO_CONTEXT, "id": site_url + page_path, "type": "AnnotationPage",
                      "partOf": {"id": collection_id, "label": label, "total": total}, "startIndex": start}
        if index + 1 < len(page_paths):
            page["next"] = site_url + page_paths[index + 1]
        if index > 0:
            page["prev"] = site_url + page_paths[index - 1]
        page["items"] = items[start:start + page_size]
        documents[page_path] = page
    return documents


def _pattern(url: str) -> str:
    """A `{id}` link pattern for the body renderer: `url#{id}`, with braces in `url` escaped."""
    return url.replace("{", "{{").replace("}", "}}") + "#{id}"


def _note(annotation: Annotation, url: str, *, source: str, selectors: list[JSON], renderer: BodyRenderer,
          dates: tuple[str, str]) -> JSON:
    """An editorial note: its Markdown body as HTML, its type's motivation, its author and dates."""
    text: JSON = {"type": "TextualBody", "value": renderer.html(annotation.body), "format": "text/html",
                  "language": LANGUAGE}
    body: JSON | list[JSON] = text
    if annotation.wikidata:
        body = [text, {"type": "SpecificResource", "source": WIKIDATA_ENTITY + annotation.wikidata,
                       "purpose": "identifying"}]
    created, modified = dates
    return {
        "id": url,
        "type": "Annotation",
        "motivation": ANNOTATION_TYPES[annotation.type].motivation,
        "label": annotation.title,
        "body": body,
        "creator": {"type": "Person", "name": annotation.author},
        "created": created,
        "modified": modified,
        "target": {"source": source, "selector": selectors},
        **({"schema:lastReviewed": annotation.checked} if annotation.checked else {}),
        **({"schema:citation": [_citation(s) for s in annotation.sources]} if annotation.sources else {}),
    }


def _citation(source: Source) -> JSON:
    """A cited source: a web page as the `SpecificResource` of the day it was seen, else a work.

    `schema:` is a prefix of the Web Annotation context. The day a page was accessed is a
    `TimeState` spanning that day (UTC): the model's way of naming a resource as it was then.
    """
    work: JSON = {"schema:name": source.title}
    for key, value in (("schema:publisher", source.publisher), ("schema:datePublished", source.date),
                       ("schema:description", source.note)):
        if value:
            work[key] = value
    if not source.url:
        return {"type": "schema:CreativeWork", **work}
    cited: JSON = {"type": "SpecificResource", "source": source.url, **work}
    if source.accessed:
        cited["state"] = {"type": "TimeState", "sourceDateStart": f"{source.accessed}T00:00:00Z",
                          "sourceDateEnd": f"{source.accessed}T23:59:59Z"}
    return cited


def _term_link(entry: GlossaryEntry, url: str, source: str, selectors: list[JSON], glossary_url: str) -> JSON:
    """A link from one occurrence of a term to its glossary entry (an External Web Resource)."""
    return {
        "id": url,
        "type": "Annotation",
        "motivation": GLOSSARY_MOTIVATION,
        "label": f"Glossary: {entry.term} — {entry.translation}",
        "body": {"id": f"{glossary_url}#{entry.id}", "type": "Text", "format": "text/html", "language": LANGUAGE},
        "target": {"source": source, "selector": selectors},
    }


def anchor_selectors(record: DocumentRecord, anchor: Anchor) -> list[JSON]:
    """The selectors of a note anchored in `record` (see `_selectors`)."""
    return _selectors(record.text.raw, anchor.doc_start, anchor.doc_end, record.block_ids[anchor.block], anchor.start)


def _selectors(raw: str, start: int, end: int, block_id: str, local_start: int) -> list[JSON]:
    """A TextQuoteSelector for `raw[start:end]`, and a CssSelector for its block (`#block_id`)
    refined by a TextPositionSelector from `local_start` within the block's text.

    The prefix and suffix are `CONTEXT_CHARS` code points long (less at the ends of the
    text), doubled until prefix, exact text and suffix occur only once in `raw`. A block
    without an id (a heading of the text without `{ #id }`) gets the quote alone.
    """
    exact = raw[start:end]
    size = CONTEXT_CHARS
    while True:
        prefix, suffix = raw[max(0, start - size):start], raw[end:end + size]
        if _count(raw, prefix + exact + suffix) == 1 or (start - size <= 0 and end + size >= len(raw)):
            break
        size *= 2
    selectors: list[JSON] = [{"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}]
    if block_id:
        selectors.append({"type": "CssSelector", "value": f"#{block_id}",
                          "refinedBy": {"type": "TextPositionSelector", "start": local_start,
                                        "end": local_start + len(exact)}})
    return selectors


def _count(text: str, part: str) -> int:
    """How many times `part` occurs in `text`, overlaps included."""
    count, pos = 0, text.find(part)
    while pos != -1:
        count += 1
        pos = text.find(part, pos + 1)
    return count


def _term_spans(state: EditionState,
                record: DocumentRecord) -> Iterator[tuple[GlossaryEntry, str, int, int, int]]:
    """Each glossary link of a document: its entry, its block's id, its offsets in the document
    text, and its start in the block's text.

    The matcher that linked the terms runs again on each block's text; a match counts only
    in a block where the extension recorded a link to its entry (it links none in headings).
    """
    linked = {(entry_id, occurrence.block_id)
              for entry_id, occurrences in record.term_occurrences.items() for occurrence in occurrences}
    terms = state.corpus.terms
    for index, block in enumerate(record.text.blocks):
        base, block_id = record.text.raw_offsets[index], record.block_ids[index]
        for match in state.edition.matcher.finditer(block.text):
            if (match.entry_id, block_id) in linked:
                yield terms[match.entry_id], block_id, base + match.start, base + match.end, match.start


def _collection_label(records: list[DocumentRecord]) -> str:
    """“Notes and glossary links: <title of each document>”."""
    titles = []
    for record in records:
        title = record.title or record.document  # as the list of notes and the page title name it
        titles.append(f"“{' '.join(title.split())}”")
    return "Notes and glossary links: " + ("; ".join(titles) or "none")
