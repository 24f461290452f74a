"""Which link targets a card may keep: the one link policy of every output."""

from __future__ import annotations

import re

_WEB_LINK = re.compile(r"^(?:https?:|mailto:|#)", re.I)
_OTHER_LINK = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:|[/\\])", re.I)


def link_kind(href: str) -> str:
    """ "web" (http, https, mailto, #fragment), "xref" (a relative path: another note) or
    "drop" (everything else)."""
    if _WEB_LINK.match(href):
        return "web"
    if not href or _OTHER_LINK.match(href):
        return "drop"
    return "xref"
