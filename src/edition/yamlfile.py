"""Read one YAML data file safely, keeping the line and column of every value.

Contributors edit these files by hand, so every way a file can be broken is turned into
a `Problem` that points at the line: bad bytes, a byte-order mark, an empty file, a
syntax error, tabs, duplicate keys. Values are built by PyYAML's `SafeLoader` (no Python
objects), except that dates stay strings: `date: 2022-01-05` means the text, not a
`datetime.date`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from edition.model import Place
from edition.problems import Problem, Severity

if TYPE_CHECKING:
    from pathlib import Path

MAX_BYTES = 512 * 1024
"""Larger data files are refused: split them, one annotation or a few per file."""

BOM = b"\xef\xbb\xbf"

JsonPath = tuple[str | int, ...]

STANDARD_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map"))
"""Only YAML's own types are data; any other tag (`!!python/…`, `!custom`) is refused."""
STR_TAG = "tag:yaml.org,2002:str"


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings."""


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
            return fast
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        doc.problem(Place(display_path, line, col), f"character U+{exc.character:04X} is not allowed in YAML",
                    "delete it: invisible control characters often come with copy and paste")
        return doc
    except yaml.MarkedYAMLError as exc:
        _syntax_problem(doc, text, exc)
        return doc
    if node is None:  # a document of only `---` or `...`
        doc.problem(Place(display_path, 1), "file is empty",
                    "add at least one entry (see README: data formats) or delete the file")
        return doc
    try:
        doc.data = _build(doc, loader, node, ())
    except yaml.MarkedYAMLError as exc:  # e.g. a `!!python/…` tag, which SafeLoader refuses
        _syntax_problem(doc, text, exc)
    return doc


def _read_fast(doc: YamlDocument, text: str) -> YamlDocument | None:
    """`doc` read with libyaml, or None when anything is wrong (the pure-Python loader explains it)."""
    assert _FastLoader is not None
    fast = YamlDocument(doc.path, problems=list(doc.problems), lines=doc.lines)
    try:
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


def _syntax_problem(doc: YamlDocument, text: str, exc: yaml.MarkedYAMLError) -> None:
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
    if node.tag not in STANDARD_TAGS:
        doc.problem(_place(doc, node), f"YAML tag not allowed: {node.tag}",
                    "remove the `!…` tag; data files hold only text, numbers, lists and mappings")
        doc.refused.add(path)
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
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
    return loader.construct_object(node, deep=True)
