"""Install the package into a fresh virtual environment the way README.rst says, then use the command.

Slow (one venv for the whole module, dependencies from the package index): it checks what a
newcomer sees, ``pip install -e ".[cli]"`` then ``bigcommerce demo`` and an export.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = "Scripts" if os.name == "nt" else "bin"


def _env() -> dict:
    """The user's environment with no credentials and nothing pointing into another environment."""
    drop = ("BIGCOMMERCE_", "BC_", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh virtual environment with ``pip install -e ".[cli]"`` done from the repository root."""
    root = tmp_path_factory.mktemp("venv") / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300)
    install = subprocess.run(
        [str(root / BIN / "pip"), "install", "-q", "-e", ".[cli]"],
        cwd=str(REPO),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, f"pip install -e .[cli] failed:\n{install.stdout}\n{install.stderr}"
    return root


def test_demo_from_the_readme(venv, tmp_path):
    result = subprocess.run(
        [str(venv / BIN / "bigcommerce"), "demo"],
        cwd=str(tmp_path),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "[1/9] OAuth" in result.stdout and "[8/9] Rate limits" in result.stdout
    assert "500 products (count said 500)" in result.stdout
    assert result.stderr == ""


def test_export_against_the_sandbox_command(venv, tmp_path):
    bigcommerce = str(venv / BIN / "bigcommerce")
    server = subprocess.Popen(
        [bigcommerce, "sandbox", "--port", "0", "--products", "120"],
        env=_env(),
        cwd=str(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = server.stdout.readline()
        fields = dict(re.findall(r"(\w+)=(\S+)", ready))
        assert "url" in fields, ready + server.stderr.read() if server.poll() is not None else ready
        env = dict(
            _env(),
            BIGCOMMERCE_STORE_HASH=fields["store_hash"],
            BIGCOMMERCE_CLIENT_ID=fields["client_id"],
            BIGCOMMERCE_ACCESS_TOKEN=fields["access_token"],
            BC_API_ENDPOINT=fields["url"],
        )
        result = subprocess.run(
            [bigcommerce, "export", "products", "--format", "csv", "--progress", "--concurrency", "3", "limit=25"],
            cwd=str(tmp_path),
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(r["id"]) for r in rows] == list(range(1, 121))
    assert "120/120" in result.stderr and "exported 120 products as csv" in result.stderr


def test_the_wheel_ships_the_command_and_the_sandbox(tmp_path):
    """A non-editable install gets everything the command needs: cli, __main__ and the sandbox."""
    source = tmp_path / "source"  # a copy, so the build leaves nothing in the work tree
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            ".tox",
            "build",
            "dist",
            "*.egg-info",
            "__pycache__",
            ".pytest_cache",
            ".hypothesis",
            "_build",
        ),
    )
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(source)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "bigcommerce/cli.py",
        "bigcommerce/__main__.py",
        "bigcommerce/sandbox/__init__.py",
        "bigcommerce/sandbox/__main__.py",
        "bigcommerce/py.typed",
    ):  # py.typed: PEP 561
        assert needed in names, needed
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "bigcommerce = bigcommerce.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
