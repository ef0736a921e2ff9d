"""Hostile pull requests: what the data cannot do to the build, the site or its exports."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import pytest

from conftest import FIXTURES, copy_project
from edition.checking import check, render_documents
from edition.glossary_data import glossary_csv
from edition.render import RenderCache, is_safe_url

if TYPE_CHECKING:
    from pathlib import Path

NOTE = """\
- id: {id}
  document: interview
  type: context
  quote: Tolkien fans
  occurrence: 1
  title: {title}
  body: {body}
  sources: [{{title: S}}]
  author: {author}
  status: unverified
  confidence: low
"""


def project_with(tmp_path: Path, **fields: str) -> Path:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    values = {"id": "hostile", "title": "A title", "body": "A body.", "author": "Editors", **fields}
    (project / "annotations" / "zz.yml").write_text(NOTE.format(**values), encoding="utf-8")
    return project


def errors(project: Path) -> list[str]:
    return [f"{p.path}:{p.line}: {p.message}" for p in check(project / "mkdocs.yml") if p.is_error]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", '"Notes <img src=x onerror=alert(1)>"',
     "zz.yml:6: `title` contains markup '<img src=x onerror=alert(1)>'"),
    ("author", '"Ed<script>x</script>"', "zz.yml:9: `author` contains markup '<script>'"),
    ("title", '"Harmless \u202egnp.exe"', "zz.yml:6: `title` contains an invisible character, U+202E "
                                          "RIGHT-TO-LEFT OVERRIDE"),
    ("body", '"A body\u200b with a zero-width space."', "zz.yml:7: `body` contains an invisible character, U+200B "
                                                          "ZERO WIDTH SPACE"),
])
def test_plain_text_fields_refuse_markup_and_invisible_characters(tmp_path: Path, field: str, value: str,
                                                                  message: str) -> None:
    found = errors(project_with(tmp_path, **{field: value}))
    assert [f"annotations/{message}"] == [line for line in found if "zz.yml" in line]


def test_a_title_over_two_lines_is_refused(tmp_path: Path) -> None:
    found = errors(project_with(tmp_path, title='"one\\ntwo"'))
    assert [line for line in found if "zz.yml" in line] == [
        "annotations/zz.yml:6: `title` has an invalid value 'one\\ntwo'"]


def test_a_symbolic_link_in_a_data_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text(NOTE.format(id="leaked", title="SECRET-TOKEN", body="B.", author="A"), encoding="utf-8")
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    (project / "annotations" / "zz-link.yml").symlink_to(outside)
    state = render_documents(project / "mkdocs.yml")
    assert "leaked" not in state.corpus.notes
    assert [f"{p.path}: {p.message}" for p in state.problems if p.is_error] == [
        "annotations/zz-link.yml: is a symbolic link, which is not read"]


def test_a_data_folder_that_is_a_symbolic_link_is_not_read(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    real = tmp_path / "elsewhere"
    (project / "index").rename(real)
    (project / "index").symlink_to(real)
    state = render_documents(project / "mkdocs.yml")
    assert state.entities == ()
    assert any(p.path == "index" and "symbolic link" in p.message for p in state.problems)


@pytest.mark.parametrize("url", ["//evil.example/x", " //evil.example", "javascript:alert(1)", "JaVaScRiPt:x",
                                 "data:text/html,x", "vbscript:x", "ftp://x.example/"])
def test_only_http_https_mailto_and_site_relative_urls_are_safe(url: str) -> None:
    assert not is_safe_url(url)


@pytest.mark.parametrize("url", ["https://example.org/", "http://a.example", "mailto:a@example.org",
                                 "glossary.md#knb", "../x/", "#p12"])
def test_safe_urls(url: str) -> None:
    assert is_safe_url(url)


def test_a_protocol_relative_link_in_a_body_is_an_error_that_says_how_to_fix_it(tmp_path: Path) -> None:
    found = errors(project_with(tmp_path, body='"See [this](//evil.example/x)."'))
    assert "annotations/zz.yml:7: link '//evil.example/x' names another site without its scheme" in found


def test_a_link_title_never_reaches_the_page(tmp_path: Path) -> None:
    """Material's tooltips would put a `title` into the page as HTML."""
    body = '[l](https://ok.example "<img src=x onerror=alert(1)>")'
    state = render_documents(project_with(tmp_path, body=f"'{body}'") / "mkdocs.yml")
    html = state.renderer("#{id}", "#{id}").html(body)
    assert html == '<p><a href="https://ok.example" rel="noopener noreferrer">l</a></p>'
    assert isinstance(state.render_cache, RenderCache)


def test_csv_cells_never_start_a_spreadsheet_formula(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    entry = project / "glossary" / "knb.yml"
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace('translation: "National Security Committee"',
                                  'translation: "=HYPERLINK(\\"https://evil.example\\",\\"x\\")"'), encoding="utf-8")
    state = render_documents(project / "mkdocs.yml")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(glossary_csv(state, "https://e.example/g/")))}
    assert rows["knb"]["translation"] == "'=HYPERLINK(\"https://evil.example\",\"x\")"
    assert rows["sizo"]["translation"] == "pre-trial detention centre"
