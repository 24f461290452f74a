"""The rewrites each output makes to the shared card HTML, one home each.

markup.py renders every card once, the same for all outputs: links to other notes marked
`class="xref"`, images pointing at flat media names, math as `\\(…\\)`/`\\[…\\]`. Each output
then applies the few rewrites below that it needs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

_XREF = re.compile(r'<a href="([^"]*)" class="xref">(.*?)</a>', re.S)
_MATH = re.compile(r'<(span|div) class="math">\\([(\[])(.*?)\\([)\]])</\1>', re.S)
_IMG_SRC = re.compile(r'<img src="([^"]*)"')


def unlink(fragment: str) -> str:
    """Links to other notes become their text (the deck and the sheet have no such target)."""
    return _XREF.sub(r"\2", fragment) if 'class="xref"' in fragment else fragment


def link_sections(fragment: str, anchors: Mapping[str, str]) -> str:
    """A link to another note of the page points at its section; otherwise plain text.
    `anchors` maps a file's path without suffix (and its bare name), casefolded, to the
    anchor of its first section."""
    if 'class="xref"' not in fragment:
        return fragment

    def swap(m: re.Match) -> str:
        target = unquote(html.unescape(m.group(1))).split("#", 1)[0]
        target = re.sub(r"^(\./)+", "", target)
        target = re.sub(r"\.(md|markdown)$", "", target, flags=re.I)
        for name in (target, Path(target).name):
            anchor = anchors.get(name.casefold())
            if anchor:
                return f'<a href="#{anchor}" class="xref">{m.group(2)}</a>'
        return f'<span class="xref">{m.group(2)}</span>'

    return _XREF.sub(swap, fragment)


def swap_images(fragment: str, urls: Mapping[str, str], missing: str | None = None) -> str:
    """Each `<img src="name">` (a flat media name) pointed at `urls[name]`; an unknown name
    becomes `missing`, or stays as it is when `missing` is None."""
    if "<img " not in fragment:
        return fragment

    def swap(m: re.Match) -> str:
        name = html.unescape(m.group(1))
        if name in urls:
            return f'<img src="{html.escape(urls[name])}"'
        return m.group(0) if missing is None else f'<img src="{missing}"'

    return _IMG_SRC.sub(swap, fragment)


def math_as_mathml(fragment: str) -> str:
    """Formulas as MathML, which browsers draw with no script or font download; TeX the
    converter cannot read stays as source."""
    if 'class="math"' not in fragment:
        return fragment

    def swap(m: re.Match) -> str:
        return _mathml(html.unescape(m.group(3)), "block" if m.group(2) == "[" else "inline")

    return _MATH.sub(swap, fragment)


@lru_cache(maxsize=1 << 14)  # a formula recurs across cards, and across rebuilds in `watch`
def _mathml(tex: str, display: str) -> str:
    from latex2mathml.converter import convert

    try:
        return convert(tex, display=display)
    except Exception:  # noqa: BLE001 - any TeX the converter cannot read stays as source
        return '<code class="math">' + html.escape(tex) + "</code>"


LONG_PARAGRAPH = 20_000  # characters; WeasyPrint's line breaking grows steeply past this
_PARAGRAPH = re.compile(r"<p>((?:(?!<p>).)*?)</p>", re.S)  # stops at the next <p>: linear


def break_long_paragraphs(fragment: str, limit: int = LONG_PARAGRAPH) -> tuple[str, int]:
    """Paragraphs longer than `limit` characters cut into paragraphs of about 2,000 (at a
    space where there is one, never inside a tag or an entity); returns the fragment and the
    length of the longest paragraph cut (0 when none was)."""
    if len(fragment) <= limit:
        return fragment, 0
    longest = 0

    def cut(m: re.Match) -> str:
        nonlocal longest
        body = m.group(1)
        if len(body) <= limit:
            return m.group(0)
        longest = max(longest, len(body))
        pieces, start, depth, last_space = [], 0, 0, -1
        for i, ch in enumerate(body):
            if ch in "<&":
                depth += 1
            elif ch in ">;" and depth:
                depth -= 1
            elif ch == " " and not depth:
                last_space = i
            if not depth and i - start >= 2000:
                at = last_space + 1 if last_space > start else i + 1
                pieces.append(body[start:at])
                start, last_space = at, -1
        pieces.append(body[start:])
        return "".join(f"<p>{p}</p>" for p in pieces if p)

    return _PARAGRAPH.sub(cut, fragment), longest
