"""Real annotation clients on the built page: Apache Annotator's matchers, a browser's copy,
text fragments and Chromium's accessibility tree.

The page's text is the source's text: everything the edition adds (note numbers, "[note 3:]"
for screen readers, inferred speakers, ¶ numbers, the passage quoted by an endnote) is CSS
generated content or an attribute, which clients that anchor on text nodes never see.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from conftest import EDITION, ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser
ANNOTATOR = ROOT / "tests" / "vendor" / "apache-annotator" / "apache-annotator.min.js"

ANCHOR_ALL = """async (annotations) => {
  const {dom, selector} = ApacheAnnotator;
  const matchers = {CssSelector: dom.createCssSelectorMatcher,
                    TextPositionSelector: dom.createTextPositionSelectorMatcher,
                    TextQuoteSelector: dom.createTextQuoteSelectorMatcher};
  const create = selector.makeRefinable(s => matchers[s.type](s));
  // Where a range starts, counted in characters of the body's text.
  const offset = range => {
    const before = document.createRange();
    before.setStart(document.body, 0);
    before.setEnd(range.startContainer, range.startOffset);
    return before.toString().length;
  };
  const found = {};
  for (const annotation of annotations) {
    const result = {};
    for (const target of annotation.target.selector) {
      const ranges = [];
      for await (const range of create(target)(document.body)) ranges.push(range);
      result[target.type] = ranges.map(range => ({
        text: range.toString(), at: offset(range),
        inDocument: !!range.startContainer.parentElement.closest('.ed-document'),
      }));
    }
    found[annotation.id] = result;
  }
  return found;
}"""


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    assert not errors, errors


def exported(site: Path) -> list[dict[str, Any]]:
    """Every annotation the build exported (notes and glossary links), as the whole edition's
    collection lists them: each id a fragment of its document's collection, which holds it."""
    def read(path: Path) -> dict[str, Any]:
        return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]

    held: dict[str, dict[str, Any]] = {}
    for path in (site / "data" / "documents").glob("*.jsonld"):
        held.update((item["id"], item) for item in read(path)["first"]["items"])
    listed = [item for path in sorted((site / "data" / "annotations").glob("page-*.jsonld"))
              for item in read(path)["items"]]
    assert sorted(listed) == sorted(held)  # each listed once, and each resolves
    return [held[item] for item in listed]


def source_lines() -> list[str]:
    return (EDITION / "docs" / "sources" / "interview.txt").read_text(encoding="utf-8").split("\n")


def test_apache_annotator_anchors_every_export_once_on_its_passage(page: Page, base_url: str,
                                                                   built_site: Path) -> None:
    annotations = exported(built_site)
    notes = [a for a in annotations if "#term/" not in a["id"]]
    assert len(notes) >= 50 and len(annotations) > len(notes) + 20
    page.goto(base_url + "interview/")
    page.add_script_tag(path=str(ANNOTATOR))
    found = page.evaluate(ANCHOR_ALL, annotations)
    for annotation in annotations:
        quote_selector, css = annotation["target"]["selector"]
        exact = quote_selector["exact"]
        result = found[annotation["id"]]
        by_quote, by_position = result["TextQuoteSelector"], result["CssSelector"]
        # The quote with its context is found once, in the text (not in an endnote), ...
        assert len(by_quote) == 1, (annotation["id"], by_quote)
        assert by_quote[0]["text"] == exact and by_quote[0]["inDocument"], annotation["id"]
        # ... and the paragraph's position selects exactly the same words.
        assert len(by_position) == 1, (annotation["id"], css)
        assert by_position[0] == by_quote[0], annotation["id"]


def test_apache_annotator_describes_a_passage_as_the_export_does(page: Page, base_url: str,
                                                                 built_site: Path) -> None:
    # The other direction: Apache Annotator's own description of the highlighted passage,
    # within its paragraph, has the exported position.
    note = next(a for a in exported(built_site) if a["id"].endswith("#caption-tokayev"))
    _, css = note["target"]["selector"]
    page.goto(base_url + "interview/")
    page.add_script_tag(path=str(ANNOTATOR))
    described = page.evaluate("""async (id) => {
      const mark = document.querySelector(`.ed-document mark[data-notes~="${id}"]`);
      const range = document.createRange();
      range.selectNodeContents(mark);
      return ApacheAnnotator.dom.describeTextPosition(range, mark.closest('p, h1'));
    }""", "caption-tokayev")
    assert described == {"type": "TextPositionSelector", **{k: css["refinedBy"][k] for k in ("start", "end")}}


def test_each_line_of_the_source_is_one_element_and_copies_as_it_is(context: BrowserContext, page: Page,
                                                                     base_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    lines = source_lines()
    page.goto(base_url + "interview/")
    texts = page.evaluate("() => [...document.querySelectorAll('.ed-document > :is(h1, p)')].map(e => e.textContent)")
    assert texts == lines
    # What a reader copies is the line: no note numbers, "[note 25:]" or "[Reporter]".
    copy = """id => { const range = document.createRange(); range.selectNodeContents(document.getElementById(id));
                      getSelection().removeAllRanges(); getSelection().addRange(range); }"""
    inferred = page.evaluate("() => document.querySelector('.ed-speaker--inferred').closest('p').id")
    for block_id in ("title", "p1", "p11", inferred):
        page.evaluate(copy, block_id)
        page.keyboard.press("Control+c")
        number = 0 if block_id == "title" else int(block_id[1:])
        assert page.evaluate("navigator.clipboard.readText()") == lines[number], block_id


def test_a_text_fragment_link_lands_on_the_passage(page: Page, base_url: str) -> None:
    lines = source_lines()
    words = "Kazakhstan, Daria Nazarbayeva"
    assert words in lines[11]
    page.goto(base_url + "interview/#:~:text=" + quote(words))
    # The browser scrolls to the first match of the words (the paragraph, not a note's copy):
    # wait until it has scrolled and come to rest.
    page.wait_for_function("() => scrollY > 0")
    positions = [-1.0, -2.0]
    while positions[-1] != positions[-2]:
        page.wait_for_timeout(250)
        positions.append(page.evaluate("scrollY"))
        assert len(positions) < 40, positions
    box = page.evaluate("() => { const r = document.getElementById('p11').getBoundingClientRect();"
                        " return {top: r.top, bottom: r.bottom, height: innerHeight}; }")
    assert 0 <= box["top"] < box["height"] and box["bottom"] > 0, box
    notes_top = page.evaluate("() => document.getElementById('ed-notes').getBoundingClientRect().top")
    assert notes_top > box["height"]


def accessible_texts(context: BrowserContext, page: Page, block_id: str) -> list[str]:
    """The names of the text runs and links inside a block, in order, from Chromium's own
    accessibility tree (what a screen reader is given)."""
    cdp = context.new_cdp_session(page)
    handle = cdp.send("Runtime.evaluate", {"expression": f"document.getElementById({block_id!r})"})
    backend = cdp.send("DOM.describeNode", {"objectId": handle["result"]["objectId"]})["node"]["backendNodeId"]
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {node["nodeId"]: node for node in nodes}
    root = next(node for node in nodes if node.get("backendDOMNodeId") == backend)
    texts: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        role = node.get("role", {}).get("value")
        name = node.get("name", {}).get("value", "")
        if role in ("StaticText", "link") and name:
            texts.append(name)
            if role == "link":
                return
        for child in node.get("childIds", []):
            walk(by_id[child])

    walk(root)
    return texts


def test_screen_readers_hear_where_notes_start_and_end_and_inferred_speakers(context: BrowserContext, page: Page,
                                                                              base_url: str) -> None:
    page.goto(base_url + "interview/")
    caption = accessible_texts(context, page, "p1")
    start = caption.index("[note 2:]")
    assert caption[start + 1] == "Qasym-Malik Tokaev"
    assert caption[start + 2].startswith("Note 2, Correction: ")  # the marker: where the note ends
    inferred = page.evaluate("() => document.querySelector('.ed-speaker--inferred').closest('p').id")
    speaker = page.evaluate(f"() => document.getElementById({inferred!r}).dataset.speaker")
    turn = accessible_texts(context, page, inferred)
    assert turn[0] == f"Paragraph {inferred.removeprefix('p')}, permalink"
    assert turn[1].strip() == f"[{speaker}]", turn[:3]
    words = [text for text in turn[2:] if not text.startswith("[note ")]  # a note may start right here
    assert words[0].startswith("— ")
    # None of it is text of the page.
    assert "[note" not in page.evaluate("() => document.querySelector('.ed-document').textContent")
