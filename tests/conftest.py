"""Shared fixtures: the seed and a scratch copy of it for builds that write a lock file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "llm-rl-interview.md"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "llm-rl-interview.md"

settings.register_profile(
    "quick", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test starts with an empty build cache of its own, away from the user's."""
    monkeypatch.setenv("QADECK_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def seed_doc():
    from qadeck.parse import parse_file

    return parse_file(SEED)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A scratch project folder holding a copy of the seed source."""
    src = tmp_path / "source"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    return tmp_path


def deck_fields(apkg: Path) -> str:
    """Every note's fields, read straight from the package's SQLite collection."""
    import sqlite3
    import zipfile

    db = apkg.with_suffix(".anki2")
    with zipfile.ZipFile(apkg) as z:
        db.write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(db)
    try:
        return "\n".join(r[0] for r in con.execute("select flds from notes"))
    finally:
        con.close()


def write(tmp_path: Path, text: str, name: str = "notes.md") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield b
        b.close()
