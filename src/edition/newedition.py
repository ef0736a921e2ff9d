"""`edition new-edition FOLDER`: a new edition from this one, with the product and without
this edition's content.

It copies the repository's files (those git tracks, or every file but the caches and the
virtual environment when the folder is not a git repository) except the edition's own:
its documents and texts, notes, glossary, index, introduction, citation file and the tests
of its content. It writes a configuration whose metadata holds `TODO` placeholders (the
check and the build warn about each until the editors write their own), an introduction to
fill in, and a README in each empty data folder. Then `edition add-document` adds the first
text and `make serve` shows it.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

CONTENT = ("documents/", "annotations/", "glossary/", "index/", "docs/sources/", "CITATION.cff",
           "tests/content/test_apparatus.py", "tests/content/disinformation-domains.yml")
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


def _repository_files(root: Path) -> list[PurePosixPath]:
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


def _configuration(text: str, title: str | None) -> str:
    """This edition's `mkdocs.yml` made the template's: its metadata `TODO`, its nav without
    its documents (each `add-document` adds one)."""
    config_lines = text.splitlines()
    out: list[str] = []
    in_nav = False
    for line in config_lines:
        key = line.split(":", 1)[0]
        if line.startswith("nav:"):
            in_nav = True
            out.append(line)
            continue
        if in_nav and not line.startswith("  "):
            in_nav = False
        if in_nav and line.strip().startswith("- ") and line.rstrip().endswith(".md") and not line.rstrip().endswith(
                ("index.md", "annotations.md", "glossary.md", "people-places.md", "speakers.md")):
            continue  # a document's page: the new edition has none yet
        replaced = {
            "site_name": f"site_name: {_quoted(title or 'TODO: the edition title')}",
            "site_description": "site_description: \"TODO: one sentence on what the edition presents\"",
            "site_author": "site_author: \"TODO: the editors\"",
            "copyright": "copyright: \"TODO: who holds the rights to the notes, and the texts' terms\"",
            "    editors": "    editors: [\"TODO: the editors\"]",
            "    publisher": "    publisher: \"TODO: who publishes the edition\"",
            "    date": "    date: \"TODO: YYYY-MM-DD\"",
        }.get(key)
        if replaced is not None:
            out.append(replaced)
            continue
        if line.startswith("  site_description") or (out and out[-1].startswith("site_description") and
                                                       line.startswith("  ")):
            continue  # the folded lines of the old description
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
    files = [path for path in _repository_files(root) if not _is_content(path, pages)]
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / path, target / path)
    config = target / "mkdocs.yml"
    config.write_text(_configuration((root / "mkdocs.yml").read_text(encoding="utf-8"), title), encoding="utf-8")
    (target / "docs" / "index.md").write_text(
        INTRODUCTION.replace("TODO: the edition's title", title or "TODO: the edition's title"), encoding="utf-8")
    (target / "docs" / "sources").mkdir(parents=True, exist_ok=True)
    for folder, what in DATA_FOLDERS.items():
        (target / folder).mkdir(exist_ok=True)
        (target / folder / "README.md").write_text(f"# {folder}/\n\n{what}\n", encoding="utf-8")
    return NewEdition(target, len(files))
