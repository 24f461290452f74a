"""The Rust fast path: markdown-it-pyrs renders a card where its HTML provably equals what
markup.py's markdown-it-py renderer gives (tests compare both on generated Markdown)."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from .highlight import highlight
from .links import link_kind
from .scan import cut, fences, too_deep, without_code_spans

_FAST_BLOCKERS = re.compile(
    r"[$<]|~~~|!\[|:::|&#?\w+;|\\\S|\[[^\[\]]*+\]\[|^[ \t]*+\[[^\[\]\n]++\]:", re.M
)
_NESTED = re.compile(
    r"^[ \t]{16,}\S|^[ \t]+(```|~~~)|^[ \t]*(```|~~~)[^\n]*`|^(```|~~~)[ \t]*+math\b", re.M
)  # (a fence of info `math` is display math, which the Rust port renders as code)
_PYRS_CODE = re.compile(r'<pre><code(?: class="language-([^"]*)")?>(.*?)</code></pre>\n', re.S)
# An unclosed fence, an empty list item, a table rule under a line without pipes: the two
# renderers differ on these.
_LOOSE_ENDS = re.compile(r"^[ \t]*(```|~~~)|^[ \t]*([-*+]|\d{1,9}[.)])[ \t]*$", re.M)
_FENCE_OPEN = re.compile(r"^(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*(```|~~~)", re.M)
# Every quantifier possessive, each piece a different set of characters: no backtracking.
_TABLE_RULE = re.compile(
    r"^[^|\n]*+\n[ \t]*+\|?[ \t]*+:?-++:?[ \t]*+(?:\|[ \t]*+:?-*+:?[ \t]*+)*+$"
    r"|^[^|\n]*+\|[^\n]*+\n[ \t]*+[-=]++[ \t]*+$|^[^|\n]*+\|[^\t\n]*+\t",
    re.M,
)
_LAZY_QUOTE = re.compile(r"^[ \t]*>.*\n(?![ \t]*>|[ \t]*$)", re.M)
_BLANK_CODE = re.compile(r"(?<!`)(`+) +\1(?!`)")
_DECLINE_CODE_FREE = re.compile(f"{_FAST_BLOCKERS.pattern}|{_LOOSE_ENDS.pattern}", re.M)
_DECLINE_SOURCE = re.compile(f"{_NESTED.pattern}|{_TABLE_RULE.pattern}", re.M)
_MATH_HOLDER = re.compile("\\$\ue000(\\d+)\ue000\\$")
_BLOCK_PREFIX = re.compile(r"(?:[\s>#*+\-]|\d{1,9}[.)])*")
_PYRS_HREF = re.compile(r'<a href="([^"]*)"')
_PYRS_LINK = re.compile(r'<a href="(?![a-zA-Z][a-zA-Z0-9+.\-]*:|#|/)([^"]*)">')


@lru_cache(maxsize=1)
def _pyrs():
    """markdown-it-pyrs (the Rust port) with our block rules, or None when not installed."""
    try:
        import markdown_it_pyrs
    except ImportError:
        return None
    return markdown_it_pyrs.MarkdownIt("commonmark").enable("table").enable("strikethrough")


def fast_render(source: str) -> str | None:
    """The Rust renderer, for sources whose HTML it provably renders like ours: no raw HTML,
    images, containers, entities, escapes, reference links or math beyond simple `$x$`
    (tests compare both)."""
    md = _pyrs()
    if md is None or too_deep(source):
        return None
    maths: list[str] = []
    if "$" in source:
        hidden = _hide_math(source, maths)
        if hidden is None:
            return None
        source = hidden
    code_free = source
    if "`" in source or "~" in source:
        unfenced = cut(source, fences(source))
        if _FENCE_OPEN.search(unfenced):
            return None  # a fence never closed
        code_free = without_code_spans(unfenced)
        if "<" in code_free or "<" in unfenced and _raw_html_between_lines(unfenced):
            return None
    if _DECLINE_CODE_FREE.search(_MATH_HOLDER.sub("", code_free) if maths else code_free):
        return None
    if _DECLINE_SOURCE.search(source):
        return None
    if "[" in code_free and "`" in code_free:  # markdown-it-pyrs 0.4 panics on `[a`b`
        return None
    if "` " in source and _BLANK_CODE.search(source):
        return None  # the Rust port trims a code span of only spaces
    if ">" in source and _LAZY_QUOTE.search(source):
        return None  # the two differ on some lazy lines after a quote
    try:
        out = md.render(source)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - a Rust panic or lone surrogates: use Python
        return None
    if "<pre>" in out:
        out = _PYRS_CODE.sub(
            lambda m: highlight(html.unescape(m.group(2)), html.unescape(m.group(1) or "")), out
        )
    if "<table>" in out:
        out = out.replace("<table>\n", '<div class="table-wrap"><table>\n')
        out = out.replace("</table>\n", "</table></div>\n")
    if "<blockquote>" in out:
        out = out.replace("<blockquote>\n</blockquote>", "<blockquote></blockquote>")
    if "<a " in out:
        if any(link_kind(html.unescape(h)) == "drop" for h in _PYRS_HREF.findall(out)):
            return None  # the Python renderer applies the link policy
        out = _PYRS_LINK.sub(r'<a href="\1" class="xref">', out)
    if maths:
        out = _MATH_HOLDER.sub(lambda m: _math_span(maths[int(m.group(1))]), out)
    return out


def _raw_html_between_lines(text: str) -> bool:
    """A `<` outside the code spans of its own line. A code span that seems to run over
    several lines may not be one: a line starting an HTML block, a heading or a list item
    ends the paragraph first (`` ` `` / `<script>…` / `` ` ``), and its HTML would be raw."""
    return any("<" in without_code_spans(line) for line in text.split("\n") if "<" in line)


def _math_span(tex: str) -> str:
    return f'<span class="math">\\({html.escape(tex, False)}\\)</span>'


def _hide_math(source: str, maths: list[str]) -> str | None:
    """Replace each inline `$x$` with a placeholder the Rust parser leaves alone, where the
    dollarmath plugin provably reads it as math; None when any `$` is less simple than that
    (display math, `$$`, escapes, digits next to a dollar, code, links or tables nearby,
    or a dollar opening a block's text, where the plugin looks at the text's last char)."""
    if "$$" in source or "\ue000" in source:
        return None
    out: list[str] = []
    pos = 0
    for span in [*fences(source), None]:  # fenced code keeps its dollars
        gap = source[pos : span[0] if span else len(source)]
        hidden = _hide_math_lines(gap, maths)
        if hidden is None:
            return None
        out.append(hidden)
        if span:
            out.append(source[span[0] : span[1]])
            pos = span[1]
    return "".join(out)


def _hide_math_lines(text: str, maths: list[str]) -> str | None:
    if "`" in text and "$" in text:
        return None  # a code span may hold the dollars, across lines too
    out: list[str] = []
    for line in text.split("\n"):
        if "$" not in line:
            out.append(line)
            continue
        head = line.split("$", 1)[0]
        if "\t" in head or "    " in head or "```" in line or "~~~" in line:
            return None  # perhaps code
        parts = line.split("$")
        if any(c in line for c in "`|") or "](" in line or len(parts) % 2 == 0:
            return None
        if "<" in "".join(parts[0::2]):
            return None
        for k in range(1, len(parts), 2):
            before, tex, after = parts[k - 1], parts[k], parts[k + 1]
            if not tex or (k == 1 and _BLOCK_PREFIX.fullmatch(before)):
                return None
            if before[-1:].isdigit() or before.endswith("\\") or tex.endswith("\\"):
                return None
            if after[:1].isdigit() or tex[:1].isdigit():
                return None  # perhaps a price: the Python path decides
            maths.append(tex)
            parts[k] = f"\ue000{len(maths) - 1}\ue000"
        out.append("$".join(parts))
    return "\n".join(out)
