"""Hostile inputs: crashes, tracebacks, damaged locks, odd encodings, files that are not files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from qadeck.cli import cli
from qadeck.lockfile import lock_path

from .conftest import ROOT

CARD = "### 1. 什么是过拟合？\n模型记住了训练集。\n"


def qadeck(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command in its own process: a segfault shows as exit status -11."""
    return subprocess.run(
        [sys.executable, "-c", "from qadeck.cli import main; main()", *args],
        cwd=cwd or ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("answer", [">" * 60000 + " a", "- " * 50000 + "a", "1. " * 30000])
def test_deep_nesting_never_reaches_the_rust_parser(tmp_path, answer):
    src = tmp_path / "deep.md"
    src.write_text(f"### 什么是深嵌套？\n{answer}\n\n{CARD}", encoding="utf-8")
    result = qadeck("html", str(src), "--out", str(tmp_path / "dist"))
    assert result.returncode == 0, result.stderr[-500:]
    assert (tmp_path / "dist" / "deep.html").exists()


@pytest.mark.parametrize(
    "folds",
    [
        "<details><summary>什么是X？</summary>\n\n答\n\n" * 5000,  # never closed: they nest
        "<details>\n" * 5000 + "</details>\n" * 10,
        "<details><summary>" * 3000 + "\n\n答\n",
        "</details>\n" * 5000,
    ],
)
def test_thousands_of_details_neither_crash_nor_stall(tmp_path, folds):
    src = tmp_path / "folds.md"
    src.write_text(f"## 折叠\n\n{folds}\n\n{CARD}", encoding="utf-8")
    result = qadeck("html", str(src), "--out", str(tmp_path / "dist"))
    assert result.returncode == 0, result.stderr[-500:]
    assert "什么是过拟合" in (tmp_path / "dist" / "folds.html").read_text("utf-8")


@pytest.mark.parametrize(
    "front",
    [
        "a: " + "[" * 800 + "]" * 800,
        'title: "笔记 \\ud83d\\ude00 \\ud800"',
        'title: "bell \\a and escape \\e"',
        "title_en: RL for LLMs: Interview Questions",
    ],
)
def test_front_matter_never_gives_a_traceback(tmp_path, front):
    src = tmp_path / "x.md"
    src.write_text(f"---\n{front}\n---\n{CARD}", encoding="utf-8")
    result = qadeck("all", str(src), "--out", str(tmp_path / "dist"))
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1)
    if result.returncode == 0:
        page = (tmp_path / "dist" / "x.html").read_text(encoding="utf-8")
        assert "\a" not in page and "\x1b" not in page and "\ud800" not in page
        if "ud83d" in front:
            assert "笔记 😀" in page
    else:
        assert "x.md:" in result.stderr and "error:" in result.stderr


@pytest.mark.parametrize(
    "damage",
    [
        '{"version": 1, "cards": []}',
        '{"version": 1, "meta": "text", "cards": {}}',
        '{"version": 1, "cards": {"q": {"question": "a", "section": "s", "digest": "d", '
        '"fields": "f", "mtime": 1e30}}}',
        '{"version": 1, "cards": {"q": {"question": "a", "section": "s", "digest": "d", '
        '"fields": "f", "mtime": 1e400}}}',
        "[" * 100000 + "]" * 100000,
    ],
)
def test_a_damaged_lock_gets_advice_not_a_traceback(tmp_path, damage):
    src = tmp_path / "x.md"
    src.write_text(CARD, encoding="utf-8")
    lock_path(src).write_text(damage, encoding="utf-8")
    result = qadeck("anki", str(src), "--out", str(tmp_path / "dist"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "card lock file is damaged" in result.stderr and "git checkout" in result.stderr
    assert lock_path(src).read_text(encoding="utf-8") == damage


def test_a_newer_lock_says_upgrade_and_unknown_fields_are_kept(tmp_path):
    src = tmp_path / "x.md"
    src.write_text(CARD, encoding="utf-8")
    lock = lock_path(src)
    lock.write_text('{"version": 7, "cards": {}}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["anki", str(src), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1 and "upgrade qadeck" in result.stderr
    lock.unlink()
    assert CliRunner().invoke(cli, ["anki", str(src), "--out", str(tmp_path / "d")]).exit_code == 0
    data = json.loads(lock.read_text(encoding="utf-8"))
    key = next(iter(data["cards"]))
    data["cards"][key]["reviewed_by"] = "a later qadeck"
    data["future"] = {"x": 1}
    lock.write_text(json.dumps(data), encoding="utf-8")
    src.write_text(CARD.replace("训练集", "训练数据"), encoding="utf-8")
    assert CliRunner().invoke(cli, ["anki", str(src), "--out", str(tmp_path / "d")]).exit_code == 0
    kept = json.loads(lock.read_text(encoding="utf-8"))
    assert kept["future"] == {"x": 1} and kept["cards"][key]["reviewed_by"] == "a later qadeck"


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t")  # fmt: skip
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_two_branches_that_edited_notes_merge_their_locks(tmp_path):
    """Both branches add and edit cards; git merges or `qadeck merge-lock` resolves it."""
    repo = tmp_path / "notes"
    repo.mkdir()
    src = repo / "x.md"
    base = "".join(f"### {i}. 第{i}题是什么？\n答案{i}。\n\n" for i in range(1, 30))
    src.write_text(base, encoding="utf-8")
    build = lambda: CliRunner().invoke(cli, ["anki", str(src), "--out", str(tmp_path / "d")])  # noqa: E731
    assert build().exit_code == 0
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-qb", "other")
    src.write_text(base.replace("答案3。", "答案三。") + "### 40. 新题甲是什么？\n甲。\n", "utf-8")
    assert build().exit_code == 0
    git(repo, "commit", "-qam", "other")
    git(repo, "checkout", "-q", "main")
    src.write_text(
        base.replace("答案20。", "答案二十。") + "### 41. 新题乙是什么？\n乙。\n", "utf-8"
    )
    assert build().exit_code == 0
    git(repo, "commit", "-qam", "main")
    git(repo, "merge", "-q", "other")
    lock = lock_path(src)
    text = lock.read_text(encoding="utf-8")
    if "<<<<<<<" in text:
        result = CliRunner().invoke(cli, ["anki", str(src), "--out", str(tmp_path / "d")])
        assert result.exit_code == 1 and f"qadeck merge-lock {lock}" in result.stderr
        assert CliRunner().invoke(cli, ["merge-lock", str(lock)]).exit_code == 0
    data = json.loads(lock.read_text(encoding="utf-8"))
    questions = {c["question"] for c in data["cards"].values()}
    assert {"新题甲是什么？", "新题乙是什么？"} <= questions and len(data["cards"]) == 31


def test_merge_lock_keeps_both_sides_and_the_newer_time(tmp_path):
    lock = tmp_path / "x.qadeck-lock.json"
    entry = lambda q, t: {"question": q, "section": "s", "digest": q, "fields": q, "mtime": t}  # noqa: E731
    ours = {"version": 1, "meta": {}, "cards": {"a": entry("A", 5), "b": entry("B-old", 5)}}
    theirs = {"version": 1, "meta": {}, "cards": {"b": entry("B-new", 9), "c": entry("C", 1)}}
    text = "\n".join(["{", "<<<<<<< HEAD", json.dumps(ours)[1:-1], "=======",
                      json.dumps(theirs)[1:-1], ">>>>>>> other", "}"])  # fmt: skip
    lock.write_text(text, encoding="utf-8")
    assert CliRunner().invoke(cli, ["merge-lock", str(lock)]).exit_code == 0
    cards = json.loads(lock.read_text(encoding="utf-8"))["cards"]
    assert {k: v["question"] for k, v in cards.items()} == {"a": "A", "b": "B-new", "c": "C"}


def test_utf16_is_named_and_gbk_mojibake_is_warned_about(tmp_path):
    src = tmp_path / "u16.md"
    src.write_bytes(CARD.encode("utf-16"))
    result = CliRunner().invoke(cli, ["check", str(src)])
    assert result.exit_code == 1 and "the file is UTF-16" in result.stderr
    # Chinese whose GBK bytes happen to be valid UTF-8 (`学习` reads as `ѧϰ`).
    words = "为什么学习" + "".join(c for c in "位置使用前去双取史同员味品园图" if _utf8_in_gbk(c))
    gbk = f"### 1. {words}?\n{words}, {words}.\n".encode("gbk")
    gbk.decode("utf-8")  # valid UTF-8 indeed
    (tmp_path / "gbk.md").write_bytes(gbk)
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "gbk.md")])
    assert "looks like GBK" in result.stderr and "iconv -f GBK" in result.stderr
    plain = tmp_path / "greek.md"  # real Greek letters in math notes are no mojibake
    plain.write_text("### What is θ in αx + β?\nα, β and θ are parameters; Ω is a set.\n")
    assert "GBK" not in CliRunner().invoke(cli, ["check", str(plain)]).stderr


def _utf8_in_gbk(c: str) -> bool:
    try:
        c.encode("gbk").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_devices_pipes_and_folders_are_refused(tmp_path):
    result = CliRunner().invoke(cli, ["check", "/dev/zero"])
    assert result.exit_code == 1 and "not a regular file" in result.stderr
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    done: list = []
    t = threading.Thread(target=lambda: done.append(CliRunner().invoke(cli, ["check", str(fifo)])))
    t.start()
    t.join(10)
    assert done and done[0].exit_code == 1 and "not a regular file" in done[0].stderr


def test_a_killed_pdf_process_is_explained(tmp_path, monkeypatch):
    from qadeck.renderers.pdf import PdfRenderer

    src = tmp_path / "x.md"
    src.write_text(CARD, encoding="utf-8")
    monkeypatch.setattr(PdfRenderer, "render", lambda self, doc, ctx: os.kill(os.getpid(), 9))
    result = CliRunner().invoke(cli, ["all", str(src), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        "pdf renderer was killed by SIGKILL" in result.stderr
        and "Run the build again" in result.stderr
    )
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())


def test_symlinked_notes_outside_the_folder_are_refused(tmp_path):
    notes, outside = tmp_path / "notes", tmp_path / "outside"
    notes.mkdir()
    outside.mkdir()
    (notes / "ok.md").write_text(CARD, encoding="utf-8")
    (outside / "secret.md").write_text("### 什么是密码？\nhunter2\n", encoding="utf-8")
    (notes / "link.md").symlink_to(outside / "secret.md")
    (notes / "dir").symlink_to(outside, target_is_directory=True)
    result = CliRunner().invoke(cli, ["html", str(notes), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1 and "link.md: error:" in result.stderr
    assert "outside the notes folder" in result.stderr
    (notes / "link.md").unlink()
    result = CliRunner().invoke(cli, ["html", str(notes), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0
    assert "hunter2" not in (tmp_path / "dist" / "notes.html").read_text(encoding="utf-8")


def test_templates_in_the_working_directory_are_never_used(tmp_path, monkeypatch):
    src = tmp_path / "x.md"
    src.write_text(CARD, encoding="utf-8")
    evil = tmp_path / "templates" / "html"
    evil.mkdir(parents=True)
    marker = tmp_path / "ran"
    (evil / "page.html.j2").write_text(
        "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}"
    )
    for name in ("page.css", "page.js"):
        (evil / name).write_text("")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["html", str(src), "--out", "dist"])
    assert result.exit_code == 0 and not marker.exists()
    assert "什么是过拟合" in (tmp_path / "dist" / "x.html").read_text(encoding="utf-8")
    # Named on purpose, the folder is used, in the sandbox: the attack is refused cleanly.
    result = CliRunner().invoke(cli, ["html", str(src), "--out", "d2", "--templates", "templates"])
    assert result.exit_code == 1 and not marker.exists()
    assert "Traceback" not in result.output and "template" in result.stderr


def test_decompression_bomb_images_are_left_out_with_a_warning(tmp_path):
    from PIL import Image

    (tmp_path / "img").mkdir()
    Image.new("1", (12000, 12000)).save(tmp_path / "img" / "bomb.png", optimize=True)
    src = tmp_path / "x.md"
    src.write_text("### 什么是炸弹？\n![b](img/bomb.png)\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pdf", str(src), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0
    assert "x.md:2:6: warning: image 'img/bomb.png' is 12000×12000 pixels" in result.stderr


def test_a_sheet_too_large_to_print_is_refused_before_using_gigabytes(tmp_path):
    from qadeck.renderers.pdf import MAX_CARDS

    src = tmp_path / "huge.md"
    src.write_text(
        "".join(f"### 什么是第{i}项？\n答{i}\n" for i in range(MAX_CARDS + 1)), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["all", str(src), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1 and "too large to print" in result.stderr
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())
