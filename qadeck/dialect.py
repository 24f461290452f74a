"""The Markdown dialect of notes: one markdown-it configuration for the parser and every
renderer (CommonMark, tables, strikethrough, `$…$`/`$$…$$` and `\\(…\\)`/`\\[…\\]` math,
`::: lang` translation blocks, VuePress/VitePress/Docusaurus callouts `::: tip 标题` … `:::`,
front matter at the top only), and the language codes a `::: lang` block takes."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .bracketmath import bracket_math_plugin

LANG_CODES = ("en", "zh", "ja", "ko", "fr", "de", "es", "ru", "pt", "it", "vi")
LANG_INFO = re.compile(r"^\s*(" + "|".join(LANG_CODES) + r")(?:-[A-Za-z]{2,4})?(\s|$)")
# The callout kinds of VuePress, VitePress and Docusaurus (`::: tip 标题`, `:::warning`): notes
# written for a docs site box their asides this way, and the site renders them as boxes.
CALLOUT_KINDS = ("tip", "info", "note", "warning", "danger", "caution", "important", "details")
CALLOUT_INFO = re.compile(r"^\s*(" + "|".join(CALLOUT_KINDS) + r")(?=[\s\[]|$)")


def container_kind(params: str) -> str | None:
    """Which container a `:::` line opens: "lang", "callout" or none."""
    if LANG_INFO.match(params):
        return "lang"
    return "callout" if CALLOUT_INFO.match(params) else None


def callout_parts(params: str) -> tuple[str, str]:
    """(kind, title) of a callout's opening line: `tip 面试要点` and Docusaurus's
    `tip[面试要点]` give ("tip", "面试要点")."""
    m = CALLOUT_INFO.match(params)
    kind = m.group(1) if m else ""
    title = params[m.end() :].strip() if m else params.strip()
    if title.startswith("[") and title.endswith("]"):
        title = title[1:-1].strip()
    return kind, title


def _validate_lang(params: str, *args) -> bool:
    return bool(LANG_INFO.match(params))


def _validate_callout(params: str, *args) -> bool:
    return bool(CALLOUT_INFO.match(params))


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
    md.use(container_plugin, name="callout", validate=_validate_callout)
    for rule in md.block.ruler.__rules__:  # the ruler keeps no public getter of a rule
        if rule.name in ("container_lang", "container_callout"):
            md.block.ruler.at(rule.name, _line_ended(rule.fn), {"alt": list(rule.alt)})
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    md.inline.ruler.at("math_inline", _not_money(md.inline.ruler.__rules__))
    md.use(bracket_math_plugin)
    md.core.ruler.push("github_math", _github_math)
    return md


def _github_math(state) -> None:
    """GitHub's and GitLab's math (what pandoc writes for `gfm`): a fence of info `math` is
    display math, and `` $`x^2`$ `` is inline math whose backticks only guard it."""
    for tok in state.tokens:
        if tok.type == "fence" and tok.info.strip().lower() == "math":
            tok.type, tok.tag, tok.markup, tok.info = "math_block", "math", "$$", ""
        for c in tok.children or ():
            t = c.content
            guarded = len(t) > 2 and t[0] == t[-1] == "`" and "`" not in t[1:-1]
            if c.type == "math_inline" and guarded:
                c.content = t[1:-1]


def _line_ended(rule):
    """The container plugin reads one character past the source when the document's last
    line is empty after its quote marker and has no line end (`> ::: en Q` / `>`): give the
    source that line end while the rule runs, in that case only (elsewhere the tokens'
    content must stay byte-for-byte what markdown-it gives, which the fast path matches)."""

    def container(state, start: int, end: int, silent: bool) -> bool:
        src, last = state.src, end - 1
        if (
            src.endswith("\n")
            or last <= start
            or state.bMarks[last] + state.tShift[last] < len(src)
        ):
            return rule(state, start, end, silent)
        state.src = src + "\n"
        try:
            return rule(state, start, end, silent)
        finally:
            state.src = src

    return container


def looks_like_money(tex: str) -> bool:
    """`$5 and $` in `$5 and $10`: what follows an opening `$` is a digit and the "formula"
    ends in a space or holds CJK text: prices, not math (the most reported math bug of
    Markdown-to-Anki tools)."""
    return tex[:1].isdigit() and (tex[-1:].isspace() or _CJK.search(tex) is not None)


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _not_money(rules):
    """The dollarmath inline rule, refusing a match that `looks_like_money`."""
    base = next(r.fn for r in rules if r.name == "math_inline")

    def math_inline(state, silent: bool) -> bool:
        start = state.pos
        if not base(state, True):
            return False
        end, state.pos = state.pos, start
        if looks_like_money(state.src[start + 1 : end - 1]):
            return False
        return base(state, silent)

    return math_inline


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
