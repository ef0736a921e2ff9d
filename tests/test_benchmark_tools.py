"""The benchmark's helpers (`benchmarks.corpus`'s baselines, `benchmarks.profile`, `benchmarks.budget`): nothing
is timed here."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import yaml
from benchmarks.bench import TreeMemory, site_size
from benchmarks.budget import best_of, note_texts
from benchmarks.corpus import B1_DOCS, NOTES_PER_PAGE, generate
from benchmarks.profile import package, self_times
from pyinstrument import Profiler

from edition.anchoring import at_word_edge

if TYPE_CHECKING:
    from pathlib import Path


def test_package_is_read_from_the_frame_path() -> None:
    assert package("/x/.venv/lib/python3.11/site-packages/markdown/treeprocessors.py") == "markdown"
    assert package("/x/.venv/lib/python3.11/site-packages/material/plugins/search/plugin.py") == "material"
    assert package("/work/main/src/edition/render.py") == "edition"
    assert package("/root/.pyenv/versions/3.11.7/lib/python3.11/json/encoder.py") == "Python"
    assert package("/x/.venv/lib/python3.11/site-packages/dawg_python/wrapper.py") == "other"
    assert package(None) == "other"


def _sort_many(numbers: list[float]) -> int:
    total = 0
    for _ in range(30):
        total += len(sorted(numbers))
    return total


def _spin() -> int:
    total = 0
    for number in range(400_000):
        total += number % 7
    return total


def test_self_times_account_for_every_sample_under_the_python_caller() -> None:
    numbers = [random.random() for _ in range(100_000)]
    profiler = Profiler(interval=0.001)
    profiler.start()
    _spin()
    _sort_many(numbers)
    profiler.stop()
    assert profiler.last_session is not None
    root = profiler.last_session.root_frame()
    assert root is not None
    times = list(self_times(root))
    assert abs(sum(seconds for _, _, seconds in times) - root.time) < 1e-6  # every sample, once
    by_name: dict[str, float] = {}
    for _, name, seconds in times:
        by_name[name] = by_name.get(name, 0.0) + seconds
    assert any(name.startswith("_spin (") for name in by_name)
    # C functions are named with their Python caller, whose package they count for.
    assert any(name.startswith("sorted in _sort_many (") for name in by_name)
    assert not any(name.startswith("sorted (") for name in by_name)


def test_budget_reads_every_body_and_definition(tmp_path: Path) -> None:
    project = generate(tmp_path / "corpus", pages=3, terms=12)
    texts = note_texts(project)
    assert len(texts) == 3 * NOTES_PER_PAGE + 12
    assert all(isinstance(text, str) and text.strip() for text in texts)


def test_best_of_runs_every_item_each_round() -> None:
    seen: list[str] = []
    assert best_of(3, seen.append, ["a", "b"]) >= 0
    assert seen == ["a", "b"] * 3


_REFERENCE = re.compile(r"\[\^([^\]]+)\](?!:)")


def _whole_word_count(text: str, quote: str) -> int:
    count, at = 0, text.find(quote)
    while at != -1:
        count += at_word_edge(text, at) and at_word_edge(text, at + len(quote))
        at = text.find(quote, at + 1)
    return count


def test_b1_has_one_footnote_per_note_after_its_quote_with_its_title_body_and_source(tmp_path: Path) -> None:
    project = generate(tmp_path / "corpus", pages=2, terms=12)
    for number in (1, 2):
        page = (project / B1_DOCS / "part-01" / f"doc-{number}.md").read_text(encoding="utf-8")
        notes = yaml.safe_load((project / "annotations" / f"doc-{number}.yml").read_text(encoding="utf-8"))
        assert len(notes) == NOTES_PER_PAGE
        references = list(_REFERENCE.finditer(page))
        assert sorted(match.group(1) for match in references) == sorted(note["id"] for note in notes)
        for note in notes:
            (reference,) = [match for match in references if match.group(1) == note["id"]]
            before = _REFERENCE.sub("", page[:reference.start()])  # the text up to it, without other references
            assert before.endswith(note["quote"]), note["id"]
            # The note's own occurrence of its quote, counted as the edition anchors it.
            assert _whole_word_count(before, note["quote"]) == note.get("occurrence", 1), note["id"]
            footnote = page[page.index(f"[^{note['id']}]: "):].split("\n\n[^", 1)[0]
            assert footnote.startswith(f"[^{note['id']}]: **{note['title']}**")
            assert note["sources"][0]["url"] in footnote and note["sources"][0]["title"] in footnote
            assert "term:" not in footnote and "note:" not in footnote  # the glossary is B1's abbr
            first_line = note["body"].split("\n")[0]
            assert re.sub(r"\[([^\]]*)\]\(term:[^)]*\)", r"\1", first_line.split("](note:")[0]) in footnote
    # B1's glossary: every term and alias, in the `glossary:` option of `abbr`; B1f has none.
    b1, b1f = (yaml.safe_load((project / name).read_text(encoding="utf-8"))
               for name in ("mkdocs-b1.yml", "mkdocs-b1f.yml"))
    (abbr,) = [extension["abbr"] for extension in b1["markdown_extensions"] if isinstance(extension, dict)
               and "abbr" in extension]
    entries = [yaml.safe_load(path.read_text(encoding="utf-8"))[0] for path in (project / "glossary").glob("*.yml")]
    assert set(abbr["glossary"]) == {form for entry in entries for form in (entry["term"], *entry["aliases"])}
    assert "footnotes" in b1f["markdown_extensions"] and "abbr" not in str(b1f["markdown_extensions"])
    assert b1["docs_dir"] == b1f["docs_dir"] == B1_DOCS


@pytest.mark.build
def test_b1_and_b1f_build_strictly_with_their_footnotes_and_b1_with_its_glossary(tmp_path: Path) -> None:
    project = generate(tmp_path / "corpus", pages=2, terms=12)
    abbreviations: dict[str, int] = {}
    for config in ("mkdocs-b1.yml", "mkdocs-b1f.yml"):
        site = tmp_path / config
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(site)],
                       cwd=project, check=True, capture_output=True)
        html = (site / "part-01" / "doc-1" / "index.html").read_text(encoding="utf-8")
        assert len(re.findall(r'<sup id="fnref:n1-\d+">', html)) == NOTES_PER_PAGE
        assert len(re.findall(r'<li id="fn:n1-\d+">', html)) == NOTES_PER_PAGE
        abbreviations[config] = len(re.findall(r"<abbr title=", html))
    assert abbreviations["mkdocs-b1.yml"] > 0 and abbreviations["mkdocs-b1f.yml"] == 0


_TREE = """
import os, sys, time
held = bytearray(64 * 2**20)
for index in range(0, len(held), 4096):
    held[index] = 1
if os.fork() == 0:  # a worker, which holds as much of its own
    own = bytearray(64 * 2**20)
    for index in range(0, len(own), 4096):
        own[index] = 1
    time.sleep(1.5)
    os._exit(0)
os.wait()
"""


def test_tree_memory_adds_up_the_process_and_its_workers() -> None:
    with subprocess.Popen([sys.executable, "-c", _TREE]) as child:
        memory = TreeMemory(child.pid)
        memory.start()
        child.wait()
        peak = memory.stop()
    # Both processes hold 64 MiB of their own at once (the worker shares the parent's too):
    # the sum is at least their own memory together.
    assert peak >= 128


def test_site_size_counts_every_file_and_byte(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_bytes(b"12345")
    (tmp_path / "a" / "b" / "two.json").write_bytes(b"{}")
    assert site_size(tmp_path) == (2, 7)
