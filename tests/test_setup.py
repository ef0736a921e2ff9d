"""Set-up that fits MkDocs habits (issue 17, item 6): `make serve PORT=…`, a busy port, a
`.venv` made with an unsupported Python, and `python -m edition`."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from test_serve import fetch, free_port, wait_for

pytestmark = pytest.mark.build
VENV = Path(sys.executable).parent.parent
"""The environment the tests run in, which `make` is pointed at instead of making one."""


def make(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "-s", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_a_busy_port_is_one_line_naming_another(tmp_path: Path) -> None:
    del tmp_path
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = make("serve", f"PORT={port}", f"VENV={VENV}")
    assert result.returncode != 0
    # (before it, `make` may install what serving needs, if pyproject.toml changed since)
    assert result.stdout.splitlines()[-1:] == [
        f"make serve: port {port} is in use (another 'make serve'?) — stop it, or run 'make serve PORT=8001'"]
    assert [line for line in result.stdout.splitlines() if "port" in line.lower()] == result.stdout.splitlines()[-1:]
    assert "Traceback" not in result.stderr


def test_make_serve_serves_on_the_port_it_is_given(tmp_path: Path) -> None:
    port = free_port()
    with (tmp_path / "serve.log").open("w", encoding="utf-8") as log:
        process = subprocess.Popen(["make", "--no-print-directory", "serve", f"PORT={port}", f"VENV={VENV}"],
                                   cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(lambda: "md-content" in fetch(f"http://127.0.0.1:{port}/"), seconds=120)  # whatever the edition
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    assert "end of life" not in (tmp_path / "serve.log").read_text(encoding="utf-8")  # NO_MKDOCS_2_WARNING


def _fake_python(path: Path, version: str) -> Path:
    """An interpreter that says it is `version` and fails the Makefile's version test."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\n[ "$1" = --version ] && echo "Python {version}" && exit 0\nexit 1\n',
                    encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _makefile_project(tmp_path: Path) -> Path:
    project = tmp_path / "p"
    project.mkdir()
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    return project


def test_a_venv_made_with_an_unsupported_python_is_made_again(tmp_path: Path) -> None:
    project = _makefile_project(tmp_path)
    _fake_python(project / ".venv" / "bin" / "python", "3.9.18")
    result = make("venv", f"PYTHON={sys.executable}", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == (
        f".venv was made with Python 3.9.18, older than the 3.11 the edition needs: making it again with "
        f"{sys.executable}")
    made = subprocess.run([str(project / ".venv" / "bin" / "python"), "-c", "import sys; print(sys.version_info[:2])"],
                          capture_output=True, text=True, check=True)
    assert made.stdout.strip() == str(sys.version_info[:2])


def test_an_unsupported_python_is_explained_and_nothing_is_made(tmp_path: Path) -> None:
    project = _makefile_project(tmp_path)
    old = _fake_python(tmp_path / "old" / "python3", "3.10.2")
    result = make("venv", f"PYTHON={old}", cwd=project)
    assert result.returncode != 0
    assert result.stdout.splitlines() == [
        f"{old} is Python 3.10.2; the edition needs Python 3.11 or later: run 'make PYTHON=python3.12 …'"]
    assert not (project / ".venv").exists()


def test_python_dash_m_edition_runs_the_command(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    result = subprocess.run([sys.executable, "-m", "edition", "check"], cwd=project, capture_output=True, text=True,
                            check=False, timeout=120)
    assert (result.returncode, result.stdout, result.stderr.splitlines()[-1]) == (0, "", "0 error(s), 0 warning(s)")
