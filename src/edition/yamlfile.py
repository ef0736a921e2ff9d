"""Read one YAML data file safely, keeping the line and column of every value.

Contributors edit these files by hand, so every way a file can be broken is turned into
a `Problem` that points at the line: bad bytes, a byte-order mark, an empty file, a
syntax error, tabs, duplicate keys. Values are built by PyYAML's `SafeLoader` (no Python
objects), except that dates stay strings: `date: 2022-01-05` means the text, not a
`datetime.date`.

Anchors, aliases and merge keys (`&name`, `*name`, `<<:`) are refused before any value is
built: a value written once and used many times can make a small file expand without end
(an alias inside its own anchor) or exponentially ("billion laughs"), and edition data has
no need of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml

from edition.model import Place
from edition.problems import Problem, Severity

if TYPE_CHECKING:
    from pathlib import Path

MAX_BYTES = 512 * 1024
"""Larger data files are refused: split them, one annotation or a few per file."""

BOM = b"\xef\xbb\xbf"
YAML_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
"""Characters YAML 1.1 reads as line breaks, which no editor shows as one."""

JsonPath = tuple[str | int, ...]

STANDARD_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map"))
"""Only YAML's own types are data; any other tag (`!!python/…`, `!custom`) is refused."""
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"

ANCHORS_REFUSED = "YAML anchors and aliases (&name, *name, <<:) are not allowed in edition data"


class AnchorError(yaml.MarkedYAMLError):
    """An anchor, alias or merge key, refused where it is written."""

    def __init__(self, found: str, mark: Any) -> None:
        super().__init__(problem=f"found `{found}`", problem_mark=mark)


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings and refuses anchors and aliases."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Refuse the first anchor or alias before it is composed (and before any alias is followed)."""
        _refuse_anchor(self.peek_event())  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


def _refuse_anchor(event: yaml.Event) -> None:
    """Raise `AnchorError` if `event` is an alias or carries an anchor."""
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise AnchorError(f"*{anchor}" if isinstance(event, yaml.AliasEvent) else f"&{anchor}", event.start_mark)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FastLoader: type[Any] | None = None
"""The same loader on libyaml's parser when PyYAML has it: it reads valid files several times
faster. Anything it refuses is read again by `_Loader`, whose messages are the reference."""
if getattr(yaml, "__with_libyaml__", False):
    class _CLoader(yaml.CSafeLoader):
        """CSafeLoader that leaves timestamps as strings."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FastLoader = _CLoader


@dataclass
class YamlDocument:
    """The parsed content of one file, the places of its values, and what was wrong with it."""

    path: str
    data: Any = None
    values: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    """Where each value starts (line, column), by its path in the data (keys and list indexes)."""
    keys: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    """Where each mapping key is written (line, column), by the path of its value."""
    block_scalars: set[JsonPath] = field(default_factory=set)
    """Paths of values written as `|` or `>` blocks, whose text starts on the next line."""
    written: dict[JsonPath, str] = field(default_factory=dict)
    """How each value that YAML reads as other than text (true/false, a number, empty) is written."""
    literal_scalars: set[JsonPath] = field(default_factory=set)
    """Paths of values written as `|` blocks, whose lines are the file's lines."""
    problems: list[Problem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    """The file's text, line by line."""
    refused: set[JsonPath] = field(default_factory=set)
    """Paths of values refused while reading (already reported), for the schema check to skip."""

    def place(self, path: JsonPath) -> Place:
        """The place of the value at `path`, or of its nearest written ancestor."""
        while path:
            if path in self.values:
                return Place(self.path, *self.values[path])
            path = path[:-1]
        return Place(self.path, *self.values.get((), (1, 1)))

    def content_place(self, path: JsonPath) -> Place:
        """Where the text of the value at `path` starts: for `|`/`>` blocks, the next line.

        A block's column is its indentation, which its text leaves out of every line (that of
        its first line that is not blank); a `|` block's place is `literal` (see `Place.within`).
        """
        place = self.place(path)
        if path not in self.block_scalars or place.line >= len(self.lines):
            return place
        following = self.lines[place.line:]  # from the line after the indicator (its 0-based index)
        line = next((text for text in following if text.strip()), following[0])
        return Place(place.path, place.line + 1, len(line) - len(line.lstrip(" ")) + 1,
                     literal=path in self.literal_scalars)

    def key_place(self, path: JsonPath) -> Place:
        """The place of the key that holds the value at `path`."""
        key = self.keys.get(path)
        return self.place(path) if key is None else Place(self.path, *key)

    def problem(self, place: Place, message: str, hint: str, severity: Severity = Severity.ERROR) -> None:
        """Record a problem at `place`."""
        self.problems.append(Problem(self.path, place.line, place.col, severity, message, hint))


def _decode(raw: bytes, doc: YamlDocument) -> str | None:
    """The file's text with `\n` line ends, or None after recording why it cannot be read."""
    place = Place(doc.path, 1)
    if len(raw) > MAX_BYTES:
        doc.problem(place, f"file is {len(raw):,} bytes, over the {MAX_BYTES:,}-byte limit",
                    "split it into several smaller files")
        return None
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
        doc.problem(place, "file starts with a byte-order mark (BOM)", "save the file as UTF-8 without BOM",
                    Severity.WARNING)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.problem(Place(doc.path, line, col), f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                    "save the file with UTF-8 encoding")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    separator = YAML_LINE_BREAKS.search(text)
    if separator:  # YAML would break the line there, and report a syntax error somewhere after it
        at = separator.start()
        name = {"\x85": "NEXT LINE (NEL)", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}
        doc.problem(Place(doc.path, text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1),
                    f"character U+{ord(separator.group()):04X} {name[separator.group()]} is not allowed: YAML reads "
                    "it as a line break", "delete it (it often comes with copy and paste), or end the line there")
        return None
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.split("\n")):
        doc.problem(place, "file is empty", "add at least one entry (see README: data formats) or delete the file")
        return None
    return text


def read_yaml(file: Path, display_path: str) -> YamlDocument:
    """Parse `file`, reporting every problem with `display_path` as its name."""
    doc = YamlDocument(display_path)
    text = _decode(file.read_bytes(), doc)
    if text is None:
        return doc
    doc.lines = text.split("\n")
    if _FastLoader is not None:
        fast = _read_fast(doc, text)
        if fast is not None:
            return _nothing_read(fast)
    _read_pure(doc, text)
    return _nothing_read(doc)


def _nothing_read(doc: YamlDocument) -> YamlDocument:
    """`doc`, with an error if YAML read it as no value at all (`~`, `null`, `---`, `...`) and
    nothing else is wrong with it: such a file would be silently ignored."""
    if doc.data is None and not any(problem.is_error for problem in doc.problems):
        line = next((number for number, text in enumerate(doc.lines, 1)
                     if text.strip() and not text.lstrip().startswith("#")), 1)
        doc.problem(Place(doc.path, line), "file holds no entries: YAML reads it as one empty value",
                    "add at least one entry (see README: data formats) or delete the file")
    return doc


def _read_pure(doc: YamlDocument, text: str) -> None:
    """Read `text` into `doc` with the pure-Python loader, whose messages are the reference."""
    place = Place(doc.path, 1)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:  # a document of only `---` or `...`
                doc.problem(place, "file is empty",
                            "add at least one entry (see README: data formats) or delete the file")
            else:
                doc.data = _build(doc, loader, node, ())
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        doc.problem(Place(doc.path, line, col), f"character U+{exc.character:04X} is not allowed in YAML",
                    "delete it: invisible control characters often come with copy and paste")
    except AnchorError as exc:  # an anchor, an alias or a merge key `<<:`
        _anchor_problem(doc, exc)
    except yaml.MarkedYAMLError as exc:  # a syntax error, or a `!!python/…` tag that SafeLoader refuses
        _syntax_problem(doc, text, exc)
    except RecursionError:  # PyYAML's parser recurses once per level of nesting
        doc.data = None
        doc.problem(place, "the file nests lists or fields too deeply to be read",
                    "edition data needs a few levels only: a list of entries, their fields, lists of values")


def _read_fast(doc: YamlDocument, text: str) -> YamlDocument | None:
    """`doc` read with libyaml, or None when anything is wrong (the pure-Python loader explains it)."""
    assert _FastLoader is not None
    fast = YamlDocument(doc.path, problems=list(doc.problems), lines=doc.lines)
    try:
        if "&" in text:  # no anchor without `&`, and no alias without an anchor
            for event in yaml.parse(text, Loader=_FastLoader):
                _refuse_anchor(event)
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            fast.data = _build(fast, loader, node, ())
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return None
    return fast


def _anchor_problem(doc: YamlDocument, exc: AnchorError) -> None:
    mark = exc.problem_mark
    place = Place(doc.path, mark.line + 1, mark.column + 1) if mark else Place(doc.path, 1)
    doc.problem(place, f"{ANCHORS_REFUSED} ({exc.problem})",
                "write the value out in full where it is needed; a value that starts with & or * "
                "must be in double quotes")


INNER_QUOTE = MappingProxyType({
    '"': 'a " inside "…" must be written \\", or put the whole value in single quotes',
    "'": "a ' inside '…' must be doubled (''), or put the whole value in double quotes",
})
"""How to write a quote mark inside a value quoted with the same mark."""


def _quote_problem(doc: YamlDocument, text: str, exc: yaml.MarkedYAMLError) -> bool:
    """Record a problem with quotes at the quote that causes it; False if `exc` is no such problem.

    PyYAML notices a quote left open, or a value that goes on after its closing quote, only
    where it gives up, often lines later: the scalar it was reading tells where it began.
    """
    start, mark = exc.context_mark, exc.problem_mark
    if exc.context == "while scanning a quoted scalar" and start is not None:  # never closed
        quote = text[start.index]
        doc.problem(Place(doc.path, start.line + 1, start.column + 1),
                    f"YAML syntax error: the quote {quote} that opens this value is never closed",
                    f"end the value with {quote}; {INNER_QUOTE[quote]}")
        return True
    if not isinstance(exc, yaml.parser.ParserError) or mark is None:
        return False
    scalar = _token_before(text, mark.index)
    if not isinstance(scalar, yaml.ScalarToken) or scalar.style not in INNER_QUOTE:
        return False
    quote, opened, closed = scalar.style, scalar.start_mark, scalar.end_mark
    if closed.line > opened.line:
        doc.problem(Place(doc.path, opened.line + 1, opened.column + 1),
                    f"YAML syntax error: the quote {quote} that opens this value is not closed on this line, "
                    f"so the value runs on to line {closed.line + 1}",
                    f"end the value with {quote} on this line; {INNER_QUOTE[quote]}")
        return True
    if mark.line == closed.line:
        doc.problem(Place(doc.path, closed.line + 1, closed.column),
                    f"YAML syntax error: the value in quotes ends at this {quote}, but more text follows",
                    INNER_QUOTE[quote])
        return True
    return False


def _token_before(text: str, index: int) -> yaml.Token | None:
    """The last token of `text` (not an empty one) that ends at or before `index`."""
    last = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.index >= index:
                break
            if token.end_mark.index > token.start_mark.index:
                last = token
    except yaml.YAMLError:
        pass
    return last


def _syntax_problem(doc: YamlDocument, text: str, exc: yaml.MarkedYAMLError) -> None:
    if _quote_problem(doc, text, exc):
        return
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    lines = text.split("\n")
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    what = f"YAML syntax error: {exc.problem or exc.context}"
    previous_line = lines[line - 2] if 1 < line <= len(lines) + 1 else ""
    value = source_line.split(":", 1)[1].strip() if ":" in source_line else source_line.strip()
    value = value.removeprefix("- ").strip()
    if isinstance(exc, yaml.constructor.ConstructorError):
        what = f"YAML tag not allowed: {exc.problem}"
        hint = "remove the `!!…` tag; data files hold only text, numbers, lists and mappings"
    elif "\t" in source_line or "\t" in previous_line or "\t" in (exc.problem or ""):
        hint = "indent with spaces, not tabs"
    elif "escape character" in (exc.problem or ""):
        hint = ('a \\ inside "…" starts an escape such as \\n: write \\\\ for a backslash, or put the whole '
                "value in single quotes")
    elif value[:1] in ("[", "{", "*", "&", "!", "%", "@", "`") and not value.startswith(("[]", "{}")):
        hint = (f"a value starting with '{value[0]}' means something special in YAML: "
                "put the whole value in double quotes")
    elif ": " in value and not value.startswith(("'", '"', "|", ">")):
        hint = "put the value in double quotes, because it contains ': '"
    else:
        hint = "check indentation, quotes and colons on this line or the one above"
    doc.problem(Place(doc.path, line, col), what, hint)


def _place(doc: YamlDocument, node: yaml.Node) -> Place:
    return Place(doc.path, *_line_col(node))


def _line_col(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(doc: YamlDocument, loader: Any, node: yaml.Node, path: JsonPath) -> Any:
    """Turn a node into plain data, recording the place of every value."""
    doc.values[path] = _line_col(node)
    if node.tag == MERGE_TAG:  # a value `<<`: only a key `<<` merges, so this is the text
        return node.value
    if node.tag not in STANDARD_TAGS:
        doc.problem(_place(doc, node), f"YAML tag not allowed: {node.tag}",
                    "remove the `!…` tag; data files hold only text, numbers, lists and mappings")
        doc.refused.add(path)
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                raise AnchorError("<<:", key_node.start_mark)
            key = key_node.value if key_node.tag == STR_TAG else loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                doc.problem(_place(doc, key_node), f"field name {key!r} is not text",
                            "field names are words such as `title`")
                continue
            child = (*path, key)
            if key in result:
                doc.problem(_place(doc, key_node), f"duplicate field '{key}'",
                            "keep one of the two; YAML would silently use the last")
            doc.keys[child] = _line_col(key_node)
            result[key] = _build(doc, loader, value_node, child)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(doc, loader, item, (*path, index)) for index, item in enumerate(node.value)]
    if isinstance(node, yaml.ScalarNode):
        if node.style in ("|", ">"):
            doc.block_scalars.add(path)
        if node.style == "|":
            doc.literal_scalars.add(path)
        if node.tag == STR_TAG:  # most values: the text as written (what the constructor would return)
            return node.value
        doc.written[path] = node.value
    return loader.construct_object(node, deep=True)
