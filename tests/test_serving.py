"""`edition.serving`: the notice of an edit's errors, and the last good site kept through a rebuild."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from edition.serving import LastGood, Logged, copied_once, notice, show_on_every_page, with_notice

PAGE = '<!doctype html>\n<html><head><title>T</title></head><body dir="ltr" class="x"><p>Text</p></body></html>'


def test_a_page_shows_one_notice_the_latest_first_in_its_body_with_its_lines_escaped() -> None:
    first = with_notice(PAGE, notice(["a <script>alert(1)</script> & b"], "Two"))
    assert '<body dir="ltr" class="x"><div class="ed-build-problems" role="alert">' in first
    assert "<li><code>a &lt;script&gt;alert(1)&lt;/script&gt; &amp; b</code></li>" in first
    assert "<strong>Two</strong>" in first and "<script>" not in first
    second = with_notice(first, notice(["c", "d"], "The site could not be rebuilt"))
    assert second.count('class="ed-build-problems"') == 1
    assert "<li><code>c</code></li><li><code>d</code></li>" in second and "alert(1)" not in second
    assert second.replace(notice(["c", "d"], "The site could not be rebuilt"), "") == PAGE
    assert with_notice("<p>no body</p>", "N") == "N<p>no body</p>"


def test_every_page_of_the_site_gets_the_notice_and_nothing_else_changes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("index.html", "a/index.html", "404.html"):
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
    (tmp_path / "a" / "data.json").write_text("<body>", encoding="utf-8")
    show_on_every_page(tmp_path, notice(["e"], "H"))
    for name in ("index.html", "a/index.html", "404.html"):
        assert (tmp_path / name).read_text(encoding="utf-8") == with_notice(PAGE, notice(["e"], "H"))
    assert (tmp_path / "a" / "data.json").read_text(encoding="utf-8") == "<body>"


def _files(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_last_good_site_is_put_back_after_a_failed_rebuild_and_dropped_after_a_good_one(tmp_path: Path) -> None:
    site = tmp_path / "mkdocs_x"
    (site / "interview").mkdir(parents=True)
    (site / "interview" / "index.html").write_text("good", encoding="utf-8")
    (site / "style.css").write_text("css", encoding="utf-8")
    good = _files(site)
    last = LastGood(site)
    last.set_aside()
    assert site.is_dir() and not _files(site)  # what MkDocs empties, and writes again
    (site / "half.html").write_text("half", encoding="utf-8")
    last.put_back()  # the rebuild failed
    assert _files(site) == good and [p.name for p in tmp_path.iterdir()] == ["mkdocs_x"]
    last.set_aside()
    (site / "new.html").write_text("new", encoding="utf-8")
    last.discard()  # the rebuild succeeded: a thread removes the last good site, the site is served meanwhile
    assert _files(site) == {"new.html": "new"}
    assert last.discarding is not None and not last.discarding.daemon  # the process waits for it to end
    last.discarding.join()
    assert [p.name for p in tmp_path.iterdir()] == ["mkdocs_x"]
    last.put_back()  # nothing set aside: nothing to do
    assert _files(site) == {"new.html": "new"}


def test_a_failure_is_told_by_its_logged_errors_else_its_warnings_then_by_what_the_error_adds() -> None:
    logger = logging.getLogger("test_serving")
    logger.propagate = False
    logged = Logged()
    logger.addHandler(logged)
    try:
        logger.info("Building documentation...")
        logger.warning("A warning")
        logger.error("Error building page 'a.md': 'x.html' not found\nin search paths")
        assert logged.failure(RuntimeError("'x.html' not found")) == (
            ["Error building page 'a.md': 'x.html' not found", "in search paths"], [])
        assert logged.failure(RuntimeError("Aborted with a BuildError!"))[1] == []
        assert logged.failure(ValueError("while parsing\n  line 3"))[1] == ["while parsing", "  line 3"]
        assert logged.failure(ValueError())[1] == ["ValueError"]
        warned = Logged()
        warned.records = [(logging.WARNING, "Doc file 'a.md' contains a link 'b.md', not found")]
        assert warned.failure(RuntimeError("Aborted with 1 warnings in strict mode!")) == (
            ["Doc file 'a.md' contains a link 'b.md', not found"], ["Aborted with 1 warnings in strict mode!"])
    finally:
        logger.removeHandler(logged)


def test_a_static_file_the_last_good_site_holds_as_its_source_is_now_is_linked_the_others_are_left_to_copy(
        tmp_path: Path) -> None:
    docs, site = tmp_path / "docs", tmp_path / "mkdocs_x"
    for name in ("kept.txt", "edited.txt", "grown.txt", "restored.txt", "new.txt"):
        (docs / "sources").mkdir(parents=True, exist_ok=True)
        (docs / "sources" / name).write_text("source", encoding="utf-8")
    (docs / "style.css").write_text("css", encoding="utf-8")
    for name in ("kept.txt", "edited.txt", "grown.txt", "restored.txt"):  # as the last build copied them
        (site / "sources").mkdir(parents=True, exist_ok=True)
        (site / "sources" / name).write_text("source", encoding="utf-8")
    (site / "style.css").mkdir()  # a folder where the file now goes: never linked
    time.sleep(0.05)
    (docs / "sources" / "edited.txt").write_text("SOURCE", encoding="utf-8")  # same size, written after the copy
    (docs / "sources" / "grown.txt").write_text("sources", encoding="utf-8")
    restored = docs / "sources" / "restored.txt"  # written after the copy, its old time put back (as `cp -p` does)
    before = restored.stat()
    restored.write_text("SOURCE", encoding="utf-8")
    os.utime(restored, ns=(before.st_atime_ns, before.st_mtime_ns))
    copies = [(str(docs / "sources" / name), f"sources/{name}")
              for name in ("kept.txt", "edited.txt", "grown.txt", "restored.txt", "new.txt")]
    copies.append((str(docs / "style.css"), "style.css"))
    last = LastGood(site)
    assert last.link_unchanged(copies) == set()  # nothing set aside: nothing to link from
    last.set_aside()
    assert last.aside is not None
    assert last.link_unchanged(copies) == {"sources/kept.txt"}
    assert _files(site) == {"sources/kept.txt": "source"}
    assert (site / "sources" / "kept.txt").samefile(last.aside / "site" / "sources" / "kept.txt")  # nothing written
    last.discard()
    assert last.discarding is not None
    last.discarding.join()
    assert _files(site) == {"sources/kept.txt": "source"}  # the link outlives the last good site


def test_a_source_modified_after_the_copy_is_copied_again_whatever_its_status_change_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows before Python 3.12, `st_ctime_ns` is the creation time, older than any edit:
    a source's modification time after the copy's is enough to copy it again."""
    source, site = tmp_path / "docs" / "a.txt", tmp_path / "mkdocs_x"
    source.parent.mkdir()
    source.write_text("source", encoding="utf-8")
    site.mkdir()
    (site / "a.txt").write_text("SOURCE", encoding="utf-8")  # same size, as the last build copied it
    copied = (site / "a.txt").stat().st_mtime_ns
    real_stat = Path.stat

    def windows_stat(path: Path, *, follow_symlinks: bool = True) -> os.stat_result:
        found = real_stat(path, follow_symlinks=follow_symlinks)
        if path != source:
            return found
        times = {"st_atime_ns": found.st_atime_ns, "st_mtime_ns": copied + 1, "st_ctime_ns": copied - 10**9}
        return os.stat_result(tuple(found)[:10], times)  # created before the copy, edited after it

    monkeypatch.setattr(Path, "stat", windows_stat)
    last = LastGood(site)
    last.set_aside()
    assert last.link_unchanged([(str(source), "a.txt")]) == set()
    times = {"st_atime_ns": 0, "st_mtime_ns": copied - 1, "st_ctime_ns": copied - 1}
    monkeypatch.setattr(Path, "stat", lambda path, *, follow_symlinks=True: (
        os.stat_result(tuple(real_stat(path))[:10], times) if path == source else real_stat(path)))
    assert last.link_unchanged([(str(source), "a.txt")]) == {"a.txt"}  # both times before the copy: linked


def test_only_a_static_file_whose_path_nothing_else_writes_may_be_linked() -> None:
    """A link written through (a second copy, a page or a template at its path) would change the
    last good site's file too: such paths, and generated files (no source), are left to copy."""
    copies = [("style.css", "/docs/style.css"), ("404.html", "/docs/404.html"), ("a.txt", "/docs/a.txt"),
              ("a.txt", "/theme/a.txt"), ("page/index.html", "/docs/page/index.html"), ("made.json", None)]
    assert copied_once(copies, ["page/index.html", "404.html", "sitemap.xml"]) == {"style.css": "/docs/style.css"}
