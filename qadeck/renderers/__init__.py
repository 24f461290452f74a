"""The renderer interface and registry: one module per output, loaded only when used.

A renderer is any class with a `name` and a `render(doc, ctx)` that writes its files through
`ctx.staging` and returns their paths. It may declare `options` (command-line choices, given
to it in `ctx.options`) and `runs_apart` (slow: `all` renders it in a forked process beside
the others); its docstring's first line is its command's help. Built-ins are listed
below; third parties add theirs through the `qadeck.renderers` entry-point group
(`name = "package.module:Class"`). The command line offers one command per registered
renderer, and `all` runs them all.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
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
    root: Path | None = None  # the notes root: paths inside outputs are relative to it
    unchanged: list[Path] = field(default_factory=list)  # outputs left as they were (stamps)
    _base: str = field(default="", init=False, repr=False, compare=False)

    def relative(self, path: str) -> str:
        """`path` (as shown in messages) relative to the notes root, as in every output, so
        the bytes do not depend on the folder the build was started from."""
        if not self._base:  # resolved once: a deck asks for every card
            self._base = str(self.root or self.source.resolve().parent)
        return _relative(path, self._base)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


@lru_cache(maxsize=8192)
def _relative(path: str, root: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


@dataclass(frozen=True)
class Option:
    """What a renderer offers on the command line: `--name VALUE` with VALUE one of
    `choices`, or a number in `between` when there are no choices, or, for `flag`, a switch
    `--name` alone."""

    name: str
    choices: tuple[str, ...]
    default: str | float | bool | None
    help: str
    between: tuple[float, float] | None = None
    flag: bool = False

    def click_type(self):
        import click

        if self.flag:
            return None
        if self.choices:
            return click.Choice(list(self.choices))
        low, high = self.between or (None, None)
        return click.FloatRange(low, high)


class Renderer(Protocol):
    name: ClassVar[str]

    def render(self, doc: Document, ctx: RenderContext) -> list[Path]: ...


def options_of(renderer: type) -> tuple[Option, ...]:
    return tuple(getattr(renderer, "options", ()))


class RendererMissing(LookupError):
    pass


def registry() -> dict[str, str]:
    """Built-in renderers merged with those installed through entry points."""
    found = dict(BUILTIN)
    from importlib.metadata import entry_points

    for ep in entry_points(group="qadeck.renderers"):
        found.setdefault(ep.name, ep.value)
    return found


def renderer_class(name: str) -> type:
    target = BUILTIN.get(name) or registry().get(name)
    if target is None:
        raise RendererMissing(f"no renderer named {name!r} (known: {', '.join(registry())})")
    module_name, _, cls_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, cls_name)
    except (ImportError, AttributeError) as e:
        raise RendererMissing(f"the {name} renderer ({target}) cannot be loaded: {e}") from None


def get_renderer(name: str) -> Renderer:
    return renderer_class(name)()
