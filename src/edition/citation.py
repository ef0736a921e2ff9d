"""The edition's citation file, `CITATION.cff`, made from its metadata, and the checks that
keep the two in step.

The metadata has one place per edition and one per document:

- the edition: `site_name` (its title), `site_description` (its abstract) and
  `extra.edition` in `mkdocs.yml` (`editors`, `publisher`, `date`, `license`, `version`,
  `keywords`);
- each document: `original:` in its declaration (`documents/<id>.yml`): the title, authors,
  interviewers, publisher, date, URL and language of what it presents.

`edition citation` writes `CITATION.cff` from them; `edition check` and the build warn when
the file says something else (an edition may do without one), and when the metadata still
holds a placeholder (`TODO…`), as a template's would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

from edition.problems import Problem, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from edition.model import DocumentDeclaration, Original

CITATION_FILE = "CITATION.cff"
PLACEHOLDER = "TODO"
"""What a value of the template's metadata starts with until the editors write their own."""
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
HOW = "run `edition citation` to write it from mkdocs.yml and the documents' `original:`"


def _person(name: str) -> dict[str, str]:
    """A CFF person: given and family names when the name has both, else the name as one."""
    parts = name.rsplit(" ", 1)
    if len(parts) == 2 and all(part[:1].isupper() for part in parts):
        return {"family-names": parts[1], "given-names": parts[0]}
    return {"name": name}


def _reference(original: Original) -> dict[str, Any]:
    reference: dict[str, Any] = {"type": "generic", "title": original.title}
    people = [*original.authors, *original.interviewers]
    if people:
        reference["authors"] = [_person(name) for name in people]
    if original.publisher:
        reference["publisher"] = {"name": original.publisher}
    if original.date:
        reference["date-published"] = original.date
    if original.url:
        reference["url"] = original.url
    if original.language:
        reference["languages"] = [original.language]
    return reference


def document_about(document: DocumentDeclaration, title: str | None) -> dict[str, Any]:
    """What a document's page is about, as schema.org JSON-LD (a `CreativeWork`): the original
    it presents (title, authors, interviewers, publisher, date, URL, language), else its own
    title and speakers. `title` is the document's title line."""
    original = document.original
    speakers = [speaker.known_as for speaker in document.speakers]
    about: dict[str, Any] = {"@type": "CreativeWork", "name": original.title if original else (title or document.id),
                             "alternateName": document.display_name}
    authors = list(original.authors) if original and original.authors else speakers
    if authors:
        about["author"] = [{"@type": "Person", "name": name} for name in authors]
    if original is None:
        return about
    if original.interviewers:
        about["contributor"] = [{"@type": "Person", "name": name} for name in original.interviewers]
    about |= {key: value for key, value in (("datePublished", original.date), ("url", original.url),
                                            ("inLanguage", original.language)) if value}
    if original.publisher:
        about["publisher"] = {"@type": "Organization", "name": original.publisher}
    return about


def document_source(document: DocumentDeclaration) -> str:
    """The original a document presents, in one line (`DC.source`): title, publisher, date."""
    original = document.original
    return ", ".join(part for part in (original.title, original.publisher, original.date) if part) if original else ""


def citation(config: Mapping[str, Any], documents: Iterable[DocumentDeclaration]) -> dict[str, Any]:
    """What `CITATION.cff` says, from the edition's metadata and its documents' originals."""
    extra = config.get("extra")
    found = extra.get("edition") if isinstance(extra, Mapping) else None
    edition: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    cff: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you cite this edition, please cite it as below.",
        "type": "dataset",
        "title": str(config.get("site_name") or ""),
        "authors": [{"name": str(name)} for name in edition.get("editors") or []],
    }
    for key, field in (("date", "date-released"), ("version", "version"), ("license", "license")):
        if edition.get(key):
            cff[field] = str(edition[key])
    url = str(config.get("site_url") or "")
    if url and urlsplit(url).hostname not in LOCAL_HOSTS:  # `make serve`'s address is no place to cite
        cff["url"] = url
    if config.get("site_description"):
        cff["abstract"] = " ".join(str(config["site_description"]).split())
    if edition.get("keywords"):
        cff["keywords"] = [str(word) for word in edition["keywords"]]
    references = [_reference(document.original) for document in documents if document.original is not None]
    if references:
        cff["references"] = references
    return cff


def citation_text(config: Mapping[str, Any], documents: Iterable[DocumentDeclaration]) -> str:
    """`CITATION.cff` as `edition citation` writes it."""
    head = "# Written by `edition citation` from mkdocs.yml and the documents' `original:`; edit those, not this.\n"
    return head + yaml.safe_dump(citation(config, documents), allow_unicode=True, sort_keys=False, width=100)


def citation_problems(config: Mapping[str, Any], documents: Iterable[DocumentDeclaration],
                      config_file: Path, text: str) -> Iterator[Problem]:
    """A warning when `CITATION.cff` says other than the metadata, and one for each value of
    the metadata that is still a placeholder (`text`: the configuration file's, for the lines)."""
    documents = tuple(documents)
    for number, line in enumerate(text.splitlines(), 1):
        value = line.partition(":")[2].strip().strip("[]\"' ")
        if value.startswith(PLACEHOLDER):
            yield Problem(config_file.name, number, line.index(PLACEHOLDER) + 1, Severity.WARNING,
                          f"the edition's metadata still holds a placeholder ({value})",
                          "write the edition's own value in its place")
    for document in documents:
        for name, value in document.original.fields() if document.original is not None else ():
            if value.startswith(PLACEHOLDER):
                place = document.place_of(f"original.{name}")
                yield Problem(place.path, place.line, place.col, Severity.WARNING,
                              f"the `original:` of document '{document.id}' still holds a placeholder ({value})",
                              "write what the document presents: its title, authors, publisher and date")
    cff = config_file.parent / CITATION_FILE
    if not cff.is_file():
        return  # an edition may do without one
    try:
        written = yaml.safe_load(cff.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        written = None
    if written != citation(config, documents):
        yield Problem(CITATION_FILE, 1, 1, Severity.WARNING,
                      "CITATION.cff does not say what the edition's metadata says", HOW)
