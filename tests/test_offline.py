"""The edition opened from the file system (issue 18, item 8): `make offline` builds it with
`mkdocs-offline.yml`; from `file://`, with every other request refused, pages, notes, the
glossary and the search work."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import yaml
from playwright.sync_api import expect

from conftest import ROOT, copy_project

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Page, Route


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("offline") / "p")
    shutil.copy(ROOT / "mkdocs-offline.yml", project / "mkdocs-offline.yml")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs-offline.yml"],
                            cwd=project, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    return project / "site-offline"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    refused: list[str] = []

    def refuse(route: Route) -> None:
        refused.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith("file:"), refuse)
    yield context.new_page()
    context.close()
    assert refused == [], refused  # nothing asked for from any host


@pytest.mark.browser
def test_pages_notes_glossary_and_search_work_from_the_file_system(offline_site: Path, page: Page) -> None:
    page.goto((offline_site / "interview.html").as_uri())
    expect(page.locator(".ed-document p").first).to_be_visible()
    marker = page.locator(".ed-document a.ed-marker").first
    marker.click()
    expect(page.locator(".ed-popover[role=dialog]")).to_be_visible()
    page.keyboard.press("Escape")
    term = page.locator(".ed-document a.ed-term").first
    href = term.get_attribute("href")
    assert href is not None and href.startswith("glossary.html#")
    term.click()  # a link between pages of the file system
    expect(page).to_have_url((offline_site / "glossary.html").as_uri() + href.removeprefix("glossary.html"))
    expect(page.locator(".ed-entry__term").first).to_be_visible()
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill("Tokayev")
    box.press("End")
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible(timeout=15_000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any(re.search(r"interview\.html(\?[^#]*)?#p\d+$", href) for href in hrefs), hrefs  # "Tokaev" in ¶1


def test_the_offline_build_repeats_the_search_settings_of_the_edition() -> None:
    """`mkdocs-offline.yml` replaces the plugins' list: its search must be the edition's."""
    def search(path: Path) -> object:
        plugins = yaml.safe_load(path.read_text(encoding="utf-8"))["plugins"]
        return next(plugin["search"] for plugin in plugins if isinstance(plugin, dict) and "search" in plugin)
    assert search(ROOT / "mkdocs-offline.yml") == search(ROOT / "mkdocs.yml")
    assert search(ROOT / "mkdocs-offline.yml") == search(ROOT / "tests" / "fixtures" / "edition" / "mkdocs.yml")
