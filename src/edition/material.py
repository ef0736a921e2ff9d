"""What the edition relies on in Material for MkDocs, in one place.

Material reaches its end of life on 5 May 2027; Zensical, its successor, runs the extension
but none of this. Two things are Material's own:

- its tooltips (`content.tooltips`) put an element's `title` in as HTML, so text for them is
  escaped twice (`tooltip`);
- its search plugin keeps the index it builds in `search_index.entries`, an attribute that
  is not part of its documented interface: the hooks add the sections the edition read off
  each page there (`search_index`), so the plugin need not parse those pages again. Used
  only when the plugin is on and has that shape; otherwise the plugin indexes the pages
  itself. `pyproject.toml` allows Material 9.7 up to (not including) 10, and the build
  tests read the index the plugin writes (`tests/test_search.py`).
"""

from __future__ import annotations

import html
from typing import Any


def tooltip(text: str) -> str:
    """A `title` for Material's tooltips, which put the attribute's value in as HTML.

    Escaped twice: Python-Markdown's serializer leaves an `&…;` that looks like an entity as it
    is, so `&amp;lt;` reaches the page, the browser reads it as `&lt;`, and the tooltip shows `<`
    as text. Escaped once, `<img onerror=…>` in a glossary field would run in the reader's
    browser.
    """
    return html.escape(html.escape(text, quote=False), quote=False)


def search_index(plugins: Any) -> Any:
    """The index of Material's search plugin among MkDocs' `plugins`, if it is on and has the
    shape the edition knows (a list of `entries`); else None."""
    plugin = plugins.get("material/search") or plugins.get("search")
    index = getattr(plugin, "search_index", None)
    enabled = getattr(getattr(plugin, "config", None), "enabled", False)
    return index if enabled and isinstance(getattr(index, "entries", None), list) else None
