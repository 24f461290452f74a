"""A build whose inputs did not change stops before parsing; any change runs it again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import qadeck
import qadeck.pipeline
from qadeck.cli import cli

NOTES = Path(__file__).parent / "fixtures" / "notes"
IMAGE = NOTES / "2.x-基础" / "images" / "attn.png"
TEXT = "## 第一章\n\n### 什么是过拟合？\n训练好，测试差。\n\n![图](images/attn.png)\n"


@pytest.fixture
def notes(tmp_path, monkeypatch):
    monkeypatch.setenv("QADECK_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "notes"
    (folder / "images").mkdir(parents=True)
    shutil.copy(IMAGE, folder / "images" / "attn.png")
    (folder / "a.md").write_text(TEXT, encoding="utf-8")
    return folder


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _parses(monkeypatch) -> list[Path]:
    """Count the loads of sources from here on."""
    seen: list[Path] = []
    real = qadeck.pipeline.load

    def counting(source, *a, **k):
        seen.append(source)
        return real(source, *a, **k)

    monkeypatch.setattr(qadeck.pipeline, "load", counting)
    return seen


def _stats(out: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in out.iterdir()}


def test_nothing_changed_loads_nothing_and_writes_nothing(notes, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _run("all", str(notes), "--out", str(out))
    before = _stats(out)
    loads = _parses(monkeypatch)
    again = _run("all", str(notes), "--out", str(out))
    assert loads == []
    assert _stats(out) == before
    assert sorted(line.split()[-1] for line in again.splitlines()) == sorted(
        str(out / name) for name in before
    )


def test_warnings_are_given_again(tmp_path, monkeypatch):
    monkeypatch.setenv("QADECK_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "w.md"
    src.write_text("## 章\n\n### 什么是 A？\n答。\n\n![缺](missing.png)\n", encoding="utf-8")
    first = _run("anki", str(src), "--out", str(tmp_path / "out"))
    loads = _parses(monkeypatch)
    second = _run("anki", str(src), "--out", str(tmp_path / "out"))
    assert loads == []
    warning = next(line for line in first.splitlines() if "missing.png" in line)
    assert warning in second.splitlines()


@pytest.mark.parametrize(
    "change",
    ["source", "lock", "image", "new-file", "output", "option", "config", "templates"],
)
def test_any_change_builds_again(notes, tmp_path, monkeypatch, change):
    out = tmp_path / "out"
    args = ["anki", str(notes), "--out", str(out)]
    mine = tmp_path / "mine"
    if change == "config":
        (notes / "qadeck.toml").write_text(
            'title = "我的笔记"\nsources = ["."]\n', encoding="utf-8"
        )
        monkeypatch.chdir(notes)
        args = ["anki", "--out", str(out)]
    elif change == "templates":
        shutil.copytree(Path(qadeck.__file__).parent.parent / "templates", mine)
        args += ["--templates", str(mine)]
    _run(*args)
    assert "up to date" in _run(*args)
    loads = _parses(monkeypatch)
    if change == "source":
        (notes / "a.md").write_text(TEXT.replace("测试差", "测试更差"), encoding="utf-8")
    elif change == "lock":
        lock = notes / "a.qadeck-lock.json"
        lock.write_text(lock.read_text("utf-8") + " ", encoding="utf-8")
    elif change == "image":
        (notes / "images" / "attn.png").unlink()
    elif change == "new-file":
        (notes / "b.md").write_text("### 什么是 B？\n答 B。\n", encoding="utf-8")
    elif change == "output":
        next(out.glob("*.apkg")).unlink()
    elif change == "option":
        args.append("--english-cards")
    elif change == "config":
        (notes / "qadeck.toml").write_text(
            'title = "别的标题"\nsources = ["."]\n', encoding="utf-8"
        )
    elif change == "templates":
        css = mine / "anki" / "card.css"
        css.write_text(css.read_text("utf-8") + "\n/* mine */\n", encoding="utf-8")
    output = _run(*args)
    assert loads, change
    assert "wrote" in output or change == "lock", (change, output)
