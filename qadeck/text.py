"""Small text rules shared by the parser: labels, question detection, slugs, keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

CN_NUM = "零一二三四五六七八九十百千"
# `1 分钟版`, `3种方法`, `2 个月`: a number that counts something is part of the title.
_NOT_A_COUNT = r"(?!\s*(?:分钟|秒钟|小时|个月|个|种))"
# Words that number a question: `Problem 2:`, `问题4：`, `编码题 3：`, `题 1：`.
_Q_WORDS = (
    "Problem|Question|Exercise|问题|题目|"
    "(?:面试|习|编码|编程|代码|算法|设计|系统设计|场景|笔试|真|例|思考|练习|手撕|开放|问答|简答|大)?题"
)
# A label prefix and the separator after it. Order matters: the first that matches wins.
_LABEL_RES = (
    re.compile(r"^((?:QA|Q\s*+\d{0,3}+|问题|问))\s*+[:：]\s*", re.I),  # Q1:  QA:  问题：
    # **题目**：  **问题：**
    re.compile(r"^(?:\*\*|__)(QA|Q\s*+\d{0,3}+|问题|问|题目)(?:\*\*|__)\s*+[:：]\s*", re.I),
    re.compile(r"^(?:\*\*|__)(QA|Q\s*+\d{0,3}+|问题|问|题目)\s*+[:：]\s*+(?:\*\*|__)\s*", re.I),
    re.compile(r"^(Q\d{1,3})(?:[.．、\-–—]\s*|\s+)", re.I),  # Q1.  Q2、  Q3-  Q4 …
    # Problem 2:  Question 3.  问题4：  题目 5、  第6题：  (the number is the label)
    re.compile(r"^(?:" + _Q_WORDS + r")\s*+(\d{1,3})\s*+[.．:：、]\s*", re.I),
    re.compile(r"^(?:追问|follow[- ]?up)\s*+(\d{1,3})\s*+[.．:：、]\s*", re.I),  # 追问 1:
    re.compile(r"^第\s*+(\d{1,3}|[" + CN_NUM + r"]{1,3})\s*+题\s*+[.．:：、]?\s*"),
    re.compile(
        r"^[（(](\d{1,3}|[" + CN_NUM + r"]{1,3})[.．]?[)）]\s*[、.．，,]?\s*"
    ),  # (1) （一）、 (1.)
    re.compile(r"^([" + CN_NUM + r"]{1,3})\s*[、.．，]\s*"),  # 一、  一，
    re.compile(r"^(0x[0-9A-Fa-f]{1,4})\s*[.．、:：]\s*"),  # 0x01.  (a hex-numbered chapter)
    re.compile(r"^([A-H])[)）]\s+"),  # A) 概述
    re.compile(r"^(i{1,3}|iv|vi{0,3}|ix|x|I{1,3}|IV|VI{0,3}|IX|X)[.)）]\s+"),  # ii. [E] Why…?
    re.compile(r"^(\d{1,4}(?:[.．\-]\d{1,3})*)\s*[.．、:：)），]\s*(?!\d)"),  # 1.  2.1.  1、 1，
    re.compile(r"^(\d{1,3}(?:[.．\-]\d{1,3})+)(?=\s|[^\x00-\x7f])\s*"),  # 2.1 具体  1-1 x
    re.compile(r"^(\d{1,3})\s+(?=\S)" + _NOT_A_COUNT),  # 1 Title
    re.compile(r"^(\d{1,3})(?=[^\x00-\x7f\d])" + _NOT_A_COUNT),  # 1概述
)
_QUESTION_WORDS = (
    "什么", "如何", "为什么", "为何", "怎么", "怎样", "是否", "哪些", "哪个", "介绍", "简述",
    "讲讲", "说说", "谈谈", "说一下", "讲一下", "谈一下", "聊聊", "讲一讲", "说一说", "谈一谈",
    "聊一聊", "区别", "异同", "作用", "解释",
    "对比", "比较", "原理", "吗", "呢", "哪里", "哪儿", "多少", "几种", "何时",
)  # fmt: skip
# `技术原理`, `核心区别`, `主要作用`: a question word after a word that names no subject (a
# part of the answer above; `Transformer 原理` names what it asks about).
_GENERIC_ASK = re.compile(
    r"(?:技术|核心|关键|基本|主要|工作|具体|实现|底层|算法)\s*+(?:原理|区别|作用|对比|比较|解释)"
)
# `权重衰减与 Hessian 特征值的关系`, `高斯分布广泛应用的缘由`: a noun phrase that names what
# is asked about the things before it (alone, `关系` or `原因` is a part of an answer).
_ASKED_ABOUT = (
    "的关系", "之间的关系", "的联系", "的原因", "的缘由", "的意义", "的利弊", "的影响",
    "优缺点", "的优劣", "的差异", "的做法", "的特点", "应用场景", "解决办法", "解决方法",
    "的定义", "的好处", "的不同",
)  # fmt: skip


def _names_what_is_asked(t: str, written: str) -> bool:
    """`t` ends with an `_ASKED_ABOUT` phrase after a few words of its own; as `written`,
    not a label (`…的原因：`) nor a sentence (`…之间的联系。`)."""
    return (
        t.endswith(_ASKED_ABOUT)
        and 6 < len(t) <= 80
        and not written.endswith((":", "：", "。", "."))
    )


_EN_QUESTION = re.compile(
    r"^(what|how|why|when|where|which|who|whose|is|are|can|could|does|do|did|should|"
    r"explain|describe|compare|name|list|define|give)\b"
    # a task: an imperative verb and an object of two words or more (`Write a query to …`)
    r"|^(write|implement|find|calculate|compute|design|return|create|reverse|count|print|"
    r"determine|discuss|outline|identify|differentiate|distinguish|contrast|suppose|given)"
    r"\s+[^\s(（]\S*\s+[^\s(（]\S*",
    re.I,
)
_STRIP_MD = re.compile(r"(\*\*|__|\*|`|~~)")


# `10 · 场景题`, `3 | Trees`, `2 — 基础`: a separator between the number and the title.
_SEPARATOR = re.compile(r"^[·•|—–-]\s+")


@lru_cache(maxsize=1 << 16)
def split_label(text: str) -> tuple[str, str]:
    """Split `2.1 具体介绍…` into (`2.1`, `具体介绍…`); no label gives ("", text)."""
    label, rest, _ = _split(text)
    return label, rest


def marked_important(text: str) -> bool:
    """A title carries an "important" mark at either end, or right after its label
    (`3.1 [重点] 注意力…`, `2. ⭐ Redis 为什么快？`)."""
    return _split(text)[2]


@lru_cache(maxsize=1 << 16)
def _split(text: str) -> tuple[str, str, bool]:
    stripped, important = undecorate(text)
    for pattern in _LABEL_RES:
        m = pattern.match(stripped)
        if m:
            rest, marked = undecorate(_SEPARATOR.sub("", stripped[m.end() :]))
            if rest:
                label = m.group(1).replace(" ", "")
                label = "" if label in ("问题", "问", "题目") else label
                return label.replace("．", "."), _unwrap_bold(rest), important or marked
    inner = _unwrap_bold(stripped)
    if inner != stripped and stripped.startswith("<"):  # `<strong>3.10 …</strong>`
        label, rest, marked = _split(inner)  # the label is inside the styling
        return label, rest, important or marked
    return "", inner, important


# Inline HTML that only styles text (`<strong>`, `<font color=red>`): no words of its own.
_STYLE_TAG = r"(?:strong|b|em|i|u|font|span|mark)"
_STYLE_TAGS = re.compile(rf"</?{_STYLE_TAG}(?:\s[^<>]*)?>|<br\s*/?>", re.I)  # `…？<br>`
_WRAPPED = re.compile(rf"<({_STYLE_TAG})(?:\s[^<>]*)?>(.+)</\1\s*>", re.I | re.S)


def _unwrap_bold(text: str) -> str:
    """`**当前技术简述**`, `<strong>TCP 为什么…？</strong>` → the words inside, when the bold
    or the styling tag covers the whole text (a heading is bold already)."""
    inner = text
    while True:
        t = inner.strip()
        m = re.fullmatch(r"(\*\*|__)(.+?)\1", t)
        if not (m and "**" not in m.group(2)):
            m = _WRAPPED.fullmatch(t)
            m = m if m and "<" not in m.group(2) else None
        if m is None:
            return text if inner is text else t
        inner = m.group(2)


# `[24. 反转链表](https://…)`: a link's words (not an image's), for what a heading says.
_LINKED = re.compile(r"(?<!!)\[([^\[\]\n]++)\]\([^()\s]*+\)")


@lru_cache(maxsize=1 << 16)
def plain(text: str) -> str:
    """Inline Markdown reduced to its words, for comparisons."""
    return _STYLE_TAGS.sub("", _STRIP_MD.sub("", _LINKED.sub(r"\1", text))).strip()


# `Q. Prompt Tuning 和 LoRA，结合场景谈优劣`: marked as a question, whatever its words.
# `Q02 · 索引构建`, `Q3 | Sharding`: a question's number, whatever the separator after it.
# `Problem 2:`, `问题4：`, `第6题`, `第三题`: a word that says the number is a question's.
_BY_WORD = (
    r"(?:" + _Q_WORDS + r")\s*+\d{1,3}\s*+[.．:：、]|第\s*+(?:\d{1,3}|[" + CN_NUM + r"]{1,3})\s*+题"
)
_Q_LABEL = re.compile(
    r"(?:Q|Question|问题|问)\s*+\d{0,3}\s*+[.:：、]\s*+\S|Q\d{1,3}(?:\s*+[·•|—–\-]\s*+|\s++)\S|"
    + _BY_WORD,
    re.I,
)
_Q_WORD_NUMBERED = re.compile(_BY_WORD, re.I)
# `## Q02 · 索引构建`, `### QA: …`: a label that numbers a question.
_Q_NUMBER = re.compile(r"Q\d{0,3}|QA", re.I)


_POSES = re.compile(r"(?:" + _Q_WORDS + r")\s*+\d{0,3}\s*+[:：]", re.I)


def poses(text: str) -> bool:
    """`笔试题1：…`, `编程题：…`, `Question: …`: a line that sets a question, numbered or not."""
    return _POSES.match(undecorate(plain(text))[0]) is not None


def starts_asking(text: str) -> bool:
    """English that opens with a question word (`Why does…`, `How would you…`); any other
    text is judged by its words, wherever they are."""
    t = undecorate(plain(text))[0]
    return not t.isascii() or _EN_QUESTION.match(t) is not None


# `Why Use AUC?`, `When NOT to Use AUC`: English words each capitalised name a part.
_TITLE_WORD = re.compile(r"[A-Za-z][\w'-]*")


def title_case(text: str) -> bool:
    """English in Title Case, the way headings and labels are written, not questions."""
    t = undecorate(plain(text))[0]
    words = [w for w in _TITLE_WORD.findall(t) if len(w) >= 3]
    return t.isascii() and len(words) >= 2 and all(w[0].isupper() for w in words)


def numbered_as_question(text: str) -> bool:
    """`Problem 2: 自定义损失`, `问题4：…`, `第6题`, `Q02 · 索引`: the author numbers it as a
    question, whatever its words."""
    t = undecorate(plain(text))[0]
    return _Q_WORD_NUMBERED.match(t) is not None or bool(_Q_NUMBER.fullmatch(split_label(t)[0]))


# `refers to [如何判断…？](https://…)`: a pointer to someone else's question, asking nothing.
_POINTS_TO = re.compile(
    r"\s*(?:\*\*|__)?(?:refers? to|referred to|see|see also|via|from|source|"
    r"参考|参见|来源|出处|转自|原文)\s*[:：]?\s*\[",
    re.I,
)


def elliptical(text: str) -> bool:
    """`是什么`, `为什么有效`, `如何实现`: a question word and at most two characters more,
    no subject: an aspect of the topic above it (a label), not a question of its own."""
    t = plain(text).rstrip(" ?？:：")
    return len(t) <= 5 and any(
        (t.startswith(w) and len(t) - len(w) <= 2) or (t.endswith(w) and len(t) - len(w) <= 1)
        for w in ("什么", "为什么", "如何", "怎么", "怎样", "为何")
    )


@lru_cache(maxsize=1 << 16)
def columns(text: str) -> int:
    """The width of `text` on a terminal or in an editor: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def join_lines(parts: list[str]) -> str:
    """Lines an editor wrapped, joined as they read: a space between words, none between
    CJK characters."""
    joined = parts[0] if parts else ""
    for part in parts[1:]:
        cjk = joined and part and (columns(joined[-1]) == 2 or columns(part[0]) == 2)
        joined += ("" if cjk else " ") + part
    return joined


@lru_cache(maxsize=1 << 16)  # a pure function of its text, asked of most lines many times
def reads_as_question(text: str) -> bool:
    """The issue-8 rule: ends with ？/?, or starts/ends with a question word."""
    t = undecorate(plain(text))[0].rstrip(" 。.:：!！")
    t = re.sub(r"\$[^$]*\$$", "", t).strip() or t
    if not t or _POINTS_TO.match(text):
        return False
    if t.endswith(("?", "？")) or _Q_LABEL.match(t):
        return True
    if t in _QUESTION_WORDS or GLOSSARY_TITLE.search(t) or _GENERIC_ASK.fullmatch(t):
        return False  # `区别`, `原理`, `技术原理` alone: a part of an answer, asking nothing
    mark = max(t.rfind("?"), t.rfind("？"))
    if mark > 0 and len(t) - mark <= 30:  # `了解 RAG 吗？详细讲述一下`, `What is X? Explain.`
        return True
    if any(t.endswith(w) or (t.startswith(w) and _asks_after(t[len(w) :]))
           for w in _QUESTION_WORDS):  # fmt: skip
        return True  # `介绍：b = a。…` is a label and its text
    if _names_what_is_asked(t, plain(text).rstrip()):
        return True
    if any(
        t.startswith(w) and _asks_after(t[len(w) :]) and not _TASK_NOUN.match(t[len(w) :])
        for w in _TASK_WORDS
    ):
        return True
    if re.search(
        r"(什么|为什么|如何|怎么|怎样|哪些|是否|介绍一?下|讲一?下|说一?下|谈一?下|讲讲|说说|谈谈)",
        t,
    ):
        return True
    return bool(_EN_QUESTION.match(t))


# `## 名词解释`, `## Glossary`: a glossary's heading, the terms below it explained; it
# asks nothing (`解释` ends it as a noun).
GLOSSARY_TITLE = re.compile(
    r"(名词解释|术语表?|术语解释|概念解释|基本概念|核心概念|关键概念|glossary|terminology|"
    r"key terms|definitions)\s*+[:：]?$",
    re.I,
)


# `手写 softmax`, `推导交叉熵的梯度`, `给定数组…`: a task set as a question.
_TASK_WORDS = (
    "手写", "手推", "手撕", "推导", "证明", "给定", "编写", "写出", "请写", "请实现", "请解释",
    "设计一个", "设计一下",  # `设计一个短链接系统`: a design task
)  # fmt: skip


# `推导过程`, `证明思路`: a part of an answer, named.
_TASK_NOUN = re.compile(r"\s*(过程|公式|细节|结果|部分|思路|步骤|方法|题|版本?)\s*$")


def _asks_after(rest: str) -> bool:
    """What follows a leading question word: `介绍：…` is a label and its text, `对比表`,
    `原理图`, `作用域` are nouns."""
    return len(rest.strip()) >= 2 and rest[:1] not in ":：" and not _NOUN_AFTER.match(rest)


# `对比表`, `原理图`, `作用域`: a noun; `解释一：…`, `方法2：…`: a numbered label.
_NOUN_AFTER = re.compile(r"[表图域器层]|[" + CN_NUM + r"\d]{1,3}\s*+[:：]")


# `### 模型评估的步骤是什么？` then `### 准备阶段`, `### 训练中`: the stages it asks for.
_ASKS_FOR_STAGES = re.compile(r"(步骤|阶段|流程|几步|steps|stages|phases)", re.I)
_STAGE_CHARS = 12


def asks_for_stages(question: str) -> bool:
    return _ASKS_FOR_STAGES.search(question) is not None


def stage_after(title: str, question: str) -> bool:
    """`准备阶段` after the question `模型评估的步骤是什么？`: a short heading that asks nothing,
    beside a question about steps or stages, is one of the stages its answer walks through."""
    short = len(title.split()) <= 4 if title.isascii() else len(title) <= _STAGE_CHARS
    return short and asks_for_stages(question) and not reads_as_question(title)


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """Fold width, case, markup and punctuation, so wording-neutral edits compare equal."""
    t = unicodedata.normalize("NFKC", plain(text)).casefold()
    return "".join(filter(str.isalnum, t))


def slugify(text: str) -> str:
    """A URL fragment that keeps CJK characters: `2.1 具体介绍 RLHF？` → `2-1-具体介绍-rlhf`."""
    t = unicodedata.normalize("NFKC", plain(text)).casefold()
    t = re.sub(r"[^\w]+", "-", t).strip("-")
    return t or "section"


def default_key(*parts: str) -> str:
    """A card key from its section and question, independent of labels and punctuation."""
    digest = hashlib.sha1("\x00".join(normalize(p) for p in parts).encode()).hexdigest()
    return "q" + digest[:10]


def tag_part(text: str) -> str:
    """A piece of an Anki tag: no spaces, no `::` inside, and none of `<>&"'{}` (a tag may be
    shown by a template, and is never markup)."""
    t = re.sub(r"\s+", "_", re.sub(r"[<>&\"'{}]", "", plain(text)).strip())
    return t.replace("::", ":").strip(":") or "_"


# -- decorations ---------------------------------------------------------------------------
# Emoji, stars and other pictographs before or after a question are decoration, not words;
# a star (or a fire, an exclamation mark) is the common "important" mark.
_IMPORTANT_MARKS = frozenset("⭐🌟★☆🔥❗❕‼")
_IMPORTANT_WORDS = re.compile(
    r"[【\[（(]\s*(重要|重点|高频|必考|必会|important)\s*[】\]）)]|\bstars?\s*[:：]\s*\d\b", re.I
)
# `【基础】`, `[Hard]`: a difficulty or kind of question, not its words.
_LEVEL_WORDS = re.compile(
    r"[【\[]\s*(E|M|H|基础|进阶|实战|初级|中级|高级|简单|中等|困难|容易|较难|easy|medium|hard|basic|"
    r"advanced)\s*[】\]]",
    re.I,
)
_JOINERS = frozenset("\u200d\ufe0e\ufe0f\u20e3")
# `**• Explain in-context learning.**`: a bullet typed before the words, not one of them.
_BULLETS = frozenset("•‣⁃∙·")


def _decorative(c: str) -> bool:
    if c in _JOINERS or c in _IMPORTANT_MARKS:
        return True
    cat = unicodedata.category(c)
    return cat == "So" or (cat == "Sk" and "\U0001f3fb" <= c <= "\U0001f3ff")


# `What is X? [[src]](https://…)`, `… [来源](…)`: where the question came from, not its words.
_SOURCE_LINK = re.compile(
    r"\s*[(（]?\[\[?\s*(src|source|ref|link|参考|来源|原文|出处|原题|题目链接|\d{1,3})\s*\]?\]"
    r"\([^()\s]*\)[)）]?\s*$",
    re.I,
)


# `### ![#f03c15](https://placehold.it/15/f03c15) \`范式\``: an icon before the words.
_ICON = re.compile(r"\A!\[[^\[\]\n]{0,40}\]\([^()\s]{1,300}\)\s*+(?=\S)")


# `…动机是什么？:star::star::star:`, `:fire: Redis 为什么快？`: emoji written as GitHub's names.
_SHORTCODE = re.compile(r":((?=[a-z0-9_+\-]{0,29}[a-z])[a-z0-9_+\-]{2,30}):")
_SHORTCODE_SPAN = 40  # characters: one name and the spaces after it, searched at the end
_SHORTCODES_HEAD = re.compile(r"\A(?:" + _SHORTCODE.pattern + r"\s*+)++")
_SHORTCODE_LAST = re.compile(_SHORTCODE.pattern + r"\s*+\Z")  # one at a time: linear
_IMPORTANT_CODES = frozenset(
    {"star", "star2", "stars", "fire", "exclamation", "heavy_exclamation_mark"}
)


@lru_cache(maxsize=1 << 16)
def undecorate(text: str) -> tuple[str, bool]:
    """(`text` without decorations at either end, whether one of them marks it important):
    `⭐️Redis 为什么快？` → (`Redis 为什么快？`, True); `What is a tree? 👶` → (`What is a tree?`,
    False). Decorations inside the text stay."""
    important = False
    t = text.strip()
    while True:
        before = t
        t = _SOURCE_LINK.sub("", t)
        t = _ICON.sub("", t, count=1)
        if m := _SHORTCODES_HEAD.match(t):  # `:fire: Redis…`: GitHub's emoji, by name
            important |= any(c in _IMPORTANT_CODES for c in _SHORTCODE.findall(m.group()))
            t = t[m.end() :].strip()
        while m := _SHORTCODE_LAST.search(t, max(0, len(t) - _SHORTCODE_SPAN)):
            important |= m.group(1) in _IMPORTANT_CODES  # `…是什么？:star::star:`
            t = t[: m.start()].rstrip()
        m = _IMPORTANT_WORDS.match(t) or _IMPORTANT_WORDS.search(t, max(0, len(t) - 12))
        if m and (m.start() == 0 or m.end() == len(t)):
            important = True
            t = (t[: m.start()] + t[m.end() :]).strip()
        m = _LEVEL_WORDS.match(t) or _LEVEL_WORDS.search(t, max(0, len(t) - 12))
        if m and (m.start() == 0 or m.end() == len(t)):
            t = (t[: m.start()] + t[m.end() :]).strip()
        i, j = 0, len(t)
        while i < j and (_decorative(t[i]) or t[i] in _BULLETS or t[i].isspace()):
            important |= t[i] in _IMPORTANT_MARKS
            i += 1
        while j > i and (_decorative(t[j - 1]) or t[j - 1].isspace()):
            important |= t[j - 1] in _IMPORTANT_MARKS
            j -= 1
        t = t[i:j]
        if t == before:
            return t, important


# -- question banks: an answer's label, the facts noted of a question ------------------------
# `参考回答：…`, `答：…`, `Answer: …`, `A: …`: an answer's label, opening its line.
ANSWER_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?(?:(?:答|回答|答案|参考答案|参考回答|解答|A|Answer|Ans)\s*(?:\*\*|__)?[:：]|Ans\.)"
    r"\s*(?:\*\*|__)?\s*",
    re.I,
)
# `考点: SVM 应用`, `公司: 阿里`, `标签：决策树`: what a question bank notes of a question.
QUESTION_FACTS = re.compile(
    r"\s*+(?:\*\*|__)?(?:考点|知识点|详情|公司|标签|来源|出处|难度|频率|tags?|source|difficulty|company)"
    r"\s*+(?:\*\*|__)?[:：]",
    re.I,
)


# -- placeholders ----------------------------------------------------------------------------
_PLACEHOLDER_TEXT = (
    "todo tbd tba wip fixme 待补充 待完善 待更新 待完成 待写 待续 未完成 未完待续 略 暂无 "
    "answerhere youranswer youranswerhere comingsoon 待定 施工中 敬请期待 占位 更新中 "
    "answergoeshere addanswer 待补 "
    # a template's blank for the answer: `> （补充你的回答）`
    "补充你的回答 补充回答 补充答案 写下你的回答 你的回答 在此作答 此处作答 在这里作答 填写答案 "
    "待作答 待回答 请补充 补充 未提及 "
    # what is left of "only links" once the links are gone: their labels
    "参考资料 参考答案 参考链接 参考 相关面试题 相关问题 相关阅读 推荐阅读 延伸阅读 资料 来源 "
    "类似问题 相似问题 类似题目 相似题目 相关题目 类似题 相似题 "
    "references reference sources source links link furtherreading seealso readmore"
)
_PLACEHOLDER_WORDS = frozenset(_PLACEHOLDER_TEXT.split())
_PLACEHOLDER_LONGEST = max(map(len, _PLACEHOLDER_WORDS))


def _only_placeholders(words: str) -> bool:
    """`words` (normalized, so without spaces) is placeholder words end to end: a word break
    over the table, linear in the text (an alternation repeated would backtrack without end
    on `补充你的回答…` where `补充` + `你的回答` is a second way through)."""
    ends = {0}
    for i in range(1, len(words) + 1):
        lo = max(0, i - _PLACEHOLDER_LONGEST)
        if any(j in ends and words[j:i] in _PLACEHOLDER_WORDS for j in range(lo, i)):
            ends.add(i)
    return len(words) in ends


_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*+\])*+\]\([^()\s]*+(?:\([^()\s]*+\)[^()\s]*+)*+"
    r"(?:\s++\"[^\"]*+\")?+\)"
)
# `[[Agent问题/README]]`, `[[page|title]]`: a wiki's link to another page (Obsidian, …).
_WIKILINK = re.compile(r"\[\[[^\[\]\n]{1,200}\]\]")
_AUTOLINK = re.compile(r"<(?:https?|ftp)://[^\s<>]*>|\bhttps?://\S+", re.I)
_TASK_BOX = re.compile(r"^[ \t]*+(?:[-*+]|\d+[.)])?[ \t]*+\[[ xX]\][ \t]*+", re.M)
_POINTER_ONLY = re.compile(
    r"^\W*(see|refer to|check( out)?|read|more (at|in|on)|详见|请看|参见|参考|请参考|更多)|"
    r"\b(useful|following|these|those|some|other) (links?|repos|repositories|resources|guides|"
    r"articles|books|courses|videos)\b|(推荐|相关|参考|学习)(链接|资料|资源|文章|阅读)",
    re.I,
)
_HTML_TAG = re.compile(r"<[^<>\n]*>")
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)$")


def _links_index(answer: str) -> bool:
    """A list that is mostly links to other pages (`* [closures](closures.md)`): an index."""
    lines = [x for x in answer.split("\n") if x.strip()]
    items = [m.group(1).strip() for x in lines if (m := _LIST_LINE.match(x))]
    if len(items) < 3 or len(items) < len(lines) - 1:
        return False
    linked = sum(1 for x in items if _LINK.fullmatch(x.strip("*_ ")))
    return linked * 2 >= len(items) and all(len(plain(x)) <= 80 for x in items)


def _link_prose(m: re.Match[str]) -> str:
    """A link's text when it is an explanation of its own (`[本质是分布不同，……](…)`), else
    nothing: a title that points elsewhere answers nothing."""
    link = m.group()
    text = link[link.index("[") + 1 : link.rindex("](")]
    return f" {text} " if len(plain(text)) >= _PROSE_LINK and not link.startswith("!") else " "


_PROSE_LINK = 30


def _cites_only(answer: str) -> bool:
    """`> 《书名》 [第 2 章](…)` alone: a quoted pointer to where the answer is."""
    lines = [x for x in answer.split("\n") if x.strip()]
    if not lines or not all(x.lstrip().startswith(">") for x in lines):
        return False
    if not (_LINK.search(answer) or _AUTOLINK.search(answer)):
        return False
    rest = _AUTOLINK.sub(" ", _LINK.sub(_link_prose, answer)).replace(">", " ")
    rest = _PATHLIKE.sub(" ", rest)  # `geekcircle/interview-qa/`: where, not what
    return len(normalize(rest)) <= 20


_PATHLIKE = re.compile(r"(?<![\w.\-])[\w.\-]*/[\w./\-]*")  # from a run's start: linear


def _asks_only(answer: str) -> bool:
    """`Channel 分配在栈上还是堆上？哪些对象分配在堆上？`: more questions, no answer."""
    t = LIST_MARK.sub("", plain(answer)).strip()
    if not t or len(t) > 300 or not t.endswith(("?", "？")):
        return False
    return all(s.strip().endswith(("?", "？")) for s in _SENTENCE.findall(t))


LIST_MARK = re.compile(r"^[ \t]*+(?:[-*+]|\d{1,9}[.)、])[ \t]++", re.M)  # `- `, `10. `
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


def _worklist(answer: str) -> bool:
    """`- [ ] 两数之和` `- [x] 反转链表` …: only task boxes (with what each covers indented
    under it), the author's list of things to do."""
    lines = [x for x in answer.split("\n") if x.strip() and not x.startswith((" ", "\t"))]
    return bool(lines) and all(_TASK_LINE.match(x) for x in lines)


_TASK_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]")


def _labels_only(answer: str) -> bool:
    """`ALPHA:` `Power:` …: labels with nothing after them."""
    lines = [plain(x).strip(" -*+") for x in answer.split("\n") if x.strip()]
    return (
        bool(lines)
        and all(x.endswith((":", "：")) and len(x) <= 40 for x in lines[-3:])
        and (sum(1 for x in lines if x.endswith((":", "："))) * 2 > len(lines))
    )


def is_placeholder(answer: str) -> bool:
    """An answer that answers nothing: only `TODO`/`待补充`/`Answer here`, unchecked task
    boxes, or links (a reading list is not an answer). Images are content."""
    if "![" in answer or "<img" in answer.lower() or "```" in answer or "$" in answer:
        return False
    if any(f(answer) for f in (_links_index, _labels_only, _worklist, _asks_only, _cites_only)):
        return True
    # a question bank's facts and its answer's label (`考点: …` / `参考回答：略`) answer nothing
    t = "\n".join(
        ANSWER_LABEL.sub("", x, count=1) for x in answer.split("\n") if not QUESTION_FACTS.match(x)
    )
    t = _TASK_BOX.sub("", t)
    linked = t != (t := _LINK.sub(_link_prose, t))
    linked = t != (t := _WIKILINK.sub(" ", t)) or linked
    t = _AUTOLINK.sub(" ", t)
    t = _HTML_TAG.sub(" ", t)
    if linked:  # "related questions" and a link to the answers elsewhere answer nothing
        t = "\n".join(
            "" if (m := _LIST_LINE.match(x)) and reads_as_question(m.group(1)) else x
            for x in t.split("\n")
        )
    words = normalize(t)
    if not words or _only_placeholders(words):
        return True
    # "Refer to the [security section](…)", "Those repos contain useful links: [a](…) [b](…)"
    return linked and len(words) <= 80 and _POINTER_ONLY.search(t) is not None


_TOPIC_NAME = 30  # characters: `Parameter Server的实现原理` names a topic, it explains nothing
_SENTENCE_MARK = re.compile(r"[，。；,;:：!！]|\.\s")


def question_lines(lines: list[str]) -> bool:
    """`如何证明NN能学到特征交叉？`, `TDM召回`, `特征交叉的方式有哪些？`, …: an interview's record,
    lines of their own, two or more asking, the others mostly naming a topic; no answers."""
    texts = [plain(t).strip() for t in lines]
    asks = [_asks_unmarked(t) for t in texts]
    others = [t for t, a in zip(texts, asks, strict=True) if not a]
    named = sum(len(t) <= _TOPIC_NAME and not _SENTENCE_MARK.search(t) for t in others)
    if sum(asks) < 2:
        return False
    # the others name topics, or most lines ask and none is a sentence of an answer
    unended = not any(t.endswith(("。", ".")) for t in texts)
    return 3 * named >= 2 * len(others) or (2 * sum(asks) >= len(texts) and unended)


_UNMARKED = 32  # characters: a question asked without its mark is a short line


def _asks_unmarked(text: str) -> bool:
    """Ends with its question mark, or reads as a question and is no sentence (`word2vec
    有什么优缺点`, `介绍一下梯度消失` asked in a record without the mark)."""
    if text.endswith(("?", "？")):
        return True
    if len(text) > _UNMARKED or text.endswith(("。", ".", "!", "！")):
        return False  # a sentence of an answer may say 是否 or 如何 too
    return reads_as_question(text)
