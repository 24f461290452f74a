"""The Markdown dialect of notes: one markdown-it configuration for the parser and every
renderer (CommonMark, tables, strikethrough, `$…$`/`$$…$$` math, `::: lang` translation
blocks, front matter at the top only), and the language codes a `::: lang` block takes."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

LANG_CODES = ("en", "zh", "ja", "ko", "fr", "de", "es", "ru", "pt", "it", "vi")
LANG_INFO = re.compile(r"^\s*(" + "|".join(LANG_CODES) + r")(?:-[A-Za-z]{2,4})?(\s|$)")


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
