"""Code blocks as pygments HTML, with a time budget per block (some lexers backtrack)."""

from __future__ import annotations

import html
from functools import lru_cache


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


def pygments_css(style: str, selector: str = ".highlight") -> str:
    """The CSS for highlighted code in one pygments style."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=style).get_style_defs(selector)
