"""`\\(…\\)` and `\\[…\\]` math, the delimiters of LaTeX, MathJax and what chat assistants write,
beside the dollarmath plugin's `$…$`/`$$…$$`.

In CommonMark `\\[` is an escaped bracket, so without these rules `\\[ a \\\\ b \\]` loses its
backslashes and a `=` line inside it makes the line above a setext heading. The tokens are the
dollarmath plugin's (`math_inline`, `math_block`), so every renderer treats both alike; a
`\\[…\\]` inside a paragraph is `math_inline_display`, display math within the text.

Rules, each with its reason:
- a `\\[` block starts a line (it may interrupt a paragraph: a line that opens with `\\[` is
  never prose), and ends at the first line that ends with `\\]`; a blank line first means it is
  no block, as in the dollarmath plugin and in TeX;
- `\\[1\\]`, `\\[注\\]` are escaped brackets (reference marks), not math: a bracket pair is math
  only when its body looks like TeX (`looks_like_tex`);
- `\\(…\\)` is math whenever it is closed and not empty: escaped parentheses are rare.
Scans remember where a search for the closing delimiter failed, so unclosed openers cost
linear time.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

_TEX_SIGN = re.compile(r"[\\^_={}]")
_LETTER = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_CLOSE = {"(": "\\)", "[": "\\]"}


def looks_like_tex(body: str) -> bool:
    """A TeX sign (`\\`, `^`, `_`, `=`, braces), or Latin letters without CJK text."""
    if _TEX_SIGN.search(body):
        return True
    return _LETTER.search(body) is not None and _CJK.search(body) is None


def bracket_math_plugin(md: MarkdownIt) -> None:
    """Add the inline and block rules (before the escape rule and the fence rule)."""
    md.inline.ruler.before("escape", "math_bracket_inline", _inline)
    md.block.ruler.before(
        "fence",
        "math_bracket_block",
        _block,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )


def _inline(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "\\" or pos + 1 >= len(src) or src[pos + 1] not in _CLOSE:
        return False
    kind = src[pos + 1]
    failed = getattr(state, "_bracket_failed", {})
    if failed.get(kind, len(src) + 1) <= pos:
        return False  # an earlier opener of this kind found no closer after it
    end = src.find(_CLOSE[kind], pos + 2)
    if end < 0:
        failed[kind] = pos
        state._bracket_failed = failed
        return False
    body = src[pos + 2 : end]
    if not body.strip() or (kind == "[" and not looks_like_tex(body)):
        return False
    if not silent:
        token = state.push("math_inline" if kind == "(" else "math_inline_display", "math", 0)
        token.content = body.strip() if kind == "[" else body
        token.markup = "\\" + kind
    state.pos = end + 2
    return True


def _block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False  # indented code
    first = state.bMarks[start] + state.tShift[start]
    line = state.src[first : state.eMarks[start]].rstrip()
    if not line.startswith("\\["):
        return False
    head = line[2:]
    if "\\]" in head:  # one line: `\[ x = 1 \]`, nothing after it
        if not head.endswith("\\]") or not looks_like_tex(head[:-2]) or "\\]" in head[:-2]:
            return False
        last, body = start, head[:-2]
    else:
        if _known_open(state, start, end):
            return False
        last, parts = start + 1, [head]
        while last < end:
            text = state.src[state.bMarks[last] + state.tShift[last] : state.eMarks[last]]
            if not text.strip():
                break
            if text.rstrip().endswith("\\]"):
                parts.append(text.rstrip()[:-2])
                break
            parts.append(text)
            last += 1
        if last >= end or not state.src[state.bMarks[last] : state.eMarks[last]].strip():
            state._bracket_open = (end, start, last)  # no closer from here to `last`
            return False
        body = "\n".join(parts)
        if not body.strip():
            return False
    if silent:
        return True
    state.line = last + 1
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = body.strip("\n")
    token.markup = "\\["
    token.map = [start, state.line]
    return True


def _known_open(state: StateBlock, start: int, end: int) -> bool:
    """Whether an earlier opener's scan, in the same block, already passed this line without
    finding a closer."""
    seen = getattr(state, "_bracket_open", None)
    return seen is not None and seen[0] == end and seen[1] < start < seen[2]
