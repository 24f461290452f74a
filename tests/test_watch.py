"""`qadeck watch`: a real process, real file writes, real outputs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .conftest import ROOT


class Watcher:
    def __init__(self, *args: str, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from qadeck.cli import main; main()", "watch", *args],
            cwd=cwd, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, after: int = 0, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, line in enumerate(self.lines[after:], after):
                if text in line:
                    return i + 1
            time.sleep(0.02)
        raise AssertionError(f"no {text!r} in {self.lines}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=20)


def test_watch_rebuilds_on_save_survives_errors_and_stops_cleanly(tmp_path):
    src = tmp_path / "n.md"
    src.write_text("## 章\n\n### 什么是A？\n甲\n", encoding="utf-8")
    w = Watcher("n.md", "--outputs", "anki,html", "--out", "d", cwd=tmp_path)
    try:
        seen = w.wait_for("start → ")
        page = tmp_path / "d" / "n.html"
        assert "甲" in page.read_text("utf-8")

        src.write_text("## 章\n\n### 什么是A？\n甲乙\n", encoding="utf-8")
        seen = w.wait_for("n.md → ", seen)
        assert "d/n.apkg" in w.lines[seen - 1] and "d/n.html" in w.lines[seen - 1]
        assert "甲乙" in page.read_text("utf-8")

        good = page.read_bytes()
        src.write_text("## 章\n\n### 什么是A？ {#bad id}\n坏\n", encoding="utf-8")
        seen = w.wait_for("n.md: not rebuilt", seen)
        w.wait_for("invalid card id 'bad id'", seen - 1)
        assert page.read_bytes() == good  # the last good outputs stay

        src.write_text("## 章\n\n### 什么是A？\n甲乙丙\n", encoding="utf-8")
        seen = w.wait_for("n.md → ", seen)
        assert "甲乙丙" in page.read_text("utf-8")

        # Saved the way vim and `sed -i` save: a new file renamed over the old one; the
        # watch follows the name, and later writes in place are still seen.
        new = tmp_path / "n.md.new"
        new.write_text("## 章\n\n### 什么是A？\n换了文件\n", encoding="utf-8")
        os.replace(new, src)
        seen = w.wait_for("n.md → ", seen)
        assert "换了文件" in page.read_text("utf-8")
        src.write_text("## 章\n\n### 什么是A？\n又写一次\n", encoding="utf-8")
        seen = w.wait_for("n.md → ", seen)
        assert "又写一次" in page.read_text("utf-8")

        (tmp_path / "d" / "junk.tmp").write_text("x")  # our own output folder: ignored
        time.sleep(0.5)
        assert not any("junk" in x for x in w.lines)
    finally:
        code = w.stop()
    assert code == 0 and "watch stopped" in w.lines[-1]
    assert not any("Traceback" in x for x in w.lines)


def test_watch_help_is_there():
    out = subprocess.run(
        [sys.executable, "-c", "from qadeck.cli import main; main()", "watch", "--help"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "rebuild on every save" in out and "--outputs" in out
