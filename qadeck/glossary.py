"""Bilingual terms written inline: `强化学习（Reinforcement Learning, RL）`, `RLHF（…）`."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

from .model import Span, Term

# Chinese run (or an ASCII abbreviation) right before a full-width bracket holding English.
_TERM = re.compile(
    r"(?P<head>[\u4e00-\u9fff][\u4e00-\u9fff0-9]{0,15}|[A-Z][A-Za-z0-9\-]{1,15})"
    r"（(?P<body>[A-Za-z][A-Za-z0-9 .\-/]*?(?:[,，]\s*[A-Za-z][A-Za-z0-9\-]*)?)）"
)
# Words that end a phrase before the term starts: `通常采用因果语言建模` → `因果语言建模`.
_SPLIT = re.compile(
    r".*(?:采用|使用|通过|利用|基于|介绍一下|介绍|一下|具体|进行|包括|称为|叫做|即|的|是|在|和|与|或|及|了|把|被|从|由|、)"
)
_ABBR = re.compile(r"^[A-Z][A-Za-z0-9\-]{0,9}$")
_STOP_EN = frozenset({"a", "an", "the", "of", "from", "for", "with", "to", "in", "on", "by", "and"})
# Words that never start a term: verbs, question words and particles a clause puts before it.
_LEADING_WORDS = (
    "避免 防止 如何 怎么 怎样 为什么 什么 是 的 时 中 后 对 将 把 让 用 为 在 和 与 及 或 了 "
    "被 从 由 即 采用 使用 通过 利用 进行 包括 称为 叫做 解决 实现 引入 理解 缓解 减少 提高 "
    "导致 出现 产生 这种 一种 一个 各种 通常 常用 主要 所谓 其中 以及 还有 就是 也 都 还 又 "
    "并 而 但 则 基于 会 能 可以 需要 应该"
)
_LEADING = frozenset(_LEADING_WORDS.split())


def _is_abbr(text: str) -> bool:
    return bool(_ABBR.match(text)) and sum(c.isupper() for c in text) >= 2


def find_terms(lines: Iterable[tuple[int, str]], path: str) -> list[Term]:
    """Scan (line number, text) pairs; return terms in order of first appearance, merged."""
    found: dict[str, Term] = {}
    for lineno, line in lines:
        if "（" not in line:
            continue
        for m in _TERM.finditer(line.replace("**", "")):
            head, body = m.group("head"), m.group("body").strip()
            parts = [p.strip() for p in re.split(r"[,，]", body) if p.strip()]
            en, abbr = parts[0], parts[1] if len(parts) > 1 else ""
            if _is_abbr(head):
                zh, abbr = "", head
            else:
                zh = term_boundary(head, en or abbr)
                if len(zh) < 2:
                    continue
            if not abbr and _is_abbr(en) and zh:
                en, abbr = "", en
            _merge(found, Term(zh, en, abbr, Span(path, lineno, m.start() + 1)))
    if _NEW:
        _save_segments(_segments())
        _NEW.clear()
    return list(found.values())


@functools.lru_cache(maxsize=4096)
def term_boundary(head: str, en: str) -> str:
    """The Chinese term at the end of `head` that `en` translates: as many words as the
    English has (`避免奖励黑客（Reward Hacking）` → `奖励黑客`), found with jieba's
    segmentation when the phrase is longer than a term; a short one is cut after its last
    clause word (`通常采用因果语言建模` → `因果语言建模`)."""
    words = [w for w in re.split(r"[\s\-/]+", en) if w and w.lower() not in _STOP_EN]
    # an abbreviation stands for a word a capital: `LM` two, `LLMs` three
    want = sum(sum(c.isupper() for c in w) if _is_abbr(w) else 1 for w in words) or 1
    low = want if all(_is_abbr(w) for w in words) else want * 1.5
    cut = _SPLIT.sub("", head) or head
    fits = low <= len(cut) <= 2 * want + 1  # about two characters a word
    if fits and not any(cut.startswith(w) for w in _LEADING if len(w) > 1):
        return cut
    out: list[str] = []
    count = 0
    for w in reversed(_segment(head)):
        if count >= want and w not in ("的",):
            break
        out.append(w)
        count += 0 if w == "的" else 1
    while out and out[-1] in _LEADING:
        out.pop()
    return "".join(reversed(out)) or cut


def _segment(text: str) -> list[str]:
    """jieba's words of `text`. What it said is kept in the build cache (`terms.json`), so a
    rebuild asks it nothing; `find_terms` saves what was new once, at its end."""
    known = _segments()
    if text not in known:
        known[text] = jieba_words(text)
        _NEW.add(text)
    return list(known[text])


_NEW: set[str] = set()  # phrases segmented since the cache was last saved
_CUTS = itertools.count()
_FEW = 16


def jieba_words(text: str) -> list[str]:
    """`jieba.lcut(text, HMM=False)`, without loading jieba's whole dictionary (0.4 s) for the
    first `_FEW` phrases of a process (`words_from_entries`); past them it is loaded once."""
    if next(_CUTS) < _FEW:
        return words_from_entries(text)
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.lcut(text, HMM=False)


def words_from_entries(text: str) -> list[str]:
    """jieba's words of `text`: its tokenizer looks up only substrings of the text it cuts,
    so it is given the dictionary's entries for those (a word's count, 0 for a word's first
    characters) and the dictionary's total; the words are the same (tested against jieba).
    Each call reads the dictionary's text once (≈ 15 ms)."""
    import jieba

    data, total = _dictionary()
    parts = {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)}
    first = re.escape("".join(sorted(set(text))))
    freq: dict[str, int] = {}
    for word, count in re.findall(rf"^([{first}][^ \n]*+) (\d++)", data, re.M):
        for k in range(1, len(word)):
            if word[:k] in parts:
                freq.setdefault(word[:k], 0)
        if word in parts:
            freq[word] = int(count)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    return tokenizer.lcut(text, HMM=False)


@functools.lru_cache(maxsize=1)
def _dictionary() -> tuple[str, int]:
    """jieba's dictionary as text, and the sum of its counts (what its tokenizer divides by)."""
    import jieba

    with jieba.get_dict_file() as f:
        data = f.read().decode("utf-8")
    return data, sum(map(int, re.findall(r"^\S++ (\d++)", data, re.M)))


@functools.lru_cache(maxsize=1)
def _segments() -> dict[str, list[str]]:
    import json

    from .cache import cache_root

    try:
        data = json.loads((cache_root() / _SEGMENTS).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(data, dict) and all(isinstance(v, list) for v in data.values())
    return data if ok else {}


def _save_segments(known: dict[str, list[str]]) -> None:
    import json

    from .atomic import write_atomic
    from .cache import cache_root

    try:
        cache_root().mkdir(parents=True, exist_ok=True)
        data = json.dumps(known, ensure_ascii=False, sort_keys=True).encode("utf-8")
        write_atomic(cache_root() / _SEGMENTS, data)
    except OSError:
        pass  # a cache that cannot be written only costs time


_SEGMENTS = "terms.json"


def _merge(found: dict[str, Term], term: Term) -> None:
    """One entry per Chinese term (or per abbreviation when there is none); first line kept."""
    key = term.zh or term.abbr or term.en.casefold()
    same = next(
        (k for k, t in found.items() if term.abbr and t.abbr == term.abbr and not term.zh), None
    )
    key = same or key
    if term.en and key not in found:
        twin = next((k for k, t in found.items() if t.en.casefold() == term.en.casefold()), None)
        if twin is not None:
            old = found[twin]
            if term.zh and len(term.zh) < len(old.zh):
                found[twin] = Term(term.zh, old.en, old.abbr or term.abbr, old.span)
            return
    old = found.get(key)
    if old is None:
        if term.en or term.abbr:
            found[key] = term
        return
    found[key] = Term(old.zh or term.zh, old.en or term.en, old.abbr or term.abbr, old.span)
