"""Shared fixtures: paths of the repository and helpers to build sites in `tmp_path`.

The product's tests run on the fixture edition, `tests/fixtures/edition/` (`EDITION`), never
on the repository's own edition (`documents/`, `annotations/`, `glossary/`, `index/`,
`docs/`), which `tests/content/` tests: an editor who replaces that edition with another
keeps a passing product suite (`tests/test_independence.py` shows it).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from benchmarks.corpus import PROJECT_FOLDERS
from playwright.sync_api import Browser, sync_playwright

from browser import CHROMIUM, CHROMIUM_ARGS, serve

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parent.parent
"""The repository: the product (`src/`, `hooks/`, `overrides/`, `docs/assets/`) and the first edition."""
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EDITION = FIXTURES / "edition"
"""The edition the product's tests run on: a frozen snapshot of the first edition (its README)."""
SEED = EDITION / "docs" / "sources" / "interview.txt"
PRODUCT_FOLDERS = frozenset({"hooks", "overrides"})
"""The folders of a project that are the product's, taken from the repository."""

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")


def copy_project(target: Path, annotations: Path | None = None, glossary: Path | None = None, *,
                 edition: Path = EDITION) -> Path:
    """Copy an edition (`edition`: config, pages and data; by default the fixture edition) with
    the product's hooks, templates and page assets into `target`; `annotations` and `glossary`
    replace its data folders."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(edition / "mkdocs.yml", target / "mkdocs.yml")
    sources = {"annotations": annotations, "glossary": glossary}
    for name in PROJECT_FOLDERS:
        source = sources.get(name) or (ROOT if name in PRODUCT_FOLDERS else edition) / name
        shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "assets"))
    shutil.copytree(ROOT / "docs" / "assets", target / "docs" / "assets")  # the product's CSS and scripts
    return target


SECOND_NOTES = """\
- id: second-note
  document: second
  type: context
  quote: a second text
  title: A note on the second text
  body: Its body.
  sources: [{title: Fixture}]
  author: Test
  status: verified
  confidence: high
"""


def with_second_document(project: Path) -> Path:
    """`project` with a second document, `second` (page `second.md`, not in the navigation),
    and its own annotation file holding one note, `second-note`."""
    (project / "docs" / "second.md").write_text("::: edition-document second\n", encoding="utf-8")
    (project / "docs" / "sources" / "second.txt").write_text("Second\nThe КНБ and the СИЗО, in a second text.\n",
                                                             encoding="utf-8")
    (project / "documents" / "second.yml").write_text(
        "- id: second\n  page: second.md\n  source: ../docs/sources/second.txt\n", encoding="utf-8")
    (project / "annotations" / "second.yml").write_text(SECOND_NOTES, encoding="utf-8")
    return project


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file at `path` with `new` (`old` must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def seed_text() -> str:
    """The transcript exactly as received."""
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_unexpected_warnings(caplog: pytest.LogCaptureFixture) -> object:
    """Fail any test during which something logs an unexpected warning under `mkdocs`."""
    caplog.set_level(logging.INFO, logger="mkdocs")
    yield
    unexpected = [r for r in caplog.get_records("call")
                  if r.levelno >= logging.WARNING and r.name.startswith("mkdocs")
                  and not getattr(r, "expected", False)]
    if unexpected and not getattr(caplog, "warnings_expected", False):
        pytest.fail("unexpected warnings: " + "; ".join(r.getMessage() for r in unexpected))


def mkdocs_build(project: Path, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` on `project` in a separate process.

    Not `-q`: MkDocs then drops warnings before its strict mode counts them, and a build with
    warnings passes."""
    site = site or project / "site"
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=project, capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture edition (a snapshot of the first), built once with `--strict`; its site folder."""
    project = copy_project(tmp_path_factory.mktemp("edition"))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def edition_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture edition with the product's files, copied once: a project to read, not to edit."""
    return copy_project(tmp_path_factory.mktemp("edition-project") / "p")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture edition built with the small test fixtures instead of its notes and glossary."""
    project = copy_project(tmp_path_factory.mktemp("fixture"), FIXTURES / "annotations", FIXTURES / "glossary")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the expected HTML files in tests/golden/ instead of comparing")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether to rewrite golden files (`pytest --update-golden`)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The built edition, served over HTTP on a loopback port."""
    yield from serve(built_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
