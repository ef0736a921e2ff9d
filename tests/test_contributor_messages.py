"""Messages for contributors who do not read Python: each mistake in a data file gets one line
that says where it is, what is wrong in plain words, and how to fix it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from edition import yamlfile
from edition.yamlfile import ANCHORS_REFUSED, YamlDocument, read_yaml
from test_loading import GOOD, load

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(params=["libyaml", "pure Python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test that takes this runs with PyYAML's libyaml parser (when it has one) and without."""
    if request.param == "pure Python":
        monkeypatch.setattr(yamlfile, "_FastLoader", None)
    elif yamlfile._FastLoader is None:
        pytest.skip("PyYAML was built without libyaml")
    return str(request.param)


# ---------------------------------------------------------------------------------------
# Anchors, aliases and merge keys
# ---------------------------------------------------------------------------------------

SELF_ALIAS = "- &a\n  id: x\n  self: *a\n"
BILLION_LAUGHS = "- a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  {name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True))
"""Ten levels of ten aliases each: 10^10 strings if the aliases were followed."""
MERGE = GOOD + "- <<: {id: other-note}\n  title: Another\n"
MERGE_ALIAS = GOOD.replace("  sources:\n", "  sources: &sources\n") + "- id: other\n  sources: *sources\n"
REFUSED = (f"{ANCHORS_REFUSED} (found {{}}) — write the value out in full where it is needed; a value that "
           "starts with & or * must be in double quotes")


@pytest.mark.parametrize(("content", "place", "found"), [
    (SELF_ALIAS, "1:3", "`&a`"),
    (BILLION_LAUGHS, "1:6", "`&a`"),
    (MERGE, "13:3", "`<<:`"),
    (MERGE_ALIAS, "8:12", "`&sources`"),
    (GOOD.replace("title: A title", "title: *Pravda said so"), "5:10", "`*Pravda`"),
], ids=["self-alias", "billion-laughs", "merge-key", "merge-alias", "undefined-alias"])
def test_anchors_aliases_and_merge_keys_are_refused_where_written(tmp_path: Path, loader: str, content: str,
                                                                  place: str, found: str) -> None:
    assert load(tmp_path, {"a.yml": content}) == [f"annotations/a.yml:{place}: error: {REFUSED.format(found)}"]


@pytest.mark.parametrize("content", [SELF_ALIAS, BILLION_LAUGHS, MERGE, MERGE_ALIAS],
                         ids=["self-alias", "billion-laughs", "merge-key", "merge-alias"])
def test_the_libyaml_reader_builds_nothing_from_an_anchor(content: str) -> None:
    if yamlfile._FastLoader is None:
        pytest.skip("PyYAML was built without libyaml")
    doc = YamlDocument("a.yml", lines=content.split("\n"))
    assert yamlfile._read_fast(doc, content) is None  # left to the pure-Python reader, which explains


def test_ampersands_and_asterisks_inside_text_are_text(tmp_path: Path, loader: str) -> None:
    path = tmp_path / "a.yml"
    path.write_text('- title: "*Pravda* & Izvestia"\n  note: AT&T *\n  other: <<\n', encoding="utf-8")
    doc = read_yaml(path, "a.yml")
    assert (doc.problems, doc.data) == ([], [{"title": "*Pravda* & Izvestia", "note": "AT&T *", "other": "<<"}])


# ---------------------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------------------

DATED = GOOD.replace("    - title: A source\n", '    - title: A source\n      date: "2024"\n')
DOUBLE = 'a " inside "…" must be written \\", or put the whole value in single quotes'
SINGLE = "a ' inside '…' must be doubled (''), or put the whole value in double quotes"


@pytest.mark.parametrize(("content", "expected"), [
    (DATED.replace("title: A title", 'title: "A title'),
     f'5:10: error: YAML syntax error: the quote " that opens this value is not closed on this line, so the value '
     f'runs on to line 10 — end the value with " on this line; {DOUBLE}'),
    (GOOD.replace("title: A title", "title: 'A title"),
     f"5:10: error: YAML syntax error: the quote ' that opens this value is never closed — end the value with '; "
     f"{SINGLE}"),
    (GOOD.replace("title: A title", "title: 'Don't interfere'"),
     f"5:14: error: YAML syntax error: the value in quotes ends at this ', but more text follows — {SINGLE}"),
    (GOOD.replace("title: A title", 'title: "The "Tolkien fans" case"'),
     f'5:15: error: YAML syntax error: the value in quotes ends at this ", but more text follows — {DOUBLE}'),
    (GOOD.replace("title: A title", 'title: "C:\\path"'),
     "5:14: error: YAML syntax error: found unknown escape character 'p' — a \\ inside \"…\" starts an escape such "
     "as \\n: write \\\\ for a backslash, or put the whole value in single quotes"),
], ids=["unclosed-closed-later", "unclosed-to-the-end", "apostrophe", "double-quote", "backslash"])
def test_a_quote_problem_is_reported_at_the_quote(tmp_path: Path, loader: str, content: str, expected: str) -> None:
    assert load(tmp_path, {"a.yml": content}) == [f"annotations/a.yml:{expected}"]


def test_a_quoted_value_may_run_over_several_lines(tmp_path: Path, loader: str) -> None:
    assert load(tmp_path, {"a.yml": DATED.replace("title: A title", 'title: "A long\n    title"')}) == []
