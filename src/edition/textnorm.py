"""Unicode (NFC) and whitespace normalisation that remembers where each character came from.

Quotes are matched on normalised text, but highlights must land on the raw text of the
page, so every normalised character keeps the raw span it stands for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_ESCAPED = re.compile("\x02(\\d+)\x03")
"""A character escaped with a backslash in Markdown, as Python-Markdown's tree holds it until
its `unescape` step."""


def unescaped(text: str) -> str:
    """`text` from Python-Markdown's tree with its backslash escapes turned back into their characters."""
    return _ESCAPED.sub(lambda match: chr(int(match.group(1))), text) if "\x02" in text else text


_OTHER_SPACE = re.compile(r"[^\S ]")
"""Any whitespace but the plain space (`\\s` is exactly `str.isspace`)."""


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """`text` is the normalised form of some raw string; `starts`/`ends` map back into it.

    Normalised character `i` stands for raw characters `starts[i]:ends[i]`. When the raw
    string was already normal, both maps are `None` and offsets are the same.
    """

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw `[start, end)` span covered by normalised `[start, end)` (end > start)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def normalize_plain(text: str) -> str:
    """NFC, with every run of whitespace made one space, and no space at the ends."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _is_simple(raw: str) -> bool:
    """Whether `raw` is NFC and its only whitespace is single spaces."""
    if not unicodedata.is_normalized("NFC", raw):
        return False
    return "  " not in raw and _OTHER_SPACE.search(raw) is None


def normalize(raw: str) -> NormalizedText:
    """Normalise `raw` like `normalize_plain`, keeping leading/trailing space, with maps back."""
    if _is_simple(raw):
        return NormalizedText(raw)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    n = len(raw)
    while i < n:
        if raw[i].isspace():
            j = i + 1
            while j < n and raw[j].isspace():
                j += 1
            out.append(" ")
            starts.append(i)
            ends.append(j)
            i = j
            continue
        # A cluster is a starter and the combining marks after it; NFC works within it.
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        for ch in unicodedata.normalize("NFC", raw[i:j]):
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return NormalizedText("".join(out), tuple(starts), tuple(ends))
