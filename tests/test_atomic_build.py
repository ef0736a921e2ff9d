"""Atomic builds: a failed or killed `mkdocs build` leaves the previous site byte for byte."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from conftest import FIXTURES, copy_project, edit, mkdocs_build
from edition.atomic import AtomicSite

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.build

PAUSE = '''\
"""Test hook: at `{event}`, say where the build writes, then wait to be killed."""
import os
import time
from pathlib import Path


def {event}(*args, **kwargs):
    config = kwargs.get("config") or args[-1]
    Path(os.environ["EDITION_TEST_MARKER"]).write_text(config.site_dir, encoding="utf-8")
    time.sleep(300)
'''


def snapshot(site: Path) -> dict[str, str]:
    """Every file of `site` by its path, with a digest of its bytes."""
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def leftovers(project: Path) -> list[str]:
    return sorted(path.name for path in project.iterdir() if path.name.startswith(".site."))


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    project = copy_project(tmp_path / "p", FIXTURES / "annotations", FIXTURES / "glossary")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    before = snapshot(project / "site")
    assert "interview/index.html" in before and "data/glossary.csv" in before
    return project, before


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("annotations/sample.yml", "type: correction", "type: corection", "'corection' is not a valid `type`"),
    ("glossary/sizo.yml", "term: СИЗО", "term: ЖЖЖ", "glossary entry 'sizo' (ЖЖЖ) occurs nowhere"),  # a warning
], ids=["error", "warning-under-strict"])
def test_a_failed_build_leaves_the_previous_site_as_it_was(built: tuple[Path, dict[str, str]], file: str, old: str,
                                                           new: str, message: str) -> None:
    project, before = built
    edit(project / file, old, new)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
                            cwd=project, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 1
    assert message in result.stderr
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


@pytest.mark.parametrize(("event", "written"), [("on_post_page", "some pages"), ("on_post_build", "everything")])
def test_a_killed_build_leaves_the_previous_site_byte_for_byte(built: tuple[Path, dict[str, str]], event: str,
                                                               written: str) -> None:
    """Killed with SIGKILL while it writes (after a first page, or with every file written but
    before the swap): the site folder is the previous build's, and the next build cleans up."""
    project, before = built
    edit(project / "annotations" / "sample.yml", "Fixture correction in the caption", "A changed title")
    (project / "hooks" / "pause.py").write_text(PAUSE.format(event=event), encoding="utf-8")
    edit(project / "mkdocs.yml", "  - hooks/edition_site.py", "  - hooks/edition_site.py\n  - hooks/pause.py")
    marker = project / "marker"
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")],
                               cwd=project, env={**os.environ, "EDITION_TEST_MARKER": str(marker)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert marker.exists(), f"the build ended ({process.returncode}) before it paused"
        aside = project / marker.read_text(encoding="utf-8")
        assert aside.parent == project and aside.name.startswith(".site.building-")
        assert (aside / "assets").is_dir()  # part of the new site is written, aside
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert snapshot(project / "site") == before
    assert leftovers(project) == [aside.name]
    edit(project / "mkdocs.yml", "\n  - hooks/pause.py", "")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "A changed title" in (project / "site" / "annotations" / "index.html").read_text(encoding="utf-8")
    assert leftovers(project) == []  # the killed build's folder is gone


def test_a_dirty_build_starts_from_the_previous_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "kept").mkdir(parents=True)
    (site / "kept" / "page.html").write_text("old", encoding="utf-8")
    aside = AtomicSite(site, dirty=True)
    building = aside.start()
    assert (building / "kept" / "page.html").read_text(encoding="utf-8") == "old"
    (building / "new.html").write_text("new", encoding="utf-8")
    aside.finish()
    assert sorted(snapshot(site)) == ["kept/page.html", "new.html"]
    assert not building.exists()


def test_a_first_build_and_a_replaced_site(tmp_path: Path) -> None:
    site = tmp_path / "out" / "site"
    first = AtomicSite(site)
    (first.start() / "a.html").write_text("1", encoding="utf-8")
    first.finish()
    second = AtomicSite(site)
    (second.start() / "b.html").write_text("2", encoding="utf-8")
    assert snapshot(site) == {"a.html": hashlib.sha256(b"1").hexdigest()}
    second.finish()
    assert snapshot(site) == {"b.html": hashlib.sha256(b"2").hexdigest()}
    assert sorted(path.name for path in site.parent.iterdir()) == ["site"]
