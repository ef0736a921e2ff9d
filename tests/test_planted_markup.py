"""Markup planted in every text field a contributor or an editor writes never becomes live.

Every value below passes the checks (what they refuse, `<` before a letter, control
characters, a `"` in `site_name`, is tested in `test_trust.py`): entities that decode to a
tag, quotes that would close an attribute, a `<` before a space. The edition is built with
them in every field (front matter, site metadata, notes, glossary, index), and each page is
opened in Chromium, with its tooltips, a note's popover and search results shown: no dialog
opens, no element or attribute from the payloads exists, and the metadata reads back exactly.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from browser import serve
from conftest import FIXTURES, copy_project, mkdocs_build

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Dialog, Page

pytestmark = pytest.mark.browser

PAYLOAD = ("X&lt;img src=x onerror=alert(1)&gt; &amp;lt;b&amp;gt; \" onmouseover=\"alert(3)\" "
           "' onfocus='alert(4)' autofocus=' < svg onload=alert(5)> &#60;b&#62;")
"""Accepted everywhere but `site_name`: it holds no `<` before a letter."""
NO_QUOTE = PAYLOAD.replace('"', "“")
"""For `site_name`, which may not hold `"` (Material prints it unescaped into an attribute)."""

FOUND_LIVE = """() => {
    const live = [];
    for (const element of document.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
            if (/alert\\(|^on|^autofocus$/i.test(attribute.name) || /^alert\\(/.test(attribute.value)
                    || (attribute.name === 'src' && attribute.value === 'x')) {
                live.push(element.tagName + ' ' + attribute.name + '=' + attribute.value);
            }
        }
        if (['SVG', 'svg'].includes(element.tagName) && element.getAttribute('onload')) live.push('svg');
        if (element.tagName === 'SCRIPT' && !/json/.test(element.type) && /alert\\(/.test(element.textContent)) {
            live.push('script');  // JSON-LD holds the payload as data: `test_planted_metadata_reads_back_exactly`
        }
    }
    return live;
}"""


def _replace(pattern: str, line: str, text: str) -> str:
    """`text` with the first match of `pattern` replaced by `line` (after its `indent`, if any)."""
    def with_indent(found: re.Match[str]) -> str:
        return (found.groupdict().get("indent") or "") + line

    replaced, count = re.subn(pattern, with_indent, text, count=1, flags=re.MULTILINE)
    assert count == 1, pattern
    return replaced


def plant(project: Path) -> None:
    """Put the payload into every text field the edition has."""
    quoted = json.dumps(PAYLOAD)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    settings: list[tuple[str, object]] = [("site_name", NO_QUOTE), ("site_description", PAYLOAD),
                                          ("site_author", PAYLOAD), ("copyright", PAYLOAD)]
    for key, value in settings:  # a top-level setting, with its continuation lines
        text = _replace(rf"^{key}:.*(?:\n[ ]+.*)*", f"{key}: {json.dumps(value)}", text)
    edition: list[tuple[str, object]] = [("editors", [PAYLOAD]), ("publisher", PAYLOAD)]
    for key, value in edition:  # `extra.edition`
        text = _replace(rf"^(?P<indent>    +){key}: .*$", f"{key}: {json.dumps(value)}", text)
    declaration = project / "documents" / "interview.yml"
    documents = yaml.safe_load(declaration.read_text(encoding="utf-8"))
    documents[0]["original"] |= {"title": PAYLOAD, "authors": [PAYLOAD], "publisher": PAYLOAD}
    declaration.write_text(yaml.safe_dump(documents, allow_unicode=True), encoding="utf-8")
    nav_title = json.dumps("Glossary " + PAYLOAD)
    config.write_text(text.replace("  - Glossary: glossary.md", f"  - {nav_title}: glossary.md"), encoding="utf-8")
    for page in ("index.md", "interview.md"):
        text = (project / "docs" / page).read_text(encoding="utf-8")
        head, body = text.split("\n---\n", 1)
        (project / "docs" / page).write_text(f"---\ntitle: {quoted}\ndescription: {quoted}\n---\n{body}",
                                             encoding="utf-8")
        del head
    notes = yaml.safe_load((project / "annotations" / "sample.yml").read_text(encoding="utf-8"))
    for note in notes:
        note.update(title=PAYLOAD, author=PAYLOAD, body=f"{PAYLOAD}\n\n[a link](https://example.org \"{PAYLOAD}\")",
                    sources=[{"title": PAYLOAD, "publisher": PAYLOAD, "note": PAYLOAD}])
    (project / "annotations" / "sample.yml").write_text(yaml.safe_dump(notes, allow_unicode=True), encoding="utf-8")
    for entry_file in (project / "glossary").glob("*.yml"):
        entries = yaml.safe_load(entry_file.read_text(encoding="utf-8"))
        for entry in entries:
            entry.update(full=PAYLOAD, translation=PAYLOAD, translit=PAYLOAD, definition=PAYLOAD,
                         kazakh={"full": PAYLOAD, "abbr": PAYLOAD})
        entry_file.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    for index_file in (project / "index").glob("*.yml"):
        entities = yaml.safe_load(index_file.read_text(encoding="utf-8"))
        for entity in entities:
            entity.update(name=PAYLOAD, description=PAYLOAD)
        index_file.write_text(yaml.safe_dump(entities, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("planted") / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    plant(project)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def visit(tab: Page, url: str, dialogs: list[str]) -> list[str]:
    """Open `url`, hover what has a tooltip and open a note if there is one; what is live."""
    tab.goto(url, wait_until="load")
    for selector in ("a.ed-term", ".md-header__button.md-logo", "a.ed-marker"):
        target = tab.locator(selector).first
        if target.count() and target.is_visible():
            target.hover()
            tab.wait_for_timeout(150)
    marker = tab.locator(".ed-document a.ed-marker").first
    if marker.count():
        marker.click()
        expect(tab.locator(".ed-popover[role=dialog]")).to_be_visible()
    found: list[str] = tab.evaluate(FOUND_LIVE)
    return found + dialogs


def test_planted_markup_is_never_live_on_any_page(browser: Browser, planted_site: Path) -> None:
    pages = sorted(path.relative_to(planted_site).as_posix() for path in planted_site.rglob("*.html"))
    assert {"index.html", "interview/index.html", "glossary/index.html", "annotations/index.html",
            "people-places/index.html"} <= set(pages)
    server = serve(planted_site)
    base = next(server)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", dismiss)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        live = {page: visit(tab, base + page, dialogs) for page in pages}
        assert {page: found for page, found in live.items() if found} == {}
        tab.goto(base + "interview/")
        tab.locator("label.md-search__icon, .md-search__input").first.click()
        tab.locator("input.md-search__input").fill("onerror")
        tab.locator("input.md-search__input").press("End")
        expect(tab.locator(".md-search-result__item").first).to_be_visible(timeout=10_000)
        tab.wait_for_timeout(300)
        assert tab.evaluate(FOUND_LIVE) == []
        assert dialogs == []
        assert errors == []
    finally:
        context.close()
        server.close()


def test_planted_metadata_reads_back_exactly(planted_site: Path) -> None:
    """Escaped, not broken: a reference manager reads the whole title, quotes and all."""
    def page(name: str) -> BeautifulSoup:
        return BeautifulSoup((planted_site / name).read_text(encoding="utf-8"), "html.parser")

    def contents(html: BeautifulSoup, selector: str) -> list[str]:
        return [str(tag["content"]) for tag in html.select(selector)]

    glossary = page("glossary/index.html")
    title = f"Glossary {PAYLOAD} — {NO_QUOTE}"  # the nav's title of the page, then the site's name
    assert contents(glossary, 'meta[name="citation_title"], meta[name="DC.title"]') == [title] * 2
    assert contents(glossary, 'meta[name="description"]') == [PAYLOAD]  # the site's description
    assert contents(glossary, 'meta[name="author"], meta[name="citation_author"], meta[name="DC.contributor"], '
                              'meta[name="citation_publisher"], meta[name="DC.publisher"]') == [PAYLOAD] * 5
    script = glossary.select_one('script[type="application/ld+json"]')
    assert script is not None
    assert not set("<>&'") & set(script.get_text())  # `tojson` writes them as \u003c, \u003e, \u0026, \u0027
    data = json.loads(script.get_text())
    assert (data["name"], data["about"], data["publisher"]["name"], data["editor"]) == (title, None, PAYLOAD, [PAYLOAD])
    interview = page("interview/index.html")  # a document's page: what it presents, from its declaration
    about = json.loads(interview.select_one('script[type="application/ld+json"]').get_text())["about"]  # type: ignore[union-attr]
    assert (about["name"], about["author"], about["publisher"]["name"]) == (
        PAYLOAD, [{"@type": "Person", "name": PAYLOAD}], PAYLOAD)
    assert contents(interview, 'meta[name="DC.source"]') == [f"{PAYLOAD}, {PAYLOAD}, 2025-10-20"]
    assert glossary.title is not None and glossary.title.get_text() == f"Glossary {PAYLOAD} - {NO_QUOTE}"
    home = page("index.html")
    assert contents(home, 'meta[name="description"]') == [PAYLOAD]  # its front matter's
    assert [link["title"] for link in glossary.select('link[rel="alternate"]')] == [
        "Glossary (SKOS, JSON-LD)", "Glossary (CSV)"]
