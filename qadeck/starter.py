"""`qadeck init`: a working notes repository in one command."""

from __future__ import annotations

from pathlib import Path

from .config import NAME, TEMPLATE
from .errors import SourceError
from .model import Diagnostic, Span

SAMPLE = """---
title: 机器学习面试笔记
title_en: "Machine Learning: Interview Notes"
tags: [interview, ml]
---

## 一、基础概念

::: en Basics
:::

**题目：**
1. 什么是过拟合？
2. 如何缓解过拟合？

---

### 1. 什么是过拟合？

**过拟合（Overfitting）** 指模型在训练集上表现很好，在新数据上却变差：它记住了训练数据里的噪声。

| 现象 | 训练误差 | 验证误差 |
|---|---|---|
| 欠拟合 | 高 | 高 |
| 过拟合 | 低 | 高 |

::: en What is overfitting?
**Overfitting** means the model does well on the training set but worse on new data: it has
memorised the noise of the training data.
:::

### 2. 如何缓解过拟合？

- 更多数据、数据增强
- 正则化，例如 L2：损失加上 $\\lambda \\lVert w \\rVert^2$
- 早停（Early Stopping）

```python
for epoch in range(100):
    train_one_epoch(model)
    if val_loss(model) > best:  # 验证集不再变好就停
        break
```

::: en How do you reduce overfitting?
- More data, data augmentation
- Regularisation, e.g. L2: add $\\lambda \\lVert w \\rVert^2$ to the loss
- Early stopping
:::
"""

README = """# {title}

Interview notes in Markdown, compiled by [qadeck](https://pypi.org/project/qadeck/).

```sh
qadeck all        # dist/: an Anki deck (.apkg), a PDF cheat-sheet and an HTML page
```

Import `dist/*.apkg` into Anki (File → Import); rebuilding and importing again updates the
cards in place and keeps their review history. Notes live in `notes/`; settings in
`qadeck.toml`. Commit the `*.qadeck-lock.json` files beside the notes (they keep each card's
identity); `dist/` is not committed.
"""

GITIGNORE = "/dist/\n"


def create(folder: Path, title: str = "") -> list[Path]:
    """Write the starter files into `folder` (made if missing); never overwrites a file."""
    title = title or folder.resolve().name
    files = {
        folder / NAME: TEMPLATE.format(title=title.replace('"', "'"), title_en=""),
        folder / "notes" / "machine-learning.md": SAMPLE,
        folder / ".gitignore": GITIGNORE,
        folder / "README.md": README.format(title=title),
    }
    existing = [p for p in files if p.exists()]
    if existing:
        raise SourceError(
            [
                Diagnostic("error", Span(str(p), 0), "already exists; nothing was written")
                for p in existing
            ]  # fmt: skip
        )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
