"""`edition import hypothesis FILE.json`: Hypothesis annotations become draft notes.

The file is Hypothesis's export (`{"annotations": [...]}`) or the API's search results
(`{"rows": [...]}`), read by `edition.hypothesis_format`; a file that is neither is one line
per problem, and nothing is written. Then each annotation:

- on a page of one of the edition's documents (its `uri`, else its target's `source`, is the
  page's URL on the site URL, `--site-url`, by default `site_url` of `mkdocs.yml`; `http` and
  `https`, a query, a fragment, `index.html` and the final `/` do not count, as Hypothesis
  itself treats them), whose quote anchors strictly by the edition's rules, becomes a draft
  note (`status: unverified`, `confidence: low`) appended to `annotations/hypothesis.yml`,
  after a line `# hypothesis: <id>`;
- whose quote is not in the document, or matches several places that its prefix and suffix
  do not tell apart, goes to the review file (`hypothesis-review.yml` beside `mkdocs.yml`,
  `--review`), with the nearest passages or every place and how a note names it; so does a
  draft the edition's check refuses (raw HTML in its text, say), with the check's message;
- that is a reply, a page note (no quote), on another site or another page, has no text, or
  was imported before (its id is on a `# hypothesis:` line of an annotation file or in the
  review file, or a note or review entry has the same quote and text) is reported and skipped.

A quote the text holds once is the note's quote; a quote it holds several times is taken at
the one place where the annotation's prefix and suffix agree with the text, and the note
says which with the shortest prefix or suffix, else its occurrence, as `edition new` does
(`DocumentText.placement`). The title is the text's first line in bold (as
`data/hypothesis/<document>.json` writes it) or its first line; links to the edition's notes and
glossary become `note:`/`term:` links, other links sources. After writing, the edition is
checked as the build checks it, and drafts with problems move to the review file, so that it
still builds with `--strict`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

from edition.checking import check, load_mkdocs_config, render_documents
from edition.drafts import dump_entries, note_slug, schema_reference
from edition.exports import DEFAULT_SITE_URL, page_url
from edition.hypothesis_format import (
    NOTE_ID,
    Incoming,
    author_of,
    canonical_url,
    day_of,
    draft_text,
    note_id_in,
    read_annotations,
    type_of,
)
from edition.loading import data_files
from edition.problems import LinesError, display_path
from edition.textnorm import normalize_plain

if TYPE_CHECKING:
    from pathlib import Path

    from edition.anchoring import Candidate, DocumentText, Placement
    from edition.state import EditionState

DRAFTS_FILE = "hypothesis.yml"
"""The file of the annotations folder the drafts are appended to."""
REVIEW_FILE = "hypothesis-review.yml"
"""The review file's name, beside `mkdocs.yml` (not a data folder: the build does not read it)."""
RECORDED = re.compile(r"^# hypothesis: ([A-Za-z0-9_-]+)[ \t]*$", re.MULTILINE)
"""The line before a draft that names the Hypothesis annotation it came from."""
DRAFTS_HEADER = """\
# yaml-language-server: $schema={schema}
# Draft notes imported from Hypothesis by `edition import hypothesis` (see the README). Check
# each one, give it sources, then set `status: verified`; keep its `# hypothesis:` line, which
# tells a later import that the annotation is here already.
"""
REVIEW_HEADER = """\
# Hypothesis annotations that `edition import hypothesis` could not anchor (see `reason`) or
# that the edition's check refused. For each: correct the quote, or say which place it means
# (`nearest`, `places`), make it a note in annotations/, and delete it here (or keep it, to
# tell a later import that it was seen). The build does not read this file.
"""
CONTEXT_SLACK = 8
"""Characters of the text looked at beyond the length of an annotation's prefix or suffix."""


@dataclass
class Outcome:
    """What an import did: the annotations made drafts, sent to review and skipped, with why."""

    drafts_file: Path
    review_file: Path
    drafts: list[tuple[Incoming, str]] = field(default_factory=list)
    """Each annotation made a draft, and the draft's id."""
    review: list[tuple[Incoming, str]] = field(default_factory=list)
    """Each annotation sent to review, and why."""
    skipped: list[tuple[Incoming, str]] = field(default_factory=list)
    """Each annotation skipped, and why."""


@dataclass
class _Edition:
    """What the import needs of the edition: its state, its pages' URLs, its files."""

    state: EditionState
    pages: dict[str, str]
    """The canonical URL (`canonical_url`) of each document's page → the document."""
    notes_url: str
    glossary_url: str
    site_host: str


def import_hypothesis(config_file: Path, source: Path, *, site_url: str | None = None,
                      review_file: Path | None = None) -> Outcome:
    """Import the Hypothesis annotations of `source` into the edition of `config_file`.

    Raises:
        LinesError: If `source` is not Hypothesis annotations or the review file cannot be
            read (one line each); nothing is written then.
    """
    root = config_file.parent
    incoming = read_annotations(source, source.as_posix())
    edition = _edition(config_file, site_url)
    state = edition.state
    folder = state.options.annotations or root / "annotations"
    outcome = Outcome(folder / DRAFTS_FILE, review_file or root / REVIEW_FILE)
    reviewed = _review_entries(outcome.review_file, root)
    files = data_files(folder) if folder.is_dir() else []
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    recorded = {found for text in texts for found in RECORDED.findall(text)}
    recorded |= {str(entry["hypothesis"]) for entry in reviewed if entry.get("hypothesis")}
    known = {(note.document, normalize_plain(note.quote), note.body.strip()) for note in state.corpus.notes.values()}
    known |= {(str(entry.get("document")), normalize_plain(str(entry.get("quote", ""))), str(entry.get("body", "")))
              for entry in reviewed}
    taken = set(state.corpus.notes) | {found for text in texts for found in re.findall(r"^- id: (\S+)", text, re.M)}
    drafts: list[tuple[Incoming, dict[str, Any]]] = []
    review: list[tuple[Incoming, dict[str, Any]]] = []
    for item in incoming:
        document, why = _document_of(item, edition)
        if why is None and item.id and item.id in recorded:
            why = "imported before (its id is in an annotation file or the review file)"
        if why is None and not item.text.strip():
            why = "it has no text (a highlight)"
        if why is not None or document is None:
            outcome.skipped.append((item, why or ""))
            continue
        recorded.add(item.id)
        draft, reason = _draft(item, document, edition, taken)
        key = (document, normalize_plain(draft["quote"]), draft["body"].strip())
        if key in known:
            outcome.skipped.append((item, "already there: a note or review entry has this quote and text"))
            continue
        known.add(key)
        if reason is None:
            taken.add(draft["id"])
            drafts.append((item, draft))
        else:
            review.append((item, _review_entry(item, document, draft, reason)))
    _write(config_file, outcome, drafts, review)
    return outcome


def _edition(config_file: Path, site_url: str | None) -> _Edition:
    state = render_documents(config_file)
    config = load_mkdocs_config(config_file)
    site = site_url or config.site_url or DEFAULT_SITE_URL
    site = site if site.endswith("/") else site + "/"
    pages = {canonical_url(page_url(config, record.page, site)): name for name, record in state.documents.items()}
    return _Edition(state, pages, page_url(config, state.options.notes_page, site),
                    page_url(config, state.options.glossary_page, site), urlsplit(site).netloc.lower())


def _document_of(item: Incoming, edition: _Edition) -> tuple[str | None, str | None]:
    """The document an annotation is on, or why it is skipped."""
    if item.is_reply:
        return None, "a reply to another annotation"
    if item.exact is None:
        return None, "a page note (it quotes nothing)"
    for uri in item.uris:
        document = edition.pages.get(canonical_url(uri))
        if document is not None:
            return document, None
    uri = item.uris[0]
    if urlsplit(uri).netloc.lower() == edition.site_host:
        return None, f"on a page of the site that shows no document ({uri})"
    return None, f"on another site ({uri}; the edition's is {edition.site_host or 'not set'}, see --site-url)"


def _draft(item: Incoming, document: str, edition: _Edition, taken: set[str]) -> tuple[dict[str, Any], str | None]:
    """The draft note of an annotation, and why it goes to review instead (None: it anchors)."""
    state = edition.state
    record = state.documents[document]
    text = record.text
    quote = normalize_plain(item.exact or "")

    def own_link(url: str) -> str | None:
        base, _, fragment = url.partition("#")
        if canonical_url(base) == canonical_url(edition.notes_url) and NOTE_ID.fullmatch(fragment):
            return f"note:{fragment}"
        if canonical_url(base) == canonical_url(edition.glossary_url) and fragment in state.corpus.terms:
            return f"term:{fragment}"
        return None

    written = draft_text(item.text, own_link)
    day = day_of(item.created)
    preferred = note_id_in(item.incontext, _page_of(edition, document))
    note_id = preferred if preferred and preferred not in taken else note_slug(quote, taken)
    placed, reason = _place(text, quote, item)
    draft: dict[str, Any] = {"id": note_id, "document": document, "type": type_of(item.tags), "quote": quote,
                             **(placed.fields() if placed is not None else {}), "title": written.title,
                             "body": written.body}
    if written.sources:
        draft["sources"] = [dict(source) for source in written.sources]
    draft.update({"author": author_of(item.user), "status": "unverified", "confidence": "low"})
    if day:
        draft["created"] = day
        draft["modified"] = max(day, day_of(item.updated) or day)
    return draft, reason


def _page_of(edition: _Edition, document: str) -> str:
    """The URL (canonical) of a document's page."""
    return next(url for url, name in edition.pages.items() if name == document)


def _place(text: DocumentText, quote: str, item: Incoming) -> tuple[Placement | None, str | None]:
    """How the note names the place of its quote, or why the quote does not anchor."""
    matches = text.find_all(quote)
    if not matches:
        near = text.nearest_passages(quote)
        return None, f"quote “{quote}” is not in the document" + (f"; nearest: {'; '.join(near)}" if near else "")
    # The edition's rule: one place. The annotation's context only chooses among several.
    agreeing = [index for index, candidate in enumerate(matches) if len(matches) == 1 or _agrees(text, candidate, item)]
    if len(agreeing) != 1:
        places = "; ".join(text.option(quote, matches, index) for index in range(len(matches)))
        return None, (f"quote “{quote}” matches {len(matches)} places, and its prefix and suffix agree with "
                      f"{len(agreeing) or 'none'} of them: {places}")
    return text.placement(quote, matches, agreeing[0]), None


def _agrees(text: DocumentText, candidate: Candidate, item: Incoming) -> bool:
    """Whether the annotation's prefix and suffix are the text's around `candidate` (where the
    document starts or ends within them, the part that is in the document)."""
    prefix, suffix = normalize_plain(item.prefix), normalize_plain(item.suffix)
    lo = candidate.start - len(prefix) - CONTEXT_SLACK
    before = normalize_plain(text.text[max(0, lo):candidate.start])
    hi = candidate.end + len(suffix) + CONTEXT_SLACK
    after = normalize_plain(text.text[candidate.end:hi])
    return ((not prefix or before.endswith(prefix) or (lo <= 0 and prefix.endswith(before)))
            and (not suffix or after.startswith(suffix) or (hi >= len(text.text) and suffix.startswith(after))))


def _review_entry(item: Incoming, document: str, draft: dict[str, Any], reason: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"hypothesis": item.id} if item.id else {}
    entry.update({"document": document, "uri": item.uris[0], "author": draft["author"], "reason": reason,
                  "quote": draft["quote"], "hypothesis_prefix": item.prefix, "hypothesis_suffix": item.suffix,
                  "tags": list(item.tags), "text": item.text, "body": draft["body"]})
    return {key: value for key, value in entry.items() if value not in ("", [])}


def _review_entries(path: Path, root: Path) -> list[dict[str, Any]]:
    """The entries of the review file, if there is one."""
    if not path.is_file():
        return []
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        raise LinesError([f"{display_path(path, root)}:{mark.line + 1 if mark else 1}: error: the review file is "
                          "not YAML — correct it, or move it away to start a new one"]) from None
    if entries is None:
        return []
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise LinesError([f"{display_path(path, root)}:1: error: the review file is not a list of entries — "
                          "correct it, or move it away to start a new one"])
    return entries


def _write(config_file: Path, outcome: Outcome, drafts: list[tuple[Incoming, dict[str, Any]]],
           review: list[tuple[Incoming, dict[str, Any]]]) -> None:
    """Append the drafts and the review entries; move the drafts the check refuses to review."""
    root = config_file.parent
    path = outcome.drafts_file
    before = path.read_text(encoding="utf-8") if path.is_file() else None
    shown = display_path(path, root)
    kept = list(drafts)
    try:
        while kept:
            spans = _write_drafts(path, before, kept)
            problems = [p for p in check(config_file) if p.path == shown]
            # A problem of the whole file (line 0: too large, say) refuses every draft; one at a
            # line, the draft there (those at the file's other lines were there before).
            refused = {index: [f"{p.message} — {p.hint}" for p in problems if start <= p.line < end or not p.line]
                       for index, (start, end) in enumerate(spans)}
            refused = {index: found for index, found in refused.items() if found}
            if not refused:
                break
            for index, found in refused.items():
                item, draft = kept[index]
                reason = "the edition's check refuses the draft: " + "; ".join(found)
                review.append((item, _review_entry(item, draft["document"], draft, reason)))
            kept = [pair for index, pair in enumerate(kept) if index not in refused]
        if not kept:
            _restore(path, before)
    except BaseException:
        _restore(path, before)
        raise
    outcome.drafts = [(item, draft["id"]) for item, draft in kept]
    outcome.review = [(item, entry["reason"]) for item, entry in review]
    if review:
        existing = outcome.review_file.read_text(encoding="utf-8") if outcome.review_file.is_file() else REVIEW_HEADER
        outcome.review_file.parent.mkdir(parents=True, exist_ok=True)
        outcome.review_file.write_text(_joined(existing, dump_entries([entry for _, entry in review])),
                                       encoding="utf-8")


def _write_drafts(path: Path, before: str | None, drafts: list[tuple[Incoming, dict[str, Any]]]) -> list[
        tuple[int, int]]:
    """Write the file as it was with `drafts` after it; the lines (from, to) of each draft."""
    text = before if before is not None else DRAFTS_HEADER.format(schema=schema_reference(path.parent))
    text = _joined(text, "")
    spans = []
    for item, draft in drafts:
        start = text.count("\n") + 1
        text += (f"# hypothesis: {item.id}\n" if item.id else "") + dump_entries([draft])
        spans.append((start, text.count("\n") + 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return spans


def _joined(text: str, more: str) -> str:
    return (text if not text or text.endswith("\n") else text + "\n") + more


def _restore(path: Path, before: str | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(before, encoding="utf-8")

