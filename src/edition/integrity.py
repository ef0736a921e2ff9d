"""The transcript as received: a document page must say exactly what its source file says.

An edition never edits its text; it adds markup around it and corrects in notes. A document
declares the file it was made from on its title (`data-source`, a path relative to the page,
like a Markdown link):

    # Title { data-document="interview" data-source="sources/interview.txt" }

The source holds one block per line (title, then each paragraph; blank lines are ignored).
After rendering, the text of the page's blocks as a reader sees it (without what the edition
adds) must equal those lines, character for character, block for block: a letter lost or
changed, or two paragraphs merged (which renumbers every later ¶ and breaks its links), is an
error at the page's line, with both versions shown.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from edition.problems import Problem, Severity, display_path
from edition.textnorm import unescaped

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from edition.anchoring import Block

CONTEXT = 30
"""Characters shown on each side of the first difference."""


def source_lines(source: str) -> list[str]:
    """The blocks of a source file: its non-blank lines, without line endings."""
    return [line for line in source.replace("\r\n", "\n").split("\n") if line.strip()]


def source_problems(blocks: Sequence[Block], source: Path, page: Path, shown: str, root: Path) -> list[Problem]:
    """Problems of a rendered document against its `source` file (none when they agree).

    `page` is the document's Markdown file and `shown` how problems name it; `root` is where
    the source's path in a message is shown from.
    """
    try:
        expected = source_lines(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(shown, line_of(page, "data-source"), 1, Severity.ERROR,
                        f"the source file {source.name} cannot be read ({error.__class__.__name__})",
                        "give `data-source` the path of the transcript's text file, relative to this page")]
    actual = [unescaped(block.text) for block in blocks]
    if actual == expected:
        return []
    name = display_path(source, root)
    matcher = difflib.SequenceMatcher(None, actual, expected, autojunk=False)
    for tag, a_lo, a_hi, b_lo, b_hi in matcher.get_opcodes():
        if tag == "equal":
            continue
        block = blocks[a_lo] if a_lo < len(blocks) else blocks[-1]
        if tag == "replace" and a_hi - a_lo == 1 and b_hi - b_lo == 1:
            what = _changed(actual[a_lo], expected[b_lo])
            near = actual[a_lo]
        elif tag == "replace" and a_hi - a_lo == 1:
            what = (f"it joins {b_hi - b_lo} paragraphs of the source into one (did a blank line go missing?)")
            near = actual[a_lo]
        elif tag == "replace":
            what = f"{a_hi - a_lo} blocks differ from {b_hi - b_lo} lines of the source"
            near = actual[a_lo]
        elif tag == "delete":
            what = "it has text the source does not have" + _quoted(actual[a_lo])
            near = actual[a_lo]
        else:  # insert: the page lacks source lines
            what = "it lacks text the source has" + _quoted(expected[b_lo])
            near = actual[a_lo - 1] if a_lo else ""
        return [Problem(shown, line_of(page, near[:40] or "data-source"), 1, Severity.ERROR,
                        f"the text differs from its source {name} at {block.label}: {what}",
                        "restore the text exactly as in the source; the edition never changes the transcript "
                        "(explain or correct it in a note)")]
    return []


def _changed(page: str, source: str) -> str:
    """Both versions around their first differing character."""
    start = 0
    while start < min(len(page), len(source)) and page[start] == source[start]:
        start += 1
    end_page, end_source = len(page), len(source)
    while end_page > start and end_source > start and page[end_page - 1] == source[end_source - 1]:
        end_page, end_source = end_page - 1, end_source - 1
    lo = max(0, start - CONTEXT)
    return (f"the page has “{_cut(page, lo, end_page)}”, the source “{_cut(source, lo, end_source)}”")


def _cut(text: str, lo: int, hi: int) -> str:
    """`text[lo:hi]` with CONTEXT more characters after it, and … where text is left out."""
    end = min(len(text), hi + CONTEXT)
    return ("…" if lo else "") + text[lo:end] + ("…" if end < len(text) else "")


def _quoted(text: str) -> str:
    return f": “{text[:2 * CONTEXT]}{'…' if len(text) > 2 * CONTEXT else ''}”"


def line_of(page: Path, needle: str) -> int:
    """The 1-based line of `page` where `needle` first occurs (1 if it does not, or `page` cannot be read)."""
    try:
        text = page.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1
    found = text.find(needle) if needle else -1
    return text.count("\n", 0, found) + 1 if found >= 0 else 1
