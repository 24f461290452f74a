"""A user's own notes repository: install, `qadeck init`, `qadeck all` from anywhere."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qadeck.cli import cli

from .conftest import ROOT


def qadeck(*args: str, cwd: Path, exe: list[str] | None = None) -> subprocess.CompletedProcess:
    command = exe or [sys.executable, "-c", "from qadeck.cli import main; main()"]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def digests(root: Path) -> dict[str, str]:
    files = [*root.joinpath("dist").iterdir(), *root.rglob("*.qadeck-lock.json")]
    return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest() for p in files}


def junk_templates(folder: Path) -> None:
    """What an Obsidian vault (or a prank) leaves in the working directory."""
    for name in ("anki", "pdf", "html"):
        (folder / "templates" / name).mkdir(parents=True, exist_ok=True)
    (folder / "templates" / "html" / "page.html.j2").write_text("JUNK {{ 1/0 }}")
    (folder / "templates" / "anki" / "card.css").write_text("JUNK")


def note_fields(apkg: Path) -> list[list[str]]:
    with zipfile.ZipFile(apkg) as z:
        db = apkg.with_suffix(".anki2")
        db.write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(db)
    try:
        return [r[0].split("\x1f") for r in con.execute("select flds from notes")]
    finally:
        con.close()
        db.unlink()


def test_init_then_all_gives_the_same_bytes_from_any_folder(tmp_path):
    notes = tmp_path / "notes-repo"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    junk_templates(elsewhere)
    made = qadeck("init", str(notes), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    for name in ("qadeck.toml", "notes/machine-learning.md", ".gitignore", "README.md"):
        assert (notes / name).is_file()
    junk_templates(notes)  # even at the root itself, the junk is not used
    first = qadeck("all", cwd=notes)
    assert first.returncode == 0, first.stderr
    assert {p.suffix for p in (notes / "dist").iterdir()} == {".apkg", ".pdf", ".html"}
    built = digests(notes)
    assert qadeck("all", cwd=notes).returncode == 0
    assert digests(notes) == built  # a rebuild with nothing changed writes the same bytes
    assert qadeck("all", str(notes), cwd=elsewhere).returncode == 0
    assert digests(notes) == built
    assert qadeck("all", str(notes.resolve()), cwd=Path("/")).returncode == 0
    assert digests(notes) == built
    assert not (elsewhere / "dist").exists()
    fields = note_fields(notes / "dist" / "notes.apkg")
    assert {f[6].rsplit(":", 1)[0] for f in fields} == {"notes/machine-learning.md"}
    assert "JUNK" not in (notes / "dist" / "notes.html").read_text(encoding="utf-8")
    # Init never overwrites.
    again = qadeck("init", str(notes), cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr


def make_repo(tmp_path: Path, config: str) -> Path:
    root = tmp_path / "repo"
    (root / "notes" / "rl").mkdir(parents=True)
    (root / "qadeck.toml").write_text(config, encoding="utf-8")
    (root / "README.md").write_text("# 我的仓库\n\n### 这不是笔记吗？\n是仓库说明。\n")
    (root / "notes" / "rl" / "ppo.md").write_text(
        "---\ntitle: 策略优化\ntitle_en: Policy optimisation\ndeck: 强化学习\n---\n"
        "## PPO\n\n### 1. 什么是 PPO？\n近端策略优化。\n",
        encoding="utf-8",
    )
    (root / "notes" / "basics.md").write_text("### 什么是梯度？\n导数组成的向量。\n")
    return root


def test_config_names_the_folder_and_files_name_their_parts(tmp_path):
    root = make_repo(
        tmp_path,
        'title = "我的笔记"\ndeck = "面试"\nsources = ["notes"]\nout = "out"\n'
        'outputs = ["anki", "html"]\n\n[pdf]\nmode = "quiz"\n',
    )
    result = CliRunner().invoke(cli, ["all", str(root)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "out").iterdir()) == ["notes.apkg", "notes.html"]
    page = (root / "out" / "notes.html").read_text(encoding="utf-8")
    assert "<title>我的笔记</title>" in page
    assert '<span lang="en">rl / Policy optimisation</span>' in page
    with zipfile.ZipFile(root / "out" / "notes.apkg") as z:
        (root / "c.anki2").write_bytes(z.read("collection.anki2"))
    raw = sqlite3.connect(root / "c.anki2").execute("select decks from col").fetchone()[0]
    decks = {d["name"] for d in json.loads(raw).values()}
    assert "面试::rl::强化学习::PPO" in decks or "面试::rl::强化学习" in decks, decks
    # [pdf] options apply to the PDF unless the command line says otherwise.
    result = CliRunner().invoke(cli, ["pdf", str(root)])
    assert result.exit_code == 0 and (root / "out" / "notes-quiz.pdf").exists()
    result = CliRunner().invoke(cli, ["pdf", str(root), "--mode", "sheet"])
    assert result.exit_code == 0 and (root / "out" / "notes.pdf").exists()


def test_a_readme_at_the_root_is_not_a_note(tmp_path, monkeypatch):
    root = make_repo(tmp_path, 'sources = ["."]\n')
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert "这不是笔记吗" not in result.output and "什么是梯度" in result.output


def test_messages_for_what_belongs_to_no_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "nope.md"])
    assert (
        result.exit_code == 1 and result.stderr.strip() == "nope.md: error: no such file or folder"
    )
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["check", "empty"])
    assert "empty: error: no Markdown files here" in result.stderr
    (tmp_path / "n.txt").write_text("### 什么是A？\n答\n")
    result = CliRunner().invoke(cli, ["check", "n.txt"])
    assert result.exit_code == 1 and "n.txt: error: not a Markdown file" in result.stderr
    (tmp_path / "w.md").write_text("### 什么是A？\n\n### 什么是B？\n答\n")
    result = CliRunner().invoke(cli, ["check", "--strict", "w.md"])
    assert result.exit_code == 1 and "w.md:1:1: error: question" in result.stderr
    assert "warning:" not in result.stderr
    (tmp_path / "y.md").write_text("---\ntitle_en: RL for LLMs: Interview Questions\n---\n")
    result = CliRunner().invoke(cli, ["check", "y.md"])
    assert 'needs quotes, e.g. title_en: "RL for LLMs: Interview Questions"' in result.stderr
    result = CliRunner().invoke(cli, ["all"])
    assert result.exit_code == 2 and "qadeck init" in result.output
    (tmp_path / "qadeck.toml").write_text("colour = 1\n")
    result = CliRunner().invoke(cli, ["check"])
    assert (
        result.exit_code == 1
        and "qadeck.toml:1:1: error: unknown setting `colour`" in result.stderr
    )


def readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```markdown example\n(.*?)^```", text, re.S | re.M)


@pytest.mark.parametrize("n", range(len(readme_examples())))
def test_every_readme_example_builds(tmp_path, n):
    src = tmp_path / "example.md"
    src.write_text(readme_examples()[n], encoding="utf-8")
    result = CliRunner().invoke(cli, ["all", str(src), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert "error:" not in result.stderr


def test_the_readme_has_examples():
    assert readme_examples()


def test_a_wheel_in_a_fresh_environment_builds_a_new_notes_repository(tmp_path):
    """What `pipx install` does: the wheel alone, in a virtual environment of its own."""
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("qadeck-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(wheel)],
        capture_output=True, text=True, timeout=900, env=env,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-2000:]
    exe = [str(venv / "bin" / "qadeck")]
    cwd = tmp_path / "somewhere"
    cwd.mkdir()
    junk_templates(cwd)
    notes = tmp_path / "my-notes"
    assert qadeck("init", str(notes), cwd=cwd, exe=exe).returncode == 0
    result = qadeck("all", str(notes), cwd=cwd, exe=exe)
    assert result.returncode == 0, result.stderr
    dist = notes / "dist"
    assert len(note_fields(dist / "notes.apkg")) == 2
    from pypdf import PdfReader

    assert "过拟合" in PdfReader(dist / "notes.pdf").pages[0].extract_text()
    page = (dist / "notes.html").read_text(encoding="utf-8")
    assert "什么是过拟合" in page and "JUNK" not in page
    found = qadeck("-c", "import qadeck; print(qadeck.__file__)", cwd=cwd,
                   exe=[str(venv / "bin" / "python")])  # fmt: skip
    assert str(ROOT) not in found.stdout  # the installed package, not this checkout
