"""The repository's own edition (the interview with Vladislav Yuritsyn): it checks clean,
builds strictly, its page's text is its source, and its metadata and citation file agree.
The product's tests run on `tests/fixtures/edition/` instead (see `tests/conftest.py`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project, mkdocs_build
from edition.checking import check

if TYPE_CHECKING:
    from pathlib import Path


def test_the_edition_checks_clean() -> None:
    assert [str(problem) for problem in check(ROOT / "mkdocs.yml")] == []


@pytest.mark.build
def test_the_edition_builds_strictly_and_its_page_is_its_text(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", edition=ROOT)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    for declaration in sorted((ROOT / "documents").glob("*.yml")):
        for document in yaml.safe_load(declaration.read_text(encoding="utf-8")):
            text = (declaration.parent / document["source"]).read_text(encoding="utf-8")
            page = document["page"].removesuffix(".md")
            html = BeautifulSoup((project / "site" / page / "index.html").read_text(encoding="utf-8"), "html.parser")
            blocks = html.select(".ed-document > h1, .ed-document > p")
            assert [block.get_text() for block in blocks] == text.splitlines()


def test_the_citation_file_is_valid_cff_and_says_what_the_metadata_says() -> None:
    schema = json.loads((ROOT / "tests" / "vendor" / "cff" / "schema.json").read_text(encoding="utf-8"))
    written = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(written, schema, format_checker=jsonschema.FormatChecker())
    assert written["title"] == yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"]
    assert not [problem for problem in check(ROOT / "mkdocs.yml") if "CITATION" in str(problem)]


def test_the_configuration_has_no_yaml_tags() -> None:
    """Plain values only: any tool (Zensical too) reads the edition's `mkdocs.yml` with a safe loader."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_url"].startswith("http")


def test_the_edition_loads_the_products_assets_hooks_and_extensions_as_the_fixture_edition_does() -> None:
    """The product's tests run on the fixture edition's `mkdocs.yml`: this edition's must load
    the same page assets, hooks and Markdown extensions, or the tests do not test what it serves."""
    def product(path: Path) -> dict[str, object]:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        return {key: config.get(key) for key in ("extra_css", "extra_javascript", "hooks", "plugins")} | {
            "markdown_extensions": [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]}
    assert product(ROOT / "mkdocs.yml") == product(ROOT / "tests" / "fixtures" / "edition" / "mkdocs.yml")
