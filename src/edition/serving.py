"""Under `mkdocs serve`, the errors of an edit are shown on the pages, over the last good build.

The hooks (`hooks/edition_site.py`) use this in two ways:

- an edit whose errors the check before a rebuild finds (the data, the front matter, the
  settings) is rebuilt with the last good data, and every page shows a notice listing the
  errors (`with_notice`);
- a rebuild that fails later (an error MkDocs, Material or a template raises while rendering,
  a front matter such as `template: missing.html`, a broken setting, a warning under
  `--strict`) would leave MkDocs' server answering nothing until a rebuild succeeds, and the
  browser on the old page without a sign. The hooks end such a rebuild themselves: the site
  folder as the last good build left it is put back (`LastGood`, set aside just before MkDocs
  empties the folder) and every page of it gets a notice with what the rebuild logged, as the
  terminal shows it (`Logged`, `show_on_every_page`); the server then reloads the browsers.

The next good build writes its pages afresh, without a notice.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import stat
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

_NOTICE = re.compile(r'<div class="ed-build-problems".*?</div>', re.DOTALL)
"""A notice as `notice` writes it (a paragraph and a list: no `div` inside)."""


def notice(lines: Sequence[str], heading: str) -> str:
    """The notice (HTML) with `heading` and `lines`, one item a line, as the terminal shows them."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return (f'<div class="ed-build-problems" role="alert"><p><strong>{html.escape(heading)}</strong>: '
            f"the page shows the last good build until they are fixed.</p><ul>{items}</ul></div>")


def with_notice(page: str, shown: str) -> str:
    """`page` (HTML) with the notice `shown` first in its body, in place of any it had."""
    page = _NOTICE.sub("", page)
    body = page.find("<body")
    at = page.find(">", body) + 1 if body >= 0 else 0
    return page[:at] + shown + page[at:]


def show_on_every_page(site: Path, shown: str) -> None:
    """Put the notice `shown` on every page (`.html` file) of the site folder `site`."""
    for path in site.rglob("*.html"):
        path.write_text(with_notice(path.read_text(encoding="utf-8"), shown), encoding="utf-8")


def copied_once(copies: Sequence[tuple[str, str | None]], written: Iterable[str]) -> dict[str, str]:
    """Of the static files to copy (their path in the site, and their source, if one), those
    whose path nothing else writes: neither another static file (copied in turn, the last one
    wins) nor a page or a template (`written`). A link there would be written through: the
    last good site's file would change too (see `LastGood.link_unchanged`)."""
    count = Counter(path for path, _ in copies)
    count.update(written)
    return {path: source for path, source in copies if source is not None and count[path] == 1}


@dataclass
class LastGood:
    """The site folder `site` as the last good build left it, set aside while a rebuild writes
    a new one in its place: put back if the rebuild fails, discarded if it succeeds. (MkDocs
    empties the folder at the start of a rebuild; setting it aside costs one rename, and
    removing it afterwards what emptying it did.)"""

    site: Path
    aside: Path | None = field(default=None, init=False)
    """A folder holding the last good site (as `site` in it), while it is set aside."""
    discarding: threading.Thread | None = field(default=None, init=False)
    """The thread removing the last good site once a rebuild succeeded (see `discard`)."""

    def set_aside(self) -> None:
        """Move the site folder aside and leave an empty one in its place."""
        if self.aside is not None or not self.site.is_dir():
            return
        aside = self.aside = Path(tempfile.mkdtemp(prefix=f".{self.site.name}.last-good-", dir=self.site.parent))
        self.site.rename(aside / "site")
        self.site.mkdir()

    def link_unchanged(self, copies: Iterable[tuple[str, str]]) -> set[str]:
        """Of `copies` (a file's source path, and its path in the site), those the last good
        site holds as the source is now, linked into the site in place of a copy (a hard link:
        nothing is written). Returns the site paths linked; the others are left to copy.

        A file is taken when the last good site's copy was written after the source last
        changed: the source's status change time (`st_ctime_ns`, which every write sets and no
        tool can set back, unlike the modification time `cp -p` or `touch` restore) and its
        modification time are both before the copy's modification time, and the sizes agree.
        (On Windows, before Python 3.12 changes it, `st_ctime_ns` is the creation time; the
        modification time is what tells an edit there.) A file system without hard links (or
        any other error) leaves the file to be copied.
        """
        linked: set[str] = set()
        if self.aside is None:
            return linked
        last = self.aside / "site"
        made: set[Path] = set()
        for source, destination in copies:
            old, new = last / destination, self.site / destination
            try:
                was, now = old.stat(), Path(source).stat()
                changed = max(now.st_ctime_ns, now.st_mtime_ns)
                if not stat.S_ISREG(was.st_mode) or was.st_size != now.st_size or changed >= was.st_mtime_ns:
                    continue
                if new.parent not in made:
                    new.parent.mkdir(parents=True, exist_ok=True)
                    made.add(new.parent)
                new.hardlink_to(old)
            except OSError:
                continue
            linked.add(destination)
        return linked

    def put_back(self) -> None:
        """The rebuild failed: what it wrote goes, and the last good site is the site again."""
        if self.aside is None:
            return
        shutil.rmtree(self.site, ignore_errors=True)
        (self.aside / "site").rename(self.site)
        self.aside.rmdir()
        self.aside = None

    def discard(self) -> None:
        """The rebuild succeeded: the last good site set aside is not needed any more. It is
        removed by a thread, so that the server answers meanwhile (the thread is not a daemon:
        the process ends only once the folder is gone)."""
        if self.aside is not None:
            self.discarding = threading.Thread(target=shutil.rmtree, args=(self.aside,), kwargs={"ignore_errors": True},
                                               name="edition-discard")
            self.discarding.start()
            self.aside = None


class Logged(logging.Handler):
    """What is logged at WARNING and above while this handler is attached, as the terminal shows it."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))

    def failure(self, error: BaseException) -> tuple[list[str], list[str]]:
        """Why a run failed with `error`, one line each: the lines it logged (its errors, or if it
        logged none, its warnings, which fail a `--strict` run), and those of `error`'s own
        message that they do not say (not logged: the caller says them)."""
        errors = [message for level, message in self.records if level >= logging.ERROR]
        logged = [line for message in errors or [message for _, message in self.records]
                  for line in message.splitlines() if line.strip()]
        said = [line for line in str(error).splitlines() if line.strip()] or [type(error).__name__]
        # MkDocs raises "Aborted with a BuildError!" once it has logged the BuildError itself.
        unsaid = [line for line in said
                  if line != "Aborted with a BuildError!" and not any(line in told for told in logged)]
        return logged, unsaid
