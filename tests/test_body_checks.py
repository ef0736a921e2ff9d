"""Checks of note bodies and glossary definitions, read off the tree Markdown makes of them.

Each test writes data files with a body broken on purpose and asserts the exact lines a
contributor gets: every way of writing a link is checked, each problem is reported at its
own line, and one broken item does not make others' links look broken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from edition.model import Place
from edition.yamlfile import read_yaml

if TYPE_CHECKING:
    from pathlib import Path


# --- the line of each problem (audit item 10b) ------------------------------------------------


def test_a_place_inside_a_literal_block() -> None:
    literal_place = Place("a.yml", 7, 5, literal=True)
    assert literal_place.within(2, 10) == Place("a.yml", 9, 15)
    assert Place("a.yml", 7, 5).within(2, 10) == Place("a.yml", 7, 5)


def test_only_a_literal_block_maps_its_lines_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("- a: |\n\n    text\n  b: >\n    folded\n  c: plain\n", encoding="utf-8")
    doc = read_yaml(tmp_path / "a.yml", "a.yml")
    assert [doc.content_place((0, name)) for name in "abc"] == [
        Place("a.yml", 2, 5, literal=True),  # the text's first line is blank; its indentation is the next line's
        Place("a.yml", 5, 5), Place("a.yml", 6, 6)]
