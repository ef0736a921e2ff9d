"""Body rendering (`edition.render`): conversions made in other processes equal those made here."""

from __future__ import annotations

import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edition import background, render
from edition.render import RenderCache
from edition.state import EditionOptions, EditionState
from edition.wordforms import glossary_word_forms

BODIES = [
    "Plain *emphasis* and **strong**, [a link](https://example.org/a?b=1&c=2) and `code`.",
    "See [the term](term:sizo) and [a note](note:other).\n\n- one\n- two [x](note:x)",
    "Raw <b>HTML</b> and [bad](javascript:alert(1)) links are kept for the checker.",
    "1. first\n2. second\n\n> quoted & <escaped>",
    *(f"Body number {n} with [a link](term:t{n})." for n in range(40)),
]


def test_bodies_converted_in_other_processes_equal_those_converted_here(monkeypatch: pytest.MonkeyPatch) -> None:
    # The parallel path is what this test checks. Other tests leave server threads running in
    # this process, which `mkdocs build` does not have; the workers only convert Markdown.
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert background.may_fork()
    submitted: list[int] = []
    real_submit = ProcessPoolExecutor.submit

    def submit(self: ProcessPoolExecutor, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        submitted.append(len(args[0]))
        return real_submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    parallel = RenderCache()
    parallel.convert_many(BODIES, workers=3, min_parallel=1)
    assert len(submitted) == 2 and sum(submitted) > len(BODIES) // 2  # two thirds went to other processes
    serial = RenderCache()
    for body in BODIES:
        assert parallel.convert(body) == serial.convert(body), body
    kinds = {finding.kind for finding in parallel.convert(BODIES[2]).findings}  # type: ignore[union-attr]
    assert kinds == {"html", "unsafe"}


def test_few_bodies_or_other_threads_keep_the_work_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("no process pool expected")

    monkeypatch.setattr(render, "ProcessPoolExecutor", no_pool)
    cache = RenderCache()
    cache.convert_many(BODIES[:3], workers=4)  # fewer than `PARALLEL_MIN`
    assert all(cache.convert(body) is not None for body in BODIES[:3])
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # as under `mkdocs serve`
    cache.convert_many(BODIES, workers=4, min_parallel=1)
    assert all(cache.convert(body) is not None for body in BODIES)


def test_bodies_converted_in_the_background_come_in_chunks_and_equal_those_converted_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # see the test above
    background_cache = RenderCache()
    assert background_cache.convert_in_background(BODIES, min_texts=1, chunk=10)
    assert len(background_cache._pending) == -(-len(BODIES) // 10)
    first = background_cache._pending[0][1]
    first.result(timeout=30)
    assert background_cache.convert(BODIES[0]) is not None  # taken from the finished first chunk
    assert BODIES[9] in background_cache._converted
    # the first chunk was taken; later ones too if they had finished (then none may be left)
    assert all(future is not first for _, future in background_cache._pending)
    background_cache.finish()
    assert not background_cache._pending and background_cache._pool is None
    serial = RenderCache()
    for body in BODIES:
        assert background_cache.convert(body) == serial.convert(body), body


def _held_chunk(texts: list[str]) -> list[Any]:
    """`convert_chunk`, held until the latch file exists (set by the test below before forking)."""
    latch = Path(os.environ["EDITION_TEST_LATCH"])
    for _ in range(3000):
        if latch.exists():
            break
        threading.Event().wait(0.01)
    return REAL_CONVERT_CHUNK(texts)


REAL_CONVERT_CHUNK = render.convert_chunk


def test_a_body_not_converted_yet_is_converted_here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    latch = tmp_path / "go"
    monkeypatch.setenv("EDITION_TEST_LATCH", str(latch))
    monkeypatch.setattr(render, "convert_chunk", _held_chunk)
    cache = RenderCache()
    assert cache.convert_in_background(BODIES, min_texts=1, chunk=len(BODIES))
    future = cache._pending[0][1]
    converted = cache.convert(BODIES[5])  # converted here: the chunk is held until the latch exists
    assert not future.done() and cache._pending
    latch.touch()
    cache.finish()
    assert converted == cache.convert(BODIES[5]) == RenderCache().convert(BODIES[5])
    assert cache._pool is None and not cache._pending


def test_stop_leaves_the_rest_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    cache = RenderCache()
    assert cache.convert_in_background(BODIES, min_texts=1, chunk=5)
    cache.stop()
    assert cache._pool is None and not cache._pending
    assert all(cache.convert(body) == RenderCache().convert(body) for body in BODIES)


def test_background_conversion_needs_fork_and_enough_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert not RenderCache().convert_in_background(BODIES[:3])  # fewer than `PARALLEL_MIN`
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # as under `mkdocs serve`
    cache = RenderCache()
    assert not cache.convert_in_background(BODIES, min_texts=1)
    assert cache._pool is None and not cache._converted


def test_notes_are_converted_in_the_order_of_their_pages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    common = ("  type: context\n  title: T\n  author: A\n  status: verified\n  confidence: high\n"
              "  sources: [{title: S}]\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "n.yml").write_text("".join(
        f"- id: n-{document}-{n}\n  document: {document}\n  quote: q{n}\n  body: Body {n} of {document}.\n{common}"
        for document in ("one", "two") for n in range(3)), encoding="utf-8")
    state = EditionState(EditionOptions(annotations=tmp_path / "a", glossary=None, entities=None, root=tmp_path),
                         defer_errors=True, bodies_later=True)
    assert not state.render_cache._converted  # nothing converted while loading
    real = RenderCache.parts  # six texts are too few for the real thresholds
    monkeypatch.setattr(RenderCache, "parts", lambda self, texts: real(self, texts, min_texts=1, chunk=2))
    parts, jobs = state.body_jobs(["two", "one"])
    assert [text for part in parts for text in part] == [f"Body {n} of {document}." for document in ("two", "one")
                                                         for n in range(3)]
    assert len(jobs) == len(parts) + 1  # and the word forms
    helper = background.FileWriter()
    results = helper.fork_waiting(tmp_path, None, jobs)
    assert results is not None
    state.bodies_from(parts, results)
    state.check_bodies()
    assert not state.render_cache._pending and not state.problems
    assert state.render_cache.converted_elsewhere == 6
    assert state.word_forms == {}  # no glossary: the other process's result, taken as it is
    assert helper.wait() == 0.0


def _failing_chunk(texts: list[str]) -> list[Any]:
    if any("number 3 " in text for text in texts):
        os._exit(3)  # the process dies, as under the out-of-memory killer
    return REAL_CONVERT_CHUNK(texts)


def test_chunks_lost_in_the_background_are_converted_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(render, "convert_chunk", _failing_chunk)
    cache = RenderCache()
    assert cache.convert_in_background(BODIES, min_texts=1, chunk=4)
    cache.finish()
    assert cache._pool is None and 0 < cache.converted_elsewhere < len(BODIES)
    assert all(cache.convert(body) == RenderCache().convert(body) for body in BODIES)


def _reference_locate(text: str, found: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """Where `render._locate` puts each value, as the patterns it compiled for each did."""
    after: dict[tuple[str, str], int] = {}
    places: list[tuple[int, int]] = []
    for kind, value in found:
        needle = value.strip().split("\n", 1)[0]
        pattern = re.compile(re.escape(needle) if kind in (render.RAW_HTML, render.HEADING) else
                             rf"(?<=[(<\s]){re.escape(needle)}(?=[)>\s]|$)", re.MULTILINE)
        key = (kind, needle)
        match = (pattern.search(text, after.get(key, 0)) or pattern.search(text)) if needle else None
        if match is None:
            places.append((0, 0))  # not found: the start of the text
            continue
        after[key] = match.end()
        places.append((text.count("\n", 0, match.start()), match.start() - text.rfind("\n", 0, match.start()) - 1))
    return places


@settings(max_examples=300)
@given(st.text(alphabet="a()<> \n\t\xa0", max_size=30),
       st.lists(st.tuples(st.sampled_from([render.PAGE, render.RAW_HTML]),
                          st.sampled_from(["a", "aa", "a a", " a", ""])), max_size=5))
def test_values_are_located_as_the_address_patterns_located_them(text: str, found: list[tuple[str, str]]) -> None:
    located = render._locate(text, found)
    assert [(f.line, f.col) for f in located] == _reference_locate(text, found)


def test_the_word_forms_made_by_the_other_process_are_those_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # see the tests above
    entries = [("sizo", ("СИЗО", "следственный изолятор")), ("patrols", ("языковые патрули",))]
    helper = background.FileWriter()
    results = helper.fork_waiting(Path(), None, [os.getpid, partial(glossary_word_forms, entries)])
    assert results is not None
    assert results[0].result(timeout=30) != os.getpid()
    assert results[1].result(timeout=30) == glossary_word_forms(entries)
    assert "изолятора" in results[1].result()["sizo"]
    assert helper.wait() == 0.0


def _edition_with(tmp_path: Path, body: str, *, drop: str | None = None) -> Path:
    """A copy of the fixture edition's annotations whose first note has `body`, without note `drop`."""
    import yaml  # noqa: PLC0415 - only these tests write YAML

    source = Path(__file__).parent / "fixtures" / "edition" / "annotations"
    target = tmp_path / f"annotations-{len(list(tmp_path.iterdir()))}"
    target.mkdir()
    first = True
    for path in sorted(source.glob("*.yml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = [item for item in items if item["id"] != drop]
        if first:
            items[0]["body"], first = body, False
        (target / path.name).write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def test_a_body_is_checked_once_while_the_ids_its_links_may_name_stay(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """`mkdocs serve` checks the bodies before each rebuild with the cache of the last: a text
    at the same place is checked again only when the ids of notes or terms change (a link to
    a note removed since becomes a problem)."""
    edition = Path(__file__).parent / "fixtures" / "edition"
    other = "tokayev-called"
    body = f"See [the other note](note:{other}) and <b>bold</b>."
    annotations = _edition_with(tmp_path, body)
    checked: list[str] = []
    original = render.BodyRenderer.problems

    def counted(self: render.BodyRenderer, text: str, *args: Any) -> Any:
        checked.append(text)
        return original(self, text, *args)

    monkeypatch.setattr(render.BodyRenderer, "problems", counted)
    cache = RenderCache()

    def problems(folder: Path) -> list[str]:
        state = EditionState(EditionOptions(folder, edition / "glossary", edition, documents=edition / "documents"),
                             render_cache=cache, defer_errors=True)
        return [problem.message for problem in state.problems if problem.is_error]

    first = problems(annotations)
    texts = len(checked)
    assert texts > 50 and body in checked
    assert any("raw HTML" in message for message in first), first
    assert not any(other in message for message in first), first
    checked.clear()
    assert problems(annotations) == first and checked == []  # nothing checked again
    without = problems(_edition_with(tmp_path, body, drop=other))
    assert f"link to unknown annotation 'note:{other}'" in " ".join(without)
    assert len(checked) == texts - 1
