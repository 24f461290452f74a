"""The renderer interface and registry: one module per output, loaded only when used.

A renderer is any class with a `name` and a `render(doc, ctx)` that writes its files and
returns their paths. Built-ins are listed below; third parties add theirs through the
`qadeck.renderers` entry-point group (`name = "package.module:Class"`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from ..atomic import Staging

if TYPE_CHECKING:
    from ..htmlstore import HtmlStore
    from ..lockfile import Lock
    from ..model import Document

BUILTIN: dict[str, str] = {
    "anki": "qadeck.renderers.anki:AnkiRenderer",
    "pdf": "qadeck.renderers.pdf:PdfRenderer",
    "html": "qadeck.renderers.html:HtmlRenderer",
}


@dataclass
class RenderContext:
    """Everything a renderer may use besides the document. Renderers never change the model."""

    out_dir: Path
    templates: Path
    lock: Lock
    source: Path
    options: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    strict: bool = False
    staging: Staging = field(default_factory=Staging)
    html_store: HtmlStore | None = None  # rendered card HTML kept between builds

    def warn(self, message: str) -> None:
        self.warnings.append(message)


class Renderer(Protocol):
    name: ClassVar[str]

    def render(self, doc: Document, ctx: RenderContext) -> list[Path]: ...


class RendererMissing(LookupError):
    pass


def registry() -> dict[str, str]:
    """Built-in renderers merged with those installed through entry points."""
    found = dict(BUILTIN)
    from importlib.metadata import entry_points

    for ep in entry_points(group="qadeck.renderers"):
        found.setdefault(ep.name, ep.value)
    return found


def get_renderer(name: str) -> Renderer:
    target = BUILTIN.get(name) or registry().get(name)
    if target is None:
        raise RendererMissing(f"no renderer named {name!r} (known: {', '.join(registry())})")
    module_name, _, cls_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name and module_name.startswith(e.name):
            raise RendererMissing(f"the {name} renderer is not available yet") from None
        raise
    return getattr(module, cls_name)()
