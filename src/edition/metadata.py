"""Site metadata and pages' front matter are plain text: no markup, no control characters.

MkDocs' templates do not escape what they print, and Material prints a page's `title`, the
`site_name`, the `copyright` and the navigation's titles as they are, into the HTML. A title
holding `<img src=x onerror=…>` ran script on every page of the site. The edition's own
template escapes what it prints (`overrides/main.html`), but it cannot change Material's, so
these values are checked here, each problem at its line: in `mkdocs.yml` (`site_name`,
`site_description`, `site_author`, `copyright`, the `nav` titles, `extra.edition`) and in the
front matter of every page (every text value: `title`, `description`, …).

- Markup: any `<` right before a letter, `/`, `!` or `?` (`edition.plaintext.MARKUP`).
- Control characters, line separators, lone surrogates (`edition.strict`).
- `site_name` may not hold `"`: Material prints it unescaped inside an `aria-label="…"`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING

from edition.plaintext import MARKUP
from edition.problems import Problem, Severity
from edition.strict import bad_character, describe, leaves

if TYPE_CHECKING:
    from collections.abc import Iterator

    from edition.yamlfile import JsonPath

SITE_FIELDS = ("site_name", "site_description", "site_author", "copyright")
"""Settings of `mkdocs.yml` the theme prints into every page."""
QUOTED_IN_ATTRIBUTES = frozenset({"site_name"})
"""Settings Material prints unescaped inside an attribute (`aria-label="{{ config.site_name }}"`)."""


def _line_col(text: str, keys: tuple[str, ...]) -> tuple[int, int]:
    """Where the last of `keys` is written in `text`, each key looked for after the one before
    it (`extra`, `edition`, `original`, `publisher`); (1, 1) if not found."""
    line, col, start = 1, 1, 0
    for key in keys:
        found = re.compile(rf"^([ \t-]*)[\"']?{re.escape(key)}[\"']?\s*:", re.MULTILINE).search(text, start)
        if found is None:
            break
        line, col, start = text.count("\n", 0, found.start()) + 1, len(found.group(1)) + 1, found.end()
    return line, col


def value_problems(value: str, name: str, where: tuple[str, str], *, quotes: bool = False,
                   keys: tuple[str, ...] = ()) -> Iterator[Problem]:
    """Problems of one plain-text `value` called `name`, in file `where[0]` whose text is `where[1]`,
    written under the mapping keys `keys` there (by default `name:`)."""
    path, text = where
    line, col = _line_col(text, keys or (name,))
    char = bad_character(value, name)
    if char is not None:
        yield Problem(path, line, col, Severity.ERROR, f"`{name}` contains {describe(char)}",
                      "delete it; this text is printed into every page's HTML")
    tag = MARKUP.search(value)
    if tag:
        yield Problem(path, line, col, Severity.ERROR, f"`{name}` contains markup '{tag.group()}'",
                      "write plain text: the theme prints this into the page as it is; write '< ' (with a space) "
                      "for a less-than sign")
    if quotes and '"' in value:
        yield Problem(path, line, col, Severity.ERROR, f"`{name}` contains a double quote \"",
                      "use typographic quotes “…” instead: the theme prints this unescaped inside an HTML attribute")


def _keys(path: JsonPath) -> tuple[str, ...]:
    """The mapping keys of `path` (not the list indexes)."""
    return tuple(part for part in path if isinstance(part, str))


def _name(path: JsonPath, fallback: str) -> str:
    names = [part for part in path if isinstance(part, str)]
    return names[-1] if names else fallback


def front_matter_problems(meta: Mapping[str, object], path: str, text: str) -> Iterator[Problem]:
    """Every text value of a page's front matter (`meta`) with markup or a control character;
    `path` is how problems name the page, `text` its Markdown (for the lines)."""
    for where, value in leaves(dict(meta)):
        if isinstance(value, str):
            yield from value_problems(value, _name(where, "front matter"), (path, text), keys=_keys(where))


def config_problems(config: Mapping[str, object], path: str, text: str) -> Iterator[Problem]:
    """The settings of `mkdocs.yml` (`config`) that every page prints, with markup or a control
    character (`path`: how problems name the file, `text` its text, for the lines)."""
    for name in SITE_FIELDS:
        value = config.get(name)
        if isinstance(value, str):
            yield from value_problems(value, name, (path, text), quotes=name in QUOTED_IN_ATTRIBUTES)
    for title in _nav_titles(config.get("nav") or []):
        yield from value_problems(title, "nav", (path, text), keys=("nav", title))
    extra = config.get("extra")
    edition = extra.get("edition") if isinstance(extra, Mapping) else None
    for where, value in leaves(edition or {}):
        if isinstance(value, str):
            yield from value_problems(value, _name(where, "edition"), (path, text),
                                      keys=("extra", "edition", *_keys(where)))


def _nav_titles(nav: object) -> Iterator[str]:
    """The titles of the navigation (the keys of its mappings)."""
    if isinstance(nav, list):
        for item in nav:
            yield from _nav_titles(item)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(title, str):
                yield title
            yield from _nav_titles(value)


def neutralise_meta(meta: MutableMapping[str, object]) -> None:
    """Escape every text value of a page's front matter (`mkdocs serve` only: see `neutralise_config`)."""
    for key, value in meta.items():
        if isinstance(value, str):
            meta[key] = html.escape(value)


def neutralise_config(config: MutableMapping[str, object]) -> None:
    """Escape the settings of `mkdocs.yml` the theme prints, and the nav's titles.

    For `mkdocs serve` only, when the check before a rebuild has found problems in them: the
    server keeps serving (a failed rebuild would stop it), so it serves them escaped rather
    than as markup; a build fails instead.
    """
    for name in SITE_FIELDS:
        value = config.get(name)
        if isinstance(value, str):
            config[name] = html.escape(value)
    config["nav"] = _escaped_nav(config.get("nav"))


def _escaped_nav(nav: object) -> object:
    if isinstance(nav, list):
        return [_escaped_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {html.escape(title) if isinstance(title, str) else title: _escaped_nav(value)
                for title, value in nav.items()}
    return nav
