"""Render untrusted Markdown (annotation bodies, glossary definitions) into safe elements.

Bodies come from strangers' pull requests. They are converted by Python-Markdown, their
`note:` and `term:` links are resolved, and the HTML is cleaned by `nh3` (the Rust
`ammonia` sanitiser) with a short allow-list of tags, attributes and URL schemes. The
clean HTML is parsed back into ElementTree elements so that MkDocs still rewrites and
validates the links inside it. The checker reports raw HTML and unsafe links as errors;
the sanitiser makes sure they cannot do harm even if a check is skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from edition.problems import Problem, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from edition.model import Place

ALLOWED_TAGS = frozenset({
    "p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br", "hr",
    "sup", "sub", "q", "cite", "del", "ins", "abbr", "span",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""Absolute URLs must use one of these; relative URLs are allowed."""

VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})

def is_safe_url(url: str) -> bool:
    """Whether a URL is relative or uses an allowed scheme."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return not scheme or scheme in URL_SCHEMES


class _LinkResolver(Treeprocessor):
    """Rewrite `note:id` and `term:id` hrefs through the resolver; record unsafe ones."""

    def __init__(self, md: markdown.Markdown, resolve: Callable[[str, str], str | None]) -> None:
        super().__init__(md)
        self.resolve = resolve
        self.unsafe: list[str] = []
        self.unresolved: list[str] = []

    def run(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            kind, _, target = href.partition(":")
            if kind in ("note", "term") and target:
                resolved = self.resolve(kind, target)
                if resolved is None:
                    self.unresolved.append(href)
                    link.attrib.pop("href")
                else:
                    link.set("href", resolved)
            elif not is_safe_url(href):
                self.unsafe.append(href)


class BodyRenderer:
    """Markdown → clean HTML → elements, with one Markdown instance reused per build."""

    def __init__(self, resolve: Callable[[str, str], str | None]) -> None:
        self.md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        self.links = _LinkResolver(self.md, resolve)
        # Priority 1: after everything else in this private Markdown instance.
        self.md.treeprocessors.register(self.links, "edition-body-links", 1)

    def html(self, text: str) -> str:
        """Clean HTML for a Markdown `text`."""
        self.md.reset()
        self.links.unsafe.clear()
        self.links.unresolved.clear()
        raw = self.md.convert(text)
        return nh3.clean(raw, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                         url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer")

    def element(self, text: str, css_class: str, tag: str = "div") -> ET.Element:
        """A `tag` element of class `css_class` holding the rendered Markdown `text`."""
        return html_to_element(self.html(text), tag, {"class": css_class})

    def problems(self, text: str, place: Place) -> Iterator[Problem]:
        """Raw HTML and unsafe links in a body, each as an error at `place`."""
        self.html(text)
        if self.md.htmlStash.html_counter:
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          "raw HTML is not allowed in notes and definitions",
                          "use Markdown instead (**bold**, *italic*, [text](https://…))")
        for href in self.links.unsafe:
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          f"link '{href[:60]}' uses a forbidden scheme",
                          "link only to http://, https://, mailto: or relative addresses")


class _ElementBuilder(HTMLParser):
    """Build ElementTree elements from clean, well-formed HTML (such as nh3's output)."""

    def __init__(self, root: ET.Element) -> None:
        super().__init__(convert_charrefs=True)
        self.stack = [root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def html_to_element(html: str, tag: str = "div", attrib: dict[str, str] | None = None) -> ET.Element:
    """Parse an HTML fragment into the children of a new `tag` element."""
    root = ET.Element(tag, attrib or {})
    builder = _ElementBuilder(root)
    builder.feed(html)
    builder.close()
    for link in root.iter("a"):
        if not link.get("href"):  # the sanitiser dropped it: keep the text, not a dead link
            link.tag = "span"
    return root
