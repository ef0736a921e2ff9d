"""Benchmark the edition layer: synthetic corpora (edition vs plain MkDocs) and the real edition.

    make bench                                   # the full run (sizes 50, 200, 800)
    .venv/bin/python -m benchmarks.bench --sizes 50 --rounds 1 --no-serve    # a quick look

For each size N, a corpus of N transcript pages (about 3,600 words and 20 notes each) and G
glossary terms is generated (fixed seed) and built with `python -m mkdocs build --strict`
in a subprocess, alternately with the edition layer and without it (plain MkDocs +
Material with the same pages), for several rounds. Wall time and peak RSS are measured per
child process (`os.wait4`). Then the real edition (this repository) is built, and served
with `mkdocs serve`: an annotation file is edited and the time until the served page shows
the change is measured, with the edition's own share as logged under `EDITION_TIMINGS=1`.
`--serve-pages N` does the same on a generated corpus of N pages.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.corpus import NOTES_PER_PAGE, PART_SIZE, PROJECT_FOLDERS, ROOT, generate

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "EDITION_TIMINGS": "1"}
EDITION = "mkdocs.yml"
"""The generated corpus's config with the edition (`mkdocs-plain.yml` is without it)."""
MEMORY = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
"""A folder in memory, where it exists: sites written there leave out this machine's slow disk."""
TIMINGS = re.compile(r"edition timings: load ([\d.]+) s, pages ([\d.]+) s, checks ([\d.]+) s, "
                     r"waiting for the exports ([\d.]+) s \(made in another process in ([\d.]+) s\), "
                     r"total (?P<total>[\d.]+) s")


@dataclass
class Run:
    """One build: wall seconds, peak RSS in MiB, CPU seconds (user, system), the edition's own seconds."""

    seconds: float
    rss_mib: float
    edition: float | None = None
    user: float = 0.0
    system: float = 0.0


@dataclass
class Result:
    """The builds of one size."""

    pages: int
    terms: int
    plain: list[Run] = field(default_factory=list)
    edition: list[Run] = field(default_factory=list)


def build(project: Path, config: str, site: Path) -> Run:
    """`python -m mkdocs build --strict` in a child process; fails loudly if the build fails."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(site)]
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as child:
        output = child.stdout.read() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"build of {project / config} failed:\n{output[-5000:]}")
    found = TIMINGS.search(output)
    # ru_maxrss is in KiB on Linux.
    return Run(seconds, usage.ru_maxrss / 1024, float(found.group("total")) if found else None, usage.ru_utime,
               usage.ru_stime)


def bench_size(pages: int, terms: int, rounds: int, work: Path, site: Path, *, part_size: int = PART_SIZE
               ) -> Result:
    """Generate a corpus of `pages` pages and build it `rounds` times each way, interleaved, into `site`."""
    project = generate(work / f"corpus-{pages}", pages, terms, part_size=part_size)
    result = Result(pages, terms)
    build_interleaved(project, result, rounds, site)
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(project)
    return result


def build_interleaved(project: Path, result: Result, rounds: int, site: Path) -> str:
    """Build `project` with the edition and plain, alternately, `rounds` times each (the order
    flips every round), into `site`, adding each run to `result`. The last build's site stays
    in `site`; returns its config file's name."""
    config = ""
    for number in range(rounds):
        order = [(EDITION, result.edition), ("mkdocs-plain.yml", result.plain)]
        if number % 2:
            order.reverse()
        for config, runs in order:
            shutil.rmtree(site, ignore_errors=True)
            run = build(project, config, site)
            runs.append(run)
            print(f"  N={result.pages} round {number + 1} {'edition' if config == EDITION else 'plain'}: "
                  f"{run.seconds:.2f} s (CPU user {run.user:.2f} s, system {run.system:.2f} s), "
                  f"{run.rss_mib:.0f} MiB", flush=True)
    return config


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def size_table(results: list[Result]) -> list[str]:
    """A Markdown table of the synthetic builds."""
    lines = [
        "| N pages | G terms | notes | rounds | plain s | edition s | ratio | plain ms/page | edition ms/page "
        "| edition's own s | plain CPU s (user+sys) | edition CPU s (user+sys) | plain peak MiB "
        "| edition peak MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        plain = median([r.seconds for r in result.plain])
        edition = median([r.seconds for r in result.edition])
        own = median([r.edition for r in result.edition if r.edition is not None])
        lines.append(
            f"| {result.pages} | {result.terms} | {result.pages * NOTES_PER_PAGE} | {len(result.edition)} "
            f"| {plain:.2f} | {edition:.2f} | {edition / plain:.2f}× | {1000 * plain / result.pages:.1f} "
            f"| {1000 * edition / result.pages:.1f} | {own:.2f} | {_cpu(result.plain)} | {_cpu(result.edition)} "
            f"| {max(r.rss_mib for r in result.plain):.0f} | {max(r.rss_mib for r in result.edition):.0f} |")
    by_size = {result.pages: result for result in results}
    if 200 in by_size and 800 in by_size:
        small, large = by_size[200], by_size[800]

        def growth(runs: str) -> float:
            return median([r.seconds for r in getattr(large, runs)]) / median([r.seconds for r in getattr(small, runs)])

        memory_ratio = max(r.rss_mib for r in large.edition) / max(r.rss_mib for r in small.edition)
        extra = [median([r.seconds for r in res.edition]) - median([r.seconds for r in res.plain])
                 for res in (small, large)]
        lines += ["", f"N=200 → N=800: edition time × {growth('edition'):.2f}, peak memory × {memory_ratio:.2f}; "
                      f"plain MkDocs time × {growth('plain'):.2f}; the edition's extra time (edition − plain) "
                      f"× {extra[1] / extra[0]:.2f}."]
    return lines


def _cpu(runs: list[Run]) -> str:
    return f"{median([r.user for r in runs]):.2f}+{median([r.system for r in runs]):.2f}"


def real_builds(rounds: int, work: Path) -> list[Run]:
    """Full `--strict` builds of this repository's edition."""
    runs = []
    for _ in range(rounds):
        runs.append(build(ROOT, "mkdocs.yml", work / "real-site"))
        shutil.rmtree(work / "real-site", ignore_errors=True)
    return runs


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
    """What a serve benchmark edits and watches: an annotation file, a passage of it, and a page."""

    project: Path
    annotations: str
    """The edited file, relative to the project."""
    passage: str
    """Text of a note title in that file, replaced by a marker on each edit."""
    page: str
    """URL path of the page that shows the note."""


def real_target(work: Path) -> ServeTarget:
    """A copy of this repository's edition; a note title in `annotations/war.yml` is edited."""
    project = work / "serve"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in PROJECT_FOLDERS:
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    return ServeTarget(project, "annotations/war.yml", "The Nord Stream explosions", "/interview/")


def corpus_target(pages: int, terms: int, work: Path, part_size: int) -> ServeTarget:
    """A generated corpus of `pages` pages; the title of the first note of the first page is edited."""
    project = work / f"serve-{pages}"
    generate(project, pages, terms, part_size=part_size)
    first = "part-01/doc-1" if part_size else "doc-1"
    return ServeTarget(project, "annotations/doc-1.yml", "Note 1:", f"/{first}/")


def serve_rebuilds(edits: int, target: ServeTarget, work: Path) -> list[tuple[float, float, float]]:
    """Edit one annotation file under `mkdocs serve`; per edit: (seconds until the served page
    shows it, MkDocs' reported build seconds, the edition's own seconds)."""
    project = target.project
    port = _free_port()
    log_path = work / f"serve-{project.name}.log"
    results: list[tuple[float, float, float]] = []
    edited = project / target.annotations
    original = edited.read_text(encoding="utf-8")
    with log_path.open("w") as log, subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
            cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT) as server:
        try:
            page = f"http://127.0.0.1:{port}{target.page}"
            deadline = time.monotonic() + 600
            while target.passage not in _get(page):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"mkdocs serve did not start:\n{log_path.read_text()}")
                time.sleep(0.1)
            for number in range(1, edits + 1):
                time.sleep(1.5)  # let the watcher settle
                marker = f"{target.passage} revision {number}"
                seen = log_path.read_text().count("edition timings")
                start = time.perf_counter()
                edited.write_text(original.replace(target.passage, marker, 1), encoding="utf-8")
                while marker not in _get(page):
                    if time.perf_counter() - start > 600:
                        raise SystemExit(f"the edit never showed:\n{log_path.read_text()}")
                    time.sleep(0.01)
                elapsed = time.perf_counter() - start
                time.sleep(0.3)
                text = log_path.read_text()
                own = [float(m.group("total")) for m in TIMINGS.finditer(text)][seen:]
                built = [float(m) for m in re.findall(r"Documentation built in ([\d.]+) seconds", text)]
                results.append((elapsed, built[-1] if built else float("nan"), own[0] if own else float("nan")))
                print(f"  serve {project.name} edit {number}: page updated after {elapsed:.2f} s, MkDocs build "
                      f"{results[-1][1]:.2f} s, edition {results[-1][2]:.3f} s", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return results


def _serve_line(what: str, serve: list[tuple[float, float, float]]) -> str:
    return (f"{what} under `mkdocs serve`, one annotation file edited (median of {len(serve)}): "
            f"page updated after {median([s[0] for s in serve]):.2f} s; MkDocs rebuild "
            f"{median([s[1] for s in serve]):.2f} s; edition's own work {median([s[2] for s in serve]):.3f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="50,200,800", help="numbers of pages, comma-separated")
    parser.add_argument("--terms", type=int, default=300, help="glossary entries (G)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per size")
    parser.add_argument("--large-rounds", type=int, default=1,
                        help="rounds for sizes above 400 pages (each takes minutes)")
    parser.add_argument("--no-real", action="store_true", help="skip the real edition (build and serve)")
    parser.add_argument("--no-serve", action="store_true", help="skip the `mkdocs serve` rebuilds")
    parser.add_argument("--serve-pages", type=int, default=0,
                        help="also edit a note under `mkdocs serve` on a generated corpus of this many pages")
    parser.add_argument("--part-size", type=int, default=PART_SIZE,
                        help=f"pages per folder (navigation section); 0: all at the top, one flat navigation "
                             f"(default {PART_SIZE})")
    parser.add_argument("--site-root", type=Path, default=None,
                        help="folder in which the synthetic builds write their site (default: the temporary "
                             "work folder; e.g. /dev/shm to take the disk's file-creation cost out)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size]
    results: list[Result] = []
    started = time.perf_counter()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as folder:
        work = Path(folder)
        for size in sizes:
            rounds = args.rounds if size <= 400 else min(args.rounds, args.large_rounds)
            site = (args.site_root or work) / f"edition-bench-site-{os.getpid()}"
            results.append(bench_size(size, args.terms, rounds, work, site, part_size=args.part_size))
        real = [] if args.no_real else real_builds(max(args.rounds, 1), work)
        edits = max(args.rounds, 1)
        serve = [] if args.no_real or args.no_serve else serve_rebuilds(edits, real_target(work), work)
        serve_corpus = serve_rebuilds(edits, corpus_target(args.serve_pages, args.terms, work, args.part_size),
                                      work) if args.serve_pages else []
    print()
    print("\n".join(size_table(results)))
    if real:
        own = [r.edition for r in real if r.edition is not None]
        print(f"\nReal edition, full `mkdocs build --strict` (median of {len(real)}): "
              f"{median([r.seconds for r in real]):.2f} s, edition's own work {median(own):.3f} s, "
              f"peak {max(r.rss_mib for r in real):.0f} MiB")
    if serve:
        print(_serve_line("Real edition", serve))
    if serve_corpus:
        print(_serve_line(f"Generated corpus of {args.serve_pages} pages", serve_corpus))
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
