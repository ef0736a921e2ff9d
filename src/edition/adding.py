"""`edition add-document SOURCE.txt --id ID`: a new document of the edition in one command.

It copies the text as received into the docs folder (`sources/<id>.txt`, published with the
site), declares it (`documents/<id>.yml`: its page, its text and the speakers found in it),
writes its page (`<id>.md`: front matter and the line `::: edition-document <id>`) and adds
the page to the navigation. The edition then builds with `--strict`, with the document and
no notes. Nothing is written when anything is wrong: the text must be UTF-8 with one block a
line, and the id, the files and the page must be new.

Speakers: a line that opens with one to four capitalised words and a colon (`Reporter:`,
`MINISTER ABENOV:`) names a speaker when the same words open more than one line. Words seen
once are declared as no speaker (`not_speakers:`), so that the build does not warn; the
command prints both lists and how to change them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from edition.problems import LinesError, display_path
from edition.transcript import LABEL_LIKE, split_lines

if TYPE_CHECKING:
    from collections.abc import Sequence

ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
NAV_ITEM = re.compile(r"^(\s+)- (?:(?:\"[^\"]*\"|[^:]+): )?(\S+\.md)\s*$")
"""A line of `nav:` naming a page (`  - The interview: interview.md`)."""


class AddError(LinesError):
    """Why the document was not added: one line each, `file:line: what — how to fix`."""


@dataclass(frozen=True)
class Added:
    """What `add_document` wrote, and the speakers it found."""

    written: tuple[Path, ...]
    speakers: tuple[tuple[str, int], ...]
    """Labels that open more than one line, with how many lines each opens."""
    not_speakers: tuple[tuple[str, int], ...]
    """Label-like words that open one line only, with that line's number."""


@dataclass(frozen=True)
class Layout:
    """Where an edition keeps its pages and its documents' declarations."""

    config_file: Path
    docs_dir: Path
    documents: Path
    document_pages: frozenset[str]
    """The pages of the documents already declared."""


def add_document(layout: Layout, source: Path, document_id: str, *, title: str | None = None,
                 speakers: Sequence[str] = ()) -> Added:
    """Add the text at `source` as document `document_id` (see the module docstring).

    Raises:
        AddError: If the text or the id cannot be used; nothing is written then.
    """
    root = layout.config_file.parent
    text, lines = _read(source)
    found = Counter(match.group(1) for line in lines if (match := LABEL_LIKE.match(line)))
    chosen = list(speakers) or [label for label, count in found.items() if count > 1]
    once = [(label, next(n for n, line in enumerate(lines, 1) if line.startswith(label + ":")))
            for label, count in found.items() if label not in chosen]
    page = f"{document_id}.md"
    targets = {"text": layout.docs_dir / "sources" / f"{document_id}.txt",
               "declaration": layout.documents / f"{document_id}.yml", "page": layout.docs_dir / page}
    problems = [f"{document_id}: error: not a document id — use lowercase letters, digits and single hyphens, "
                "starting with a letter"] if not ID.fullmatch(document_id) else []
    existing = [display_path(path, root) for path in targets.values() if path.exists()]
    if existing:
        problems.append(f"{existing[0]}: error: document '{document_id}' exists already ({', '.join(existing)}) — "
                        "choose another --id, or remove those files first")
    elif page in layout.document_pages:
        problems.append(f"{page}: error: a declared document is shown on this page — choose another --id")
    if problems:
        raise AddError(problems)
    heading = title or lines[0]
    declaration = _declaration(document_id, page, targets, chosen, [label for label, _ in once])
    targets["text"].parent.mkdir(parents=True, exist_ok=True)
    targets["declaration"].parent.mkdir(parents=True, exist_ok=True)
    targets["text"].write_text(text, encoding="utf-8", newline="")
    targets["declaration"].write_text(declaration, encoding="utf-8")
    targets["page"].write_text(f"---\ntitle: {json.dumps(heading, ensure_ascii=False)}\n---\n\n"
                               f"::: edition-document {document_id}\n", encoding="utf-8")
    written = [targets["text"], targets["declaration"], targets["page"]]
    if _add_to_nav(layout, page, heading):
        written.append(layout.config_file)
    return Added(tuple(written), tuple((label, found[label]) for label in chosen), tuple(once))


def _read(source: Path) -> tuple[str, list[str]]:
    """The text at `source` and its lines; `AddError` with every line that cannot be a block."""
    shown = source.as_posix()
    if not source.is_file():
        raise AddError([f"{shown}: error: no such file — give the path of the transcript's text (.txt)"])
    try:
        text = source.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        line = source.read_bytes().count(b"\n", 0, error.start) + 1
        raise AddError([f"{shown}:{line}: error: the text is not UTF-8 — save the file as UTF-8"]) from None
    lines, problems = split_lines(text.removeprefix("\ufeff"), shown)
    if problems:
        raise AddError([str(problem) for problem in problems])
    if not lines:
        raise AddError([f"{shown}: error: the text is empty — put the document's title on the first line, then "
                        "one paragraph a line"])
    return text, lines


def _declaration(document_id: str, page: str, targets: dict[str, Path], speakers: list[str],
                 not_speakers: list[str]) -> str:
    source = Path("..") / targets["text"].relative_to(targets["declaration"].parent.parent)
    out = ["# yaml-language-server: $schema=../src/edition/schemas/documents.schema.json",
           "# Written by `edition add-document`. Lines that are not dialogue: caption, lede, source_line,",
           "# statement (line numbers; the title is line 1). Unlabelled turns: turns: [{line: N, speaker: L}].",
           f"- id: {document_id}", f"  page: {page}", f"  source: {source.as_posix()}"]
    out.append("  speakers:" if speakers else "  speakers: []")
    out += [f"    - label: {json.dumps(label, ensure_ascii=False)}" for label in speakers]
    if not_speakers:
        out.append(f"  not_speakers: {json.dumps(not_speakers, ensure_ascii=False)}")
    return "\n".join(out) + "\n"


def _add_to_nav(layout: Layout, page: str, title: str) -> bool:
    """Add `page` to `nav:` after the last document page there (or after its first item);
    False when the configuration has no `nav:` (MkDocs then lists every page itself)."""
    lines = layout.config_file.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if line.rstrip() == "nav:"), None)
    if start is None:
        return False
    items = []
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if line.strip() and not line.startswith((" ", "\t")):
            break
        match = NAV_ITEM.match(line.rstrip("\n"))
        if match:
            items.append((number, match.group(1), match.group(2)))
    if not items:
        return False
    after = [item for item in items if item[2] in layout.document_pages] or items[:1]
    number, indent, _ = after[-1]
    label = json.dumps(title[:80], ensure_ascii=False)
    lines.insert(number + 1, f"{indent}- {label}: {page}\n")
    layout.config_file.write_text("".join(lines), encoding="utf-8")
    return True
