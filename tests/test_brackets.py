"""`edition.brackets`: the note bodies' Markdown finds the same links as Python-Markdown's own."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import LinkInlineProcessor

from edition.brackets import PROCESSORS, scan_brackets

TEXTS = [
    "[a](https://example.org) and [b [nested] c](note:x) and ![img](a.png)",
    "[unclosed and [closed](x) then ] stray",
    "[ref][id] and [short] and ![alt][id] and ![short]\n\n[id]: https://example.org/ref \"Title\"\n[short]: x",
    "[[[deep]]](x) [a]b](c) [a\\]b](c) `[code](x)` <https://auto.example> [em *x*](y)",
    "[" * 50 + "](x)" + "]" * 10,
    "no brackets at all",
]


def _convert(text: str, scanned: bool) -> str:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    if scanned:
        scan_brackets(md)
    return md.convert(text)


def test_the_processors_replaced_are_markdowns_own() -> None:
    """Each name replaced is a processor of the same class, pattern and place in Markdown's own
    list: a Markdown that renamed or reordered them would fail here, not silently."""
    md = markdown.Markdown()
    scanned = markdown.Markdown()
    scan_brackets(scanned)
    for name, processor, pattern, _priority in PROCESSORS:
        own = md.inlinePatterns[name]
        assert type(own) is processor.__bases__[1], name  # (_ScanBrackets, Markdown's class)
        assert own.pattern == pattern
        assert type(scanned.inlinePatterns[name]) is processor
        assert scanned.inlinePatterns.get_index_for_name(name) == md.inlinePatterns.get_index_for_name(name)
    assert len(scanned.inlinePatterns) == len(md.inlinePatterns)


@pytest.mark.parametrize("text", TEXTS)
def test_same_html_on_chosen_texts(text: str) -> None:
    assert _convert(text, scanned=True) == _convert(text, scanned=False)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="[]()!ab \\*`<>:\n", max_size=60))
def test_same_html_on_any_text(text: str) -> None:
    assert _convert(text, scanned=True) == _convert(text, scanned=False)


def test_get_text_as_markdowns() -> None:
    """The text, the index after its `]`, and whether it closes, at every `[` of some texts."""
    md = markdown.Markdown()
    scan_brackets(md)
    ours = md.inlinePatterns["link"]
    assert isinstance(ours, LinkInlineProcessor)
    theirs = LinkInlineProcessor(ours.pattern, md)
    for text in TEXTS:
        for index, char in enumerate(text):
            if char == "[":
                assert ours.getText(text, index + 1) == theirs.getText(text, index + 1), (text, index)
