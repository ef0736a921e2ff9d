"""Screenshots of a built edition, for people to look at (not a test: `make test` never runs it).

    .venv/bin/python tools/screenshots.py SITE OUT PREFIX [--page interview/] [--note ID]

SITE is a built site folder (`mkdocs build -d SITE`). Each picture goes to
OUT/PREFIX-<what>.png (Chromium's PNG, one CSS pixel a pixel: about 1.3 MB for the seven):

- a document's page (PAGE, by default `interview/`) in a desktop window 1280 and 1440 CSS px
  wide (800 high) and on a phone 390 px wide (a touch screen that does not hover), in the
  light and the dark palette, each with the note ID open (its marker clicked, or tapped; by
  default the page's first note);
- the first printed page: the page in Chromium's print media, as wide and as high as an A4
  page's printable area at the print stylesheet's margins (11 mm by 13 mm); the tool also has
  Chromium print the page to PDF and says on how many A4 pages it prints.

Issue 18's before/after pictures (docs-dev/screenshots/issue-18/) were taken with it, from a
build of the commit before the issue's work and from a build of the branch that finished it.
Debian's Chromium drives the pages (`CHROMIUM` names another, as in the browser tests).
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import sync_playwright
from pypdf import PdfReader

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MM = 96 / 25.4
"""CSS pixels in a millimetre."""
PRINTED = {"width": round((210 - 2 * 13) * MM), "height": round((297 - 2 * 11) * MM)}
"""An A4 page's printable area at the print stylesheet's margins (`@page { margin: 11mm 13mm }`)."""
WINDOWS = (("desktop-1280", 1280, 800, False), ("desktop-1440", 1440, 800, False), ("phone-390", 390, 844, True))
"""Each window: its name, width, height and whether it is a phone (touch, no hover)."""
SETTLED = "Promise.allSettled(document.getAnimations().map(animation => animation.finished))"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log on the terminal."""


def note_open(browser: Browser, url: str, path: Path, *, note: str | None, window: tuple[str, int, int, bool],
              scheme: str) -> None:
    """A picture of the page at `url` in `window` and the palette `scheme`, with `note` (else the first) open."""
    _, width, height, phone = window
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=phone, is_mobile=phone,
                                  color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    marker = page.locator(f"#ref-{note}" if note else ".ed-document a.ed-marker").first
    marker.scroll_into_view_if_needed()
    if phone:
        marker.tap()
    else:
        marker.click()
    page.wait_for_timeout(300)
    page.evaluate(SETTLED)
    page.screenshot(path=str(path), type="png")
    context.close()


def first_printed_page(browser: Browser, url: str, path: Path) -> int:
    """A picture of the first printed page of the page at `url`; how many A4 pages it prints on."""
    context = browser.new_context(viewport=PRINTED)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    pages = len(PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    page.emulate_media(media="print")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), type="png")
    context.close()
    return pages


def take(site: Path, out: Path, prefix: str, *, page: str, note: str | None) -> tuple[list[Path], int]:
    """Take every picture of `page` of `site` into `out`: the files written, and how many pages it prints on."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for scheme in ("light", "dark"):
                for window in WINDOWS:
                    written.append(out / f"{prefix}-{window[0]}-{scheme}-note.png")
                    note_open(browser, url, written[-1], note=note, window=window, scheme=scheme)
            written.append(out / f"{prefix}-print-page-1.png")
            pages = first_printed_page(browser, url, written[-1])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("out", type=Path, help="the folder for the pictures")
    parser.add_argument("prefix", help="the start of each picture's name (before, after)")
    parser.add_argument("--page", default="interview/", help="the document's page, from the site's root")
    parser.add_argument("--note", help="the note to open (its id; by default the page's first)")
    arguments = parser.parse_args()
    written, pages = take(arguments.site, arguments.out, arguments.prefix, page=arguments.page, note=arguments.note)
    for path in written:
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    print(f"{arguments.prefix}: {arguments.page} prints on {pages} A4 pages")


if __name__ == "__main__":
    main()
