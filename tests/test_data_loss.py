"""Nothing lost: unique Anki identities, outputs and lock moving together, killed builds."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from qadeck.atomic import Staging
from qadeck.cli import cli
from qadeck.lockfile import lock_path

from .conftest import ROOT, SEED
from .test_anki import collection, import_deck, notes_by_key

OVERFIT = "### 1. 什么是过拟合？\n{answer}\n\n### 2. 如何缓解过拟合？\n正则化与早停。\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def notes_folder(tmp_path: Path, cv_front: str = "") -> Path:
    notes = tmp_path / "notes"
    for sub, answer in (("rl", "rl 的答案：奖励过拟合。"), ("cv", "cv 的答案：训练集记住了噪声。")):
        (notes / sub).mkdir(parents=True)
        text = OVERFIT.format(answer=answer)
        if sub == "cv" and cv_front:
            text = f"---\n{cv_front}\n---\n" + text
        (notes / sub / "index.md").write_text(text, encoding="utf-8")
    return notes


def test_same_file_name_in_two_folders_is_an_error_naming_both(tmp_path):
    notes = notes_folder(tmp_path)
    result = run("anki", str(notes), "--out", str(tmp_path / "dist"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "notes/rl/index.md" in result.stderr and "notes/cv/index.md" in result.stderr
    assert "namespace 'index'" in result.stderr and "id:" in result.stderr
    assert not (tmp_path / "dist").exists()
    assert not list(notes.rglob("*.qadeck-lock.json"))
    # `check` says the same, and so does a build of two single files sharing an `id:`.
    assert run("check", str(notes)).exit_code == 1
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    for p in (a, b):
        p.write_text("---\nid: shared\n---\n" + OVERFIT.format(answer="答。"), encoding="utf-8")
    result = run("anki", str(a), str(b), "--out", str(tmp_path / "dist"))
    assert result.exit_code == 1 and "'shared'" in result.stderr and "a.md" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_colliding_guids_from_ambiguous_joins_are_refused(tmp_path):
    """genanki joins namespace and key with `__`: ("a__b", "c") and ("a", "b__c") collide."""
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("---\nid: a__b\n---\n### 什么是 X？ {#c}\n答。\n", encoding="utf-8")
    b.write_text("---\nid: a\n---\n### 什么是 Y？ {#b__c}\n答。\n", encoding="utf-8")
    result = run("anki", str(a), str(b), "--out", str(tmp_path / "dist"))
    assert result.exit_code == 1
    assert "Anki note id" in result.stderr and "a.md:4:1" in result.stderr


def test_distinct_ids_keep_each_history_in_real_anki(tmp_path):
    notes = notes_folder(tmp_path, cv_front="id: cv-index")
    dist = tmp_path / "dist"
    assert run("anki", str(notes), "--out", str(dist)).exit_code == 0
    apkg = dist / "notes.apkg"
    col = collection(tmp_path / "c.anki2")
    try:
        import_deck(col, apkg)
        before = notes_by_key(col)
        assert len(before) == 4 and len({n.guid for n in before.values()}) == 4
        cv = notes / "cv" / "index.md"
        cv.write_text(cv.read_text("utf-8").replace("记住了噪声", "记住了标注噪声"), "utf-8")
        assert run("anki", str(notes), "--out", str(dist)).exit_code == 0
        import_deck(col, apkg)
        after = notes_by_key(col)
        assert {k: n.id for k, n in after.items()} == {k: n.id for k, n in before.items()}
        edited = [k for k in after if after[k]["Answer"] != before[k]["Answer"]]
        assert len(edited) == 1 and "标注噪声" in after[edited[0]]["Answer"]
        rl = [n for n in after.values() if "rl 的答案" in n["Answer"]]
        assert len(rl) == 1 and "cv" not in rl[0]["Answer"]
    finally:
        col.close()


def outputs(workdir: Path) -> dict[str, bytes]:
    files = sorted((workdir / "dist").iterdir()) + [lock_path(workdir / "source" / SEED.name)]
    return {p.name: p.read_bytes() for p in files}


def edit_seed(workdir: Path) -> None:
    src = workdir / "source" / SEED.name
    src.write_text(src.read_text(encoding="utf-8").replace("学习主体", "学习的主体"), "utf-8")


def build_seed(workdir: Path, *names: str):
    src = workdir / "source" / SEED.name
    return run(*(names or ("anki",)), str(src), "--out", str(workdir / "dist"))


def test_full_disk_while_staging_the_lock_changes_nothing(workdir, monkeypatch):
    assert build_seed(workdir, "anki").exit_code == 0
    before = outputs(workdir)
    edit_seed(workdir)
    real = Staging.write

    def full(self, target, data):
        if target.name.endswith(".qadeck-lock.json"):
            raise OSError(28, "No space left on device")
        real(self, target, data)

    monkeypatch.setattr(Staging, "write", full)
    result = build_seed(workdir, "anki")
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert outputs(workdir) == before
    assert not [p for p in (workdir / "dist").iterdir() if p.name.startswith(".")]
    assert not [p for p in (workdir / "source").iterdir() if p.name.endswith(".tmp")]


def test_a_failed_rename_puts_back_what_was_already_renamed(workdir, monkeypatch):
    assert build_seed(workdir, "anki").exit_code == 0
    before = outputs(workdir)
    edit_seed(workdir)
    real = os.replace

    def flaky(src, dst):
        if str(dst).endswith(".qadeck-lock.json") and ".tmp" in str(src):
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    result = build_seed(workdir, "anki")
    assert result.exit_code == 1
    monkeypatch.setattr(os, "replace", real)
    assert outputs(workdir) == before
    assert not [p for p in (workdir / "dist").iterdir() if p.name.startswith(".")]


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(x) for x in task.read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def start_build(workdir: Path) -> subprocess.Popen:
    src = workdir / "source" / SEED.name
    return subprocess.Popen(
        [sys.executable, "-c", "from qadeck.cli import main; main()", "all", str(src),
         "--out", str(workdir / "dist")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def wait_for_child(proc: subprocess.Popen) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        kids = children(proc.pid)
        if kids:
            return kids
        time.sleep(0.01)
    pytest.fail("the build never forked its PDF process")


def big_source(workdir: Path, cards: int = 140) -> None:
    """A source whose PDF takes some seconds, so the build can be killed while it runs."""
    body = "\n".join(
        f"### {i}. 第 {i} 题是什么？\n" + "答案的一段话，写得足够长以便排版。" * 30 + "\n"
        for i in range(1, cards + 1)
    )
    (workdir / "source" / SEED.name).write_text("## 大题\n\n" + body, encoding="utf-8")


def test_sigkill_takes_the_pdf_process_along_and_the_next_build_sweeps(workdir):
    big_source(workdir)
    assert build_seed(workdir, "anki").exit_code == 0
    dist = workdir / "dist"
    stale = dist / ".notes.apkg.999999999.abcd_123.tmp"  # a pid that cannot run
    stale.write_bytes(b"left by a killed build")
    legacy = dist / ".notes.apkg.zz9_y8x7.tmp"  # from before temp names carried a pid
    legacy.write_bytes(b"old")
    os.utime(legacy, (time.time() - 7200, time.time() - 7200))
    edit_seed(workdir)
    proc = start_build(workdir)
    kids = wait_for_child(proc)
    time.sleep(0.3)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 1  # the PDF alone takes far longer than this
    while any(alive(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(k) for k in kids), "the PDF process outlived the build"
    fd = os.open(workdir / "source" / SEED.name, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the source's lock is free at once
    finally:
        os.close(fd)
    assert build_seed(workdir, "anki").exit_code == 0
    left = [p.name for p in dist.iterdir() if p.name.endswith(".tmp")]
    assert left == []


def test_sigterm_is_handled_like_ctrl_c(workdir):
    assert build_seed(workdir, "all").exit_code == 0
    before = outputs(workdir)
    edit_seed(workdir)
    proc = start_build(workdir)
    kids = wait_for_child(proc)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    assert b"Traceback" not in err and b"outputs left as they were" in err
    assert not any(alive(k) for k in kids)
    assert outputs(workdir) == before
    assert not [p for p in (workdir / "dist").iterdir() if p.name.startswith(".")]


def test_a_killed_pdf_worker_stops_the_build_with_a_clear_error(workdir):
    """A worker the system kills (out of memory) ends the build at once, exit 1, outputs as
    they were: never a build that waits for ever."""
    big_source(workdir, cards=220)  # enough for the sheet's parallel workers
    src = workdir / "source" / SEED.name
    proc = subprocess.Popen(
        [sys.executable, "-c", "from qadeck.cli import main; main()", "pdf", str(src),
         "--out", str(workdir / "dist")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline, workers = time.monotonic() + 60, []
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        workers = [k for k in children(proc.pid) if b"spawn_main" in _cmdline(k)]
        time.sleep(0.02)
    assert workers, "the sheet never started its workers"
    time.sleep(0.3)
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert b"Traceback" not in err and b"lost a worker process" in err
    dist = workdir / "dist"
    assert not dist.exists() or not [p.name for p in dist.iterdir() if p.suffix != ".apkg"]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
