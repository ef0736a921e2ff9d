"""`edition check` validates every annotation and glossary file without building the site;
`edition new` writes a new annotation file for a quote; `edition add-document` adds a
document from its text as received; `edition import hypothesis FILE.json` turns Hypothesis
annotations into draft notes; `edition citation` writes `CITATION.cff` from the metadata.

Both read `mkdocs.yml` and render the documents as the build does (`edition.checking`),
so the check and the build cannot disagree.

Exit codes: 0 no problems, 1 problems found, 2 usage error (bad arguments, no config).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from edition.adding import AddError, add_document
from edition.checking import check, edition_layout, render_documents, write_citation
from edition.drafts import note_slug, schema_reference
from edition.hypothesis_import import REVIEW_FILE, import_hypothesis
from edition.newedition import NewEditionError, new_edition
from edition.problems import EditionError, LinesError, display_path, one_line
from edition.textnorm import normalize_plain
from edition.vocabulary import ANNOTATION_TYPES

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from edition.problems import Problem

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _github(problem: Problem) -> str:
    """A GitHub Actions workflow command, shown inline on the pull request's diff."""
    def escape(text: str) -> str:
        return one_line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    kind = "error" if problem.is_error else "warning"
    path = escape(problem.path).replace(",", "%2C").replace(":", "%3A")
    return (f"::{kind} file={path},line={max(problem.line, 1)},col={problem.col}::"
            f"{escape(problem.message)} — {escape(problem.hint)}")


FORMATS: dict[str, Callable[[Problem], str]] = {"text": str, "github": _github}


TEMPLATE = """\
# yaml-language-server: $schema={schema}
- id: {id}
  document: {document}
  type: {type}
  quote: {quote}{context}
  title: "TODO: a one-line title"
  body: |
    TODO: the note, in Markdown (README: data formats). Add sources, then set `status: verified`.
  sources: []
  author: {author}
  status: unverified
  confidence: low
"""


def new(config_file: Path, quote: str, *, document: str | None, kind: str, occurrence: int | None,
        author: str) -> int:
    """Write a new annotation file for `quote`, disambiguated if needed; print what was done."""
    state = render_documents(config_file)
    if document is None:
        if len(state.documents) != 1:
            print(f"edition: say which document with --document ({', '.join(sorted(state.documents))})",
                  file=sys.stderr)
            return EXIT_USAGE
        document = next(iter(state.documents))
    if document not in state.documents:
        print(f"edition: no document '{document}' — use one of: {', '.join(sorted(state.documents))}",
              file=sys.stderr)
        return EXIT_USAGE
    text = state.documents[document].text
    normalized = normalize_plain(quote)
    matches = text.find_all(normalized)
    if not matches:
        near = "; ".join(f"{text.blocks[c.block].label} “{text.text[c.start:c.end]}”" for c, _ in text.nearest(
            normalized))
        print(f"quote “{normalized}” is not in '{document}'" + (f"; nearest: {near}" if near else ""),
              file=sys.stderr)
        return EXIT_PROBLEMS
    context = ""
    if len(matches) > 1:
        if occurrence is None or not 1 <= occurrence <= len(matches):
            print(f"quote “{normalized}” occurs {len(matches)} times; rerun with --occurrence N:", file=sys.stderr)
            for index, candidate in enumerate(matches, 1):
                print(f"  {index}: {text.blocks[candidate.block].label} “{text.excerpt(candidate)}”",
                      file=sys.stderr)
            return EXIT_PROBLEMS
        context = "".join(f"\n  {line}" for line in text.placement(normalized, matches, occurrence - 1).written())
    folder = state.options.annotations or config_file.parent / "annotations"
    note_id = note_slug(normalized, {*state.corpus.notes, *(p.stem for p in folder.glob("*.yml"))})
    target = folder / f"{note_id}.yml"
    schema = schema_reference(folder)
    target.write_text(TEMPLATE.format(schema=schema, id=note_id, document=document, type=kind,
                                      quote=json.dumps(normalized, ensure_ascii=False), context=context,
                                      author=json.dumps(author, ensure_ascii=False)), encoding="utf-8")
    print(target)
    return EXIT_CLEAN


def add(config_file: Path, source: Path, document_id: str, *, title: str | None, speakers: Sequence[str]) -> int:
    """Add a document of the edition from its text (`edition.adding`); print what was done."""
    try:
        added = add_document(edition_layout(config_file), source, document_id, title=title, speakers=speakers)
    except AddError as error:
        print("\n".join(error.lines), file=sys.stderr)
        print("edition: nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
    root = config_file.parent
    for path in added.written:
        print(f"wrote {path.relative_to(root) if path.is_relative_to(root) else path}")
    declaration = next(path for path in added.written if path.suffix == ".yml")
    shown = declaration.relative_to(root) if declaration.is_relative_to(root) else declaration
    if added.speakers:
        print("speakers (labels that open more than one line): "
              + ", ".join(f"{label} ({count} lines)" for label, count in added.speakers))
    else:
        print("speakers: none found (no label opens more than one line)")
    if added.not_speakers:
        print("not taken for speakers (seen once): "
              + ", ".join(f"{label} (line {line})" for label, line in added.not_speakers))
    print(f"change them under `speakers:` and `not_speakers:` in {shown}; declare captions, the lede and other "
          f"lines that are not dialogue there too (see “Documents” in the README)")
    print(f"next: edition new \"<words of the text>\" --document {document_id}, then make serve")
    return EXIT_CLEAN


def import_annotations(config_file: Path, source: Path, *, site_url: str | None, review: Path | None) -> int:
    """Turn the Hypothesis annotations in `source` into draft notes (`edition.hypothesis_import`);
    print what became of each."""
    try:
        outcome = import_hypothesis(config_file, source, site_url=site_url, review_file=review)
    except LinesError as error:
        print("\n".join(one_line(line) for line in error.lines), file=sys.stderr)
        print("edition: nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
    root, shown = config_file.parent, source.as_posix()
    for item, why in outcome.skipped:
        print(one_line(f"{shown}:{item.line}: skipped annotation {item.name}: {why}"))
    for item, why in outcome.review:
        print(one_line(f"{shown}:{item.line}: to review: annotation {item.name}: {why}"))
    ids = ", ".join(note_id for _, note_id in outcome.drafts)
    print(f"{len(outcome.drafts)} draft note(s) written to {display_path(outcome.drafts_file, root)}"
          + (f" ({ids})" if ids else ""))
    print(f"{len(outcome.review)} annotation(s) to review in {display_path(outcome.review_file, root)}")
    print(f"{len(outcome.skipped)} annotation(s) skipped")
    return EXIT_CLEAN


def fork(config_file: Path, folder: Path, *, title: str | None) -> int:
    """Start a new edition in `folder` from this one (`edition.newedition`); say what to do next."""
    try:
        made = new_edition(config_file.parent, folder, title=title)
    except NewEditionError as error:
        print(f"edition: {error}", file=sys.stderr)
        print("edition: nothing was written", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote a new edition in {made.folder} ({made.copied} files of the product)")
    print(f"next: cd {made.folder} && make add-document TEXT=YOUR-TEXT.txt ID=ID, then make serve;")
    print("write the edition's title and metadata where mkdocs.yml says TODO (the check warns until you do)")
    return EXIT_CLEAN


def citation(config_file: Path) -> int:
    """Write `CITATION.cff` from the edition's metadata (`edition.citation`)."""
    print(write_citation(config_file))
    return EXIT_CLEAN


COMMANDS: Mapping[str, Callable[[Path, argparse.Namespace], int]] = MappingProxyType({
    "add-document": lambda config, args: add(config, args.source, args.document_id, title=args.title,
                                             speakers=args.speakers),
    "import": lambda config, args: import_annotations(config, args.source, site_url=args.site_url,
                                                      review=args.review),
    "new": lambda config, args: new(config, args.quote, document=args.document, kind=args.kind,
                                    occurrence=args.occurrence, author=args.author),
    "citation": lambda config, args: citation(config),
    "new-edition": lambda config, args: fork(config, args.folder, title=args.title),
})
"""The commands other than `check`, each given the configuration file and the arguments."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `edition` console script."""
    parser = argparse.ArgumentParser(prog="edition", description="Tools for an annotated edition.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate annotations and glossary against the text")
    check_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                              help="the edition's mkdocs.yml (default: ./mkdocs.yml)")
    check_parser.add_argument("--format", choices=sorted(FORMATS), default="text",
                              help="text (file:line:col: severity: message — hint) or github (workflow commands)")
    new_parser = commands.add_parser("new", help="write a new annotation file for a quote")
    new_parser.add_argument("quote", help="the exact words of the text to annotate")
    new_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    new_parser.add_argument("--document", help="document id (needed when there are several)")
    new_parser.add_argument("--type", dest="kind", choices=list(ANNOTATION_TYPES), default="context")
    new_parser.add_argument("--occurrence", type=int, help="which match to annotate when the quote repeats")
    new_parser.add_argument("--author", default="Editors")
    add_parser = commands.add_parser("add-document", help="add a document from its text as received (.txt)")
    add_parser.add_argument("source", type=Path, help="the transcript: UTF-8, the title then one paragraph a line")
    add_parser.add_argument("--id", dest="document_id", required=True, help="the document's id (letters, digits, -)")
    add_parser.add_argument("--title", help="the page's title (default: the text's first line)")
    add_parser.add_argument("--speaker", dest="speakers", action="append", default=[],
                            help="a speaker's label as the text writes it (repeat; default: found in the text)")
    add_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    import_parser = commands.add_parser("import", help="turn annotations made with Hypothesis into draft notes")
    import_parser.add_argument("kind", choices=["hypothesis"], help="where the annotations come from")
    import_parser.add_argument("source", type=Path, help="Hypothesis's export file or API search results (.json)")
    import_parser.add_argument("--site-url", help="the edition's address the annotations were made on "
                               "(default: site_url of mkdocs.yml)")
    import_parser.add_argument("--review", type=Path, help=f"where annotations that do not anchor go "
                               f"(default: {REVIEW_FILE} beside mkdocs.yml)")
    import_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    fork_parser = commands.add_parser("new-edition", help="start a new edition in FOLDER: this product, none of "
                                      "this edition's texts, notes, glossary or index")
    fork_parser.add_argument("folder", type=Path, help="a new (or empty) folder outside this one")
    fork_parser.add_argument("--title", help="the new edition's title (default: a TODO placeholder)")
    fork_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    citation_parser = commands.add_parser("citation", help="write CITATION.cff from the edition's metadata")
    citation_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_CLEAN
    if not args.config_file.is_file():
        print(f"edition: {args.config_file}: no such file — run in the edition's folder or pass -f PATH",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        command = COMMANDS.get(args.command)
        if command is not None:
            return command(args.config_file.resolve(), args)
        problems = check(args.config_file.resolve())
    except EditionError as error:  # the configuration itself is wrong: nothing else was checked
        problems = list(error.problems)
    for problem in problems:
        print(FORMATS[args.format](problem))
    errors = sum(p.is_error for p in problems)
    print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
