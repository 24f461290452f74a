"""Outputs come from the registry: a renderer installed through the `qadeck.renderers` entry
point gets its own command, its own options and a place in `all`."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SEED


def install_plugin(site: Path) -> None:
    """What `pip install` of a package declaring the entry point leaves on the path."""
    info = site / "qadeck_csv_demo-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: qadeck-csv-demo\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[qadeck.renderers]\ncsv = tests.plugins.csv_output:CsvRenderer\n"
    )


def qadeck(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(ROOT)]))
    return subprocess.run(
        [sys.executable, "-c", "from qadeck.cli import main; main()", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_an_installed_renderer_is_a_command_with_its_options(tmp_path):
    site = tmp_path / "site"
    install_plugin(site)
    src = tmp_path / SEED.name
    src.write_bytes(SEED.read_bytes())
    listing = qadeck(site, "--help", cwd=tmp_path)
    assert "csv" in listing.stdout and "Build a CSV of the cards" in listing.stdout
    assert "--delimiter [comma|tab]" in qadeck(site, "csv", "--help", cwd=tmp_path).stdout
    assert "--mode" not in qadeck(site, "csv", "--help", cwd=tmp_path).stdout

    result = qadeck(site, "csv", str(src), "--out", "d", "--delimiter", "tab", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader((tmp_path / "d" / "llm-rl-interview.csv").open(), delimiter="\t"))
    assert rows[0] == ["key", "question", "answer"] and len(rows) == 15
    assert all(r[0] and r[1] and r[2] for r in rows[1:])
    assert any("强化学习" in r[1] for r in rows[1:])

    result = qadeck(site, "all", str(src), "--out", "e", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    made = {p.suffix for p in (tmp_path / "e").iterdir()}
    assert made == {".apkg", ".pdf", ".html", ".csv"}
