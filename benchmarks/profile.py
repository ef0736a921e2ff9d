"""Where the time goes: one build of the generated corpus under a sampling profiler.

    make profile                                  # N = 200, plain and edition
    .venv/bin/python -m benchmarks.profile --help

The corpus of `bench.py` is built in this process (sites written to `/dev/shm` when it
exists), plain and with the edition, each under `pyinstrument`, a statistical profiler that
records the stack once a millisecond. Its hook still runs on every call, as cProfile's
does, and the builds take about twice as long under it (the edition's at N = 200: 6.1 s
alone, 12 s under pyinstrument, 14.6 s under cProfile): read its shares, not its seconds.
The edition's build runs with `EDITION_PROCESSES=1`, so that all its work happens where
the profiler sees it (in a normal build the other core converts the note bodies and makes
the word forms and the exports).

It prints, for each build, the time spent in each package's own code (self time: a
function's samples minus those of what it calls), and the functions with the most self
time. `--html FOLDER` also writes pyinstrument's interactive call trees there.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.__main__ import cli
from pyinstrument import Profiler

from benchmarks.bench import EDITION, MEMORY
from benchmarks.corpus import PART_SIZE, generate

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pyinstrument.frame import Frame

PACKAGES = ("edition", "markdown", "pymdownx", "mkdocs", "material", "jinja2", "yaml", "markupsafe", "nh3",
            "fastjsonschema", "jsonschema", "pymorphy3", "rapidfuzz", "iuliia", "hooks")
"""Folders named in a frame's file path that give its package (the first found from the end)."""


def package(file_path: str | None) -> str:
    """The package a frame's code belongs to: one of `PACKAGES`, "Python" (its standard library) or "other"."""
    if not file_path:
        return "other"
    parts = Path(file_path).parts
    for part in reversed(parts[:-1]):
        if part in PACKAGES:
            return part
    return "Python" if "site-packages" not in parts and "python3" in file_path else "other"


def self_times(root: Frame) -> Iterator[tuple[str, str, float]]:
    """(package, function, seconds) of each sample's own time under `root`.

    pyinstrument records a function's own time in synthetic `[self]` frames under it, and
    a C function (`str.join`, `Pattern.sub`, an nh3 or libyaml call) as a `<built-in>`
    frame. Both are counted for the nearest Python function above them: its package, and
    its name (with the C function's, "str.join in serialize").
    """
    stack: list[tuple[Frame, Frame | None, Frame | None]] = [(root, None, None)]  # frame, its parent, Python caller
    while stack:
        frame, parent, caller = stack.pop()
        if frame.is_synthetic:
            if parent is not None and caller is not None:
                name = _name(caller) if parent is caller else f"{parent.function} in {_name(caller)}"
                yield package(caller.file_path), name, frame.time
            continue
        python = frame if frame.file_path != "<built-in>" or caller is None else caller
        stack.extend((child, frame, python) for child in frame.children)


def _name(frame: Frame) -> str:
    return f"{frame.function} ({frame.file_path_short}:{frame.line_no})"


def profile(project: Path, config: str, site: Path, html: Path | None) -> Frame:
    """Build `config` of `project` in this process under the profiler; the root of its call tree."""
    cwd = Path.cwd()
    os.chdir(project)
    profiler = Profiler(interval=0.001)
    try:
        profiler.start()
        try:
            cli.main(["build", "--strict", "--quiet", "-f", config, "-d", str(site)], standalone_mode=False)
        finally:
            profiler.stop()
    finally:
        os.chdir(cwd)
    if html is not None:
        html.mkdir(parents=True, exist_ok=True)
        (html / f"{Path(config).stem}.html").write_text(profiler.output_html(), encoding="utf-8")
    root = profiler.last_session.root_frame() if profiler.last_session else None
    if root is None:
        raise SystemExit(f"no samples for {config}")
    return root


def report(name: str, root: Frame, top: int) -> list[str]:
    by_package: defaultdict[str, float] = defaultdict(float)
    by_function: defaultdict[str, float] = defaultdict(float)
    for where, function, seconds in self_times(root):
        by_package[where] += seconds
        by_function[function] += seconds
    lines = [f"## {name}: {root.time:.2f} s sampled", "", "| package | self s | share |", "|---|---:|---:|"]
    lines += [f"| {what} | {seconds:.2f} | {seconds / root.time:.0%} |" for what, seconds in _largest(by_package)]
    lines += ["", "| function | self s |", "|---|---:|"]
    lines += [f"| `{what}` | {seconds:.3f} |" for what, seconds in _largest(by_function)[:top]]
    return [*lines, ""]


def _largest(seconds: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(seconds.items(), key=lambda item: -item[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="pages of the generated corpus (N)")
    parser.add_argument("--terms", type=int, default=300, help="glossary entries (G)")
    parser.add_argument("--top", type=int, default=25, help="functions listed per build")
    parser.add_argument("--html", type=Path, default=None, help="also write pyinstrument's call trees here")
    parser.add_argument("--site-root", type=Path, default=MEMORY,
                        help="where the sites are written (default: /dev/shm when it exists: this machine's "
                             "disk makes creating files slow and erratic, see the README)")
    args = parser.parse_args(argv)
    os.environ.update({"NO_MKDOCS_2_WARNING": "1", "EDITION_PROCESSES": "1"})
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    with tempfile.TemporaryDirectory(prefix="edition-profile-") as folder:
        work = Path(folder)
        project = generate(work / "corpus", args.pages, args.terms, part_size=PART_SIZE)
        sites = Path(tempfile.mkdtemp(prefix="edition-profile-", dir=args.site_root))
        try:
            roots = {name: profile(project, config, sites / name, args.html)
                     for name, config in (("plain", "mkdocs-plain.yml"), ("edition", EDITION))}
        finally:
            shutil.rmtree(sites)
    print(f"# Profile of one build, N = {args.pages}, G = {args.terms} (pyinstrument, 1 ms; EDITION_PROCESSES=1)\n")
    for name, root in roots.items():
        print("\n".join(report(name, root, args.top)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
