"""What a build takes from earlier ones instead of making it again: the theme's compiled
templates (every build: `template_cache`) and, under `mkdocs serve`, each unchanged page's
template output.

A rebuild after one edit renders every page through the theme again (MkDocs empties the
site folder): at N = 200 pages, 1–2 s of Material's templates for one changed page. A
page's output is a function of what the build hands its template:

- the page itself: its Markdown (front matter included) and what it is made from (the
  edition's inputs for the page, `_Pages` in the hooks: its document's notes and text, the
  glossary, the index, `mkdocs.yml`, the site's files);
- the navigation: every page's place, title and front matter (Material reads other pages'
  `meta` for their icons and status);
- the theme's templates (`custom_dir`; the installed theme does not change while serving).

`PageOutputs` keys each page's last output on all of these; a page whose key is unchanged
is rendered by a one-line template that writes that output back (`REUSED_TEMPLATE`), after
every plugin's `on_page_context` has run as usual (Material's search still indexes it).
`MemoryBytecodeCache` keeps Jinja's compiled templates for the next rebuild, and
`template_cache` on disk for the next build: Jinja checks each template's source against its
checksum, so an edited template compiles again. Compiling Material's templates took about a
third of a build of this edition (0.25–0.3 s of 0.9 s).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import BaseLoader, BytecodeCache, FileSystemBytecodeCache

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from jinja2 import Environment
    from jinja2.bccache import Bucket

REUSED_TEMPLATE = "edition-reused-output.html"
"""The template of a page whose last output is written back (the variable `REUSED_VARIABLE`)."""
REUSED_VARIABLE = "edition_reused_output"
REUSED_SOURCE = "{{ " + REUSED_VARIABLE + " }}"
"""MkDocs' Jinja environment does not autoescape: the output is written as it is."""


class WithReusedOutput(BaseLoader):
    """The theme's loader, plus `REUSED_TEMPLATE`. Anything else, and the loader's own message
    for a template it does not have, comes from the theme's loader as it is."""

    def __init__(self, loader: BaseLoader) -> None:
        self.loader = loader

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template == REUSED_TEMPLATE:
            return REUSED_SOURCE, None, lambda: True
        return self.loader.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return [*self.loader.list_templates(), REUSED_TEMPLATE]


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's compiled templates, kept in memory from one build's environment to the next."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja if the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def template_cache(env: Environment, home: Path | None = None) -> BytecodeCache | None:
    """Jinja's compiled templates on disk, in this user's cache folder (`$XDG_CACHE_HOME`, else
    `~/.cache`: `annotated-edition/jinja/<settings>/`), for every later build; None if there
    is no such folder to write.

    Jinja keys compiled code by template name and file, and drops it when the source's
    checksum differs; the settings that change what a source compiles to (Jinja's version,
    the environment's syntax, extensions and escaping) name a folder of their own. Not in a
    shared temporary folder: compiled code is run, so nobody else may write there.
    """
    settings = repr((jinja2.__version__, sorted(env.extensions), env.autoescape, env.block_start_string,
                     env.block_end_string, env.variable_start_string, env.variable_end_string,
                     env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
                     env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
                     env.keep_trailing_newline, env.optimized, env.is_async))
    if home is None:
        cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        home = Path(cache_home)
    folder = home / "annotated-edition" / "jinja" / hashlib.sha256(settings.encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return FileSystemBytecodeCache(str(folder))


def theme_signature(custom_dir: str | None) -> tuple[tuple[str, int, int], ...]:
    """Each file of the theme's `custom_dir` with its modification time and size."""
    if not custom_dir or not Path(custom_dir).is_dir():
        return ()
    found = []
    for path in Path(custom_dir).rglob("*"):
        if path.is_file():
            stat = path.stat()
            found.append((path.as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


def navigation_signature(pages: Iterable[tuple[str, str | None, Mapping[str, object]]]) -> tuple[object, ...]:
    """Every page's path, title and front matter, as a value that compares equal when the
    navigation Material renders into each page is the same (its structure comes from
    `mkdocs.yml` or the list of files, both in each page's inputs)."""
    return tuple((src_uri, title, repr(sorted(meta.items(), key=lambda item: item[0])))
                 for src_uri, title, meta in pages)


@dataclass
class PageOutputs:
    """Each page's last template output and its key; this build's plan and outputs."""

    kept: dict[str, tuple[object, str]] = field(default_factory=dict)
    """By page (`src_uri`): the key and template output of the last build that succeeded."""
    keys: dict[str, object] = field(default_factory=dict)
    """This build's key of each page that may be reused."""
    planned: dict[str, str] = field(default_factory=dict)
    """This build's pages whose last output is written back, and that output."""
    made: dict[str, tuple[object, str]] = field(default_factory=dict)
    """This build's outputs, kept if the build succeeds."""
    reused: int = 0
    """How many pages this build planned to write back."""

    def plan(self, keys: Mapping[str, object]) -> set[str]:
        """Start a build whose pages have these keys; return the pages whose last output
        stands (each key equal to the one it was made with)."""
        self.keys, self.made = dict(keys), {}
        self.planned = {src_uri: kept[1] for src_uri, key in self.keys.items()
                        if (kept := self.kept.get(src_uri)) is not None and kept[0] == key}
        self.reused = len(self.planned)
        return set(self.planned)

    def take(self, src_uri: str) -> str | None:
        """The last output of a page planned for reuse (once), else None."""
        return self.planned.pop(src_uri, None)

    def made_output(self, src_uri: str, output: str) -> None:
        """A page's template output in this build (rendered or reused)."""
        key = self.keys.get(src_uri)
        if key is not None:
            self.made[src_uri] = (key, output)

    def keep(self) -> None:
        """The build succeeded: its outputs are the last build's."""
        self.kept, self.keys, self.planned, self.made = self.made, {}, {}, {}


@dataclass
class DocumentExports:
    """Under `mkdocs serve`: what each export made of each document, and from what, so that a
    rebuild makes again only the documents an edit changed (at N = 200 pages, the exports of
    4,000 notes took about 0.5 s of every rebuild's CPU time, in a thread beside the pages).

    A document's part of an export is a function of its record and of the values the export
    gives with it (addresses, dates). Records are kept across rebuilds while their inputs are
    equal (`edition.records.RecordCache`), so the same record object means the same document:
    it is compared by identity, the values by equality.
    """

    kept: dict[tuple[str, str], tuple[object, object, list[Any]]] = field(default_factory=dict)
    """By export and document: the record, the values and what was made."""

    def part(self, export: str, document: str, record: object, values: object,
             make: Callable[[], list[Any]]) -> list[Any]:
        """The part of `export` made of `document` from `record` and `values`: made by `make`
        unless the last one was made from this very record and equal values."""
        found = self.kept.get((export, document))
        if found is not None and found[0] is record and found[1] == values:
            return found[2]
        made = make()
        self.kept[export, document] = (record, values, made)
        return made
