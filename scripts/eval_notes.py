"""Recall and precision of questions on labelled notes: `python scripts/eval_notes.py DIR…`.

Each `X.md` in a folder is parsed; `X.expected` (or `X.md.expected`) lists the questions a person
wants as cards, one per line (`#` lines are comments). A card matches an expected question
when their words agree (labels, markup and punctuation aside) or nearly agree. The notes
themselves are other people's and stay out of this repository.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

from qadeck import text as T
from qadeck.errors import SourceError
from qadeck.parse import parse_file

_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\s]*\)")


def _norm(q: str) -> str:
    """The question's words: a title linked to its problem (`[反转链表](https://…)`) is
    its text."""
    return T.normalize(T.split_label(T.undecorate(_LINK.sub(r"\1", q))[0])[1])


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) >= 6 and (a in b or b in a):
        return min(len(a), len(b)) / max(len(a), len(b)) > 0.6
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.85


def _expected(md: Path) -> Path:
    both = md.with_name(md.name + ".expected")
    return both if both.exists() else md.with_suffix(".expected")


def score(md: Path, verbose: bool) -> tuple[int, int, int]:
    """(matched, expected, cards) for one file."""
    lines = _expected(md).read_text("utf-8").splitlines()
    expected = [_norm(x) for x in lines if x.strip() and not x.startswith("#")]
    try:
        cards = [c.question for c in parse_file(md).cards]
    except SourceError as e:
        print(f"REFUSED {md.name}: {e}")
        return 0, len(expected), 0
    got = [_norm(q) for q in cards]
    free = list(range(len(expected)))
    matched, extra = 0, []
    for q, shown in zip(got, cards, strict=True):
        hit = next((i for i in free if _same(q, expected[i])), None)
        if hit is None:
            extra.append(shown)
        else:
            free.remove(hit)
            matched += 1
    if verbose:
        raw = [x for x in lines if x.strip() and not x.startswith("#")]
        for i in free:
            print(f"  missed  {md.name}: {raw[i]}")
        for q in extra:
            print(f"  extra   {md.name}: {q}")
    return matched, len(expected), len(got)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    total = [0, 0, 0]
    for folder in (Path(a) for a in argv if a != "-v"):
        for md in [folder] if folder.is_file() else sorted(folder.glob("*.md")):
            if not _expected(md).exists():
                continue
            m, e, c = score(md, verbose)
            total = [total[0] + m, total[1] + e, total[2] + c]
            r = m / e if e else 1.0
            p = m / c if c else 1.0
            print(f"{r:5.2f} {p:5.2f}  {m:4}/{e:<4} cards {c:<4} {md.name}")
    m, e, c = total
    print(f"recall {m / max(e, 1):.3f}  precision {m / max(c, 1):.3f}  ({m} of {e}; {c} cards)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
