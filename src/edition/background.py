"""Work a build can hand to another process: forked, so it shares everything loaded so far.

MkDocs renders and writes the pages on one core. The edition's exports (one JSON-LD file
per note and per glossary link: 7,900 files at 200 pages) need nothing that is still to
come once every page is converted, so a forked process makes and writes them on the other
core while MkDocs renders the pages' templates; the note bodies are converted the same way
while it renders the pages (`edition.render`). Where forking is not safe (no `fork` on the
platform, or other threads running, as under `mkdocs serve`), the same work happens in
this process; under `mkdocs serve` the exports are made here and written by a thread
(`FileWriter.start(…, later=True)`), so that the page can be served before they are on disk.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from pathlib import Path


SINGLE_PROCESS = "EDITION_PROCESSES"
"""`EDITION_PROCESSES=1` keeps all the work in MkDocs' own process (for a machine with one core,
or to compare)."""


def may_fork() -> bool:
    """Whether to fork: allowed (see `SINGLE_PROCESS`), `fork` exists and no other thread runs."""
    return (os.environ.get(SINGLE_PROCESS) != "1" and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def file_text(content: Any) -> str:
    """A generated file's text: a string as it is; data as compact JSON (the C encoder), one line."""
    if isinstance(content, str):
        return content
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_files(folder: Path, files: Mapping[str, Any]) -> None:
    """Write each of `files` (path relative to `folder` → content) as UTF-8, making folders."""
    made: set[Path] = set()
    for relative, content in files.items():
        path = folder / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(file_text(content).encode("utf-8"))


class FileWriter:
    """Makes files (`produce`) and writes them into a folder, in a forked process when it may.

    `start` returns at once when forked; `wait` waits for the process and raises
    `RuntimeError` with the process's error, if any (its traceback goes to standard error).
    Without a fork, `start` makes the files, and writes them too unless told to leave the
    writing to a thread (`later`), which `wait` then waits for. `fork_waiting` forks early
    a process that makes the files once `release` gives it what they still need.
    """

    def __init__(self) -> None:
        self._process: BaseProcess | None = None
        self._errors: Connection | None = None
        self._release: Connection | None = None
        """Where a process forked by `fork_waiting` waits for its argument."""
        self._writing: Future[float] | None = None
        """The thread's writing (`later`): the seconds it took, or its error."""

    def start(self, folder: Path, produce: Callable[[], Mapping[str, Any]], *, fork: bool | None = None,
              later: bool = False) -> None:
        """Write `produce()` into `folder`; in a forked process if `fork` (default: `may_fork()`).

        Without a fork and with `later`, the files are made here and written by a thread:
        the system calls that create files (slow on some disks: seconds for the 7,900 files
        of a 200-page edition) then overlap with whatever this process does next.
        """
        if not (may_fork() if fork is None else fork):
            files = produce()
            if not later:
                write_files(folder, files)
                return
            thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edition-exports")
            self._writing = thread.submit(_timed_write, folder, files)
            thread.shutdown(wait=False)  # the thread ends when the writing does
            return
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_work, args=(folder, produce, send), name="edition-exports")
        self._process.start()
        send.close()
        self._errors = receive

    def fork_waiting(self, folder: Path, produce: Callable[[Any], Mapping[str, Any]]) -> bool:
        """Fork now a process that waits for `release(argument)`, then writes `produce(argument)`
        into `folder`; False (nothing forked) where `may_fork()` says no.

        A forked process starts with all of its parent's memory (and a tree's memory counts
        it twice): forked early, while the parent is still small, it holds what was loaded,
        not all that the build makes before the argument is ready. Never released (the
        build failed), it is ended by `stop`, or ends when this process does.
        """
        if not may_fork():
            return False
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        wait_for, release = context.Pipe(duplex=False)
        self._process = context.Process(target=_work_when_released, args=(folder, produce, wait_for, send),
                                        name="edition-exports")
        self._process.start()
        send.close()
        wait_for.close()
        self._errors, self._release = receive, release
        return True

    @property
    def waiting(self) -> bool:
        """Whether a process forked by `fork_waiting` waits for `release`."""
        return self._release is not None

    def release(self, argument: Any) -> None:
        """Give the process forked by `fork_waiting` its argument: it makes and writes the
        files (`wait` waits for it)."""
        if self._release is None:
            raise RuntimeError("no process waits to be released")
        release, self._release = self._release, None
        try:
            release.send(argument)
        finally:
            release.close()

    def wait(self) -> float:
        """Wait for the forked process or the thread, if any, and return how long it worked (0 if none).

        Raises `RuntimeError` if it failed.
        """
        if self._writing is not None:
            writing, self._writing = self._writing, None
            try:
                return writing.result()
            except Exception as error:
                raise RuntimeError(f"{type(error).__name__}: {error}") from None
        process, errors = self._process, self._errors
        self._process = self._errors = None
        if process is None or errors is None:
            return 0.0
        try:
            message, seconds = errors.recv()
        except EOFError:  # it ended without a word: killed, or out of memory
            message, seconds = "", 0.0
        errors.close()
        process.join()
        if message or process.exitcode:
            raise RuntimeError(message or f"the export process ended with exit code {process.exitcode}")
        return float(seconds)

    def stop(self) -> None:
        """End the forked process, if any, without waiting for its work (a build that failed).

        A thread cannot be ended: it is waited for, and its failure, if any, is dropped with the build.
        """
        process = self._process
        if self._release is not None:
            self._release.close()
            self._release = None
        if process is not None:
            process.terminate()
            process.join()
        if self._errors is not None:
            self._errors.close()
        self._process = self._errors = None
        if self._writing is not None:
            wait([self._writing])
            self._writing = None


def _timed_write(folder: Path, files: Mapping[str, Any]) -> float:
    """`write_files`, and the seconds it took (the thread of `FileWriter.start(…, later=True)`)."""
    start = time.perf_counter()
    write_files(folder, files)
    return time.perf_counter() - start


def _work(folder: Path, produce: Callable[[], Mapping[str, Any]], errors: Connection) -> None:
    """The forked process: write the files, then send ("", seconds), or the error."""
    start = time.perf_counter()
    try:
        write_files(folder, produce())
    except BaseException as error:
        traceback.print_exc()
        errors.send((f"{type(error).__name__}: {error}", 0.0))
    else:
        errors.send(("", time.perf_counter() - start))
    finally:
        errors.close()


def _work_when_released(folder: Path, produce: Callable[[Any], Mapping[str, Any]], wait_for: Connection,
                        errors: Connection) -> None:
    """The process forked by `FileWriter.fork_waiting`: wait for the argument, then work as `_work`."""
    try:
        argument = wait_for.recv()
    except EOFError:  # never released: the build failed, and the parent closed the pipe or ended
        errors.close()
        return
    finally:
        wait_for.close()
    _work(folder, lambda: produce(argument), errors)
