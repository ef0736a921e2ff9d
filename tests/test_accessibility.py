"""Accessibility: axe-core (WCAG 2.2 AA) on every page, both palettes, desktop and phone; and a
keyboard-only pass over every annotation marker."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.browser
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def site_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html"))


def axe_violations(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_has_no_wcag_violations(browser: Browser, base_url: str, built_site: Path, scheme: str,
                                           width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    found = {}
    pages = site_pages(built_site)
    assert {"", "interview/", "annotations/", "glossary/"} <= set(pages)
    for name in pages:
        page.goto(base_url + name)
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    context.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "layout"), [(1024, "inline"), (1280, "margin"), (1920, "margin"),
                                              (390, "sheet")])
def test_an_open_note_has_no_wcag_violations(browser: Browser, base_url: str, scheme: str, width: int,
                                             layout: str) -> None:
    """The popover, as it opens under its paragraph, in the margin of a wide screen and on a phone."""
    context = browser.new_context(viewport={"width": width, "height": 1000}, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + "interview/")
    page.locator(".ed-document a.ed-marker").nth(5).click()
    dialog = page.locator(".ed-popover[role=dialog]")
    assert dialog.is_visible()
    assert f"ed-popover--{layout}" in (dialog.get_attribute("class") or "").split()
    violations = axe_violations(page)
    context.close()
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)


def test_axe_finds_a_planted_violation(browser: Browser, base_url: str) -> None:
    """The check above can fail: an image without alt text is reported."""
    page = browser.new_page()
    page.goto(base_url + "interview/")
    page.evaluate("document.querySelector('.ed-document').prepend(Object.assign(document.createElement('img'), "
                  "{src: 'data:image/gif;base64,R0lGODlhAQABAAAAACw='}))")
    assert "image-alt" in {v["id"] for v in axe_violations(page)}
    page.close()


def test_keyboard_reaches_every_marker_opens_and_closes_each_note(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "interview/")
    markers = page.locator(".ed-document a.ed-marker")
    ids = [markers.nth(i).get_attribute("id") or "" for i in range(markers.count())]
    assert len(ids) >= 10
    reached: list[str] = []
    for _ in range(2000):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.id")
        if focused in ids and focused not in reached:
            reached.append(focused)
        if len(reached) == len(ids):
            break
    assert reached == ids, "Tab must reach every marker, in text order"
    dialog = page.locator(".ed-popover[role=dialog]")
    for marker_id in ids:
        page.locator(f"#{marker_id}").focus()
        page.keyboard.press("Enter")
        expect(dialog).to_be_visible()
        note = marker_id.removeprefix("ref-")
        title = page.locator(f"#note-{note} .ed-note__title").inner_text()
        expect(dialog.locator(".ed-note__title")).to_have_text(title)
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        assert page.evaluate("document.activeElement.id") == marker_id
    page.close()


def test_reduced_motion_turns_off_transitions_and_smooth_scrolling(browser: Browser, base_url: str) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(base_url + "interview/")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    page.locator(".ed-document a.ed-marker").first.click()
    duration = page.locator(".ed-popover").evaluate("e => getComputedStyle(e).transitionDuration")
    assert duration == "0s"
    context.close()
    context = browser.new_context(reduced_motion="no-preference")
    page = context.new_page()
    page.goto(base_url + "interview/")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "smooth"
    context.close()


def test_colour_is_never_the_only_signal_of_a_type(browser: Browser, base_url: str) -> None:
    """Calm by default: one quiet underline for every passage, whatever its note's type; the
    type is told by a symbol on each marker (the same as on the note's badge, beside its name)."""
    page = browser.new_page()
    page.goto(base_url + "interview/")
    looks = page.evaluate("""() => {
        const style = (e, pseudo) => getComputedStyle(e, pseudo);
        const marks = new Set(), glyphs = {}, badges = {};
        for (const mark of document.querySelectorAll('.ed-document mark.ed-hl:not(.ed-hl--overlap)')) {
            const s = style(mark);
            marks.add([s.backgroundColor, s.textDecorationLine, s.textDecorationStyle,
                       s.textDecorationColor].join('|'));
        }
        for (const marker of document.querySelectorAll('.ed-document a.ed-marker')) {
            const type = [...marker.classList].find(c => c.startsWith('ed-marker--')).slice(11);
            glyphs[type] = style(marker, '::after').content;
        }
        for (const badge of document.querySelectorAll('.ed-notes .ed-badge')) {
            badges[badge.className.split('ed-badge--')[1]] = style(badge, '::before').content;
        }
        return {marks: [...marks], glyphs, badges};
    }""")
    page.close()
    assert len(looks["marks"]) == 1, looks["marks"]  # one style
    background, line, line_style, _ = looks["marks"][0].split("|")
    assert (background, line, line_style) == ("rgba(0, 0, 0, 0)", "underline", "solid")
    symbols = {type_: content.split('"')[1].split("\u2009")[0] for type_, content in looks["glyphs"].items()}
    assert len(symbols) >= 5 and all(symbols.values()), looks["glyphs"]
    assert len(set(symbols.values())) == len(symbols), symbols  # one symbol a type
    for type_, symbol in symbols.items():
        assert looks["badges"][type_].startswith(f'"{symbol}'), (type_, looks["badges"][type_])


def test_only_the_note_open_hovered_or_focused_is_highlighted(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "interview/")
    lit = """() => [...document.querySelectorAll('.ed-document mark.ed-hl')]
        .filter(m => getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)')
        .map(m => m.dataset.notes)"""
    assert page.evaluate(lit) == []
    marker = page.locator("#ref-january-2022")
    marker.hover()
    assert set(page.evaluate(lit)) == {"january-2022"}
    page.mouse.move(5, 5)
    assert page.evaluate(lit) == []
    page.locator("#ref-caption-tokayev").focus()
    assert set(page.evaluate(lit)) == {"caption-tokayev"}
    page.keyboard.press("Enter")
    page.mouse.move(5, 5)
    page.locator("#ed-popover-title").focus()
    assert set(page.evaluate(lit)) == {"caption-tokayev"}  # the open note's passage
    page.keyboard.press("Escape")
    page.locator("h1").first.focus()
    page.evaluate("document.activeElement.blur()")
    assert page.evaluate(lit) == []
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_glossary_card_and_a_note_on_shared_words_have_no_wcag_violations(browser: Browser, base_url: str,
                                                                             scheme: str) -> None:
    """The card a tap on a term opens on a phone, and a note that links to another on its words."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + "interview/")
    page.locator('.ed-document a.ed-term[data-term="sizo"]').first.tap()
    expect(page.locator(".ed-card[role=dialog]")).to_be_visible()
    card = axe_violations(page)
    page.keyboard.press("Escape")
    page.locator("#ref-dariga-name").tap()
    expect(page.locator(".ed-popover__also")).to_be_visible()
    # Material's tooltip of the term, which had the focus back, fades out: measure after it.
    page.evaluate("Promise.allSettled(document.getAnimations().map(animation => animation.finished))")
    note = axe_violations(page)
    context.close()
    assert not card and not note, json.dumps([card, note], indent=1, ensure_ascii=False)


CONTRAST = """([fg, bg]) => {
    // The contrast ratio of two CSS colours, `fg` drawn over `bg` (opaque).
    const rgba = (c) => c.match(/[\\d.]+/g).map(Number);
    const [r, g, b, a = 1] = rgba(fg), back = rgba(bg);
    const mixed = [r, g, b].map((v, i) => a * v + (1 - a) * back[i]);
    const lum = (c) => c.map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const [hi, lo] = [lum(mixed), lum(back.slice(0, 3))].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_note_map_by_keyboard_has_no_wcag_violations(browser: Browser, base_url: str, scheme: str) -> None:
    """The map with a tick focused (its note's name shown beside it) and the note it opened:
    axe finds nothing, the name is readable (4.5:1) and the focus ring stands out (3:1)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + "interview/")
    page.wait_for_load_state("networkidle")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.ed-map__tick')"):
            break
    for _ in range(30):
        page.keyboard.press("ArrowDown")
    tick = page.locator(".ed-map__tick:focus")
    expect(tick).to_have_accessible_name(re.compile(r"^Note 31, "))
    label = tick.evaluate("t => { const s = getComputedStyle(t, '::after'); "
                          "return [s.content, s.color, s.backgroundColor]; }")
    assert label[0].startswith('"Note 31, ')  # the name, shown beside the tick
    ring = tick.evaluate("t => [getComputedStyle(t).outlineColor, getComputedStyle(document.body).backgroundColor]")
    assert page.evaluate(CONTRAST, label[1:]) >= 4.5, label
    assert page.evaluate(CONTRAST, ring) >= 3, ring
    on_map = axe_violations(page)
    page.keyboard.press("Enter")
    expect(page.locator(".ed-popover[role=dialog]")).to_be_visible()
    in_note = axe_violations(page)
    context.close()
    assert not on_map and not in_note, json.dumps([on_map, in_note], indent=1, ensure_ascii=False)
