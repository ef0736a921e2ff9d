"""Machine-readable exports of an edition and the pages that link to them.

| path                        | what                                                        |
|-----------------------------|-------------------------------------------------------------|
| `data/annotations.jsonld`   | W3C Web Annotation `AnnotationCollection` (pages beside it) |
| `data/annotations/*.jsonld` | its `AnnotationPage`s, listing the annotations by id        |
| `data/documents/*.jsonld`   | each document's collection, holding its annotations         |
| `data/glossary.jsonld`      | the glossary as a SKOS concept scheme                       |
| `data/glossary.csv`         | the glossary as CSV                                         |
| `data/hypothesis/*.json`    | each document's notes as a Hypothesis export file (`edition.hypothesis_format`) |
| `data/sitemap.xml`          | a sitemap of the files above                                |

The sitemap is there because Material for MkDocs fetches `sitemap.xml` beside the target
of every `<link rel="alternate">` of a page (it expects other languages of the site there):
without it, every page load asked for `data/sitemap.xml` and got a 404.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from edition.glossary_data import glossary_csv, glossary_skos
from edition.hypothesis_format import export_path as hypothesis_path
from edition.hypothesis_format import hypothesis_files
from edition.transcript_view import declared_document
from edition.w3c import document_collection

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mkdocs.config.defaults import MkDocsConfig

    from edition.model import Annotation
    from edition.reuse import DocumentExports
    from edition.state import EditionOptions, EditionState

EXPORTS = MappingProxyType({
    "annotations": "data/annotations.jsonld",
    "glossary_skos": "data/glossary.jsonld",
    "glossary_csv": "data/glossary.csv",
})
"""The edition's exports that pages link to, registered with MkDocs before rendering (with
each document's, `document_exports`)."""

JSONLD = "application/ld+json"
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
"""Where `make serve` serves the site: the URL of the exports when `site_url` is not set."""


def document_exports(document: str) -> tuple[str, ...]:
    """The paths of a document's own exports: its W3C collection and its Hypothesis file."""
    return document_collection(document), hypothesis_path(document)


def alternates_for(markdown: str, src_uri: str, options: EditionOptions) -> list[dict[str, str]]:
    """The `<link rel="alternate">` entries of a page (hrefs relative to the site root)."""
    annotations = {"type": JSONLD, "href": EXPORTS["annotations"],
                   "title": "Annotations (W3C Web Annotation, JSON-LD)"}
    document = declared_document(markdown)
    if document is not None:
        return [annotations, {"type": JSONLD, "href": document_collection(document),
                              "title": "Annotations of this document (W3C Web Annotation, JSON-LD)"}]
    if src_uri == options.notes_page:
        return [annotations]
    if src_uri == options.glossary_page:
        return [{"type": JSONLD, "href": EXPORTS["glossary_skos"], "title": "Glossary (SKOS, JSON-LD)"},
                {"type": "text/csv", "href": EXPORTS["glossary_csv"], "title": "Glossary (CSV)"}]
    return []


SITEMAP = "data/sitemap.xml"
DOCUMENTS_SITEMAP = "data/documents/sitemap.xml"



def sitemap(urls: list[str]) -> str:
    """A sitemap (sitemaps.org 0.9) listing `urls`."""
    root = ET.Element("urlset", {"xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    for url in urls:
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = url
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def page_url(config: MkDocsConfig, src_uri: str, site_url: str | None = None) -> str:
    """The absolute URL of a docs page (on `site_url`, by default the configuration's)."""
    path = src_uri.removesuffix(".md")
    path = "" if path == "index" else path.removesuffix("/index")
    relative = (f"{path}/" if path else "") if config.use_directory_urls else f"{path or 'index'}.html"
    return urljoin(site_url or config.site_url or DEFAULT_SITE_URL, relative)


@cache
def git_history(folder: Path) -> MappingProxyType[Path, tuple[str, str]]:
    """(first, last) commit times (UTC) of every file under `folder`, from one `git log`.

    Renames inside the folder are followed (`-M`). Outside git, or without git, it is empty.
    One call for the whole folder: a call per file took a second per 200 files.
    """
    def git(*args: str, cwd: Path) -> str | None:
        try:
            result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False,
                                    timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        return result.stdout if result.returncode == 0 else None

    if not folder.is_dir():
        return MappingProxyType({})
    top = git("rev-parse", "--show-toplevel", cwd=folder)
    log = git("log", "-M", "--name-status", "--format=%x00%cI", "--", ".", cwd=folder) if top else None
    if not top or log is None:
        return MappingProxyType({})
    root = Path(top.strip())
    dates: dict[Path, list[str]] = {}
    renamed: dict[str, str] = {}
    """A file's earlier path → its path today (the log runs from the newest commit back)."""
    for commit in log.split("\x00")[1:]:
        stamp, *changes = commit.strip("\n").split("\n")
        when = _utc(stamp)
        for change in filter(None, changes):
            status, *paths = change.split("\t")
            today = renamed.get(paths[-1], paths[-1])
            if status.startswith("R") and len(paths) == 2:
                renamed[paths[0]] = today
            found = dates.setdefault((root / today).resolve(), [when, when])
            found[0] = when  # older and older: the last one seen is the first commit
    return MappingProxyType({path: (first, last) for path, (first, last) in dates.items()})


def read_git_dates(state: EditionState) -> None:
    """Ask git now for the dates of every notes file (`git_history` keeps them), so that the
    exports ask it nothing: the process forked to make them runs this first, while it is
    small (a process it starts has all its memory, until it runs git)."""
    for path in {annotation.place.path for annotation in state.corpus.annotations}:
        git_history(_notes_file(state.options.root, path).parent)


def _notes_file(root: Path, path: str) -> Path:
    """The notes file at `path` (as a note's place gives it), as `git_history` keys it."""
    return (root / path).resolve()


def _utc(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def annotation_dates(annotation: Annotation, root: Path, default: str,
                     files: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
    """`created`/`modified` of a note: from its fields, else from git, else `default`.

    `files` keeps what git says of each notes file, for the next note of the same file:
    resolving the file's path for each of 4,000 notes was half the time of the exports."""
    from_git = files.get(annotation.place.path) if files is not None else None
    if from_git is None:
        path = _notes_file(root, annotation.place.path)
        from_git = git_history(path.parent).get(path) or (default, default)
        if files is not None:
            files[annotation.place.path] = from_git
    created = f"{annotation.created}T00:00:00Z" if annotation.created else from_git[0]
    modified = f"{annotation.modified}T00:00:00Z" if annotation.modified else from_git[1]
    return created, max(created, modified)


def export_documents(state: EditionState, config: MkDocsConfig, cache: DocumentExports | None = None
                     ) -> dict[str, Any]:
    """Every export of the edition, by output path (with a `cache` of what an earlier call in
    this process made of each document, under `mkdocs serve`: only what changed is made again)."""
    return dict(export_files(state, config, cache))


def export_files(state: EditionState, config: MkDocsConfig, cache: DocumentExports | None = None
                 ) -> Iterator[tuple[str, Any]]:
    """The files of `export_documents` (path, content), one at a time: a document's W3C
    collection and Hypothesis file are made when asked for, so that a writer holds one at a time."""
    from edition.w3c import annotation_files  # noqa: PLC0415 - keeps this module importable alone

    site_url = config.site_url or DEFAULT_SITE_URL
    glossary_url = page_url(config, state.options.glossary_page)
    default_date = f"{config.extra.get('edition', {}).get('date', '1970-01-01')}T00:00:00Z"
    yield EXPORTS["glossary_skos"], glossary_skos(state, glossary_url, f"Glossary — {config.site_name}")
    yield EXPORTS["glossary_csv"], glossary_csv(state, glossary_url)
    collections = [document_collection(document) for document in state.documents]
    own = [path for document in state.documents for path in document_exports(document)]
    yield SITEMAP, sitemap([urljoin(site_url, path) for path in [*EXPORTS.values(), *own]])
    if collections:  # Material also fetches one beside the documents' own collections
        yield DOCUMENTS_SITEMAP, sitemap([urljoin(site_url, path) for path in collections])

    files: dict[str, tuple[str, str]] = {}

    def dates(annotation: Annotation) -> tuple[str, str]:
        return annotation_dates(annotation, state.options.root, default_date, files)

    yield from annotation_files(
        state, site_url=site_url, page_url=lambda src_uri: page_url(config, src_uri), glossary_url=glossary_url,
        dates=dates, cache=cache)
    yield from hypothesis_files(
        state, page_url=lambda src_uri: page_url(config, src_uri), notes_url=page_url(config, state.options.notes_page),
        glossary_url=glossary_url, dates=dates, default_date=default_date, cache=cache)
