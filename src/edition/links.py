"""Links between the pages of the site, as paths relative to the docs folder."""

from __future__ import annotations

import posixpath
from functools import lru_cache


@lru_cache(maxsize=4096)  # pure; the views make tens of thousands of links between a few hundred pages
def page_link(target: str, from_page: str | None) -> str:
    """A link from the page `from_page` to the page `target` (both relative to the docs folder).

    Documents may sit in folders (`part-1/doc-1.md`); MkDocs reads a page's links relative to
    its own folder. Without a page (the extension used on its own) links are left as given.
    """
    if not from_page:
        return target
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")
