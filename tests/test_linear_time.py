"""Every text rule runs in linear time: each regex of the package, and the parse and render
of documents built to be slow. `make fuzz` runs the same checks with larger inputs."""

from __future__ import annotations

import contextlib
import os
import time

import pytest

from qadeck.markup import render_markdown
from qadeck.parse import parse_text

from .regex_timing import SUPERLINEAR, package_patterns, superlinear

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
SIZE, ATOMS = (4000, 14) if LONG else (1200, 6)
PATTERNS = package_patterns()


def test_the_harness_finds_the_package_regexes():
    names = {f.where for f in PATTERNS}
    assert len(PATTERNS) > 60
    assert "qadeck.images.MD_IMAGE" in names and any(n.startswith("text.py:") for n in names)


def test_the_harness_catches_a_backtracking_pattern():
    import re

    from .regex_timing import Found

    bad = Found("example", re.compile(r"(\s*,)*x|\d+\d+y"))
    assert superlinear(bad, 1200, 6)


@pytest.mark.parametrize("found", PATTERNS, ids=lambda f: f.where)
def test_regex_is_linear(found):
    assert superlinear(found, SIZE, ATOMS) == []


def _seconds(fn, arg) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - start)
    return best


def _parse(text: str) -> None:
    with contextlib.suppress(Exception):  # errors are fine here; only time is measured
        parse_text(text)


SLOW_DOCUMENTS = {
    "comments on one line": lambda n: "### 什么是x？\n" + "<!--a-->" * n + "\n",
    "index word then spaces": lambda n: "## 章\n题目" + " " * (40 * n) + "x\n### 什么是x？\n答\n",
    "Q: then spaces": lambda n: "Q: a" + " " * (40 * n) + "b\n\n答\n",
    "spaces in a heading": lambda n: "### 什么是" + " " * (40 * n) + "x {#a b}\n答\n",
    "image openers": lambda n: "### 什么是x？\n" + "![" * (10 * n) + "\n",
    "img tags": lambda n: "### 什么是x？\n" + "<img " * (8 * n) + "\n",
    "div tags": lambda n: "### 什么是x？\n答 " + "<div" * (10 * n) + "\n",
    "pipes": lambda n: "### 什么是x？\n" + "a|" * (20 * n) + "\n",
    "math openers": lambda n: "### 什么是x？\n" + "$$ a\n" * (4 * n),
    "bracket math openers": lambda n: "### 什么是x？\n" + "\\[ a\n" * (4 * n),
    "inline bracket openers": lambda n: "### 什么是x？\n" + "\\( a \\[ b " * (10 * n) + "\n",
    "backticks": lambda n: "### 什么是x？\n" + "`a" * (20 * n) + "\n",
    "front matter keys": lambda n: (
        "---\n" + "".join(f"k{i}: v\n" for i in range(4 * n)) + "---\n### 什么是x？\n答\n"
    ),
    "deep quotes": lambda n: "### 什么是x？\n" + ">" * (20 * n) + " a\n",
    "many list markers": lambda n: "### 什么是x？\n" + "- " * (20 * n) + "a\n",
}


@pytest.mark.parametrize("name", sorted(SLOW_DOCUMENTS))
def test_parse_and_render_grow_linearly(name):
    make = SLOW_DOCUMENTS[name]
    n = 100 if not LONG else 400

    def work(text: str) -> None:
        _parse(text)
        render_markdown(text)

    small, big = _seconds(work, make(n)), _seconds(work, make(4 * n))
    assert big < 0.02 or big / small < SUPERLINEAR, f"{name}: {small:.4f}s → {big:.4f}s"


def test_a_lexer_that_backtracks_falls_back_to_plain_code():
    """pygments' Scala lexer takes minutes on a string of backslashes."""
    code = '"' + "\\" * 97
    start = time.perf_counter()
    out = render_markdown(f"```scala\n{code}\n```\n")
    assert time.perf_counter() - start < 5
    assert '<div class="highlight" data-lang="scala"><pre><code>' in out and "\\" * 97 in out
    assert "<span" not in out  # plain, not highlighted
    assert '<span class="kd">val</span>' in render_markdown("```scala\nval x = 1\n```\n")


def _reworded(n: int, seed: int):
    """n long questions, and the same questions each with ten characters changed."""
    import random

    rng = random.Random(seed)
    words = "模型训练数据梯度损失函数注意力机制参数优化正则策略奖励价值网络采样分布误差"
    qs = ["".join(rng.choice(words) for _ in range(120)) + "是什么？" for _ in range(n)]
    changed = []
    for q in qs:
        chars = list(q)
        for _ in range(10):
            chars[rng.randrange(len(chars) - 4)] = "改"
        changed.append("".join(chars))

    def to_doc(qs):
        return parse_text("## 章\n" + "".join(f"### {q}\n答{i}。\n\n" for i, q in enumerate(qs)))  # noqa: E731

    return to_doc(qs), to_doc(changed)


def test_matching_reworded_questions_grows_linearly(tmp_path):
    from qadeck.identity import Plan, record, resolve
    from qadeck.lockfile import Lock

    def plan(n: int) -> tuple[float, int]:
        before, after = _reworded(n, n)
        lock = Lock(tmp_path / f"{n}.json")
        record(lock, resolve(before, lock)[0], Plan())
        start = time.perf_counter()
        _, p = resolve(after, lock)
        return time.perf_counter() - start, len(p.renamed)

    (small, found_small), (big, found_big) = plan(100), plan(400)
    assert (found_small, found_big) == (100, 400)  # every rewording keeps its key
    assert big < 0.5 or big / small < SUPERLINEAR
