"""Documents from their text as received: a `.txt` of one block per line, and its declaration.

A document is declared in the `documents/` data folder (schema `documents.schema.json`):

    - id: interview
      page: interview.md                  # the page that shows it (it holds `::: edition-document interview`)
      source: ../docs/sources/interview.txt   # relative to this file
      caption: [2]                        # lines that are not dialogue (the title is line 1)
      lede: [3]
      source_line: [63]
      statement: [64]
      speakers: [{label: Reporter}, {label: Yuritsyn}]
      turns: [{line: 51, speaker: Reporter}]  # unlabelled lines the editors attribute

The text is never parsed as Markdown: each line becomes one block of the page with exactly
its characters (`#`, `*`, `<b>`, `[1]`, backslashes and `&amp;` included). A line that opens
with a declared label and a colon starts that speaker's turn; a line without one continues
the turn before it. Labels may be several words, in any case (`MINISTER ABENOV:`).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.loading import DUPLICATE_ID_HINT, data_files, file_digest, file_items, folder_problems, suggest
from edition.model import ROLES, SPEAKER_COLOURS, DocumentDeclaration, Original, Place, Speaker
from edition.problems import Problem, Severity, display_path

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import Any

    from edition.loading import LoadCache
    from edition.yamlfile import YamlDocument

URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]}»”’'*_]")
"""A web address in the text (http or https only), without the punctuation that ends a sentence:
the page makes it a link (its text unchanged), and glossary terms are not looked for in it."""
MAX_SOURCE_BYTES = 5_000_000
"""A transcript larger than this (about 800,000 words) can only be a mistake."""
LABEL_LIKE = re.compile(r"((?:[^\W\d_a-zа-яё][\w'’.-]*)(?: [^\W\d_a-zа-яё][\w'’.-]*){0,3}):(?=\s)")
"""What looks like a speaker's label at the start of a line: one to four capitalised words and
a colon (`QUESTION:`, `Special Envoy Marsh:`)."""
NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
"""Characters a line of text cannot hold: control characters (a tab is fine), line and paragraph
separators, and a byte-order mark inside the text."""


@dataclass(frozen=True, slots=True)
class Line:
    """One block of a document: a line of its source and what the declaration says of it."""

    number: int
    """The line's number in the source, from 1."""
    text: str
    role: str = ""
    """`title`, `caption`, `lede`, `source`, `statement`, or "" for dialogue."""
    speaker: str = ""
    """The label of the speaker whose turn this line is part of ("" outside any turn)."""
    labelled: bool = False
    """Whether the line opens with the speaker's label (`Reporter: …`), which is the text's own."""
    inferred: bool = False
    """Whether the editors attribute the line (it opens a turn without a label)."""


def text_runs(line: Line) -> list[tuple[int, int, str]]:
    """The runs of a line's text as its element holds them: (start, end, kind), where kind is
    `label` (the speaker's label the text writes, with its colon), `link` (a web address) or
    `text`; empty runs left out. The page's elements and the glossary's occurrences both follow
    these runs, so a term is found where the page links it."""
    runs: list[tuple[int, int, str]] = []
    pos = 0
    if line.labelled:
        pos = len(line.speaker) + 1
        runs.append((0, pos, "label"))
    for match in URL.finditer(line.text, pos):
        runs.append((pos, match.start(), "text"))
        runs.append((match.start(), match.end(), "link"))
        pos = match.end()
    runs.append((pos, len(line.text), "text"))
    return [run for run in runs if run[0] < run[1]]


@dataclass(frozen=True)
class Transcript:
    """A declared document and its lines."""

    declaration: DocumentDeclaration
    lines: tuple[Line, ...]


def load_documents(folder: Path | None, root: Path, cache: LoadCache | None = None
                   ) -> tuple[tuple[Transcript, ...], list[Problem], frozenset[str]]:
    """Every declared document under `folder` with its text, every problem found, and the ids of
    the documents left out because of them (a page showing one is not reported as well). With
    a `cache` of an earlier load in this process (`mkdocs serve`), a text whose declaration and
    bytes are unchanged is not read again: its transcript is the same object as before."""
    problems: list[Problem] = []
    found: dict[str, Transcript] = {}
    pages: dict[str, DocumentDeclaration] = {}
    invalid: set[str] = set()
    for declaration in _declarations(folder, root, problems, invalid, cache):
        first = found.get(declaration.id)
        if first is not None:
            place = declaration.place
            problems.append(Problem(place.path, place.line, place.col, Severity.ERROR,
                                    f"duplicate document id '{declaration.id}', also used at "
                                    f"{first.declaration.place.path}:{first.declaration.place.line}",
                                    DUPLICATE_ID_HINT))
            continue
        other = pages.get(declaration.page)
        if other is not None:
            place = declaration.place_of("page")
            problems.append(Problem(place.path, place.line, place.col, Severity.ERROR,
                                    f"page '{declaration.page}' already shows document '{other.id}'",
                                    "give each document a page of its own"))
            continue
        pages[declaration.page] = declaration
        transcript = read_transcript(declaration, root, problems, cache)
        if transcript is not None:
            found[declaration.id] = transcript
        else:
            invalid.add(declaration.id)
    return tuple(found.values()), problems, frozenset(invalid - set(found))


def _declarations(folder: Path | None, root: Path, problems: list[Problem], invalid: set[str],
                  cache: LoadCache | None) -> Iterator[DocumentDeclaration]:
    """Each valid declaration under `folder`, in a stable order, its file's problems going into
    `problems` and the ids of those left out into `invalid` (as `valid_items`). With a `cache`,
    a file whose bytes are unchanged since the last load (its digest, as `LoadCache.load`
    compares the notes' files) gives the same declarations again without being read as YAML
    (`mkdocs serve` rebuilds: 200 files at N = 200)."""
    if folder is None:
        return
    problems.extend(folder_problems(folder, root))
    for path in data_files(folder):
        def read(path: Path = path) -> tuple[list[DocumentDeclaration], list[Problem], set[str]]:
            found: list[Problem] = []
            left_out: set[str] = set()
            declarations = [_declaration(doc, index, item, root)
                            for doc, index, item in file_items(path, root, "documents", found, left_out)]
            return declarations, found, left_out

        digest = file_digest(path) if cache is not None else b""  # empty: unreadable, not kept
        declarations, found, left_out = (cache.made(("declarations", path, root), digest, read)
                                         if cache is not None and digest else read())
        problems.extend(found)
        invalid.update(left_out)
        yield from declarations


def _declaration(doc: YamlDocument, index: int, item: Mapping[str, Any], root: Path) -> DocumentDeclaration:
    places = {name: doc.place((index, name)) for name in item}
    roles: dict[int, str] = {}
    for name, role in ROLES.items():
        value = item.get(name, 1 if name == "title" else [])
        for number in [value] if isinstance(value, int) else value:
            roles.setdefault(number, role)  # a line given two roles is reported by `_declaration_problems`
    # `doc.path` is relative to `root`, or absolute
    source = Path(os.path.normpath((root / doc.path).parent / item["source"]))
    return DocumentDeclaration(
        id=item["id"], page=item["page"], source=item["source"], source_file=source.absolute().as_posix(),
        place=doc.place((index,)), roles=MappingProxyType(roles),
        speakers=tuple(Speaker(s["label"], s.get("name", ""), s.get("description", ""),
                               s.get("colour") or (position % SPEAKER_COLOURS) + 1)
                       for position, s in enumerate(item.get("speakers", ()))),
        not_speakers=frozenset(item.get("not_speakers", ())),
        turns=MappingProxyType({turn["line"]: turn["speaker"] for turn in item.get("turns", ())}),
        name=item.get("name", ""),
        original=_original(item.get("original")),
        field_places=MappingProxyType({**places, **_turn_places(doc, index, item), **_role_places(doc, index, item),
                                       **{f"original.{key}": doc.place((index, "original", key))
                                          for key in item.get("original") or {}}}),
    )


def _original(item: Mapping[str, Any] | None) -> Original | None:
    if item is None:
        return None
    return Original(title=item.get("title", ""), authors=tuple(item.get("authors", ())),
                    interviewers=tuple(item.get("interviewers", ())), publisher=item.get("publisher", ""),
                    date=item.get("date", ""), url=item.get("url", ""), language=item.get("language", ""))


def _turn_places(doc: YamlDocument, index: int, item: Mapping[str, Any]) -> dict[str, Place]:
    """Where each attributed line is declared (`turns.<n>`)."""
    return {f"turns.{turn['line']}": doc.place((index, "turns", position))
            for position, turn in enumerate(item.get("turns", ()))}


def _role_places(doc: YamlDocument, index: int, item: Mapping[str, Any]) -> dict[str, Place]:
    """Where each line given a role is declared (`<field>.<n>`)."""
    places: dict[str, Place] = {}
    for name in ROLES:
        value = item.get(name)
        if isinstance(value, list):
            places.update({f"{name}.{n}": doc.place((index, name, position)) for position, n in enumerate(value)})
    return places


def read_transcript(declaration: DocumentDeclaration, root: Path, problems: list[Problem],
                    cache: LoadCache | None = None) -> Transcript | None:
    """The document's lines, from its source file; None when the file cannot be read as text
    (with a `cache`, see `load_documents`)."""
    path = Path(declaration.source_file)
    shown = display_path(path, root)
    place = declaration.place_of("source")
    if not path.is_file():
        problems.append(Problem(place.path, place.line, place.col, Severity.ERROR,
                                f"the text of document '{declaration.id}', '{declaration.source}', is not a file",
                                f"give its path relative to {place.path} (it resolves to {shown})"))
        return None
    data = path.read_bytes()
    made = _transcript(declaration, data, shown) if cache is None else cache.made(
        ("transcript", declaration.id), (declaration, data, shown), lambda: _transcript(declaration, data, shown))
    problems.extend(made[1])
    return made[0]


def _transcript(declaration: DocumentDeclaration, data: bytes, shown: str) -> tuple[Transcript | None, list[Problem]]:
    """The document's lines from its file's bytes (`read_transcript`), and the problems found."""
    problems: list[Problem] = []
    if len(data) > MAX_SOURCE_BYTES:
        problems.append(Problem(shown, 0, 1, Severity.ERROR, f"the text has {len(data):,} bytes; at most "
                                f"{MAX_SOURCE_BYTES:,} are allowed", "split it into several documents"))
        return None, problems
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem(shown, line, 1, Severity.ERROR, "the text is not UTF-8",
                                "save the file as UTF-8 (the byte at this line is not)"))
        return None, problems
    texts, found = split_lines(text.removeprefix("\ufeff"), shown)
    problems.extend(found)
    if not texts:
        problems.append(Problem(shown, 0, 1, Severity.ERROR, "the text is empty",
                                "put the document's title on the first line, then one paragraph a line"))
        return None, problems
    lines, found = classify(texts, declaration, shown)
    problems.extend(found)
    return Transcript(declaration, lines), problems


def split_lines(text: str, shown: str) -> tuple[list[str], list[Problem]]:
    """The lines of a text (LF or CRLF line ends; one final line end is not a line), and what
    keeps a line from being a block of its own."""
    problems: list[Problem] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.removesuffix("\r") for line in lines]
    for number, line in enumerate(lines, 1):
        bad = NOT_TEXT.search(line) or re.search("\r", line)
        if bad:
            name = unicodedata.name(bad.group(), "a control character")
            problems.append(Problem(shown, number, bad.start() + 1, Severity.ERROR,
                                    f"the line holds {name} (U+{ord(bad.group()):04X}), which is not text",
                                    "remove it: a line of the text holds one paragraph of readable text"))
        elif not line.strip():
            problems.append(Problem(shown, number, 1, Severity.ERROR, "the line is empty",
                                    "remove it: each line of the text is one block of the page (no blank lines "
                                    "between paragraphs)"))
    return lines, problems


def classify(texts: list[str], declaration: DocumentDeclaration,
             shown: str) -> tuple[tuple[Line, ...], list[Problem]]:
    """Each line with its role and its speaker, and what in the declaration does not fit the text."""
    problems = list(_declaration_problems(texts, declaration))
    labels = sorted((speaker.label for speaker in declaration.speakers), key=len, reverse=True)
    lines: list[Line] = []
    current = ""
    for number, text in enumerate(texts, 1):
        role = declaration.roles.get(number, "")
        if role:
            current = ""
            lines.append(Line(number, text, role))
            continue
        label = next((label for label in labels if _opens_with(text, label)), None)
        if label is not None:
            current = label
            lines.append(Line(number, text, "", label, labelled=True))
            if number in declaration.turns:
                place = declaration.place_of(f"turns.{number}")
                problems.append(Problem(place.path, place.line, place.col, Severity.ERROR,
                                        f"line {number} opens with its own label '{label}:'",
                                        "remove it from `turns`: only unlabelled lines are attributed"))
            continue
        attributed = declaration.turns.get(number)
        if attributed is not None:
            current = attributed
            lines.append(Line(number, text, "", attributed, inferred=True))
            continue
        lines.append(Line(number, text, "", current))
        like = LABEL_LIKE.match(text)
        if like and like.group(1) not in declaration.not_speakers:
            problems.append(_label_warning(shown, number, like.group(1), declaration))
    return tuple(lines), problems


def _opens_with(text: str, label: str) -> bool:
    """Whether `text` opens with `label:` followed by a space (or nothing)."""
    rest = text[len(label) + 1:]
    return text.startswith(label + ":") and (not rest or rest[0].isspace())


def _label_warning(shown: str, number: int, label: str, declaration: DocumentDeclaration) -> Problem:
    place = declaration.place
    return Problem(shown, number, 1, Severity.WARNING,
                   f"the line opens with “{label}:”, which looks like a speaker's label but is not declared",
                   f"add `- label: {label}` under `speakers:` of document '{declaration.id}' ({place.path}:"
                   f"{place.line}) if it opens a turn, else add it to `not_speakers:`")


def _declaration_problems(texts: list[str], declaration: DocumentDeclaration) -> Iterator[Problem]:
    """Lines named by the declaration that the text does not have, lines given two roles, and
    attributed speakers that are not declared."""
    count = len(texts)
    named = [("title", next((n for n, r in declaration.roles.items() if r == "title"), 1), "title")]
    named += [(name, int(key.split(".")[1]), key) for key in declaration.field_places
              for name in ROLES if key.startswith(f"{name}.")]
    for name, number, key in named:
        place = declaration.place_of(key)
        if number > count:
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"`{name}` names line {number}, but the text has {count} lines",
                          f"give a line number from 1 to {count}")
        elif declaration.roles[number] != ROLES[name]:
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"line {number} is given two roles, `{declaration.roles[number]}` and `{ROLES[name]}`",
                          "give each line one role")
    labels = [speaker.label for speaker in declaration.speakers]
    for number, speaker in declaration.turns.items():
        place = declaration.place_of(f"turns.{number}")
        if number > count:
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"`turns` names line {number}, but the text has {count} lines",
                          f"give a line number from 1 to {count}")
        elif number in declaration.roles:
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"line {number} is the document's {declaration.roles[number]}, not a turn",
                          "remove it from `turns`")
        if speaker not in labels:
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"'{speaker}' is not one of the document's `speakers`",
                          f"{suggest(speaker, labels)}declare it under `speakers:` or use one of: "
                          f"{', '.join(labels) or 'none declared'}")


def slug(text: str) -> str:
    """A class-name form of a speaker's label (`MINISTER ABENOV` → `minister-abenov`)."""
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")
