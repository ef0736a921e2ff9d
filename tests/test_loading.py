"""Every class of contributor mistake gets one clear line at the right place."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from conftest import copy_project, edit
from edition import loading, transcript
from edition.loading import LoadCache, LoadResult, load_corpus, transliterate
from edition.state import EditionOptions, EditionState

if TYPE_CHECKING:
    from pathlib import Path

GOOD = """\
- id: good-note
  document: interview
  type: context
  quote: Kostanay
  title: A title
  body: |
    Text with a [term](term:sizo).
  sources:
    - title: A source
  author: Editors
  status: verified
  confidence: high
"""

TERM = """\
- id: sizo
  term: СИЗО
  full: следственный изолятор
  translation: pre-trial detention centre
  definition: A definition.
"""


def load(tmp_path: Path, annotations: dict[str, str | bytes], glossary: dict[str, str | bytes] | None = None
         ) -> list[str]:
    for folder, files in (("annotations", annotations), ("glossary", glossary or {"sizo.yml": TERM})):
        (tmp_path / folder).mkdir(exist_ok=True)
        for name, content in files.items():
            path = tmp_path / folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
    result = load_corpus(tmp_path / "annotations", tmp_path / "glossary", tmp_path)
    return [str(problem) for problem in result.problems]


def test_good_files_load_without_problems(tmp_path: Path) -> None:
    assert load(tmp_path, {"a.yml": GOOD}) == []
    result = load_corpus(tmp_path / "annotations", tmp_path / "glossary", tmp_path)
    assert result.corpus.annotations[0].id == "good-note"
    assert result.corpus.terms["sizo"].translit == "SIZO"


def test_a_glossary_entry_says_whose_transliteration_it_shows_and_how_the_text_spells_it(tmp_path: Path) -> None:
    entries: dict[str, str | bytes] = {"sizo.yml": TERM,
               "eaes.yml": TERM.replace("id: sizo", "id: eaes").replace("term: СИЗО", "term: ЕАЭС")
               + "  text_spelling: EAES\n",
               "maidan.yml": TERM.replace("id: sizo", "id: maidan").replace("term: СИЗО", "term: Майдан")
               + "  translit: Maidan\n"}
    assert load(tmp_path, {"a.yml": GOOD}, entries) == []
    terms = load_corpus(tmp_path / "annotations", tmp_path / "glossary", tmp_path).corpus.terms
    assert (terms["eaes"].translit, terms["eaes"].translit_scheme, terms["eaes"].text_spelling) == (
        "YeAES", "bgn_pcgn", "EAES")
    assert (terms["maidan"].translit, terms["maidan"].translit_scheme) == ("Maidan", "")  # by hand, not BGN/PCGN
    assert (terms["sizo"].translit_scheme, terms["sizo"].text_spelling) == ("bgn_pcgn", "")
    assert load(tmp_path, {"a.yml": GOOD}, {"sizo.yml": TERM + "  text_spelling: ' EAES'\n"})


def test_a_note_keeps_when_it_was_checked_and_when_its_pages_were_seen(tmp_path: Path) -> None:
    content = GOOD.replace("    - title: A source\n", "    - title: A source\n      url: https://example.org/\n"
                           "      accessed: '2026-12-07'\n").replace("  status:", "  checked: '2026-12-06'\n  status:")
    assert load(tmp_path, {"a.yml": content}) == []
    note = load_corpus(tmp_path / "annotations", tmp_path / "glossary", tmp_path).corpus.annotations[0]
    assert (note.checked, note.sources[0].accessed, note.sources[0].url) == ("2026-12-06", "2026-12-07",
                                                                             "https://example.org/")
    for wrong in ("'07-12-2026'", "'2026-12'"):
        assert load(tmp_path, {"a.yml": content.replace("'2026-12-06'", wrong)}), wrong
        assert load(tmp_path, {"a.yml": content.replace("'2026-12-07'", wrong)}), wrong


@pytest.mark.parametrize(("content", "expected"), [
    (GOOD.replace("type: context", "type: contxt"),
     "annotations/a.yml:3:9: error: 'contxt' is not a valid `type` — did you mean 'context'? use one of: "
     "correction, translation, context, person, place, organization, event, speaker"),
    (GOOD.replace("  title: A title\n", ""),
     "annotations/a.yml:1:3: error: entry 'good-note' has no `title` — add a `title:` field "
     "(see README: data formats)"),
    (GOOD.replace("  author: Editors\n", "  author: Editors\n  athor: Me\n"),
     "annotations/a.yml:11:3: error: unknown field `athor` — did you mean 'author'? allowed fields: id, "
     "document, type, quote, prefix, suffix, occurrence, title, body, sources, author, status, confidence, "
     "wikidata, created, modified, checked"),
    (GOOD.replace("  quote: Kostanay\n", "  quote: Kostanay\n  occurrence: two\n"),
     "annotations/a.yml:5:15: error: `occurrence` must be a whole number, not text — write a whole number such as 2"),
    (GOOD.replace("id: good-note", "id: Good Note"),
     "annotations/a.yml:1:7: error: `id` has an invalid value 'Good Note' — use lowercase letters, digits and "
     "single hyphens, starting with a letter, e.g. 'kostanay-region'"),
    (GOOD.replace("    - title: A source", "    - title: A source\n      url: javascript:alert(1)"),
     "annotations/a.yml:10:12: error: `url` has an invalid value 'javascript:alert(1)' — write a full http:// "
     "or https:// (or mailto:) address, or leave `url` out"),
    (GOOD.replace("(term:sizo)", "(term:siz0)"),
     "annotations/a.yml:7:24: error: link to unknown glossary entry 'term:siz0' — did you mean 'sizo'? "
     "use the id of an existing glossary entry"),
    (GOOD.replace("  title: A title\n", "  title: A title\n  title: Again\n"),
     "annotations/a.yml:6:3: error: duplicate field 'title' — keep one of the two; YAML would silently use "
     "the last"),
    (GOOD.replace("quote: Kostanay", "quote: Kostanay: the capital"),
     "annotations/a.yml:4:18: error: YAML syntax error: mapping values are not allowed here — put the value "
     "in double quotes, because it contains ': '"),
    (GOOD.replace("  document:", "\tdocument:"),
     "annotations/a.yml:2:1: error: YAML syntax error: found character '\\t' that cannot start any token — "
     "indent with spaces, not tabs"),
    ("# only a comment\n", "annotations/a.yml:1:1: error: file is empty — add at least one entry (see README: "
     "data formats) or delete the file"),
    ("id: not-a-list\n", "annotations/a.yml:1:1: error: the file must be a list of entries, not a set of fields — "
     "start each entry with '- id: …'"),
    (GOOD.replace("Text with", "Text <script>alert(1)</script> with"),
     "annotations/a.yml:7:10: error: raw HTML '<script>' is not allowed in notes and definitions — use Markdown "
     "instead "
     "(**bold**, *italic*, [text](https://…))"),
    (GOOD.replace("Text with", "[Click](javascript:alert(1)) with"),
     "annotations/a.yml:7:13: error: link 'javascript:alert(1)' uses a forbidden scheme — link only to "
     "http://, https://, mailto: or relative addresses"),
])
def test_each_mistake_gets_one_clear_line(tmp_path: Path, content: str, expected: str) -> None:
    problems = load(tmp_path, {"a.yml": content})
    if not problems:  # body problems are found when the state renders bodies
        state = EditionState(EditionOptions(tmp_path / "annotations", tmp_path / "glossary", tmp_path),
                             defer_errors=True)
        problems = [str(p) for p in state.problems]
    assert problems == [expected]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    assert load(tmp_path, {"a.yml": GOOD, "b.yml": GOOD}) == [
        "annotations/b.yml:1:7: error: duplicate annotation id 'good-note', also used at annotations/a.yml:1 — "
        "ids must be unique: rename one of the two (renaming a published one breaks links to it)"
    ]


def test_every_problem_of_a_run_is_reported(tmp_path: Path) -> None:
    bad = GOOD.replace("type: context", "type: x").replace("status: verified", "status: sure")
    problems = load(tmp_path, {"a.yml": bad, "b.yml": "- [unclosed\n", "c.yml": GOOD.replace("good-note", "c")})
    assert [p.split(": error: ")[0] for p in problems] == ["annotations/a.yml:3:9", "annotations/a.yml:11:11",
                                                           "annotations/b.yml:2:1"]


def test_bytes_problems(tmp_path: Path) -> None:
    problems = load(tmp_path, {
        "bom.yml": b"\xef\xbb\xbf" + GOOD.replace("good-note", "bom").encode(),
        "crlf.yml": GOOD.replace("good-note", "crlf").replace("\n", "\r\n").encode(),
        "latin1.yml": GOOD.replace("good-note", "latin").replace("A title", "Caf\xe9").encode("latin-1"),
        "big.yml": b"#" * 600_000,
    })
    assert problems == [
        "annotations/big.yml:1:1: error: file is 600,000 bytes, over the 524,288-byte limit — split it into "
        "several smaller files",
        "annotations/bom.yml:1:1: warning: file starts with a byte-order mark (BOM) — save the file as UTF-8 "
        "without BOM",
        "annotations/latin1.yml:5:13: error: byte 0xe9 is not valid UTF-8 — save the file with UTF-8 encoding",
    ]


def test_glossary_references_and_clashing_forms(tmp_path: Path) -> None:
    other = TERM.replace("id: sizo", "id: other").replace("term: СИЗО", "term: ИВС") + \
        "  aliases: [СИЗО]\n  related: [knb]\n"
    assert load(tmp_path, {"a.yml": GOOD}, {"sizo.yml": TERM, "other.yml": other}) == [
        "glossary/other.yml:7:12: error: `related` names unknown glossary entry 'knb' — use the id of an "
        "existing entry",
        "glossary/sizo.yml:2:9: error: 'СИЗО' is a form of two glossary entries: 'other' (glossary/other.yml:6) "
        "and 'sizo' (here) — a form can link to only one entry: remove it from one of the two",
    ]


def test_transliteration_uses_a_standard_scheme() -> None:
    assert transliterate("на чемоданах") == "na chemodanakh"
    assert transliterate("Майдан", "ala_lc") == "Maĭdan"


def test_entity_problems(tmp_path: Path) -> None:
    from edition.entities import Mention, entity_problems, load_entities  # noqa: PLC0415

    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "e.yml").write_text(
        "- id: a\n  name: A\n  kind: person\n  mentions: [Tokaev]\n"
        "- id: b\n  name: B\n  kind: persn\n  mentions: [X]\n"
        "- id: c\n  name: C\n  kind: place\n  mentions: [Tokaev, Nowhere]\n", encoding="utf-8")
    entities, problems = load_entities(tmp_path / "index", tmp_path)
    assert [str(p) for p in problems] == [
        "index/e.yml:7:9: error: 'persn' is not a valid `kind` — did you mean 'person'? use one of: person, place, "
        "organization"]
    found = [str(p) for p in entity_problems(entities, [Mention("a", "d", 0, 0, 6)])]
    assert found == [  # 'b' is checked further despite its bad `kind` (one run, every problem)
        "index/e.yml:5:3: warning: entity 'b' is mentioned nowhere in the text — copy the exact form the text uses "
        "into `mentions`",
        "index/e.yml:9:3: error: mention 'Tokaev' is given to two entities: 'a' (index/e.yml:1) and 'c' (here) — a "
        "form can belong to one entity only: remove it from one of the two",
        "index/e.yml:9:3: warning: entity 'c' is mentioned nowhere in the text — copy the exact form the text uses "
        "into `mentions`",
    ]


def test_transliteration_leaves_out_the_optional_middle_dot() -> None:
    """BGN/PCGN may write тс as t·s; readers took the dot for a typo and search missed the word."""
    assert transliterate("постсоветское пространство") == "postsovetskoye prostranstvo"
    assert transliterate("Комитет национальной безопасности") == "Komitet natsional’noy bezopasnosti"


def test_a_load_cache_reads_again_only_the_files_whose_bytes_changed(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "p")
    read: list[str] = []
    real_load_file = loading._load_file

    def counting(task: Any) -> Any:
        read.append(task[0].name)
        return real_load_file(task)

    monkeypatch.setattr(loading, "_load_file", counting)
    cache = LoadCache()

    def loaded() -> LoadResult:
        read.clear()
        return load_corpus(project / "annotations", project / "glossary", project, cache=cache)

    first = loaded()
    files = sorted(read)
    assert len(files) > 10
    assert loaded() == first and read == []  # nothing changed: nothing read
    war = project / "annotations" / "war.yml"
    stat = war.stat()
    edit(war, "status: verified", "status: disputed")  # the same size, and the old time again
    os.utime(war, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    changed = loaded()
    assert read == ["war.yml"]
    fresh = load_corpus(project / "annotations", project / "glossary", project)
    assert changed == fresh and changed != first
    (project / "glossary" / "sizo.yml").unlink()
    without = load_corpus(project / "annotations", project / "glossary", project)
    assert loaded() == without and read == []  # a file gone: nothing else read


def test_a_load_cache_keeps_a_transcript_whose_declaration_and_bytes_are_unchanged(tmp_path: Path) -> None:
    """Under `mkdocs serve`: the same `Transcript` object, so that the records and the pages that
    depend on every text compare at once; an edited text is read again, as a load from scratch reads it."""
    from edition.state import load_data  # noqa: PLC0415

    project = copy_project(tmp_path / "p")
    options = EditionOptions(project / "annotations", project / "glossary", project, documents=project / "documents")
    cache = LoadCache()
    first = load_data(options, cache).transcripts["interview"]
    assert load_data(options, cache).transcripts["interview"] is first
    source = project / "docs" / "sources" / "interview.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("\n", "\nA new paragraph.\n", 1), encoding="utf-8")
    edited = load_data(options, cache).transcripts["interview"]
    assert edited is not first and edited == load_data(options).transcripts["interview"]
    assert len(edited.lines) == len(first.lines) + 1
    assert load_data(options, cache).transcripts["interview"] is edited


def test_a_load_cache_keeps_the_declarations_of_an_unchanged_file(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `mkdocs serve`, a declarations file whose bytes are unchanged is not read as YAML
    again: the same declaration objects, and the same problems reported again; an edited file
    is read again, as a load from scratch reads it."""
    from edition.state import load_data  # noqa: PLC0415

    project = copy_project(tmp_path / "p")
    options = EditionOptions(project / "annotations", project / "glossary", project, documents=project / "documents")
    (project / "documents" / "other.yml").write_text(  # a file with a problem of its own
        "- id: other\n  page: other.md\n  source: ../docs/sources/interview.txt\n  unknown_field: 1\n",
        encoding="utf-8")
    read: list[str] = []
    real_file_items = loading.file_items

    def counting(path: Path, *args: Any) -> Any:
        read.append(path.name)
        return real_file_items(path, *args)

    monkeypatch.setattr(transcript, "file_items", counting)
    cache = LoadCache()
    first = load_data(options, cache)
    assert sorted(read) == ["interview.yml", "other.yml"]
    read.clear()
    again = load_data(options, cache)
    assert read == []  # nothing read as YAML again
    assert list(first.transcripts) == ["interview"]
    assert again.transcripts["interview"].declaration is first.transcripts["interview"].declaration
    assert again.problems == first.problems and any("unknown_field" in p.message for p in again.problems)
    declarations = project / "documents" / "interview.yml"
    declarations.write_text(declarations.read_text(encoding="utf-8").replace(
        "  page: interview.md\n", "  page: interview.md\n  name: Renamed\n", 1), encoding="utf-8")
    edited = load_data(options, cache)
    assert read == ["interview.yml"]
    fresh = load_data(options)
    assert edited.transcripts["interview"].declaration.name == "Renamed"
    assert edited.transcripts["interview"].declaration == fresh.transcripts["interview"].declaration
    assert edited.problems == fresh.problems


def test_a_load_cache_checks_again_only_the_notes_whose_values_or_places_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `mkdocs serve`, an unchanged note's plain-text fields are not checked again, and
    report the same problems; a note that moved (a line added above a field) reports its new
    line, and an edited one is checked again; as a load from scratch finds."""
    from edition import plaintext  # noqa: PLC0415
    from edition.state import load_data  # noqa: PLC0415

    project = copy_project(tmp_path / "p")
    options = EditionOptions(project / "annotations", project / "glossary", project, documents=project / "documents")
    war = project / "annotations" / "war.yml"
    edit(war, "  title: The Nord", "  title: \u200bThe Nord")  # an invisible character: an error at its line
    checked: list[str] = []
    real = plaintext._note_problems

    def counting(note: Any) -> Any:
        checked.append(note.id)
        return real(note)

    monkeypatch.setattr(plaintext, "_note_problems", counting)
    cache = LoadCache()

    def invisible(loaded: Any) -> list[str]:
        return [str(p) for p in loaded.problems if "invisible" in p.message]

    first = load_data(options, cache)
    notes = len(first.corpus.annotations)
    assert len(checked) == notes and len(invisible(first)) == 1
    checked.clear()
    assert invisible(load_data(options, cache)) == invisible(first) and checked == []  # nothing checked again
    text = war.read_text(encoding="utf-8")
    title = text.index("  title: \u200bThe Nord")
    war.write_text(text[:title] + "  # a comment moves the title down a line\n" + text[title:], encoding="utf-8")
    scratch = invisible(load_data(options))
    checked.clear()
    assert invisible(load_data(options, cache)) == scratch != invisible(first)  # the new line
    assert 0 < len(checked) < notes  # the file's notes, not every note
    checked.clear()
    edit(war, "  title: \u200bThe Nord", "  title: The Nord")
    assert invisible(load_data(options, cache)) == [] and 0 < len(checked) < notes
