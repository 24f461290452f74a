"""Bilingual terms written inline: `强化学习（Reinforcement Learning, RL）`, `RLHF（…）`."""

from __future__ import annotations

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
                zh = _SPLIT.sub("", head) or head
                if len(zh) < 2:
                    continue
            if not abbr and _is_abbr(en) and zh:
                en, abbr = "", en
            _merge(found, Term(zh, en, abbr, Span(path, lineno, m.start() + 1)))
    return list(found.values())


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
