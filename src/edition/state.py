"""What one build knows, by lifetime: the data as loaded (`LoadedData`), the edition computed
once from it (`edition.records.Edition`), the build's site (`SiteContext`), and the problems
found so far.

The MkDocs hooks create one `EditionState` per build (in `on_config`) and hand it to the
Markdown extension. Used without the hooks, the extension creates its own.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from functools import cached_property, partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from edition.document import DocumentRecord
from edition.entities import KINDS, load_entities
from edition.links import page_link
from edition.loading import DEFAULT_TRANSLIT_SCHEME, LoadCache, load_corpus, suggest, suggest_id
from edition.plaintext import plain_text_problems
from edition.problems import EditionError, Problem, display_path, line_of
from edition.records import Edition, RecordCache
from edition.render import PAGE, BodyRenderer, RenderCache
from edition.transcript import load_documents, slug
from edition.wordforms import glossary_word_forms

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from concurrent.futures import Future
    from pathlib import Path

    from edition.entities import Entity
    from edition.model import Corpus, Place
    from edition.search import Section
    from edition.transcript import Transcript
    from edition.view_parts import ViewParts


@dataclass
class EditionOptions:
    """Options of the extension, as named under `markdown_extensions:` in mkdocs.yml."""

    annotations: Path | None
    glossary: Path | None
    root: Path
    """Paths in problem reports are shown relative to this folder."""
    entities: Path | None = None
    """Folder of the index of people, places and organisations (optional)."""
    glossary_page: str = "glossary.md"
    notes_page: str = "annotations.md"
    index_page: str = "people-places.md"
    speakers_page: str = "speakers.md"
    translit_scheme: str = DEFAULT_TRANSLIT_SCHEME
    docs_dir: Path | None = None
    """Folder of the pages, to find the line of a page's problem."""
    documents: Path | None = None
    """Folder of the documents' declarations (`edition.transcript`), if any."""

    def page_place(self, page: str, near: str) -> tuple[str, int]:
        """How problems name `page` (relative to the docs folder), and the line where `near` first
        occurs in it; without the pages' folder, the page as given and line 1."""
        if self.docs_dir is None:
            return page, 1
        page_file = self.docs_dir / page
        return display_path(page_file, self.root), line_of(page_file, near)


@dataclass(frozen=True)
class LoadedData:
    """What the data folders hold, validated, and the problems found reading them."""

    corpus: Corpus
    entities: tuple[Entity, ...]
    problems: tuple[Problem, ...]
    transcripts: Mapping[str, Transcript] = field(default_factory=lambda: MappingProxyType({}))
    """The declared documents and their lines, by id (`edition.transcript`)."""
    invalid_documents: frozenset[str] = frozenset()
    """Ids of declared documents left out because of errors (reported where they are declared)."""


def load_data(options: EditionOptions, cache: LoadCache | None = None) -> LoadedData:
    """Read and check the annotations, the glossary and the index (no page is rendered); with
    a `cache` of earlier loads in this process, only the files that changed are read."""
    result = load_corpus(options.annotations or options.root / "__none__",
                         options.glossary or options.root / "__none__",
                         options.root, options.translit_scheme, cache)
    entities, entity_problems = load_entities(options.entities, options.root)
    transcripts, document_problems, invalid_documents = load_documents(options.documents, options.root, cache)
    # Under `mkdocs serve`, an unchanged note, entry or entity is not checked again (0.04 s of a
    # 1.0 s rebuild at N = 200): remembered in this load, so before `done`.
    plain = tuple(plain_text_problems(result.corpus, entities, (t.declaration for t in transcripts),
                                      None if cache is None else cache.made))
    if cache is not None:
        cache.done()
    return LoadedData(result.corpus, entities, (*result.problems, *entity_problems, *document_problems, *plain),
                      MappingProxyType({t.declaration.id: t for t in transcripts}), invalid_documents)


@dataclass
class SiteContext:
    """One build's site: what the site generator tells the edition (the page being rendered,
    how pages link each other, the site's files) and what rendering the pages collects for it
    (ids, search sections, titles). Made anew for each build; the data and the edition's
    records (`EditionState.loaded`, `EditionState.documents`) do not depend on it."""

    current_page: str | None = None
    """Set by the hooks to the page being rendered, so documents know their page."""
    site_pages: frozenset[str] | None = None
    """Every file of the site, relative to the docs folder (generated pages and exports too),
    when the site generator tells (the MkDocs hooks and `edition.checking` do): relative
    links in bodies must name one of them (`page_link_problem`)."""
    check_only: bool = False
    """Set by a check (`edition.checking`), which wants the problems only: a document's page
    is rendered up to its record's problems and title, without its terms linked, its notes
    highlighted, its endnotes and its search sections, which find none."""
    shown: set[str] = field(default_factory=set)
    """The declared documents a page has shown (`::: edition-document`)."""
    search_sections: dict[str, list[Section]] = field(default_factory=dict)
    """Search sections of each page the extension rendered, by page (see `edition.search`)."""
    lent_meta: dict[str, dict[str, object]] = field(default_factory=dict)
    """Page `meta` values the hooks replaced while a page is built, to put back afterwards."""
    page_titles: dict[str, str] = field(default_factory=dict)
    """The title (first heading, as text) of each document, by page: the heading sits inside
    the document's wrapper, where MkDocs does not look for a page's title."""


class EditionState:
    """One build, in three parts by lifetime: the data as loaded (`loaded`, kept across
    `mkdocs serve` rebuilds while it does not change), the edition computed once from it
    (`edition`: records, matchers), and this build's site (`site`); with the problems found."""

    def __init__(self, options: EditionOptions, *, defer_errors: bool = False, bodies_later: bool = False,
                 render_cache: RenderCache | None = None, loaded: LoadedData | None = None,
                 load_cache: LoadCache | None = None, edition: Edition | None = None,
                 record_cache: RecordCache | None = None, view_parts: ViewParts | None = None) -> None:
        self.options = options
        self.defer_errors = defer_errors
        """When true (under MkDocs), errors are collected and raised by the hooks at the end."""
        self.loaded = loaded or load_data(options, load_cache)
        """The data as read (given when another state of this process has just read the same)."""
        self.record_cache = record_cache
        """Records of an earlier build of this process, taken where their inputs are unchanged."""
        self.edition = edition or Edition(self.loaded.corpus, self.loaded.entities, self.loaded.transcripts,
                                          record_cache)
        """The edition computed once from the data: records, matchers (`edition.records`); given
        when another state of this process has just computed it from the same `loaded`."""
        self.problems: list[Problem] = [*self.loaded.problems, *self.edition.problems]
        self.site = SiteContext()
        """What the site generator tells of this build, and what rendering its pages collects."""
        self.render_cache = render_cache or RenderCache()
        """Each body's Markdown, converted once per build for all its renderings (and, given one
        from an earlier build of the same process, once for all of them)."""
        self.view_parts = view_parts
        """The parts of the views (each document's list in the list of notes) as their pages'
        last conversions in this process made them (`edition.view_parts`; `mkdocs serve` keeps
        one across rebuilds); None: every view made anew."""
        self._bodies_elsewhere = False
        """Whether the bodies were converted by a process of the caller's (`bodies_from`)."""
        self._word_forms_job: Future[dict[str, list[str]]] | None = None
        """The glossary's word forms, being made by another process (see `bodies_from`)."""
        if not bodies_later:  # else `body_jobs` and `check_bodies`, when the caller says
            self.check_bodies()

    def use(self, loaded: LoadedData) -> None:
        """Build with `loaded` instead (under `mkdocs serve`: the data of the last good build,
        while the files have errors), forgetting the problems found so far."""
        self.loaded = loaded
        self.edition = Edition(loaded.corpus, loaded.entities, loaded.transcripts, self.record_cache)
        self.problems = list(self.edition.problems)

    @property
    def corpus(self) -> Corpus:
        """The notes and the glossary, as loaded."""
        return self.loaded.corpus

    @property
    def entities(self) -> tuple[Entity, ...]:
        """The index's people, places and organisations, as loaded."""
        return self.loaded.entities

    @property
    def documents(self) -> Mapping[str, DocumentRecord]:
        """The record of each declared document (`Edition.documents`)."""
        return self.edition.documents

    def renderer(self, note_href: str, term_href: str, *, document: str | None = None,
                 other_note_href: str | None = None, page: str | None = None) -> BodyRenderer:
        """A body renderer whose `note:`/`term:` links point at the given URL patterns.

        `note_href` and `term_href` are format strings with `{id}`. With a `document`, notes
        of other documents use `other_note_href` instead. With the `page` the texts are shown
        on, a relative link to a page that is not there is dropped (it is reported, see
        `page_link_problem`); else relative links are kept as written.
        """
        notes, terms = self.corpus.notes, self.corpus.terms

        def resolve(kind: str, target: str) -> str | None:
            if kind == PAGE:
                return target if page is None or self.page_link_problem(target, page) is None else None
            if kind == "note":
                if target not in notes:
                    return None
                if document is not None and other_note_href is not None and notes[target].document != document:
                    return other_note_href.format(id=target)
                return note_href.format(id=target)
            return term_href.format(id=target) if target in terms else None

        return BodyRenderer(resolve, self.render_cache)

    def page_link_problem(self, href: str, page: str) -> tuple[str, str] | None:
        """What is wrong (message, hint) with the relative link `href` in a text shown on `page`.

        The path, read from `page`'s folder as MkDocs reads it, must stay inside the docs
        folder and name a file of the site (when `site_pages` is known); on the glossary, the
        list of notes and the index, which the edition generates, the `#anchor` must be one of
        theirs. None when the link is fine.
        """
        parts = urlsplit(href)
        path = unquote(parts.path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if path.startswith("/"):
            wrong = f"link '{href}' starts with '/'"
        elif target == ".." or target.startswith("../"):
            wrong = f"link '{href}' points outside the docs folder"
        elif self.site.site_pages is not None and target not in self.site.site_pages:
            wrong = f"link '{href}' points to '{target}', which is not a file of the site"
        else:
            return self._anchor_problem(href, target, parts.fragment)
        near = suggest(path, {page_link(other, page) for other in self.site.site_pages or ()})
        return wrong, f"{near}the text is shown on {page}: write the path of a file of the docs folder from there"

    def _anchor_problem(self, href: str, target: str, anchor: str) -> tuple[str, str] | None:
        """What is wrong with the `#anchor` of a link to `target`, a page the edition generates."""
        generated = self._generated_anchors().get(target)
        if generated is None or not anchor or anchor in generated[1]:
            return None
        what, anchors, better = generated
        return f"link '{href}': {what} has no '#{anchor}'", f"{suggest_id(anchor, anchors)}{better}"

    def _generated_anchors(self) -> dict[str, tuple[str, frozenset[str], str]]:
        """For each page the edition generates: what it is, its anchors, how better to link them."""
        options, corpus = self.options, self.corpus
        return {
            options.glossary_page: ("the glossary", frozenset(corpus.terms) | corpus.invalid_term_ids,
                                    "link a glossary entry as [text](term:<id>)"),
            options.notes_page: ("the list of notes", frozenset(corpus.notes) | corpus.invalid_note_ids
                                 | {f"notes-{document}" for document in corpus.by_document},
                                 "link a note as [text](note:<id>)"),
            options.index_page: ("the index", frozenset({f"entity-{entity.id}" for entity in self.entities}
                                                        | {f"index-{kind}" for kind in KINDS}),
                                 "use 'entity-' and the id of an entity of index/"),
            options.speakers_page: ("the list of speakers",
                                    frozenset({f"speaker-{slug(speaker.known_as)}"
                                               for transcript in self.loaded.transcripts.values()
                                               for speaker in transcript.declaration.speakers}),
                                    "use 'speaker-' and the speaker's name in lower case, words joined by '-'"),
        }

    def body_jobs(self, documents: Sequence[str]) -> tuple[list[list[str]], list[Callable[[], Any]]]:
        """The Markdown texts' conversions as jobs for another process of the caller's, notes of
        `documents` first: the parts of the texts, and a job converting each
        (`RenderCache.convert_part`: that process keeps them, to make the exports from them, see
        `conversions_for_exports`), then one making the word forms; none for a small edition.
        `bodies_from` takes their results.

        `documents` are the documents in the order their pages will be rendered, so that each
        page finds its notes ready (any other order gives the same result). Glossary
        definitions come last, for the glossary page; its word forms after them. Where nothing
        runs elsewhere, the pages convert what they need.
        """
        parts = self.render_cache.parts(self._body_texts(documents))
        if not parts:
            return [], []
        return parts, [*(partial(self.render_cache.convert_part, part) for part in parts),
                       partial(glossary_word_forms, self._word_form_texts())]

    def bodies_from(self, parts: Sequence[list[str]], results: Sequence[Future[Any]]) -> None:
        """Take the results of `body_jobs(…)` as another process sends them (`results`, one
        future for each job); each page takes what is ready and converts the rest itself."""
        self.render_cache.expect(parts, results[:len(parts)])
        if len(results) > len(parts):
            self._word_forms_job = results[len(parts)]
        self._bodies_elsewhere = bool(parts)

    def conversions_for_exports(self) -> dict[str, Any]:
        """What the process of `body_jobs` needs of this process's conversions to make the
        exports: nothing when it converted the bodies itself (it converts any other text it
        renders); else every conversion made here (`RenderCache.adopt`)."""
        return {} if self._bodies_elsewhere else self.render_cache.conversions()

    def _body_texts(self, documents: Sequence[str]) -> list[str]:
        rank = {document: index for index, document in enumerate(documents)}
        notes = sorted(self.corpus.annotations, key=lambda a: rank.get(a.document, len(rank)))
        return [*(a.body for a in notes), *(e.definition for e in self.corpus.glossary)]

    def _word_form_texts(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(entry.id, (entry.term, entry.full, *entry.aliases)) for entry in self.corpus.glossary]

    @cached_property
    def word_forms(self) -> dict[str, list[str]]:
        """The inflected Russian word forms of each glossary entry, by id (`edition.wordforms`),
        for its search entry; made by the other process when `bodies_from` gave its job."""
        job = self._word_forms_job
        if job is not None:
            try:
                return job.result()
            except Exception:  # the process died, say: made here, the same
                pass
        return glossary_word_forms(self._word_form_texts())

    def check_bodies(self) -> None:
        """Convert every Markdown text not yet converted, and check them all (see `BodyRenderer.problems`)."""
        self.render_cache.finish()
        self.render_cache.convert_many((text for text, _ in self.corpus.markdown_fields), workers=os.cpu_count() or 1)
        checker = self.renderer("#{id}", "#{id}")
        corpus = self.corpus
        # A text's problems depend on it, its place and the ids its links may name: found once
        # per text while these stay (under `mkdocs serve`, the cache lives from check to check).
        before = self.render_cache.checked((frozenset(corpus.notes), frozenset(corpus.terms),
                                            corpus.invalid_note_ids, corpus.invalid_term_ids))
        now: dict[tuple[str, Place], tuple[Problem, ...]] = {}
        for key in corpus.markdown_fields:
            found = before.get(key)
            if found is None:
                found = tuple(checker.problems(*key, corpus))
            now[key] = found
            self.problems.extend(found)
        self.render_cache.keep_checked(now)

    def add_problems(self, problems: list[Problem]) -> None:
        """Record problems found while rendering; raise at once unless errors are deferred."""
        self.problems.extend(problems)
        if not self.defer_errors:
            self.raise_errors()

    def raise_errors(self) -> None:
        """Raise `EditionError` with every problem if any of them is an error."""
        if any(problem.is_error for problem in self.problems):
            raise EditionError(sorted(set(self.problems)))
