"""`edition.watching`: under `mkdocs serve`, a change is heard at once, and once."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import pytest
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from edition.watching import EitherObserver

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path


class _Server(FileSystemEventHandler):
    """What MkDocs' server's handler does with an event: a rebuild for any file's."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[str] = []
        self.changed = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.heard.append(event.event_type)
            self.changed.set()


def _wait_for(condition: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def watching(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[EitherObserver, _Server]]:
    """An observer over `tmp_path` whose polling looks every `request.param` seconds."""
    observer = EitherObserver(PollingObserver(timeout=request.param))
    server = _Server()
    observer.schedule(server, str(tmp_path), recursive=True)
    observer.start()
    try:
        yield observer, server
    finally:
        observer.stop()
        observer.join(10)


@pytest.mark.parametrize("watching", [3600.0], indirect=True)
def test_a_change_is_heard_without_waiting_for_the_polling(tmp_path: Path,
                                                           watching: tuple[EitherObserver, _Server]) -> None:
    """The polling observer would not look for an hour: the system's notification tells."""
    _, server = watching
    (tmp_path / "notes.yml").write_text("- id: a\n", encoding="utf-8")
    assert server.changed.wait(20)


@pytest.mark.parametrize("watching", [0.05], indirect=True)
def test_each_change_is_passed_on_once(tmp_path: Path, watching: tuple[EitherObserver, _Server]) -> None:
    """Both observers report the edit; the server hears it from one of them, and reading the
    file (which the system reports as opened and closed) is no change."""
    _, server = watching
    notes = tmp_path / "notes.yml"
    notes.write_text("- id: a\n", encoding="utf-8")
    assert _wait_for(lambda: bool(server.heard))
    time.sleep(0.5)  # ten polls: the polling observer has reported the file by now
    heard = len(server.heard)
    assert 1 <= heard <= 2, server.heard  # created (and, from the notification, its first write)
    notes.read_text(encoding="utf-8")
    time.sleep(0.5)
    assert len(server.heard) == heard, server.heard
    notes.write_text("- id: b\n", encoding="utf-8")
    assert _wait_for(lambda: len(server.heard) > heard)
    time.sleep(0.5)
    assert server.heard[heard:] == ["modified"], server.heard
    notes.unlink()
    assert _wait_for(lambda: server.heard[-1] == "deleted")
    time.sleep(0.5)
    assert server.heard[heard + 1:] == ["deleted"], server.heard


def test_a_path_without_notifications_is_still_polled(tmp_path: Path) -> None:
    """Where the system cannot watch a path, the polling observer alone does, as in MkDocs."""

    class NoNotifications(PollingObserver):
        def schedule(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
            raise OSError(28, "inotify watch limit reached")

    observer = EitherObserver(PollingObserver(timeout=0.05), NoNotifications())
    server = _Server()
    watch = observer.schedule(server, str(tmp_path), recursive=True)
    assert watch.native is None
    observer.start()
    try:
        (tmp_path / "notes.yml").write_text("- id: a\n", encoding="utf-8")
        assert server.changed.wait(20)
        observer.unschedule(watch)
    finally:
        observer.stop()
        observer.join(10)
