"""Link texts found by jumping from bracket to bracket, in the edition's own Markdown instance.

Python-Markdown 3.11 finds the `]` that closes a link's text (`[text](…)`, `![alt](…)`,
`[text][ref]`) by a Python loop over every character of the paragraph, which it runs again
for each link, since each link found changes the paragraph's text. Over the 4,300 note bodies
and definitions of the 200-page benchmark that loop was a fifth of their conversion.
`scan_brackets(md)` registers, in place of Markdown's six link and image processors, the same
processors with a `getText` that looks at the brackets only (a regular expression). The
result is the same: the text up to the `]` that closes the `[` just before `index`
(`tests/test_brackets.py` compares the two on many texts). MkDocs' own pages keep Markdown's
processors: their Markdown is a line or two.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)

if TYPE_CHECKING:
    import markdown

_BRACKET = re.compile(r"[\[\]]")


class _ScanBrackets:
    """`getText` by the brackets alone."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802 (Markdown's name)
        """The text from `index` to the `]` that closes the `[` before it, the index after
        that `]`, and whether there is one (else the rest of `data`)."""
        depth = 1
        for bracket in _BRACKET.finditer(data, index):
            depth += 1 if bracket.group() == "[" else -1
            if depth == 0:
                return data[index:bracket.start()], bracket.end(), True
        return data[index:], len(data), False


class _Reference(_ScanBrackets, ReferenceInlineProcessor):
    pass


class _Link(_ScanBrackets, LinkInlineProcessor):
    pass


class _Image(_ScanBrackets, ImageInlineProcessor):
    pass


class _ImageReference(_ScanBrackets, ImageReferenceInlineProcessor):
    pass


class _ShortReference(_ScanBrackets, ShortReferenceInlineProcessor):
    pass


class _ShortImageReference(_ScanBrackets, ShortImageReferenceInlineProcessor):
    pass


PROCESSORS: tuple[tuple[str, type[LinkInlineProcessor], str, int], ...] = (
    # Markdown's names, patterns and priorities (`markdown.inlinepatterns.build_inlinepatterns`).
    ("reference", _Reference, REFERENCE_RE, 170),
    ("link", _Link, LINK_RE, 160),
    ("image_link", _Image, IMAGE_LINK_RE, 150),
    ("image_reference", _ImageReference, IMAGE_REFERENCE_RE, 140),
    ("short_reference", _ShortReference, REFERENCE_RE, 130),
    ("short_image_ref", _ShortImageReference, IMAGE_REFERENCE_RE, 125),
)


def scan_brackets(md: markdown.Markdown) -> None:
    """Replace `md`'s link and image processors with ones that scan brackets only."""
    for name, processor, pattern, priority in PROCESSORS:
        md.inlinePatterns.register(processor(pattern, md), name, priority)
