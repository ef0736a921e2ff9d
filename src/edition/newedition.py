"""`edition new-edition FOLDER`: a new edition from this one, with the product and without
this edition's content.

It copies the repository's files (those git tracks, or every file but the caches and the
virtual environment when the folder is not a git repository) except the edition's own:
its documents and texts, notes, glossary, index, introduction, citation file, the tests
of its content and the screenshots of its development (`docs-dev/screenshots/`). It writes
a configuration whose metadata holds `TODO` placeholders (the check and the build warn
about each until the editors write their own), an introduction to fill in, and a README in
each empty data folder. Then `edition add-document` adds the first text and `make serve`
shows it.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

CONTENT = ("documents/", "annotations/", "glossary/", "index/", "docs/sources/", "CITATION.cff",
           "tests/content/test_apparatus.py", "tests/content/disinformation-domains.yml", "docs-dev/screenshots/")
"""What the repository holds of its own edition, by path (a folder ends in `/`): not copied."""
EDITION_PAGES = ("docs/index.md",)
"""The edition's own pages besides its documents' (which its declarations name): not copied."""
SKIPPED = frozenset({".git", ".venv", "site", "node_modules", "__pycache__", ".pytest_cache", ".mypy_cache",
                     ".ruff_cache", ".hypothesis", ".import_linter_cache", ".artifacts"})
"""Folders never copied when the repository is not a git repository."""
DATA_FOLDERS = {
    "documents": "Each document's declaration (`<id>.yml`): `edition add-document TEXT.txt --id ID` writes it.",
    "annotations": "The notes (`*.yml`): `edition new \"<words of the text>\"` writes one to fill in.",
    "glossary": "The glossary of Russian terms (`*.yml`), one entry per term; see README, “Glossary”.",
    "index": "The people, places and organisations of the texts (`*.yml`); see README, “Index”.",
}
TODO = "TODO"
INTRODUCTION = """\
---
title: Introduction
---

# TODO: the edition's title

TODO: what the edition presents, where its texts come from, and how it was made.
"""


class NewEditionError(Exception):
    """The new edition cannot be made where it was asked for; nothing was written."""


@dataclass(frozen=True)
class NewEdition:
    """What `new_edition` made."""

    folder: Path
    copied: int
    """How many of the repository's files were copied."""


def repository_files(root: Path) -> list[PurePosixPath]:
    """The repository's files, relative to `root`: those git lists (tracked, or new and not
    ignored), else every file outside the caches."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                                capture_output=True, check=True, timeout=60).stdout.decode("utf-8")
        return [PurePosixPath(name) for name in listed.split("\0") if name and (root / name).is_file()]
    except (OSError, subprocess.SubprocessError):
        return [PurePosixPath(path.relative_to(root).as_posix()) for path in sorted(root.rglob("*"))
                if path.is_file() and not SKIPPED & set(path.relative_to(root).parts)]


def _is_content(path: PurePosixPath, pages: frozenset[str]) -> bool:
    name = path.as_posix()
    return (name in pages or name in EDITION_PAGES
            or any(name == item or (item.endswith("/") and name.startswith(item)) for item in CONTENT))


def _document_pages(root: Path) -> frozenset[str]:
    """The pages of the repository's documents (`docs/<page>`), from their declarations."""
    pages: set[str] = set()
    for declaration in sorted((root / "documents").glob("*.yml")):
        try:
            documents = yaml.safe_load(declaration.read_text(encoding="utf-8")) or []
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        pages.update(f"docs/{document['page']}" for document in documents
                     if isinstance(document, dict) and isinstance(document.get("page"), str))
    return frozenset(pages)


PLACEHOLDERS = {
    "site_description": 'site_description: "TODO: one sentence on what the edition presents"',
    "site_author": 'site_author: "TODO: the editors"',
    "copyright": "copyright: \"TODO: who holds the rights to the notes, and the texts' terms\"",
    "    editors": '    editors: ["TODO: the editors"]',
    "    publisher": '    publisher: "TODO: who publishes the edition"',
    "    date": '    date: "TODO: YYYY-MM-DD"',
}
"""The lines of the edition's metadata a new edition gets instead of this one's, by key as
`mkdocs.yml` writes it (with its indent); `site_name` is the new edition's title."""


def _configuration(text: str, title: str | None, pages: frozenset[str]) -> str:
    """This edition's `mkdocs.yml` made the template's: its metadata `TODO`, its nav without
    the document `pages` (each `add-document` adds one)."""
    replacements = {**PLACEHOLDERS, "site_name": f"site_name: {_quoted(title or 'TODO: the edition title')}"}
    out: list[str] = []
    in_nav = False
    replaced_at: int | None = None
    """The indent of the line replaced last, while the lines of its old value follow."""
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if replaced_at is not None and line.strip() and indent > replaced_at:
            continue  # the rest of a replaced value (the folded lines of a `>-` text)
        if line.strip():
            replaced_at = None
        key = line.split(":", 1)[0]
        if not line.startswith((" ", "#")) and line.strip():
            in_nav = key == "nav"
        if in_nav and line.lstrip().startswith("- ") and line.rsplit(":", 1)[-1].strip() in pages:
            continue  # a document's page: the new edition has none yet
        replacement = replacements.get(key)
        if replacement is not None:
            out.append(replacement)
            replaced_at = indent
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_edition(root: Path, target: Path, *, title: str | None = None) -> NewEdition:
    """Make a new edition in `target` (which must not exist or be empty) from the repository at
    `root`: its product, without its edition's content.

    Raises:
        NewEditionError: `target` holds files, or is inside the repository.
    """
    target = target.absolute()
    if target.exists() and any(target.iterdir()):
        raise NewEditionError(f"{target}: the folder is not empty — name a new folder")
    if target.is_relative_to(root.absolute()):
        raise NewEditionError(f"{target}: the folder is inside this edition's — name a folder outside it")
    pages = _document_pages(root)
    files = [path for path in repository_files(root) if not _is_content(path, pages)]
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / path, target / path)
    config = target / "mkdocs.yml"
    nav_pages = frozenset(page.removeprefix("docs/") for page in pages)
    config.write_text(_configuration((root / "mkdocs.yml").read_text(encoding="utf-8"), title, nav_pages),
                      encoding="utf-8")
    (target / "docs" / "index.md").write_text(
        INTRODUCTION.replace("TODO: the edition's title", title or "TODO: the edition's title"), encoding="utf-8")
    (target / "docs" / "sources").mkdir(parents=True, exist_ok=True)
    for folder, what in DATA_FOLDERS.items():
        (target / folder).mkdir(exist_ok=True)
        (target / folder / "README.md").write_text(f"# {folder}/\n\n{what}\n", encoding="utf-8")
    return NewEdition(target, len(files))
