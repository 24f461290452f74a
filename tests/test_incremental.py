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
from qadeck.parsecache import forget

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
def test_incremental_builds_equal_cold_builds(tmp_path_factory, monkeypatch, edits):
    from qadeck import parsecache

    monkeypatch.setattr(parsecache, "LARGE", 0)  # every file keeps its sections on disk
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
        forget()  # nothing kept in memory either
        _build(folder, cold, root / f"cold-cache-{k}")
        assert _outputs(root / "warm") == _outputs(cold), (edits, k)
        assert _locks(folder) == {p: _timeless(b) for p, b in after.items()}


# -- sections of a large file ---------------------------------------------------------------
# Snippets that exercise what a section's emission reads from outside it: repeated section
# titles and questions (keys with suffixes), explicit ids used twice, numbered runs, parts,
# translations, containers, fences, math, `<details>`, bold and list questions.
SNIPPETS = [
    "## 第一章\n\n### 什么是过拟合？\n训练好，测试差。\n",
    "## 第一章\n\n### 什么是过拟合？\n又问一次。\n",
    "## 第二章\n\n### 1. 为什么要归一化？\n加速收敛。\n\n### 2. 归一化的种类\n- BN\n- LN\n",
    "## 模型 {#m}\n\n### 问题 {#q1}\n答。\n",
    "## 模型二\n\n### 另一问 {#q1}\n重复的 id。\n",
    "## 描述\n\n一段说明。\n",
    "## 代码\n\n```python\nprint(1)\n```\n",
    "## 注意力\n\n注意力是加权求和。\n\n### 为什么要缩放？\n防止 softmax 饱和。\n\n### 代码\n```\nx\n```\n",
    "## 第三章\n\n**什么是梯度消失？**\n\n梯度越来越小。\n\n- 什么是梯度爆炸？\n  - 梯度越来越大。\n",
    "## 第四章\n\n<details><summary>什么是 dropout？</summary>\n\n随机丢弃。\n\n</details>\n",
    "## 第五章\n\n### 什么是 KL 散度？\n$$\nD = \\sum p \\log \\frac{p}{q}\n$$\n\n::: en What is KL?\nA divergence.\n:::\n",
    "## 第六章\n\n::: tip 面试要点\n记住公式。\n:::\n\n### 什么是交叉熵？\n$H = -\\sum p \\log q$\n",
    "## 第七章\n\n| 问 | 答 |\n|---|---|\n| 什么是 AUC？ | 曲线下面积 |\n| 什么是 F1？ | 调和平均 |\n",
    "## 参考\n\n- [链接](https://example.com)\n",
    "# 大标题\n\n## 第八章\n\n### 什么是 LoRA？\n低秩分解。\n",
    "## 第九章\n\n### 题目描述\n反转链表。\n\n### 解题思路\n双指针。\n",
    "## 第十章\n\n### 什么是 RLHF？\n\n---\n\n规则之后的说明。\n",
    "### 没有章的问题？\n答案。\n",
    "## 3. 注意力机制\n\n### 多头\n并行的头。\n\n### 为什么要缩放？\n防止饱和。\n",
    "## 工厂模式\n\n### 什么是工厂模式？\n创建对象。\n\n### 类图\n一张图。\n",
    "## 单例模式\n\n### 什么是单例？\n一个实例。\n\n### 类图\n又一张图。\n",
    "## 4. 为什么要用残差？\n\n### 梯度\n梯度直达。\n",
    "## 5. 位置编码怎么做？\n\n正弦函数。\n",
    # a quiz and its answer key in another section: the answers join questions across them
    "## 测验\n\n**Q1. 推理时 Dropout 怎么做：**\n\nA) 丢弃  \nB) 缩放\n\n"
    "**Q2. L1 倾向于：**\n\nA) 稀疏  \nB) 稠密\n",
    "## 答案\n\n**Q1. 答案：B**\n全部保留。\n\n**Q2. 答案：A**\n权重为零。\n",
]
SECTION_EDITS = st.tuples(
    st.sampled_from(["line", "insert", "delete", "add", "remove", "swap", "heading"]),
    st.integers(0, 10_000),
    st.integers(0, len(SNIPPETS) - 1),
)


def _parse(text: str, memo):
    from qadeck.errors import SourceError
    from qadeck.parse import parse_text

    try:
        return parse_text(text, "big.md", memo=memo)
    except SourceError as e:
        return e.diagnostics


def _edit_sections(parts: list[str], edit: tuple[str, int, int]) -> list[str]:
    kind, at, pick = edit
    parts = list(parts)
    k = at % len(parts)
    lines = parts[k].split("\n")
    i = at % len(lines)
    if kind == "line":
        lines[i] += " 改"
    elif kind == "insert":
        lines.insert(i, "插入的一行。")
    elif kind == "delete" and len(lines) > 1:
        del lines[i]
    elif kind == "heading":
        lines[0] = lines[0].rstrip("？") + "是什么？"
    parts[k] = "\n".join(lines)
    if kind == "add":
        parts.insert(k, SNIPPETS[pick])
    elif kind == "remove" and len(parts) > 1:
        del parts[k]
    elif kind == "swap":
        parts[k], parts[-1 - k] = parts[-1 - k], parts[k]
    return parts


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.integers(0, len(SNIPPETS) - 1), min_size=2, max_size=24),
    st.lists(SECTION_EDITS, min_size=1, max_size=6),
)
def test_reused_sections_and_chunks_equal_a_cold_parse(monkeypatch, start, edits):
    """After any edits to a file of many sections (cut into chunks of a few lines here, so
    that chunks recur), a parse that reuses earlier sections and chunks gives exactly the
    document, warnings, decisions and errors a parse from nothing gives."""
    from qadeck import fastblock, sectioncache
    from qadeck.sectioncache import Memo

    monkeypatch.setattr(fastblock, "_CHUNK_LINES", 6)
    monkeypatch.setattr(sectioncache, "_ENTRIES", {})
    monkeypatch.setattr(sectioncache, "_CHUNKS", {})
    parts = [SNIPPETS[i] for i in start]
    _parse("\n".join(parts), Memo())
    reused = 0
    for edit in edits:
        parts = _edit_sections(parts, edit)
        text = "\n".join(parts)
        warm = Memo()
        incremental = _parse(text, warm)
        reused += len(warm.used) + len(warm.chunks)
        kept = sectioncache._ENTRIES.copy(), sectioncache._CHUNKS.copy()
        sectioncache._ENTRIES.clear()
        sectioncache._CHUNKS.clear()
        assert incremental == _parse(text, Memo()), (start, edits)
        sectioncache._ENTRIES.update(kept[0])
        sectioncache._CHUNKS.update(kept[1])


def _reparsed_equals_cold(monkeypatch, before: list[str], after: list[str]) -> None:
    from qadeck import sectioncache
    from qadeck.sectioncache import Memo

    monkeypatch.setattr(sectioncache, "_ENTRIES", {})
    monkeypatch.setattr(sectioncache, "_CHUNKS", {})
    _parse("\n".join(before), Memo())
    warm = _parse("\n".join(after), Memo())
    sectioncache._ENTRIES.clear()
    sectioncache._CHUNKS.clear()
    assert warm == _parse("\n".join(after), Memo())


def test_a_section_kept_from_before_sees_the_keys_and_neighbours_it_has_now(monkeypatch):
    """Each case edits the section before a kept one on the same lines, so the kept one is
    found again, and what it read from outside itself has changed."""

    def case(before: str, after: str, kept: str) -> None:
        _reparsed_equals_cold(monkeypatch, [before, kept], [after, kept])

    # the same question, in a section of the same title before it: its key is taken
    chapter = "## 第一章\n\n### 什么是{}？\n训练差。\n"
    case(chapter.format("欠拟合"), chapter.format("过拟合"), SNIPPETS[0])
    # its explicit id, now used by an earlier section
    other = SNIPPETS[4]
    case(other.replace("q1", "q2"), other, SNIPPETS[3])
    # a numbered top heading among numbered ones that now ask
    numbered = next(x for x in SNIPPETS if x.startswith("## 3."))
    run = "## 1. {}\n\n答1。\n\n## 2. {}\n\n答2。\n"
    case(run.format("第一种", "第二种"), run.format("什么是第一种？", "什么是第二种？"), numbered)
    # a sub-heading title that now recurs under a neighbour (`类图`) is a part
    factory = next(x for x in SNIPPETS if x.startswith("## 工厂模式"))
    singleton = next(x for x in SNIPPETS if x.startswith("## 单例模式"))
    case(singleton.replace("类图", "结构"), singleton, factory)
    # a level-1 heading whose text explains it, beside another level-1 heading (chapters)
    part = "# 注意力机制\n\n注意力机制是一种按相关性加权求和的方法。\n\n## 为什么要缩放？\n防止饱和。\n"
    other = "{} 其他\n\n### 什么是残差？\n直连。\n"
    case(other.format("##"), other.format("#"), part)
    # the only top heading left names the page: its `### 代码` is the page's, a note
    attention = next(x for x in SNIPPETS if x.startswith("## 注意力"))
    _reparsed_equals_cold(monkeypatch, [attention, SNIPPETS[0]], [attention])


def test_one_edit_in_a_large_file_emits_one_section_again(monkeypatch):
    from qadeck import fastblock, sectioncache
    from qadeck.sectioncache import Memo

    monkeypatch.setattr(fastblock, "_CHUNK_LINES", 20)
    monkeypatch.setattr(sectioncache, "_ENTRIES", {})
    monkeypatch.setattr(sectioncache, "_CHUNKS", {})
    parts = [
        f"## 第{k}章\n\n### 问题{k}是什么？\n答案{k}。\n\n### 为什么{k}？\n因为。\n"
        for k in range(30)
    ]
    first = Memo()
    _parse("\n".join(parts), first)
    assert len(first.used) == 30 and len(first.chunks) > 5
    parts[12] = parts[12].replace("答案12。", "答案12（改）。")
    again = Memo()
    doc = _parse("\n".join(parts), again)
    assert "答案12（改）" in doc.sections[12].cards[0].answer
    made = [k for k in again.used if k not in first.used]
    assert len(made) == 1  # the edited section alone was emitted again
    chunks_made = [k for k in again.chunks if k not in first.chunks]
    assert len(chunks_made) == 1 and len(again.chunks) > 5
