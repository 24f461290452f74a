"""A build that fails halfway leaves dist/ and the lock file as they were."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qadeck.cli import cli
from qadeck.lockfile import lock_path
from qadeck.renderers.pdf import PdfRenderer

from .conftest import ROOT, SEED


def build_all(workdir: Path):
    src = workdir / "source" / SEED.name
    return CliRunner().invoke(cli, ["all", str(src), "--out", str(workdir / "dist")])


def snapshot(workdir: Path) -> dict[str, bytes]:
    files = sorted((workdir / "dist").iterdir()) + [lock_path(workdir / "source" / SEED.name)]
    return {p.name: p.read_bytes() for p in files}


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt])
def test_failed_build_keeps_previous_outputs(workdir, monkeypatch, failure):
    assert build_all(workdir).exit_code == 0
    before = snapshot(workdir)
    src = workdir / "source" / SEED.name
    src.write_text(src.read_text(encoding="utf-8").replace("学习主体", "学习的主体"), "utf-8")
    original = PdfRenderer.render

    def broken(self, doc, ctx):
        original(self, doc, ctx)  # the PDF is fully written to its temp file, then…
        raise failure

    monkeypatch.setattr(PdfRenderer, "render", broken)
    result = build_all(workdir)
    assert result.exit_code == (130 if failure is KeyboardInterrupt else 1)
    assert "Traceback" not in result.output
    assert snapshot(workdir) == before
    assert not [p for p in (workdir / "dist").iterdir() if p.name.startswith(".")]


def test_damaged_lock_stops_the_build_with_advice(workdir):
    assert build_all(workdir).exit_code == 0
    before = snapshot(workdir)
    lock = lock_path(workdir / "source" / SEED.name)
    for damage in ("{not json", '{"version": 1, "cards": {"q1": {"question": 3}}}', "[]"):
        lock.write_text(damage, encoding="utf-8")
        result = build_all(workdir)
        assert result.exit_code == 1
        assert f"{lock}: error: card lock file is damaged" in result.stderr
        assert "git checkout" in result.stderr
        assert lock.read_text(encoding="utf-8") == damage
        assert {k: v for k, v in snapshot(workdir).items() if k != lock.name} == {
            k: v for k, v in before.items() if k != lock.name
        }
    lock.unlink()  # the documented way to start afresh
    assert build_all(workdir).exit_code == 0


def test_concurrent_builds_do_not_interleave(workdir):
    src = workdir / "source" / SEED.name
    cmd = [sys.executable, str(ROOT / "build.py"), "anki", str(src), "--out"]
    procs = [
        subprocess.Popen(
            [*cmd, str(workdir / f"dist{i}")], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for i in range(3)
    ]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    data = json.loads(lock_path(src).read_text(encoding="utf-8"))
    assert len(data["cards"]) == 14
    outputs = {(workdir / f"dist{i}" / "llm-rl-interview.apkg").read_bytes() for i in range(3)}
    assert len(outputs) == 1


def test_identity_scales_and_survives_a_section_rename(tmp_path):
    """Renaming the section of 3,000 cards keeps every key, without quadratic matching."""
    import time

    from qadeck.identity import record
    from qadeck.lockfile import Lock
    from qadeck.pipeline import load

    src = tmp_path / "big.md"
    body = "".join(f"### {i}. 第{i}个问题是什么？\n答{i}\n\n" for i in range(3000))
    src.write_text("## 旧章节\n\n" + body, encoding="utf-8")
    first = load(src)
    record(first.lock, first.doc, first.plan)
    first.lock.save()
    src.write_text("## 新章节名\n\n" + body, encoding="utf-8")
    start = time.perf_counter()
    second = load(src)
    assert time.perf_counter() - start < 20
    assert [c.key for c in second.doc.cards] == [c.key for c in first.doc.cards]
    assert not second.plan.added and not second.plan.removed
    assert Lock.load(src.with_name("big.qadeck-lock.json")).entries


def test_many_repeated_questions_stay_fast(tmp_path):
    import time

    from qadeck.parse import parse_text

    start = time.perf_counter()
    doc = parse_text("## 重复\n\n" + "### 什么是X？\n答\n\n" * 3000, "x.md")
    assert time.perf_counter() - start < 20
    assert len({c.key for c in doc.cards}) == 3000
