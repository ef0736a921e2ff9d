"""Hypothesis's annotation format (https://web.hypothes.is/), out and in.

**Out**: `data/hypothesis/<document>.json` holds a document's notes as the file Hypothesis's
client writes with "Export" and reads with "Import" (Share annotations → Import): an object with
`export_date`, `export_userid`, `client_version` and `annotations`, a list of annotations as
the Hypothesis API gives them (`JSONExportContent` in the client's
`src/sidebar/services/annotations-exporter.tsx`). The client's import (`readExportFile` in
`src/sidebar/helpers/import.ts`, `ImportAnnotationsService` in
`src/sidebar/services/import-annotations.ts`) reads of each annotation: `user` (it lists the
file's annotations by user, showing `user_info.display_name` or the name in
`acct:name@authority`), `references` (replies are left out), `text`, `tags` (a list), the
`TextQuoteSelector` of `target[0].selector` (to skip duplicates), `permissions.read` (shared
when it names a group) and `target`; it saves every annotation of the chosen user in the
reader's group *on the page they have open* (`uri: currentFrame?.uri ?? ann.uri` in
`getImportData`), whatever page the file says. So each document has its own file: one file
for the whole edition would put every document's notes on whichever page imports it.

Each note becomes one annotation: its text is the note's title in bold, its Markdown body
(with `term:`/`note:` links and links to pages of the site made absolute) and its sources
as a list under "Sources:"; its tag is the note's type; its target is the page, selected by
the `TextQuoteSelector` of the W3C export (`edition.w3c`), whose prefix and suffix make it
unique in the document. The W3C export's `TextPositionSelector` is counted within the
paragraph (it refines a `CssSelector`), whereas Hypothesis reads a `TextPositionSelector`
as offsets in the text of the whole page: it is left out rather than mislead the client.

**In**: `read_annotations` reads a Hypothesis export file or the API's search results
(`{"rows": [...]}`) into `Incoming` annotations, or raises `FormatError` with one line per
problem; `draft_text` turns an annotation's text into a note's title, body and sources (the
inverse of the text written out, so that a round trip gives the same note).
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

from edition.problems import UNPRINTABLE, LinesError
from edition.render import PAGE, link_target
from edition.vocabulary import ANNOTATION_TYPES
from edition.w3c import anchor_selectors

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from pathlib import Path

    from edition.anchoring import Anchor
    from edition.document import DocumentRecord
    from edition.model import Annotation, Source
    from edition.render import Finding
    from edition.reuse import DocumentExports
    from edition.state import EditionState

EXPORT_FOLDER = "data/hypothesis"
JSON = dict[str, Any]
WORLD = "__world__"
"""Hypothesis's public group."""
HYPOTHESIS_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
"""What Hypothesis's annotation ids are made of (URL-safe base64)."""
NOTE_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
SOURCES_HEADING = "Sources:"
DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
TITLE_LIMIT = 80
"""A title made from the first line of a text is cut (at a word) to this many characters."""


# Out ------------------------------------------------------------------------------------


def export_path(document: str) -> str:
    """The path of a document's Hypothesis export file."""
    return f"{EXPORT_FOLDER}/{url_quote(document, safe='')}.json"


def hypothesis_exports(state: EditionState, *, page_url: Callable[[str], str], notes_url: str, glossary_url: str,
                       dates: Callable[[Annotation], tuple[str, str]], default_date: str,
                       cache: DocumentExports | None = None) -> dict[str, JSON]:
    """Each document's notes as a Hypothesis export file, by path (see the module docstring).
    The arguments are those of `hypothesis_files`."""
    return dict(hypothesis_files(state, page_url=page_url, notes_url=notes_url, glossary_url=glossary_url,
                                 dates=dates, default_date=default_date, cache=cache))


def hypothesis_files(state: EditionState, *, page_url: Callable[[str], str], notes_url: str, glossary_url: str,
                     dates: Callable[[Annotation], tuple[str, str]], default_date: str,
                     cache: DocumentExports | None = None) -> Iterator[tuple[str, JSON]]:
    """Each document's Hypothesis export file (path, content), one at a time, so that each is
    written and dropped before the next is made.

    Args:
        state: A build state whose documents have been rendered.
        page_url: The absolute URL of a page, given its path in the docs folder.
        notes_url: The absolute URL of the list of all notes (`note:` links go there).
        glossary_url: The absolute URL of the glossary (`term:` links go there).
        dates: The `created` and `modified` date-times of a note.
        default_date: A file's date when its document has no notes; else its latest `modified`.
        cache: What an earlier call in this process made of each document (`mkdocs serve`).
    """
    renderer = state.renderer(_pattern(notes_url), _pattern(glossary_url))
    home = page_url("index.md")
    authority = urlsplit(home).netloc or "localhost"
    for record in state.documents.values():
        source = page_url(record.page)
        note_dates = [dates(anchor.annotation) for anchor in record.anchors]

        def rows(record: DocumentRecord = record, source: str = source,
                 note_dates: list[tuple[str, str]] = note_dates) -> list[JSON]:
            def absolute(kind: str, href: str, page: str = record.page) -> str | None:
                if kind == PAGE:
                    path, _, fragment = href.strip().partition("#")
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
                    return page_url(target) + (f"#{fragment}" if fragment else "")
                return renderer.resolve(kind, link_target(href))

            return [_row(record, anchor, source, authority=authority, dates=when, text=note_text(
                anchor.annotation, _absolute_links(renderer.findings(anchor.annotation.body), anchor.annotation.body,
                                                   absolute)))
                for anchor, when in zip(record.anchors, note_dates, strict=True)]

        # A page link's address comes from `page_url`: the site's address and the page's own stand for it.
        values = (source, home, notes_url, glossary_url, note_dates)
        annotations = rows() if cache is None else cache.part("hypothesis", record.document, record, values, rows)
        yield export_path(record.document), {
            "export_date": max((a["updated"] for a in annotations), default=default_date),
            "export_userid": "",
            "client_version": "",
            "annotations": annotations,
        }


def _row(record: DocumentRecord, anchor: Anchor, source: str, *, authority: str, dates: tuple[str, str],
         text: str) -> JSON:
    """One note as the Hypothesis API gives an annotation."""
    note = anchor.annotation
    quote = next(s for s in anchor_selectors(record, anchor) if s["type"] == "TextQuoteSelector")
    created, modified = dates
    user = f"acct:{_username(note.author)}@{authority}"
    return {
        "created": created,
        "updated": modified,
        "user": user,
        "user_info": {"display_name": note.author},
        "uri": source,
        "document": {"title": _document_title(record)},
        "text": text,
        "tags": [note.type],
        "group": WORLD,
        "permissions": {"read": [f"group:{WORLD}"], "update": [user], "delete": [user]},
        "target": [{"source": source, "selector": [quote]}],
        "references": [],
        "hidden": False,
        "flagged": False,
        "links": {"incontext": f"{source}#note-{note.id}"},
    }


def _pattern(url: str) -> str:
    return url.replace("{", "{{").replace("}", "}}") + "#{id}"


def _username(author: str) -> str:
    """A Hypothesis user name for the note's author (letters, digits, `.` and `_`)."""
    return re.sub(r"[^A-Za-z0-9._]+", "_", author).strip("_") or "editors"


def _document_title(record: DocumentRecord) -> str:
    return " ".join((record.title or record.document).split())


def _absolute_links(findings: Iterable[Finding], body: str, absolute: Callable[[str, str], str | None]) -> str:
    """`body` with each `note:`/`term:` link and each relative link to a page made absolute
    (`findings`: where the body renderer found them)."""
    starts = [0]
    for line in body.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    edits: list[tuple[int, int, str]] = []
    for finding in findings:
        if finding.kind not in ("note", "term", PAGE):
            continue
        offset = starts[finding.line] + finding.col
        resolved = absolute(finding.kind, finding.value)
        if resolved is not None and body.startswith(finding.value, offset):
            edits.append((offset, offset + len(finding.value), resolved))
    for start, end, resolved in sorted(edits, reverse=True):
        body = body[:start] + resolved + body[end:]
    return body


def note_text(note: Annotation, body: str) -> str:
    """The text of a note's Hypothesis annotation: its title in bold, `body`, its sources."""
    parts = [f"**{_escape(note.title)}**", body.strip()]
    if note.sources:
        parts.append(SOURCES_HEADING + "\n\n" + "\n".join(_source_line(source) for source in note.sources))
    return "\n\n".join(parts)


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]])", r"\1", text)


def _source_line(source: Source) -> str:
    head = f"[{_escape(source.title)}]({source.url})" if source.url else _escape(source.title)
    details = ", ".join(part for part in (source.publisher, source.date) if part)
    return f"- {head} — {details}" if details else f"- {head}"


# In -------------------------------------------------------------------------------------


class FormatError(LinesError):
    """Why a file cannot be read as Hypothesis annotations: one `file:line: what — how to fix` each."""


@dataclass(frozen=True)
class Incoming:
    """One annotation of a Hypothesis file, as far as the import needs it."""

    index: int
    """Its place in the file's list, from 1."""
    line: int
    """The line of the file where it starts."""
    id: str
    uris: tuple[str, ...]
    """The page it was made on: its `uri`, then its target's `source`."""
    user: str
    text: str
    tags: tuple[str, ...]
    is_reply: bool
    exact: str | None
    """The `exact` of its `TextQuoteSelector`; None for a page note (no quote)."""
    prefix: str
    suffix: str
    created: str
    updated: str
    incontext: str

    @property
    def name(self) -> str:
        """How messages name it: its id, else its place in the file."""
        return self.id or f"#{self.index}"


_FIX = ("export the annotations from Hypothesis again (Share annotations → Export, JSON), or save the "
        "API's search results (https://api.hypothes.is/api/search?…) as they come")


def read_annotations(path: Path, shown: str) -> list[Incoming]:
    """The annotations of a Hypothesis export file or search results at `path` (`shown` names it).

    Raises:
        FormatError: If the file is not JSON, or not in either shape; nothing is read then.
    """
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise FormatError([f"{shown}: error: cannot read the file ({error.strerror}) — give the path of a "
                           "Hypothesis JSON file"]) from None
    except UnicodeDecodeError:
        raise FormatError([f"{shown}:1: error: the file is not UTF-8 text — {_FIX}"]) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise FormatError([f"{shown}:{error.lineno}: error: not valid JSON ({error.msg}, column {error.colno}) "
                           f"— {_FIX}"]) from None
    key = next((k for k in ("annotations", "rows") if isinstance(data, dict) and k in data), None)
    if key is None or not isinstance(data[key], list):
        raise FormatError([f"{shown}:1: error: not Hypothesis annotations: expected an object with a list "
                           f"`annotations` (an export file) or `rows` (search results) — {_FIX}"])
    items: list[Any] = data[key]
    lines = _item_lines(raw, key, len(items))
    annotations: list[Incoming] = []
    problems: list[str] = []
    for index, (item, line) in enumerate(zip(items, lines, strict=True), 1):
        wrong = _shape_problem(item)
        if wrong:
            problems.append(f"{shown}:{line}: error: annotation {index} of `{key}`: {wrong} — {_FIX}")
        else:
            annotations.append(_incoming(item, index, line))
    if problems:
        raise FormatError(problems)
    return annotations


def _item_lines(raw: str, key: str, count: int) -> list[int]:
    """The line where each item of the list `key` starts (1 for each when it cannot be told)."""
    found = re.search(rf'"{key}"\s*:\s*\[', raw)
    decoder = json.JSONDecoder()
    starts: list[int] = []
    try:
        position = found.end() if found else len(raw)
        while found:
            position = _skip(raw, position)
            if raw[position] == "]":
                break
            starts.append(position)
            _, position = decoder.raw_decode(raw, position)
            position = _skip(raw, position)
            position += raw[position] == ","
    except (IndexError, json.JSONDecodeError):
        starts = []
    if len(starts) != count:
        return [1] * count
    return [raw.count("\n", 0, start) + 1 for start in starts]


def _skip(raw: str, position: int) -> int:
    while raw[position] in " \t\r\n":
        position += 1
    return position


def _shape_problem(item: object) -> str | None:
    """What is wrong with the shape of one annotation, if anything."""
    if not isinstance(item, dict):
        return "not an object"
    return next(_shape_problems(item), None)


_TYPES: dict[str, tuple[type, str]] = {
    "id": (str, "text"), "uri": (str, "text"), "user": (str, "text"), "text": (str, "text"),
    "created": (str, "text"), "updated": (str, "text"), "tags": (list, "a list"), "references": (list, "a list"),
    "target": (list, "a list"), "links": (dict, "an object"),
}
"""The fields the import reads, and what each must be when it is there."""


def _shape_problems(item: dict[str, Any]) -> Iterator[str]:
    for name, (kind, what) in _TYPES.items():
        if item.get(name) is not None and not isinstance(item[name], kind):
            yield f"`{name}` is not {what}"
    if isinstance(item.get("id"), str) and item["id"] and not HYPOTHESIS_ID.fullmatch(item["id"]):
        yield "`id` is not a Hypothesis id (letters, digits, - and _)"
    if not all(isinstance(tag, str) for tag in item.get("tags") or []):
        yield "`tags` is not a list of text"
    targets = item.get("target")
    if not isinstance(targets, list) or not targets or not all(isinstance(t, dict) for t in targets):
        yield "it has no `target` (a list of objects)"
        return
    selectors = targets[0].get("selector") or []
    if not isinstance(selectors, list) or not all(isinstance(s, dict) for s in selectors):
        yield "the target's `selector` is not a list of objects"
        return
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    if quote is not None and not all(isinstance(quote.get(k, ""), str) for k in ("exact", "prefix", "suffix")):
        yield "its TextQuoteSelector's `exact`, `prefix` or `suffix` is not text"
    if not any(isinstance(uri, str) and uri for uri in (item.get("uri"), targets[0].get("source"))):
        yield "it names no page (no `uri`, and no `source` in its target)"


def _incoming(item: dict[str, Any], index: int, line: int) -> Incoming:
    target = item["target"][0]
    quote = next((s for s in target.get("selector") or [] if s.get("type") == "TextQuoteSelector"), None)
    uris = tuple(uri for uri in (item.get("uri"), target.get("source")) if isinstance(uri, str) and uri)
    incontext = (item.get("links") or {}).get("incontext")
    return Incoming(
        index=index, line=line, id=item.get("id") or "", uris=uris, user=item.get("user") or "",
        text=clean(item.get("text") or "", lines=True), tags=tuple(item.get("tags") or ()),
        is_reply=bool(item.get("references")),
        # A new line in a quote or its context is white space where the text's blocks meet.
        exact=clean(quote.get("exact") or "", lines=True) if quote is not None and quote.get("exact") else None,
        prefix=clean(quote.get("prefix") or "", lines=True) if quote is not None else "",
        suffix=clean(quote.get("suffix") or "", lines=True) if quote is not None else "",
        created=item.get("created") or "", updated=item.get("updated") or "",
        incontext=incontext if isinstance(incontext, str) else "")


def clean(text: str, *, lines: bool = False) -> str:
    """`text` without what edition data may not hold (control characters, U+2028/U+2029, lone
    surrogates), keeping new lines and tabs where `lines`; Windows line ends become `\\n`."""
    text = text.replace("\r\n", "\n")
    return UNPRINTABLE.sub(lambda match: match.group() if lines and match.group() in "\n\t" else "", text)


def author_of(user: str) -> str:
    """The note's author for a Hypothesis user: `acct:name@hypothes.is` → `name`."""
    found = re.fullmatch(r"acct:([^@]+)@.+", user.strip())
    return " ".join((found.group(1) if found else user).split()) or "Hypothesis user"


def type_of(tags: tuple[str, ...]) -> str:
    """The note's type: the first tag that is the name of a type (in any case), else `context`."""
    return next((tag.strip().lower() for tag in tags if tag.strip().lower() in ANNOTATION_TYPES), "context")


def day_of(stamp: str) -> str | None:
    """The date (YYYY-MM-DD) of a Hypothesis time stamp, if it has one."""
    found = re.match(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:T|$)", stamp)
    return found.group(1) if found else None


_TITLE = re.compile(r"\A\*\*((?:\\.|[^\n\\])+?)\*\*[ \t]*(?:\n[ \t]*\n|\Z)")
_SOURCES = re.compile(rf"(?:\A|\n[ \t]*\n){re.escape(SOURCES_HEADING)}[ \t]*\n(?:[ \t]*\n)*"
                      r"(?P<items>(?:- [^\n]*(?:\n|\Z))+)\s*\Z")
_LINK = re.compile(r"\[((?:\\.|[^\]\\\n])*)\]\(\s*((?:[^()\s]|\([^()\s]*\))+)\s*\)")
_URL = re.compile(r"(?<![(<\w])(?:https?://|mailto:)[^\s<>()\[\]]+")
_ITEM = re.compile(r"- (?:\[(?P<title>(?:\\.|[^\]\\\n])*)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))+)\)|(?P<plain>.+?))"
                   r"(?: — (?P<details>.+))?")
_WEB = re.compile(r"(?:https?://|mailto:)\S+")


@dataclass(frozen=True)
class DraftText:
    """A note's title, body and sources, read off a Hypothesis annotation's text."""

    title: str
    body: str
    sources: tuple[dict[str, str], ...]


def draft_text(text: str, own_links: Callable[[str], str | None]) -> DraftText:
    """Read a note's title, body and sources off a Hypothesis annotation's `text`.

    A first line in bold alone (`**Title**`) is the title; else the title is the text's first
    line, cut at a word. A last paragraph `Sources:` followed by a list is the list of
    sources (`- [Title](url) — Publisher, date`, as `note_text` writes them); every other link
    of the text is a source too (its text as title). `own_links(url)` gives the `note:`/`term:`
    link of a URL of the edition itself (those are links, not sources), else None.
    """
    text = text.strip()
    title = ""
    found = _TITLE.match(text)
    if found:
        title, text = " ".join(_unescape(found.group(1)).split()), text[found.end():].strip()
    sources: list[dict[str, str]] = []
    listed = _SOURCES.search(text)
    if listed:
        sources = [_listed_source(line) for line in listed.group("items").strip().split("\n")]
        text = text[:listed.start()].strip()

    def own(match: re.Match[str]) -> str:
        link = own_links(match.group(2))
        return f"[{match.group(1)}]({link})" if link else match.group(0)

    body = _LINK.sub(own, text)
    seen = {source.get("url") for source in sources}
    for label, url in [(m.group(1), m.group(2)) for m in _LINK.finditer(body)] + [
            ("", m.group(0).rstrip(".,;:!?")) for m in _URL.finditer(_LINK.sub("", body))]:
        if _WEB.fullmatch(url) and url not in seen:
            seen.add(url)
            sources.append({"title": " ".join(_unescape(label).split()) or url, "url": url})
    if not title:
        title = _first_line(body)
    return DraftText(title, body or title, tuple(sources))


def _listed_source(line: str) -> dict[str, str]:
    found = _ITEM.fullmatch(line.strip())
    if found is None:
        return {"title": line.strip()[2:].strip() or "Source"}
    source = {"title": " ".join(_unescape(found.group("title") or found.group("plain") or "").split()) or "Source"}
    if found.group("url") and _WEB.fullmatch(found.group("url")):
        source["url"] = found.group("url")
    details = (found.group("details") or "").split(", ")
    if details and DATE.fullmatch(details[-1]):
        source["date"] = details.pop()
    if any(details):
        source["publisher"] = ", ".join(details)
    return source


def _first_line(body: str) -> str:
    line = next((line for line in body.split("\n") if line.strip()), "")
    line = " ".join(_LINK.sub(lambda m: m.group(1), line).lstrip("#>*-+ \t").split())
    if len(line) > TITLE_LIMIT:
        line = line[:TITLE_LIMIT].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return line or "Suggested on Hypothesis"


def note_id_in(url: str, page: str) -> str | None:
    """The note id of `page#note-<id>` (how `hypothesis_export` links a note in context), if `url` is one."""
    base, _, fragment = url.partition("#")
    if canonical_url(base) == canonical_url(page) and fragment.startswith("note-") and NOTE_ID.fullmatch(fragment[5:]):
        return fragment[5:]
    return None


def canonical_url(url: str) -> str:
    """`url` as the import compares pages, much as Hypothesis does: `http` and `https` alike,
    without query, fragment, `index.html` or final `/`, the host in lower case."""
    parts = urlsplit(url.strip())
    scheme = "http" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    path = re.sub(r"/index\.html?$", "/", parts.path).rstrip("/")
    return f"{scheme}://{parts.netloc.lower()}{path}"
