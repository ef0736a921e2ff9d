"""Exports made and written in a forked process (`edition.background`)."""

from __future__ import annotations

import json
import os
import threading
from typing import TYPE_CHECKING

import pytest

from edition import background
from edition.background import FileWriter

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

FILES = {"data/a.jsonld": {"b": "ü", "a": [1, 2]}, "data/terms/x-1.jsonld": {"id": "x"}, "data/g.csv": "id,term\n"}


@pytest.fixture
def forkable(monkeypatch: pytest.MonkeyPatch) -> None:
    # Other tests leave server threads running in this process, which `mkdocs build` does not have.
    monkeypatch.setattr(threading, "active_count", lambda: 1)


@pytest.mark.usefixtures("forkable")
def test_a_forked_process_makes_and_writes_the_files(tmp_path: Path) -> None:
    parent = os.getpid()
    makers: list[int] = []

    def produce() -> dict[str, object]:
        makers.append(os.getpid())  # appended in the child's memory only
        (tmp_path / "maker").write_text(str(os.getpid()), encoding="utf-8")
        return FILES

    writer = FileWriter()
    writer.start(tmp_path, produce)
    seconds = writer.wait()
    assert seconds > 0
    assert not makers and int((tmp_path / "maker").read_text(encoding="utf-8")) != parent
    assert (tmp_path / "data/a.jsonld").read_bytes() == '{"a":[1,2],"b":"ü"}\n'.encode()
    assert json.loads((tmp_path / "data/terms/x-1.jsonld").read_text(encoding="utf-8")) == {"id": "x"}
    assert (tmp_path / "data/g.csv").read_text(encoding="utf-8") == "id,term\n"


@pytest.mark.usefixtures("forkable")
def test_a_failure_in_the_forked_process_is_raised_by_wait(tmp_path: Path, capfd: pytest.CaptureFixture[str]
                                                           ) -> None:
    def produce() -> dict[str, object]:
        raise ValueError("no site_url")

    writer = FileWriter()
    writer.start(tmp_path, produce)
    with pytest.raises(RuntimeError, match=r"^ValueError: no site_url$"):
        writer.wait()
    assert "Traceback" in capfd.readouterr().err  # for the developer, on standard error
    assert writer.wait() == 0.0  # nothing left to wait for


def test_without_fork_the_work_happens_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 3)  # as under `mkdocs serve`
    assert not background.may_fork()
    makers: list[int] = []

    def produce() -> dict[str, object]:
        makers.append(os.getpid())
        return FILES

    writer = FileWriter()
    writer.start(tmp_path, produce)
    assert makers == [os.getpid()] and (tmp_path / "data/g.csv").is_file()
    assert writer.wait() == 0.0


def test_later_makes_the_files_here_and_writes_them_in_a_thread(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 3)  # as under `mkdocs serve`
    makers: list[threading.Thread] = []
    writers: list[threading.Thread] = []
    go_on = threading.Event()
    write_files = background.write_files

    def produce() -> dict[str, object]:
        makers.append(threading.current_thread())
        return FILES

    def slow_write(folder: Path, files: dict[str, object]) -> None:
        writers.append(threading.current_thread())
        go_on.wait(30)
        write_files(folder, files)

    monkeypatch.setattr(background, "write_files", slow_write)
    writer = FileWriter()
    writer.start(tmp_path, produce, later=True)
    assert makers == [threading.current_thread()]  # made at once, here
    assert not (tmp_path / "data").exists()  # start returned before the files were written
    assert writers == []  # and no thread writes them before `write_later` (the rebuild's end)
    writer.write_later()
    go_on.set()
    assert writer.wait() >= 0.0
    assert writers and writers[0] is not threading.current_thread()
    assert (tmp_path / "data/a.jsonld").read_bytes() == '{"a":[1,2],"b":"ü"}\n'.encode()
    assert writer.wait() == 0.0  # nothing left to wait for


def test_files_made_later_are_written_by_wait_or_dropped_by_stop(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `write_later` (a build that ended otherwise), `wait` still writes them; `stop`
    (a failed build) drops them unwritten."""
    monkeypatch.setattr(threading, "active_count", lambda: 3)
    writer = FileWriter()
    writer.start(tmp_path / "waited", lambda: FILES, later=True)
    assert writer.wait() >= 0.0
    assert (tmp_path / "waited/data/a.jsonld").is_file()
    writer.start(tmp_path / "stopped", lambda: FILES, later=True)
    writer.stop()
    assert writer.wait() == 0.0 and not (tmp_path / "stopped").exists()


def test_a_failure_in_the_writing_thread_is_raised_by_wait(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 3)
    (tmp_path / "data").write_text("a file where the folder should be", encoding="utf-8")
    writer = FileWriter()
    writer.start(tmp_path, lambda: FILES, later=True)
    with pytest.raises(RuntimeError, match=r"^FileExistsError: "):
        writer.wait()
    writer.start(tmp_path, lambda: FILES, later=True)
    writer.stop()  # a failed build: waited for, its failure dropped with the build
    assert writer.wait() == 0.0


@pytest.mark.usefixtures("forkable")
def test_stop_ends_a_forked_process_that_is_still_working(tmp_path: Path) -> None:
    def produce() -> dict[str, object]:
        threading.Event().wait(30)
        return FILES

    writer = FileWriter()
    writer.start(tmp_path, produce)
    writer.stop()
    assert not (tmp_path / "data").exists()
    assert writer.wait() == 0.0


@pytest.mark.usefixtures("forkable")
def test_a_process_forked_early_makes_the_files_from_what_release_gives_it(tmp_path: Path) -> None:
    parent = os.getpid()
    made_before = {"loaded": "before the fork"}

    def produce(argument: dict[str, str]) -> dict[str, object]:
        (tmp_path / "maker").write_text(str(os.getpid()), encoding="utf-8")
        return {"data/out.json": {**made_before, **argument}}

    writer = FileWriter()
    assert writer.fork_waiting(tmp_path, produce) == []  # no jobs
    assert writer.waiting
    made_before["loaded"] = "changed after the fork"  # the child keeps what it had
    assert not (tmp_path / "data").exists()  # nothing is made before the release
    writer.release({"bodies": "converted later"})
    assert not writer.waiting
    assert writer.wait() > 0
    assert int((tmp_path / "maker").read_text(encoding="utf-8")) != parent
    assert json.loads((tmp_path / "data/out.json").read_text(encoding="utf-8")) == {
        "loaded": "before the fork", "bodies": "converted later"}
    with pytest.raises(RuntimeError, match="no process waits"):
        writer.release({})


@pytest.mark.usefixtures("forkable")
def test_a_failure_after_the_release_is_raised_by_wait(tmp_path: Path) -> None:
    def produce(argument: str) -> dict[str, object]:
        raise ValueError(argument)

    writer = FileWriter()
    assert writer.fork_waiting(tmp_path, produce) == []
    writer.release("no site_url")
    with pytest.raises(RuntimeError, match=r"^ValueError: no site_url$"):
        writer.wait()


@pytest.mark.usefixtures("forkable")
def test_a_process_never_released_is_ended_by_stop_and_writes_nothing(tmp_path: Path) -> None:
    def produce(argument: object) -> dict[str, object]:
        return FILES

    writer = FileWriter()
    assert writer.fork_waiting(tmp_path, produce) == []
    process = writer._process  # the test looks at the process it must end
    assert process is not None and process.is_alive()
    writer.stop()
    assert not process.is_alive()
    assert not writer.waiting and writer.wait() == 0.0
    assert not (tmp_path / "data").exists()


def test_fork_waiting_forks_nothing_where_forking_is_not_safe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.setattr(background, "may_fork", lambda: False)
    writer = FileWriter()
    assert writer.fork_waiting(tmp_path, lambda argument: FILES, [lambda: 1]) is None
    assert not writer.waiting and writer.wait() == 0.0


@pytest.mark.usefixtures("forkable")
def test_the_early_process_does_its_jobs_first_and_sends_each_result(tmp_path: Path) -> None:
    parent = os.getpid()

    def fails() -> int:
        raise ValueError("no word forms")

    writer = FileWriter()
    results = writer.fork_waiting(tmp_path, lambda argument: {"data/out.txt": argument},
                                  [os.getpid, lambda: [1, 2], fails])
    assert results is not None and len(results) == 3
    child = results[0].result(timeout=30)
    assert child != parent
    assert results[1].result(timeout=30) == [1, 2]
    with pytest.raises(RuntimeError, match=r"^ValueError: no word forms$"):
        results[2].result(timeout=30)
    assert writer.waiting  # the jobs are done; the files wait for the release
    writer.release("released\n")
    assert writer.wait() > 0
    assert (tmp_path / "data/out.txt").read_text(encoding="utf-8") == "released\n"


@pytest.mark.usefixtures("forkable")
def test_without_files_to_make_the_early_process_ends_after_its_jobs(tmp_path: Path) -> None:
    writer = FileWriter()
    results = writer.fork_waiting(tmp_path, None, [lambda: "converted"])
    assert results is not None and results[0].result(timeout=30) == "converted"
    assert not writer.waiting
    assert writer.wait() == 0.0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("forkable")
def test_the_early_process_ends_by_itself_when_the_parent_lets_go_without_releasing(tmp_path: Path) -> None:
    """As when MkDocs' process dies: the child must not keep itself waiting with its own copy
    of the releasing end of the pipe."""
    writer = FileWriter()
    assert writer.fork_waiting(tmp_path, lambda argument: FILES) == []
    process = writer._process  # the test looks at the process
    assert process is not None and writer._release is not None
    writer._release.close()  # what this process's end does to the pipe
    process.join(timeout=30)
    assert process.exitcode == 0
    assert not (tmp_path / "data").exists()


def test_write_files_writes_each_pair_before_the_next_is_made(tmp_path: Path) -> None:
    """Pairs (as the exports' process gives them) are written as they come, so that the
    process holds one file's content at a time."""
    def files() -> Iterator[tuple[str, object]]:
        yield "data/documents/a.jsonld", {"id": "a"}
        assert (tmp_path / "data/documents/a.jsonld").is_file()  # written before "b" is made
        yield "data/documents/b.jsonld", {"id": "b"}

    background.write_files(tmp_path, files())
    assert json.loads((tmp_path / "data/documents/b.jsonld").read_text(encoding="utf-8")) == {"id": "b"}


@pytest.mark.usefixtures("forkable")
def test_files_started_after_a_process_of_jobs_only_are_waited_for(tmp_path: Path,
                                                                     capfd: pytest.CaptureFixture[str]) -> None:
    """As in `mkdocs build --dirty`: the helper converts the bodies only, and the exports are
    forked at `on_env`; `wait` must wait for (and report) the exports, not the helper."""
    writer = FileWriter()
    results = writer.fork_waiting(tmp_path, None, [lambda: "converted"])
    assert results is not None and results[0].result(timeout=30) == "converted"

    def produce() -> dict[str, object]:
        raise ValueError("the exports failed")

    writer.start(tmp_path, produce)
    with pytest.raises(RuntimeError, match=r"^ValueError: the exports failed$"):
        writer.wait()
    assert "Traceback" in capfd.readouterr().err
    writer.start(tmp_path, lambda: FILES)
    assert writer.wait() > 0
    assert (tmp_path / "data/g.csv").read_text(encoding="utf-8") == "id,term\n"
