"""Under `mkdocs serve`, notice a change to a watched file at once, and still only once.

MkDocs' server watches its files with watchdog's polling observer: every half second a
thread per watched folder lists the folder and compares what it finds with its last list.
That works on every file system (network drives, containers' mounted folders), but an edit
waits a quarter of a second on average before the rebuild even starts, and the threads
listing folders share the interpreter with the rebuild.

`EitherObserver` keeps that observer and adds the system's own notifications (inotify on
Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows: watchdog's `Observer`), which
report a change as it happens. Each change reaches the server's handler once: whichever
observer reports a file in a given state (its modification time and size, or its absence)
first passes it on, and the other's report of that same state is dropped, so the polling
observer's late report does not start a second rebuild. Where the system's notifications
cannot watch a path (a limit reached, a file system without them), the polling observer
alone watches it, as before. Only changes count: the notifications of a file opened or
closed without writing (which reading the files during a rebuild would send) are dropped.

Device `watch` (`EDITION_OFF=watch`): at N = 200 (`benchmarks/README.md`, session 13), a note
edit showed on its page after 1.74 s (1.66-1.77) instead of 2.04 s (1.76-2.09), and a
glossary edit on every page after 1.74 s instead of 2.14 s (medians of 3, one run).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

if TYPE_CHECKING:
    from watchdog.observers.api import BaseObserver, ObservedWatch

log = logging.getLogger(__name__)

CHANGES = frozenset({"created", "modified", "deleted", "moved"})
"""The kinds of event that tell of a change (not `opened`, `closed`, `closed_no_write`)."""
NOTIFIED = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent,
            DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
"""What the system is asked to notify: changes only. Reading the files during a rebuild
opens and closes hundreds of them; with every notification asked for, the edition's own
work in a rebuild at N = 200 was 0.45-0.55 s, against 0.35-0.37 s with changes only (runs
minutes apart)."""


def _state(path: str) -> tuple[int, int] | None:
    """A file's modification time and size as of now; None when it is gone."""
    try:
        status = Path(path).stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


class _Reports:
    """Which state of each file has been reported to the server already (shared by both observers)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[int, int] | None] = {}

    def first(self, event: FileSystemEvent) -> bool:
        """Whether `event` is the first report of the state its file is in now."""
        if event.is_directory:
            return True  # the server ignores these
        source = os.fsdecode(event.src_path)
        states = {source: _state(source)}
        moved_to = getattr(event, "dest_path", "")  # watchdog < 4 gives it to moves only
        if moved_to:  # moved: gone from where it was, there where it went
            destination = os.fsdecode(moved_to)
            states = {source: None, destination: _state(destination)}
        with self._lock:
            new = {path: state for path, state in states.items()
                   if path not in self._seen or self._seen[path] != state}
            self._seen.update(new)
            return bool(new)


class _Once(FileSystemEventHandler):
    """Passes an event on to `handler` when it is a change not reported yet."""

    def __init__(self, handler: FileSystemEventHandler, reports: _Reports) -> None:
        super().__init__()
        self.handler = handler
        self.reports = reports

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type in CHANGES and self.reports.first(event):
            self.handler.dispatch(event)


class _Both:
    """One watch, held by both observers (or by the polling one only)."""

    def __init__(self, polling: ObservedWatch, native: ObservedWatch | None) -> None:
        self.polling = polling
        self.native = native


class EitherObserver:
    """Watches each path with `polling` (MkDocs' observer) and with the system's notifications;
    the server's handler hears each change once, from whichever observer reports it first.

    It has what MkDocs' server calls on its observer: `schedule`, `unschedule`, `start`,
    `stop` and `join`.
    """

    def __init__(self, polling: BaseObserver, native: BaseObserver | None = None) -> None:
        self.polling = polling
        self.native = native if native is not None else Observer()
        self._reports = _Reports()

    def schedule(self, event_handler: FileSystemEventHandler, path: str, *, recursive: bool = False,
                 **options: Any) -> _Both:
        native: ObservedWatch | None = None
        try:
            native = self.native.schedule(_Once(event_handler, self._reports), path, recursive=recursive,
                                          **{"event_filter": NOTIFIED, **options})
        except OSError as error:  # no notifications there (or too many watches): polled only
            log.debug("watching %s by polling only: %s", path, error)
        polling = self.polling.schedule(_Once(event_handler, self._reports), path, recursive=recursive, **options)
        return _Both(polling, native)

    def unschedule(self, watch: _Both) -> None:
        self.polling.unschedule(watch.polling)
        if watch.native is not None:
            self.native.unschedule(watch.native)

    def start(self) -> None:
        self.native.start()
        self.polling.start()

    def stop(self) -> None:
        self.native.stop()
        self.polling.stop()

    def join(self, timeout: float | None = None) -> None:
        for observer in (self.native, self.polling):
            if observer.is_alive():
                observer.join(timeout)
