"""MkDocs hooks for the annotated edition: thin wiring around the `edition` package.

The text transformation lives in the `edition` Python-Markdown extension, which works
without these hooks. The hooks add what only a site build can do:

- `on_startup`/`on_pre_build`: under `mkdocs serve`, check the data before MkDocs empties
  the site folder, so that a bad edit keeps the last good build on screen;
- `on_config`: load and validate the annotations and glossary once per build, and hand
  that state to the extension (instead of letting every page load it again);
- `on_files`: generate the glossary and "All annotations" pages, after the documents, so
  that they can list where each term and note occurs; tell the extension the site's URLs;
  start converting the note bodies in another process, in the order of the pages;
- `on_page_markdown`: tell the extension which page it is rendering;
- `on_page_content`: give MkDocs the ids of the notes the extension put in as HTML;
- `on_page_content`, `on_post_build`, `on_shutdown`: keep CPython's garbage collector from
  scanning again and again what the build keeps alive (see `_paused_collector`);
- `on_page_context`/`on_post_page`: hand Material's search the sections the extension read
  off each page it rendered (so that the search plugin does not parse those pages again),
  and lend the page's template its machine-readable alternates, only while it is built;
- `on_env`: after every page is rendered and before anything is written, check the bodies,
  report every problem at once and fail the build on errors; then start writing the
  exports (W3C annotations, SKOS and CSV glossary) in another process while MkDocs renders
  the templates (`edition.background`); `on_post_build` waits for it (under `mkdocs
  serve` a thread writes them, and the next build or the end of `serve` waits instead,
  so that the page is served first);
- `on_config`/`on_post_build`: a build (not `mkdocs serve`) writes beside the site folder,
  which the complete build replaces last of all (`edition.atomic`);
- `on_build_error`: stop those processes, and remove the unfinished site;
- `on_files`, `on_page_markdown`, `on_page_content`, `on_env`, `on_post_build`: under
  `--dirty`, render again every page whose inputs an edit changed, not only those whose
  Markdown file did, and keep what the pages left out showed last time (`_Pages`);
- `on_startup`: under `mkdocs serve`, a page whose Markdown and inputs have not changed
  since this process last converted it is not converted again (`_Pages.convert`);
- `on_serve`, `on_pre_build`, `on_post_page`: under `mkdocs serve`, the errors of an edit are
  shown on every page, over the last good build, until it is fixed (`edition.serving`).

Everything the hooks keep is in one object, `_session` (`_Session`): `mkdocs serve` keeps
this module loaded across rebuilds, and each build's state is made in `on_config`.
"""

from __future__ import annotations

import gc
import logging
import mimetypes
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from edition.atomic import AtomicSite
from edition.background import FileWriter
from edition.checking import DocumentChecks, check, site_files
from edition.citation import citation_problems, document_about, document_source
from edition.configuration import option_problems
from edition.exports import (
    EXPORTS,
    alternates_for,
    document_exports,
    export_documents,
    export_files,
    read_git_dates,
)
from edition.extension import VIEW_INPUTS, DocumentTreeprocessor, EditionExtension, ViewTreeprocessor, page_reads
from edition.loading import LoadCache
from edition.material import search_index
from edition.metadata import config_problems, front_matter_problems, neutralise_config, neutralise_meta
from edition.pages import VIEW_PAGES, site_problems
from edition.problems import display_path, format_problems
from edition.records import RecordCache
from edition.render import RenderCache
from edition.reuse import (
    REUSED_TEMPLATE,
    REUSED_VARIABLE,
    DocumentExports,
    MemoryBytecodeCache,
    PageOutputs,
    WithReusedOutput,
    navigation_signature,
    template_cache,
    theme_signature,
)
from edition.serving import LastGood, Logged, copied_once, notice, show_on_every_page, with_notice
from edition.state import EditionState, LoadedData
from edition.term_links import linked_entries
from edition.terms import matcher_inputs
from edition.transcript_view import declared_document
from edition.view_parts import ViewParts
from edition.watching import EitherObserver

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

    from edition.problems import Problem

log = logging.getLogger("mkdocs.plugins.edition")

@dataclass(frozen=True)
class _Rendered:
    """What one page was rendered from, and what rendering it told the edition."""

    inputs: object
    title: str | None = None
    """A document's title (from its text: `SiteContext.page_titles`)."""
    shown: frozenset[str] = frozenset()
    page_title: str | None = None
    """The page's title as MkDocs took it (the navigation names a page by it)."""


@dataclass(frozen=True)
class _Converted:
    """A page as `Page.render` left it, and what converting it told the edition (`_Pages.convert`)."""

    key: object
    content: str
    toc: Any
    anchors: frozenset[str]
    title_from_render: str | None
    links: dict[str, dict[str, str]] | None
    sections: Any
    title: str | None
    shown: frozenset[str]
    problems: tuple[Any, ...]


@dataclass
class _Pages:
    """What each page is made from, for `--dirty` and for `mkdocs serve` (`convert`).

    `mkdocs build --dirty` and `mkdocs serve --dirty` render only the pages whose Markdown
    file is newer than their HTML. A document's page is one line, `::: edition-document doc`:
    its HTML comes from the data (its notes, the glossary, the text), so an edit to an
    annotation file changed nothing MkDocs looks at, the page was not rendered, and the check
    that its document is shown on a page failed the rebuild: the edit never appeared.

    So each page's inputs are kept (`inputs`: those every page depends on, among them the
    glossary's forms; for a document's page, its notes, its text and the glossary entries of
    its terms; for any other page, every text, and the notes or the glossary's entries where
    the views it shows read them, `VIEW_READS`), and a page whose inputs differ from the last
    build's is rendered again whatever its file's date. A page left out keeps what it showed last time
    (its title, for the navigation; the documents it shows, for the checks). MkDocs renders
    a generated page (the glossary, the list of notes) in every build, but under `serve` it
    too converts again only when its inputs changed. The exports are made anew in every
    build, and the exports the last build wrote and this one does not are removed.
    """

    built: dict[str, _Rendered] = field(default_factory=dict)
    """By page (`src_uri`), as of the last build that succeeded."""
    setup: object = None
    """The inputs every page depends on, as of the last build."""
    converted: dict[str, _Converted] = field(default_factory=dict)
    """Under `mkdocs serve`: each page as last converted, by page (see `convert`)."""
    reused: int = 0
    """How many pages this build took from `converted`."""
    pending: dict[str, object] = field(default_factory=dict)
    """The inputs of this build's pages, kept once the build succeeds."""
    rendered: dict[str, _Rendered] = field(default_factory=dict)
    """The pages this build rendered, and what they showed."""
    exported: frozenset[str] = frozenset()
    """The exports the last build wrote (relative to the site folder)."""

    def plan(self, files: Files, state: EditionState, config: MkDocsConfig, *, dirty: bool) -> None:
        """Work out each page's inputs; with `dirty`, tell MkDocs to render again every page
        whose inputs changed since the last build."""
        loaded, corpus = state.loaded, state.corpus
        config_text = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
        # The glossary's forms only: a document's page shows the entries of the terms in its text
        setup = (config_text, state.options, matcher_inputs(corpus.glossary), corpus.invalid_note_ids,
                 corpus.invalid_term_ids,
                 loaded.entities, loaded.invalid_documents, state.site.site_pages,
                 {note.id: note.document for note in corpus.annotations},
                 {name: t.declaration for name, t in loaded.transcripts.items()})
        if setup == self.setup:  # the same object then: each page's inputs compare at once
            setup = self.setup
        self.setup = setup
        by_page = {t.declaration.page: name for name, t in loaded.transcripts.items()}
        texts = tuple(loaded.transcripts.items())
        read: dict[str, object] = {}  # each of `VIEW_INPUTS`, made once for every view that reads it
        self.pending, self.rendered, self.reused = {}, {}, 0
        for file in files.documentation_pages():
            document = by_page.get(file.src_uri)
            if document is not None:  # a document's page: its notes, its text, the entries of its terms
                record = state.documents.get(document)
                inputs: object = (setup, corpus.by_document.get(document, ()), loaded.transcripts[document],
                                  linked_entries(record, corpus.terms) if record is not None else corpus.glossary)
            else:  # any other page may show a view of every text (the glossary's ¶, the speakers' turns),
                # and what its views read of the notes and the glossary (`page_reads`), or anything
                reads = page_reads(file.content_string)
                for name in reads or ():
                    if name not in read:
                        read[name] = VIEW_INPUTS[name](state)
                inputs = (setup, corpus.annotations, texts, corpus.glossary) if reads is None else (
                    setup, texts, *((name, read[name]) for name in sorted(reads)))
            self.pending[file.src_uri] = inputs
            before = self.built.get(file.src_uri)
            if dirty and (before is None or before.inputs != inputs):
                file.is_modified = _modified  # type: ignore[method-assign]

    def convert(self, page: Page, config: MkDocsConfig, files: Files, state: EditionState) -> None:
        """`Page.render` under `mkdocs serve`: a page whose Markdown and inputs are those of its
        last conversion in this process gets that conversion's results again, unconverted.

        An edit to one annotation file changes one page: the others are as they were. Their
        content, table of contents, title and anchors (MkDocs') and search sections, title,
        documents shown and problems (the edition's) are kept; anything else converts.

        Device `pages` (`EDITION_OFF=pages`): at N = 200, one note edited under `serve`, the
        edition's page work 0.20–0.25 s instead of 0.92–2.15 s, and the page shown after
        4.8–7.2 s instead of 7.4–15.7 s (interleaved serve sessions on the loaded shared
        machine of benchmarks/README.md; the final run's sessions, not interleaved, disagree:
        10.2 s against 7.5 s, with a spread of 4× within each).
        """
        src_uri = page.file.src_uri
        inputs = self.pending.get(src_uri)
        key = (inputs, page.markdown)
        kept = self.converted.get(src_uri)
        if kept is not None and inputs is not None and kept.key == key:
            page.content, page.toc, page.present_anchor_ids = kept.content, kept.toc, set(kept.anchors)
            page._title_from_render = kept.title_from_render
            if kept.links is not None:
                page.links_to_anchors = {file: dict(links) for uri, links in kept.links.items()
                                         if (file := files.get_file_from_path(uri)) is not None}
            site = state.site
            if kept.sections is not None:
                site.search_sections[src_uri] = kept.sections
            if kept.title is not None:
                site.page_titles[src_uri] = kept.title
            site.shown |= kept.shown
            state.problems.extend(kept.problems)
            self.reused += 1
            return
        problems, shown = len(state.problems), frozenset(state.site.shown)
        _RENDER(page, config, files)
        if inputs is None or page.content is None:
            return
        links = page.links_to_anchors
        self.converted[src_uri] = _Converted(
            key, page.content, page.toc, frozenset(page.present_anchor_ids or ()),
            page._title_from_render,
            None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()},
            state.site.search_sections.get(src_uri), state.site.page_titles.get(src_uri),
            frozenset(state.site.shown - shown), tuple(state.problems[problems:]))

    def left_out(self, files: Files, state: EditionState) -> None:
        """Every page is rendered: a page MkDocs left out shows what it showed last time."""
        for file in files.documentation_pages():
            before = self.built.get(file.src_uri)
            if file.src_uri in self.rendered or before is None or file.page is None:
                continue
            state.site.shown |= before.shown
            if before.title is not None:
                state.site.page_titles[file.src_uri] = before.title
            # MkDocs read no Markdown of the page, so it knows no title for it (it would name it
            # "None" in the navigation): the title it had, as `on_page_content` found it
            if before.page_title is not None and "title" not in vars(file.page):
                file.page.title = before.page_title

    def keep(self) -> None:
        """The build succeeded: what it rendered is the last build's."""
        for page, inputs in self.pending.items():
            rendered = self.rendered.get(page)
            if rendered is not None:
                self.built[page] = _Rendered(inputs, rendered.title, rendered.shown, rendered.page_title)
        for page in set(self.built) - set(self.pending):
            del self.built[page]


def _modified() -> bool:
    return True


_RENDER = getattr(Page.render, "__wrapped__", Page.render)
"""MkDocs' own `Page.render` (under `mkdocs serve`, `_render` takes its place)."""


def _render(page: Page, config: MkDocsConfig, files: Files) -> None:
    """`Page.render` under `mkdocs serve`: a page unchanged since its last conversion is not
    converted again (`_Pages.convert`)."""
    state = _session.state
    if state is None or not _serving() or not _on("pages"):
        _RENDER(page, config, files)
    else:
        _session.pages.convert(page, config, files, state)


_render.__wrapped__ = _RENDER  # type: ignore[attr-defined]


@dataclass
class _Session:
    """Everything the hooks keep, in one object: made at import, it lives as long as the
    process, across the rebuilds of `mkdocs serve` (each build's state is replaced in
    `on_config`)."""

    state: EditionState | None = None
    """The current build's state (data, records, problems)."""
    writer: FileWriter | None = None
    """Writes the exports of the current build (a process forked by `on_files`, which works
    between `on_env` and `on_post_build`; under `--dirty`, forked by `on_env`)."""
    last_good: LoadedData | None = None
    """The data of the last build without errors (`mkdocs serve` shows it while an edit is wrong)."""
    kept: RenderCache | None = None
    """The Markdown conversions of the last build, for the next one in this process (`mkdocs serve`):
    a conversion depends on its text alone, so a rebuild converts only what an edit changed."""
    loads: LoadCache | None = None
    """The data files as the last build loaded them, for the next one (`mkdocs serve` only; a
    single build would read every file twice for nothing): a rebuild reads again only the files
    an edit changed. Made by the first build that serves."""
    checks: DocumentChecks = field(default_factory=DocumentChecks)
    """What the check before each `mkdocs serve` rebuild found on each page, and from what inputs:
    it renders again only the pages whose inputs an edit changed."""
    command: str = ""
    """The MkDocs command of this process (`build`, `serve`, …), set once in `on_startup`."""
    dirty: bool = False
    """Whether the command is `--dirty`."""
    atomic: dict[str, Any] = field(default_factory=dict)
    """The build's `AtomicSite` (`site`) and the site folder as configured (`site_dir`), between
    `on_config` and the end of the build."""
    writing: FileWriter | None = None
    """Under `mkdocs serve`, the last build's exports, still being written by a thread: the page
    is served first, and the next build (or the end of `serve`) waits for them."""
    checked: list[Problem] | None = None
    """Under `mkdocs serve`, between the check before a rebuild and `on_env`: what the check
    found, when it found no error. The rebuild has the same data, so `on_env` reports these
    instead of checking every body and the whole site again (0.1 s of a 1.1 s rebuild at N = 200)."""
    shown_problems: list[str] = field(default_factory=list)
    """Under `mkdocs serve`, the errors of the last edit, one a line as the terminal shows them,
    which every page of the build (the last good content) shows in a notice; empty once fixed."""
    last_site: LastGood | None = None
    """Under `mkdocs serve`, during a rebuild: the site folder as the last good build left it,
    set aside before MkDocs empties the folder, and put back if the rebuild fails (`_rebuild`)."""
    linked: int = 0
    """Under `mkdocs serve`, how many static files this rebuild linked from the last good site (`_link_static`)."""
    pages: _Pages = field(default_factory=_Pages)
    """Under `--dirty`: what each page was rendered from and showed, so that a rebuild renders the
    pages an edit changed and keeps what the others showed."""
    records: RecordCache = field(default_factory=RecordCache)
    """Under `mkdocs serve`: each document's record, computed again only when its inputs change."""
    parts: ViewParts = field(default_factory=ViewParts)
    """Under `mkdocs serve`: each document's list in the list of notes as its last conversion made it."""
    exports: DocumentExports = field(default_factory=DocumentExports)
    """Under `mkdocs serve`: what the exports made of each document, made again when it changes."""
    outputs: PageOutputs = field(default_factory=PageOutputs)
    """Under `mkdocs serve`: each page's last template output, written back while unchanged."""
    bytecode: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)
    """Under `mkdocs serve`: the theme's templates as the last build compiled them."""
    clock: dict[str, float] = field(default_factory=lambda: {"load": 0.0, "pages": 0.0, "checks": 0.0})
    """The edition's own time in this build (`EDITION_TIMINGS=1`)."""

    def load_cache(self) -> LoadCache:
        """The cache of loaded data files, made on first use."""
        if self.loads is None:
            self.loads = LoadCache()
        return self.loads


_session = _Session()

_ABSENT = object()
"""A `meta` key the page did not have before the hooks lent it one."""

_TIMINGS = bool(os.environ.get("EDITION_TIMINGS"))

_OFF = frozenset(os.environ.get("EDITION_OFF", "").split(","))
"""Devices switched off (`EDITION_OFF=search,gc,bodies,exports,pages,templates,watch,links,parts`), so
that the benchmark can measure what each buys (`benchmarks/bench.py --devices`; each device's comment gives its
gain, measured at N = 200, see benchmarks/README.md). Loading split across two processes
bought nothing (0.96× CPU, 0.97× wall) and was removed."""


def _on(device: str) -> bool:
    return device not in _OFF
"""`EDITION_TIMINGS=1` logs, at INFO, the time the edition itself takes in a build (for benchmarks)."""


def _timed_run(run: Any) -> Any:
    def timed(self: Any, root: Any) -> None:
        start = time.perf_counter()
        try:
            run(self, root)
        finally:
            _session.clock["pages"] += time.perf_counter() - start
    timed.__wrapped__ = run  # type: ignore[attr-defined]
    return timed


_MISSING = "edition: the build state is missing; is `hooks/edition_site.py` listed under `hooks:`?"


def _serving() -> bool:
    """Whether this process serves the site (`mkdocs serve`), rebuilding it after each edit."""
    return _session.command == "serve"


def _current() -> EditionState:
    if _session.state is None:
        raise PluginError(_MISSING)
    return _session.state


def _current_writer() -> FileWriter:
    if _session.writer is None:
        raise PluginError(_MISSING)
    return _session.writer


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load the data once and give the extension its state."""
    start = time.perf_counter()
    _await_exports()  # before MkDocs empties the site folder
    gc.unfreeze()  # a build that failed before `on_post_build` may have left objects frozen
    if _session.writer is not None:
        _session.writer.stop()  # nothing is left to wait for after a failed build
    _session.writer = FileWriter()
    if _TIMINGS:  # `mkdocs serve` may load this module again: time into this module's clock
        for processor in (DocumentTreeprocessor, ViewTreeprocessor):
            run = processor.run
            processor.run = _timed_run(getattr(run, "__wrapped__", run))  # type: ignore[method-assign]
    extensions = config.markdown_extensions
    if "edition" not in extensions:
        raise PluginError("mkdocs.yml: `edition` is missing under `markdown_extensions:` — add it with "
                          "its `annotations:` and `glossary:` folders (see README)")
    options = config.mdx_configs.pop("edition", {})
    options.setdefault("base_dir", str(Path(config.config_file_path or ".").parent))  # data paths are relative to it
    config_file = Path(config.config_file_path) if config.config_file_path else None
    wrong = option_problems(options, EditionExtension().config, config_file)
    if wrong:
        raise PluginError(f"{len(wrong)} error(s) in the edition's configuration:\n{format_problems(wrong)}")
    extension = EditionExtension(**options)
    with _paused_collector():
        state = _session.state = EditionState(extension.options(), defer_errors=True, bodies_later=True,
                                              render_cache=_session.kept,
                                              load_cache=_session.load_cache() if _serving() else None,
                                              record_cache=_session.records if _serving() else None,
                                              view_parts=_session.parts if _serving() and _on("parts") else None)
    _session.kept = None
    extensions[extensions.index("edition")] = EditionExtension(state=state, **options)  # type: ignore[call-overload]
    if config_file is not None:  # what every page prints from mkdocs.yml: reported with the data's problems
        text = config_file.read_text(encoding="utf-8-sig")
        wrong = list(config_problems(config, config_file.name, text))
        state.problems.extend(wrong)
        state.problems.extend(citation_problems(config, [t.declaration for t in state.loaded.transcripts.values()],
                                                config_file, text))
        if wrong and _serving():  # reported by the check before the rebuild, which keeps serving: escaped
            neutralise_config(config)
    data = state.options
    # The documents' texts are watched too, except those in the docs folder, which MkDocs watches
    # already: each watched path is polled by a thread of its own, and 200 of them slowed every
    # rebuild of a 200-page edition under `mkdocs serve`.
    docs = Path(config.docs_dir).resolve()
    sources = [path for t in state.loaded.transcripts.values()
               if not (path := Path(t.declaration.source_file)).resolve().is_relative_to(docs)]
    for folder in (data.documents, data.annotations, data.glossary, data.entities, *sources):
        if folder is not None and str(folder) not in config.watch:
            config.watch.append(str(folder))
    if not _serving():
        _write_aside(config)
    _session.clock.update(load=time.perf_counter() - start, pages=0.0, checks=0.0)
    return config


def _write_aside(config: MkDocsConfig) -> None:
    """Make this build write beside the site folder; `on_post_build` swaps it in when complete.

    A killed or failed build then leaves the last good site as it was (`edition.atomic`).
    """
    _finish_aside(keep=False)  # a build of this process that ended without `on_post_build`
    site = AtomicSite(Path(config.site_dir), dirty=_session.dirty)
    _session.atomic.update(site=site, site_dir=config.site_dir)
    config.site_dir = str(site.start())


def _finish_aside(*, keep: bool, config: MkDocsConfig | None = None) -> None:
    """Swap the build's folder in (`keep`) or remove it, and give MkDocs back its site folder
    (`mkdocs gh-deploy` publishes it after the build)."""
    site: AtomicSite | None = _session.atomic.pop("site", None)
    site_dir = _session.atomic.pop("site_dir", None)
    # Under `--strict`, MkDocs counts warnings with a handler of its logger, and aborts the build
    # after `on_post_build` if there were any: such a build is not swapped in either.
    keep = keep and not any(isinstance(handler, CountHandler) and handler.get_counts()
                            for handler in logging.getLogger("mkdocs").handlers)
    if site is None:
        return
    if config is not None and site_dir is not None:
        config.site_dir = site_dir
    if keep:
        site.finish()
    else:
        site.abandon()


@contextmanager
def _paused_collector() -> Iterator[None]:
    """Load with CPython's cyclic garbage collector paused, then freeze what was loaded.

    A build keeps the corpus and every rendered page alive until the end (at 200 pages,
    250,000 objects the collector tracks). Each full collection scanned all of them again,
    and more of them ran the more there was: at 800 pages the collector took 5.5 s, and the
    build grew faster than the number of pages. Frozen objects are skipped (`gc.freeze`), so
    the data is frozen once loaded, and each page's survivors once the page is rendered
    (`on_page_content`); `on_post_build` hands everything back (so does the next
    `on_config`, after a build that failed). At 800 pages: 0.6 s in the collector, 2 % more
    peak memory (garbage frozen before it was collected).
    """
    # Device `gc`: at N = 200, without it, 1.23× the CPU time in one process (1.19× with every
    # process, 1.30× the wall time; session 9, idle machine); issue 21 measured 1.16×;
    # session 11 1.18× (1.17×, wall 1.24×; load average about 1).
    if not _on("gc"):
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this process serves the site (it then checks before each rebuild).

    MkDocs' server sends `.txt` and `.csv` files without a charset, and browsers then read the
    transcript's and the glossary's Cyrillic as Windows-1252: under `mkdocs serve` they are
    sent as UTF-8 (a web host does that already).
    """
    _session.command, _session.dirty = command, dirty
    if command == "serve":
        Page.render = _render  # type: ignore[method-assign,assignment]
        for suffix, kind in ((".txt", "text/plain"), (".csv", "text/csv")):
            mimetypes.add_type(f"{kind}; charset=utf-8", suffix)


def on_shutdown() -> None:
    """MkDocs is done and the process ends: wait for the exports still being written, if any,
    then freeze what is left, so that Python's last collections, on the way out, do not walk
    it all again (0.4 s at 200 pages)."""
    _await_exports()
    if _on("gc"):
        gc.freeze()


def _await_exports() -> None:
    """Under `mkdocs serve`, wait for the last build's exports and report their failure.

    The server keeps serving whatever happens here (a failed rebuild would stop it), so a
    failure is an error in the terminal, not an exception.
    """
    writer, _session.writing = _session.writing, None
    if writer is None:
        return
    try:
        writer.wait()
    except RuntimeError as error:
        log.error("edition: writing the exports of the last build failed: %s", error)


def on_pre_build(config: MkDocsConfig) -> None:
    """Under `mkdocs serve`, check everything before MkDocs empties the site folder.

    MkDocs' server stops answering after a failed rebuild, so a bad edit must not fail it:
    the problems are shown in the terminal, and this build uses the data of the last good
    build instead, so the site keeps showing that. (`mkdocs build` fails in `on_env` with
    every problem, and the deploy workflow publishes only a complete build.)
    """
    state = _current()
    _session.checked = None
    if not _serving() or not config.config_file_path:
        return
    problems = check(Path(config.config_file_path), state.render_cache, checks=_session.checks, loaded=state.loaded,
                     edition=state.edition)
    errors = [p for p in problems if p.is_error]
    _session.shown_problems = format_problems(errors).splitlines()
    _session.checked = None if errors else problems
    if errors:
        if _session.last_good is None:
            raise PluginError(f"{len(errors)} error(s) in the edition's data:\n{format_problems(errors)}")
        log.error("%d error(s) in the edition's data; still showing the last good build until they are fixed:\n%s",
                  len(errors), format_problems(errors))
        state.use(_session.last_good)
    if _session.last_site is not None and not _session.dirty:  # MkDocs empties the site folder next
        _session.last_site.set_aside()


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]) -> LiveReloadServer:
    """Under `mkdocs serve`, every rebuild after the first runs through `_rebuild`."""
    del builder
    if not _serving():
        return server
    # Device `watch`: the system's change notifications beside MkDocs' polling (`edition.watching`).
    # MkDocs watches the docs folder and mkdocs.yml before this event, and the `watch` paths
    # (the edition's data folders among them) after it: those two are watched again here.
    if _on("watch"):
        watched = [config.docs_dir, *([config.config_file_path] if config.config_file_path else [])]
        for path in watched:
            server.unwatch(path)
        server.observer = EitherObserver(server.observer)  # type: ignore[assignment]
        for path in watched:
            server.watch(path)
    build, site = server.builder, Path(server.root)
    server.builder = lambda: _rebuild(build, site)
    return server


def _rebuild(build: Callable[[], None], site: Path) -> None:
    """One rebuild under `mkdocs serve`, which never fails.

    MkDocs' server answers no request after a rebuild that failed, until one succeeds, and does
    not reload the browsers, which keep the old page without a sign. So a failure ends here:
    the site folder becomes the last good build again (`on_pre_build` set it aside before
    MkDocs emptied it; with `--dirty` it was not emptied), every page of it shows a notice
    with what the rebuild logged, as the terminal shows it, and the server reloads the
    browsers. The traceback is logged at DEBUG (`mkdocs serve -v`). The next good build's
    pages have no notice.
    """
    logged, terminal = Logged(), logging.getLogger("mkdocs")
    last = _session.last_site = LastGood(site)
    terminal.addHandler(logged)
    try:
        build()
    except Exception as error:  # whatever failed the rebuild is shown on the pages
        terminal.removeHandler(logged)
        said, unsaid = logged.failure(error)
        last.put_back()
        show_on_every_page(site, notice(said + unsaid, "The site could not be rebuilt"))
        log.debug("The rebuild failed", exc_info=True)
        log.error("The rebuild failed; every page shows the last good build with its errors until they are "
                  "fixed%s", "".join([":", *(f"\n{line}" for line in unsaid)]) if unsaid else "")
    else:
        last.discard()
    finally:
        terminal.removeHandler(logged)
        _session.last_site = None


def _registered_exports(state: EditionState) -> list[str]:
    """The exports pages may link to: registered with MkDocs in `on_files`, removed in `on_env`."""
    return [*EXPORTS.values(), *(path for document in state.documents for path in document_exports(document))]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages last, so that they are rendered after the documents."""
    state = _current()
    names = {"glossary": state.options.glossary_page, "notes": state.options.notes_page,
             "index": state.options.index_page, "speakers": state.options.speakers_page}
    generated = [File.generated(config, names[view], content=content)
                 for view, content in VIEW_PAGES.items() if files.get_file_from_path(names[view]) is None]
    # Registered now so that pages may link to them; the edition writes them (see `on_env`).
    exports = [File.generated(config, path, content="") for path in _registered_exports(state)]
    site = Files([*files, *exports, *generated])
    state.site.site_pages = site_files(site)
    if _session.dirty or (_serving() and _on("pages")):
        _session.pages.plan(site, state, config, dirty=_session.dirty)
    # Device `parts`: under `mkdocs serve`, a document's list in the list of notes made from
    # the same record as at the last conversion is not made again (`edition.view_parts`).
    # MkDocs resolves its links from mkdocs.yml and the site's files: when either changes,
    # every list is made. At N = 200, one note edited: shown after 0.91 s, against 1.19 s
    # with `EDITION_OFF=parts` (three interleaved pairs of serve sessions, 5 edits each,
    # medians of 15; session 15); converting the list of notes 0.044 s instead of 0.28 s.
    if state.view_parts is not None:
        config_text = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
        state.view_parts.for_site((config_text, state.site.site_pages))
    # Device `bodies`: the helper converts the note bodies while MkDocs renders the pages. It
    # buys wall time only where a core is free: at N = 200, 1.45× the wall time without it, for
    # 0.98× the CPU time in one process (session 11, load average about 1; session 9: 1.34×;
    # issue 21 measured 1.37×); on a machine loaded by other work (load average above 3 on 2
    # cores), 0.83×, a loss.
    # Devices `bodies` and `exports` (see `on_env`) share one process, forked here, before the
    # pages are converted: it asks git for the notes' dates, converts the bodies (and keeps
    # them), makes the word forms, then waits for `on_env` and makes the exports, one file at
    # a time. It starts with what was loaded, not with all that MkDocs' process holds by
    # `on_env`, and it is one copy of that, not two. At N = 200 the tree's peak fell from
    # 404 MiB (exports forked at `on_env`) to 348 MiB (forked here, bodies in a process of
    # their own), then to 336 MiB (one process), and to 302 MiB with the exports written as
    # they are made; session 11, the wall time unchanged.
    parts, jobs = state.body_jobs(_document_order(site)) if _on("bodies") else ([], [])
    produce = (partial(_released_exports, state, config)
               if not _serving() and not _session.dirty and _on("exports") else None)
    first = [partial(read_git_dates, state)] if produce else []  # git first, while that process is small
    results = (_current_writer().fork_waiting(Path(config.site_dir), produce, [*first, *jobs])
               if jobs or produce else None)
    if results is not None:  # else (no fork: under `mkdocs serve`, say) each page converts its notes' bodies
        state.bodies_from(parts, results[len(first):])
    return site


def _released_exports(state: EditionState, config: MkDocsConfig, conversions: Mapping[str, Any]
                      ) -> Iterator[tuple[str, Any]]:
    """The exports, made in the process forked by `on_files` once `on_env` gives it the
    conversions it lacks (`EditionState.conversions_for_exports`); one file at a time, each
    written before the next is made."""
    state.render_cache.adopt(conversions)
    return export_files(state, config)


def _document_order(files: Files) -> list[str]:
    """The documents in the order MkDocs will render their pages (its order of the files).

    Read off the top of each page's Markdown: only a hint of which notes the pages need
    first (see `EditionState.body_jobs`).
    """
    order: list[str] = []
    for file in files.documentation_pages():
        if file.generated_by is None and file.abs_src_path:
            with Path(file.abs_src_path).open(encoding="utf-8", errors="replace") as source:
                document = declared_document(source.read(8192))
            if document:
                order.append(document)
    return order


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Tell the extension which page it is about to render, and check the page's front matter
    (`edition.metadata`; under `mkdocs serve`, reported by the check and served escaped)."""
    del config, files
    state = _current()
    state.site.current_page = page.file.src_uri
    if _session.dirty:  # what the page shows, and its title, are taken in `on_page_content`
        _session.pages.rendered[page.file.src_uri] = _Rendered(None, shown=frozenset(state.site.shown))
    if page.meta and page.file.abs_src_path:  # front matter is plain text (`edition.metadata`)
        source = Path(page.file.abs_src_path)
        wrong = list(front_matter_problems(page.meta, display_path(source, state.options.root),
                                           source.read_text(encoding="utf-8-sig")))
        if wrong and _serving():  # the check before this rebuild reported them, and it keeps serving: escaped
            neutralise_meta(page.meta)
            if isinstance(page.meta.get("title"), str):
                page.title = page.meta["title"]
        else:
            state.problems.extend(wrong)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Give a document its title, then freeze what the page leaves alive.

    MkDocs takes a page's title from an `<h1>` at the top of the page; a document's sits in
    its wrapper, so MkDocs would fall back to the file name ("Doc 5"). A title from the nav
    or the front matter still wins. Freezing: see `_paused_collector`.
    """
    del config, files
    state = _current()
    title = state.site.page_titles.get(page.file.src_uri)
    if title and "title" not in vars(page) and "title" not in page.meta:
        page.title = title
    if _session.dirty:
        rendered = _session.pages.rendered
        before = rendered.get(page.file.src_uri, _Rendered(None)).shown
        rendered[page.file.src_uri] = _Rendered(None, title, frozenset(state.site.shown - before), page.title)
    if _on("gc"):
        # All generations: the collector runs during a long conversion (a view's), so part of
        # the page's garbage is already in the oldest generation, and `collect(1)` would freeze
        # it for the rest of the build (22 MiB of the four views' trees at N = 200). What is
        # older than this page is frozen already, so this scans the page's objects only.
        gc.collect()
        gc.freeze()
    return html


@event_priority(50)  # before Material's search plugin (priority 0), which would parse the page again
def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Lend the page what its template and the search plugin need, just while it is built.

    - `edition_alternates`: the page's `<link rel="alternate">` exports (`overrides/main.html`);
    - `edition_document`: a document's citation metadata, from its declaration (`edition.citation`);
    - the search sections the edition read off the page's tree go to Material's search, and
      `search.exclude` keeps the plugin from parsing the page again (most of a build, before).

    Both are taken back in `on_post_page`: Material's navigation looks deeper into every
    page whose `meta` is not empty, on every page it renders, which cost 3 s at 800 pages.
    """
    del nav
    state = _current()
    src_uri = page.file.src_uri
    reused = _session.outputs.take(src_uri)
    if reused is not None:  # its template is `REUSED_TEMPLATE` (see `_reuse_outputs`); its meta as it was
        page.meta.pop("template", None)
        context[REUSED_VARIABLE] = reused
    lent: dict[str, Any] = {}
    alternates = alternates_for(page.markdown or "", src_uri, state.options)
    if alternates:
        lent["edition_alternates"] = alternates
    shown = declared_document(page.markdown or "")
    transcript = state.loaded.transcripts.get(shown) if shown else None
    if transcript is not None:  # a document's own citation metadata (`edition.citation`)
        record = state.documents.get(transcript.declaration.id)
        lent["edition_document"] = {"about": document_about(transcript.declaration, record.title if record else None),
                                    "source": document_source(transcript.declaration)}
    sections = state.site.search_sections.pop(src_uri, None)
    # Device `search`: at N = 200, without it (Material parses every page again), 1.36× the CPU
    # time in one process (1.34× with every process, 1.50× the wall time; session 9, idle
    # machine); issue 21 measured 1.38×; session 11 1.36× (wall 1.60×). It uses Material's
    # private `search_index.entries` (`edition.material`, tested against the pinned Material).
    index = search_index(config.plugins) if _on("search") else None
    search = dict(page.meta.get("search") or {})
    if sections is not None and index is not None and not search.get("exclude"):
        extra = {key: search[key] for key in ("boost",) if key in search}
        tags = page.meta.get("tags")
        if isinstance(tags, list):
            extra["tags"] = [str(tag) for tag in tags if tag and isinstance(tag, (str, int, float, bool))]
        index.entries.extend({**section.entry(page.url, str(page.title)), **extra} for section in sections)
        lent["search"] = {**search, "exclude": True}  # indexed: the plugin skips the page
    if reused is not None and lent.get("search", search).get("exclude"):
        # Its output is made and the search plugin will not index it: nothing reads its HTML
        # but the plugin's regular expression over it (about 0.1 s a rebuild at 200 pages).
        page.content = ""
    state.site.lent_meta[src_uri] = {key: page.meta.get(key, _ABSENT) for key in lent}
    page.meta.update(lent)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Take back what `on_page_context` lent the page's `meta`; under `mkdocs serve`, after a
    bad edit, show its errors on the page (see `_problems_notice`)."""
    del config
    for key, value in _current().site.lent_meta.pop(page.file.src_uri, {}).items():
        if value is _ABSENT:
            page.meta.pop(key, None)
        else:
            page.meta[key] = value
    _session.outputs.made_output(page.file.src_uri, output)
    if _serving() and _session.shown_problems:
        return _problems_notice(output, _session.shown_problems)
    return output


def _problems_notice(output: str, problems: list[str]) -> str:
    """The page with a notice at the bottom of the window listing each problem as the terminal
    does: a contributor who watches the browser sees that the edit was not taken, and why; the
    page under it is the last good build's. The next good build's pages have no notice."""
    return with_notice(output, notice(problems, f"{len(problems)} error(s) in the edition's data"))


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Every page is rendered and nothing is written yet: report all problems, then export."""
    state = _current()
    start = time.perf_counter()
    if _session.dirty:
        _session.pages.left_out(files, state)
    # Under `mkdocs serve`, the check before this rebuild found these in the same data, and
    # converted every body into this build's cache (`on_pre_build`).
    checked, _session.checked = _session.checked, None
    if checked is None:
        state.check_bodies()  # the bodies are all converted by now, or converted here
        checked = list(site_problems(state))
    problems = sorted(set(state.problems) | set(checked))
    errors = [p for p in problems if p.is_error]
    for problem in problems:
        if not problem.is_error:
            log.warning(str(problem))
    if errors:
        raise PluginError(f"{len(errors)} error(s) in the edition's data:\n{format_problems(errors)}")
    _session.last_good = state.loaded
    # The exports are written by the edition, in another process while MkDocs renders the
    # templates (see `edition.background`); those registered for the pages' links leave MkDocs' list.
    for path in _registered_exports(state):
        registered = files.get_file_from_path(path)
        if registered is not None:
            files.remove(registered)
    _link_static(files, config)
    # Under `mkdocs serve`, a thread writes them once the rebuild is over, and the page is
    # served without waiting for it (`on_post_build`; see `FileWriter.start`).
    site = Path(config.site_dir)

    def produce() -> dict[str, Any]:
        exports = export_documents(state, config, _session.exports if _serving() else None)
        if _session.dirty:  # the site folder was not emptied: remove the exports this build does not make
            for stale in _session.pages.exported - set(exports):
                (site / stale).unlink(missing_ok=True)
            _session.pages.exported = frozenset(exports)  # kept by this process only (not when forked)
        return exports

    # Device `exports`: a forked process writes them while MkDocs renders the templates. At
    # N = 200, 1.13× the wall time without it (session 11, load average about 1; session 9,
    # idle machine: 1.18×); on a loaded machine 1.04× (a free core is what it needs). In a
    # build without `--dirty` it was forked by `on_files`, while MkDocs' process was small
    # (see there), and waits for the bodies.
    writer = _current_writer()
    if writer.waiting:  # forked by `on_files`: it makes them from the bodies converted here
        writer.release(state.conversions_for_exports())
    else:
        # Under `serve`, made here even in the first build (no other thread runs yet, so it
        # could fork): what each document gave is kept for the rebuilds (`_session.exports`),
        # which would otherwise all make again at the first edit (3.0 s instead of 2.1 s at N = 200).
        writer.start(site, produce, later=_serving(), fork=None if _on("exports") and not _serving() else False)
    # Device `templates`: the theme's compiled templates are kept on disk for the next build
    # (in memory under `mkdocs serve`), and under `serve` an unchanged page's output is written
    # back. Compiling Material's templates was about 0.25–0.3 s of a 0.9 s build of the interview.
    if _on("templates"):
        env.bytecode_cache = _session.bytecode if _serving() else template_cache(env)
        if _serving() and not _session.dirty and _on("pages"):
            env = _reuse_outputs(env, config, files)
    _session.clock["checks"] = time.perf_counter() - start
    return env


def _link_static(files: Files, config: MkDocsConfig) -> None:
    """Device `links`: under `mkdocs serve` (not `--dirty`), a static file (the theme's, a
    source text) that the last good site holds as it is now is linked from there instead of
    copied (`LastGood.link_unchanged`), and leaves MkDocs' list, as the exports do.

    At N = 200, one note edited: shown after 0.87 s, against 1.03 s with `EDITION_OFF=links`
    (three interleaved pairs of serve sessions, 5 edits each, medians of 15: 0.89/0.90,
    0.84/1.05, 0.90/1.05; session 15). The 252 static files: linked in 0.009 s, copied in 0.10 s."""
    last = _session.last_site
    _session.linked = 0
    if last is None or _session.dirty or not _on("links"):
        return
    static = [file for file in files if not file.is_documentation_page()]
    templates = [*config.theme.static_templates, *config.extra_templates]
    copies = copied_once([(file.dest_uri, file.abs_src_path) for file in static],
                         [*(file.dest_uri for file in files if file.is_documentation_page()), *templates,
                          *(f"{name}.gz" for name in templates if name == "sitemap.xml")])
    linked = last.link_unchanged((source, uri) for uri, source in copies.items())
    for file in static:
        if file.dest_uri in linked:  # its path is written once: this is the only file there
            files.remove(file)
    _session.linked = len(linked)


def _reuse_outputs(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Under `mkdocs serve`: a page whose template output cannot have changed since the last
    build gets it back from `REUSED_TEMPLATE` (`edition.reuse`); `on_env` has already given
    the environment the templates the last build compiled.

    Device `templates`: at N = 200, one note edited, Material's templates rendered 200
    pages again (about 1 s on the idle machine); now one, and the generated views. Session 9's
    runs: a note edit showed after 3.7 s with this and the record cache, 3.0 s with the export
    cache too, 5.5 s with the page cache (and so this) off.
    """
    pages = [file for file in files.documentation_pages() if file.page is not None]
    navigation = navigation_signature((file.src_uri, file.page.title, file.page.meta)  # type: ignore[union-attr]
                                      for file in pages)
    theme = theme_signature(config.theme.custom_dir)
    inputs = _session.pages.pending
    keys = {file.src_uri: (inputs[file.src_uri], file.page.markdown, navigation, theme)  # type: ignore[union-attr]
            for file in pages if file.src_uri in inputs and "template" not in file.page.meta}  # type: ignore[union-attr]
    reused = _session.outputs.plan(keys)
    for file in pages:
        if file.src_uri in reused:
            file.page.meta["template"] = REUSED_TEMPLATE  # type: ignore[union-attr]  # taken back in `on_page_context`
    if env.loader is not None and not isinstance(env.loader, WithReusedOutput):
        env.loader = WithReusedOutput(env.loader)
    return env


@event_priority(-100)  # last: the site is swapped in only once every plugin has written its part
def on_post_build(config: MkDocsConfig) -> None:
    """Wait for the exports (not under `mkdocs serve`), swap the complete site in (see
    `_write_aside`), give the objects frozen during the build back to the collector, and keep
    the build's Markdown conversions for the next build in this process."""
    start = time.perf_counter()
    state = _current()
    try:
        if _serving():  # written from now on; the next build, or the end of `serve`, waits (`_await_exports`)
            _session.writing, exports = _current_writer(), 0.0
            _session.writing.write_later()
        else:
            exports = _current_writer().wait()
    except RuntimeError as error:
        raise PluginError(f"edition: writing the exports failed: {error}") from None
    finally:
        gc.unfreeze()
    if _TIMINGS:
        waited = time.perf_counter() - start
        clock = _session.clock
        total = clock["load"] + clock["pages"] + clock["checks"] + waited
        log.info("edition timings: load %.3f s, pages %.3f s, checks %.3f s, waiting for the exports %.3f s "
                 "(made in another process in %.3f s), total %.3f s; %d texts converted in another process; "
                 "%d pages as converted by the last build, %d as its templates wrote them; %d static files "
                 "linked from the last good site; %d lists of views as made before", clock["load"],
                 clock["pages"], clock["checks"], waited, exports, total, state.render_cache.converted_elsewhere,
                 _session.pages.reused, _session.outputs.reused, _session.linked,
                 state.view_parts.reused if state.view_parts is not None else 0)
    state.render_cache.keep_only(text for text, _ in state.corpus.markdown_fields)
    _session.kept = state.render_cache
    _session.outputs.keep()
    if _session.dirty:
        _session.pages.keep()
    _finish_aside(keep=True, config=config)  # last, and outside the timings: it removes the previous site


def on_build_error(error: Exception) -> None:
    """A failed build: stop the processes of the bodies and of the exports, if they run, and
    remove what it wrote beside the site folder (the site is left as it was)."""
    del error
    _finish_aside(keep=False)
    if _session.writer is not None:
        _session.writer.stop()
    if _session.state is not None:
        _session.state.render_cache.stop()
