"""Formulas typeset for print: TeX → vector SVG with ziamath (pure Python, its own STIX Two
Math font, no TeX installation, nothing fetched).

Inline math sits on the text baseline at the text size (the SVG is sized in `em`); display
math is centred and scaled down to the column rather than overflowing it. A formula the engine
cannot draw stays as its TeX source, and the caller is told so it can warn at `file:line`.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

SIZE = 20.0  # px the SVG is drawn at; it is then expressed in em, so the text size rules
_MATH = re.compile(r'<(span|div) class="math">\\([(\[])(.*?)\\([)\]])</\1>', re.S)
_ELEMENTS = re.compile(r"</?([A-Za-z][\w:-]*)")
_SAFE = {"svg", "symbol", "path", "use", "g", "rect", "line", "defs", "polyline", "polygon"}
_SIZE_ATTRS = re.compile(r'^<svg([^>]*?) width="([\d.]+)" height="([\d.]+)"')
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def math_as_svg(fragment: str, failed) -> str:
    """Every `\\(…\\)`/`\\[…\\]` of `fragment` as SVG; `failed(tex, reason)` for those left as
    TeX source."""
    if 'class="math"' not in fragment:
        return fragment

    def swap(m: re.Match) -> str:
        tag, tex = m.group(1), html.unescape(m.group(3))
        svg, reason = typeset(tex, m.group(2) == "(")
        if svg is None:
            failed(tex, reason)
            return f'<{tag} class="math tex">{m.group(3)}</{tag}>'
        return f'<{tag} class="math">{svg}</{tag}>'

    return _MATH.sub(swap, fragment)


@lru_cache(maxsize=8192)
def typeset(tex: str, inline: bool) -> tuple[str | None, str]:
    """(svg, "") or (None, why not)."""
    if _CJK.search(tex):
        return None, "the math font has no CJK characters"
    try:
        import ziamath
    except ImportError:
        return None, "ziamath is not installed"
    ziamath.config.svg2 = False  # plain paths: no <symbol> ids to clash between formulas
    try:
        math = ziamath.Latex(tex, size=SIZE, inline=inline)
        svg = math.svg()
        shift = math.getyofst()
    except Exception as e:  # noqa: BLE001 - whatever the engine cannot read stays as source
        return None, f"{type(e).__name__}: {e}"[:120]
    names = {n.lower() for n in _ELEMENTS.findall(svg)}
    if not names <= _SAFE:
        return None, f"unexpected SVG elements {sorted(names - _SAFE)}"
    m = _SIZE_ATTRS.match(svg)
    if m is None:
        return None, "no size in the SVG"
    width, height = float(m.group(2)) / SIZE, float(m.group(3)) / SIZE
    if inline:
        style = f"width:{width:.3f}em;height:{height:.3f}em;vertical-align:{shift / SIZE:.3f}em"
    else:  # centred by its block; never wider than the column
        style = f"width:{width:.3f}em;height:{height:.3f}em;max-width:100%"
    sized = f'<svg{m.group(1)} style="{style}" preserveAspectRatio="xMidYMid meet"'
    return sized + svg[m.end() :], ""
