"""Writing new notes into the annotations folder (`edition new`, `edition import hypothesis`):
an id made from the quote, the `$schema` line of a new file, and YAML that the loader reads
back exactly, whatever the values hold."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from edition.loading import transliterate

if TYPE_CHECKING:
    from collections.abc import Collection


def note_slug(quote: str, taken: Collection[str]) -> str:
    """An id for a note on `quote`: its first words, transliterated; numbered when `taken`."""
    words = re.findall(r"[a-z0-9]+", transliterate(quote).lower())[:5] or ["note"]
    base = "-".join(words)
    if not base[0].isalpha():
        base = "note-" + base
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def schema_reference(folder: Path) -> str:
    """The `$schema` the folder's files already use, or a path to the packaged schema."""
    for existing in sorted(folder.glob("*.yml")):
        first = existing.read_text(encoding="utf-8").split("\n", 1)[0]
        if first.startswith("# yaml-language-server: $schema="):
            return first.split("=", 1)[1]
    return Path(os.path.relpath(Path(__file__).parent / "schemas" / "annotations.schema.json", folder)).as_posix()


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing text of several lines as a `|` block where YAML allows it
    (the README asks for bodies so; elsewhere PyYAML quotes and escapes it), and no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never write an anchor and an alias (edition data refuses them): each value in full."""
        del data
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def dump_entries(entries: list[dict[str, Any]]) -> str:
    """`entries` as a YAML list, in the order of their keys, without anchors or aliases."""
    return yaml.dump(entries, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
