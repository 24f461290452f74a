"""The one Markdown → HTML function every renderer uses.

Raw HTML in a source is never passed through: `<br>` and `<img>` are rebuilt from an
allowlist, harmless inline tags (`<sub>`, `<b>`, …) are kept bare, wrapper tags are dropped,
and everything else is shown as text. Math is kept as `\\(…\\)`/`\\[…\\]` for MathJax.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import unquote

from markdown_it.common.utils import unescapeAll
from markdown_it.renderer import RendererHTML

from .details import is_fold_label
from .dialect import callout_parts, make_parser
from .fastrender import fast_render
from .highlight import highlight
from .htmlstore import HtmlStore
from .images import IMG_TAG, media_name
from .links import link_kind
from .model import Image

_KEEP_TAGS = {"b", "i", "u", "em", "strong", "sub", "sup", "code", "kbd", "mark", "s", "del"}
# Wrappers whose text stays and whose tag goes (`aside`: a Notion page's callout box).
_DROP_TAGS = {
    "div", "center", "span", "p", "font", "section", "article", "figure", "a", "details",
    "summary", "small", "big", "aside", "figcaption", "header", "footer", "main",
}  # fmt: skip
# A comment stops at the next `<!--`, a tag at the next `<`: an unclosed one cannot make
# every later one rescan the rest of the text.
_TAG = re.compile(r"<!--(?:(?!<!--).)*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>", re.S)
_ALT = re.compile(r"\balt\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.I)
MISSING_IMAGE = '<span class="missing-image" title="{title}">[image: {alt}]</span>'


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer with safe raw HTML, pygments code and scrollable tables."""

    def __init__(self, parser=None) -> None:
        super().__init__(parser)
        self.images: Mapping[str, Image] = {}

    def html_inline(self, tokens, idx, options, env) -> str:
        return sanitize_html(tokens[idx].content, env)

    def html_block(self, tokens, idx, options, env) -> str:
        return sanitize_html(tokens[idx].content, env) + "\n"

    def image(self, tokens, idx, options, env) -> str:
        tok = tokens[idx]
        alt = self.renderInlineAsText(tok.children or [], options, env)
        return image_html(str(tok.attrGet("src") or ""), alt, env)

    def fence(self, tokens, idx, options, env) -> str:
        tok = tokens[idx]
        info = unescapeAll(tok.info).strip()  # escapes in an info string count, as in CommonMark
        lang = info.split(maxsplit=1)[0] if info else ""
        return highlight(tok.content, lang)

    def code_block(self, tokens, idx, options, env) -> str:
        return highlight(tokens[idx].content, "")

    def table_open(self, tokens, idx, options, env) -> str:
        return '<div class="table-wrap"><table>\n'

    def table_close(self, tokens, idx, options, env) -> str:
        return "</table></div>\n"

    def math_inline(self, tokens, idx, options, env) -> str:
        return f'<span class="math">\\({html.escape(tokens[idx].content, False)}\\)</span>'

    math_inline_double = math_inline

    def math_inline_display(self, tokens, idx, options, env) -> str:
        return f'<span class="math">\\[{html.escape(tokens[idx].content, False)}\\]</span>'

    def math_block(self, tokens, idx, options, env) -> str:
        return f'<div class="math">\\[{html.escape(tokens[idx].content.strip(), False)}\\]</div>\n'

    def container_lang_open(self, tokens, idx, options, env) -> str:
        lang = tokens[idx].info.strip().split(" ", 1)[0]
        return f'<div class="translation" lang="{html.escape(lang)}">\n'

    def container_lang_close(self, tokens, idx, options, env) -> str:
        return "</div>\n"

    def container_callout_open(self, tokens, idx, options, env) -> str:
        """`::: warning 注意` as a box with its title; a fold's label (`::: details 点击查看`)
        is no title."""
        kind, title = callout_parts(tokens[idx].info)
        head = "" if not title or is_fold_label(title) else title
        top = f'<p class="callout-title">{html.escape(head)}</p>\n' if head else ""
        return f'<div class="callout callout-{kind}">\n{top}'

    container_callout_close = container_lang_close

    def front_matter(self, tokens, idx, options, env) -> str:
        return ""

    def link_open(self, tokens, idx, options, env) -> str:
        """Links to other notes (`./B-专题-CNN`) are marked for each renderer to resolve; web
        and mail links stay; any other target (`/abs`, `//host`, `file:`, `ftp:`) would open a
        local file or an unknown scheme from a shared PDF or page, so only its text is kept."""
        tok = tokens[idx]
        kind = link_kind(str(tok.attrGet("href") or ""))
        env.setdefault("links", []).append(kind)
        if kind == "drop":
            return ""
        if kind == "xref":
            tok.attrSet("class", "xref")
        return self.renderToken(tokens, idx, options, env)

    def link_close(self, tokens, idx, options, env) -> str:
        stack = env.get("links") or ["web"]
        return "" if stack.pop() == "drop" else "</a>"


def image_html(src: str, alt: str, env: dict) -> str:
    """An <img> pointing at the flat media name, or a visible placeholder."""
    images = env.get("images", {})
    image = images.get(src.strip()) or images.get(unquote(src.strip()))
    alt_text = html.escape(alt or "")
    if image is None or image.path is None:
        label = alt_text or html.escape(src.rsplit("/", 1)[-1][:60])
        return MISSING_IMAGE.format(title=html.escape(src[:200]), alt=label)
    return f'<img src="{html.escape(media_name(image.path))}" alt="{alt_text}">'


def sanitize_html(raw: str, env: dict) -> str:
    """Rebuild raw HTML from an allowlist; anything else becomes visible, inert text."""
    out: list[str] = []
    pos = 0
    for m in _TAG.finditer(raw):
        out.append(html.escape(raw[pos : m.start()], False))
        pos = m.end()
        whole, closing, name = m.group(0), m.group(1), (m.group(2) or "").lower()
        if whole.startswith("<!--"):
            continue
        if name == "br":
            out.append("<br>")
        elif name == "img":
            src = IMG_TAG.search(whole)
            alt = _ALT.search(whole)
            alt_text = next((g for g in alt.groups() if g is not None), "") if alt else ""
            if src:
                out.append(
                    image_html(next(g for g in src.groups() if g is not None), alt_text, env)
                )
        elif name in _KEEP_TAGS:
            out.append(f"</{name}>" if closing else f"<{name}>")
        elif name in _DROP_TAGS:
            continue
        else:
            out.append(html.escape(whole, False))
    out.append(html.escape(raw[pos:], False))
    return "".join(out)


@lru_cache(maxsize=4096)
def _render_block(source: str, images: Mapping[str, Image] | None) -> str:
    fast = fast_render(source)
    return fast if fast is not None else _render_slow(source, images)


def render_markdown(
    source: str, images: Mapping[str, Image] | None = None, store: HtmlStore | None = None
) -> str:
    """Markdown → safe HTML. `images` maps each `src` as written to its resolved Image;
    `store` keeps results between builds. Results are also kept in memory, so the outputs of
    one build share a single rendering pass."""
    images = images or None
    try:
        hash(images)
    except TypeError:  # an unhashable mapping: no cache
        return _render_slow(source, images)
    if store is not None:
        return store.through("block", source, images, _render_block)
    return _render_block(source, images)


@lru_cache(maxsize=1)
def _renderer() -> _Renderer:
    return _Renderer(make_parser())


def _render_slow(source: str, images: Mapping[str, Image] | None = None) -> str:
    md, env = make_parser(), {"images": images or {}}
    return _renderer().render(md.parse(source, env), md.options, env)


def render_inline(
    source: str, images: Mapping[str, Image] | None = None, store: HtmlStore | None = None
) -> str:
    """Inline Markdown (a question) → safe HTML without a wrapping <p>."""
    if store is not None:
        return store.through("inline", source, images, _render_inline)
    return _render_inline(source, images)


def _render_inline(source: str, images: Mapping[str, Image] | None) -> str:
    if "\n" not in source and source == source.strip():
        fast = fast_render(source)
        if fast and fast.startswith("<p>") and fast.endswith("</p>\n") and fast.count("<p>") == 1:
            return fast[3:-5]
    md, env = make_parser(), {"images": images or {}}
    return _renderer().render(md.parseInline(source, env), md.options, env)
