"""Check an edition without building its site: render every document as the build does.

`edition check` and `edition new` use it, and so do the MkDocs hooks under `mkdocs serve`,
which check the data before each rebuild (see `hooks/edition_site.py`). It reads
`mkdocs.yml`, loads the data exactly as the build does (same `EditionState`, same JSON
Schemas) and renders each page with the same Markdown extensions, so the check and the
build cannot disagree (a document's page only up to what can find a problem: its terms
linked, notes highlighted and endnotes find none, see `SiteContext.check_only`).

Under `mkdocs serve` a `DocumentChecks` remembers what rendering each page found; a rebuild
renders again only the pages whose inputs changed (see `DocumentChecks`). Elsewhere, from
`PARALLEL_PAGES` pages on, a forked process renders half of them (`_render_all`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import markdown

from edition.adding import Layout
from edition.background import FileWriter
from edition.citation import CITATION_FILE, citation_problems, citation_text
from edition.configuration import config_error_problem, option_problems
from edition.exports import EXPORTS
from edition.extension import EditionExtension
from edition.metadata import config_problems, front_matter_problems
from edition.pages import site_problems
from edition.problems import EditionError, display_path
from edition.state import EditionState
from edition.terms import matcher_inputs
from edition.transcript import load_documents

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from markdown.extensions import Extension
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

    from edition.model import Annotation, Corpus, Place
    from edition.problems import Problem
    from edition.records import Edition
    from edition.render import RenderCache
    from edition.state import LoadedData


@dataclass(frozen=True)
class _Inputs:
    """Everything rendering one page for the check depends on."""

    setup: object
    """The configuration file's text and the glossary (every page depends on them)."""
    source: str
    """The page's Markdown."""
    notes: tuple[tuple[Annotation, tuple[tuple[str, Place], ...]], ...]
    """The notes of the page's document, with where each field is (for the problems' lines)."""
    transcript: object = None
    """The page's document as declared and read from its source text, if it is one."""


@dataclass(frozen=True)
class _Checked:
    """What rendering one page found."""

    inputs: _Inputs
    document: str | None
    problems: tuple[Problem, ...]
    title: str | None
    shown: frozenset[str] = frozenset()
    """The declared documents the page showed (`::: edition-document`)."""
    page: str = ""
    """The page's path from the docs folder."""


def _notes(corpus: Corpus, document: str | None) -> tuple[tuple[Annotation, tuple[tuple[str, Place], ...]], ...]:
    notes = corpus.by_document.get(document, ()) if document is not None else ()
    return tuple((note, tuple(note.field_places.items())) for note in notes)


class DocumentChecks:
    """What rendering each page found at the last check, and from what (kept by `mkdocs serve`).

    Rendering a document page for the check finds the problems of anchoring its notes and
    records what the site-wide checks need (its text, anchors, glossary terms used). That
    depends on the page's Markdown, the notes of its document (their values and the lines
    of their fields), the glossary (a document's page, its forms only) and the configuration:
    nothing else. A page whose inputs are all equal to those of the last check gives the
    same record and problems without being rendered again; any difference renders it again.
    At 200 pages, a rebuild after one annotation file is edited checks in a fraction of the
    time (benchmarks/README.md).
    """

    def __init__(self) -> None:
        self._pages: dict[str, _Checked] = {}

    def get(self, page: str, setup: object, source: str, corpus: Corpus,
            transcripts: Mapping[str, object]) -> _Checked | None:
        """What the last check found on `page`, if none of its inputs changed since."""
        checked = self._pages.get(page)
        if checked is None:
            return None
        inputs = checked.inputs
        if inputs.source != source or inputs.setup != setup or inputs.notes != _notes(corpus, checked.document):
            return None
        if checked.document is not None and inputs.transcript != transcripts.get(checked.document):
            return None
        return checked

    def put(self, page: str, checked: _Checked) -> None:
        """Remember what checking `page` found."""
        self._pages[page] = checked

    def keep_only(self, pages: set[str]) -> None:
        """Forget pages that are gone."""
        for page in set(self._pages) - pages:
            del self._pages[page]


def render_documents(config_file: Path, render_cache: RenderCache | None = None, *,
                     checks: DocumentChecks | None = None, loaded: LoadedData | None = None,
                     edition: Edition | None = None) -> EditionState:
    """Load the data and render every document page, as a build would, without writing a site.

    A `render_cache` from a build of this process spares converting the texts it holds;
    `loaded` is the data as this process has just read it (else it is read here), and
    `edition` what that build computed from it (else it is computed here); with
    `checks`, pages whose inputs have not changed since the last check are not rendered again.
    """
    from mkdocs.structure.files import get_files  # noqa: PLC0415 - MkDocs is only needed by these commands
    from mkdocs.utils.meta import get_data  # noqa: PLC0415

    config = load_mkdocs_config(config_file)
    options = {"base_dir": str(config_file.parent), **config.mdx_configs.get("edition", {})}
    wrong = option_problems(options, EditionExtension().config, config_file)
    if wrong:
        raise EditionError(wrong)
    state = EditionState(EditionExtension(**options).options(), defer_errors=True, render_cache=render_cache,
                         loaded=loaded, edition=edition if loaded is not None else None)
    state.site.check_only = True
    # The files of the site as the build has them: the docs folder's, the pages the hooks
    # generate and the exports (see `hooks/edition_site.py`, `on_files`).
    generated = {state.options.glossary_page, state.options.notes_page, state.options.index_page,
                 state.options.speakers_page}
    state.site.site_pages = site_files(get_files(config)) | generated | set(EXPORTS.values())
    extensions: list[str | Extension] = [EditionExtension(state=state, **options) if name == "edition" else name
                                         for name in config.markdown_extensions]
    configs = {name: value for name, value in config.mdx_configs.items() if name != "edition"}

    def convert(source: str) -> str:
        return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(source)

    config_text = config_file.read_text(encoding="utf-8-sig")
    # A document's page shows where the glossary's forms occur, and what it finds does not
    # depend on a translation or a definition; any other page may show the whole glossary.
    document_setup = (config_text, matcher_inputs(state.corpus.glossary))
    page_setup = (config_text, state.corpus.glossary)
    docs = Path(config.docs_dir)
    pages: set[str] = set()
    # A declared document's record is made before any page (`edition.records`); its page is
    # known from its declaration.
    by_page = {transcript.declaration.page: name for name, transcript in state.loaded.transcripts.items()}
    state.problems.extend(config_problems(config, config_file.name, config_text))
    state.problems.extend(citation_problems(config, [t.declaration for t in state.loaded.transcripts.values()],
                                            config_file, config_text))
    found: list[_Checked] = []
    todo: list[_Page] = []
    for path in sorted(docs.rglob("*.md")):
        text = path.read_text(encoding="utf-8-sig")
        source, meta = get_data(text)
        state.problems.extend(front_matter_problems(meta, display_path(path, state.options.root), text))
        # A page shows a declared document (`::: edition-document`) or opts in with a `data-`
        # attribute (a misspelt one is reported); others are left alone.
        if "data-" not in source and "::: edition" not in source:
            continue
        page = path.relative_to(docs).as_posix()
        pages.add(page)
        setup = document_setup if page in by_page else page_setup
        checked = checks.get(page, setup, source, state.corpus, state.loaded.transcripts) if checks else None
        if checked is None:
            todo.append(_Page(page, source, setup, by_page.get(page)))
        else:
            found.append(checked)
    for item, checked in zip(todo, _render_all(state, todo, convert), strict=True):
        if checks is not None:
            checks.put(item.page, checked)
        found.append(checked)
    for checked in found:
        state.site.shown |= checked.shown
        state.problems.extend(checked.problems)
        if checked.title is not None:
            state.site.page_titles[checked.page] = checked.title
    if checks is not None:
        checks.keep_only(pages)
    return state


class _Collect(logging.Handler):
    """Keeps the errors MkDocs logs while it loads a configuration."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_mkdocs_config(config_file: Path) -> MkDocsConfig:
    """MkDocs' configuration from `config_file`; `EditionError` with one problem per thing MkDocs
    refuses in it (a YAML error, a bad setting), instead of its log lines and a traceback."""
    from mkdocs.config import load_config  # noqa: PLC0415 - MkDocs is only needed by these commands
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

    logger = logging.getLogger("mkdocs")
    level, propagate, collect = logger.level, logger.propagate, _Collect()
    logger.setLevel(logging.ERROR)  # config loading chatter is not a finding
    logger.addHandler(collect)  # and its errors are reported as problems, not logged as well
    logger.propagate = False
    try:
        return load_config(str(config_file))
    except MkDocsException as error:  # a `ConfigurationError`, or `Abort` after logging what is wrong
        raise EditionError([config_error_problem(config_file, Exception(message))
                            for message in collect.messages or [str(error)]]) from None
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)
        logger.propagate = propagate


def edition_layout(config_file: Path) -> Layout:
    """Where the edition configured by `config_file` keeps its pages and documents (for
    `edition add-document`); a configuration without a documents folder gets `documents/`."""
    config = load_mkdocs_config(config_file)
    options = EditionExtension(**{"base_dir": str(config_file.parent), **config.mdx_configs.get("edition", {})})
    folders = options.options()
    documents = folders.documents or config_file.parent / "documents"
    transcripts, _, _ = load_documents(documents, folders.root)
    return Layout(config_file, Path(config.docs_dir), documents,
                  frozenset(t.declaration.page for t in transcripts))


def write_citation(config_file: Path) -> Path:
    """Write the edition's `CITATION.cff` from its metadata (`edition.citation`); its path."""
    config = load_mkdocs_config(config_file)
    options = EditionExtension(**{"base_dir": str(config_file.parent), **config.mdx_configs.get("edition", {})})
    folders = options.options()
    transcripts, _, _ = load_documents(folders.documents or config_file.parent / "documents", folders.root)
    path = config_file.parent / CITATION_FILE
    path.write_text(citation_text(config, [t.declaration for t in transcripts]), encoding="utf-8")
    return path


def site_files(files: Iterable[File]) -> frozenset[str]:
    """The paths (from the docs folder) of those of `files` the site has: not those MkDocs
    leaves out (`exclude_docs`, drafts)."""
    from mkdocs.structure.files import InclusionLevel  # noqa: PLC0415 - see `render_documents`

    # `InclusionLevel.is_included`, which has no type hints.
    return frozenset(file.src_uri for file in files if file.inclusion.value > InclusionLevel.DRAFT.value)


@dataclass(frozen=True)
class _Page:
    """A page to render for the check: its path, its Markdown, what else it depends on, and the
    declared document it shows, if any."""

    page: str
    source: str
    setup: object
    document: str | None


PARALLEL_PAGES = 8
"""From this many pages to render, a forked process renders the second half (`_render_all`)."""


def _render_all(state: EditionState, todo: Sequence[_Page], convert: Callable[[str], str]) -> list[_Checked]:
    """Render the pages of `todo` for the check, in order: from `PARALLEL_PAGES` pages on, a
    forked process renders the second half while this one renders the first (pages do not
    depend on the order they are rendered in; what each finds is the same in any process).
    Where the process cannot fork, or fails, this one renders them all."""
    half = len(todo) // 2 if len(todo) >= PARALLEL_PAGES else len(todo)
    helper = FileWriter()  # a process of jobs, without files to write
    later = (helper.fork_waiting(Path(), None, [partial(_found_on_pages, state, todo[half:], convert)])
             if half < len(todo) else None)
    if later is None:
        half = len(todo)
    rendered = _found_on_pages(state, todo[:half], convert)
    if later is not None:
        try:
            rendered += later[0].result()
        except RuntimeError:  # that process failed: the same, here
            rendered += _found_on_pages(state, todo[half:], convert)
        helper.wait()
    return [_Checked(_Inputs(item.setup, item.source, _notes(state.corpus, item.document),
                             state.loaded.transcripts.get(item.document) if item.document is not None else None),
                     item.document, problems, title, shown, item.page)
            for item, (problems, title, shown) in zip(todo, rendered, strict=True)]


def _found_on_pages(state: EditionState, todo: Sequence[_Page], convert: Callable[[str], str]
                    ) -> list[tuple[tuple[Problem, ...], str | None, frozenset[str]]]:
    """Render each page of `todo`: the problems it adds to the state (taken out of it again),
    its title and the declared documents it shows."""
    found: list[tuple[tuple[Problem, ...], str | None, frozenset[str]]] = []
    for item in todo:
        state.site.current_page = item.page
        before, shown = len(state.problems), set(state.site.shown)
        convert(item.source)
        problems = tuple(state.problems[before:])
        del state.problems[before:]  # the caller adds them, whether found now or remembered
        found.append((problems, state.site.page_titles.get(item.page), frozenset(state.site.shown - shown)))
    return found


def check(config_file: Path, render_cache: RenderCache | None = None, *, checks: DocumentChecks | None = None,
          loaded: LoadedData | None = None, edition: Edition | None = None) -> list[Problem]:
    """Every problem in the edition configured by `config_file` (see `render_documents`)."""
    state = render_documents(config_file, render_cache, checks=checks, loaded=loaded, edition=edition)
    return sorted(set(state.problems) | set(site_problems(state)))
