"""A synthetic edition, generated deterministically: transcripts, annotations, a glossary.

`generate(folder, pages=N, terms=G)` writes two MkDocs projects:

- `mkdocs.yml`: the edition (the settings of the real `mkdocs.yml`, without its nav). Each
  document is a transcript as received, `docs/sources/doc-K.txt` (one block per line),
  declared in `documents/doc-K.yml`, and shown on its page by `::: edition-document doc-K`;
- `mkdocs-plain.yml`: the same texts as plain Markdown pages (`docs-plain/`), with the
  `edition` extension and hook removed.

Every transcript has about 3,600 words in "Reporter:"/"<Name>:" turns under its title. Each
has about 20 annotations (some nested in or overlapping another), anchored like real ones: a
quote that occurs once, or else an `occurrence`. The glossary has G entries with Cyrillic
terms and aliases that occur in the text. The same arguments always give the same bytes.

Pages sit in folders of `PART_SIZE` (`docs/part-01/doc-1.md` …), as a long series would be
organised (by season, year or volume), so that the navigation has one section per folder and
Material's `navigation.prune` (on in the real `mkdocs.yml`) renders only the open one on
each page. `part_size=0` puts every page at the top, in one flat navigation that every page
lists in full: plain MkDocs then grows with the square of the number of pages.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from edition.anchoring import at_word_edge

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FOLDERS = ("docs", "hooks", "overrides", "documents", "annotations", "glossary", "index")
"""The folders of the real project that a copy of it needs beside `mkdocs.yml` (the config
names each of them); the tests and the benchmark's `mkdocs serve` copy them."""
SEED = 20261125
WORDS_PER_PAGE = 3600
NOTES_PER_PAGE = 20
PART_SIZE = 25
B1_DOCS = "docs-b1"
"""The pages of the baselines B1 and B1f (`mkdocs-b1.yml`, `mkdocs-b1f.yml`): see `b1_page`."""

_WORDS = (
    "the of and to in that it is was he for on are as with his they at be this from have or by one had not "
    "but what all were when we there can an your which their said if do will each about how up out them then "
    "she many some so these would other into has more her two like him see time could no make than first been "
    "its who now people my made over did down only way find use may water long little very after words called "
    "just where most know get through back much before go good new write our used me man too any day same "
    "right look think also around another came come work three word must because does part even place well "
    "such here take why help put different away again off went old number great tell men say small every "
    "found still between name should home big give air line set own under read last never us left end along "
    "while might next sound below saw something thought both few those always looked show large often "
    "together asked house world going want school important until form food keep children feet land side "
    "without boy once animals life enough took sometimes four head above kind began almost live page got "
    "earth need far hand high year mother light parts country father let night following picture being study "
    "second eyes soon times story boys since white days ever paper hard near sentence better best across "
    "during today others however sure means knew try told young miles sun ways thing whole hear example heard "
    "several change answer room sea against top turned learn point city play toward five using himself usually "
    "border region ministry election president committee security service court trial detention journalist "
    "blogger policy sanctions pipeline treaty alliance neighbours economy migration language citizens "
    "republic parliament governor minister union province capital district army veteran archive document"
)
_VOCABULARY = tuple(_WORDS.split(" "))
_NAMES = ("Petrov", "Sokolova", "Abenov", "Ivanova", "Nurlanov", "Kuznetsov", "Orlova", "Serikbayev", "Volkov",
          "Zhakupova", "Morozov", "Baimukhamedov", "Lebedeva", "Tulegenov", "Pavlov")
_CYRILLIC = "БВГДЖЗКЛМНПРСТФХЦЧШЩ"
_VOWELS = "АЕИОУЫЭЮЯ"
_TYPES = ("correction", "translation", "context", "person", "place", "organization", "event", "speaker")


@dataclass(frozen=True)
class Term:
    """A generated glossary entry: its id, headword and aliases (all single Cyrillic words)."""

    id: str
    term: str
    aliases: tuple[str, ...]

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


def _terms(rng: random.Random, count: int) -> list[Term]:
    """`count` entries with distinct single-word forms, so that no form hides another."""
    seen: set[str] = set()
    terms: list[Term] = []
    while len(terms) < count:
        syllables = rng.randint(2, 3)
        stem = "".join(rng.choice(_CYRILLIC) + rng.choice(_VOWELS) for _ in range(syllables))
        stem += rng.choice(_CYRILLIC)
        forms = (stem, stem.capitalize(), stem.lower() + "а", stem.lower() + "ом")
        if any(form in seen for form in forms):
            continue
        seen.update(forms)
        number = len(terms) + 1
        terms.append(Term(f"term-{number}", forms[0], forms[1:1 + (number % 3) + 1]))
    return terms


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(_VOCABULARY) for _ in range(length)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice(".....?")


def _page(rng: random.Random, number: int, terms: list[Term], term_cursor: list[int],
          terms_per_page: int) -> tuple[str, str, list[str]]:
    """(the speaker's name, title, paragraphs as the reader sees them) of document `doc-<number>`."""
    name = _NAMES[number % len(_NAMES)]
    title = f"Interview {number}: {_sentence(rng, 6)[:-1]}"
    paragraphs: list[str] = []
    words = 0
    speaker = "Reporter"
    inserted = 0
    while words < WORDS_PER_PAGE:
        sentences = [_sentence(rng, rng.randint(8, 22)) for _ in range(rng.randint(2, 6))]
        text = " ".join(sentences)
        # Sprinkle glossary forms: a few per paragraph, cycling through every entry.
        tokens = text.split(" ")
        # About one form every other paragraph, as in the real interview (22 links in 63 ¶).
        for _ in range(rng.randint(0, 1)):
            if inserted < terms_per_page or rng.random() < 0.5:
                term = terms[term_cursor[0] % len(terms)]
                term_cursor[0] += 1
                inserted += 1
                form = rng.choice(term.forms)
                at = rng.randint(1, len(tokens) - 1)
                tokens.insert(at, f"({form})" if rng.random() < 0.3 else form)
        text = " ".join(tokens)
        words += len(tokens)
        if rng.random() < 0.75:
            speaker = "Reporter" if speaker != "Reporter" else name
            text = f"{speaker}: {text}"
        paragraphs.append(text)
    return name, title, paragraphs


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _declaration(number: int, page: str, name: str) -> str:
    """The declaration of document `doc-<number>`: its page, its text and its two speakers."""
    return ("# yaml-language-server: $schema=../src/edition/schemas/documents.schema.json\n"
            f"- id: doc-{number}\n  page: {page}\n  source: ../docs/sources/doc-{number}.txt\n"
            f"  speakers: [{{label: Reporter}}, {{label: {name}}}]\n")


def _occurrences(text: str, quote: str) -> list[int]:
    """Where `quote` occurs as whole words, as the edition anchors quotes."""
    found: list[int] = []
    pos = text.find(quote)
    while pos != -1:
        if at_word_edge(text, pos) and at_word_edge(text, pos + len(quote)):
            found.append(pos)
        pos = text.find(quote, pos + 1)
    return found


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Note:
    """A generated note as the baseline B1 shows it: a footnote after its quote."""

    id: str
    paragraph: int
    """The paragraph of its quote (0: the first after the title)."""
    end: int
    """Where its quote ends in that paragraph (a character offset)."""
    title: str
    body: str
    """Markdown, with the edition's `term:` and `note:` links."""
    source: str
    """Its source, in one line of Markdown."""


def _annotations(rng: random.Random, number: int, text: tuple[str, list[str]], terms: list[Term]
                 ) -> tuple[list[str], list[Note]]:
    """YAML entries of about 20 notes on document `doc-<number>` (some nest or overlap), and
    the same notes for the baseline B1."""
    title, paragraphs = text
    document = "\n".join([title, *paragraphs])
    entries: list[str] = []
    notes: list[Note] = []
    previous: tuple[int, int, int] | None = None  # paragraph, start word, end word
    for index in range(NOTES_PER_PAGE):
        if previous is not None and index % 4 == 3:
            # Nest inside, or overlap, the previous note's words.
            para, lo, hi = previous
            words = paragraphs[para].split(" ")
            if index % 8 == 3 and hi - lo >= 3:
                start, end = lo + 1, hi - 1
            else:
                start = min(lo + 1, len(words) - 2)
                end = min(start + rng.randint(3, 8), len(words))
        else:
            para = rng.randrange(len(paragraphs))
            words = paragraphs[para].split(" ")
            start = rng.randrange(0, max(1, len(words) - 10))
            end = start + rng.randint(3, 9)
        quote = " ".join(words[start:end]).strip()
        previous = (para, start, end)
        # Which match of the quote is ours, counted over the whole document text.
        base = len(title) + 1 + sum(len(p) + 1 for p in paragraphs[:para])
        ours = base + len(" ".join(words[:start])) + (1 if start else 0)
        matches = _occurrences(document, quote)
        occurrence = matches.index(ours) + 1
        note_id = f"n{number}-{index + 1}"
        kind = _TYPES[(number + index) % len(_TYPES)]
        term = terms[(number * 7 + index) % len(terms)]
        # `note:` links resolve within the page (endnotes link `#note-<id>`): same document only.
        other = f"n{number}-{(index * 7 + 3) % NOTES_PER_PAGE + 1}"
        body = (f"A note of type {kind} on this passage. It refers to [the {term.term}](term:{term.id}) and "
                f"to [another note](note:{other}).\n\n"
                f"{_sentence(rng, 25)} *{_sentence(rng, 6)}* {_sentence(rng, 15)}\n\n"
                f"- {_sentence(rng, 8)}\n- **{_sentence(rng, 5)}**, see "
                f"[a source](https://example.org/{number}/{index + 1})\n")
        lines = [
            f"- id: {note_id}",
            f"  document: doc-{number}",
            f"  type: {kind}",
            f"  quote: {_yaml_str(quote)}",
        ]
        if len(matches) > 1:
            lines.append(f"  occurrence: {occurrence}")
        note_title = f"Note {index + 1}: {_sentence(rng, 7)}"
        source_title, source_url = _sentence(rng, 5), f"https://example.org/source/{number}-{index + 1}"
        lines += [
            f"  title: {_yaml_str(note_title)}",
            "  body: |",
            *[f"    {line}" if line else "" for line in body.splitlines()],
            "  sources:",
            "  - publisher: Example Press",
            f"    title: {_yaml_str(source_title)}",
            f"    date: \"{2000 + number % 25}\"",
            f"    url: {source_url}",
            "  author: Editors",
            f"  status: {('verified', 'unverified', 'disputed')[index % 3]}",
            f"  confidence: {('high', 'medium', 'low')[index % 3]}",
        ]
        entries.append("\n".join(lines))
        notes.append(Note(note_id, para, len(" ".join(words[:end]).rstrip()), note_title, body,
                          f"Example Press, “{source_title}” ({2000 + number % 25}), <{source_url}>"))
    return entries, notes


def _glossary_entry(rng: random.Random, term: Term, terms: list[Term], index: int) -> tuple[str, str]:
    """The YAML of `term`'s entry, and what B1's `abbr` shows for it (its full form and translation)."""
    related = terms[(index * 17 + 3) % len(terms)]
    full = f"{term.term.capitalize()} {terms[(index + 1) % len(terms)].term.lower()}"
    translation = _sentence(rng, 4)[:-1]
    lines = [
        "# yaml-language-server: $schema=../src/edition/schemas/glossary.schema.json",
        f"- id: {term.id}",
        f"  term: {term.term}",
        f"  full: {full}",
        f"  translation: {_yaml_str(translation)}",
    ]
    if index % 2:
        lines.append(f"  translit: T{index}")
    lines.append(f"  aliases: [{', '.join(term.aliases)}]")
    lines += [
        "  definition: |",
        f"    {_sentence(rng, 20)} Compare [the {related.term}](term:{related.id}).",
        "",
        f"    {_sentence(rng, 12)}",
    ]
    if related.id != term.id:
        lines.append(f"  related: [{related.id}]")
    if index % 5 == 0:
        lines += ["  sources:", "  - publisher: Example Press", f"    title: {_yaml_str(_sentence(rng, 4))}"]
    return "\n".join(lines) + "\n", f"{full}: {translation}"


_TERM_LINK = re.compile(r"\[([^\]]*)\]\(term:[^)]*\)")
_NOTE_LINK = re.compile(r"\]\(note:([^)]*)\)")


def b1_page(title: str, paragraphs: list[str], notes: list[Note]) -> str:
    """Baseline B1's page of a document: its text as plain Markdown, each note a footnote whose
    reference follows its quote, with the note's title, body and source.

    A note's `term:` links become their text (B1's `abbr` marks the terms), its `note:` links
    point at the other note's footnote.
    """
    after: dict[tuple[int, int], list[str]] = {}
    for note in notes:
        after.setdefault((note.paragraph, note.end), []).append(note.id)
    marked = list(paragraphs)
    for (paragraph, end), ids in sorted(after.items(), reverse=True):  # from the end, so offsets hold
        text = marked[paragraph]
        marked[paragraph] = text[:end] + "".join(f"[^{note}]" for note in ids) + text[end:]
    footnotes = []
    for note in notes:
        body = _NOTE_LINK.sub(r"](#fn:\1)", _TERM_LINK.sub(r"\1", note.body))
        lines = [f"**{note.title}**", "", *body.rstrip("\n").splitlines(), "", f"Source: {note.source}"]
        footnotes.append(f"[^{note.id}]: " + "\n".join(f"    {line}" if line and i else line
                                                     for i, line in enumerate(lines)))
    return "\n\n".join([f"# {title}", *marked, *footnotes]) + "\n"


def b1_configs(plain: str, glossary: dict[str, str]) -> tuple[str, str]:
    """(B1, B1f) configs from the plain one: its pages with footnotes (`docs-b1`), the
    `footnotes` extension, and for B1 `abbr` with every glossary form in its `glossary:`."""
    abbr = ["  - abbr:", "      glossary:", *(f"        {_yaml_str(form)}: {_yaml_str(title)}"
                                                for form, title in glossary.items())]
    configs = []
    for extra in (["  - footnotes", *abbr], ["  - footnotes"]):
        text = plain.replace("\nmarkdown_extensions:\n", "\nmarkdown_extensions:\n" + "\n".join(extra) + "\n", 1)
        configs.append(text.replace("\ndocs_dir: docs-plain\n", f"\ndocs_dir: {B1_DOCS}\n"))
    return configs[0], configs[1]


_TOP_KEY = re.compile(r"^([A-Za-z_]+):")


def _sections(config: str) -> list[tuple[str, list[str]]]:
    """The top-level keys of a YAML file, each with its lines (comments stay with the next key)."""
    sections: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    for line in config.splitlines():
        match = _TOP_KEY.match(line)
        if match:
            sections.append((match.group(1), [*pending, line]))
            pending = []
        elif line.startswith("#") or not line.strip() or not sections:
            pending.append(line)
        else:
            sections[-1][1].extend([*pending, line])
            pending = []
    return sections


def configs(real: str, site_name: str) -> tuple[str, str]:
    """(edition, plain) configs from the real `mkdocs.yml`: no nav; plain has no hook or `edition`."""
    edition: list[str] = []
    plain: list[str] = []
    for key, lines in _sections(real):
        if key == "nav":
            continue
        if key == "site_name":
            edition.append(f"site_name: {_yaml_str(site_name)}")
            plain.append(f"site_name: {_yaml_str(site_name)}")
            continue
        edition.extend(lines)
        if key in ("hooks", "watch"):
            continue
        kept = lines
        if key == "markdown_extensions":
            kept = []
            skipping = False
            for line in lines:
                if line.startswith("  - edition"):
                    skipping = True
                    continue
                if skipping and line.startswith("    "):
                    continue
                skipping = False
                kept.append(line)
        plain.extend(kept)
    return "\n".join(edition) + "\n", "\n".join([*plain, "docs_dir: docs-plain"]) + "\n"


def generate(folder: Path, pages: int, terms: int, seed: int = SEED, part_size: int = PART_SIZE) -> Path:
    """Write the synthetic projects into `folder` (emptied first); returns `folder`."""
    if folder.exists():
        shutil.rmtree(folder)
    rng = random.Random(f"{seed}-{pages}-{terms}")
    glossary = _terms(rng, terms)
    (folder / "docs" / "sources").mkdir(parents=True)
    (folder / "documents").mkdir()
    (folder / "annotations").mkdir()
    (folder / "glossary").mkdir()
    shutil.copytree(ROOT / "docs" / "assets", folder / "docs" / "assets")
    shutil.copytree(ROOT / "overrides", folder / "overrides")
    cursor = [0]
    per_page = -(-terms // pages) + 4
    for number in range(1, pages + 1):
        name, title, paragraphs = _page(rng, number, glossary, cursor, per_page)
        page = f"part-{(number - 1) // part_size + 1:02d}/doc-{number}.md" if part_size else f"doc-{number}.md"
        _write(folder / "docs" / page, f"::: edition-document doc-{number}\n")
        _write(folder / "docs-plain" / page, "\n\n".join([f"# {title}", *paragraphs]) + "\n")
        _write(folder / "docs" / "sources" / f"doc-{number}.txt", "\n".join([title, *paragraphs]) + "\n")
        _write(folder / "documents" / f"doc-{number}.yml", _declaration(number, page, name))
        entries, notes = _annotations(rng, number, (title, paragraphs), glossary)
        _write(folder / B1_DOCS / page, b1_page(title, paragraphs, notes))
        header = "# yaml-language-server: $schema=../src/edition/schemas/annotations.schema.json\n"
        (folder / "annotations" / f"doc-{number}.yml").write_text(header + "\n".join(entries) + "\n",
                                                                   encoding="utf-8")
    abbreviations: dict[str, str] = {}
    for index, term in enumerate(glossary):
        entry, shown = _glossary_entry(rng, term, glossary, index)
        (folder / "glossary" / f"{term.id}.yml").write_text(entry, encoding="utf-8")
        abbreviations.update(dict.fromkeys(term.forms, shown))
    (folder / "index").mkdir()
    people = [f"- id: {name.lower()}\n  name: {name}\n  kind: person\n  mentions: [{name}]\n"
              f"  description: A speaker in the generated interviews.\n" for name in _NAMES]
    (folder / "index" / "entities.yml").write_text(
        "# yaml-language-server: $schema=../src/edition/schemas/entities.schema.json\n" + "".join(people),
        encoding="utf-8")
    for docs in ("docs", "docs-plain", B1_DOCS):
        _write(folder / docs / "index.md", "# A synthetic edition\n\nGenerated for the benchmark.\n")
    shutil.copytree(ROOT / "docs" / "assets", folder / "docs-plain" / "assets")
    shutil.copytree(ROOT / "docs" / "assets", folder / B1_DOCS / "assets")
    edition, plain = configs((ROOT / "mkdocs.yml").read_text(encoding="utf-8"),
                             f"Benchmark edition ({pages} pages, {terms} terms)")
    (folder / "mkdocs.yml").write_text(edition, encoding="utf-8")
    (folder / "mkdocs-plain.yml").write_text(plain, encoding="utf-8")
    b1, b1f = b1_configs(plain, abbreviations)
    (folder / "mkdocs-b1.yml").write_text(b1, encoding="utf-8")
    (folder / "mkdocs-b1f.yml").write_text(b1f, encoding="utf-8")
    shutil.copytree(ROOT / "hooks", folder / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    return folder
