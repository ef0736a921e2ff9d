"""Render untrusted Markdown (annotation bodies, glossary definitions) into safe elements.

Bodies come from strangers' pull requests. They are converted by Python-Markdown, their
`note:` and `term:` links are resolved, and the HTML is cleaned by `nh3` (the Rust
`ammonia` sanitiser) with a short allow-list of tags, attributes and URL schemes. A body
whose links MkDocs must still rewrite and validate (relative links to pages of the site)
is parsed back into ElementTree elements; the others go into the page as the clean HTML
itself (see `BodyRenderer.needs_site_links`). The checker reports raw HTML and unsafe
links as errors; the sanitiser makes sure they cannot do harm even if a check is skipped.
"""

from __future__ import annotations

import multiprocessing
import re
import xml.etree.ElementTree as ET
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import markdown
import nh3
from markdown import serializers
from markdown.treeprocessors import Treeprocessor

from edition.background import may_fork
from edition.problems import Problem, Severity
from edition.search import html_text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

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
    """Rewrite `note:id` and `term:id` hrefs through the resolver; record unsafe and relative ones."""

    def __init__(self, md: markdown.Markdown, resolve: Callable[[str, str], str | None]) -> None:
        super().__init__(md)
        self.markdown = md
        self.resolve = resolve
        self.unsafe: list[str] = []
        self.unresolved: list[str] = []
        self.relative: list[str] = []
        """Relative links with a path (`../other.md`), which only MkDocs can rewrite and check."""

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
            elif _has_site_path(href):
                self.relative.append(href)


def _has_site_path(href: str) -> bool:
    parts = urlsplit(href.strip())
    return not parts.scheme and not parts.netloc and bool(parts.path)


_escape_attrib_html: Callable[[str], str] = serializers._escape_attrib_html  # type: ignore[attr-defined]
"""How Markdown's HTML serializer writes an attribute value."""

PLACEHOLDER = "edition-href-placeholder-"
_PLACEHOLDER_HREF = re.compile(r'"edition-href-placeholder-(\d+)"')


@dataclass(frozen=True)
class _Converted:
    """A body converted and cleaned once, with every `note:`/`term:` href left as a numbered placeholder."""

    html: str
    """The clean HTML (placeholders are relative URLs, which the sanitiser keeps as they are)."""
    links: tuple[tuple[str, str], ...]
    """`(kind, target)` of placeholder 0, 1, …"""
    raw_html: int
    """Markdown's count of raw HTML blocks and spans (0 when there are none)."""
    unsafe: tuple[str, ...]
    relative: bool
    """Whether a link is relative with a path (see `_LinkResolver.relative`)."""
    text: str
    """The text the search reads (`edition.search.html_text`), which no href changes."""


PARALLEL_MIN = 600
"""Below this many texts a second process costs more than it saves (it starts in ~20 ms;
600 bodies take ~0.17 s to convert)."""

BACKGROUND_CHUNK = 100
"""Texts per chunk converted in the background (~35 ms of work): the first is ready soon, and
each finished chunk is taken as soon as a conversion is asked for."""


class RenderCache:
    """Markdown conversions shared by every `BodyRenderer` of one build.

    A body is rendered for its check, its endnote, the notes page and the W3C export, each
    time with other link targets. Only the `note:`/`term:` hrefs differ between them, so
    the Markdown is converted and cleaned once, with placeholders for those hrefs; each
    renderer puts its own hrefs in (escaped exactly as Markdown's serializer escapes them),
    which gives the same HTML as converting and cleaning the body again. The hrefs are the
    edition's own (checked ids in URL patterns of the build), so they need no cleaning.
    """

    def __init__(self) -> None:
        self._converted: dict[str, _Converted | None] = {}
        self._renderer: BodyRenderer | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._pending: list[tuple[list[str], Future[list[_Converted]]]] = []
        self.converted_elsewhere = 0
        """How many texts other processes converted (for the timings)."""

    def convert(self, text: str) -> _Converted | None:
        """The placeholder conversion of `text`; None when `text` could be mistaken for one."""
        if text not in self._converted and self._pending:
            self._collect()
        if text not in self._converted:
            self._converted[text] = None if PLACEHOLDER in text else self._convert(text)
        return self._converted[text]

    def _todo(self, texts: Iterable[str]) -> list[str]:
        """`texts` not converted yet, each once, in order (without those `convert` refuses)."""
        return [text for text in dict.fromkeys(texts) if text not in self._converted and PLACEHOLDER not in text]

    def convert_in_background(self, texts: Iterable[str], *, min_texts: int = PARALLEL_MIN,
                              chunk: int = BACKGROUND_CHUNK, workers: int = 1) -> bool:
        """Start converting `texts` in `workers` forked processes, in their order, `chunk` texts at a time.

        While MkDocs renders the pages on this core, the other one converts the bodies in the
        order the pages need them; `convert` takes each finished chunk as it goes, and converts
        here what is not ready yet (the same result). `finish` waits for the rest. Returns
        False, and starts nothing, for fewer than `min_texts` texts, without `fork`, or while
        other threads run (`mkdocs serve`).
        """
        todo = self._todo(texts)
        if len(todo) < min_texts or not may_fork():
            return False
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        parts = [todo[start:start + chunk] for start in range(0, len(todo), chunk)]
        self._pending = [(part, self._pool.submit(_convert_chunk, part)) for part in parts]
        return True

    def finish(self) -> None:
        """Wait for the conversions started by `convert_in_background`, and end its process."""
        self._collect(wait=True)

    def keep_only(self, texts: Iterable[str]) -> None:
        """Forget the conversions of texts not in `texts` (a cache kept from build to build).

        A conversion depends on its text alone, so `mkdocs serve` keeps the cache across
        rebuilds and converts only the texts an edit changed; this drops the ones it replaced.
        """
        keep = set(texts)
        self._converted = {text: converted for text, converted in self._converted.items() if text in keep}
        self.converted_elsewhere = 0

    def stop(self) -> None:
        """End the background process without waiting for the chunks not yet started (a failed build)."""
        self._pending = []
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _collect(self, *, wait: bool = False) -> None:
        """Take the finished chunks, in the order they were given (`wait`: all of them).

        A chunk that failed there (the process died, say) is left to this process, which
        converts its texts when they are asked for: the same result, only later.
        """
        while self._pending and (wait or self._pending[0][1].done()):
            part, future = self._pending.pop(0)
            try:
                results = future.result()
            except Exception:  # any failure there only means converting here
                continue
            for text, converted in zip(part, results, strict=True):
                self._converted.setdefault(text, converted)
            self.converted_elsewhere += len(part)
        if not self._pending and self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def convert_many(self, texts: Iterable[str], *, workers: int = 1, min_parallel: int = PARALLEL_MIN) -> None:
        """Convert every text not yet converted, on `workers` processes when there are many.

        Markdown conversion of the bodies is most of loading a large edition, and MkDocs uses
        one core. With `min_parallel` texts or more, other processes (forked: they share
        everything loaded so far) convert part of them while this one converts the rest; the
        results are the same as converting them here. Without `fork`, or while other threads
        run (`mkdocs serve`), it all happens here.
        """
        self.finish()  # whatever other processes were converting already
        todo = self._todo(texts)
        share = len(todo) // workers if workers > 1 else len(todo)  # this process's part: the first
        others = todo[share:]
        if others and len(todo) >= min_parallel:  # one chunk for each other process
            self.convert_in_background(others, min_texts=0, chunk=-(-len(others) // (workers - 1)),
                                       workers=workers - 1)
        for text in todo[:share]:
            self.convert(text)
        self.finish()
        for text in others:  # here, if another process could not (no fork, or it failed)
            self.convert(text)

    def _convert(self, text: str) -> _Converted:
        links: list[tuple[str, str]] = []

        def placeholder(kind: str, target: str) -> str:
            links.append((kind, target))
            return f"{PLACEHOLDER}{len(links) - 1}"

        if self._renderer is None:
            self._renderer = BodyRenderer(lambda kind, target: None)
        renderer = self._renderer
        renderer.links.resolve = placeholder
        raw = renderer.convert(text)
        clean = _clean(raw)
        return _Converted(clean, tuple(links), renderer.md.htmlStash.html_counter, tuple(renderer.links.unsafe),
                          bool(renderer.links.relative), html_text(clean))


def _convert_chunk(texts: list[str]) -> list[_Converted]:
    """Convert `texts` in a worker process (see `RenderCache.convert_in_background`)."""
    cache = RenderCache()
    return [cache._convert(text) for text in texts]


def _attribute(value: str | None) -> str | None:
    """`value` as Markdown writes it in an attribute, or None where a placeholder would not do."""
    if value is None or "\x02" in value or "\x03" in value or value == "href":
        return None  # dropped links, Markdown's escape markers, boolean-attribute output
    return _escape_attrib_html(value)


def _clean(raw: str) -> str:
    # nh3 writes U+00A0 as `&nbsp;` (text that reads "&nbsp;" comes out as `&amp;nbsp;`);
    # Markdown's serializer writes the character itself, and so does this, so that a body
    # stashed as HTML and one put in as elements give the same page.
    return nh3.clean(raw, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer").replace("&nbsp;", "\xa0")


class BodyRenderer:
    """Markdown → clean HTML → elements, with one Markdown instance reused per build.

    With a `RenderCache` (as the build state gives it), each body's Markdown is converted
    once per build, whatever the link targets.
    """

    def __init__(self, resolve: Callable[[str, str], str | None], cache: RenderCache | None = None) -> None:
        self.resolve = resolve
        self.cache = cache

    @cached_property
    def links(self) -> _LinkResolver:
        """The link resolver of this renderer's own Markdown instance, both made on first use.

        A build makes two renderers per document, and most never convert anything themselves
        (their bodies come from the cache); a Markdown instance takes 0.3 ms to make.
        """
        md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        links = _LinkResolver(md, self.resolve)
        # Priority 1: after everything else in this private Markdown instance.
        md.treeprocessors.register(links, "edition-body-links", 1)
        return links

    @property
    def md(self) -> markdown.Markdown:
        """This renderer's own Markdown instance."""
        return self.links.markdown

    def convert(self, text: str) -> str:
        """Markdown's HTML for `text`, links resolved, before cleaning."""
        self.md.reset()
        self.links.unsafe.clear()
        self.links.unresolved.clear()
        self.links.relative.clear()
        return self.md.convert(text)

    def html(self, text: str) -> str:
        """Clean HTML for a Markdown `text`."""
        converted = self.cache.convert(text) if self.cache is not None else None
        if converted is not None:
            hrefs = [_attribute(self.resolve(kind, target)) for kind, target in converted.links]
            if None not in hrefs:
                # Trusted hrefs (made from checked ids), escaped for the attribute: no second cleaning.
                return _PLACEHOLDER_HREF.sub(lambda m: f'"{hrefs[int(m.group(1))]}"', converted.html)
        return _clean(self.convert(text))

    def search_text(self, text: str) -> str:
        """What the search reads of `text` (see `edition.search.html_text`), whatever the links."""
        converted = self.cache.convert(text) if self.cache is not None else None
        return converted.text if converted is not None else html_text(self.html(text))

    def needs_site_links(self, text: str) -> bool:
        """Whether `text` links a page of the site by a relative path, which MkDocs must rewrite.

        Such a body goes into the page as elements (`element`), where MkDocs rewrites
        `other.md` to its URL and reports a missing target. Any other body's links are final
        (`note:`/`term:` resolved for the page, absolute URLs, `#fragments`), so its clean
        HTML can go into the page as it is, which spares MkDocs and Markdown every element
        of it.
        """
        converted = self.cache.convert(text) if self.cache is not None else None
        return converted is None or converted.relative

    def element(self, text: str, css_class: str, tag: str = "div") -> ET.Element:
        """A `tag` element of class `css_class` holding the rendered Markdown `text`."""
        return html_to_element(self.html(text), tag, {"class": css_class})

    def problems(self, text: str, place: Place) -> Iterator[Problem]:
        """Raw HTML and unsafe links in a body, each as an error at `place`."""
        converted = self.cache.convert(text) if self.cache is not None else None
        if converted is None:
            self.html(text)
            raw_html, unsafe = self.md.htmlStash.html_counter, tuple(self.links.unsafe)
        else:
            raw_html, unsafe = converted.raw_html, converted.unsafe
        if raw_html:
            yield Problem(place.path, place.line, place.col, Severity.ERROR,
                          "raw HTML is not allowed in notes and definitions",
                          "use Markdown instead (**bold**, *italic*, [text](https://…))")
        for href in unsafe:
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


_ATTRIBUTE_SPACE = re.compile(r'="[^"]*[\t\n]')
"""A tab or newline in an attribute value (nh3 writes every value in double quotes and escapes
`"` in it), which expat would turn into a space. Text that merely looks like one only costs
the slower parser."""


def _as_xml(html: str) -> ET.Element | None:
    """The fragment parsed by expat as XML, when that gives what `_ElementBuilder` would.

    nh3 writes well-formed HTML whose only differences from XML are the void tags `<br>` and
    `<hr>` and the entity `&nbsp;`. Anything else (a raw `<` in an attribute, another
    entity, a control character) makes expat fail; a carriage return anywhere, or a newline
    or tab in an attribute (which expat would turn into a space) is refused beforehand. Then
    None, and the HTML parser reads the fragment instead.
    """
    if ("\r" in html or "<br " in html or "<hr " in html or "<img" in html or "<wbr" in html
            or _ATTRIBUTE_SPACE.search(html)):
        return None
    xml = html.replace("<br>", "<br/>").replace("<hr>", "<hr/>").replace("&nbsp;", "&#160;")
    try:
        root = ET.fromstring(f"<root>{xml}</root>")  # sanitised HTML: no DTD, no entities
    except (ET.ParseError, ValueError):
        return None
    return root


def html_to_element(html: str, tag: str = "div", attrib: dict[str, str] | None = None) -> ET.Element:
    """Parse an HTML fragment into the children of a new `tag` element."""
    root = ET.Element(tag, attrib or {})
    parsed = _as_xml(html)
    if parsed is None:
        builder = _ElementBuilder(root)
        builder.feed(html)
        builder.close()
    else:
        root.text = parsed.text
        root.extend(parsed)
    for link in root.iter("a"):
        if not link.get("href"):  # the sanitiser dropped it: keep the text, not a dead link
            link.tag = "span"
    return root
