"""Find glossary terms in text with one compiled pattern, longest form first.

Modelled on Python-Markdown's `abbr` extension: all surface forms (terms and aliases) go
into one alternation, sorted longest first so that a multi-word form wins over a shorter
form inside it. Matching is case-sensitive (aliases list the other forms) and a form
matches only as a whole word: no letter or digit may touch it on either side, which works
for Cyrillic, Latin and forms that begin or end with punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from edition.model import GlossaryEntry


@dataclass(frozen=True)
class TermMatch:
    """A form of a glossary entry found at `[start, end)`."""

    start: int
    end: int
    entry_id: str


class TermMatcher:
    """One pattern for every form of every glossary entry; build it once per build."""

    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        self.owner: dict[str, str] = {}
        for entry in entries:
            for form in entry.forms:
                self.owner.setdefault(form, entry.id)
        forms = sorted(self.owner, key=lambda form: (-len(form), form))
        self.pattern: re.Pattern[str] | None = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)") if forms else None
        )

    def finditer(self, text: str) -> Iterator[TermMatch]:
        """Non-overlapping matches in `text`, left to right."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            yield TermMatch(match.start(), match.end(), self.owner[match.group()])
