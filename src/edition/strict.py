"""What every value of a data file must be, beyond its schema: the right kind of number,
and characters that mean the same to every program that reads them.

JSON Schema calls `2.0` an integer and YAML escapes write any character (`"\\0"`,
`"\\x1b[31m"`, `"\\r"`, `"\\N"`, `"\\L"`, `"\\ud800"`). Such values used to pass the check and
then crash the build (a number where a count was expected, a lone surrogate that no file can
be written with), or went on into the pages and the exports: a NUL in the HTML, a carriage
return that starts a new row of the CSV in some spreadsheets, an escape sequence that recolours
a terminal, a line separator that gets around the one-line rules. So each is an error at its
value, and the entry holding it is left out of the corpus (as for a schema error), so that
nothing downstream ever sees it.
"""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.problems import Problem, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from edition.yamlfile import JsonPath, YamlDocument

MARKDOWN_FIELDS = frozenset({"body", "definition"})
"""Fields whose text is Markdown: a tab (indentation) is allowed there, as is a new line."""

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""C0 and C1 control characters (not tab or line feed), DEL, the Unicode line and paragraph
separators, and lone surrogates (which no UTF-8 file can hold)."""
TAB = "\t"

NAMES = MappingProxyType({
    "\x00": "NUL", "\x1b": "ESCAPE", "\r": "CARRIAGE RETURN", "\t": "TAB", "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED", "\x7f": "DELETE", "\x85": "NEXT LINE (NEL)", "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
})
"""Names of the characters Python's `unicodedata` has none for (controls) or that read better."""


def describe(char: str) -> str:
    """A character named for a message: `U+001B ESCAPE`, `a lone surrogate U+D800`."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X}"
    name = NAMES.get(char) or unicodedata.name(char, "") or "control character"
    return f"U+{code:04X} {name}"


def bad_character(value: str, field: str) -> str | None:
    """The first character `value` may not hold as the value of `field`, or None."""
    found = FORBIDDEN.search(value)
    if found:
        return found.group()
    if field not in MARKDOWN_FIELDS and TAB in value:
        return TAB
    return None


def _hint(char: str) -> str:
    if char in "\u2028\u2029\x85":
        return ("write the text on one line, or start a new paragraph with an empty line in a Markdown body; "
                "in double quotes, YAML's \\N, \\L and \\P write these characters")
    if char == TAB:
        return "write a space instead (a tab is allowed only in `body` and `definition`)"
    return ("delete it: in double quotes, YAML escapes such as \\0, \\e, \\x1b, \\r and \\u… write "
            "invisible characters; write a \\ as \\\\ or put the value in single quotes")


def leaves(data: object, path: JsonPath = ()) -> Iterator[tuple[JsonPath, object]]:
    """Every value in `data` that is not a list or a mapping, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, (*path, index))
    else:
        yield path, data


def _values(data: object) -> Iterator[object]:
    """Every value in `data` that is not a list or a mapping, without its path, in any order."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            yield item


def _clean(data: object) -> bool:
    """Whether `data` surely holds no problem: no number with a decimal point, no forbidden
    character and no tab (a tab may be allowed, where `strict_problems` looks closer)."""
    texts: list[str] = []
    for value in _values(data):
        if isinstance(value, float):
            return False
        if isinstance(value, str):
            texts.append(value)
    joined = "\n".join(texts)
    return TAB not in joined and FORBIDDEN.search(joined) is None


def strings(data: object) -> Iterator[tuple[JsonPath, str]]:
    """Every text value in `data` with its path."""
    return ((path, value) for path, value in leaves(data) if isinstance(value, str))


def _field(path: JsonPath) -> str:
    names = [part for part in path if isinstance(part, str)]
    return names[-1] if names else "entry"


def strict_problems(doc: YamlDocument, expects: Callable[[JsonPath], str | None]
                    ) -> tuple[list[Problem], set[int]]:
    """Forbidden characters and numbers with a decimal point where a whole number is due.

    `expects(path)` is the JSON Schema type of the value at `path` (None if none is said).
    Returns the problems and the indexes of the entries that hold them.
    """
    problems: list[Problem] = []
    bad: set[int] = set()
    if _clean(doc.data):  # nearly every file: one quick look instead of two walks with paths
        return problems, bad
    for path, value in strings(doc.data):
        if not value.strip():  # blank: the schema reports it as empty
            continue
        char = bad_character(value, _field(path))
        if char is None:
            continue
        place = doc.place(path)
        problems.append(Problem(doc.path, place.line, place.col, Severity.ERROR,
                                f"`{_field(path)}` contains {describe(char)}", _hint(char)))
        bad.add(_entry(path))
    for path, number in leaves(doc.data):
        if not isinstance(number, float) or expects(path) != "integer":  # YAML reads `2.0` as a float
            continue
        place = doc.place(path)
        written = doc.written.get(path, repr(number))
        whole = f"write {int(number)}" if number.is_integer() else "write a whole number such as 2"
        problems.append(Problem(doc.path, place.line, place.col, Severity.ERROR,
                                f"`{_field(path)}: {written}` is not a whole number", whole))
        bad.add(_entry(path))
    bad.discard(-1)
    return problems, bad


def _entry(path: JsonPath) -> int:
    return path[0] if path and isinstance(path[0], int) else -1
