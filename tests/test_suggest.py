"""“Suggest a note” on the page (docs/assets/suggest.js): a reader selects words of a document and
gets a YAML entry that anchors by the rules of `edition new` and `edition check`, to copy or to
propose on the repository."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page, Route, expect

from browser import serve
from conftest import ROOT, copy_project, edit, mkdocs_build
from edition.anchoring import Anchor, Block, DocumentText, anchor_one
from edition.checking import render_documents
from edition.model import Annotation, Place
from edition.textnorm import normalize, normalize_plain
from test_accessibility import axe_violations

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / ".artifacts"
REPO = "https://github.com/example/edition"
DIALOG = "dialog.ed-suggest"

SELECT = """([id, start, end]) => {
    // Select the raw code points [start, end) of a block, as a reader's drag would.
    const block = document.getElementById(id);
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {acceptNode: n =>
        n.nodeType === 1 ? (n.hasAttribute('data-ed-added') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP)
                         : NodeFilter.FILTER_ACCEPT});
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    const point = (target, isEnd) => {
        let count = 0;
        for (const node of nodes) {
            const chars = Array.from(node.data);
            if (count + chars.length > target || (isEnd && count + chars.length === target)) {
                return [node, chars.slice(0, target - count).join('').length];
            }
            count += chars.length;
        }
        const last = nodes[nodes.length - 1];
        return [last, last.data.length];
    };
    const range = document.createRange();
    range.setStart(...point(start, false));
    range.setEnd(...point(end, true));
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
}"""



def after_selecting(body: str) -> str:
    """A function of `[id, start, end]` that selects those code points of the block (`SELECT`), then runs `body`."""
    return "([id, start, end]) => {\n(" + SELECT + ")([id, start, end]);\n" + body + "\n}"


SUGGEST = after_selecting("""
    const found = editionSuggest.suggestionFor(getSelection().getRangeAt(0));
    return found.error ? {error: found.error} : {quote: found.quote, placement: found.placement, label: found.label,
                                                 entry: editionSuggest.entryFor(found, 'x')};""")


@cache
def interview() -> DocumentText:
    """The interview's text, as `edition new` and `edition check` read it."""
    return render_documents(ROOT / "mkdocs.yml").documents["interview"].text


def block_ids(text: DocumentText) -> list[str]:
    return ["title" if block.label == "title" else "p" + block.label.removeprefix("¶") for block in text.blocks]


def note(quote: str, **fields: Any) -> Annotation:
    return Annotation(id="x", document="interview", type="context", quote=quote, title="t", body="b", author="a",
                      status="unverified", confidence="low", place=Place("x.yml", 1, 1), **fields)


def python_placement(text: DocumentText, block: int, start: int, end: int) -> tuple[str, dict[str, str | int]]:
    """What `edition new` writes for the words at raw `[start, end)` of a block: the quote and the
    fields of its placement (`edition new QUOTE --occurrence N`, N the place's number)."""
    raw = text.blocks[block].text
    quote = normalize_plain(raw[start:end])
    matches = text.find_all(quote)
    doc_start = text.raw_offsets[block] + start
    index = next(i for i, c in enumerate(matches) if text.anchor_of(note(quote), c).doc_start == doc_start)
    return quote, text.placement(quote, matches, index).fields()


def page_at(browser: Browser, url: str, **options: Any) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def close(page: Page) -> None:
    errors = page.errors  # type: ignore[attr-defined]
    page.context.close()
    assert not errors, errors


@pytest.fixture
def interview_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """The interview in a new tab; the test fails on a script error."""
    page = page_at(browser, base_url + "interview/")
    yield page
    close(page)


def word_span(text: DocumentText, block: int, words: str, nth: int = 0) -> tuple[int, int]:
    """The raw offsets of the `nth` whole-word occurrence of `words` in a block."""
    raw = text.blocks[block].text
    spans = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", raw)]
    return spans[nth]


def block_of(text: DocumentText, words: str, nth: int = 0) -> int:
    """The index of the `nth` block holding `words` as whole words."""
    return [i for i, b in enumerate(text.blocks) if re.search(rf"(?<!\w){re.escape(words)}(?!\w)", b.text)][nth]


# ---- The port: the page's rules are Python's -------------------------------------------------


TRICKY = ["a\u00a0\u2003b", " e\u0301 ", "\u1e9b\u0323x", "x\u0345y", "\x1c\x85a\tb\n", "\ufeffa  b",
          "cafe\u0301 \u0f73\u0f71", "a\u2028b\u3000c", "𝔸 𝔹\u0301  c", "Ὰ\u0345", ""]


def test_the_page_normalises_text_as_python_does(interview_page: Page) -> None:
    page = interview_page
    found = page.evaluate("""texts => texts.map(t => {
        const n = editionSuggest.normalize(t);
        return [editionSuggest.normalizePlain(t), n.chars.join(''), n.starts, n.ends];
    })""", TRICKY)
    for text, (plain, chars, starts, ends) in zip(TRICKY, found, strict=True):
        expected = normalize(text)
        assert plain == normalize_plain(text), text
        assert chars == expected.text, text
        if expected.starts is not None:  # already normal: Python keeps no maps, the page needs none
            assert (tuple(starts), tuple(ends)) == (expected.starts, expected.ends), text
    whitespace = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    assert page.evaluate("s => editionSuggest.normalizePlain('a' + s.join('') + 'b')", whitespace) == "a b"
    not_space = [chr(c) for c in range(0x3001) if not chr(c).isspace() and (chr(c).isprintable() or c < 0x20)]
    joined = "".join(not_space)
    assert page.evaluate("s => editionSuggest.normalizePlain(s)", joined) == normalize_plain(joined)


SYNTHETIC = [
    "the cat and the dog and the cat",
    "Then the cat. Then the cat.",
    "the cat",
    "𝔸 the cat 𝔸 the cat",
    "  the  cat  ",
    "the catalogue of the cat",
]


def test_placement_agrees_on_every_match_of_a_synthetic_text(interview_page: Page) -> None:
    """Repeats with distinct prefixes, distinct suffixes, neither (occurrence), astral characters
    (code points, not UTF-16 units), extra spaces and a quote inside a longer word."""
    page = interview_page
    text = DocumentText([Block(f"¶{i}", line) for i, line in enumerate(SYNTHETIC, 1)])
    quotes = ["the cat", "cat", "the", "Then the cat", "𝔸", "and the", "the cat 𝔸"]
    found = page.evaluate("""([lines, quotes]) => {
        const text = new editionSuggest.DocumentText(lines.map((line, i) => ({label: '¶' + (i + 1), text: line})));
        return quotes.map(q => text.findAll(q).map((c, i, all) => [c.block, c.start, c.end, text.placement(all, i)]));
    }""", [SYNTHETIC, quotes])
    compared = 0
    for quote, places in zip(quotes, found, strict=True):
        matches = text.find_all(quote)
        assert [(c.block, c.start, c.end) for c in matches] == [tuple(p[:3]) for p in places], quote
        for index, place in enumerate(places):
            assert place[3] == text.placement(quote, matches, index).fields(), (quote, index)
            compared += 1
    assert compared >= 20


def sample(text: DocumentText) -> list[tuple[int, int, int]]:
    """Selections across the interview: every "Kazakhstan", some of the many "the", a phrase
    across a glossary link, one across a highlight's edge, the title, Cyrillic, and words chosen
    at random (seeded) in every fifth paragraph."""
    chosen: list[tuple[int, int, int]] = []
    for block, item in enumerate(text.blocks):
        for words in ("Kazakhstan", "Russia"):
            chosen += [(block, *m.span()) for m in re.finditer(rf"(?<!\w){words}(?!\w)", item.text)]
    the = [(block, *m.span()) for block, item in enumerate(text.blocks)
           for m in re.finditer(r"(?<!\w)the(?!\w)", item.text)]
    chosen += the[:5] + the[len(the) // 2: len(the) // 2 + 5] + the[-5:]
    lede = block_of(text, "post-Soviet space")
    chosen.append((lede, *word_span(text, lede, "influence in the post-Soviet space")))  # across a glossary link
    chosen.append((lede, *word_span(text, lede, "space? Why is Kazakhstan")))  # across a highlight's start
    chosen.append((0, 0, len(text.blocks[0].text)))  # the title, whole
    block = block_of(text, "СИЗО")
    chosen.append((block, *word_span(text, block, "СИЗО")))
    rng = random.Random(22)
    for block in range(1, len(text.blocks), 5):
        spans = [m.span() for m in re.finditer(r"\S+", text.blocks[block].text)]
        first = rng.randrange(len(spans))
        last = min(len(spans) - 1, first + rng.randrange(4))
        chosen.append((block, spans[first][0], spans[last][1]))
    return chosen


def test_the_page_and_the_cli_agree_on_a_sample_of_selections(interview_page: Page) -> None:
    text = interview()
    ids = block_ids(text)
    page = interview_page
    chosen = sample(text)
    assert len(chosen) > 80
    results = page.evaluate(f"""sample => sample.map(s => ({SUGGEST})(s))""",
                            [[ids[block], start, end] for block, start, end in chosen])
    kinds = {"unique": 0, "prefix": 0, "suffix": 0, "occurrence": 0}
    for (block, start, end), found in zip(chosen, results, strict=True):
        quote, fields = python_placement(text, block, start, end)
        assert found == {**found, "quote": quote, "placement": fields, "label": text.blocks[block].label}, (
            text.blocks[block].label, text.blocks[block].text[start:end])
        kinds[next(iter(fields), "unique")] += 1
        # … and `edition check`'s anchoring lands the entry on the words selected, and nowhere else.
        entry = yaml.safe_load(found["entry"])[0]
        anchor = anchor_one(note(entry["quote"], prefix=entry.get("prefix", ""), suffix=entry.get("suffix", ""),
                                 occurrence=entry.get("occurrence", 0)), text)
        assert isinstance(anchor, Anchor), anchor
        assert (anchor.block, anchor.start, anchor.end) == (block, start, end)
    # Each way of telling a place is in the sample, but `occurrence`: in the interview a context of
    # whole words always tells repeats apart (the synthetic text above has places only it can tell).
    assert kinds["unique"] and kinds["prefix"] and kinds["suffix"], kinds


def test_a_selection_that_cuts_words_takes_them_whole(interview_page: Page) -> None:
    text = interview()
    block = block_of(text, "Kazakhstan")
    start, end = word_span(text, block, "Kazakhstan")
    page = interview_page
    found = page.evaluate(SUGGEST, [block_ids(text)[block], start + 2, end - 3])
    assert found["quote"] == "Kazakhstan"
    assert found["placement"] == python_placement(text, block, start, end)[1]


# ---- The entry --------------------------------------------------------------------------------


def test_the_entry_is_valid_yaml_whatever_the_quote_holds(interview_page: Page) -> None:
    page = interview_page
    hostile = ['say "no": # not a comment', "back\\slash", "line\u2028sep", "next\x85line", "tab\there",
               "- [a, b] {c: d} &x *y !tag | > % @ `", "bell\x07 del\x7f", "'single'", "yes", "null", "12"]
    for quote in hostile:
        entry = page.evaluate("""q => editionSuggest.entryFor(
            {document: 'interview', quote: q, placement: {suffix: q}, label: '¶1'}, 'an-id')""", quote)
        data = yaml.safe_load(entry)
        assert data == [{"id": "an-id", "document": "interview", "type": "context", "quote": quote, "suffix": quote,
                         "title": "TODO: a one-line title", "body": data[0]["body"], "sources": [],
                         "author": "TODO: your name", "status": "unverified", "confidence": "low"}], quote
        assert data[0]["body"].startswith("TODO: the note")


def test_ids_are_new_and_not_reserved(interview_page: Page) -> None:
    page = interview_page
    slugs = page.evaluate("""() => [
        editionSuggest.noteSlug('Kazakhstan', new Set(['kazakhstan', 'kazakhstan-2'])),
        editionSuggest.noteSlug('Ed Smith said', new Set()),
        editionSuggest.noteSlug('2022 was', new Set()),
        editionSuggest.noteSlug('СИЗО', new Set()),
        editionSuggest.noteSlug('«»', new Set())]""")
    assert slugs == ["kazakhstan-3", "note-ed-smith-said", "note-2022-was", "sizo", "note"]


def test_suggested_entries_anchor_and_only_their_placeholders_are_reported(interview_page: Page,
                                                                           tmp_path: Path) -> None:
    """The entries the dialog shows, saved in a copy of the edition: `edition check` anchors them,
    and reports only the TODO lines left for the reader."""
    text = interview()
    ids = block_ids(text)
    page = interview_page
    picks = [("Kazakhstan", 0), ("Kazakhstan", 4), ("the", 0), ("post-Soviet space", 0), ("СИЗО", 0)]
    entries = []
    for words, nth in picks:
        block = block_of(text, words, nth)
        start, end = word_span(text, block, words)
        page.evaluate(SELECT, [ids[block], start, end])
        page.keyboard.press("Alt+Shift+N")
        expect(page.locator(DIALOG)).to_be_visible()
        entries.append(page.locator(f"{DIALOG} textarea").input_value())
        page.keyboard.press("Escape")
        expect(page.locator(DIALOG)).to_be_hidden()
    project = copy_project(tmp_path / "edition")
    lines = []
    for number, entry in enumerate(entries):
        lines.append(entry.replace("- id: ", f"- id: s{number}-", 1))
    (project / "annotations" / "suggested.yml").write_text("".join(lines), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "edition", "check"], cwd=project, capture_output=True, text=True,
                            check=False, timeout=300)
    reported = [re.sub(r"^annotations/suggested\.yml:\d+:\d+: error: ", "", line)
                for line in result.stdout.splitlines()]
    assert result.returncode == 1
    assert sorted(reported) == sorted(
        f"`{field}` still holds a TODO placeholder (as `edition new` writes it) — {hint}"
        for field, hint in [("title", "write the note's title in its place"),
                            ("body", "write the note in its place, in Markdown (see README: data formats)"),
                            ("author", "write your name in its place (the page's “Suggest a note” leaves this "
                                       "placeholder)")] for _ in entries), result.stdout
    finished = "".join(lines).replace('"TODO: a one-line title"', '"A title"').replace(
        "    TODO: the note", "    The note").replace('"TODO: your name"', '"A reader"')
    (project / "annotations" / "suggested.yml").write_text(finished, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "edition", "check"], cwd=project, capture_output=True, text=True,
                            check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


# ---- The reader's path: mouse, keyboard, messages -------------------------------------------


def drag(page: Page, block_id: str, start: int, end: int) -> None:
    """Select by dragging the mouse from the start of character `start` to the end of `end - 1`."""
    box = page.evaluate(after_selecting("""
        const rects = getSelection().getRangeAt(0).getClientRects();
        getSelection().removeAllRanges();
        const first = rects[0], last = rects[rects.length - 1];
        return {x0: first.left + 1, y0: first.top + first.height / 2, x1: last.right - 1,
                y1: last.top + last.height / 2};"""), [block_id, start, end])
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y1"], steps=5)
    page.mouse.up()


def test_by_mouse_a_selection_gets_a_button_and_the_dialog_an_entry_to_copy(browser: Browser, base_url: str) -> None:
    text = interview()
    block = block_of(text, "Kazakhstan", 3)
    start, end = word_span(text, block, "Kazakhstan")
    page = page_at(browser, base_url + "interview/")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    drag(page, block_ids(text)[block], start, end)
    assert page.evaluate("getSelection().toString()") == "Kazakhstan"
    button = page.locator(".ed-suggest-button")
    expect(button).to_be_visible()
    assert button.get_attribute("aria-keyshortcuts") == "Alt+Shift+N"
    button.click()
    dialog = page.locator(DIALOG)
    expect(dialog).to_be_visible()
    assert dialog.evaluate("d => d.open && d.matches(':modal')")
    expect(dialog.locator("h2")).to_have_text("Suggest a note")
    assert dialog.get_attribute("aria-labelledby") == "ed-suggest-title"
    entry = dialog.locator("textarea").input_value()
    quote, fields = python_placement(text, block, start, end)
    data = yaml.safe_load(entry)[0]
    assert data == {"id": data["id"], "document": "interview", "type": "context", "quote": quote, **fields,
                    "title": "TODO: a one-line title", "body": data["body"], "sources": [],
                    "author": "TODO: your name", "status": "unverified", "confidence": "low"}
    assert data["id"].startswith("kazakhstan")
    assert f"A new note on {text.blocks[block].label}: Kazakhstan. The quote occurs" in dialog.inner_text()
    assert dialog.locator("a").count() == 0  # no repo_url: nothing to link to
    dialog.get_by_role("button", name="Copy").click()
    expect(dialog.get_by_role("status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == entry
    # Without the clipboard API the entry is selected, to copy by hand or with the browser's copy.
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); }")
    dialog.get_by_role("button", name="Copy").click()
    assert dialog.locator("textarea").evaluate("t => t.selectionStart === 0 && t.selectionEnd === t.value.length")
    expect(dialog.get_by_role("status")).not_to_be_empty()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("getSelection().toString()") == "Kazakhstan"  # the reader's selection comes back
    close(page)


def test_by_keyboard_tab_reaches_the_button_and_escape_returns_to_it(browser: Browser, base_url: str) -> None:
    text = interview()
    block = block_of(text, "post-Soviet space")
    start, end = word_span(text, block, "influence in the post-Soviet space")
    page = page_at(browser, base_url + "interview/")
    # Caret browsing (F7) is the browser's; here the selection starts as one letter, and the keys extend it.
    page.evaluate(SELECT, [block_ids(text)[block], start, start + 1])
    for _ in range(end - start - 1):
        page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("getSelection().toString()") == "influence in the post-Soviet space"
    button = page.locator(".ed-suggest-button")
    expect(button).to_be_visible()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.locator(DIALOG)
    expect(dialog).to_be_visible()
    expect(dialog.locator("textarea")).to_be_focused()
    data = yaml.safe_load(dialog.locator("textarea").input_value())[0]
    assert data["quote"] == "influence in the post-Soviet space"
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Copy")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    assert page.evaluate("getSelection().toString()") == "influence in the post-Soviet space"
    # Tab from the button goes on to what follows the selection (its glossary link is inside it).
    page.keyboard.press("Tab")
    expect(button).to_be_hidden()
    assert page.evaluate("""id => document.getElementById(id).querySelector('a.ed-term')
        .compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING""", block_ids(text)[block])
    # The shortcut opens the dialog straight from the selection.
    page.evaluate(SELECT, [block_ids(text)[block], start, end])
    page.keyboard.press("Alt+Shift+N")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    close(page)


@pytest.mark.parametrize(("case", "message"), [
    ("cross", "The selection crosses paragraphs"),
    ("blank", "The selection holds no words"),
])
def test_a_selection_across_paragraphs_or_of_space_only_gets_a_clear_message(browser: Browser, base_url: str,
                                                                               case: str, message: str) -> None:
    text = interview()
    ids = block_ids(text)
    page = page_at(browser, base_url + "interview/")
    if case == "cross":
        block = block_of(text, "Kazakhstan", 2)
        page.evaluate(SELECT, [ids[block], 0, 5])
        page.evaluate("""id => {  // on to the middle of the next paragraph's first word
            const walker = document.createTreeWalker(document.getElementById(id), NodeFilter.SHOW_TEXT);
            while (walker.nextNode() && walker.currentNode.data.length < 3) {}
            getSelection().extend(walker.currentNode, 2);
        }""", ids[block + 1])
        assert "\n" in page.evaluate("getSelection().toString()")
    else:
        block = block_of(text, "Kazakhstan")
        space = text.blocks[block].text.index(" ")
        page.evaluate(SELECT, [ids[block], space, space + 1])  # a space between two words
        assert page.evaluate("getSelection().toString()") == " "
    page.keyboard.press("Alt+Shift+N")
    dialog = page.locator(DIALOG)
    expect(dialog).to_be_visible()
    expect(dialog.locator(".ed-suggest__message")).to_contain_text(message)
    assert dialog.locator("textarea").count() == 0
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    assert dialog.get_attribute("aria-describedby") == "ed-suggest-message"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    close(page)


def test_a_triple_click_suggests_its_whole_paragraph(browser: Browser, base_url: str) -> None:
    """Chromium's triple click ends the selection at the start of the next paragraph: it is still one."""
    text = interview()
    page = page_at(browser, base_url + "interview/")
    # A paragraph without highlights: a click on one opens its note, which a triple click would select.
    plain = page.evaluate("[...document.querySelectorAll('.ed-document > p:not(:has(mark))')].map(p => p.id)")
    block = block_ids(text).index(plain[len(plain) // 2])
    page.locator("#" + block_ids(text)[block]).scroll_into_view_if_needed()
    for match in re.finditer(r"\w+", text.blocks[block].text):  # a word of the paragraph's own text, not a note's
        point = page.evaluate(after_selecting("""
            const rect = getSelection().getRangeAt(0).getBoundingClientRect();
            getSelection().removeAllRanges();
            const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
            return document.elementFromPoint(x, y) === document.getElementById(id) ? {x, y} : null;"""),
                              [block_ids(text)[block], *match.span()])
        if point:
            break
    assert point
    page.mouse.click(point["x"], point["y"], click_count=3)
    assert page.evaluate("getSelection().getRangeAt(0).endContainer.parentElement.closest('p').id") == block_ids(
        text)[block + 1]
    page.locator(".ed-suggest-button").click()
    data = yaml.safe_load(page.locator(f"{DIALOG} textarea").input_value())[0]
    assert data["quote"] == normalize_plain(text.blocks[block].text)
    close(page)


# ---- Links to the repository ------------------------------------------------------------------


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The edition built with `repo_url` and `edit_uri` set, served."""
    project = copy_project(tmp_path_factory.mktemp("repo"))
    edit(project / "mkdocs.yml", "\nnav:", f'\nrepo_url: "{REPO}"\nedit_uri: "edit/trunk/docs/"\n\nnav:')
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    yield from serve(project / "site")


def test_with_repo_url_the_dialog_links_a_new_file_and_a_new_issue(browser: Browser, repo_site: str) -> None:
    text = interview()
    block = block_of(text, "Kazakhstan", 2)
    start, end = word_span(text, block, "Kazakhstan")
    page = page_at(browser, repo_site + "interview/")
    page.evaluate(SELECT, [block_ids(text)[block], start, end])
    page.keyboard.press("Alt+Shift+N")
    dialog = page.locator(DIALOG)
    entry = dialog.locator("textarea").input_value()
    note_id = yaml.safe_load(entry)[0]["id"]
    new_file = urlsplit(dialog.get_by_role("link", name="Propose it as a file (pull request)").get_attribute("href")
                        or "")
    assert (new_file.scheme, new_file.netloc, new_file.path) == ("https", "github.com",
                                                                 "/example/edition/new/trunk/annotations")
    query = parse_qs(new_file.query)
    assert query["filename"] == [f"{note_id}.yml"]
    assert yaml.safe_load(query["value"][0]) == yaml.safe_load(entry)
    assert query["value"][0].endswith(entry)
    issue = urlsplit(dialog.get_by_role("link", name="Open an issue with it").get_attribute("href") or "")
    assert (issue.netloc, issue.path) == ("github.com", "/example/edition/issues/new")
    query = parse_qs(issue.query)
    assert query["title"] == ["Suggested note: “Kazakhstan”"]
    assert f"```yaml\n{entry}```" in query["body"][0]
    assert f"{text.blocks[block].label} of `interview`" in query["body"][0]
    # The links carry the entry as the reader edits it.
    dialog.locator("textarea").fill(entry.replace("TODO: your name", "A. Reader"))
    value = parse_qs(urlsplit(dialog.get_by_role("link", name="Propose it as a file (pull request)")
                              .get_attribute("href") or "").query)["value"][0]
    assert yaml.safe_load(value)[0]["author"] == "A. Reader"
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)
    close(page)


# ---- Offline, accessible, and pictures to look at --------------------------------------------


def test_it_works_offline_from_files_without_a_server(browser: Browser, built_site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []

    def only_files(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    page.goto((built_site / "interview" / "index.html").as_uri())
    text = interview()
    block = block_of(text, "Russia")
    start, end = word_span(text, block, "Russia")
    page.evaluate(SELECT, [block_ids(text)[block], start, end])
    page.keyboard.press("Alt+Shift+N")
    dialog = page.locator(DIALOG)
    expect(dialog).to_be_visible()
    assert yaml.safe_load(dialog.locator("textarea").input_value())[0]["quote"] == "Russia"
    dialog.get_by_role("button", name="Copy").click()
    expect(dialog.get_by_role("status")).not_to_be_empty()
    context.close()
    assert not requests


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "width"), [("desktop", 1280), ("phone", 390)])
def test_button_and_dialog_have_no_wcag_violations_and_are_pictured(browser: Browser, base_url: str, scheme: str,
                                                                     device: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + "interview/")
    text = interview()
    block = block_of(text, "Kazakhstan", 2)
    start, end = word_span(text, block, "Kazakhstan")
    page.evaluate(SELECT, [block_ids(text)[block], start, end])
    button = page.locator(".ed-suggest-button")
    expect(button).to_be_visible()
    button.scroll_into_view_if_needed()
    violations = axe_violations(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"suggest-{device}-{scheme}-button.png"))
    button.click()
    expect(page.locator(DIALOG)).to_be_visible()
    violations += axe_violations(page)
    page.screenshot(path=str(ARTIFACTS / f"suggest-{device}-{scheme}-dialog.png"))
    context.close()
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)
