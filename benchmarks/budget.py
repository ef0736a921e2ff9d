"""What 1.25 × plain MkDocs leaves for the edition, against what its libraries alone cost.

    make budget                                   # N = 200, sites in /dev/shm when it exists
    .venv/bin/python -m benchmarks.budget --help

The benchmark's target is an edition build at most 1.25 × the plain build's wall time. On
a machine with C cores, no schedule can do better than (CPU time of the build) / C, so the
edition's extra CPU time (beyond what the plain build does) must stay under

    budget = C × 1.25 × plain wall time − plain CPU time

even if every core were busy from MkDocs' start to its end (they cannot be: MkDocs builds
the pages and renders the templates in one process, and the other cores can start only
after the configuration is read).

This script builds the same generated corpus as `bench.py`, plain and with the edition
(interleaved), and then times, in this process, the calls into libraries that any edition
of these notes must make, whatever its own code, each once per text or file:

- PyYAML's C composer on every data file, without resolving any scalar's type
  (`CBaseLoader`: less than the edition needs; the nodes keep the line and column of every
  value, which the `file:line` of every problem needs);
- Python-Markdown (the bodies' dialect: `sane_lists`) on every note body and definition;
- `nh3` (the sanitiser the bodies must pass) on each body's HTML, with the edition's
  allow-list;
- the JSON encoder and a file write for each export file the edition build wrote (one
  JSON-LD file per note and per glossary link, as the W3C export requires).

It prints the budget, this floor, and what is left of the budget for everything else the
edition does (anchoring, term links, highlights, endnotes, checks, search entries, the
glossary and index pages, the word forms, the larger pages in MkDocs and its templates).
Nothing here is part of the tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import markdown
import yaml

from benchmarks.bench import EDITION, MEMORY, Result, Run, build, build_interleaved
from benchmarks.corpus import PART_SIZE, generate
from edition.loading import load_corpus
from edition.render import sanitize

TARGET = 1.25


def best_of(rounds: int, work: Callable[[str], object], items: list[str]) -> float:
    """The shortest of `rounds` timed runs of `work` over `items` (seconds): the fairest floor.

    Results are dropped as they come and the collector is paused (as the edition pauses it
    while loading): kept results would make each collection scan all of them again.
    """
    times = []
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            for item in items:
                work(item)
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def note_texts(project: Path) -> list[str]:
    """Every note body and glossary definition of the generated corpus, as the edition loads them."""
    loaded = load_corpus(project / "annotations", project / "glossary", project)
    return [text for text, _ in loaded.corpus.markdown_fields]


def library_floor(project: Path, site: Path, rounds: int) -> dict[str, float]:
    """Seconds of each library call the edition cannot do without (see the module's docstring)."""
    data_files = [file.read_text(encoding="utf-8") for folder in ("annotations", "glossary", "index")
                  for file in sorted((project / folder).glob("*.yml"))]
    texts = note_texts(project)
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")

    def convert(text: str) -> str:
        md.reset()
        return md.convert(text)

    html = [convert(text) for text in texts]
    exports = [file.relative_to(site).as_posix() for file in sorted((site / "data").rglob("*.json*"))]
    data = {name: json.loads((site / name).read_bytes()) for name in exports}
    with tempfile.TemporaryDirectory(dir=site.parent) as folder:
        out = Path(folder)
        for name in exports:
            (out / name).parent.mkdir(parents=True, exist_ok=True)

        def write_export(name: str) -> None:
            (out / name).write_text(json.dumps(data[name], ensure_ascii=False, separators=(",", ":")),
                                    encoding="utf-8")

        floor = {
            f"YAML composed with places ({len(data_files)} files)":
                best_of(rounds, lambda text: yaml.compose(text, Loader=yaml.CBaseLoader), data_files),
            f"Python-Markdown on the notes ({len(texts)} texts)": best_of(rounds, convert, texts),
            f"nh3 on their HTML ({len(html)} texts)": best_of(rounds, sanitize, html),
            f"JSON encoded and written ({len(exports)} export files)": best_of(rounds, write_export, exports),
        }
    return floor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="pages of the generated corpus (N)")
    parser.add_argument("--terms", type=int, default=300, help="glossary entries (G)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="builds of each kind, interleaved; timed runs of each call")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1, help="cores the build may use")
    parser.add_argument("--site-root", type=Path, default=MEMORY,
                        help="where the sites are written (default: /dev/shm when it exists)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="edition-budget-") as folder:
        work = Path(folder)
        project = generate(work / "corpus", args.pages, args.terms, part_size=PART_SIZE)
        site = (args.site_root or work) / f"edition-budget-site-{os.getpid()}"
        result = Result(args.pages, args.terms)
        try:
            if build_interleaved(project, result, args.rounds, site) != EDITION:  # a site with the exports
                build(project, EDITION, site)
            floor = library_floor(project, site, args.rounds)
        finally:
            shutil.rmtree(site, ignore_errors=True)
    plain, edition = result.plain, result.edition

    def cpu(runs: list[Run]) -> float:
        return statistics.median(run.user + run.system for run in runs)

    plain_wall, edition_wall = (statistics.median(run.seconds for run in runs) for runs in (plain, edition))
    budget = args.cores * TARGET * plain_wall - cpu(plain)
    used = sum(floor.values())
    print(f"N = {args.pages}, G = {args.terms}, {args.cores} cores, medians of {args.rounds} interleaved builds")
    print(f"plain MkDocs:  wall {plain_wall:.2f} s, CPU {cpu(plain):.2f} s")
    print(f"edition:       wall {edition_wall:.2f} s, CPU {cpu(edition):.2f} s "
          f"({edition_wall / plain_wall:.2f} × plain; no schedule could beat "
          f"{cpu(edition) / args.cores / plain_wall:.2f} × with this CPU time on {args.cores} cores)")
    print(f"budget for the edition's extra CPU at {TARGET} ×: {args.cores} × {TARGET} × {plain_wall:.2f} − "
          f"{cpu(plain):.2f} = {budget:.2f} s (the edition's now: {cpu(edition) - cpu(plain):.2f} s)")
    print("library calls the edition cannot do without (best of "
          f"{args.rounds}, in one process):")
    for what, seconds in floor.items():
        print(f"  {seconds:6.2f} s  {what}")
    print(f"  {used:6.2f} s  in all: {used / budget:.0%} of the budget; {budget - used:.2f} s left for "
          "everything else, with every core busy for the whole build")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
