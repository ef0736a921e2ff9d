"""What a rebuild under `mkdocs serve` takes from the last one: compiled templates, page
outputs (`edition.reuse`) and document records (`edition.records.RecordCache`). The served
site against a clean build, after each kind of edit, is tested in `tests/test_serve.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from jinja2 import DictLoader, Environment, FileSystemLoader, TemplateNotFound

import edition.records
from edition.checking import render_documents
from edition.records import Edition, RecordCache
from edition.reuse import (
    REUSED_TEMPLATE,
    REUSED_VARIABLE,
    DocumentExports,
    MemoryBytecodeCache,
    PageOutputs,
    WithReusedOutput,
    navigation_signature,
    template_cache,
    theme_signature,
)
from edition.state import load_data

if TYPE_CHECKING:
    from pathlib import Path


class CountingEnvironment(Environment):
    compiled: list[str]

    def compile(self, source: Any, name: Any = None, filename: Any = None, raw: Any = False,
                defer_init: Any = False) -> Any:
        self.compiled.append(name)
        return super().compile(source, name, filename, raw, defer_init)


def environment(templates: dict[str, str], cache: MemoryBytecodeCache) -> CountingEnvironment:
    env = CountingEnvironment(loader=DictLoader(templates), bytecode_cache=cache)
    env.compiled = []
    return env


def test_compiled_templates_serve_the_next_environment_until_their_source_changes() -> None:
    cache = MemoryBytecodeCache()
    templates = {"main.html": "<p>{{ page }}</p>"}
    first = environment(templates, cache)
    assert first.get_template("main.html").render(page="a") == "<p>a</p>"
    assert first.compiled == ["main.html"]
    second = environment(templates, cache)  # as the next build makes a new environment
    assert second.get_template("main.html").render(page="b") == "<p>b</p>"
    assert second.compiled == []
    third = environment({"main.html": "<div>{{ page }}</div>"}, cache)  # the template was edited
    assert third.get_template("main.html").render(page="c") == "<div>c</div>"
    assert third.compiled == ["main.html"]


def test_compiled_templates_on_disk_serve_the_next_build_with_the_same_settings(tmp_path: Path) -> None:
    templates = {"main.html": "<p>{{ page }}</p>"}

    def build(**settings: Any) -> CountingEnvironment:
        env = CountingEnvironment(loader=DictLoader(templates), **settings)
        env.compiled = []
        env.bytecode_cache = template_cache(env, home=tmp_path)
        rendered = env.get_template("main.html").render(page="<b>")
        assert rendered == templates["main.html"].replace("{{ page }}", "&lt;b&gt;" if env.autoescape else "<b>")
        return env

    assert build().compiled == ["main.html"]
    assert build().compiled == []  # the next build, another process as far as Jinja knows
    escaping = build(autoescape=True)  # compiles to other code: a folder of its own
    assert escaping.compiled == ["main.html"]
    folders = sorted(path.name for path in (tmp_path / "annotated-edition" / "jinja").iterdir())
    assert len(folders) == 2
    assert all((tmp_path / "annotated-edition" / "jinja" / name).stat().st_mode & 0o077 == 0 for name in folders)
    templates["main.html"] = "<div>{{ page }}</div>"
    assert build().compiled == ["main.html"]
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert template_cache(Environment(), home=tmp_path / "file") is None  # no folder to write: none


def test_the_reused_template_writes_the_output_back_and_the_theme_keeps_its_messages(tmp_path: Path) -> None:
    (tmp_path / "main.html").write_text("<p>{{ page }}</p>", encoding="utf-8")
    env = Environment(loader=WithReusedOutput(FileSystemLoader(str(tmp_path))))
    output = '<html><p a="{{ x }}">&amp; {% raw %}</p></html>'  # written as it is: no escaping, no Jinja
    assert env.get_template(REUSED_TEMPLATE).render({REUSED_VARIABLE: output}) == output
    assert env.get_template("main.html").render(page="a") == "<p>a</p>"
    with pytest.raises(TemplateNotFound, match=r"'missing\.html' not found in search path"):
        env.get_template("missing.html")  # the theme's own message, for the terminal and the notice


def test_a_page_output_is_written_back_only_while_its_key_is_the_same() -> None:
    outputs = PageOutputs()
    assert outputs.plan({"a.md": 1, "b.md": 1}) == set()  # nothing kept yet
    outputs.made_output("a.md", "<a1>")
    outputs.made_output("b.md", "<b1>")
    outputs.made_output("generated.md", "<g>")  # no key: never kept
    outputs.keep()
    assert outputs.plan({"a.md": 1, "b.md": 2}) == {"a.md"} and outputs.reused == 1
    assert outputs.take("b.md") is None
    assert outputs.take("a.md") == "<a1>" and outputs.take("a.md") is None  # once
    outputs.made_output("a.md", "<a1>")
    outputs.made_output("b.md", "<b2>")
    # The build fails: what the last good build made stays.
    assert outputs.plan({"a.md": 1, "b.md": 1}) == {"a.md", "b.md"}
    outputs.made_output("a.md", "<a1>")
    outputs.made_output("b.md", "<b1>")
    outputs.keep()
    assert outputs.plan({"a.md": 1, "b.md": 2}) == {"a.md"}
    assert outputs.plan({"a.md": 1, "b.md": 1}) == {"a.md", "b.md"}
    assert outputs.take("b.md") == "<b1>"


def test_signatures_follow_templates_titles_and_front_matter(tmp_path: Path) -> None:
    assert theme_signature(None) == () == theme_signature(str(tmp_path / "missing"))
    (tmp_path / "partials").mkdir()
    template = tmp_path / "partials" / "footer.html"
    template.write_text("a", encoding="utf-8")
    before = theme_signature(str(tmp_path))
    assert before == theme_signature(str(tmp_path))
    template.write_text("ab", encoding="utf-8")
    assert theme_signature(str(tmp_path)) != before
    pages = [("a.md", "A", {}), ("b.md", "B", {"status": "new"})]
    signature = navigation_signature(pages)
    assert signature == navigation_signature([("a.md", "A", {}), ("b.md", "B", {"status": "new"})])
    assert signature != navigation_signature([("a.md", "A", {}), ("b.md", "B2", {"status": "new"})])
    assert signature != navigation_signature([("a.md", "A", {}), ("b.md", "B", {"status": "deprecated"})])


def test_a_record_is_computed_again_only_when_its_document_or_what_all_share_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.corpus import generate  # noqa: PLC0415 - three documents with notes and terms

    project = generate(tmp_path / "corpus", pages=3, terms=8)
    state = render_documents(project / "mkdocs.yml")
    computed: list[str] = []
    real = edition.records.document_record

    def counting(transcript: Any, *args: Any, **kwargs: Any) -> Any:
        computed.append(transcript.declaration.id)
        return real(transcript, *args, **kwargs)

    monkeypatch.setattr(edition.records, "document_record", counting)

    def made(loaded: Any, cache: RecordCache | None) -> tuple[Edition, list[str]]:
        computed.clear()
        made = Edition(loaded.corpus, loaded.entities, loaded.transcripts, cache)
        return made, list(computed)

    cache = RecordCache()
    assert made(state.loaded, cache)[1] == ["doc-1", "doc-2", "doc-3"]
    assert made(load_data(state.options), cache)[1] == []  # read again, unchanged
    notes = project / "annotations" / "doc-2.yml"
    notes.write_text(notes.read_text(encoding="utf-8").replace('title: "', 'title: "Edited ', 1), encoding="utf-8")
    edited = load_data(state.options)
    again, computed_now = made(edited, cache)
    assert computed_now == ["doc-2"]
    fresh, _ = made(edited, None)
    assert again.problems == fresh.problems and list(again.documents) == list(fresh.documents)
    for name, record in fresh.documents.items():
        kept = again.documents[name]
        assert (kept.text.raw, kept.anchors, kept.block_ids, kept.term_occurrences, kept.name) == (
            record.text.raw, record.anchors, record.block_ids, record.term_occurrences, record.name)
        assert again.mentions(kept) == fresh.mentions(record)
    assert any(anchor.annotation.title.startswith("Edited ") for anchor in again.documents["doc-2"].anchors)
    term = next((project / "glossary").glob("*.yml"))
    term.write_text(term.read_text(encoding="utf-8").replace("translation: ", "translation: Edited ", 1),
                    encoding="utf-8")
    assert made(load_data(state.options), cache)[1] == []  # a translation: no term occurs elsewhere
    term.write_text(term.read_text(encoding="utf-8").replace("  term: ", "  term: Ы", 1), encoding="utf-8")
    assert made(load_data(state.options), cache)[1] == ["doc-1", "doc-2", "doc-3"]  # the glossary's forms are shared


def test_a_document_part_of_an_export_is_made_again_when_its_record_or_values_change() -> None:
    exports, made = DocumentExports(), []

    def make(name: str) -> Any:
        def making() -> list[str]:
            made.append(name)
            return [name]
        return making

    record, other = object(), object()
    assert exports.part("w3c", "doc-1", record, ("a",), make("1")) == ["1"]
    assert exports.part("w3c", "doc-1", record, ("a",), make("2")) == ["1"]  # kept
    assert exports.part("hypothesis", "doc-1", record, ("a",), make("3")) == ["3"]  # per export
    assert exports.part("w3c", "doc-1", record, ("b",), make("4")) == ["4"]  # other values
    assert exports.part("w3c", "doc-1", other, ("b",), make("5")) == ["5"]  # another record, even if equal
    assert made == ["1", "3", "4", "5"]
