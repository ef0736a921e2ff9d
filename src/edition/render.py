"""Render untrusted Markdown (annotation bodies, glossary definitions) into safe elements.

Bodies come from strangers' pull requests. They are converted by Python-Markdown, their
`note:` and `term:` links are resolved, and the HTML is cleaned by `nh3` (the Rust
`ammonia` sanitiser) with a short allow-list of tags, attributes and URL schemes. A body
is parsed back into ElementTree elements, whose links to pages of the site MkDocs then
rewrites and validates. The checker reports raw HTML and unsafe
links as errors; the sanitiser makes sure they cannot do harm even if a check is skipped.

What the checker reports is read off the tree Python-Markdown made of the body (`Finding`):
every link it made, however it was written (inline, with a title, by reference, in angle
brackets), every image and heading (which the sanitiser would drop), and the raw HTML it
stashed. Markdown's tree has no line numbers, so each finding is then looked up in the text
(`_locate`): in a YAML literal block (`|`), whose lines are the file's lines, a problem is
reported at its own line and column (see `edition.model.Place.within`).
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
from edition.brackets import scan_brackets
from edition.loading import MAX_OPEN_BRACKETS, closest_id, escape_brackets, open_brackets, suggest_id
from edition.problems import Problem, Severity
from edition.search import HEADINGS
from edition.textnorm import unescaped

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from edition.model import Corpus, Place

ALLOWED_TAGS = frozenset({
    "p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br", "hr",
    "sup", "sub", "q", "cite", "del", "ins", "abbr", "span",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "hreflang"}, "ol": {"start"}, "*": set()}
"""No `title`: Material's tooltips put it into the page as HTML (a link's Markdown title is
dropped). `"*"` is empty: nh3 would otherwise allow `title` and `lang` on every tag."""
URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""Absolute URLs must use one of these; relative URLs are allowed."""

VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})

LINK_KINDS = {"note": "annotation", "term": "glossary entry"}
"""The edition's own link schemes (`note:<id>`, `term:<id>`) and what each links to."""
PAGE = "page"
"""A relative link with a path (`../other.md#x`): checked against the pages of the site."""
UNSAFE, RAW_HTML, IMAGE, HEADING = "unsafe", "html", "image", "heading"
"""Kinds of `Finding` that are always errors."""


def is_safe_url(url: str) -> bool:
    """Whether a URL is relative (to the site) or uses an allowed scheme; `//host/…` is neither."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    return scheme in URL_SCHEMES or not (scheme or parts.netloc or url.strip().startswith("//"))


def link_kind(href: str) -> str | None:
    """"note" or "term" when `href` links a note or a glossary entry (in any case: `Term:knb`), else None."""
    scheme, colon, _ = href.partition(":")
    kind = scheme.strip().lower()
    return kind if colon and kind in LINK_KINDS else None


def link_target(href: str) -> str:
    """The id a `note:`/`term:` link names, without spaces around it (`note: x` names 'x')."""
    return href.partition(":")[2].strip()


def _has_site_path(href: str) -> bool:
    parts = urlsplit(href.strip())
    return not parts.scheme and not parts.netloc and bool(parts.path)


@dataclass(frozen=True, slots=True)
class Finding:
    """Something in a body that the checker looks at, and where the body's text has it."""

    kind: str
    """"note" or "term" (a link to a note or a glossary entry), `PAGE` (a relative link with a
    path), `UNSAFE` (a link with a forbidden scheme), `RAW_HTML`, `IMAGE` or `HEADING`."""
    value: str
    """The link's href as written, the raw HTML, the image's address or the heading's text."""
    line: int = 0
    """Line of the text (from 0) where it is written; 0 when it cannot be found there."""
    col: int = 0
    """Column of that line (from 0)."""


class _LinkResolver(Treeprocessor):
    """Resolve the links of a body through `resolve`, and note what the checker looks at.

    `resolve(kind, target)` gives the href of a `note:`/`term:` link (kind "note" or "term",
    the id as target) and of a relative link with a path (kind `PAGE`, the link as target);
    None drops the link (its text stays). Every link Python-Markdown made is seen here, however
    it was written, and so are images and headings, which the sanitiser would drop silently.
    """

    def __init__(self, md: markdown.Markdown, resolve: Callable[[str, str], str | None]) -> None:
        super().__init__(md)
        self.markdown = md
        self.resolve = resolve
        self.found: list[tuple[str, str]] = []
        """`(kind, value)` of each finding of the last conversion, in the order of the tree."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag in HEADINGS:
                self.found.append((HEADING, " ".join("".join(element.itertext()).split())))
            elif element.tag == "img":
                self.found.append((IMAGE, element.get("src", "")))
            elif element.tag == "a" and (href := element.get("href")) is not None:
                self._link(element, href)

    def _link(self, link: ET.Element, href: str) -> None:
        kind = link_kind(href)
        if kind is not None:
            target = link_target(href)
        elif not is_safe_url(href):
            self.found.append((UNSAFE, href))
            return
        elif _has_site_path(href):
            kind, target = PAGE, href.strip()
        else:
            return
        self.found.append((kind, href))
        resolved = self.resolve(kind, target)
        if resolved is None:
            link.attrib.pop("href")
        elif resolved != href:
            link.set("href", resolved)


def _locate(text: str, found: Iterable[tuple[str, str]]) -> tuple[Finding, ...]:
    """Each `(kind, value)` found in `text`'s tree, with the line and column where `text` has it.

    An address (of a link or an image) is looked for where Markdown takes one, between `(`,
    `<` or a space and `)`, `>`, a space or the end of a line; other values anywhere. Each is
    looked for after the place of the last equal one (Markdown's tree keeps the order of the
    text), else from the start. A value the text does not hold as such (a heading with markup
    in it, an escaped character) is put at the start of the text.
    """
    after: dict[tuple[str, str], int] = {}
    located: list[Finding] = []
    for kind, value in found:
        needle = unescaped(value).strip().split("\n", 1)[0]
        address = kind not in (RAW_HTML, HEADING)
        key = (kind, needle)
        start = _find(text, needle, after.get(key, 0), address=address) if needle else -1
        if start < 0 and needle:
            start = _find(text, needle, 0, address=address)
        if start < 0:
            located.append(Finding(kind, value))
            continue
        after[key] = start + len(needle)
        line_start = text.rfind("\n", 0, start) + 1
        located.append(Finding(kind, value, text.count("\n", 0, start), start - line_start))
    return tuple(located)


def _find(text: str, needle: str, start: int, *, address: bool) -> int:
    """Where `needle` next occurs in `text` from `start` (-1: nowhere); as an address, only
    between `(`, `<` or a space and `)`, `>`, a space or the end of the text.

    Plain string search, no pattern: a pattern made for each link would be compiled for each
    (the regex cache holds 512), which took a fifth of the time of converting the notes.
    """
    position = text.find(needle, start)
    while position >= 0 and address and not _delimited(text, position, position + len(needle)):
        position = text.find(needle, position + 1)
    return position


def _delimited(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` stands where Markdown takes an address (see `_find`)."""
    if start == 0 or not (text[start - 1] in "(<" or text[start - 1].isspace()):
        return False
    return end == len(text) or text[end] in ")>" or text[end].isspace()


_escape_attrib_html: Callable[[str], str] = serializers._escape_attrib_html  # type: ignore[attr-defined]
"""How Markdown's HTML serializer writes an attribute value."""

PLACEHOLDER = "edition-href-placeholder-"
_PLACEHOLDER_HREF = re.compile(r'"edition-href-placeholder-(\d+)"')


@dataclass(frozen=True, slots=True)
class _Converted:
    """A body converted and cleaned once, with every `note:`/`term:` href left as a numbered placeholder."""

    html: str
    """The clean HTML (placeholders are relative URLs, which the sanitiser keeps as they are)."""
    links: tuple[tuple[str, str], ...]
    """`(kind, target)` of placeholder 0, 1, …"""
    pages: tuple[str, ...]
    """The relative links with a path (`PAGE`), kept in the HTML as written (and cleaned)."""
    findings: tuple[Finding, ...]
    """What the checker looks at (see `Finding`)."""


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
        self._checked: dict[tuple[str, Place], tuple[Problem, ...]] = {}
        self._checked_ids: object = None

    def checked(self, ids: object) -> dict[tuple[str, Place], tuple[Problem, ...]]:
        """What `BodyRenderer.problems` found in each text at each place, as long as the ids
        its links may name (`ids`, compared by equality) are those of the last call; else
        nothing. The caller adds what it finds and leaves the texts it no longer has out of
        the next call's (`keep_checked`)."""
        if ids != self._checked_ids:
            self._checked, self._checked_ids = {}, ids
        return self._checked

    def keep_checked(self, checked: dict[tuple[str, Place], tuple[Problem, ...]]) -> None:
        """What `checked` holds next: these texts' problems only."""
        self._checked = checked

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
        parts = self.parts(texts, min_texts=min_texts, chunk=chunk)
        if not parts or not may_fork():
            return False
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        self._pending = [(part, self._pool.submit(convert_chunk, part)) for part in parts]
        return True

    def parts(self, texts: Iterable[str], *, min_texts: int = PARALLEL_MIN,
              chunk: int = BACKGROUND_CHUNK) -> list[list[str]]:
        """`texts` not converted yet, in order, `chunk` at a time: the work `convert_in_background`
        hands another process (none for fewer than `min_texts`)."""
        todo = self._todo(texts)
        if len(todo) < min_texts:
            return []
        return [todo[start:start + chunk] for start in range(0, len(todo), chunk)]

    def convert_part(self, texts: list[str]) -> list[_Converted]:
        """`convert_chunk(texts)`, kept here as well: for another process that converts them
        and then renders them itself (`EditionState.body_jobs`)."""
        converted = convert_chunk(texts)
        for text, one in zip(texts, converted, strict=True):
            self._converted.setdefault(text, one)
        return converted

    def expect(self, parts: Sequence[list[str]], results: Sequence[Future[list[_Converted]]]) -> None:
        """Take the conversions of `parts` from `results` (`convert_chunk` of each, run by another
        process of the caller's) as they come, as `convert_in_background` takes its own."""
        self._pending.extend(zip(parts, results, strict=True))

    def finish(self) -> None:
        """Wait for the conversions started by `convert_in_background`, and end its process."""
        self._collect(wait=True)

    def conversions(self) -> dict[str, _Converted | None]:
        """Every conversion made so far, for a process forked before they were made (`adopt`)."""
        return dict(self._converted)

    def adopt(self, conversions: Mapping[str, _Converted | None]) -> None:
        """Take `conversions` made by another process (`conversions`): the same as converting here."""
        self._converted.update(conversions)

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
        pages: list[str] = []

        def placeholder(kind: str, target: str) -> str:
            if kind == PAGE:  # kept as written: whether it is kept at all depends on the page
                pages.append(target)
                return target
            links.append((kind, target))
            return f"{PLACEHOLDER}{len(links) - 1}"

        if self._renderer is None:
            self._renderer = BodyRenderer(lambda kind, target: None)
        renderer = self._renderer
        renderer.links.resolve = placeholder
        clean = sanitize(renderer.convert(text))
        return _Converted(clean, tuple(links), tuple(pages), renderer.found(text))


def convert_chunk(texts: list[str]) -> list[_Converted]:
    """Convert `texts` in another process (see `RenderCache.convert_in_background`, `RenderCache.expect`)."""
    cache = RenderCache()
    return [cache._convert(text) for text in texts]


def _attribute(value: str | None) -> str | None:
    """`value` as Markdown writes it in an attribute, or None where a placeholder would not do."""
    if value is None or "\x02" in value or "\x03" in value or value == "href":
        return None  # dropped links, Markdown's escape markers, boolean-attribute output
    return _escape_attrib_html(value)


def sanitize(raw: str) -> str:
    """Markdown's HTML of an untrusted text, cleaned by `nh3` with the edition's allow-lists."""
    # nh3 writes U+00A0 as `&nbsp;` (text that reads "&nbsp;" comes out as `&amp;nbsp;`);
    # Markdown's serializer writes the character itself, and so does this, so that a body
    # goes into the page as it would from Markdown itself.
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
        scan_brackets(md)  # the same links, found faster (see `edition.brackets`)
        links = _LinkResolver(md, self.resolve)
        # Priority 1: after everything else in this private Markdown instance.
        md.treeprocessors.register(links, "edition-body-links", 1)
        return links

    @property
    def md(self) -> markdown.Markdown:
        """This renderer's own Markdown instance."""
        return self.links.markdown

    def convert(self, text: str) -> str:
        """Markdown's HTML for `text`, links resolved, before cleaning.

        A text with more `[` than `MAX_OPEN_BRACKETS` (an error the loading reports) is
        converted with its brackets escaped, so that it takes linear time.
        """
        self.md.reset()
        self.links.found.clear()
        return self.md.convert(escape_brackets(text) if open_brackets(text) > MAX_OPEN_BRACKETS else text)

    def found(self, text: str) -> tuple[Finding, ...]:
        """What the last `convert`, of `text`, found: links, images, headings, then raw HTML."""
        stashed = [(RAW_HTML, html) for html in self.md.htmlStash.rawHtmlBlocks
                   if isinstance(html, str) and not html.startswith("&")]  # an entity (`&amp;`) is text
        return _locate(text, [*self.links.found, *stashed])

    def _converted(self, text: str) -> _Converted | None:
        return self.cache.convert(text) if self.cache is not None else None

    def html(self, text: str) -> str:
        """Clean HTML for a Markdown `text`."""
        converted = self._converted(text)
        if converted is not None and all(self.resolve(PAGE, target) == target for target in converted.pages):
            hrefs = [_attribute(self.resolve(kind, target)) for kind, target in converted.links]
            if None not in hrefs:
                # Trusted hrefs (made from checked ids), escaped for the attribute: no second cleaning.
                return _PLACEHOLDER_HREF.sub(lambda m: f'"{hrefs[int(m.group(1))]}"', converted.html)
        return sanitize(self.convert(text))

    def element(self, text: str, css_class: str, tag: str = "div") -> ET.Element:
        """A `tag` element of class `css_class` holding the rendered Markdown `text`."""
        return html_to_element(self.html(text), tag, {"class": css_class})

    def findings(self, text: str) -> tuple[Finding, ...]:
        """What the checker looks at in `text` (see `Finding`), whatever the links' targets."""
        converted = self._converted(text)
        if converted is not None:
            return converted.findings
        self.convert(text)
        return self.found(text)

    def problems(self, text: str, place: Place, corpus: Corpus | None = None) -> Iterator[Problem]:
        """What is wrong in a body that starts at `place`, each at its line where the file tells.

        Raw HTML (one problem per line), unsafe links, images and headings; with a `corpus`,
        `note:`/`term:` links to ids it does not have, or written in capitals or with spaces.
        Ids of items left out for errors of their own are not reported again. Relative links
        depend on the page the text is shown on (`EditionState.page_link_problem`).
        """
        raw_html: dict[tuple[str, int], tuple[Place, list[str]]] = {}
        for finding in self.findings(text):
            at = place.within(finding.line, finding.col)
            if finding.kind == RAW_HTML and _problem(finding, corpus) is None:
                raw_html.setdefault((at.path, at.line), (at, []))[1].append(" ".join(finding.value.split()))
                continue
            what = _problem(finding, corpus)
            if what is not None:
                yield Problem(at.path, at.line, at.col, Severity.ERROR, *what)
        for at, spans in raw_html.values():  # one problem per line, naming its tags
            tags = [span for span in dict.fromkeys(spans) if not span.startswith("</")] or spans
            shown = ", ".join(f"'{tag[:40]}'" for tag in tags[:3]) + (" …" if len(tags) > 3 else "")
            yield Problem(at.path, at.line, at.col, Severity.ERROR,
                          f"raw HTML {shown} is not allowed in notes and definitions",
                          "use Markdown instead (**bold**, *italic*, [text](https://…))")


def _problem(finding: Finding, corpus: Corpus | None) -> tuple[str, str] | None:
    """The message and hint for `finding`, or None when it is fine (or cannot be judged here)."""
    value = finding.value
    if finding.kind in LINK_KINDS:
        return _link_problem(value, finding.kind, corpus) if corpus is not None else None
    if finding.kind == RAW_HTML:
        if link_kind(value.lstrip("<")) is None:
            return None  # reported line by line (see `BodyRenderer.problems`)
        # `<term:knb>`: Markdown makes links in angle brackets of web addresses only.
        return f"link '{value[:60]}' is read as raw HTML", f"write it as [text]({value.strip('<> ')[:60]})"
    if finding.kind == UNSAFE and value.strip().startswith("//"):
        return (f"link '{value[:60]}' names another site without its scheme",
                "write the full https:// address")
    if finding.kind == UNSAFE:
        near = closest_id(value.partition(":")[0].strip().lower(), LINK_KINDS)  # `terms:knb`
        return (f"link '{value[:60]}' uses a forbidden scheme",
                (f"did you mean '{near}:'? " if near else "")
                + "link only to http://, https://, mailto: or relative addresses")
    return _DROPPED[finding.kind](value[:60]) if finding.kind in _DROPPED else None


_DROPPED: dict[str, Callable[[str], tuple[str, str]]] = {
    IMAGE: lambda src: (f"image '{src}' is not shown: notes and definitions cannot show images",
                        "link to the image instead: remove the '!' before its [description]"),
    HEADING: lambda text: (f"heading '{text}' is not allowed in notes and definitions",
                           f"write it as a line in bold instead: **{text}**"),
}
"""Markdown the sanitiser would drop without a word: what to say instead, by kind of `Finding`."""


def _link_problem(href: str, kind: str, corpus: Corpus) -> tuple[str, str] | None:
    what = LINK_KINDS[kind]
    ids, left_out = (corpus.notes, corpus.invalid_note_ids) if kind == "note" else (corpus.terms,
                                                                                     corpus.invalid_term_ids)
    target = link_target(href)
    written, _, written_target = href.partition(":")
    fixes = [f"write `{kind}:` in lower case"] if written != kind else []
    if written_target != target:
        fixes.append(f"remove the space after `{kind}:`")
    if not target:
        return f"link '{href}' names no {what}", f"write the id of an existing {what} after `{kind}:`"
    if target not in ids and target not in left_out:
        return (f"link to unknown {what} '{kind}:{target}'",
                f"{suggest_id(target, ids)}use the id of an existing {what}" + "".join(f"; {fix}" for fix in fixes))
    if fixes:
        return f"link '{href}' is not written as {kind}:{target}", " and ".join(fixes)
    return None


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
