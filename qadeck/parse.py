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

import re
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from .blocks import check_fences, heading_tree, to_blocks
from .errors import Diagnostics, SourceError
from .fastblock import block_tokens
from .markup import block_parser
from .model import Diagnostic, Document, Span
from .outline import OutlineBuilder

MAX_BYTES = 8 * 2**20
_FRONT_KEYS = {"title", "title_en", "deck", "author", "lang", "tags", "id", "description"}


def decode_source(data: bytes, path: str) -> str:
    """Bytes → text with LF line ends; invalid UTF-8 is an error with its line and column."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        message = f"not valid UTF-8 (byte 0x{data[e.start]:02x}); save the file as UTF-8"
        raise SourceError([_diag(path, line, col, message)]) from None
    return text


def _diag(path: str, line: int, col: int, message: str) -> Diagnostic:
    return Diagnostic("error", Span(path, line, col), message)


def parse_file(path: str | Path, display: str | None = None, root: Path | None = None) -> Document:
    """Read and parse one Markdown file; `display` is the path shown in messages."""
    p = Path(path)
    shown = display or str(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            message = (
                f"the file is {size / 2**20:.1f} MB; qadeck reads sources up to "
                f"{MAX_BYTES // 2**20} MB: split it into several files (a folder of them works)"
            )
            raise SourceError([_diag(shown, 1, 1, message)])
        data = p.read_bytes()
    except OSError as e:
        raise SourceError([_diag(shown, 1, 1, f"cannot read: {e.strerror}")]) from None
    text = decode_source(data, shown)
    return parse_text(text, shown, base_dir=p.parent, name=p.stem, root=root)


def parse_text(
    source: str,
    path: str = "<string>",
    *,
    base_dir: Path | None = None,
    name: str | None = None,
    root: Path | None = None,
) -> Document:
    """Parse Markdown text into a Document, or raise SourceError listing every problem."""
    diags = Diagnostics(path)
    source = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    source = _clean_controls(source, diags)
    lines = source.split("\n")
    tokens = block_tokens(source)
    if tokens is None:
        tokens = block_parser().parse(source)
    options, body_tokens = _front_matter(tokens, diags)
    check_fences(body_tokens, lines, diags)
    blocks = to_blocks(body_tokens, lines)
    tree = heading_tree(blocks)
    builder = OutlineBuilder(path, lines, diags, base_dir, options, name or Path(path).stem, root)
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


def _front_matter(tokens: list[Token], diags: Diagnostics) -> tuple[dict[str, Any], list[Token]]:
    if not tokens or tokens[0].type != "front_matter":
        return {}, tokens
    import yaml

    tok = tokens[0]
    try:
        data = yaml.safe_load(tok.content) if tok.content.strip() else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = (mark.line + 2) if mark else 1
        col = (mark.column + 1) if mark else 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        diags.error(line, col, f"invalid YAML front matter: {problem}")
        return {}, tokens[1:]
    if not isinstance(data, dict):
        diags.error(2, 1, "front matter must be a mapping of `key: value` lines")
        return {}, tokens[1:]
    lines = tok.content.split("\n")
    good: dict[str, Any] = {}
    for key, value in data.items():
        line = 2 + next((i for i, x in enumerate(lines) if x.startswith(f"{key}:")), -1)
        if key not in _FRONT_KEYS:
            diags.warning(line, 1, f"unknown front matter key {key!r} ignored")
        elif key == "tags":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                good[key] = value
            else:
                diags.error(line, 1, "front matter `tags` must be a list of strings")
        elif isinstance(value, str):
            good[key] = value
        else:
            diags.error(line, 1, f"front matter `{key}` must be text")
    return good, tokens[1:]
