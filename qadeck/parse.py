"""Markdown source → Q&A model. The only module that sees markdown-it tokens.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from . import text as T
from .errors import Diagnostics, SourceError
from .glossary import find_terms
from .markup import LANG_CODES, block_parser
from .model import (
    Card,
    Decision,
    Document,
    FrozenMap,
    Group,
    Image,
    IndexEntry,
    Section,
    Span,
    Translation,
)

_EXPLICIT_ID = re.compile(r"\s*\{#([A-Za-z0-9][\w\-.:]*)\}\s*$")
_BAD_ID = re.compile(r"\s*\{#([^}]*)\}\s*$")
_INDEX_HEAD = re.compile(
    r"^\s*(?:\*\*|__)?\s*(题目|问题|问题列表|面试题|题目列表|目录|Questions?)\s*[:：]?\s*(?:\*\*|__)?\s*[:：]?\s*$",
    re.I,
)
MAX_BYTES = 8 * 2**20
_FRONT_KEYS = {"title", "title_en", "deck", "author", "lang", "tags", "id", "description"}


@dataclass
class _Block:
    kind: str  # heading | hr | container | paragraph | other
    start: int  # 0-based first line
    end: int  # 0-based, exclusive
    tokens: list[Token]
    level: int = 0
    text: str = ""
    closed: bool = True
    raw: str | None = None  # source text when it is not lines[start:end] (dedented list items)


@dataclass
class _Node:
    block: _Block | None
    level: int
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    body: list[_Block] = field(default_factory=list)
    after_rule: list[_Block] = field(default_factory=list)
    ruled: bool = False

    @property
    def raw_title(self) -> str:
        return self.block.text if self.block else ""

    @property
    def line(self) -> int:
        return self.block.start + 1 if self.block else 1


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


def _diag(path: str, line: int, col: int, message: str):
    from .model import Diagnostic

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
    tokens = block_parser().parse(source)
    options, body_tokens = _front_matter(tokens, diags)
    _check_fences(body_tokens, lines, diags)
    blocks = _blocks(body_tokens, lines)
    tree = _tree(blocks)
    builder = _Builder(path, lines, diags, base_dir, options, name or Path(path).stem)
    builder.root = root
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


def _check_fences(tokens: list[Token], lines: list[str], diags: Diagnostics) -> None:
    """A fence that is never closed swallows every question after it: say where it opened."""
    for tok in tokens:
        if tok.type != "fence" or not tok.map:
            continue
        start, end = tok.map
        last = lines[end - 1].strip() if end - 1 > start else ""
        marker = tok.markup[0] * len(tok.markup)
        if not (last.startswith(marker) and last.strip(marker[0]) == ""):
            col = len(lines[start]) - len(lines[start].lstrip()) + 1
            diags.error(start + 1, col, f"code block opened with {tok.markup} is never closed")


def _blocks(tokens: list[Token], lines: list[str]) -> list[_Block]:
    """Group level-0 tokens into blocks with their line ranges."""
    out: list[_Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        j = i
        if tok.nesting == 1:
            depth = 0
            while j < len(tokens):
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
        group = tokens[i : j + 1]
        start, end = tok.map or (0, 0)
        if tok.type == "heading_open":
            out.append(_Block("heading", start, end, group, int(tok.tag[1]), group[1].content))
        elif tok.type == "hr":
            out.append(_Block("hr", start, end, group))
        elif tok.type == "container_lang_open":
            closed = end < len(lines) and re.fullmatch(r"\s*:{3,}\s*", lines[end]) is not None
            out.append(
                _Block("container", start, end + (1 if closed else 0), group, 0, tok.info, closed)
            )
        elif tok.type == "paragraph_open":
            out.append(_Block("paragraph", start, end, group, text=group[1].content))
        elif tok.type == "html_block" and _is_comment(tok.content):
            out.append(_Block("comment", start, end, group, text=tok.content))
        else:
            out.append(_Block("other", start, end, group))
        i = j + 1
    return _promote_questions(_drop_toc(out, lines), lines)


_ANSWER_PREFIX = re.compile(
    r"^\s*(?:\*\*|__)?(?:答|回答|答案|A|Answer)\s*[:：]\s*(?:\*\*|__)?\s*", re.I
)
_QA_PREFIX = re.compile(
    r"^\s*(?:\*\*|__)?\s*(问题|问|Q\d{0,3}|Question)\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(.+?)"
    r"\s*(?:\*\*|__)?\s*$",
    re.I,
)
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?!\s)(.+?)\1\s*[:：]?\s*$")


def _promote_questions(blocks: list[_Block], lines: list[str]) -> list[_Block]:
    """Questions written without headings become pseudo-headings one level below the
    current heading: a bold line that reads as a question (`**1.2 …是什么？**`), a
    `问题：…`/`Q: …` paragraph, and list items that are questions with answers nested under
    them. Inside an answer (under a question heading) nothing is promoted."""
    out: list[_Block] = []
    level, in_question = 0, False
    for b in blocks:
        if b.kind == "heading" and b.tokens:
            level, in_question = b.level, T.reads_as_question(T.split_label(b.text)[1])
            out.append(b)
            continue
        if in_question or b.kind not in ("paragraph", "other"):
            out.append(b)
            continue
        if b.kind == "paragraph":
            out.extend(_promote_paragraph(b, level))
        else:
            out.extend(_promote_list(b, lines, level) or [b])
    return out


def _promote_paragraph(b: _Block, level: int) -> list[_Block]:
    first = b.text.split("\n", 1)[0]
    m = _QA_PREFIX.match(first)
    if m:
        label = m.group(1) if m.group(1)[:1] in "Qq" and len(m.group(1)) > 1 else ""
        text = f"{label}: {m.group(2)}" if label else m.group(2)
    else:
        bold = _BOLD_LINE.match(first)
        if not bold or not T.reads_as_question(T.split_label(bold.group(2))[1]):
            return [b]
        text = bold.group(2)
    head = _Block("heading", b.start, b.start + 1, [], level + 1, text)
    rest = [_Block("paragraph", b.start + 1, b.end, b.tokens)] if b.end > b.start + 1 else []
    return [head, *rest]


def _promote_list(b: _Block, lines: list[str], level: int) -> list[_Block] | None:
    if b.tokens[0].type not in ("bullet_list_open", "ordered_list_open"):
        return None
    spans = _item_spans(b.tokens)
    items = [b.tokens[i] for i, _ in spans]
    firsts, answered = [], 0
    for i, j in spans:
        inline = next((t for t in b.tokens[i:j] if t.type == "inline"), None)
        text = inline.content.split("\n", 1)[0] if inline else ""
        firsts.append(text)
        if not T.reads_as_question(T.split_label(_unbold(text))[1]):
            return None
        inner = [t for t in b.tokens[i + 1 : j] if t.level == 2 and t.nesting >= 0]
        answered += len(inner) > 1 or (inline is not None and "\n" in inline.content)
    if not items or not all(T.reads_as_question(T.split_label(_unbold(t))[1]) for t in firsts):
        return None
    if answered == 0:
        return None
    out: list[_Block] = []
    for item, first in zip(items, firsts, strict=True):
        s, e = item.map
        label = f"{item.info}. " if item.info else ""
        out.append(_Block("heading", s, s + 1, [], level + 1, label + _unbold(first)))
        body = [ln for ln in lines[s + 1 : e]]
        while body and not body[-1].strip():
            body.pop()
        if body:
            indent = min(len(ln) - len(ln.lstrip()) for ln in body if ln.strip())
            raw = "\n".join(ln[indent:] for ln in body)
            out.append(_Block("paragraph", s + 1, e, [], raw=raw))
    return out


def _item_spans(tokens: list[Token]) -> list[tuple[int, int]]:
    """(open, close) token indexes of the top-level items of a list block."""
    spans, start = [], None
    for k, t in enumerate(tokens):
        if t.level == 1 and t.type == "list_item_open" and t.map:
            start = k
        elif t.level == 1 and t.type == "list_item_close" and start is not None:
            spans.append((start, k))
            start = None
    return spans


def _unbold(text: str) -> str:
    m = re.fullmatch(r"\s*(\*\*|__)(.+?)\1\s*", text)
    return m.group(2) if m else text


def _is_comment(html: str) -> bool:
    return bool(re.fullmatch(r"\s*(<!--.*?-->\s*)+", html, re.S))


def _drop_toc(blocks: list[_Block], lines: list[str]) -> list[_Block]:
    """Comments, `[toc]` paragraphs and `<!-- TOC -->` … `<!-- /TOC -->` regions are noise."""
    out: list[_Block] = []
    in_toc = False
    for b in blocks:
        if b.kind == "comment":
            if re.search(r"<!--\s*/TOC", b.text, re.I):
                in_toc = False
            elif re.search(r"<!--\s*TOC\b", b.text, re.I):
                in_toc = True
            continue
        if in_toc:
            continue
        if b.kind == "paragraph" and re.fullmatch(r"\s*\\?\[\s*toc\s*\]\s*", b.text, re.I):
            continue
        if b.kind == "other" and _is_empty_anchor_list(b):
            continue
        out.append(b)
    return out


def _is_empty_anchor_list(b: _Block) -> bool:
    inline = [t for t in b.tokens if t.type == "inline"]
    return bool(inline) and all(
        re.fullmatch(r"\s*\[[^\]]*\]\(#[^)]*\)\s*", t.content) for t in inline
    )


def _tree(blocks: list[_Block]) -> _Node:
    root = _Node(None, 0)
    stack = [root]
    for b in blocks:
        if b.kind == "heading":
            while stack[-1].level >= b.level:
                stack.pop()
            node = _Node(b, b.level, stack[-1])
            stack[-1].children.append(node)
            stack.append(node)
        elif b.kind == "hr":
            for n in stack:
                n.ruled = n.ruled or n is stack[-1]
            stack[-1].ruled = True
        elif stack[-1].ruled:
            stack[-1].after_rule.append(b)
        else:
            stack[-1].body.append(b)
    return root


def _has_content(blocks: list[_Block]) -> bool:
    return any(b.kind != "container" for b in blocks)


class _Builder:
    """Walks the heading tree and emits sections, groups and cards."""

    def __init__(
        self,
        path: str,
        lines: list[str],
        diags: Diagnostics,
        base_dir: Path | None,
        options: dict[str, Any],
        name: str,
    ) -> None:
        self.path = path
        self.lines = lines
        self.diags = diags
        self.base_dir = base_dir
        self.options = options
        self.name = name
        self.decisions: list[Decision] = []
        self.keys: dict[str, int] = {}
        self._q_cache: dict[int, bool] = {}

    # -- classification -------------------------------------------------------------------
    def title_of(self, node: _Node) -> str:
        return _EXPLICIT_ID.sub("", _BAD_ID.sub("", node.raw_title)).strip()

    def is_question(self, node: _Node) -> bool:
        return T.reads_as_question(T.split_label(self.title_of(node))[1])

    def has_question_below(self, node: _Node) -> bool:
        cached = self._q_cache.get(id(node))
        if cached is None:
            cached = any(self.is_question(c) or self.has_question_below(c) for c in node.children)
            self._q_cache[id(node)] = cached
        return cached

    def has_card_below(self, node: _Node) -> bool:
        return self.has_question_below(node) or any(
            not c.children and _has_content(c.body) for c in node.children
        )

    def has_content_below(self, node: _Node) -> bool:
        return any(_has_content(c.body) or self.has_content_below(c) for c in node.children)

    def decide(self, node: _Node, kind: str, reason: str) -> None:
        self.decisions.append(Decision(self.span(node.line), self.title_of(node), kind, reason))

    # -- building -------------------------------------------------------------------------
    def build(self, root: _Node) -> Document:
        top = root.children
        title = self.options.get("title")
        preamble = root.body
        if (
            len(top) == 1
            and top[0].children
            and not _has_content(preamble)
            and not self.is_question(top[0])
            and any(self.has_card_below(c) and not self.is_question(c) for c in top[0].children)
        ):
            title = title or T.plain(T.split_label(self.title_of(top[0]))[1])
            self.decide(top[0], "title", "the only top-level heading; it names the document")
            self.check_stray_translations(top[0].body, "the document title")
            preamble = top[0].body + top[0].after_rule
            top = top[0].children
        title = title or self.name
        self.check_stray_translations(preamble, "the preamble")
        sections: list[Section] = []
        loose: list[_Node] = []
        for node in top:
            if self.has_card_below(node) and not (
                self.is_question(node) and not self.has_question_below(node)
            ):
                if loose:
                    sections.append(self.implicit_section(loose, title))
                    loose = []
                sections.append(self.section(node))
            else:
                loose.append(node)
        if loose:
            sections.append(self.implicit_section(loose, title))
        sections = [s for s in sections if s.cards]
        self.check_duplicate_slugs(sections)
        if not sections or not any(s.cards for s in sections):
            self.diags.warning(1, 1, "no question cards found in this file")
        glossary = find_terms(self.prose_lines(), self.path)
        return Document(
            path=self.path,
            name=self.name,
            title=T.plain(title),
            options=FrozenMap(self.options),
            sections=tuple(sections),
            glossary=tuple(glossary),
            warnings=tuple(self.diags.warnings),
            decisions=tuple(self.decisions),
            lang=str(self.options.get("lang", "zh")),
        )

    def implicit_section(self, nodes: list[_Node], title: str) -> Section:
        cards: list[Card] = []
        notes: list[_Block] = []
        for node in nodes:
            self.walk(node, title, (title,), None, cards, [], notes)
        level = nodes[0].level
        return Section(
            title=title,
            label="",
            level=max(level - 1, 1),
            slug=T.slugify(title),
            span=self.span(nodes[0].line),
            cards=tuple(cards),
            notes=self.source_of(notes),
        )

    def section(self, node: _Node) -> Section:
        label, title = T.split_label(self.title_of(node))
        self.decide(node, "section", "a top-level heading with questions below it")
        translations, rest = self.heading_translations(node)
        index, intro = self.index(rest)
        cards: list[Card] = []
        groups: list[Group] = []
        notes: list[_Block] = list(node.after_rule)
        for child in node.children:
            self.walk(child, title, (title,), None, cards, groups, notes)
        if index:
            self.cross_check(index, cards, groups)
        self.check_stray_translations(notes, "text after a closing rule")
        self.warn_orphan_text(intro, title)
        return Section(
            title=title,
            label=label,
            level=node.level,
            slug=T.slugify(self.title_of(node)),
            span=self.span(node.line),
            cards=tuple(cards),
            groups=tuple(groups),
            index=tuple(index),
            notes=self.source_of(intro + notes) if intro or notes else "",
            translations=translations,
        )

    def walk(
        self,
        node: _Node,
        section: str,
        chain: tuple[str, ...],
        group: str | None,
        cards: list[Card],
        groups: list[Group],
        notes: list[_Block],
    ) -> None:
        """Classify `node` and emit what it is."""
        question = self.is_question(node)
        below = self.has_question_below(node)
        label, title = T.split_label(self.title_of(node))
        if not T.plain(title) and not below:
            self.decide(node, "skipped", "an empty heading")
            self.diags.warning(node.line, 1, "empty heading ignored; its text is a section note")
            notes.extend(node.body + node.after_rule + self.descendant_blocks(node))
            return
        if question and not below:
            reason = "reads as a question"
            if node.children:
                reason += "; its sub-headings belong to the answer"
            self.decide(node, "card", reason)
            cards.append(self.card(node, section, chain, group))
            notes.extend(self.all_after_rule(node))
            return
        if below or (node.children and self.has_card_below(node)):
            translations, rest = self.heading_translations(node)
            self.decide(node, "group", "has question headings below it")
            groups.append(
                Group(
                    title, label, node.level, T.slugify(title), self.span(node.line), translations
                )
            )
            if question and _has_content(rest):
                cards.append(self.card(node, section, chain, group, own_body_only=True))
            elif _has_content(rest):
                notes.extend(rest)
            notes.extend(node.after_rule)
            for child in node.children:
                self.walk(child, section, (*chain, title), title, cards, groups, notes)
            return
        if _has_content(node.body) or self.has_content_below(node):
            self.decide(node, "card", "a heading with content among the questions (topic card)")
            cards.append(self.card(node, section, chain, group))
            notes.extend(self.all_after_rule(node))
            return
        self.decide(node, "skipped", "a heading with no content")
        notes.extend(node.after_rule)

    def all_after_rule(self, node: _Node) -> list[_Block]:
        out = list(node.after_rule)
        for c in node.children:
            out.extend(self.all_after_rule(c))
        return out

    def card(
        self,
        node: _Node,
        section: str,
        chain: tuple[str, ...],
        group: str | None,
        own_body_only: bool = False,
    ) -> Card:
        raw = node.raw_title
        label, question = T.split_label(self.title_of(node))
        key, explicit = self.card_key(node, raw, section, question)
        body: list[_Block] = list(node.body)
        if not own_body_only:
            body += self.descendant_blocks(node)
        translations: dict[str, Translation] = {}
        answer_blocks: list[_Block] = []
        for b in body:
            if b.kind == "container":
                self.card_translation(b, translations)
            else:
                answer_blocks.append(b)
        answer = _ANSWER_PREFIX.sub("", self.source_of(answer_blocks), count=1)
        if not answer.strip():
            self.diags.warning(node.line, 1, f"question {T.plain(question)!r} has no answer")
        end = max((b.end for b in body), default=node.block.end)
        tags = ["::".join(T.tag_part(p) for p in (self.name, *chain[: len(chain)]))] + [
            T.tag_part(t) for t in self.options.get("tags", []) if isinstance(t, str)
        ]
        return Card(
            key=key,
            label=label,
            question=question,
            answer=answer,
            span=self.span(node.line, self.heading_col(node)),
            end_line=end,
            level=node.level,
            section=section,
            headings=chain,
            group=group,
            tags=tuple(tags),
            translations=FrozenMap(translations),
            images=tuple(self.images(answer_blocks, node)),
            explicit_key=explicit,
            namespace=str(self.options.get("id") or self.name),
        )

    def heading_col(self, node: _Node) -> int:
        line = self.lines[node.block.start]
        return len(line) - len(line.lstrip()) + 1

    def descendant_blocks(self, node: _Node) -> list[_Block]:
        out: list[_Block] = []
        for c in node.children:
            out.append(c.block)
            out.extend(c.body)
            out.extend(self.descendant_blocks(c))
        return out

    def card_key(self, node: _Node, raw: str, section: str, question: str) -> tuple[str, bool]:
        m = _EXPLICIT_ID.search(raw)
        if m:
            key = m.group(1)
            if key in self.keys:
                self.diags.error(
                    node.line,
                    raw.index("{#") + node.level + 2,
                    f"card id {key!r} is already used on line {self.keys[key]}",
                )
            self.keys.setdefault(key, node.line)
            return key, True
        bad = _BAD_ID.search(raw)
        if bad:
            self.diags.error(
                node.line,
                raw.index("{#") + node.level + 2,
                f"invalid card id {bad.group(1)!r}: use letters, digits, '-', '_', '.', ':'",
            )
        key = T.default_key(section, question)
        if key in self.keys:
            self.diags.warning(
                node.line,
                1,
                f"the same question already appears on line {self.keys[key]} in this section;"
                " give one an explicit id like {#my-id}",
            )
            n = 2
            while f"{key}-{n}" in self.keys:
                n += 1
            key = f"{key}-{n}"
        self.keys[key] = node.line
        return key, False

    def card_translation(self, b: _Block, out: dict[str, Translation]) -> None:
        lang, _, question = b.text.strip().partition(" ")
        if not b.closed:
            self.diags.error(b.start + 1, 1, f"`::: {lang}` block is never closed with `:::`")
        if lang in out:
            self.diags.warning(b.start + 1, 1, f"a second `::: {lang}` block in one card ignored")
            return
        answer = self.inner_source(b)
        if not question.strip():
            self.diags.warning(
                b.start + 1, 1, f"`::: {lang}` block has no question: write `::: {lang} Question?`"
            )
        out[lang] = Translation(lang, question.strip(), answer, self.span(b.start + 1))

    def heading_translations(self, node: _Node) -> tuple[FrozenMap, list[_Block]]:
        """`::: en Title` right under a section/group heading translates the title."""
        found: dict[str, Translation] = {}
        rest: list[_Block] = []
        for b in node.body:
            if b.kind == "container":
                lang, _, title = b.text.strip().partition(" ")
                if not b.closed:
                    self.diags.error(b.start + 1, 1, f"`::: {lang}` block is never closed")
                found.setdefault(
                    lang,
                    Translation(lang, title.strip(), self.inner_source(b), self.span(b.start + 1)),
                )
            else:
                rest.append(b)
        return FrozenMap(found), rest

    def warn_orphan_text(self, blocks: list[_Block], section: str) -> None:
        """Text under a section heading before its first question answers nothing."""
        text = [b for b in blocks if b.kind in ("paragraph", "other")]
        if text:
            self.diags.warning(
                text[0].start + 1,
                1,
                f"text before the first question of {section!r} belongs to no card"
                " (kept as a section note)",
            )

    def check_stray_translations(self, blocks: list[_Block], where: str) -> None:
        for b in blocks:
            if b.kind == "container":
                self.diags.error(b.start + 1, 1, f"translation block outside any card (in {where})")

    # -- question index -------------------------------------------------------------------
    def index(self, blocks: list[_Block]) -> tuple[list[IndexEntry], list[_Block]]:
        """Find `**题目：**` + list/lines; return its entries and the other intro blocks."""
        entries: list[IndexEntry] = []
        rest: list[_Block] = []
        taking = False
        for b in blocks:
            if b.kind == "paragraph" and _INDEX_HEAD.match(b.text.split("\n", 1)[0]):
                taking = True
                for k, line in enumerate(b.text.split("\n")[1:], 1):
                    self.add_entry(entries, line, b.start + 1 + k)
                continue
            if (
                taking
                and b.kind in ("other", "paragraph")
                and b.tokens[0].type.endswith(("list_open", "paragraph_open"))
            ):
                for t in b.tokens:
                    if t.type == "inline" and t.map:
                        first = t.content.split("\n")[0]
                        number = ""
                        if b.tokens[0].type == "ordered_list_open":
                            number = self.lines[t.map[0]].lstrip().split(" ", 1)[0]
                        self.add_entry(entries, f"{number} {first}".strip(), t.map[0] + 1)
                    elif t.type == "inline":
                        continue
                if b.kind == "paragraph":
                    continue
                continue
            if b.kind == "container":
                self.check_stray_translations([b], "a section introduction")
            taking = False
            rest.append(b)
        return entries, rest

    def add_entry(self, entries: list[IndexEntry], line: str, lineno: int) -> None:
        if line.strip():
            label, text = T.split_label(line.strip())
            entries.append(IndexEntry(label, text, self.span(lineno)))

    def cross_check(self, index: list[IndexEntry], cards: list[Card], groups: list[Group]) -> None:
        names = {T.normalize(c.question): c for c in cards}
        by_label = {c.label: c for c in cards if c.label}
        group_names = {T.normalize(g.title) for g in groups}
        matched: set[str] = set()
        for e in index:
            n = T.normalize(e.text)
            card = names.get(n) or (
                by_label.get(e.label)
                if e.label and _similar(e.text, by_label.get(e.label))
                else None
            )
            if card:
                matched.add(card.key)
            elif n not in group_names:
                self.diags.warning(
                    e.span.line, 1, f"the question index lists {e.text!r} but no card answers it"
                )
        for c in cards:
            if c.key not in matched:
                self.diags.warning(
                    c.span.line,
                    c.span.col,
                    f"question {T.plain(c.question)!r} is not in the section's question index",
                )

    # -- helpers --------------------------------------------------------------------------
    def span(self, line: int, col: int = 1) -> Span:
        return Span(self.path, line, col)

    def source_of(self, blocks: list[_Block]) -> str:
        """The Markdown source of these blocks, as written, joined by blank lines."""
        parts: list[str] = []
        prev_end = None
        for b in sorted(blocks, key=lambda b: b.start):
            chunk = b.raw if b.raw is not None else "\n".join(self.lines[b.start : b.end]).rstrip()
            if prev_end is not None and b.start <= prev_end:
                parts[-1] += "\n" + chunk
            else:
                parts.append(chunk)
            prev_end = b.end
        return "\n\n".join(p.strip("\n") for p in parts if p.strip())

    def inner_source(self, b: _Block) -> str:
        end = b.end - 1 if b.closed else b.end
        return "\n".join(self.lines[b.start + 1 : end]).strip("\n")

    def images(self, blocks: list[_Block], node: _Node) -> list[Image]:
        from .images import find_images

        return find_images(
            blocks, self.lines, self.path, self.base_dir, self.diags, getattr(self, "root", None)
        )

    def prose_lines(self):
        """Lines outside code and translations, for the glossary scan."""
        skip: set[int] = set()
        for lineno, line in enumerate(self.lines):
            if line.lstrip().startswith(("```", "~~~")):
                skip.add(lineno)
        in_fence = False
        in_lang = False
        for lineno, line in enumerate(self.lines, 1):
            s = line.strip()
            if s.startswith(("```", "~~~")):
                in_fence = not in_fence
                continue
            if not in_fence and re.match(r"^:::\s*(" + "|".join(LANG_CODES) + r")\b", s):
                in_lang = True
                continue
            if in_lang and s == ":::":
                in_lang = False
                continue
            if not in_fence and not in_lang:
                yield lineno, line

    def check_duplicate_slugs(self, sections: list[Section]) -> None:
        pass


def _similar(a: str, card: Card | None) -> bool:
    if card is None:
        return False
    import difflib

    sm = difflib.SequenceMatcher(None, T.normalize(a), T.normalize(card.question), autojunk=False)
    return sm.quick_ratio() > 0.5 and sm.ratio() > 0.5
