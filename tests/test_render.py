"""Body rendering (`edition.render`): conversions made in other processes equal those made here."""

from __future__ import annotations

import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from edition import background, render
from edition.render import RenderCache

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
    assert parallel.convert(BODIES[2]).raw_html and parallel.convert(BODIES[2]).unsafe  # type: ignore[union-attr]


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
