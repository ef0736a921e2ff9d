"""Portable past Material's end of life: Zensical (which runs Python-Markdown extensions but no
MkDocs hooks) builds the unchanged repository into the whole edition, the same as MkDocs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import EDITION, copy_project

pytestmark = pytest.mark.build
ZENSICAL = Path(sys.executable).parent / "zensical"
PAGES = ("interview", "annotations", "glossary", "people-places")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("zensical"))
    result = subprocess.run([str(ZENSICAL), "build"], cwd=project, capture_output=True, text=True, check=False,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No issues found" in result.stdout + result.stderr, result.stdout + result.stderr
    return project / "site"


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def edition_parts(page: BeautifulSoup) -> dict[str, list[str]]:
    """What the edition put on a page, as text: the document, notes, links and views."""
    def texts(selector: str, attribute: str | None = None) -> list[str]:
        return [str(e.get(attribute)) if attribute else e.get_text(" ", strip=True) for e in page.select(selector)]

    document = page.select_one(".ed-document")
    return {
        "document": [document.get_text()] if isinstance(document, Tag) else [],
        "markers": [f"{e.get('data-note')}:{e.get('data-n')}" for e in page.select(".ed-document a.ed-marker")],
        "highlights": texts(".ed-document mark.ed-hl", "data-notes"),
        "terms": [f"{e.get('data-term')}:{e.get_text()}" for e in page.select(".ed-document a.ed-term")],
        "endnotes": texts(".ed-note", "id"),
        "list of notes": texts(".ed-notelist__item"),
        "entries": texts(".ed-entry"),
    }


def test_zensical_builds_every_view_of_the_edition_as_mkdocs_does(zensical_site: Path, built_site: Path) -> None:
    for page in PAGES:
        ours, theirs = edition_parts(soup(zensical_site, page)), edition_parts(soup(built_site, page))
        assert ours == theirs, page
    interview = edition_parts(soup(zensical_site, "interview"))
    source = (EDITION / "docs" / "sources" / "interview.txt").read_text(encoding="utf-8")
    assert interview["document"] == [source + "\n"]
    assert len(interview["markers"]) >= 50 and len(interview["terms"]) >= 20
    assert len(edition_parts(soup(zensical_site, "annotations"))["list of notes"]) == len(interview["markers"])
    assert any("¶" in entry for entry in edition_parts(soup(zensical_site, "glossary"))["entries"])


def test_every_link_of_the_edition_resolves_in_the_zensical_site(zensical_site: Path) -> None:
    checked = 0
    for page in PAGES:
        here = zensical_site / page / "index.html"
        for link in soup(zensical_site, page).select(".md-content a[href]"):
            href = str(link["href"])
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            if "data/" in parts.path:  # the exports are written by the MkDocs hooks only (see README)
                continue
            target = (here.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target /= "index.html"
            assert target.is_file(), f"{page}: {href}"
            checked += 1
    assert checked > 200
