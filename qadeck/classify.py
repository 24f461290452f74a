"""What each heading is: the source conventions as an ordered list of named rules.

Like markdown-it's block rules, `RULES` is tried in order and the first rule whose test holds
decides; each rule looks only at the heading's own neighbourhood (its title, its body, its
children, its siblings under the same parent), never at a distant part of the file, so an
edit far away cannot flip it. `check --decisions` prints the rule and its reason.

The kinds a rule gives:

- `card`: the heading and everything below it is one question and its answer.
- `category`: it holds cards below; it becomes a section (at the top) or a group. Its own
  text, and its part sub-headings, are a card of their own when they explain the heading.
- `part`: a generic sub-heading (题目描述, 解题思路, Intent, Implementation, …): it belongs
  to the answer of the heading above it.
- `note`: kept as a section note (references, an empty heading's text).
- `skipped`: not a question (a TODO list, a question index, a heading with nothing under it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from . import text as T
from .answerkey import KEY
from .blockforms import has_content
from .blocks import (
    LINE_QUESTIONS,
    RECAP_WORDS,
    ROUND,
    SET_TITLE,
    SUMMARY,
    Block,
    Node,
    recap_title,
)
from .lineforms import COLON
from .runs import record_of_questions

# `前言`, `Preface`: what a page says before its subject (alone, or with it: `前言：…`).
_PREFACE_WORDS = r"前言|引言|写在前面|序言|导读|preface|foreword"
_NOT_A_TOPIC = re.compile(
    r"^(参考(资料|文献|链接|阅读|文章|博客|资源)?([与和及、]?(资料|文献|链接|阅读|文章|博客|资源))?|相关(链接|资料|阅读|文章|资源|论文)|延伸阅读|扩展阅读|推荐阅读|"
    r"学习资料|(推荐)?学习资源|推荐资源|资源推荐|资料推荐|资料|资源|推荐书籍|书籍推荐|目录|致谢|鸣谢|微信公众号|公众号|关注我|联系我|"
    r"联系方式|交流群|读者群|赞赏|打赏|广告|版权声明|转载声明|声明|更新日志|更新记录|更新历史|标签|tags|"
    r"难度|难度等级|考频|出现频率|difficulty( level)?|frequency|面试概况|面试信息|岗位信息|"
    rf"{_PREFACE_WORDS}|写在最前面|开篇|简单介绍|简要介绍|"
    r"additional talking points|talking points|additional topics|further topics|延伸话题|"
    r"(延伸|扩展|推荐|相关)阅读.{0,8}|(原始|相关|参考|经典|推荐)?论文(列表|链接|推荐|阅读)?|"
    r"(original |related |key )?papers?|"
    r"references?|sources?|connections|further reading|reading list|see also|links|useful links|"
    r"resources|"
    r"books|credits|acknowledge?ments|contents|table of contents|toc|license|contributing|"
    r"contributors|changelog|star history|sponsors?|about( me| the author)?|"
    r"contact( me| us)?)\s*[:：]?$",
    re.I,
)
# `### 前言：链表中环的分析`: the page's preface, and what it is about.
_PREFACE = re.compile(rf"{_PREFACE_WORDS}|introduction", re.I)
# `## 问题` over what the page is about, asking nothing (a stated question is read as one).
_PROBLEM = re.compile(r"问题|problem|question", re.I)


def _asks_in(blocks: list[Block]) -> bool:
    return any(b.kind == "paragraph" and T.reads_as_question(b.text) for b in blocks)


# `# Table of Contents`, `## 目录`: a contents list; a heading over the whole file when
# the author put the contents first and nested everything under it.
_CONTENTS = re.compile(r"(目录|contents|table of contents|toc)\s*+[:：]?$", re.I)


# `### 功能作用`, `### 核心原理`, `### BN的作用`: a short name of an aspect, asking nothing.
_ASPECT = re.compile(r"[^?？]{0,6}(作用|原理|区别|异同|对比|比较)")
_ASKING_WORD = re.compile(r"什么|为什么|为何|如何|怎么|怎样|哪|吗|呢|是否|多少|几")


def _repeat_key(node: Node) -> str:
    """A sub-heading's title as it recurs under its siblings: `1.2 面试流程与轮次` under
    `1. 腾讯` is `2.2 面试流程与轮次` under `2. 阿里`."""
    return T.normalize(T.split_label(title_of(node))[1])


def _aspect(node: Node) -> bool:
    """`### 功能作用`, or a label (`### 与 Function Call 区别：`): no question of its own."""
    t = _bare_title(node)
    if t.endswith((":", "：")) and "?" not in t and "？" not in t:
        return True
    return _ASPECT.fullmatch(t) is not None and _ASKING_WORD.search(t) is None


def is_contents(title: str) -> bool:
    return _CONTENTS.match(title.strip()) is not None


_TODO = re.compile(
    r"^(todo|to-?do( list)?|wip|待完成|待补充|待完善|待整理|待更新|待办|未完成|未完待续|"
    r"施工中|coming soon)\b",
    re.I,
)
_INDEX = re.compile(
    r"(题目|问题|问题列表|面试题|面试题目|题目列表|目录|索引|questions?|question list|index)", re.I
)
# Generic part headings: what they say only makes sense under the heading above them.
_PART = re.compile(
    r"^(题目|题目描述|问题描述|题干|题干简述|题目简述|题意简述|描述|题意|题目大意|题目链接|题目地址|原题链接|链接|题目来源|来源|输入|输出|输入输出|样例|示例|例子|举例|实例|"
    r"思路|解题思路|思路分析|分析|解法|解答|题解|方法|解决方案|答案|参考答案|回答|"
    r"(方法|解法|思路|方案)\s*[一二三四五六七八九十\d]+.*|"
    r"代码|代码实现|实现|源码|参考代码|其他语言版本|其他语言|多语言版本|代码版本|"
    r"复杂度|复杂度分析|时间复杂度|空间复杂度|公式|作图|画图|图示|导图|思维导图|直观解释|直观理解|"
    r"简介|概述|介绍|定义|概念|特点|特性|优点|缺点|优缺点|优势|劣势|不足|局限|局限性|"
    r"应用|应用场景|使用场景|适用场景|场景|用途|用法|使用|使用方法|步骤|流程|过程|原理|"
    r"注意|注意事项|总结|小结|备注|说明|补充|扩展|拓展|延伸|相关题目|类似题目|相似题目|"
    r"结论|一句话结论|核心|核心机制|核心思想|关键点|要点|必答点|加分点|常见误答|易错点|误区|追问|"
    r"标准答案|答题要点|答题思路|面试回答|回答要点|一句话答案|一句话回答|一句话总结|总结一句话|"
    r"背诵版|最终背诵版|速记版|key takeaways|takeaways|key points|summary\W+key points|"
    r"详细展开|详解|"
    r"详细解释|展开|面试表达|问题背景|背景|问题解答|拓展|推导|二维推导|动机|自检|小实验与自检|"
    r"从问题出发|口述模板|口述版|口述|面试口述|常见追问|面试常见追问|高频追问|关键问题|面试速查|速查|"
    r"区别|联系|区别与联系|区别和联系|异同|对比|比较|作用|解释|概念介绍|基本概念|"
    r"short answer|tl;?dr|details|deep dive|background|motivation|"
    r"intent|motivation|applicability|structure|class diagram|participants|collaborations|"
    r"consequences|implementation|code implementation|sample code|code|examples?|known uses|"
    r"related patterns|"
    r"jdk|usage|use cases?|solution|solutions?|approach( \d+)?|method( \d+)?|analysis|"
    r"complexity|complexity analysis|description|problem( statement)?|answer|explanation|"
    r"notes?|summary|pros|cons|pros and cons|advantages|disadvantages|input|output|"
    r"follow[- ]?up|discussion|intuition|algorithm|definition|overview|introduction)"
    r"\s*[:：]?$",
    re.I,
)
# `## 代码`, `## 7. Code Implementation`, `## 4.总结：`, `## 考察重点`, `## 示例：…`: the code
# of what the page explains, its summary, an example of it, or what its question tests.
# The code and summary words, named alone, are shared with `_APPENDIX`.
_CODE_AND_SUMMARY = r"代码|代码实现|参考代码|源码|code|sample code|implementation|总结|小结"
_PAGE_PART = re.compile(
    rf"^({_CODE_AND_SUMMARY}|完整代码|code implementation|source code|全文总结|"
    r"考察重点|考察点|考查重点|考查点|考点|深入理解|code examples?|examples?|example in code|"
    r"(?:interview|model|sample) answers?|"
    r"what the interviewer is (?:checking|looking for)|what interviewers look for)\s*[:：]?$|"
    r"^(?:示例|例子|举例|实例|examples?)\s*+[:：]",  # `## 5. 示例：模型的综合输入`: an example
    re.I,
)
# `核心结论`, `常见误区`, `工程建议`, `一句话区分`: a part word after a qualifier, never after
# a subject (`Transformer 原理` names what it explains: the facets rule decides those).
_PART_COMPOUND = re.compile(
    r"^(核心|关键|常见|主要|基本|典型|工程|面试|实战|选型|分工|使用|设计|一句话|易错|高频|最佳|常用|"
    r"实现|性能|适用|注意|补充)\s*+"
    r"(结论|误区|机制|对比|要点|建议|经验|边界|策略|代价|类型|公式|模板|区分|实践|落地|局限|陷阱|"
    r"注意点|技巧|思路|思想|原理|总结|方案|场景|问题|细节|差异|语义|规则|原因|流程|公式)\s*[:：]?$"
)
# `示例：构造 4D 张量`, `Example: a two-layer net`: an example of what the heading above explains.
_EXAMPLE_OF = re.compile(
    r"^(示例|例子|举例|实例|范例|代码|代码示例|代码实现|演示|examples?|code|demo|sample)\s*[:：]",
    re.I,
)
# `代码实现（Python）`, `Implementation Snippet (PyTorch)`: a part word, qualified.
_QUALIFIER = re.compile(
    r"(?<!\s)(?:\s++snippets?)?\s*+[(（][^()（）]{1,30}[)）]\s*+$|(?<!\s)\s++snippets?\s*+$", re.I
)
# `Step 1: Outline use cases`, `第二步`: a walk-through; everything under a step is the step's.
_STEP = re.compile(r"^(第[一二三四五六七八九十\d]+步|步骤\s*\d+|(step|phase|stage)\s*\d+\b)", re.I)
# Under a code part (`其他语言版本`, `代码`, `Implementation`), one heading per language.
_LANGUAGE = re.compile(
    r"^(c|c\+\+|cpp|c#|java|python3?|go|golang|javascript|js|typescript|ts|rust|kotlin|swift|"
    r"php|ruby|scala|dart|sql|shell|bash)(\s*(版本|版|代码|实现|解法|version|code))?\s*[:：]?$",
    re.I,
)
# `PyTorch 实现`, `NumPy code`: a part word after the library or language it is written in.
_FRAMEWORK = re.compile(
    r"(pytorch|torch|tensorflow|tf|keras|jax|numpy|paddle|mindspore|python3?|java|c\+\+|cpp|go|"
    r"rust|sql|js|javascript|typescript)\s*(版本?|的)?\s*(?=\S)",
    re.I,
)
_CODE_PARENT = re.compile(r"(代码|语言|实现|版本|code|implementation|solution)", re.I)
# `参考答案` under the question's own level: the answer, written as a sibling heading.
_ANSWER_PART = re.compile(
    r"^(参考答案|参考回答|答案|解答|解析|回答|答|answer|solution)\s*[:：]?$", re.I
)
_PROMOTED = frozenset(
    {
        "bold",
        "prefix",
        "list",
        "task",
        "details",
        "numbered",
        "file",
        "arrow",
        "callout",
        "table",
        "plain",
        "term",
    }
)
# A chapter's own text introduces the chapter; it explains no single thing.
_CHAPTER = re.compile(
    r"(篇|章|部分|系列|合集|汇总|大全|总结|笔记|面试题|面试|面经|题库|专题|专栏|集锦|问答|报告|"
    r"问题[和与及]解答|questions|interview|notes|cheat ?sheet|guide|q ?& ?a|faq)[\W_]*$"
    r"|^(第.{1,4}[章节篇部分]|chapter|part)\b"
    # `Machine Learning Interview Questions: Programming`, `面试题：算法`: a set and its kind
    r"|(interview questions|面试题|面试问题)\s*+[:：—–]",
    re.I,
)
# Headings that set text aside: outside the questions' answers, nothing a card could ask.
_ASIDE = re.compile(
    r"^(问题延伸|延伸问题|扩展问题|拓展问题|反问|反问环节|补充|补充说明|备注|其他|其它|杂项|附录|"
    # a study guide's closing checklist and further exercises
    r"完成检查|自我检查|自检清单|学习检查|进阶挑战|拓展挑战|扩展挑战|"
    r"(面试)?(技巧|建议|注意事项|准备建议|成功要素|成功秘诀|心得|心得体会|感受|感想)|我的问题|"
    r"appendix|remarks|miscellaneous|misc|(?:study |interview )?tips)\s*[:：]?$",
    re.I,
)
_APPENDIX = re.compile(
    rf"^({_CODE_AND_SUMMARY}|实现|总结一句话|背诵版|最终背诵版|速记版|"
    r"summary|(key )?takeaways|key points|summary\W+key points)"
    r"\s*[:：]?$",
    re.I,
)
# A heading that names a set whose members its sub-headings are (with `SET_TITLE`).
_SET_OF = re.compile(r"(难点|挑战|误区|陷阱|注意事项|亮点|要素)$")
# `## 最后一页速记`, `## Cheat sheet`: what the cards say, said again in brief.
_RECAP = re.compile(
    rf"({RECAP_WORDS}|考前|记忆要点|要记住的|你要记住|回答模板|答题模板|一句话定义|视频脚本|"
    r"结构化回答|面试话术|总览|一览|收尾|summary table|(?:本组|本章|本节|本篇|全文)(?:小结|总结))",
    re.I,
)
# A top heading that says it is notes: the page's title, however its topic reads.
_NOTES_TITLE = re.compile(r"笔记|面经|学习记录|读书记录|\bnotes\b|cheat ?sheet", re.I)
# A title that names a collection of questions or notes, not one subject.
_COLLECTION = re.compile(
    _CHAPTER.pattern + r"|" + _NOTES_TITLE.pattern + r"|(题|问题|汇总|整理|大全|基础|知识点|八股)",
    re.I,
)
_INTRO = re.compile(
    r"^\s*(本文|本章|本节|本篇|本部分|本系列|这里|以下|下面|此处|这部分|这一章|这篇|该部分|整理|收集|"
    r"汇总|记录|总结了|(this|the following) (page|document|section|chapter|part|file|repo)|"
    r"in this|here (are|is|you)|a (collection|list|set) of|these are|this is a\b)",
    re.I,
)
# "详见这篇文章", "see this post": a pointer elsewhere, not an explanation.
_POINTER = re.compile(r"(请看|详见|参见|参考|见|看这篇|阅读|see|read|check out|refer to)", re.I)
_LINK_TEXT = re.compile(r"!?\[([^\[\]]*+)\]\([^()]*+\)")
_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9+#\-]{1,}|[\u4e00-\u9fff]{2,}")
_STOP = frozenset({"the", "and", "for", "with", "what", "how", "why", "are", "is", "of", "to"})


@dataclass(frozen=True)
class Verdict:
    kind: str  # card | category | part | note | skipped
    rule: str
    reason: str


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    reason: str
    test: Callable[[Classifier, Node, Node | None], bool]


class Classifier:
    """Applies `RULES` to the headings of one tree; every answer is cached per node."""

    def __init__(self, root: Node) -> None:
        adopt_answer_parts(root)
        self.parents: dict[int, Node | None] = {}
        self.repeated: set[int] = set()
        self._verdicts: dict[int, Verdict] = {}
        self._questions_below: dict[int, bool] = {}
        self._part_share: dict[int, float] = {}  # by parent: the share of part-named children
        self._asking_share: dict[int, float] = {}  # by parent: numbered children that ask
        self._item_share: dict[int, float] = {}  # by parent: numbered children answered
        self._after_answer: dict[int, set[int]] = {}  # by parent: children after `参考回答`
        self._outright: dict[tuple[int, bool], bool] = {}
        self._facets: dict[int, bool] = {}
        self._aspects: dict[int, bool] = {}  # by parent: its numbered children are aspects
        # Several level-1 headings are chapters, not the document's name.
        self.chapters = sum(c.level == 1 for c in root.children) > 1
        self._index(root, None)

    def _index(self, node: Node, parent: Node | None) -> None:
        stack = [(node, parent)]
        while stack:
            n, p = stack.pop()
            self.parents[id(n)] = p
            self._mark_repeated(n)
            stack.extend((c, n) for c in n.children)

    def _mark_repeated(self, node: Node) -> None:
        """A sub-heading title that recurs under several siblings (every design pattern has
        its `Class Diagram`) is a part heading, whatever its words."""
        with_children = [c for c in node.children if c.children]
        if len(with_children) < 2:
            return
        counts = Counter(t for c in with_children for t in {_repeat_key(g) for g in c.children})
        need = 2 if len(with_children) <= 3 else 3
        for c in with_children:
            for g in c.children:
                t = _repeat_key(g)
                if t and counts[t] >= need and not is_question(g):
                    self.repeated.add(id(g))

    # -- predicates a rule may use -------------------------------------------------------
    def verdict(self, node: Node) -> Verdict:
        found = self._verdicts.get(id(node))
        if found is None:
            parent = self.parents.get(id(node))
            rule = next(r for r in RULES if r.test(self, node, parent))
            found = Verdict(rule.kind, rule.name, rule.reason)
            self._verdicts[id(node)] = found
        return found

    def is_part(self, node: Node) -> bool:
        return self.verdict(node).kind == "part"

    def part_word(self, node: Node) -> bool:
        """Named like a part (描述, 思路, Intent), or repeated under several siblings, or a
        language under a code part."""
        title = _bare_title(node)
        if _PART.match(title) or _STEP.match(title) or id(node) in self.repeated:
            return True
        # `解题思路：为什么会想到哈希`, `基本思想：在同一样本上…`: the part, and its gist
        if (head := _lead(title)) != title and (_PART.match(head) or _PART_COMPOUND.match(head)):
            return True
        bare = _QUALIFIER.sub("", title)
        if _EXAMPLE_OF.match(title) or _PART.match(bare) or _PART_COMPOUND.match(bare):
            return True  # `示例：构造张量`, `Implementation Snippet (PyTorch)`, `常见误区`
        if (m := _FRAMEWORK.match(title)) and _PART.match(title[m.end() :]):
            return True  # `PyTorch 实现`, `Python 代码`
        parent = self.parents.get(id(node))
        return bool(
            _LANGUAGE.match(title)
            and parent is not None
            and parent.block is not None
            and _CODE_PARENT.search(_bare_title(parent))
        )

    def appendix(self, node: Node) -> bool:
        """`## 代码`, `## Summary` under a chapter: no question above it for it to answer, and
        no topic a card could ask about (`代码` alone says nothing)."""
        title = _QUALIFIER.sub("", _bare_title(node))  # `Key Takeaways (Interview Summary)`
        return bool(_APPENDIX.match(title)) and not self.question_below(node)

    def among_parts(self, node: Node, parent: Node) -> bool:
        """A heading that is not a question, beside mostly part headings, is a part too
        (`其他语言版本`'s `Java`, `Python`, … `TypeScript`). One sibling is no run: `01. 概述`
        beside `02. 结构推导` says nothing about the second."""
        share = self._part_share.get(id(parent))
        if share is None:
            siblings = parent.children
            share = sum(1 for s in siblings if self.part_word(s)) / max(len(siblings), 1)
            self._part_share[id(parent)] = share
        return share >= 0.5 and len(parent.children) >= 3 and not is_question(node)

    def asks(self, node: Node) -> bool:
        """Reads as a question, or is numbered in a run of numbered sibling headings that
        mostly ask (`## 4. LR的推导过程` between `## 3. 为什么…？` and `## 5. …如何…`)."""
        if node.level == 1 and _NOTES_TITLE.search(_bare_title(node)):
            return False  # `# ML 学习笔记 8 -- 各种优化器的比较` names a page of notes
        if is_question(node):
            return True
        parent = self.parents.get(id(node))
        if parent is None or not T.split_label(title_of(node))[0].isdigit():
            return False
        share = _numbered_share(parent, is_question, self._asking_share)
        return share >= 0.6 or self.enumerates(node, parent)

    def enumerates(self, node: Node, parent: Node) -> bool:
        """Item 14 of a numbered run of answered items, whose sub-headings count again from
        1 (`## 14. Redis 持久化的几种方式` over `### 1、快照`, `### 2、AOF`), is one item
        too: its sub-headings list its answer. Sub-headings numbered `14.1`, `14.2` make
        it a chapter instead."""
        labels = [T.split_label(title_of(c))[0] for c in node.children]
        if len(labels) < 2 or labels != [str(k) for k in range(1, len(labels) + 1)]:
            return False
        return _numbered_share(parent, _answered_item, self._item_share) >= 0.6

    def after_answer(self, node: Node, parent: Node) -> bool:
        """Under `## 什么是 X？`, after `### 参考回答：` has answered it, a sibling that is no part
        word is a topic of its own the author put one level too deep (`### Lstm和Gru`)."""
        after = self._after_answer.get(id(parent))
        if after is None:
            kids = parent.children
            first = next(
                (
                    k
                    for k, sibling in enumerate(kids)
                    if _ANSWER_PART.match(_bare_title(sibling)) and has_content(sibling.body)
                ),
                len(kids),
            )
            after = self._after_answer[id(parent)] = {id(c) for c in kids[first + 1 :]}
        return id(node) in after and has_content(node.body) and not self.part_word(node)

    def facets(self, node: Node) -> bool:
        """`## 常见误区` over `### 误区 1：…`, `### 误区 2：…`; `## Chunk 常见问题` over `### Chunk
        太小`, `### Chunk 太大`: a heading with no text of its own whose sub-headings, none
        asking and none with sub-headings of its own, each name its subject. They are facets
        of one topic, the parts of its answer."""
        found = self._facets.get(id(node))
        if found is None:
            kids = node.children
            title = _bare_title(node)
            # `MoE 的工程难点` over `1. All-to-All 通信`, `2. 显存压力`: a set and its members
            members = SET_TITLE.search(title) or _SET_OF.search(title)
            labels = [T.split_label(title_of(k))[0] for k in kids]
            found = self._facets[id(node)] = (
                node.block is not None
                and not has_content(node.body)
                and len(kids) >= 2
                and not self.asks(node)
                # numbered, they count from 1 under it: `6.`, `7.` go on a numbering of the file
                and (not any(labels) or labels[0] in ("1", "一"))
                and not _lists_topics(title, [_bare_title(k) for k in kids])
                and all(
                    not k.children
                    and has_content(k.body)
                    and not self.asks(k)
                    and (_names(title, _bare_title(k)) or bool(members))
                    for k in kids
                )
            )
        return found

    def question_level(self, node: Node) -> bool:
        """Numbered as a question (`## Q02 · 索引构建`), or an item of a numbered run whose
        items mostly name the heading above (`## 5. Tool Use 的核心组成` … under `# Tool
        Use`) or share a template of sub-headings (`### 常见误区` under most of them):
        aspects of one subject, or topics written alike, each a question; what is below
        belongs to its answer, except what asks outright."""
        if q_numbered(node):
            return True
        parent = self.parents.get(id(node))
        if parent is None or parent.block is None:
            return False
        found = self._aspects.get(id(parent))
        if found is None:
            title = _bare_title(parent)
            numbered = [k for k in parent.children if T.split_label(title_of(k))[0].isdigit()]
            numbers = [int(T.split_label(title_of(k))[0]) for k in numbered]
            naming = sum(_names(title, _bare_title(k)) for k in numbered)
            # `## 1. 模型压缩` over `### 1.1 量化`: numbered like chapters, not aspects
            chapters = any(
                T.split_label(title_of(g))[0].startswith(f"{n}.")
                for n, k in zip(numbers, numbered, strict=True)
                for g in k.children
            )
            # `# Speculative Decoding` over `## 1. 为什么需要它`, `## 2. 基本角色`: a file
            # about one subject, numbering its points (a collection's title names no subject)
            subject = parent.level == 1 and not _COLLECTION.search(title)
            # `## 3. False Sharing` over `### 本质`, `### 常见误区`: the points share a
            # template of sub-headings (leaves repeated under several of them)
            templated = sum(
                any(id(g) in self.repeated and not g.children for g in k.children) for k in numbered
            )
            found = self._aspects[id(parent)] = (
                len(numbers) >= 3
                and numbers == list(range(1, len(numbers) + 1))
                and (2 * naming >= len(numbers) or subject or 2 * templated >= len(numbers))
                and not chapters
            )
        label, rest = T.split_label(title_of(node))
        # `## 3. 问答` among the points names a collection of questions, not a point
        return found and label.isdigit() and not _CHAPTER.search(T.plain(rest))

    def asked_outright(self, node: Node) -> bool:
        """It, or a heading below it, ends with a question mark, is numbered as a question or
        was promoted as one (a bold question line, a list of follow-ups)."""
        return self.question_in(node, strict=True)

    def own_question(self, node: Node, strict: bool) -> bool:
        """Under a question-level heading, a question of its own: one asked outright; under
        a point of a numbered run (`strict` False), also one that reads as a question
        (`### 为什么 DPO 很流行`), since the author marks none outright."""
        if outright(node):
            return True
        return (
            not strict
            and node.block is not None
            and is_question(node)
            and not self.part_word(node)  # `Step 3：看上下文是否干净` is a step of the answer
        )

    def question_in(self, node: Node, strict: bool) -> bool:
        """It or a heading below it is a question of its own (`own_question`)."""
        found = self._outright.get((id(node), strict))
        if found is None:
            found = self.own_question(node, strict) or any(
                self.question_in(k, strict) for k in node.children
            )
            self._outright[(id(node), strict)] = found
        return found

    def remains(self, node: Node, strict: bool) -> bool:
        """Something of it is left for an answer once its own questions go apart."""
        return not self.own_question(node, strict) and (
            has_content(node.body) or any(self.remains(k, strict) for k in node.children)
        )

    def names_page(self, node: Node) -> bool:
        """The page's only top heading: its title."""
        up = self.parents.get(id(node))
        return up is not None and up.block is None and len(up.children) == 1

    def titles_numbered_run(self, node: Node, root: Node | None) -> bool:
        """The file's first heading, without a number and asking nothing, with nothing below
        it, followed by three or more headings beside it numbered from 1."""
        kids = root.children if root is not None else []
        if not kids or kids[0] is not node or node.children or is_question(node):
            return False
        label, _ = T.split_label(title_of(node))
        labels = [T.split_label(title_of(k))[0] for k in kids[1:]]
        if label or len(labels) < 3 or not all(x.isdigit() for x in labels):
            return False
        return int(labels[0]) == 1

    def page_level(self, node: Node) -> bool:
        """One of the page's own sections: at the top, or right under the page's title."""
        p = self.parents.get(id(node))
        return p is None or p.block is None or self.names_page(p)

    def in_recap(self, node: Node) -> bool:
        """Below a heading that names a recap or a summary, or the page's code (read from the
        titles, so that no verdict waits on another)."""
        p = self.parents.get(id(node))
        while p is not None and p.block is not None:
            title = _bare_title(p)
            recap = _RECAP.search(title) or recap_title(title)
            if recap and not self.names_page(p) and not is_question(p):
                return True  # (a page named `速记` may still explain its topics)
            if _page_part(title) and self.page_level(p):
                return True  # `## Implementation` › `### PyTorch`
            p = self.parents.get(id(p))
        return False

    def holds_cards(self, node: Node) -> bool:
        """A card or a category below it (parts, notes and skipped headings are neither)."""
        return any(self.verdict(c).kind in ("card", "category") for c in node.children)

    def question_below(self, node: Node) -> bool:
        found = self._questions_below.get(id(node))
        if found is None:
            found = any(
                not self.is_part(c) and (is_question(c) or self.question_below(c))
                for c in node.children
            )
            self._questions_below[id(node)] = found
        return found

    def own_answer(self, node: Node, body: list[Block]) -> list[Block]:
        """The blocks that make a category's own card: its text and its part sub-headings,
        when they explain the heading (not a chapter's introduction, not only links)."""
        parts = [c for c in node.children if self.is_part(c)]
        blocks = [b for b in body if b.kind != "container"]
        if _unanswered_questions(blocks):
            blocks = []  # a list of the questions below it: their index, no answer
        if (
            not has_content(blocks)
            and node.children
            and not self.is_part(node.children[0])
            and not self.question_level(node)
        ):
            parts = []  # `### 总结` after the questions sums them up, not the heading
        if not has_content(blocks) and not parts:
            return []
        if _CHAPTER.search(T.plain(title_of(node))):
            return []  # a chapter's text introduces it; its parts are topics of their own
        if any(ROUND.search(T.plain(title_of(c))) for c in node.children):
            return []  # `## 百度，深度学习平台部` over `### 一面`: the interview, not an answer
        if (
            not parts
            and not self.asks(node)  # numbered in a run of questions asks too
            and (
                (node.level == 1 and not self.chapters and not _defines(blocks))
                or not (_explains(_bare_title(node), blocks) or _defines(blocks))
            )
        ):
            return []  # a document's own text introduces it; a question's text answers it
        out = list(blocks)
        for p in parts:
            out += [p.block, *p.body, *_descendants(p)]
        return out


# `### [为什么要有内核态？](#为什么要有内核态)`: a heading linked to its own anchor (a table of
# contents' target) says its text; the link goes nowhere on a card.
_ANCHOR_LINK = re.compile(r"\[([^\[\]\n]+)\]\(#[^()\s]*\)")


# `### **7. Name the methods.**`: a heading in bold all through is the heading.
_ALL_BOLD = re.compile(r"(\*\*|__)(?!\s)([^*_]+?)(?<!\s)\1")


# `<br>`, `</br>`, and the empty anchors a contents list links to (`<a name="cv"></a>`).
_BREAK = re.compile(
    r"</?br\s*+/?>|<a\s++(?:name|id)\s*+=\s*+[\"']?[\w\-.:]*+[\"']?\s*+/?>|</a>", re.I
)


def _without_breaks(text: str) -> str:
    """The text without the `<br>` tags and empty anchors it ends with (read from the end:
    linear)."""
    while text.endswith(">") and (at := text.rfind("<")) >= 0 and _BREAK.fullmatch(text[at:]):
        text = text[:at].rstrip()
    return text


# `<a style="float:right" href="#index">[Top]</a>`, `[↑](#目录)`: a link back to the contents
# at the end of a heading, no words of it.
_TO_TOP = re.compile(
    r"\[?(?:top|back to top|go to top|返回顶部|回到顶部|返回目录|回到目录|目录|↑|⬆\ufe0f?|🔝)\]?",
    re.I,
)
_TOP_LINK = re.compile(r"\[([^\[\]\n]++)\]\(#[^()\s]*+\)")
# `<a name="7">两层神经网络</a>`: the heading's words inside the anchor a contents list links to.
_NAMED = re.compile(r"<a\s++(?:name|id)\s*+=\s*+[\"']?[\w\-.:]*+[\"']?\s*+>([^<>\n]*+)</a>", re.I)


def _without_top_link(text: str) -> str:
    """The text without a link back to the top at its end (read from the end: linear)."""
    if text.endswith("</a>") and (at := text.rfind("<a")) >= 0 and (gt := text.find(">", at)) > 0:
        if "#" in text[at:gt] and _TO_TOP.fullmatch(text[gt + 1 : -4].strip()):
            return text[:at].rstrip()
    elif text.endswith(")") and (at := text.rfind("[")) >= 0:
        m = _TOP_LINK.fullmatch(text[at:])
        if m and _TO_TOP.fullmatch(m.group(1).strip()):
            return text[:at].rstrip()
    return text


def title_of(node: Node) -> str:
    """The heading's text without a trailing `{#id}`, links to anchors or bold all through."""
    return _title(node.raw_title)


@lru_cache(maxsize=1 << 16)
def _title(raw: str) -> str:
    found = trailing_id(raw)
    text = (raw[: found[0]] if found else raw).strip()
    if text.endswith((">", ")")):
        text = _without_top_link(text)
    if "<a" in text:
        text = _NAMED.sub(r"\1", text)
    text = _without_breaks(text)  # `（2.）…优势。<br>`: the line's end, no words
    if "](#" in text:
        text = _ANCHOR_LINK.sub(r"\1", text)
    bold = _ALL_BOLD.fullmatch(text) if text[:1] in "*_" else None
    return bold.group(2) if bold else text


def is_question(node: Node) -> bool:
    """Reads as a question, or was promoted as one (a bold question line, a task, …)."""
    if node.block is not None and node.block.origin in _PROMOTED:
        return True
    return q_numbered(node) or T.reads_as_question(T.split_label(title_of(node))[1])


def q_numbered(node: Node) -> bool:
    """`## Q02 · 索引构建`, `## Problem 2: …`: the author numbers questions; the headings
    under it that do not ask outright are the parts of its answer (`核心公式`, `对比表`)."""
    if node.block is None:
        return False
    return T.numbered_as_question(title_of(node))


def _page_part(title: str) -> bool:
    """`title` names the page's code, example or summary (`_PAGE_PART`), maybe for a framework
    or qualified: `PyTorch Example`, `Code Example (NumPy)`, `Interview Answer (Senior)`."""
    if _PAGE_PART.match(title):
        return True
    bare = _QUALIFIER.sub("", title)
    if (m := _FRAMEWORK.match(bare)) and m.end() < len(bare):
        bare = bare[m.end() :]
    return bare != title and bool(_PAGE_PART.match(bare))


def _lead(title: str) -> str:
    """`附录：题库来源` → `附录`: what a title says before its colon (the whole title without
    one)."""
    return COLON.split(title, maxsplit=1)[0].strip()


def _line_question(node: Node) -> bool:
    """A question promoted from a line of text; the headings under it are its answer's."""
    return node.block is not None and node.block.origin in LINE_QUESTIONS


def _restates(node: Node, parent: Node) -> bool:
    """`## 1. XGBoost 是什么？` under `**3.XGBoost是什么？GBDT与 XGBoost 的核心差异是什么？**`:
    a sub-heading that says again (part of) the question above opens its answer."""
    if not is_question(parent):
        return False
    mine = T.normalize(T.split_label(_bare_title(node))[1])
    return len(mine) >= 4 and mine in T.normalize(T.split_label(_bare_title(parent))[1])


def outright(node: Node) -> bool:
    """Ends with a question mark, numbered as a question, or promoted as one (a bold list
    item only when its words ask: `1. **分层评估策略**` in an answer is one of its points)."""
    if node.block is None:
        return False
    if node.block.origin == "list":
        return T.reads_as_question(T.split_label(_bare_title(node))[1])
    if node.block.origin in _PROMOTED or q_numbered(node):
        return True
    return T.undecorate(_bare_title(node))[0].rstrip(" 。.").endswith(("?", "？"))


def adopt_answer_parts(root: Node) -> None:
    """`#### 题目：X` (no text) then `#### 参考答案` at the same level, or `# 141. 环形链表`
    then `# 思路`, `# 其他语言版本`: part headings written as siblings move under the
    heading they belong to (the nearest one before them that is not a part). A part after
    an answered question is left alone: the question's answer is already whole."""
    stack = [root]
    while stack:
        node = stack.pop()
        kids: list[Node] = []
        numbered = [q_numbered(c) for c in node.children]
        later = [any(numbered[k + 1 :]) for k in range(len(numbered))]
        template = _template_siblings(node.children)
        for k, c in enumerate(node.children):
            prev = kids[-1] if kids else None
            title = _bare_title(c)
            if prev is not None and id(c) in template and id(prev) not in template:
                prev.children.append(c)  # `### 基础知识补充`, `### 详细解答` after each question
                continue
            if prev is not None and _slipped_into(c, prev, later[k], sum(numbered)):
                prev.children.append(c)
                continue
            if (
                prev is not None
                and c.block is not None
                and c.block.origin != "list"  # a list's items are siblings, as written
                and not (node.block is not None and is_question(node))  # its own parts
                and not any(is_question(g) for g in c.children)
                and prev.level == c.level
                and not _chapter_numbered(c)  # `# 二、解决方案` after `# 一、现象及原因`
                and not _numbered_next(prev, c)  # `## 7. Code` after `## 6. Overfitting`
                and not _PART.match(_bare_title(prev))
                and not _NOT_A_TOPIC.match(_bare_title(prev))  # a contents list answers nothing
                and (
                    (
                        (
                            _ANSWER_PART.match(title)
                            or _labels(c)
                            or (_PART.match(title) and prev.block.origin == "prefix")
                        )
                        and is_question(prev)
                        and not has_content(prev.body)
                    )
                    or (_PART.match(title) and not is_question(prev))
                    or _stage_of(c, prev)
                )
            ):
                prev.children.append(c)
                continue
            kids.append(c)
        node.children = kids
        stack.extend(kids)


def _numbered_next(prev: Node, node: Node) -> bool:
    """`node` is numbered right after `prev` (`## 6. …`, `## 7. …`): the author's sibling."""
    a, b = T.split_label(title_of(prev))[0], T.split_label(title_of(node))[0]
    return a.isdigit() and b.isdigit() and int(b) == int(a) + 1


def _chapter_numbered(node: Node) -> bool:
    """`二、解决方案`: numbered in Chinese numerals, a chapter of the document, even when
    named like a part."""
    label = T.split_label(title_of(node))[0]
    return bool(label) and all(ch in T.CN_NUM for ch in label)


_TEMPLATE_REPEATS = 3  # a sibling title written three times or more is a template's part


def _template_siblings(kids: list[Node]) -> set[int]:
    """`### 1. …？`, `### 基础知识补充`, `### 详细解答`, `### 2. …？`, `### 基础知识补充`, …: titles
    repeated among siblings (three times or more, asking nothing) are the parts each
    question's answer is written in, one level too high."""
    counts = Counter(T.normalize(_bare_title(k)) for k in kids)
    return {
        id(k)
        for k in kids
        if counts[T.normalize(_bare_title(k))] >= _TEMPLATE_REPEATS and not is_question(k)
    }


def _slipped_into(node: Node, prev: Node, numbered_after: bool, numbered: int) -> bool:
    """`## Problem 7: …` / `## 第一部分：自动化指标` / `## Problem 8: …`: in a run of
    three or more numbered questions, a heading between two of them that asks nothing (and
    holds no question) continues the answer before it, its level slipped."""
    return (
        numbered >= 3
        and numbered_after
        and prev.level == node.level
        and q_numbered(prev)
        and not q_numbered(node)
        and not is_question(node)
        and not any(is_question(g) for g in node.children)
    )


def _stage_of(node: Node, question: Node) -> bool:
    """A short sibling heading that asks nothing, after a question about steps or stages:
    one of the stages that question's answer walks through (`T.stage_after`)."""
    return is_question(question) and T.stage_after(_bare_title(node), _bare_title(question))


def _labels(node: Node) -> bool:
    """`#### User Table:`: a heading ending in a colon labels what follows; it asks nothing."""
    return title_of(node).rstrip().endswith((":", "：")) and not is_question(node)


def trailing_id(raw: str) -> tuple[int, str] | None:
    """(where `{#` starts, what is inside) of a heading's trailing `{#id}`, found by scanning:
    a pattern with white space on both sides of the braces backtracks through every space."""
    text = raw.rstrip()
    if not text.endswith("}"):
        return None
    start = text.rfind("{#")
    if start < 0 or "}" in text[start + 2 : -1]:
        return None
    return start, text[start + 2 : -1]


def is_index_head(line: str) -> bool:
    """`**题目：**`, `题目`, `Questions:`: the word alone, in bold or not, colon or not."""
    core = line.strip().replace("**", "").replace("__", "").strip().rstrip(":：").strip()
    return bool(_INDEX.fullmatch(T.split_label(core)[1]))


def _explains(title: str, blocks: list[Block]) -> bool:
    """Whether a heading's own text explains it: the first paragraph is prose (not a label,
    an image or a pointer to an article) that names what the heading names, or the text
    holds a list, a table or code of its own."""
    paras = [b for b in blocks if b.kind == "paragraph" and not (_label_or_image(b) or _cites(b))]
    if not paras:
        return any(
            b.kind == "other" and b.tokens and b.tokens[0].type != "html_block" and not _tagline(b)
            for b in blocks
        )
    first = paras[0].raw if paras[0].raw is not None else paras[0].text
    if _INTRO.match(first):
        return False
    prose = T.plain(_LINK_TEXT.sub(r"\1", first))
    if len(prose) < 6 or (_POINTER.search(prose) and "](" in first and len(prose) < 80):
        return False
    # several paragraphs of prose, the first a long one: an explanation, named or not
    return _names(title, prose[:160]) or (len(paras) >= 2 and len(prose) >= _LONG_PROSE)


_LONG_PROSE = 80


def _defines(blocks: list[Block]) -> bool:
    """`**精确率：** $P=\frac{TP}{TP+FP}$`: the text defines with formulas, which no
    introduction does."""
    return any(
        b.kind == "paragraph" and _FORMULA.search(b.raw if b.raw is not None else b.text)
        for b in blocks
    )


_FORMULA = re.compile(r"\$[^$\n\\]*+\\[A-Za-z]|\$\$")  # `$\frac…$`, `$$`: math that defines
_TAGLINE = 60  # characters


def _tagline(b: Block) -> bool:
    """`> MR，HDFS等基本概念，面试常见题型` under a chapter: one short quoted line that says
    what the questions below are about, explaining nothing itself."""
    if b.tokens[0].type != "blockquote_open" or b.end - b.start > 1:
        return False
    return len(T.plain(b.text.lstrip("> "))) <= _TAGLINE


def _cites(b: Block) -> bool:
    """`[Source](https://…)` alone on its line: where the text comes from, saying nothing."""
    return _LINK_TEXT.fullmatch((b.raw if b.raw is not None else b.text).strip()) is not None


def _label_or_image(b: Block) -> bool:
    """`**结构图概览**：` or a lone image: it introduces what follows, it explains nothing."""
    text = (b.raw if b.raw is not None else b.text).strip()
    if _LINK_TEXT.fullmatch(text) and text.startswith("!"):
        return True
    plain = T.plain(text)
    if _BOLD_LABEL.fullmatch(text) and len(plain) <= 20:
        return True  # `**作用**` over its list: a label
    return len(plain) <= 40 and plain.rstrip().endswith((":", "："))


_BOLD_LABEL = re.compile(r"(\*\*|__)[^*_\n]+\1")


def _names(title: str, text: str) -> bool:
    """Title and text share a word: an English word, or two Chinese characters in a row."""

    def words(s: str) -> set[str]:
        out: set[str] = set()
        for w in _WORDS.findall(s.lower()):
            if w[0] < "\u4e00":
                if w not in _STOP:
                    out.add(w)
            else:
                out.update(w[k : k + 2] for k in range(len(w) - 1))
        return out

    return bool(words(title) & words(text))


# Between the topics a title lists: `&`, `/`, `、`, `和`, `与`, `vs`, or a space between two
# Chinese words (`偏差 方差 噪声`; in English a space is inside a name: `Batch Normalization`).
_TOPIC_SEPARATOR = re.compile(
    r"\s*+(?:[&/、，,+|]|\band\b|\bvs\b\.?|和|与|及)\s*+|(?<=[\u4e00-\u9fff])\s++(?=[\u4e00-\u9fff])",
    re.I,
)


def _lists_topics(title: str, kids: list[str]) -> bool:
    """`### 偏差 方差 噪声` over `#### 偏差`, `#### 方差`, `#### 噪声来源`; `### Dropout &
    DropConnect` over each: a title that lists the topics its sub-headings open, each
    sub-heading one of them. They are topics of their own, not facets of one."""
    topics = [t.lower() for t in _TOPIC_SEPARATOR.split(title) if t.strip()]
    if len(topics) < 2:
        return False
    # the last topic may carry the rest of the phrase: `ID3, C4.5, CART生成决策树` over `CART`
    opened = [next((t for t in topics if _opens(k.lower().rstrip(":："), t)), None) for k in kids]
    return None not in opened and len(set(opened)) >= 2


def _opens(kid: str, topic: str) -> bool:
    return kid.startswith(topic) or (len(kid) >= 2 and topic.startswith(kid))


def _answered_item(node: Node) -> bool:
    return is_question(node) or (not node.children and has_content(node.body))


def _numbered_share(parent: Node, test: Callable[[Node], bool], memo: dict[int, float]) -> float:
    """The share of `parent`'s numbered children that pass `test` (0 for fewer than three
    numbered), kept in `memo` by parent."""
    share = memo.get(id(parent))
    if share is None:
        numbered = [c for c in parent.children if T.split_label(title_of(c))[0].isdigit()]
        hits = sum(1 for c in numbered if test(c))
        share = memo[id(parent)] = hits / len(numbered) if len(numbered) >= 3 else 0.0
    return share


def _descendants(node: Node) -> list[Block]:
    out: list[Block] = []
    for c in node.children:
        out += [c.block, *c.body, *_descendants(c)]
    return out


def _bare_title(node: Node) -> str:
    return T.plain(T.split_label(title_of(node))[1])


def _only_lists(blocks: list[Block]) -> bool:
    return bool(blocks) and all(
        b.kind == "other" and b.tokens and b.tokens[0].type.endswith("list_open")
        for b in blocks
        if b.kind != "container"
    )


_ROUND_LINE = 8  # characters: `一面`, `二面：`, `HR 面`


def _rounds_in(blocks: list[Block]) -> bool:
    """A line of its own in the text names an interview's round (`一面`, `二面：`): the
    heading over it is a position applied for (`### 推荐算法工程师`), not a topic."""
    for b in blocks:
        if b.kind != "paragraph":
            continue
        first = T.plain(b.text.split("\n", 1)[0]).rstrip(" :：")
        if len(first) <= _ROUND_LINE and ROUND.match(first):
            return True
    return False


def _unanswered_questions(blocks: list[Block]) -> bool:
    """Only lists, every item a question of one line with nothing nested under it; or
    only lines of their own, two or more asking, the others naming a topic (an interview's
    record: `如何证明NN能学到特征交叉？`, `TDM召回`, …)."""
    if record_of_questions(blocks):
        return True
    if not _only_lists(blocks):
        return False
    for b in blocks:
        if b.kind == "container":
            continue
        # one line each; `- 240. 搜索二维矩阵 II` holds it in a list of its own
        inline = [t for t in b.tokens if t.type == "inline"]
        items = [t for t in b.tokens if t.type == "list_item_open" and t.level == 1]
        if len(items) != len(inline) or not inline:  # an answer nested would be one more
            return False
        if any("\n" in t.content for t in inline):
            return False
        asking = sum(T.reads_as_question(t.content) for t in inline)
        # most of them ask (`3. MoE 并行` among questions), or an interview's record: some
        # ask, the others name a topic or a task (`- 手写NMS`, `- 240. 搜索二维矩阵 II`)
        if asking * 3 < len(inline) * 2 and not T.question_lines([t.content for t in inline]):
            return False
    return True


RULES: tuple[Rule, ...] = (
    Rule(
        "answer-key",
        "note",
        "an answer key: each of its answers joined the question with its number",
        lambda c, n, p: n.block is not None and n.block.origin == KEY,
    ),
    Rule(
        "empty-heading",
        "note",
        "an empty heading; its text is a section note",
        lambda c, n, p: not _bare_title(n) and not c.question_below(n),
    ),
    Rule(
        "todo",
        "skipped",
        "a TODO list (待完成, WIP), not a question",
        lambda c, n, p: bool(_TODO.match(_bare_title(n))),
    ),
    Rule(
        "references",
        "note",
        "references, reading list, contents, preface or metadata (tags, difficulty): kept as a"
        " section note",
        lambda c, n, p: (
            not c.question_below(n)  # `目录` over the questions: levels slipped
            and bool(
                _NOT_A_TOPIC.match(_bare_title(n))
                or _PREFACE.fullmatch(_lead(_bare_title(n)))  # `前言：链表中环的分析`
                or (_PROBLEM.fullmatch(_bare_title(n)) and not _asks_in(n.body))
                # `## 推荐学习资源` over `### 书籍`, `### 在线课程`: references, all of them
                or (
                    p is not None
                    and p.block is not None
                    and _NOT_A_TOPIC.match(_bare_title(p)) is not None
                    and not is_contents(_bare_title(p))  # `# Table of Contents` over it all
                    and not is_question(n)
                )
            )
        ),
    ),
    Rule(
        "recap",
        "note",
        "a recap of what was asked (速记, cheat sheet): kept as a section note",
        lambda c, n, p: (
            bool(_RECAP.search(_bare_title(n))) and not is_question(n) and not c.question_below(n)
        ),  # (`快速查询有哪些数据结构？` asks: `速查` inside a word names no recap)
    ),
    Rule(
        "question-index",
        "skipped",
        "a list of the questions (an index), not a question",
        lambda c, n, p: is_index_head(_bare_title(n)) and not n.children and _only_lists(n.body),
    ),
    Rule(
        "part-alone",
        "note",
        "the page's code, example or summary (代码, Code Implementation, Example, 总结) among"
        " its sections, with no question above it to answer: kept as a section note",
        lambda c, n, p: c.page_level(n) and _page_part(_bare_title(n)) and not c.question_below(n),
    ),
    Rule(
        "part-heading",
        "part",
        "a generic part (描述, 思路, 代码, Intent, …): it belongs to the answer above",
        lambda c, n, p: (
            p is not None
            and p.block is not None
            and not c.after_answer(n, p)
            and (
                ((c.part_word(n) or c.among_parts(n, p)) and not c.question_below(n))
                or bool(_STEP.match(_bare_title(n)))
                # under a question, a sub-heading that asks nothing belongs to its answer,
                # nor does one that names an aspect of it (`### 功能作用`)
                or (c.asks(p) and (not c.asks(n) or _aspect(n)) and not c.question_below(n))
                # under `Q02 · 索引构建`, only what asks outright is a question of its own
                or (c.question_level(p) and not c.question_in(n, q_numbered(p)))
                # and under a question written as a line of text (`**1.…是什么？**`)
                or (_line_question(p) and not c.question_in(n, True))
                or (_restates(n, p) and not n.children)
                or c.facets(p)
            )
        ),
    ),
    Rule(
        "summary",
        "note",
        "a summary or a study aid of the page (Summary, Key Takeaways, Comparison Tables),"
        " not under a question: kept as a section note",
        lambda c, n, p: bool(SUMMARY.match(_bare_title(n))) and not c.question_below(n),
    ),
    Rule(
        "in-recap",
        "note",
        "a part of the recap or the page's code above it (`## Quick Reference` › `### All"
        " Formulas`): kept as a section note",
        lambda c, n, p: not is_question(n) and not c.question_below(n) and c.in_recap(n),
    ),
    Rule(
        "page-title",
        "note",
        "the page's title over its numbered sections (`# Dropout` + intro, `# 1. …`, `# 2. …`):"
        " its text introduces them, kept as a section note",
        lambda c, n, p: (p is None or p.block is None) and c.titles_numbered_run(n, p),
    ),
    Rule(
        "aside-heading",
        "note",
        "an aside (问题延伸, 反问, 补充, 其他, …), not a question: kept as a section note",
        lambda c, n, p: bool(_ASIDE.match(_lead(_bare_title(n)))) and not c.holds_cards(n),
    ),
    Rule(
        "interview-record",
        "note",
        "an interview's record (its rounds, `一面`, `二面`, as lines of its text): what was"
        " asked and how it went, kept as a section note",
        lambda c, n, p: _rounds_in(n.body) and not c.holds_cards(n),
    ),
    Rule(
        "interview-rounds",
        "category",
        "an interview's record (its rounds as lines of its text), with questions answered in it",
        lambda c, n, p: _rounds_in(n.body),
    ),
    Rule(
        "numbered-question",
        "card",
        "numbered as a question (Q02 · …, or an aspect in a numbered run that names the"
        " heading above); what is below belongs to its answer, except the questions asked"
        " outright",
        lambda c, n, p: (
            c.question_level(n)
            and (has_content(n.body) or any(c.remains(k, q_numbered(n)) for k in n.children))
        ),
    ),
    Rule(
        "numbered-item",
        "card",
        "an item of a numbered run, its sub-headings counting from 1;"
        " its sub-headings belong to its answer",
        lambda c, n, p: (
            p is not None and not is_question(n) and c.enumerates(n, p) and not c.question_below(n)
        ),
    ),
    Rule(
        "question",
        "card",
        "reads as a question; its sub-headings belong to its answer",
        lambda c, n, p: c.asks(n) and not c.question_below(n),
    ),
    Rule(
        "category",
        "category",
        "holds questions below it",
        lambda c, n, p: c.holds_cards(n),
    ),
    Rule(
        "question-list",
        "skipped",
        "a list of questions without answers",
        lambda c, n, p: not n.children and _unanswered_questions(n.body),
    ),
    Rule(
        "chapter-text",
        "note",
        "a chapter's or document's own text (面经, 总结, …), kept as a section note",
        lambda c, n, p: not c.holds_cards(n) and bool(_CHAPTER.search(_bare_title(n))),
    ),
    Rule(
        "topic",
        "card",
        "a heading with content of its own (a topic card)",
        lambda c, n, p: (
            has_content(n.body)
            or any(c.is_part(k) and (has_content(k.body) or k.children) for k in n.children)
        ),
    ),
    Rule("no-content", "skipped", "a heading with nothing under it", lambda c, n, p: True),
)
