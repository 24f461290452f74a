"""The caches never change a byte: after any sequence of edits, a build that reuses the parse
cache and the output stamps gives what a build with empty caches gives, from the same lock."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qadeck.cli import cli

from .conftest import deck_fields

NOTES = Path(__file__).parent / "fixtures" / "notes"

BASE = [
    "## 第一章\n\n### 1. 什么是过拟合？\n训练好，测试差。\n",
    "### 2. 什么是正则化？\n给损失加惩罚。\n\n![图](images/attn.png)\n",
    "## 第二章\n\n### 3. 为什么要归一化？\n加速收敛。\n\n::: en Why normalize?\nFaster.\n:::\n",
]
EDITS = st.sampled_from(
    ["edit", "insert", "delete", "move", "front", "image", "touch-image", "new-file", "none"]
)


def _build(folder: Path, out: Path, cache: Path) -> None:
    old = os.environ.get("QADECK_CACHE")
    os.environ["QADECK_CACHE"] = str(cache)
    try:
        result = CliRunner().invoke(
            cli, ["all", str(folder), "--out", str(out)], catch_exceptions=False
        )
    finally:
        os.environ["QADECK_CACHE"] = old or ""
    assert result.exit_code == 0, result.output


def _outputs(out: Path) -> dict[str, str]:
    found = {p.name: p.read_text("utf-8") for p in out.glob("*.html")}
    found.update({p.name: deck_fields(p) for p in out.glob("*.apkg")})
    return found


def _timeless(data: bytes) -> bytes:
    """A lock without its note times (a second may pass between the two builds)."""
    return re.sub(rb'"mtime": \d+', b'"mtime": 0', data)


def _locks(folder: Path) -> dict[Path, bytes]:
    return {p: _timeless(p.read_bytes()) for p in folder.rglob("*lock.json")}


def _apply(folder: Path, edit: str, k: int) -> None:
    src = folder / "a.md"
    parts = src.read_text("utf-8").split("\n### ")
    if edit == "edit":
        src.write_text(src.read_text("utf-8").replace("加速收敛", f"加速收敛{k}", 1), "utf-8")
    elif edit == "insert":
        src.write_text(src.read_text("utf-8") + f"\n### 新问题{k}是什么？\n新答案{k}。\n", "utf-8")
    elif edit == "delete" and len(parts) > 2:
        src.write_text("\n### ".join(parts[:-1]) + "\n", "utf-8")
    elif edit == "move" and len(parts) > 2:
        src.write_text(
            "\n### ".join([parts[0], parts[-1].rstrip("\n"), *parts[1:-1]]) + "\n", "utf-8"
        )
    elif edit == "front":
        body = (
            src.read_text("utf-8").split("---\n", 2)[-1]
            if src.read_text("utf-8").startswith("---")
            else src.read_text("utf-8")
        )
        src.write_text(f"---\ntitle: 笔记{k}\n---\n\n{body}", "utf-8")
    elif edit == "image":
        (folder / "images" / "attn.png").unlink(missing_ok=True)
    elif edit == "touch-image":
        shutil.copy(NOTES / "2.x-基础" / "images" / "attn.png", folder / "images" / "attn.png")
    elif edit == "new-file":
        (folder / f"b{k}.md").write_text(f"## 另一章\n\n### 第{k}题是什么？\n答{k}。\n", "utf-8")


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(EDITS, min_size=1, max_size=4))
def test_incremental_builds_equal_cold_builds(tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("inc")
    folder = root / "notes"
    (folder / "images").mkdir(parents=True)
    shutil.copy(NOTES / "2.x-基础" / "images" / "attn.png", folder / "images" / "attn.png")
    (folder / "a.md").write_text("\n".join(BASE), encoding="utf-8")
    warm = root / "warm-cache"
    _build(folder, root / "warm", warm)
    for k, edit in enumerate(edits):
        _apply(folder, edit, k)
        locks = {p: p.read_bytes() for p in folder.rglob("*lock.json")}
        _build(folder, root / "warm", warm)
        after = {p: p.read_bytes() for p in folder.rglob("*lock.json")}
        for p, data in locks.items():  # the same lock for the cold build
            p.write_bytes(data)
        for p in set(after) - set(locks):
            p.unlink()
        cold = root / f"cold-{k}"
        _build(folder, cold, root / f"cold-cache-{k}")
        assert _outputs(root / "warm") == _outputs(cold), (edits, k)
        assert _locks(folder) == {p: _timeless(b) for p, b in after.items()}
