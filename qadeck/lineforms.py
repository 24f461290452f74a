"""How one line asks: a labelled question (`问题：`, `Q3:`), a bold line that reads as a
question or a request, and the limits that tell a question from a sentence of the text.
Shared by the promotion of paragraphs (`blocks`) and of list items (`listitems`)."""

from __future__ import annotations

import re

from . import text as T

# Possessive runs of disjoint characters, and the question taken greedily (its closing `**`
# is stripped in code): no backtracking through runs of spaces.
QA_PREFIX = re.compile(
    r"^\s*+(?:\*\*|__)?+\s*+(问题\s*+\d{1,3}(?:\.\d{1,3})*+|问题|问|面试官追问|追问|面试官|考官|题目|Q\d{0,3}|Question|"
    r"Problem|Interviewer|Follow-up)\s*+(?:\*\*|__)?+\s*+(?:[:：]|\.(?=\s))\s*+"
    r"(?:\*\*|__)?+\s*+(\S.*)$",
    re.I,
)
ENDS_ASKING = re.compile(r"[?？]\s*$")
COLON = re.compile(r"[:：]")
PLAIN_MAX = 100  # characters: longer is a sentence of the text that ends by asking
PLAIN_WORDS = 30  # the same in English words


# `Explain the significance of the p-value.`, `详细介绍一下逻辑回归。`: a question put as a request.
BIDS = re.compile(
    r"((briefly |please )?(explain|describe|compare|define|discuss|contrast|walk me through|"
    r"tell me about)\b|(请|简要|简单|详细)?(介绍|简述|描述|解释|说说|谈谈|讲讲|比较))",
    re.I,
)


# An English question without its mark: the question word opens it, and the order of the
# words (`How do you`, `What is`, `When should`) asks.
_ASKS_IN_ENGLISH = re.compile(
    r"(?:what|how|why|when|where|which|who)\s++(?:is|are|was|were|do|does|did|can|could|"
    r"would|should|will|to|much|many)\b",
    re.I,
)
_ENDS = ("!", "！", "。", ".")


def bold_question(text: str) -> bool:
    """A bold line asks when it reads as a question and is not an emphasised sentence (one
    that ends with `！`/`。`, or runs long without a question mark), or when it carries the
    star that marks questions."""
    core, important = T.undecorate(T.plain(text))
    core = T.split_label(core)[1]
    if important and len(core) <= 80:
        return True  # `**Precision-recall trade-off ⭐️**`: the star marks a question
    if not T.reads_as_question(core):
        return False
    if "?" in core[-31:] or "？" in core[-31:]:
        return True
    if BIDS.match(core) and len(core) <= PLAIN_MAX:
        return True  # `**Explain the temperature parameter and how to set it.**`: a request
    if _ASKS_IN_ENGLISH.match(core) and len(core) <= PLAIN_MAX and not core.endswith(_ENDS):
        return True  # `**How do you know when to use classification or regression**`
    return len(core) <= 40 and not core.endswith(("!", "！", "。"))


def strip_closing_bold(text: str) -> str:
    text = text.rstrip()
    if text.endswith(("**", "__")) and len(text) > 2:
        text = text[:-2].rstrip()
    return text
