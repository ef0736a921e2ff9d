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
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from pathlib import Path


Files = Mapping[str, Any] | Iterable[tuple[str, Any]]
"""Files to write: path (relative to a folder) → content, or such pairs, each made when asked for."""

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


def write_files(folder: Path, files: Files) -> None:
    """Write each of `files` (path relative to `folder` → content, or such pairs, each made
    when asked for) as UTF-8, making folders."""
    made: set[Path] = set()
    for relative, content in files.items() if isinstance(files, Mapping) else files:
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
        """The forked process (of `start` or `fork_waiting`)."""
        self._release: Connection | None = None
        """Where a process forked by `fork_waiting` waits for its argument."""
        self._reader: threading.Thread | None = None
        """Reads what the process forked by `fork_waiting` sends: its jobs' results, then `_finished`."""
        self._finished: Future[tuple[str, float]] | None = None
        """The end of the process forked by `fork_waiting`: its error, if any, and its seconds of work."""
        self._writing: Future[float] | None = None
        """The thread's writing (`later`): the seconds it took, or its error."""
        self._later: tuple[Path, Mapping[str, Any]] | None = None
        """Files made by `start(…, later=True)`, for `write_later` to give to the thread."""

    def start(self, folder: Path, produce: Callable[[], Mapping[str, Any]], *, fork: bool | None = None,
              later: bool = False) -> None:
        """Write `produce()` into `folder`; in a forked process if `fork` (default: `may_fork()`).

        Without a fork and with `later`, the files are made here, and a thread writes them once
        `write_later` says (`mkdocs serve`: when the rebuild is over, so that the page is served
        first; writing them while MkDocs copied the theme's files and wrote the pages made
        those 0.2–0.4 s slower, of a 1.4 s rebuild at N = 200, the two threads sharing one
        interpreter). `wait` writes them here if `write_later` was not called.

        Forked, it is a process of `fork_waiting` released at once (without jobs). A process
        of `fork_waiting` with no files to make (its jobs only) is waited for first, so that
        `wait` then waits for this one.
        """
        if self._finished is not None and self._release is None:
            self._wait_for_process()
        if not (may_fork() if fork is None else fork):
            files = produce()
            if later:
                self._later = (folder, files)
            else:
                write_files(folder, files)
            return
        self._fork(folder, lambda _: produce(), (), name="edition-exports")
        self.release(None)

    def write_later(self) -> None:
        """Start the thread that writes the files `start(…, later=True)` made, if any; `wait` waits for it."""
        if self._later is None:
            return
        folder, files = self._later
        self._later = None
        thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edition-exports")
        self._writing = thread.submit(_timed_write, folder, files)
        thread.shutdown(wait=False)  # the thread ends when the writing does

    def fork_waiting(self, folder: Path, produce: Callable[[Any], Files] | None,
                     jobs: Sequence[Callable[[], Any]] = ()) -> list[Future[Any]] | None:
        """Fork now a process that does `jobs` in order, then waits for `release(argument)` and
        writes `produce(argument)` into `folder` (without `produce`, it ends after the jobs).

        Returns a future for each job's result, each set as soon as the process sends it
        (a job's error, or the process's end, sets a `RuntimeError`); None, with nothing
        forked, where `may_fork()` says no.

        A forked process starts with all of its parent's memory (and a tree's memory counts
        it twice): forked early, while the parent is still small, it holds what was loaded,
        not all that the build makes before the argument is ready; and one process doing the
        jobs and the files is one copy, not two. Never released (the build failed), it is
        ended by `stop`, or ends when this process does.
        """
        return self._fork(folder, produce, jobs, name="edition-helper") if may_fork() else None

    def _fork(self, folder: Path, produce: Callable[[Any], Files] | None, jobs: Sequence[Callable[[], Any]], *,
              name: str) -> list[Future[Any]]:
        """`fork_waiting`, whether or not `may_fork()` (`start` decides for itself)."""
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        wait_for, release = context.Pipe(duplex=False) if produce is not None else (None, None)
        self._process = context.Process(target=_help, args=(folder, jobs, produce), name=name,
                                        kwargs={"wait_for": wait_for, "send": send, "parents": (receive, release)})
        self._process.start()
        send.close()
        if wait_for is not None:
            wait_for.close()
        self._release = release
        results: list[Future[Any]] = [Future() for _ in jobs]
        for result in results:
            result.set_running_or_notify_cancel()
        self._finished = Future()
        self._reader = threading.Thread(target=_read_results, args=(receive, results, self._finished),
                                        name="edition-helper-results", daemon=True)
        self._reader.start()
        return results

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
        self.write_later()  # files of `start(…, later=True)` not yet given to the thread
        if self._writing is not None:
            writing, self._writing = self._writing, None
            try:
                return writing.result()
            except Exception as error:
                raise RuntimeError(f"{type(error).__name__}: {error}") from None
        return self._wait_for_process() if self._finished is not None else 0.0

    def _wait_for_process(self) -> float:
        """`wait` for the forked process (of `start` or `fork_waiting`)."""
        finished, process, reader = self._finished, self._process, self._reader
        self._finished = self._process = self._reader = None
        assert finished is not None and process is not None and reader is not None
        message, seconds = finished.result()
        reader.join()
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
        if self._reader is not None:  # it reads to the end of the pipe, which the process's end closed
            self._reader.join()
        self._process = self._reader = self._finished = None
        self._later = None  # made, never written: the build failed
        if self._writing is not None:
            wait([self._writing])
            self._writing = None


def _timed_write(folder: Path, files: Mapping[str, Any]) -> float:
    """`write_files`, and the seconds it took (the thread of `FileWriter.start(…, later=True)`)."""
    start = time.perf_counter()
    write_files(folder, files)
    return time.perf_counter() - start


def _work(folder: Path, produce: Callable[[], Files], errors: Connection) -> None:
    """In the forked process (`_help`): write the files, then send ("", seconds), or the error."""
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


@dataclass(frozen=True)
class _JobResult:
    """What the process forked by `FileWriter.fork_waiting` sends for a job: its result or error."""

    index: int
    value: Any
    error: str | None = None


def _help(folder: Path, jobs: Sequence[Callable[[], Any]], produce: Callable[[Any], Files] | None, *,
          wait_for: Connection | None, send: Connection, parents: tuple[Connection | None, ...]) -> None:
    """The process forked by `FileWriter.fork_waiting`: each job's result, as it is made; then,
    once released, the files, and ("", seconds) or the error, as `_work`. It first closes its
    copies of the parent's ends of the pipes (`parents`): else its own copy of the releasing
    end would keep it waiting after the parent has gone."""
    for end in parents:
        if end is not None:
            end.close()
    try:
        for index, job in enumerate(jobs):
            try:
                result = _JobResult(index, job())
            except Exception as error:  # the parent does that job itself
                result = _JobResult(index, None, f"{type(error).__name__}: {error}")
            send.send(result)
        if produce is None or wait_for is None:
            send.send(("", 0.0))
            send.close()
            return
    except BrokenPipeError:  # the parent has gone: nobody waits for the rest
        return
    try:
        argument = wait_for.recv()
    except EOFError:  # never released: the build failed, and the parent closed the pipe or ended
        send.close()
        return
    finally:
        wait_for.close()
    _work(folder, lambda: produce(argument), send)


def _read_results(receive: Connection, results: Sequence[Future[Any]], finished: Future[tuple[str, float]]
                  ) -> None:
    """The thread of `FileWriter.fork_waiting`: set each job's future, then `finished`, from
    what the process sends; if it ends first, what is still unset fails (`RuntimeError`)."""
    try:
        while True:
            message = receive.recv()
            if isinstance(message, _JobResult):
                if message.error is None:
                    results[message.index].set_result(message.value)
                else:
                    results[message.index].set_exception(RuntimeError(message.error))
                continue
            finished.set_result(message)
            return
    except (EOFError, OSError):  # it ended without a word: killed, out of memory, or never released
        for result in results:
            if not result.done():
                result.set_exception(RuntimeError("the helper process ended before this job"))
        finished.set_result(("", 0.0))
    finally:
        receive.close()
