"""Glossary data (SKOS JSON-LD, CSV), citation metadata and alternate links in the built site."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from pyld import jsonld

from test_build import CORPUS, attr, page

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.build
SKOS = "http://www.w3.org/2004/02/skos/core#"
SITE = "http://127.0.0.1:8000/"


def test_glossary_is_a_skos_concept_scheme(built_site: Path) -> None:
    data = json.loads((built_site / "data" / "glossary.jsonld").read_text(encoding="utf-8"))
    expanded = jsonld.expand(data)
    nodes = {node["@id"]: node for node in expanded}
    scheme = nodes[f"{SITE}glossary/#scheme"]
    assert scheme["@type"] == [f"{SKOS}ConceptScheme"]
    assert len(scheme[f"{SKOS}hasTopConcept"]) == len(CORPUS.glossary)
    for entry in CORPUS.glossary:
        concept = nodes[f"{SITE}glossary/#{entry.id}"]
        # JSON-LD processors lower-case language tags.
        labels = {(label["@language"].lower(), label["@value"]) for label in concept[f"{SKOS}prefLabel"]}
        assert {("ru", entry.term), ("ru-latn", entry.translit), ("en", entry.translation)} <= labels
        assert len({language for language, _ in labels}) == len(labels), "one prefLabel per language"
        alternatives = {label["@value"] for label in concept.get(f"{SKOS}altLabel", [])}
        assert set(entry.aliases) | {entry.full} <= alternatives
        assert not entry.text_spelling or entry.text_spelling in alternatives, entry.id
        definition = concept[f"{SKOS}definition"][0]
        assert definition["@language"] == "en" and len(definition["@value"]) > 20
        assert "<" not in definition["@value"]
        related = {node["@id"] for node in concept.get(f"{SKOS}related", [])}
        assert related == {f"{SITE}glossary/#{other}" for other in entry.related}


def test_glossary_csv(built_site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((built_site / "data" / "glossary.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == [h["id"] for h in page(built_site, "glossary").select("h2.ed-entry__term")]
    knb = next(row for row in rows if row["id"] == "knb")
    assert knb["term"] == "КНБ" and knb["translit"] == "KNB" and knb["kazakh_abbr"] == "ҰҚК"
    assert knb["url"] == f"{SITE}glossary/#knb"
    # The text's own Latin spelling, beside the scheme's transliteration; the new column came last.
    assert list(rows[0])[-1] == "text_spelling"
    spelled = {row["id"]: (row["translit"], row["text_spelling"]) for row in rows if row["text_spelling"]}
    assert spelled == {entry.id: (entry.translit, entry.text_spelling) for entry in CORPUS.glossary
                       if entry.text_spelling}
    assert spelled["eaes"] == ("YeAES", "EAES") and spelled["maidan"] == ("Maydan", "Maidan")


def test_pages_link_their_machine_readable_alternates(built_site: Path) -> None:
    expected = {"interview": {"../data/annotations.jsonld", "../data/documents/interview.jsonld"},
                "annotations": {"../data/annotations.jsonld"},
                "glossary": {"../data/glossary.jsonld", "../data/glossary.csv"}}
    for name, hrefs in expected.items():
        links = page(built_site, name).select("link[rel=alternate]")
        assert {attr(link, "href") for link in links} == hrefs
        for href in hrefs:
            assert (built_site / name / href).resolve().is_file()
    glossary = page(built_site, "glossary")
    assert glossary.select_one('a[href="../data/glossary.jsonld"]') is not None
    assert glossary.select_one('a[href="../data/glossary.csv"]') is not None


def test_citation_metadata_for_reference_managers(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "interview" / "index.html").read_text(encoding="utf-8"), "html.parser")

    def meta(name: str) -> list[str]:
        return [attr(tag, "content") for tag in soup.select(f'meta[name="{name}"]')]

    assert meta("citation_title") == ["The interview — Kazakhstan, Russia and their neighbours — an annotated edition"]
    assert meta("citation_author") == ["The editors of the annotated edition"]
    assert meta("citation_publication_date") == ["2026-11-25"]
    assert meta("citation_public_url") == [f"{SITE}interview/"]
    assert meta("DC.title") == meta("citation_title")
    data = json.loads(soup.select_one('script[type="application/ld+json"]').get_text())  # type: ignore[union-attr]
    assert data["@type"] == "WebPage" and data["about"]["author"] == [{"@type": "Person", "name": "Vladislav Yuritsyn"}]
    assert data["about"]["contributor"] == [{"@type": "Person", "name": "Darya Aslamova"}]
    assert (data["about"]["datePublished"], data["about"]["inLanguage"], data["about"]["publisher"]["name"]) == (
        "2025-10-20", "ru", "Pravda.Ru")
    assert meta("DC.source") == [
        "Союзник на бумаге, прагматик на деле: почему Казахстан дружит с НАТО, оставаясь в ОДКБ, Pravda.Ru, 2025-10-20"]
    glossary = BeautifulSoup((built_site / "glossary" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert not glossary.select('meta[name="DC.source"]')  # not a document's page


def test_git_history_gives_first_and_last_commit_of_each_file_following_renames(tmp_path: Path) -> None:
    from edition.exports import git_history  # noqa: PLC0415 - the unit under test, not the build

    def git(*args: str, date: str = "") -> None:
        env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
               "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        if date:
            env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    folder = tmp_path / "annotations"
    folder.mkdir()
    git("init", "-q")
    (folder / "a.yml").write_text("- id: a\n", encoding="utf-8")
    (folder / "old.yml").write_text("- id: b\n  title: a long enough file to be seen as renamed\n", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "one", date="2024-01-02T03:04:05+02:00")
    (folder / "a.yml").write_text("- id: a\n- id: c\n", encoding="utf-8")
    git("mv", "annotations/old.yml", "annotations/new.yml")
    git("commit", "-qam", "two", date="2025-06-07T08:09:10+00:00")
    (folder / "uncommitted.yml").write_text("- id: d\n", encoding="utf-8")
    history = git_history(folder)
    assert history[(folder / "a.yml").resolve()] == ("2024-01-02T01:04:05Z", "2025-06-07T08:09:10Z")
    assert history[(folder / "new.yml").resolve()] == ("2024-01-02T01:04:05Z", "2025-06-07T08:09:10Z")
    assert (folder / "uncommitted.yml").resolve() not in history
    assert (folder / "old.yml").resolve() not in history
    unseen = tmp_path / "elsewhere"  # a folder git has no history for
    unseen.mkdir()
    assert git_history(unseen) == {}
