"""The benchmark's helpers that read results (`benchmarks.profile`, `benchmarks.budget`): nothing is timed here."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from benchmarks.budget import best_of, note_texts
from benchmarks.corpus import NOTES_PER_PAGE, generate
from benchmarks.profile import package, self_times
from pyinstrument import Profiler

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
