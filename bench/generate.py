"""Deterministic synthetic sources built from the seed's constructs, at any size."""

from __future__ import annotations

import random
from pathlib import Path

TOPICS = ["强化学习", "奖励模型", "有监督微调", "对齐", "预训练", "注意力", "量化", "推理加速"]
EN = ["reinforcement learning", "reward models", "fine-tuning", "alignment", "pre-training"]


def card(i: int, rng: random.Random) -> str:
    topic = rng.choice(TOPICS)
    kind = i % 5
    head = f"#### {i}. 简单介绍一下{topic}的第{i}个要点？\n"
    if kind == 0:
        body = (
            f"**{topic}（Reinforcement Learning, RL）** 是机器学习的一个分支，第{i}条说明。\n"
            + "".join(f"- **要素{j}（Item {j}）**：说明 {rng.randint(1, 999)}\n" for j in range(5))
        )
    elif kind == 1:
        body = (
            "1. **第一步**：收集数据\n2. **第二步**：训练模型\n3. **第三步**：评估 `List<String>`\n"
        )
    elif kind == 2:
        body = "| 维度 | 预训练 | 微调 |\n|------|--------|------|\n" + "".join(
            f"| **行{j}** | 值{j} | 值{j + 1} |\n" for j in range(4)
        )
    elif kind == 3:
        body = (
            '**典型数据格式：**\n```json\n{\n  "instruction": "写一首诗",\n'
            f'  "output": "第{i}首",\n  "history": []\n}}\n```\n'
        )
    else:
        body = f"目标是通过最大化累积奖励来学习最优策略，公式 $r_t = {i}$。\n\n- 挑战：奖励黑客\n"
    en = (
        f"\n::: en Briefly introduce point {i} of {rng.choice(EN)}?\n"
        f"Point {i} explains **{rng.choice(EN)}** with a short list:\n- one\n- two\n:::\n"
    )
    return head + body + en


def source(n_cards: int, seed: int = 7) -> str:
    """A document of `n_cards` cards in sections of 50, each with a question index."""
    rng = random.Random(seed)
    parts = ["---\ntitle: 合成面试题\n---\n"]
    per = 50
    for s in range(0, n_cards, per):
        ids = range(s + 1, min(s + per, n_cards) + 1)
        parts.append(f"### {s // per + 1}、合成章节 {s // per + 1}\n\n**题目：**\n")
        parts += [f"{i}. 简单介绍一下第{i}个要点？\n" for i in ids]
        parts.append("\n---\n")
        parts += [card(i, rng) + "\n" for i in ids]
    return "\n".join(parts)


def write_folder(folder: Path, n_files: int, cards_per_file: int) -> Path:
    """A notes folder like a user's: numbered sub-folders of files (natural order matters)."""
    for f in range(1, n_files + 1):
        sub = folder / f"{(f - 1) // 10 + 1}.x-专题"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{f}-笔记.md").write_text(source(cards_per_file, seed=f), encoding="utf-8")
    return folder


def write(folder: Path, n_cards: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bench-{n_cards}.md"
    path.write_text(source(n_cards), encoding="utf-8")
    return path
