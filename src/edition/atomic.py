"""Atomic builds: a build writes a folder beside the site folder and swaps it in only when complete.

MkDocs empties the site folder before it writes a page, so a build that fails or is killed
left an empty or half-written site: the last good site was lost. With an `AtomicSite`, the
build writes into `.<site>.building-<pid>` next to the site folder (same file system, so the
swap is a rename), and only a build that completed replaces the site, in one step where the
system can exchange two folders atomically (Linux `renameat2(RENAME_EXCHANGE)`), else by two
renames in a row. A failed build removes its folder; a killed one leaves it behind, and the
next build removes it.

`mkdocs serve` is left alone: it builds into a temporary folder of its own and serves the last
good build (see `hooks/edition_site.py`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

BUILDING = ".{name}.building-{pid}"
"""The folder a build writes, beside the site folder."""
REPLACED = ".{name}.replaced-{pid}"
"""Where the previous site goes for a moment, when the two folders cannot be exchanged at once."""
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux `renameat2`); False where the system cannot."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        renameat2 = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return bool(renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class AtomicSite:
    """The site folder of one build, written aside and swapped in when the build is complete."""

    def __init__(self, site: Path, *, dirty: bool = False) -> None:
        self.site = site.absolute()
        self.dirty = dirty
        """A `--dirty` build rebuilds only what changed: it starts from a copy of the site."""
        self.building = self.site.parent / BUILDING.format(name=self.site.name, pid=os.getpid())

    def start(self) -> Path:
        """Make the folder the build writes (and remove those of killed builds); return it."""
        self._remove_stale()
        shutil.rmtree(self.building, ignore_errors=True)
        self.site.parent.mkdir(parents=True, exist_ok=True)
        if self.dirty and self.site.is_dir():
            shutil.copytree(self.site, self.building, symlinks=True)
        else:
            self.building.mkdir()
        return self.building

    def finish(self) -> None:
        """The build is complete: make it the site, and remove the previous one."""
        if not self.site.exists():
            self.building.rename(self.site)
            return
        if _exchange(self.building, self.site):
            shutil.rmtree(self.building)  # now the previous site
            return
        replaced = self.site.parent / REPLACED.format(name=self.site.name, pid=os.getpid())
        self.site.rename(replaced)
        self.building.rename(self.site)
        shutil.rmtree(replaced)

    def abandon(self) -> None:
        """The build failed: remove what it wrote; the site is as it was."""
        shutil.rmtree(self.building, ignore_errors=True)

    def _remove_stale(self) -> None:
        """Remove the folders of builds that were killed (their process is gone); put back a
        site that a killed swap had moved aside."""
        for pattern in (BUILDING, REPLACED):
            for folder in self.site.parent.glob(pattern.format(name=self.site.name, pid="*")):
                pid = folder.name.rsplit("-", 1)[1]
                if pid.isdigit() and not _pid_alive(int(pid)):
                    if pattern is REPLACED and not self.site.exists():
                        folder.rename(self.site)
                    else:
                        shutil.rmtree(folder, ignore_errors=True)
