"""The block structure from markdown-it-pyrs (the Rust port), as markdown-it-py tokens.

`parse.py` needs only block tokens (types, nesting, line maps, raw inline text). The Rust
parser finds them ten times faster than markdown-it-py, but lacks our three plugins, so:

- front matter is found here, by the plugin's own rule, and blanked out;
- a line that would open or close a `::: en` or `::: tip` container becomes `***`: a thematic
  break ends paragraphs, lists and quotes exactly where the container plugin does;
- the lines of a `$$` math block become indented code: like the math plugin's block, it
  interrupts nothing and starts only where a block may start;
- the tokens are rebuilt with the containers and math blocks put back;
- a file with a `\\[` math block is left to markdown-it-py.

Whenever a replaced line is not where it must be (inside a fence, an HTML block, a list, after
a table), or the two parsers are known to disagree (some lazy lines, tabs in odd places, deep
nesting), the answer is None and the caller uses markdown-it-py. Large files are parsed in
chunks cut at headings. Tests compare both parsers on every Markdown file in the repository,
on generated sources and on generated line soups.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from functools import lru_cache
from typing import Protocol

from .dialect import container_kind
from .scan import too_deep

_BLOCK_RULES = [
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
    "reference", "html_block", "table",
]  # fmt: skip
_BLOCK_NAMES = {
    "paragraph", "heading", "lheading", "hr", "html_block", "code_block", "fence", "definition",
    "bullet_list", "ordered_list", "blockquote", "table",
}  # fmt: skip
_MAX_LEVEL = 12
_CHUNK_LINES = 4000
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
_MARKER_ONLY = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]*$")
_BLOCK_START = re.compile(
    r" {0,3}(?:[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>|#{1,6}(?:[ \t]|$)|```|~~~|<[A-Za-z/!?]"
    r"|(?:[-*_][ \t]*){3,}$|:::|\$\$)"
)
_HTML_1_5 = re.compile(
    r" {0,3}(<(?:script|pre|style|textarea)(?=\s|>|$)|<!--|<\?|<!\[CDATA\[|<![A-Za-z])", re.I
)
_OPENER = re.compile(r" {0,3}(:{3,})(.*)")
_CLOSER = re.compile(r" {0,3}(:{3,})[ \t]*")
_MATH = re.compile(r" {0,3}\$\$")
_EQNO_REV = re.compile(r"^\s*\)([^)$\r\n]+?)\(\s*\${2}")
_MAYBE = re.compile(r"^ {0,3}(?::{3}|\$\$)", re.M)
# A line that may open a `\[` math block (bracketmath.py), anywhere a block may start: the
# Rust parser has no such rule, so markdown-it-py parses these files.
_BRACKET_MATH = re.compile(r"^[ \t>*+\-0-9.)]*\\\[", re.M)
# A container or `$$` line inside a quote or a list item (after a marker, or indented four
# spaces or more): the masking below sees only lines that start one at the top level, so
# markdown-it-py parses these files.
_NESTED_BLOCK = re.compile(
    r"^(?:[ \t]*(?:(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])[ \t]*)+| {4,})(?::{3}|\$\$)", re.M
)


@lru_cache(maxsize=1)
def _parser():
    try:
        import markdown_it_pyrs
    except ImportError:  # pragma: no cover - a wheel exists for every platform we support
        return None
    return markdown_it_pyrs.MarkdownIt("zero").enable_many(_BLOCK_RULES)


class BlockToken:
    """The fields of a markdown-it-py block token that the parser reads (built ten times
    faster than markdown_it.token.Token)."""

    __slots__ = ("type", "tag", "nesting", "map", "level", "markup", "info", "content", "hidden")

    def __init__(
        self,
        type: str,
        tag: str,
        nesting: int,
        map: list[int] | None = None,
        level: int = 0,
        markup: str = "",
    ) -> None:
        self.type, self.tag, self.nesting, self.map = type, tag, nesting, map
        self.level, self.markup = level, markup
        self.info = self.content = ""
        self.hidden = False


class _Unsure(Exception):
    """The Rust parser's view may differ from markdown-it-py's here."""


class Chunks(Protocol):
    """Chunks' tokens, by everything they are made from (`_Builder.chunk_key`): (first line,
    tokens, math and container lines seen). `sectioncache.Memo.chunks` is one."""

    def get(self, key: str) -> tuple[int, list[BlockToken], tuple[int, ...]] | None: ...

    def put(self, key: str, value: tuple[int, list[BlockToken], tuple[int, ...]]) -> None: ...


def block_tokens(source: str, chunks: Chunks | None = None) -> list[BlockToken] | None:
    """markdown-it-py's block tokens for `source` (LF line ends), or None when unsure.
    `chunks` keeps the tokens of chunks parsed before, to be used again where they recur."""
    md = _parser()
    if md is None or too_deep(source):
        return None
    if "\\[" in source and _BRACKET_MATH.search(source):
        return None
    if (":::" in source or "$$" in source) and _NESTED_BLOCK.search(source):
        return None
    lines = source.split("\n")
    try:
        front = _front_matter(lines)
        masked, marks = _mask(lines, front, source)
        return _Builder(lines, masked, marks, front).build(md, chunks)
    except _Unsure:
        return None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - a Rust panic: use markdown-it-py
        return None


def flat(tokens: list[BlockToken]) -> list[tuple]:
    """Tokens as plain tuples, which are quick to store and load."""
    return [(t.type, t.tag, t.nesting, t.map, t.level, t.markup, t.info, t.content, t.hidden)
            for t in tokens]  # fmt: skip


def unflat(rows: list[tuple]) -> list[BlockToken]:
    out = []
    for typ, tag, nesting, map_, level, markup, info, content, hidden in rows:
        t = BlockToken(typ, tag, nesting, map_, level, markup)
        t.info, t.content, t.hidden = info, content, hidden
        out.append(t)
    return out


def _shifted(tokens: list[BlockToken], by: int) -> list[BlockToken]:
    """Copies of `tokens` moved `by` lines."""
    out = []
    for t in tokens:
        c = BlockToken(t.type, t.tag, t.nesting, t.map and [t.map[0] + by, t.map[1] + by],
                       t.level, t.markup)  # fmt: skip
        c.info, c.content, c.hidden = t.info, t.content, t.hidden
        out.append(c)
    return out


def _front_matter(lines: list[str]) -> int:
    """The number of lines the front matter plugin takes (0 if none)."""
    first = lines[0]
    if not first.startswith("---"):
        return 0
    count = len(first) - len(first.lstrip("-"))
    for n in range(1, len(lines)):
        line = lines[n]
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if indent == 0 and line.startswith("...") and not line[3:].strip(" "):
            return n + 1
        if "\t" in line[: indent + 1]:
            raise _Unsure
        if indent >= 4 or not stripped.startswith("-"):
            continue
        dashes = len(stripped) - len(stripped.lstrip("-"))
        if dashes >= count and not stripped[dashes:].strip(" "):
            return n + 1
    return 0


def _mask(
    lines: list[str], front: int, source: str
) -> tuple[list[str], dict[int, tuple[str, int, str]]]:
    """Lines with containers and math blocks replaced; marks[line] = (kind, end, info).

    kind is "open" (container, end = closing line or len(lines)), "close" or "math"
    (end = exclusive last line)."""
    masked = [""] * front + lines[front:]
    marks: dict[int, tuple[str, int, str]] = {}
    if not _MAYBE.search(source):
        return masked, marks
    n, i = line_count(lines), front
    limit = n  # the end of the open container, if any
    unclosed = n  # a `$$` opened at or before this line found no end before `limit`
    while i < n:
        line = lines[i]
        if "\t" in line[:4] and (":::" in line or "$$" in line):
            raise _Unsure
        m = _OPENER.fullmatch(line)
        if m and container_kind(m.group(2)):
            end = i + 1
            while end < n:
                c = _CLOSER.fullmatch(lines[end])
                if c and len(c.group(1)) >= len(m.group(1)):
                    break
                inner = _OPENER.fullmatch(lines[end])
                if inner and container_kind(inner.group(2)):
                    raise _Unsure  # nested containers
                end += 1
            marks[i] = ("open", end, m.group(1) + m.group(2))
            limit, unclosed = end, n
            masked[i] = _stars(line)
            if end < n:
                marks[end] = ("close", end + 1, "")
                masked[end] = _stars(lines[end])
            i += 1
            continue
        if i >= limit:
            limit, unclosed = n, n
        if _MATH.match(line):
            # A later opener can close only where an earlier unclosed one found nothing:
            # look at its own line only, so lines of `$$ a` cost linear time.
            known = unclosed < i < limit
            end, label = _math_end(lines, i, i + 1 if known else limit)
            if end is None and not known and _math_scans(line):
                unclosed = i
            if end is not None:
                marks[i] = ("math", end, label)
                if end > limit:
                    raise _Unsure  # the container's end cuts the math block
                for k in range(i, end):  # indented code: a block that interrupts nothing
                    masked[k] = lines[i][: len(lines[i]) - len(lines[i].lstrip(" "))] + "    $"
                i = end
                continue
        i += 1
    return masked, marks


def _closer(opener: BlockToken) -> str:
    return opener.type.replace("_open", "_close")


def line_count(lines: list[str]) -> int:
    """markdown-it-py's count: a last line of only blanks, with no line end, is not a line."""
    return len(lines) - (not lines[-1].strip(" \t"))


def _html_closed(text: str) -> bool:
    """Whether an HTML block of kinds 1-5 (which end at a marker, not at a blank line) ends."""
    m = _HTML_1_5.match(text)
    if m is None:
        return True  # kinds 6 and 7 end at a blank line
    ends = {"<!--": "-->", "<?": "?>", "<![CDATA[": "]]>"}
    opener = m.group(1)
    if opener.startswith("<!") and opener not in ends:
        return ">" in text[m.end() :]
    if opener in ends:
        return ends[opener] in text[m.end() :]
    return re.search(r"</(script|pre|style|textarea)>", text, re.I) is not None


def _stars(line: str) -> str:
    """A thematic break, indented as the line was. Where the line was not a top-level block
    (inside a fence, an HTML block or a list), neither is the break, and the build gives up."""
    return line[: len(line) - len(line.lstrip(" "))] + "***"


def _math_scans(line: str) -> bool:
    """Whether `_math_end` looks past this opening line for the block's end."""
    text = line.lstrip(" ")
    return len(text.strip()) <= 3 or not (
        text.strip().endswith("$$") or _EQNO_REV.match(text[::-1]) or "$$" in text[2:]
    )


def _math_end(lines: list[str], i: int, limit: int) -> tuple[int | None, str]:
    """The dollarmath plugin's block rule: (exclusive end line or None if not a block,
    "label" if the block has an equation label)."""
    text = lines[i].lstrip(" ")
    if len(text.strip()) > 3:
        if text.strip().endswith("$$"):
            return i + 1, ""
        if _EQNO_REV.match(text[::-1]):
            return i + 1, "label"
        if "$$" in text[2:]:
            return None, ""
    for k in range(i + 1, limit):
        t = lines[k].lstrip(" \t")
        if t.strip().endswith("$$"):
            return k + 1, ""
        if _EQNO_REV.match(t[::-1]):
            return k + 1, "label"
    return None, ""


def _text(nodes) -> str:
    return "".join(c.meta.get("content", "") for c in nodes)


class _Builder:
    def __init__(
        self,
        lines: list[str],
        masked: list[str],
        marks: dict[int, tuple[str, int, str]],
        front: int,
    ) -> None:
        self.lines = lines
        self.masked = masked
        text = "\n".join(masked)
        self.marks = marks
        self.front = front
        self.data = data = text.encode("utf-8")
        self.tabs = "\t" in text
        starts = [0]
        pos = data.find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = data.find(b"\n", pos + 1)
        self.starts = starts
        self.base = 0  # byte offset of the chunk being read
        self.last_chunk = True
        self.out: list[BlockToken] = []
        self.limit = self.count = line_count(lines)
        self.depth = 0  # inside how many lists and quotes

    def line(self, byte: int) -> int:
        return bisect_right(self.starts, byte + self.base) - 1

    def span(self, node) -> tuple[int, int]:
        a, b = node.srcmap
        start = self.line(a)
        return start, min(self.line(b - 1) + 1 if b > a else start + 1, self.count)

    def chunks(self) -> list[tuple[int, int]]:
        """Line ranges to parse one at a time (the Rust tree of a 4 MB file takes 300 MB):
        each starts at a heading after a blank line, outside any container. An unclosed
        fence or HTML block would run on past its chunk: `block` gives up on those."""
        masked, n = self.masked, len(self.masked)
        inside = {
            k
            for k, (kind, end, _) in self.marks.items()
            if kind == "open"
            for k in range(k, end + 1)
        }
        out, a = [], 0
        for k in range(_CHUNK_LINES, n, _CHUNK_LINES):
            k = max(k, a + 1)
            while k < n and not (
                masked[k].startswith("#")
                and _ATX.match(masked[k])
                and not masked[k - 1].strip()
                and k not in inside
            ):
                k += 1
            if k >= n:
                break
            out.append((a, k))
            a = k
        out.append((a, n))
        return out

    def chunk_key(self, a: int, b: int) -> str:
        """A digest of what a chunk's tokens are made from, its place aside: its lines as
        masked and as written, the heading after it (a list or quote reads it), its marks and
        the tabs."""
        marks = [(k - a, kind, end - a, info) for k, (kind, end, info) in self.marks.items()
                 if a <= k < b]  # fmt: skip
        h = hashlib.blake2b(repr((self.tabs, marks)).encode(), digest_size=20)
        h.update("\n".join(self.masked[a:b]).encode())
        h.update(b"\x00")
        h.update("\n".join(self.lines[a : b + 1]).encode())
        return h.hexdigest()

    def build(self, md, memo: Chunks | None = None) -> list[BlockToken]:
        out = self.out
        if self.front:
            tok = BlockToken("front_matter", "", 0, map=[0, self.front], markup="---")
            tok.content = "\n".join(self.lines[1 : self.front - 1])
            tok.hidden = True
            out.append(tok)
        seen: set[int] = set()
        container: BlockToken | None = None
        chunks = self.chunks()
        for a, b in chunks:
            self.base, self.last_chunk = self.starts[a], b == chunks[-1][1]
            # Not the last chunk (it runs to the end of the file), nor one inside a container.
            key = self.chunk_key(a, b) if memo is not None and not self.last_chunk else None
            if key is not None and container is None:
                hit = memo.get(key)
                if hit is not None:
                    at, tokens, marks = hit
                    out.extend(tokens if at == a else _shifted(tokens, a - at))
                    seen.update(k + a for k in marks)
                    continue
            first, before = len(out), set(seen)
            was = container
            container = self.top_level(
                md.tree("\n".join(self.masked[a:b])).children, container, seen
            )
            if key is not None and was is None and container is None:
                memo.put(key, (a, out[first:], tuple(k - a for k in seen - before)))
        if container is not None:
            out.append(BlockToken(_closer(container), "div", -1, markup=":::"))
        if seen != set(self.marks):
            raise _Unsure
        return out

    def top_level(self, nodes, container: BlockToken | None, seen: set[int]) -> BlockToken | None:
        """Tokens of one chunk's top-level nodes, with containers and math blocks put back."""
        out = self.out
        for idx, node in enumerate(nodes):
            start, end = self.span(node)
            mark = self.marks.get(start)
            if mark is None:
                self.block(node, 1 if container else 0)
                continue
            kind, mend, info = mark
            seen.add(start)
            if kind == "math":
                if node.name != "code_block" or end != mend:
                    raise _Unsure
                if idx and nodes[idx - 1].name == "table" and self.span(nodes[idx - 1])[1] == start:
                    raise _Unsure
                typ = "math_block_label" if info else "math_block"
                tok = BlockToken(typ, "math", 0, map=[start, mend], markup="$$")
                tok.level = 1 if container else 0
                out.append(tok)
            elif kind == "open":
                if node.name != "hr" or container is not None:
                    raise _Unsure
                if idx and nodes[idx - 1].name == "table" and self.span(nodes[idx - 1])[1] == start:
                    raise _Unsure
                params = info.lstrip(":")
                typ = f"container_{container_kind(params)}_open"
                container = BlockToken(typ, "div", 1, map=[start, mend], markup=":::")
                container.info = params
                out.append(container)
                self.limit = mend
            else:  # close
                if node.name != "hr" or container is None:
                    raise _Unsure
                out.append(BlockToken(_closer(container), "div", -1, markup=":::"))
                container = None
                self.limit = line_count(self.lines)
        return container

    def inline(self, content: str, start: int, end: int, level: int) -> None:
        tok = BlockToken("inline", "", 0, map=[start, end], level=level)
        tok.content = content
        self.out.append(tok)

    def text_of(self, first, last, children) -> tuple[int, str]:
        """(first line, inline text) of a paragraph: the source between its first and last
        character. With a tab in it, the Rust spans can run long: take its own text then."""
        a, b = first.srcmap[0], last.srcmap[1]
        base = self.base
        raw = _text(children) if self.tabs else self.data[a + base : b + base].decode("utf-8")
        return self.line(a), raw

    def paragraph(self, first, last, children, level: int, hidden: bool) -> None:
        start, raw = self.text_of(first, last, children)
        end = start + raw.count("\n") + 1
        o = BlockToken("paragraph_open", "p", 1, map=[start, end], level=level)
        o.hidden = hidden
        self.out.append(o)
        # At the top, as markdown-it-py has it: the lines as written.
        content = raw.strip() if self.depth else "\n".join(self.lines[start:end]).strip()
        self.inline(content, start, end, level + 1)
        c = BlockToken("paragraph_close", "p", -1, level=level)
        c.hidden = hidden
        self.out.append(c)

    def block(self, node, level: int, hidden: bool = False) -> None:
        name = node.name
        if level > _MAX_LEVEL:
            raise _Unsure("deep nesting")  # markdown-it-py stops nesting at its own limit
        start, end = self.span(node)
        out = self.out
        if name == "paragraph":
            self.paragraph(node, node, node.children, level, hidden)
        elif name in ("heading", "lheading"):
            lvl = node.meta["level"]
            tag = f"h{lvl}"
            markup = "#" * lvl if name == "heading" else ("=" if lvl == 1 else "-")
            content = _text(node.children).strip()
            if name == "lheading":  # a tab can stretch the span: count the lines
                end = start + content.count("\n") + 2
                if not self.depth:
                    content = "\n".join(self.lines[start : end - 1]).strip()
            o = BlockToken("heading_open", tag, 1, map=[start, end], level=level, markup=markup)
            o.hidden = hidden
            out.append(o)
            self.inline(content, start, end - (name == "lheading"), level + 1)
            c = BlockToken("heading_close", tag, -1, level=level, markup=markup)
            c.hidden = hidden
            out.append(c)
        elif name == "hr":
            out.append(BlockToken("hr", "hr", 0, map=[start, end], level=level))
        elif name in ("html_block", "code_block", "fence"):
            if name == "fence":
                marker = node.meta["marker"] * node.meta["marker_len"]
                last = self.lines[end - 1].strip(" \t") if end - 1 > start else ""
                if not (last.startswith(marker) and not last.strip(marker[0])):
                    # never closed: it runs to the end of the document or of its list item
                    end = self.blanks_after(end) if self.depth else self.limit
                    if not (self.depth or self.last_chunk):
                        raise _Unsure("fence")
            elif name == "html_block" and not _html_closed("\n".join(self.lines[start:end])):
                end = self.limit
                if not (self.depth or self.last_chunk):
                    raise _Unsure("html")
            tok = BlockToken(name, "code" if name != "html_block" else "", 0, map=[start, end])
            tok.level = level
            tok.content = node.meta.get("content", "")
            if name == "html_block" and not self.depth:
                tok.content = "\n".join(self.lines[start:end]) + "\n" * (end < len(self.lines))
            if name == "fence":
                tok.info = node.meta.get("info", "")
                tok.markup = node.meta["marker"] * node.meta["marker_len"]
            out.append(tok)
        elif name == "definition":
            return
        elif name in ("bullet_list", "ordered_list"):
            self.list_block(node, level, start, end)
        elif name == "blockquote":
            children = node.children
            lazy = [ln for ln in self.lines[start:end] if not ln.lstrip(" ").startswith(">")]
            if end < self.limit and self.lines[end].strip(" \t"):
                lazy.append(self.lines[end])
            if lazy and (
                any(c.name != "paragraph" for c in children)
                or any(_BLOCK_START.match(ln) or "\t" in ln or "|" in ln for ln in lazy)
            ):
                raise _Unsure("lazy quote")  # the parsers disagree on some lazy lines
            if not children:  # markdown-it-py's empty quote spans the blank lines after it
                end = self.blanks_after(end)
            o = BlockToken("blockquote_open", "blockquote", 1, map=[start, end], level=level)
            o.markup = ">"
            out.append(o)
            outer, self.limit = self.limit, end
            self.depth += 1
            for child in children:
                self.block(child, level + 1)
            self.depth -= 1
            self.limit = outer
            out.append(BlockToken("blockquote_close", "blockquote", -1, level=level, markup=">"))
        elif name == "table":
            self.table(node, level, start, end)
        else:
            raise _Unsure(name)

    def list_block(self, node, level: int, start: int, end: int) -> None:
        out = self.out
        ordered = node.name == "ordered_list"
        tag = "ol" if ordered else "ul"
        marker = node.meta.get("marker", "")
        o = BlockToken(f"{node.name}_open", tag, 1, map=[start, end], level=level, markup=marker)
        out.append(o)
        items = node.children
        kids = [item.children for item in items]
        tight = not any(c.name == "paragraph" for k in kids for c in k)
        self.depth += 1
        for item, children in zip(items, kids, strict=True):
            s, item_end = self.span(item)
            e = self.blanks_after(item_end)
            if not _MARKER_ONLY.match(self.lines[s]) or s + 1 >= self.limit:
                pass
            elif not self.lines[s + 1].strip(" \t"):
                e = min(s + 2, self.limit)  # markdown-it-py: an empty item ends here
            text = self.lines[s].lstrip(" \t")
            info = text[: len(text) - len(text.lstrip("0123456789"))] if ordered else ""
            o.map = [start, e]  # a list ends where its last item does
            li = BlockToken("list_item_open", "li", 1, map=[s, e], level=level + 1, markup=marker)
            li.info = info
            out.append(li)
            run: list = []
            for child in [*children, None]:
                if child is not None and child.name not in _BLOCK_NAMES:
                    run.append(child)  # a tight item's paragraph, unwrapped
                    continue
                if run:  # a tight paragraph
                    self.paragraph(run[0], run[-1], run, level + 2, True)
                    run = []
                if child is not None:
                    self.block(child, level + 2, hidden=tight)
            out.append(BlockToken("list_item_close", "li", -1, level=level + 1, markup=marker))
        self.depth -= 1
        out.append(BlockToken(f"{node.name}_close", tag, -1, level=level, markup=marker))

    def blanks_after(self, end: int) -> int:
        """markdown-it-py's lists and items take the blank lines after them."""
        lines, limit = self.lines, self.limit
        while end < limit and not lines[end].strip(" \t"):
            end += 1
        return end

    def table(self, node, level: int, start: int, end: int) -> None:
        out = self.out
        if any(_BLOCK_START.match(ln) for ln in self.lines[start + 2 : end]):
            raise _Unsure("table row")  # the parsers end tables at different block starts
        # Nothing reads a table's rows and cells: only its extent is needed.
        out.append(BlockToken("table_open", "table", 1, map=[start, end], level=level))
        out.append(BlockToken("table_close", "table", -1, level=level))
