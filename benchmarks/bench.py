"""Benchmark the edition against what a user would build instead, from the same generated corpus.

    make bench                                   # the full run (N = 200 and 800), results.json
    .venv/bin/python -m benchmarks.bench --sizes 20 --rounds 1 --no-serve --no-real    # a quick look

For each size N, `benchmarks.corpus` generates a corpus of N transcript pages (about 3,600
words and 20 notes each) and G glossary terms (fixed seed), and four projects from it:

- `edition`: the edition (`mkdocs.yml`);
- `b1`: every note as a Python-Markdown footnote after its quote, with the same body and
  source; the glossary as `abbr` with every term and alias in its `glossary:` option; the
  same theme, search and `--strict` (`mkdocs-b1.yml`);
- `b1f`: B1 without the glossary (`mkdocs-b1f.yml`);
- `plain`: the transcripts alone (`mkdocs-plain.yml`).

Each is built with `python -m mkdocs build --strict` in a child process, in an order that
turns every round. Per build: wall time; CPU time (user + system of the child and of every
process it started, from `os.wait4`); the peak memory of the whole process tree (see
`TreeMemory`); the files and bytes written. The edition is built twice per round: as it is
(wall time, memory), and with `EDITION_PROCESSES=1` (its single-process CPU time; the
baselines are single processes anyway).

Then, unless told not to: `mkdocs serve` on the corpus of `--serve-pages` pages, with and
without `--dirty` (one note's title edited: seconds until its page shows it; one glossary
entry edited: seconds until every page that uses it shows it); `edition check` on it; the
real edition (this repository) built and served; and, with `--devices`, what each of the
edition's build-time devices buys (each switched off with `EDITION_OFF`, see
`hooks/edition_site.py`). `--json FILE` writes every figure (`benchmarks/results.json`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.corpus import NOTES_PER_PAGE, PART_SIZE, PROJECT_FOLDERS, ROOT, generate

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "EDITION_TIMINGS": "1"}
EDITION = "mkdocs.yml"
"""The generated corpus's config with the edition."""
CONFIGS = {"edition": EDITION, "b1": "mkdocs-b1.yml", "b1f": "mkdocs-b1f.yml", "plain": "mkdocs-plain.yml"}
"""The four projects of a generated corpus (see the module's docstring)."""
SINGLE = {"EDITION_PROCESSES": "1"}
DEVICES = {
    "search": "search sections handed to Material's index (else Material parses every page again)",
    "gc": "garbage collector paused while loading, and what is loaded and rendered frozen",
    "bodies": "note bodies converted in a worker process while MkDocs renders the pages",
    "exports": "exports written by a forked process while MkDocs renders the templates",
}
"""The edition's build-time devices, each switched off by naming it in `EDITION_OFF` (`hooks/edition_site.py`)."""
MEMORY = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
"""A folder in memory, where it exists: sites written there leave out this machine's slow disk."""
TIMINGS = re.compile(r"edition timings: load ([\d.]+) s, pages ([\d.]+) s, checks ([\d.]+) s, "
                     r"waiting for the exports ([\d.]+) s \(made in another process in ([\d.]+) s\), "
                     r"total (?P<total>[\d.]+) s")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class TreeMemory(threading.Thread):
    """The peak of the summed resident memory of a process and all its descendants.

    Every `interval` seconds it lists the tree (`/proc/<pid>/task/<tid>/children`, recursively)
    and adds up each process's resident set (`/proc/<pid>/statm`). Pages a forked worker still
    shares with its parent count once in each (as `ps` and the issue count a tree's memory),
    so for the edition's forked workers this is an upper bound. A peak shorter than the
    interval can be missed: the caller takes the larger of this and the main process's own
    peak (`ru_maxrss`, exact, from `wait4`).
    """

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_bytes = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            total = sum(_resident(pid) for pid in _tree(self.pid))
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop_event.wait(self.interval)

    def stop(self) -> float:
        """Stop, and return the peak in MiB."""
        self._stop_event.set()
        self.join()
        return self.peak_bytes / 2**20


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(child) for child in (task / "children").read_text(encoding="ascii").split())
        except OSError:  # it ended meanwhile
            continue
    return found


def _resident(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


@dataclass
class Run:
    """One build: wall seconds, peak RSS of MkDocs' process in MiB, the edition's own seconds,
    CPU seconds (user, system; with every child process), the whole tree's peak memory in
    MiB, and the files and bytes in the site."""

    seconds: float
    rss_mib: float
    edition: float | None = None
    user: float = 0.0
    system: float = 0.0
    tree_mib: float = 0.0
    files: int = 0
    bytes: int = 0

    @property
    def cpu(self) -> float:
        return self.user + self.system


@dataclass
class Result:
    """The builds of one size: `edition` and `plain` (kept for `benchmarks.budget`), and every
    project's by name in `runs` (`edition`, `edition-single`, `b1`, `b1f`, `plain`)."""

    pages: int
    terms: int
    plain: list[Run] = field(default_factory=list)
    edition: list[Run] = field(default_factory=list)
    runs: dict[str, list[Run]] = field(default_factory=dict)


def site_size(site: Path) -> tuple[int, int]:
    """The number of files in `site`, and their bytes."""
    files = size = 0
    for folder, _, names in os.walk(site):
        for name in names:
            files += 1
            size += (Path(folder) / name).lstat().st_size
    return files, size


def build(project: Path, config: str, site: Path, env: dict[str, str] | None = None) -> Run:
    """`python -m mkdocs build --strict` in a child process; fails loudly if the build fails."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(site)]
    run, output = measured(command, project, env)
    found = TIMINGS.search(output)
    run.edition = float(found.group("total")) if found else None
    run.files, run.bytes = site_size(site)
    return run


def measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[Run, str]:
    """Run `command` in a child process: its figures (wall and CPU time, its own and its tree's
    peak memory) and its output; fails loudly if it fails."""
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=cwd, env={**ENV, **(env or {})}, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as child:
        memory = TreeMemory(child.pid)
        memory.start()
        output = child.stdout.read() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        tree = memory.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(command[1:])} in {cwd} failed:\n{output[-5000:]}")
    rss = usage.ru_maxrss / 1024  # KiB on Linux
    return Run(seconds, rss, None, usage.ru_utime, usage.ru_stime, max(tree, rss)), output


def build_interleaved(project: Path, result: Result, rounds: int, site: Path) -> str:
    """Build `project` with the edition and plain, alternately, `rounds` times each (the order
    flips every round), into `site`, adding each run to `result`. The last build's site stays
    in `site`; returns its config file's name. (`benchmarks.budget` uses it.)"""
    config = ""
    for number in range(rounds):
        order = [(EDITION, result.edition), (CONFIGS["plain"], result.plain)]
        if number % 2:
            order.reverse()
        for config, runs in order:
            shutil.rmtree(site, ignore_errors=True)
            runs.append(build(project, config, site))
    return config


def build_all(project: Path, result: Result, rounds: int, site: Path) -> None:
    """Build the four projects, and the edition in one process, `rounds` times each; the order
    turns by one every round, so that none is always first or last."""
    kinds = [("edition", EDITION, None), ("edition-single", EDITION, SINGLE), ("b1", CONFIGS["b1"], None),
             ("b1f", CONFIGS["b1f"], None), ("plain", CONFIGS["plain"], None)]
    for number in range(rounds):
        for name, config, env in kinds[number % len(kinds):] + kinds[:number % len(kinds)]:
            shutil.rmtree(site, ignore_errors=True)
            run = build(project, config, site, env)
            result.runs.setdefault(name, []).append(run)
            print(f"  N={result.pages} round {number + 1} {name}: {run.seconds:.2f} s, CPU {run.cpu:.2f} s, "
                  f"tree {run.tree_mib:.0f} MiB, {run.files} files, {run.bytes / 1e6:.1f} MB", flush=True)
    shutil.rmtree(site, ignore_errors=True)
    result.edition, result.plain = result.runs["edition"], result.runs["plain"]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def figures(result: Result) -> dict[str, Any]:
    """The figures of one size, as `results.json` holds them: medians over the rounds."""
    out: dict[str, Any] = {}
    for name in CONFIGS:
        runs = result.runs[name]
        single = result.runs["edition-single"] if name == "edition" else runs  # the baselines: one process
        out[name] = {"wall_s": round(median([r.seconds for r in runs]), 3),
                     "cpu_s": round(median([r.cpu for r in runs]), 3),
                     "cpu_single_s": round(median([r.cpu for r in single]), 3),
                     "peak_tree_mib": round(median([r.tree_mib for r in runs]), 1),
                     "peak_main_mib": round(median([r.rss_mib for r in runs]), 1),
                     "files": runs[-1].files, "bytes": runs[-1].bytes}
        if name == "edition":
            out[name]["edition_own_s"] = round(median([r.edition for r in runs if r.edition is not None]), 3)
    out["ratios"] = {f"edition/{other}": {key: round(out["edition"][key] / out[other][key], 3)
                                          for key in ("wall_s", "cpu_s", "cpu_single_s", "peak_tree_mib", "files",
                                                      "bytes")}
                     for other in ("b1", "b1f", "plain")}
    out["rounds"] = len(result.runs["edition"])
    out["notes"], out["terms"] = result.pages * NOTES_PER_PAGE, result.terms
    return out


def size_table(sizes: dict[str, dict[str, Any]]) -> list[str]:
    """A Markdown table of the synthetic builds, per size and project, with the edition's ratios."""
    lines = ["| N | project | wall s | CPU s, all processes | CPU s, one process | peak MiB, whole tree "
             "| files | MB written | edition / this: wall | CPU one process | peak memory | bytes |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, figures_ in sizes.items():
        for name in CONFIGS:
            row = figures_[name]
            ratio = figures_["ratios"].get(f"edition/{name}")
            ratios = (f"**{ratio['wall_s']:.2f}×** | **{ratio['cpu_single_s']:.2f}×** | "
                      f"**{ratio['peak_tree_mib']:.2f}×** | {ratio['bytes']:.2f}×" if ratio else "– | – | – | –")
            lines.append(f"| {size} | {name} | {row['wall_s']:.2f} | {row['cpu_s']:.2f} | {row['cpu_single_s']:.2f} "
                         f"| {row['peak_tree_mib']:.0f} | {row['files']:,} | {row['bytes'] / 1e6:.1f} | {ratios} |")
    return lines


def real_builds(rounds: int, work: Path) -> list[Run]:
    """Full `--strict` builds of this repository's edition."""
    runs = []
    for _ in range(rounds):
        runs.append(build(ROOT, "mkdocs.yml", work / "real-site"))
        shutil.rmtree(work / "real-site", ignore_errors=True)
    return runs


def check_runs(project: Path, rounds: int) -> list[Run]:
    """`edition check` of `project`, timed as a build is."""
    return [measured([sys.executable, "-m", "edition", "check"], project)[0] for _ in range(rounds)]


def device_runs(project: Path, rounds: int, site: Path) -> dict[str, dict[str, float]]:
    """What each device buys: per round, the edition with every device on, and with each one
    off (`EDITION_OFF`), each built as it is and in one process, in an order that turns every
    round; per device, the medians of wall time, CPU time (all processes) and CPU time in one
    process with it off, with it on, and off/on."""
    kinds: list[tuple[str, dict[str, str]]] = [("on", {}), *((device, {"EDITION_OFF": device}) for device in DEVICES)]
    runs: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": [], "single": []} for name, _ in kinds}
    for number in range(rounds):
        for name, env in kinds[number % len(kinds):] + kinds[:number % len(kinds)]:
            for extra in ({}, SINGLE):
                shutil.rmtree(site, ignore_errors=True)
                run = build(project, EDITION, site, {**env, **extra})
                if extra:
                    runs[name]["single"].append(run.cpu)
                else:
                    runs[name]["wall"].append(run.seconds)
                    runs[name]["cpu"].append(run.cpu)
    shutil.rmtree(site, ignore_errors=True)
    on = {key: median(values) for key, values in runs["on"].items()}
    gains: dict[str, dict[str, float]] = {}
    for device in DEVICES:
        off = {key: median(values) for key, values in runs[device].items()}
        gains[device] = {**{f"{key}_off_s": round(off[key], 3) for key in off},
                         **{f"{key}_on_s": round(on[key], 3) for key in on},
                         **{f"{key}_off_over_on": round(off[key] / on[key], 3) for key in off}}
        print(f"  device {device}: off/on wall {gains[device]['wall_off_over_on']:.2f}×, CPU "
              f"{gains[device]['cpu_off_over_on']:.2f}×, CPU one process {gains[device]['single_off_over_on']:.2f}×",
              flush=True)
    return gains


def device_table(gains: dict[str, dict[str, float]]) -> list[str]:
    """A Markdown table of what each device buys (off/on: above 1, it saves that much)."""
    lines = ["| device | wall off/on | CPU off/on, all processes | CPU off/on, one process |", "|---|---:|---:|---:|"]
    lines += [f"| {device}: {DEVICES[device]} | {row['wall_off_over_on']:.2f}× | {row['cpu_off_over_on']:.2f}× "
              f"| {row['single_off_over_on']:.2f}× |" for device, row in gains.items()]
    return lines


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # localhost only
            body: bytes = response.read()
            return body.decode("utf-8")
    except OSError:
        return ""


@dataclass(frozen=True)
class ServeTarget:
    """What a serve benchmark edits and watches: an annotation file, a passage of it, and a page;
    optionally a glossary file, a passage of it, and the pages that show it."""

    project: Path
    annotations: str
    """The edited file, relative to the project."""
    passage: str
    """Text of a note title in that file, replaced by a marker on each edit."""
    page: str
    """URL path of the page that shows the note."""
    glossary: str = ""
    term: str = ""
    """The glossary file edited, and the `data-term` id of its links on the pages."""
    term_passage: str = ""


def real_target(work: Path) -> ServeTarget:
    """A copy of this repository's edition; a note title in `annotations/war.yml` is edited."""
    project = work / "serve"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in PROJECT_FOLDERS:
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    return ServeTarget(project, "annotations/war.yml", "The Nord Stream explosions", "/interview/")


def corpus_target(pages: int, terms: int, work: Path, part_size: int) -> ServeTarget:
    """A generated corpus of `pages` pages; the title of the first note of the first page is
    edited, and the translation of the glossary's first entry."""
    project = work / f"serve-{pages}"
    generate(project, pages, terms, part_size=part_size)
    first = "part-01/doc-1" if part_size else "doc-1"
    translation = re.search(r"(?m)^  translation: \"(.*)\"$",
                            (project / "glossary" / "term-1.yml").read_text(encoding="utf-8"))
    assert translation is not None
    return ServeTarget(project, "annotations/doc-1.yml", "Note 1:", f"/{first}/", "glossary/term-1.yml", "term-1",
                       translation.group(1))


def _wait_until(condition: Any, start: float, log_path: Path) -> float:
    while not condition():
        if time.perf_counter() - start > 600:
            raise SystemExit(f"the edit never showed:\n{log_path.read_text()}")
        time.sleep(0.01)
    return time.perf_counter() - start


def serve_rebuilds(edits: int, target: ServeTarget, work: Path, *, dirty: bool = False,
                   env: dict[str, str] | None = None) -> dict[str, list[float]]:
    """Under `mkdocs serve` (`--dirty`), edit one note's title `edits` times: seconds until the
    served page shows it (`note`), MkDocs' reported build seconds (`build`), the edition's own
    seconds (`own`); then, with a glossary file, edit one entry `edits` times: seconds until
    every page that links it shows the edit (`glossary`)."""
    project = target.project
    port = _free_port()
    log_path = work / f"serve-{project.name}{'-dirty' if dirty else ''}{len(env or ())}.log"
    results: dict[str, list[float]] = {"note": [], "build": [], "own": [], "glossary": []}
    edited = project / target.annotations
    original = edited.read_text(encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}",
               *(["--dirty"] if dirty else [])]
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log, subprocess.Popen(command, cwd=project, env={**ENV, **(env or {})}, stdout=log,
                                                     stderr=subprocess.STDOUT) as server:
        try:
            page = base + target.page
            deadline = time.monotonic() + 600
            while target.passage not in _get(page):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"mkdocs serve did not start:\n{log_path.read_text()}")
                time.sleep(0.1)
            for number in range(1, edits + 1):
                time.sleep(1.5)  # let the watcher settle
                marker = f"{target.passage} revision {number}{' dirty' if dirty else ''}"
                seen = log_path.read_text().count("edition timings")
                start = time.perf_counter()
                edited.write_text(original.replace(target.passage, marker, 1), encoding="utf-8")
                elapsed = _wait_until(lambda marker=marker: marker in _get(page), start, log_path)
                time.sleep(0.3)
                text = log_path.read_text()
                own = [float(m.group("total")) for m in TIMINGS.finditer(text)][seen:]
                built = [float(m) for m in re.findall(r"Documentation built in ([\d.]+) seconds", text)]
                results["note"].append(elapsed)
                results["build"].append(built[-1] if built else float("nan"))
                results["own"].append(own[0] if own else float("nan"))
                print(f"  serve {project.name}{' --dirty' if dirty else ''} note edit {number}: page updated after "
                      f"{elapsed:.2f} s, MkDocs build {results['build'][-1]:.2f} s, edition "
                      f"{results['own'][-1]:.3f} s", flush=True)
            if target.glossary:
                results["glossary"] = _glossary_edits(edits, target, base, log_path, dirty=dirty)
        finally:
            server.terminate()
            server.wait(timeout=60)
            edited.write_text(original, encoding="utf-8")  # as it was, for the next session
    return results


def _glossary_edits(edits: int, target: ServeTarget, base: str, log_path: Path, *, dirty: bool) -> list[float]:
    """Edit one glossary entry `edits` times: seconds until every page that links it shows the edit."""
    pages = _pages_linking(target, base)
    entry = target.project / target.glossary
    original = entry.read_text(encoding="utf-8")
    times = []
    try:
        for number in range(1, edits + 1):
            time.sleep(1.5)
            marker = f"{target.term_passage} revision {number}{' dirty' if dirty else ''}"
            start = time.perf_counter()
            entry.write_text(original.replace(target.term_passage, marker, 1), encoding="utf-8")
            for url in pages:  # each page, once it shows the edit, keeps showing it
                _wait_until(lambda url=url, marker=marker: marker in _get(url), start, log_path)
            times.append(time.perf_counter() - start)
            print(f"  glossary edit {number}: all {len(pages)} pages linking {target.term} updated after "
                  f"{times[-1]:.2f} s", flush=True)
    finally:
        entry.write_text(original, encoding="utf-8")
    return times


def _pages_linking(target: ServeTarget, base: str) -> list[str]:
    """The served pages that link the glossary entry `target.term` (read off the sitemap's pages)."""
    pages = []
    for path in sorted((target.project / "docs").rglob("*.md")):
        relative = path.relative_to(target.project / "docs").with_suffix("").as_posix()
        url = f"{base}/{'' if relative == 'index' else relative + '/'}"
        if f'data-term="{target.term}"' in _get(url):
            pages.append(url)
    return pages


def _serve_line(what: str, serve: dict[str, list[float]]) -> str:
    line = (f"{what}: one note edited, page updated after {median(serve['note']):.2f} s (median of "
            f"{len(serve['note'])}; {', '.join(f'{s:.2f}' for s in serve['note'])}); MkDocs rebuild "
            f"{median(serve['build']):.2f} s; edition's own work {median(serve['own']):.3f} s")
    if serve["glossary"]:
        line += (f"; one glossary entry edited, every page linking it updated after "
                 f"{median(serve['glossary']):.2f} s ({', '.join(f'{s:.2f}' for s in serve['glossary'])})")
    return line


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "unknown"


def _corpus_at_work(args: argparse.Namespace, work: Path, site: Path, report: dict[str, Any]) -> None:
    """`edition check`, the devices and `mkdocs serve` (with and without `--dirty`) on the
    corpus of `--serve-pages` pages."""
    rounds = max(args.rounds, 1)
    target = corpus_target(args.serve_pages, args.terms, work, args.part_size)
    check = check_runs(target.project, rounds)
    full = [build(target.project, EDITION, site) for _ in range(rounds)]
    shutil.rmtree(site, ignore_errors=True)
    report["check_s"] = round(median([r.seconds for r in check]), 3)
    report["check_cpu_s"] = round(median([r.cpu for r in check]), 3)
    report["check_build_s"] = round(median([r.seconds for r in full]), 3)
    report["check_over_build"] = round(report["check_s"] / report["check_build_s"], 3)
    print(f"  edition check N={args.serve_pages}: {report['check_s']:.2f} s against a build's "
          f"{report['check_build_s']:.2f} s", flush=True)
    if args.devices:
        report["devices"] = device_runs(target.project, rounds, site)
    if args.no_serve:
        return
    # Without --dirty, with --dirty, without the pages kept from build to build (the device
    # `pages`), without the system's change notifications (the device `watch`), with every
    # static file copied again (the device `links`), and with every item of the list of notes
    # made again (the device `parts`).
    sessions: list[tuple[str, bool, dict[str, str]]] = [("", False, {}), ("_dirty", True, {}),
                                                        ("_pages_off", False, {"EDITION_OFF": "pages"}),
                                                        ("_watch_off", False, {"EDITION_OFF": "watch"}),
                                                        ("_links_off", False, {"EDITION_OFF": "links"}),
                                                        ("_parts_off", False, {"EDITION_OFF": "parts"})]
    for key, dirty, env in sessions:
        serve = serve_rebuilds(rounds, target, work, dirty=dirty, env=env)
        report[f"serve{key}_edit_s"] = round(median(serve["note"]), 3)
        report[f"serve{key}_glossary_edit_s"] = round(median(serve["glossary"]), 3)
        report[f"serve{key}_runs"] = serve
        print(_serve_line(f"N={args.serve_pages} under `mkdocs serve{' --dirty' if dirty else ''}` {env or ''}",
                          serve), flush=True)


def _real_edition(args: argparse.Namespace, work: Path, report: dict[str, Any]) -> None:
    """This repository's edition: built, and served with one note edited."""
    rounds = max(args.rounds, 1)
    real = real_builds(rounds, work)
    report["build_s"] = round(median([r.seconds for r in real]), 3)
    report["build_own_s"] = round(median([r.edition for r in real if r.edition is not None]), 3)
    report["build_peak_tree_mib"] = round(median([r.tree_mib for r in real]), 1)
    print(f"  real edition: build {report['build_s']:.2f} s", flush=True)
    if not args.no_serve:
        serve = serve_rebuilds(rounds, real_target(work), work)
        report["real_serve_edit_s"] = round(median(serve["note"]), 3)
        report["real_serve_runs"] = serve
        print(_serve_line("Real edition under `mkdocs serve`", serve), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sizes", default="200,800", help="numbers of pages, comma-separated")
    parser.add_argument("--terms", type=int, default=300, help="glossary entries (G)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size")
    parser.add_argument("--large-rounds", type=int, default=1,
                        help="rounds for sizes above 400 pages (each takes minutes)")
    parser.add_argument("--no-real", action="store_true", help="skip the real edition (build and serve)")
    parser.add_argument("--no-serve", action="store_true", help="skip every `mkdocs serve` measurement")
    parser.add_argument("--serve-pages", type=int, default=200,
                        help="the generated corpus edited under `mkdocs serve` and checked by `edition check`")
    parser.add_argument("--devices", action="store_true",
                        help="also measure what each device buys, at the --serve-pages size")
    parser.add_argument("--part-size", type=int, default=PART_SIZE,
                        help=f"pages per folder (navigation section); 0: all at the top, one flat navigation "
                             f"(default {PART_SIZE})")
    parser.add_argument("--site-root", type=Path, default=None,
                        help="folder in which the synthetic builds write their site (default: the temporary "
                             "work folder; e.g. /dev/shm to take the disk's file-creation cost out)")
    parser.add_argument("--json", type=Path, default=None, help="write every figure to this file")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size]
    started = time.perf_counter()
    report: dict[str, Any] = {
        "machine": {"python": sys.version.split()[0], "cpus": os.cpu_count(), "loadavg_start": _loadavg(),
                    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "site_root": str(args.site_root or "temporary folder (disk)")},
        "sizes": {}}
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {_loadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as folder:
        work = Path(folder)
        site = (args.site_root or work) / f"edition-bench-site-{os.getpid()}"
        for size in sizes:
            rounds = args.rounds if size <= 400 else min(args.rounds, args.large_rounds)
            project = generate(work / f"corpus-{size}", size, args.terms, part_size=args.part_size)
            result = Result(size, args.terms)
            build_all(project, result, rounds, site)
            report["sizes"][str(size)] = figures(result)
            shutil.rmtree(project)
        if args.serve_pages and (args.devices or not args.no_serve):
            _corpus_at_work(args, work, site, report)
        if not args.no_real:
            _real_edition(args, work, report)
    report["machine"]["loadavg_end"] = _loadavg()
    report["seconds"] = round(time.perf_counter() - started)
    print()
    print("\n".join(size_table(report["sizes"])))
    if "devices" in report:
        print("\n" + "\n".join(device_table(report["devices"])))
    print(f"\n(benchmark took {report['seconds']} s; load average at the start {report['machine']['loadavg_start']}, "
          f"at the end {report['machine']['loadavg_end']})")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
