"""Markdown source → Q&A model. With `blocks.py` and `outline.py`, the only code that sees
markdown-it tokens.

How a file becomes cards (documented in the README, shown by `check --decisions`):

1. Headings form a tree. A lone top heading that opens the file is the document title.
2. A heading that reads as a question (`text.reads_as_question`) with no question below it is a
   card; its sub-headings belong to its answer.
3. A heading with question headings below it is a category: a section at the top, a group
   deeper down. A leaf heading with content among categories is a topic card.
4. `**题目：**` followed by a list or lines is the section's question index, not a card.
5. A `---` rule or the next heading ends an answer; text after a rule is a section note.
6. `::: en Question` … `:::` inside a card is its English translation; right under a section
   or group heading it translates that title.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from .blocks import check_fences, heading_tree, to_blocks
from .dialect import block_parser
from .errors import Diagnostics, SourceError
from .fastblock import block_tokens
from .model import Diagnostic, Document, Span
from .outline import OutlineBuilder
from .sectioncache import Memo
from .sourcefile import MAX_BYTES, read_source  # noqa: F401 - part of this module's API

_FRONT_KEYS = {
    "title", "title_en", "deck", "author", "lang", "tags", "id", "description", "english_cards",
}  # fmt: skip
# Keys static-site generators put in front matter (Jekyll, Hexo, Hugo, VuePress, Docusaurus,
# Obsidian): notes published as a site carry them; they say nothing to qadeck, so no warning.
_SITE_KEYS = frozenset({
    "layout", "permalink", "date", "updated", "lastmod", "categories", "category", "keywords",
    "excerpt", "published", "draft", "slug", "weight", "toc", "comments", "sidebar",
    "sidebar_position", "sidebar_label", "nav_order", "parent", "grand_parent", "has_children",
    "mathjax", "katex", "math", "aliases", "cover", "image", "thumbnail", "source", "questions",
    "difficulty", "status", "created", "modified", "type", "order", "index", "hide", "sticky",
})  # fmt: skip


_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


def decode_source(data: bytes, path: str, diags: Diagnostics | None = None) -> str:
    """Bytes → text; invalid UTF-8 is an error with its line and column, another Unicode
    encoding is named, and GBK that happens to be valid UTF-8 is warned about."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for bom, name in _BOMS:
        if data.startswith(bom):
            message = f"the file is {name} (it starts with a {name} byte-order mark)"
            message += "; save it as UTF-8"
            raise SourceError([_diag(path, 0, 1, message)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        message = f"not valid UTF-8 (byte 0x{data[e.start]:02x}); save the file as UTF-8"
        if _reads_as_gbk(data):
            message += " (it looks like GBK: convert it with `iconv -f GBK -t UTF-8`)"
        raise SourceError([_diag(path, line, col, message)]) from None
    if diags is not None:
        _warn_mojibake(text, data, diags)
    return text


def _reads_as_gbk(data: bytes) -> bool:
    try:
        text = data.decode("gbk")
    except UnicodeDecodeError:
        return False
    return _cjk_share(text) > 0.5


def _cjk_share(text: str) -> float:
    """The share of CJK ideographs among the non-ASCII characters of `text`."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    cjk = sum(1 for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
    return cjk / len(wide)


def _warn_mojibake(text: str, data: bytes, diags: Diagnostics) -> None:
    """GBK bytes can also be valid UTF-8 (`学习` in GBK reads as `ѧϰ`): the tell is runs of
    two-byte letters that mix scripts inside one word (Cyrillic next to Greek, Latin accents
    next to Arabic), which no real word does, in a text that GBK reads as Chinese."""
    import unicodedata

    mixed, first = 0, -1
    for m in _TWO_BYTE_RUN.finditer(text):
        scripts = {unicodedata.name(c, "?").split(" ", 1)[0] for c in m.group()}
        if len(scripts) > 1:
            mixed += 1
            first = m.start() if first < 0 else first
    if mixed < 2 or not _reads_as_gbk(data):
        return
    line = text.count("\n", 0, first) + 1
    col = first - (text.rfind("\n", 0, first) + 1) + 1
    diags.warning(
        line,
        col,
        "this text looks like GBK read as UTF-8 (mojibake): if it should be Chinese, "
        "convert the file with `iconv -f GBK -t UTF-8`",
    )


_TWO_BYTE_RUN = re.compile("[\u0080-\u07ff]{2,}")


def _diag(path: str, line: int, col: int, message: str) -> Diagnostic:
    return Diagnostic("error", Span(path, line, col), message)


def parse_file(
    path: str | Path,
    display: str | None = None,
    root: Path | None = None,
    defaults: dict[str, Any] | None = None,
) -> Document:
    """Read and parse one Markdown file (or take it from the parse cache); `display` is the
    path shown in messages; `defaults` are front-matter values its front matter overrides."""
    from .parsecache import cached_parse

    return cached_parse(Path(path), display or str(path), root, defaults)


def parse_bytes(
    data: bytes,
    p: Path,
    shown: str,
    root: Path | None,
    defaults: dict[str, Any] | None,
    memo: Memo | None = None,
) -> Document:
    diags = Diagnostics(shown)
    text = decode_source(data, shown, diags)
    return parse_text(
        text,
        shown,
        base_dir=p.parent,
        name=p.stem,
        root=root,
        diags=diags,
        defaults=defaults,
        memo=memo,
    )


def parse_text(
    source: str,
    path: str = "<string>",
    *,
    base_dir: Path | None = None,
    name: str | None = None,
    root: Path | None = None,
    diags: Diagnostics | None = None,
    defaults: dict[str, Any] | None = None,
    memo: Memo | None = None,
) -> Document:
    """Parse Markdown text into a Document, or raise SourceError listing every problem.
    Sections emitted before are taken from `memo` (default: this process's)."""
    diags = diags or Diagnostics(path)
    source = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    source = _clean_controls(source, diags)
    source = _rule_not_front_matter(source)
    lines = source.split("\n")
    memo = memo or Memo()
    tokens = block_tokens(source, memo.chunks)
    if tokens is None:
        tokens = block_parser().parse(source)
    options, body_tokens = _front_matter(tokens, diags)
    options = {**(defaults or {}), **options}
    check_fences(body_tokens, lines, diags)
    blocks = to_blocks(body_tokens, lines)
    tree = heading_tree(blocks)
    builder = OutlineBuilder(path, lines, diags, base_dir, options, name or Path(path).stem, root)
    builder.memo = memo
    doc = builder.build(tree)
    diags.raise_if_errors()
    return doc


def _clean_controls(source: str, diags: Diagnostics) -> str:
    """Control characters (Anki's field separator among them) have no place in notes."""
    bad = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    if not bad.search(source):
        return source
    for lineno, line in enumerate(source.split("\n"), 1):
        for m in bad.finditer(line):
            diags.warning(
                lineno, m.start() + 1, f"control character U+{ord(m.group()):04X} removed"
            )
    return bad.sub("", source)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_value(value: str, line: int, diags: Diagnostics) -> str:
    """YAML escapes can spell what a UTF-8 file cannot hold: control characters, and
    surrogates (`"\\ud83d\\ude00"`) that no output can encode. Pairs become their
    character; lone halves and controls are removed, with a warning."""
    if _SURROGATE.search(value):
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if "\ufffd" in value:
            diags.warning(line, 1, "a lone surrogate escape in the front matter was removed")
            value = value.replace("\ufffd", "")
    if _CONTROL.search(value):
        diags.warning(line, 1, "control characters in a front matter value were removed")
        value = _CONTROL.sub(" ", value).strip()
    return value


_YAML_KEY = re.compile(r"^[^\s#:\-][^:\n]*:(?:[ \t]|$)", re.M)
_HEADING_LINE = re.compile(r"^#{1,6}[ \t]+\S", re.M)


_LONG_RULE = re.compile(r"(-{4,}+)[ \t]*+(?:\n|$)")


def _rule_not_front_matter(source: str) -> str:
    """`---` / `### Day 1 — 数组` / `---` opening a file: two thematic breaks around Markdown,
    not front matter (no `key:` line, and a heading inside). The first `---` becomes `***`
    (same line, same length), so no rule reads it as front matter. Nor does a longer run of
    dashes (`-----…`, what pandoc writes for a rule): only `---` opens front matter."""
    if m := _LONG_RULE.match(source):
        return "*" * len(m.group(1)) + source[m.end(1) :]
    if not source.startswith("---\n"):
        return source
    end = source.find("\n---", 3)
    inner = source[4:end] if end > 0 else ""
    if not inner.strip() or _YAML_KEY.search(inner) or not _HEADING_LINE.search(inner):
        return source
    return "***" + source[3:]


def _tags(value: Any) -> list[str] | None:
    """`tags: [ml, nlp]`, and as blogs write them: `tags: ml, nlp` (Hakyll), `tags: ml nlp`
    (Jekyll), `tags: machine-learning`, `tags: [2018]`, `tags:`; None for anything else."""
    if value is None:
        return []
    if isinstance(value, str):
        return [t for t in re.split(r"\s*,\s*" if "," in value else r"\s+", value.strip()) if t]
    if isinstance(value, list) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        return [str(v) for v in value]
    return None


def _front_matter(tokens: list[Token], diags: Diagnostics) -> tuple[dict[str, Any], list[Token]]:
    if not tokens or tokens[0].type != "front_matter":
        return {}, tokens
    import yaml

    tok = tokens[0]
    try:
        data = yaml.safe_load(tok.content) if tok.content.strip() else {}
    except RecursionError:
        diags.error(2, 1, "front matter nested too deeply: use plain `key: value` lines")
        return {}, tokens[1:]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = (mark.line + 2) if mark else 1
        col = (mark.column + 1) if mark else 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        message = f"invalid YAML front matter: {problem}"
        if "mapping values" in problem:
            message += (
                "; a value with a colon needs quotes, e.g. "
                'title_en: "RL for LLMs: Interview Questions"'
            )
        diags.error(line, col, message)
        return {}, tokens[1:]
    if not isinstance(data, dict):
        diags.error(2, 1, "front matter must be a mapping of `key: value` lines")
        return {}, tokens[1:]
    where: dict[str, int] = {}
    raw_lines = tok.content.split("\n")
    for i, x in enumerate(raw_lines):
        where.setdefault(x.split(":", 1)[0], i + 2)  # one pass: a key's line, for messages
    good: dict[str, Any] = {}
    for key, value in data.items():
        line = where.get(str(key), 1)
        if isinstance(value, int | float | datetime.date) and not isinstance(value, bool):
            # `title: 2026-04-28`, `id: 42`: YAML reads a date or a number; it is text as written
            value = raw_lines[line - 2].split(":", 1)[1].strip() if line >= 2 else str(value)
        if isinstance(value, str):
            value = _clean_value(value, line, diags)
        elif isinstance(value, list):
            value = [_clean_value(v, line, diags) if isinstance(v, str) else v for v in value]
        if key in _SITE_KEYS and key not in _FRONT_KEYS:
            continue
        if key not in _FRONT_KEYS:
            diags.warning(line, 1, f"unknown front matter key {key!r} ignored")
        elif key == "tags":
            tags = _tags(value)
            if tags is not None:
                good[key] = tags
            else:
                diags.error(line, 1, "front matter `tags` must be a list of strings")
        elif key == "english_cards":
            if isinstance(value, bool):
                good[key] = value
            else:
                diags.error(line, 1, "front matter `english_cards` must be true or false")
        elif isinstance(value, str):
            good[key] = value
        else:
            diags.error(line, 1, f"front matter `{key}` must be text")
    return good, tokens[1:]
