"""Small text rules shared by the parser: labels, question detection, slugs, keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_CN_NUM = "零一二三四五六七八九十百千"
# A label prefix and the separator after it. Order matters: the first that matches wins.
_LABEL_RES = (
    re.compile(r"^((?:QA|Q\s*+\d{0,3}+|问题|问))\s*+[:：]\s*", re.I),  # Q1:  QA:  问题：
    re.compile(r"^(Q\d{1,3})[.．、]\s*", re.I),  # Q1.  Q2、
    re.compile(r"^[（(](\d{1,3}|[" + _CN_NUM + r"]{1,3})[)）]\s*"),  # (1)  （一）
    re.compile(r"^([" + _CN_NUM + r"]{1,3})\s*[、.．]\s*"),  # 一、
    re.compile(r"^(\d{1,4}(?:[.．\-]\d{1,3})*)\s*[.．、:：)）]\s*(?!\d)"),  # 1.  2.1.  1、
    re.compile(r"^(\d{1,3}(?:[.．\-]\d{1,3})+)(?=\s|[^\x00-\x7f])\s*"),  # 2.1 具体  1-1 x
    re.compile(r"^(\d{1,3})\s+(?=\S)"),  # 1 Title
    re.compile(r"^(\d{1,3})(?=[^\x00-\x7f\d])"),  # 1概述
)
_QUESTION_WORDS = (
    "什么", "如何", "为什么", "为何", "怎么", "怎样", "是否", "哪些", "哪个", "介绍", "简述",
    "讲讲", "说说", "谈谈", "区别", "作用", "解释", "对比", "比较", "原理", "吗", "呢",
)  # fmt: skip
_EN_QUESTION = re.compile(
    r"^(what|how|why|when|where|which|who|whose|is|are|can|could|does|do|did|should|"
    r"explain|describe|compare|name|list|define|give)\b",
    re.I,
)
_STRIP_MD = re.compile(r"(\*\*|__|\*|`|~~)")


@lru_cache(maxsize=1 << 16)
def split_label(text: str) -> tuple[str, str]:
    """Split `2.1 具体介绍…` into (`2.1`, `具体介绍…`); no label gives ("", text)."""
    stripped = text.strip()
    for pattern in _LABEL_RES:
        m = pattern.match(stripped)
        if m:
            rest = stripped[m.end() :].strip()
            if rest:
                label = m.group(1).replace(" ", "")
                label = "" if label in ("问题", "问") else label
                return label.replace("．", "."), _unwrap_bold(rest)
    return "", _unwrap_bold(stripped)


def _unwrap_bold(text: str) -> str:
    """`**当前技术简述**` → `当前技术简述` when the bold covers the whole text."""
    m = re.fullmatch(r"(\*\*|__)(.+?)\1", text.strip())
    return m.group(2).strip() if m and "**" not in m.group(2) else text


def plain(text: str) -> str:
    """Inline Markdown reduced to its words, for comparisons."""
    return _STRIP_MD.sub("", text).strip()


def reads_as_question(text: str) -> bool:
    """The issue-8 rule: ends with ？/?, or starts/ends with a question word."""
    t = plain(text).rstrip(" 。.:：!！")
    t = re.sub(r"\$[^$]*\$$", "", t).strip() or t
    if not t:
        return False
    if t.endswith(("?", "？")):
        return True
    if any(t.startswith(w) or t.endswith(w) for w in _QUESTION_WORDS):
        return True
    if re.search(r"(什么|为什么|如何|怎么|怎样|哪些|是否)", t):
        return True
    return bool(_EN_QUESTION.match(t))


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """Fold width, case, markup and punctuation, so wording-neutral edits compare equal."""
    t = unicodedata.normalize("NFKC", plain(text)).casefold()
    return "".join(filter(str.isalnum, t))


def slugify(text: str) -> str:
    """A URL fragment that keeps CJK characters: `2.1 具体介绍 RLHF？` → `2-1-具体介绍-rlhf`."""
    t = unicodedata.normalize("NFKC", plain(text)).casefold()
    t = re.sub(r"[^\w]+", "-", t).strip("-")
    return t or "section"


def default_key(*parts: str) -> str:
    """A card key from its section and question, independent of labels and punctuation."""
    digest = hashlib.sha1("\x00".join(normalize(p) for p in parts).encode()).hexdigest()
    return "q" + digest[:10]


def tag_part(text: str) -> str:
    """A piece of an Anki tag: no spaces, no `::` inside, and none of `<>&"'{}` (a tag may be
    shown by a template, and is never markup)."""
    t = re.sub(r"\s+", "_", re.sub(r"[<>&\"'{}]", "", plain(text)).strip())
    return t.replace("::", ":").strip(":") or "_"
