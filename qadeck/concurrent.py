"""Run one renderer in a forked process while the others run here: `all` uses both cores.

The child inherits the parsed document and the warm Markdown→HTML cache, renders into its own
staged temporary files and reports them back; the parent commits them with its own outputs,
so a failure in either leaves `dist/` untouched.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

from .images import images_of
from .markup import render_inline, render_markdown
from .model import Document
from .renderers import RenderContext, get_renderer


def warm(doc: Document) -> None:
    """Render every card's HTML once, before forking, so all renderers share that pass."""
    images = images_of(doc)
    for c in doc.cards:
        render_inline(c.question, images)
        render_markdown(c.answer, images)
        for t in c.translations.values():
            render_markdown(t.answer, images)


class Background:
    """`start(name)` forks a process that renders `name`; `join()` returns its staged files."""

    def __init__(self, doc: Document, ctx: RenderContext, name: str) -> None:
        self.reader, writer = mp.get_context("fork").Pipe(duplex=False)
        self.pid = os.fork()
        if self.pid == 0:  # the child
            self.reader.close()
            try:
                get_renderer(name).render(doc, ctx)
                writer.send(("ok", [(str(a), str(b)) for a, b in ctx.staging.staged], ctx.warnings))
            except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
                ctx.staging.discard()
                try:
                    writer.send(("error", e))
                except Exception:  # noqa: BLE001 - an exception that cannot be pickled
                    writer.send(("error", RuntimeError(repr(e))))
            finally:
                writer.close()
                os._exit(0)
        writer.close()
        self.name = name

    def join(self, ctx: RenderContext) -> None:
        try:
            message = self.reader.recv()
        except EOFError:
            message = ("error", RuntimeError(f"the {self.name} renderer stopped unexpectedly"))
        finally:
            self.reader.close()
            os.waitpid(self.pid, 0)
        if message[0] == "ok":
            ctx.staging.staged += [(Path(a), Path(b)) for a, b in message[1]]
            ctx.warnings += message[2]
            return
        raise message[1]
