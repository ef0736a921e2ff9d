"""Find glossary terms in text with one compiled pattern, longest form first.

Modelled on Python-Markdown's `abbr` extension: all surface forms (terms and aliases) go
into one pattern that prefers the longest form, so that a multi-word form wins over a
shorter form inside it. The pattern is written as a trie (see `_trie_pattern`), so that
matching costs the same for a glossary of ten forms or of thousands. Matching is
case-sensitive (aliases list the other forms) and a form matches only as a whole word: no
letter or digit may touch it on either side, which works for Cyrillic, Latin and forms
that begin or end with punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from edition.model import GlossaryEntry


_WORD = re.compile(r"\w")
"""A letter, digit or underscore: what `(?!\\w)` refuses after a form, refused before it too."""

_Trie = dict[str, "_Trie"]
_END = ""
"""Key marking, in a trie node, that a form ends there (characters are never empty)."""


def _trie(forms: Iterable[str]) -> _Trie:
    root: _Trie = {}
    for form in forms:
        node = root
        for char in form:
            node = node.setdefault(char, {})
        node[_END] = {}
    return root


def _trie_pattern(node: _Trie) -> str:
    r"""A regex matching the forms of a trie, preferring the longest, as the alternation of
    every form sorted longest first would.

    At most one branch of a node can match the next character, so the regex follows one
    path; it tries going deeper before stopping at a form's end, and backtracks to shorter
    forms when `(?!\w)` fails, just like the alternation. But it costs one step per
    character instead of one try per form: matching is linear in the text, whatever the
    size of the glossary.
    """
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return (f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else body + "?") if body else ""
    return body


@dataclass(frozen=True)
class TermMatch:
    """A form found at `[start, end)`, and the id of what it names (`entry_id`)."""

    start: int
    end: int
    entry_id: str


class FormMatcher:
    """One pattern for many surface forms, each owned by an id; build it once per build."""

    def __init__(self, owners: Iterable[tuple[str, str]]) -> None:
        self.owner: dict[str, str] = {}
        for form, owner in owners:
            self.owner.setdefault(form, owner)
        # No `(?<!\w)` in front: a pattern that starts with a look-behind loses the regex
        # engine's scan for the characters that can begin a match (one set test per character,
        # in C), and tries the whole trie at every position; 6 times slower on the benchmark's
        # text. `finditer` checks the left edge instead.
        self.pattern: re.Pattern[str] | None = (
            re.compile("(?:" + _trie_pattern(_trie(self.owner)) + r")(?!\w)") if self.owner else None
        )

    def finditer(self, text: str) -> Iterator[TermMatch]:
        """Non-overlapping matches in `text`, left to right, each a whole word."""
        if self.pattern is None:
            return
        search = self.pattern.search
        pos = 0
        while (match := search(text, pos)) is not None:
            start, end = match.span()
            if start and _WORD.match(text, start - 1):
                pos = start + 1  # inside a word: a form may still begin further on, even within this match
                continue
            yield TermMatch(start, end, self.owner[match.group()])
            pos = end


class TermMatcher(FormMatcher):
    """Every form of every glossary entry (term and aliases)."""

    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        super().__init__((form, entry_id) for entry_id, forms in matcher_inputs(entries) for form in forms)


def matcher_inputs(entries: Iterable[GlossaryEntry]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """All a `TermMatcher` reads of the glossary: each entry's id and forms. Where a term occurs
    depends on these alone (not on a translation or a definition)."""
    return tuple((entry.id, entry.forms) for entry in entries)
