"""Messages for contributors who do not read Python: each mistake in a data file gets one line
that says where it is, what is wrong in plain words, and how to fix it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from edition import yamlfile
from edition.entities import Mention, entity_problems, load_entities
from edition.loading import MAX_OPEN_BRACKETS, closest, load_corpus, schema, suggest
from edition.render import BodyRenderer
from edition.vocabulary import ANNOTATION_TYPES
from edition.yamlfile import ANCHORS_REFUSED, YamlDocument, read_yaml
from test_loading import GOOD, TERM, load

if TYPE_CHECKING:
    from pathlib import Path


def write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")


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


# ---------------------------------------------------------------------------------------
# Schema messages in plain words
# ---------------------------------------------------------------------------------------

NO_BODY = GOOD.replace("  body: |\n    Text with a [term](term:sizo).\n", "  body:\n")
ANNOTATION_FIELDS = list(schema("annotations")["$defs"]["annotation"]["properties"])
GLOSSARY_FIELDS = list(schema("glossary")["$defs"]["entry"]["properties"])
BOOLEANS = "unquoted yes, no, on, off, true and false mean true/false"


@pytest.mark.parametrize(("content", "expected"), [
    (NO_BODY, "6:8: error: `body` is empty — write it after `body:`; `body` is required"),
    (NO_BODY.replace("  body:\n", "  body: |\n"),
     "6:9: error: `body` is empty — write it on the indented lines under `body: |`; `body` is required"),
    (GOOD.replace("  title: A title\n", "  title: A title\n  prefix:\n"),
     "6:10: error: `prefix` is empty — write it after `prefix:`, or remove the `prefix` field"),
    (GOOD.replace("status: verified", "status: yes"), f"11:11: error: `status: yes` is read as true/false, not "
     f"as a word — {BOOLEANS}; write one of: verified, unverified, disputed"),
    (GOOD.replace("status: verified", "status:"),
     "11:10: error: `status` is empty — write one of: verified, unverified, disputed"),
    (GOOD.replace("title: A title", "title: Off"),
     f'5:10: error: `title: Off` is read as true/false, not as text — {BOOLEANS}: write `title: "Off"`'),
    (GOOD.replace("    - title: A source", "    - title: A source\n      date: 2024"),
     '10:13: error: `date: 2024` is read as a number, not as text — write `date: "2024"`'),
    (GOOD.replace("    - title: A source", "    - A source"), "9:7: error: item 1 of `sources` must be a set of "
     "fields `name: value`, not text — write its fields as `name: value` on the lines under it, indented"),
    ("- a note\n", "1:3: error: entry 1 must be a set of fields `name: value`, not text — write its fields as "
     "`name: value` on the lines under it, indented"),
    (GOOD.replace("  quote: Kostanay\n", "  quote: Kostanay\n  occurrence: two\n"),
     "5:15: error: `occurrence` must be a whole number, not text — write a whole number such as 2"),
], ids=["body-none", "body-block", "prefix-empty", "status-yes", "status-empty", "title-off",
        "date-number", "source-text", "entry-text", "occurrence-text"])
def test_schema_messages_use_plain_words(tmp_path: Path, content: str, expected: str) -> None:
    problems = load(tmp_path, {"a.yml": content})
    assert problems == [f"annotations/a.yml:{expected}"]
    assert not any(word in problems[0] for word in ("NoneType", " str", "dict", " int", " bool", "True", "mapping"))


def test_an_unquoted_true_false_word_in_a_list_is_shown_as_written(tmp_path: Path) -> None:
    term = TERM + "  aliases: [СИЗО-1, no]\n"
    assert load(tmp_path, {}, {"sizo.yml": term}) == [
        f'glossary/sizo.yml:6:21: error: `no` in `aliases` is read as true/false, not as text — {BOOLEANS}: write '
        '`"no"` in `aliases`']


@pytest.mark.parametrize(("word", "choices", "meant"), [
    ("tittle", ANNOTATION_FIELDS, "title"),
    ("athor", ANNOTATION_FIELDS, "author"),
    ("Title", ANNOTATION_FIELDS, "title"),
    ("translaton", GLOSSARY_FIELDS, "translation"),
    ("translaton", list(ANNOTATION_TYPES), "translation"),
    ("contxt", list(ANNOTATION_TYPES), "context"),
    ("kbn", ["knb", "fsb", "sizo"], "knb"),
    ("siz0", ["knb", "fsb", "sizo"], "sizo"),
    ("intervew", ["interview"], "interview"),
    ("end", ANNOTATION_FIELDS, None),
    ("start", ANNOTATION_FIELDS, None),
    ("date", ANNOTATION_FIELDS, None),
    ("confidence", GLOSSARY_FIELDS, None),
    ("notes", GLOSSARY_FIELDS, None),
])
def test_did_you_mean_offers_only_plausible_misspellings(word: str, choices: list[str], meant: str | None) -> None:
    assert closest(word, choices) == meant
    assert suggest(word, choices) == (f"did you mean '{meant}'? " if meant else "")


def test_a_misspelled_required_field_is_one_line(tmp_path: Path) -> None:
    content = GOOD.replace("title: A title", "tittle: A title").replace("author:", "athor:")
    assert load(tmp_path, {"a.yml": content}) == [
        "annotations/a.yml:5:3: error: `tittle` is not a field; did you mean `title`? — rename it to `title`, which is "
        "required here",
        "annotations/a.yml:10:3: error: `athor` is not a field; did you mean `author`? — rename it to `author`, which "
        "is required here",
    ]


def test_an_unknown_field_far_from_the_missing_one_gets_both_lines(tmp_path: Path) -> None:
    content = GOOD.replace("title: A title", "heading: A title")
    assert load(tmp_path, {"a.yml": content}) == [
        "annotations/a.yml:1:3: error: entry 'good-note' has no `title` — add a `title:` field (see README: data "
        "formats)",
        f"annotations/a.yml:5:3: error: unknown field `heading` — allowed fields: {', '.join(ANNOTATION_FIELDS)}",
    ]


# ---------------------------------------------------------------------------------------
# Files that are not read
# ---------------------------------------------------------------------------------------

def test_a_file_not_read_because_of_its_name_is_an_error(tmp_path: Path) -> None:
    entry = TERM.replace("sizo", "other").replace("СИЗО", "ИВС")
    write(tmp_path / "annotations", {"zz.YML": GOOD, "my-note": GOOD, "good.yml~": GOOD, ".gitkeep": "",
                                     "README.md": "# Notes\n", "README": "Notes\n", "how-to.md": "Notes\n"})
    write(tmp_path / "annotations" / ".drafts", {"draft.txt": GOOD})
    write(tmp_path / "glossary", {"new-term.yaml.txt": TERM, "other.yaml": entry})
    problems = load(tmp_path, {"good.yml": GOOD}, {"sizo.yml": TERM})
    unread = "error: file is not read: data files end in .yml — rename it to"
    assert problems == [
        f"annotations/good.yml~:1:1: {unread} good.yml; if it is a spare copy of good.yml, delete it or move it out "
        "of the folder",
        f"annotations/my-note:1:1: {unread} my-note.yml",
        f"annotations/zz.YML:1:1: {unread} zz.yml",
        f"glossary/new-term.yaml.txt:1:1: {unread} new-term.yml",
    ]
    corpus = load_corpus(tmp_path / "annotations", tmp_path / "glossary", tmp_path).corpus
    assert sorted(corpus.terms) == ["other", "sizo"]  # .yaml is read


def test_a_file_not_read_in_the_index_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "index", {"people.yml": "- id: a\n  name: A\n  kind: person\n  mentions: [A]\n",
                               "places": "- id: b\n  name: B\n  kind: place\n  mentions: [B]\n"})
    entities, problems = load_entities(tmp_path / "index", tmp_path)
    assert [e.id for e in entities] == ["a"]
    assert [str(p) for p in problems] == [
        "index/places:1:1: error: file is not read: data files end in .yml — rename it to places.yml"]


# ---------------------------------------------------------------------------------------
# Blank, impossible and placeholder values
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("title: A title", 'title: "  "', "5:10: error: `title` is empty — write it after `title:`; `title` is required"),
    ("quote: Kostanay", "quote: ' '", "4:10: error: `quote` is empty — write it after `quote:`; `quote` is required"),
    ("    Text with a [term](term:sizo).", "    \u00a0", "6:9: error: `body` is empty — write it on the indented "
     "lines under `body: |`; `body` is required"),
    ("author: Editors", 'author: "\\t"', "10:11: error: `author` is empty — write it after `author:`; `author` is "
     "required"),
    ("- title: A source", '- title: A source\n      publisher: " "', "10:18: error: `publisher` is empty — write it "
     "after `publisher:`, or remove the `publisher` field"),
    ("- title: A source", "- title: A source\n      publisher: ''", "10:18: error: `publisher` is empty — write it "
     "after `publisher:`, or remove the `publisher` field"),
], ids=["title", "quote", "body-nbsp", "author-tab", "publisher-blank", "publisher-empty"])
def test_a_blank_value_is_an_error(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert load(tmp_path, {"a.yml": GOOD.replace(old, new)}) == [f"annotations/a.yml:{expected}"]


@pytest.mark.parametrize("field", ["full", "translation", "definition"])
def test_a_blank_glossary_field_is_an_error(tmp_path: Path, field: str) -> None:
    term = re.sub(rf"(?m)^  {field}: .*$", f'  {field}: "   "', TERM)
    line = TERM.split("\n").index(next(line for line in TERM.split("\n") if line.startswith(f"  {field}:"))) + 1
    assert load(tmp_path, {}, {"sizo.yml": term}) == [
        f"glossary/sizo.yml:{line}:{len(field) + 5}: error: `{field}` is empty — write it after `{field}:`; "
        f"`{field}` is required"]


def test_a_blank_entity_name_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "index", {"e.yml": '- id: a\n  name: " "\n  kind: person\n  mentions: [A]\n'})
    assert [str(p) for p in load_entities(tmp_path / "index", tmp_path)[1]] == [
        "index/e.yml:2:9: error: `name` is empty — write it after `name:`; `name` is required"]


def dated(date: str = '"2024"', created: str | None = None, name: str = "created") -> str:
    """The good note with a source of this `date`, and `created` (or `modified`) if given."""
    content = GOOD.replace("- title: A source\n", f"- title: A source\n      date: {date}\n")
    return content if created is None else content.replace("  status:", f"  {name}: {created}\n  status:")


CALENDAR = "with a month from 01 to 12 and a day that the month has"


@pytest.mark.parametrize(("content", "expected"), [
    (dated('"2024-13-45"'), f"10:13: error: `date` '2024-13-45' is not a date in the calendar — write YYYY, YYYY-MM "
     f"or YYYY-MM-DD, {CALENDAR}"),
    (dated("2023-02-29"), "10:13: error: `date` '2023-02-29' is not a date in the calendar — write YYYY, YYYY-MM or "
     f"YYYY-MM-DD, {CALENDAR}"),
    (dated('"2024-00"'), "10:13: error: `date` '2024-00' is not a date in the calendar — write YYYY, YYYY-MM or "
     f"YYYY-MM-DD, {CALENDAR}"),
    (dated('"0000"'), "10:13: error: `date` '0000' is not a date in the calendar — write YYYY, YYYY-MM or "
     f"YYYY-MM-DD, {CALENDAR}"),
    (dated(created="2026-02-30"),
     f"12:12: error: `created` '2026-02-30' is not a date in the calendar — write YYYY-MM-DD, {CALENDAR}"),
    (dated(created="'2026-04-31'", name="modified"),
     f"12:13: error: `modified` '2026-04-31' is not a date in the calendar — write YYYY-MM-DD, {CALENDAR}"),
    (dated(created="'2026-11-31'", name="checked"),
     f"12:12: error: `checked` '2026-11-31' is not a date in the calendar — write YYYY-MM-DD, {CALENDAR}"),
    (GOOD.replace("- title: A source\n", "- title: A source\n      accessed: '2026-02-29'\n"),
     f"10:17: error: `accessed` '2026-02-29' is not a date in the calendar — write YYYY-MM-DD, {CALENDAR}"),
], ids=["month-13", "not-a-leap-year", "month-0", "year-0", "created", "modified", "checked", "accessed"])
def test_a_date_not_in_the_calendar_is_an_error(tmp_path: Path, content: str, expected: str) -> None:
    assert load(tmp_path, {"a.yml": content}) == [f"annotations/a.yml:{expected}"]


@pytest.mark.parametrize(("date", "created"), [
    ("2024-02-29", "2024-02-29"), ('"2024-12"', "2000-02-29"), ('"1991"', "1991-12-31")])
def test_real_dates_pass(tmp_path: Path, date: str, created: str) -> None:
    assert load(tmp_path, {"a.yml": dated(date, created)}) == []


def test_the_placeholders_of_edition_new_are_errors_where_they_stand(tmp_path: Path) -> None:
    content = GOOD.replace("title: A title", 'title: "TODO: a one-line title"').replace(
        "    Text with a [term](term:sizo).", "    Text with a [term](term:sizo).\n\n    TODO: the sources.")
    assert load(tmp_path, {"a.yml": content}) == [
        "annotations/a.yml:5:10: error: `title` still holds a TODO placeholder (as `edition new` writes it) — write "
        "the note's title in its place",
        "annotations/a.yml:9:5: error: `body` still holds a TODO placeholder (as `edition new` writes it) — write the "
        "note in its place, in Markdown (see README: data formats)",
    ]
    assert load(tmp_path, {"a.yml": GOOD.replace("title: A title", "title: Todos Santos, and TODO lists")}) == []


def test_a_body_with_too_many_brackets_is_an_error_and_converts_in_linear_time(tmp_path: Path) -> None:
    # Markdown's time grows with the square of the number of `[`: 6,000 took 3.5 s to convert.
    many = "    Text with a [term](term:sizo)." + " [" * MAX_OPEN_BRACKETS
    assert load(tmp_path, {"a.yml": GOOD.replace("    Text with a [term](term:sizo).", many)}) == [
        f"annotations/a.yml:7:5: error: `body` has {MAX_OPEN_BRACKETS + 1} `[`; at most {MAX_OPEN_BRACKETS} are "
        "allowed (Markdown's time grows with the square of their number) — write fewer links and brackets"]
    just = "    Text with a [term](term:sizo)." + " [" * (MAX_OPEN_BRACKETS - 1)
    assert load(tmp_path, {"a.yml": GOOD.replace("    Text with a [term](term:sizo).", just)}) == []
    renderer = BodyRenderer(lambda kind, target: None)
    assert renderer.convert("[" * (MAX_OPEN_BRACKETS + 1)) == f"<p>{'&#91;' * (MAX_OPEN_BRACKETS + 1)}</p>"
    assert renderer.convert("[" * MAX_OPEN_BRACKETS) == f"<p>{'[' * MAX_OPEN_BRACKETS}</p>"  # as Markdown has it


# ---------------------------------------------------------------------------------------
# Duplicates: both places named, neither presumed new
# ---------------------------------------------------------------------------------------

RENAME_ONE = "ids must be unique: rename one of the two (renaming a published one breaks links to it)"


def test_a_duplicate_annotation_id_names_both_places(tmp_path: Path) -> None:
    new = GOOD.replace("quote: Kostanay", "quote: Akmola")
    assert load(tmp_path, {"aa-new.yml": new, "china.yml": "# notes on China\n" + GOOD}) == [
        "annotations/china.yml:2:7: error: duplicate annotation id 'good-note', also used at annotations/aa-new.yml:1 "
        f"— {RENAME_ONE}"]


def test_a_duplicate_glossary_id_names_both_places(tmp_path: Path) -> None:
    other = TERM.replace("term: СИЗО", "term: ИВС")
    assert load(tmp_path, {}, {"fsb.yml": other, "sizo.yml": TERM}) == [
        f"glossary/sizo.yml:1:7: error: duplicate glossary entry id 'sizo', also used at glossary/fsb.yml:1 — "
        f"{RENAME_ONE}"]


def test_a_duplicate_entity_id_names_both_places(tmp_path: Path) -> None:
    write(tmp_path / "index", {"a.yml": "- id: lenin\n  name: Lenin\n  kind: person\n  mentions: [Lenin]\n",
                               "b.yml": "- id: putin\n  name: Putin\n  kind: person\n  mentions: [Putin]\n"
                                        "- id: lenin\n  name: V. Lenin\n  kind: person\n  mentions: [Ulyanov]\n"})
    entities, problems = load_entities(tmp_path / "index", tmp_path)
    assert [e.id for e in entities] == ["lenin", "putin"]
    assert [str(p) for p in problems] == [
        f"index/b.yml:5:3: error: duplicate entity id 'lenin', also used at index/a.yml:1 — {RENAME_ONE}"]


def test_a_mention_given_to_two_entities_is_one_error_naming_both(tmp_path: Path) -> None:
    write(tmp_path / "index", {"e.yml": "- id: putin\n  name: Putin\n  kind: person\n  mentions: [Putin, Lenin]\n"
                                        "- id: lenin\n  name: Lenin\n  kind: person\n  mentions: [Lenin]\n"})
    entities, _ = load_entities(tmp_path / "index", tmp_path)
    found = [Mention("putin", "interview", 0, 0, 5), Mention("putin", "interview", 1, 10, 15)]  # Lenin is putin's
    assert [str(p) for p in entity_problems(entities, found)] == [
        "index/e.yml:5:3: error: mention 'Lenin' is given to two entities: 'putin' (index/e.yml:1) and 'lenin' "
        "(here) — a form can belong to one entity only: remove it from one of the two"]
