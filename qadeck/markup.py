"""The one Markdown → HTML function every renderer uses.

Raw HTML in a source is never passed through: `<br>` and `<img>` are rebuilt from an
allowlist, harmless inline tags (`<sub>`, `<b>`, …) are kept bare, wrapper tags are dropped,
and everything else is shown as text. Math is kept as `\\(…\\)`/`\\[…\\]` for MathJax.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.renderer import RendererHTML
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .images import IMG_TAG, media_name
from .model import Image
from .scan import cut, fences, too_deep, without_code_spans

LANG_CODES = ("en", "zh", "ja", "ko", "fr", "de", "es", "ru", "pt", "it", "vi")
LANG_INFO = re.compile(r"^\s*(" + "|".join(LANG_CODES) + r")(?:-[A-Za-z]{2,4})?(\s|$)")
_KEEP_TAGS = {"b", "i", "u", "em", "strong", "sub", "sup", "code", "kbd", "mark", "s", "del"}
_DROP_TAGS = {
    "div", "center", "span", "p", "font", "section", "article", "figure", "a", "details",
    "summary", "small", "big",
}  # fmt: skip
# A comment stops at the next `<!--`, a tag at the next `<`: an unclosed one cannot make
# every later one rescan the rest of the text.
_TAG = re.compile(r"<!--(?:(?!<!--).)*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>", re.S)
_ALT = re.compile(r"\balt\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.I)
MISSING_IMAGE = '<span class="missing-image" title="{title}">[image: {alt}]</span>'


def _validate_lang(params: str, *args) -> bool:
    return bool(LANG_INFO.match(params))


def _configured(front_matter: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    if front_matter:
        md.use(front_matter_plugin)
        # The plugin's rule also fires on the first line of a list item that starts with
        # `---`, swallowing text: keep it to the top of the document.
        from mdit_py_plugins.front_matter.index import _front_matter_rule

        def top_only(state, start: int, end: int, silent: bool) -> bool:
            return state.parentType == "root" and _front_matter_rule(state, start, end, silent)

        md.block.ruler.at(
            "front_matter", top_only, {"alt": ["paragraph", "reference", "blockquote", "list"]}
        )
    md.use(container_plugin, name="lang", validate=_validate_lang)
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    return md


@lru_cache(maxsize=1)
def make_parser() -> MarkdownIt:
    """The shared markdown-it configuration for card text (an answer has no front matter)."""
    return _configured(front_matter=False)


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """The same configuration without the inline pass: the parser needs only the block
    structure and raw inline text, and skipping inline parsing halves its time."""
    md = _configured(front_matter=True)
    md.core.ruler.disable("inline")
    return md


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

    def math_block(self, tokens, idx, options, env) -> str:
        return f'<div class="math">\\[{html.escape(tokens[idx].content.strip(), False)}\\]</div>\n'

    def container_lang_open(self, tokens, idx, options, env) -> str:
        lang = tokens[idx].info.strip().split(" ", 1)[0]
        return f'<div class="translation" lang="{html.escape(lang)}">\n'

    def container_lang_close(self, tokens, idx, options, env) -> str:
        return "</div>\n"

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


_WEB_LINK = re.compile(r"^(?:https?:|mailto:|#)", re.I)
_OTHER_LINK = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:|[/\\])", re.I)


def link_kind(href: str) -> str:
    """ "web" (http, https, mailto, #fragment), "xref" (a relative path: another note) or
    "drop" (everything else)."""
    if _WEB_LINK.match(href):
        return "web"
    if not href or _OTHER_LINK.match(href):
        return "drop"
    return "xref"


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


@lru_cache(maxsize=64)
def _lexer(lang: str):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang) if lang else None
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _formatter():
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


HIGHLIGHT_BUDGET = 1.0  # seconds per code block; some lexers backtrack without end


def highlight(code: str, lang: str) -> str:
    """Code as `<div class="highlight"><pre>` with pygments classes (plain text if unknown,
    or if its lexer takes longer than HIGHLIGHT_BUDGET: pygments' Scala lexer needs minutes
    for a string of 98 backslashes)."""
    lexer = _lexer(lang.lower())
    cls = f' data-lang="{html.escape(lang)}"' if lang else ""
    body = None
    if lexer is not None:
        from pygments import highlight as pyg_highlight

        body = within_budget(lambda: pyg_highlight(code, lexer, _formatter()), HIGHLIGHT_BUDGET)
    if body is None:
        body = html.escape(code, False)
    return f'<div class="highlight"{cls}><pre><code>{body}</code></pre></div>\n'


class _OverBudget(Exception):
    pass


def within_budget(work, seconds: float):
    """`work()`, or None when it takes longer than `seconds` (CPython's regex engine and
    Python code both see the alarm). Outside the main thread it runs without a limit."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        return work()

    def stop(signum, frame):
        raise _OverBudget()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    except _OverBudget:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_FAST_BLOCKERS = re.compile(
    r"[$<]|~~~|!\[|:::|&#?\w+;|\\\S|\[[^\[\]]*+\]\[|^[ \t]*+\[[^\[\]\n]++\]:", re.M
)
_NESTED = re.compile(r"^[ \t]{16,}\S|^[ \t]+(```|~~~)|^[ \t]*(```|~~~)[^\n]*`", re.M)
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


def _fast_render(source: str) -> str | None:
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
            if after[:1].isdigit():
                return None
            maths.append(tex)
            parts[k] = f"\ue000{len(maths) - 1}\ue000"
        out.append("$".join(parts))
    return "\n".join(out)


@lru_cache(maxsize=4096)
def _render_cached(source: str, images: Mapping[str, Image] | None) -> str:
    return STORE.through("block", source, images, _render_block)


def _render_block(source: str, images: Mapping[str, Image] | None) -> str:
    fast = _fast_render(source)
    return fast if fast is not None else _render_slow(source, images)


class HtmlStore:
    """Rendered HTML kept between builds (`cache.cache_dir`), keyed by
    a hash of the Markdown, the images it may show and this module's code and libraries.
    A build records what it used and saves only that, so the file never outgrows the notes."""

    def __init__(self) -> None:
        self.on = False
        self.old: dict[str, str] = {}
        self.used: dict[str, str] = {}

    def open(self, path: Path) -> None:
        import json

        self.on, self.used = True, {}
        try:
            data = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
            self.old = data["html"] if data.get("version") == _code_version() else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.old = {}

    def save(self, path: Path) -> None:
        import json

        from .atomic import write_atomic

        if not self.on:
            return
        self.on = False
        data = {"version": _code_version(), "html": self.used}
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(data, ensure_ascii=False)
            write_atomic(path, text.encode("utf-8", "surrogatepass"))

    def close(self) -> None:
        self.on, self.old, self.used = False, {}, {}

    def key(self, kind: str, source: str, images: Mapping[str, Image] | None) -> str:
        shows = images and ("![" in source or "<img" in source.lower())
        sig = _images_signature(images) if shows else ""
        data = f"{kind}\0{sig}\0{source}".encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, digest_size=16).hexdigest()

    def through(self, kind: str, source: str, images: Mapping[str, Image] | None, render) -> str:
        """`render(source, images)`, or what an earlier build kept of it."""
        if not self.on:
            return render(source, images)
        key = self.key(kind, source, images)
        done = self.used.get(key) or self.old.get(key)
        if not isinstance(done, str):
            done = render(source, images)
        self.used[key] = done
        return done


STORE = HtmlStore()


@lru_cache(maxsize=8)
def _images_signature(images: Mapping[str, Image]) -> str:
    return repr(sorted((src, image.path) for src, image in images.items()))


@lru_cache(maxsize=1)
def _code_version() -> str:
    """This module, the templates of its HTML and the libraries that shape it."""
    from importlib.metadata import version

    parts = [Path(__file__).read_bytes()]
    for lib in ("markdown-it-py", "markdown-it-pyrs", "mdit-py-plugins", "pygments"):
        with contextlib.suppress(Exception):
            parts.append(version(lib).encode())
    return hashlib.blake2b(b"\0".join(parts), digest_size=16).hexdigest()


def render_markdown(source: str, images: Mapping[str, Image] | None = None) -> str:
    """Markdown → safe HTML. `images` maps each `src` as written to its resolved Image.

    Results are cached, so the three renderers of one build share a single rendering pass.
    """
    try:
        return _render_cached(source, images or None)
    except TypeError:  # an unhashable mapping: no cache
        return _render_slow(source, images)


@lru_cache(maxsize=1)
def _renderer() -> _Renderer:
    return _Renderer(make_parser())


def _render_slow(source: str, images: Mapping[str, Image] | None = None) -> str:
    md, env = make_parser(), {"images": images or {}}
    return _renderer().render(md.parse(source, env), md.options, env)


def render_inline(source: str, images: Mapping[str, Image] | None = None) -> str:
    """Inline Markdown (a question) → safe HTML without a wrapping <p>."""
    return STORE.through("inline", source, images, _render_inline)


def _render_inline(source: str, images: Mapping[str, Image] | None) -> str:
    if "\n" not in source and source == source.strip():
        fast = _fast_render(source)
        if fast and fast.startswith("<p>") and fast.endswith("</p>\n") and fast.count("<p>") == 1:
            return fast[3:-5]
    md, env = make_parser(), {"images": images or {}}
    return _renderer().render(md.parseInline(source, env), md.options, env)


def pygments_css(style: str, selector: str = ".highlight") -> str:
    """The CSS for highlighted code in one pygments style."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=style).get_style_defs(selector)
