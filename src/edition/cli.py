"""`edition check`: validate every annotation and glossary file without building the site.

It reads `mkdocs.yml`, loads the data exactly as the build does (same `EditionState`,
same JSON Schemas), and renders each document page with the same Markdown extensions,
so the check and the build cannot disagree.

Exit codes: 0 no problems, 1 problems found, 2 usage error (bad arguments, no config).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import markdown

from edition.extension import EditionExtension
from edition.pages import site_problems
from edition.state import EditionState

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from edition.problems import Problem

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _github(problem: Problem) -> str:
    """A GitHub Actions workflow command, shown inline on the pull request's diff."""
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    kind = "error" if problem.is_error else "warning"
    return (f"::{kind} file={problem.path},line={max(problem.line, 1)},col={problem.col}::"
            f"{escape(problem.message)} — {escape(problem.hint)}")


FORMATS: dict[str, Callable[[Problem], str]] = {"text": str, "github": _github}


def check(config_file: Path) -> list[Problem]:
    """Every problem in the edition configured by `config_file`."""
    from mkdocs.config import load_config  # noqa: PLC0415 - MkDocs is only needed by this command
    from mkdocs.utils.meta import get_data  # noqa: PLC0415

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(str(config_file))
    options = dict(config.mdx_configs.get("edition", {}))
    state = EditionState(EditionExtension(**options).options(), defer_errors=True)
    extensions = [EditionExtension(state=state, **options) if name == "edition" else name
                  for name in config.markdown_extensions]
    configs = {name: value for name, value in config.mdx_configs.items() if name != "edition"}
    docs = Path(config.docs_dir)
    for page in sorted(docs.rglob("*.md")):
        source, _ = get_data(page.read_text(encoding="utf-8-sig"))
        if "data-document" not in source:
            continue
        state.current_page = page.relative_to(docs).as_posix()
        markdown.Markdown(extensions=extensions, extension_configs=configs).convert(source)
    return sorted(set(state.problems) | set(site_problems(state)))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `edition` console script."""
    parser = argparse.ArgumentParser(prog="edition", description="Tools for an annotated edition.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate annotations and glossary against the text")
    check_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                              help="the edition's mkdocs.yml (default: ./mkdocs.yml)")
    check_parser.add_argument("--format", choices=sorted(FORMATS), default="text",
                              help="text (file:line:col: severity: message — hint) or github (workflow commands)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_CLEAN
    if not args.config_file.is_file():
        print(f"edition: {args.config_file}: no such file — run in the edition's folder or pass -f PATH",
              file=sys.stderr)
        return EXIT_USAGE
    problems = check(args.config_file.resolve())
    for problem in problems:
        print(FORMATS[args.format](problem))
    errors = sum(p.is_error for p in problems)
    print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
