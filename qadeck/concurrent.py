"""Run one renderer in a forked process while the others run here: `all` uses both cores.

The child inherits the parsed document and its render view (the cards' HTML included),
renders into its own staged temporary files and reports them back; the parent commits them
with its own outputs, so a failure in either leaves `dist/` untouched.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
from pathlib import Path

from .model import Document
from .renderers import RenderContext, get_renderer


def die_with_parent() -> None:
    """In a forked child: be killed when the parent dies, even by SIGKILL, so no orphan
    keeps rendering and holding the source's lock (Linux; elsewhere a no-op)."""
    import ctypes
    import signal

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


class Background:
    """`start(name)` forks a process that renders `name`; `join()` returns its staged files."""

    def __init__(self, doc: Document, ctx: RenderContext, name: str) -> None:
        self.reader, writer = mp.get_context("fork").Pipe(duplex=False)
        self.pid = os.fork()
        if self.pid == 0:  # the child
            die_with_parent()
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

    def cancel(self) -> None:
        """Stop the child (it discards its staged files) and wait for it, 5 s at most."""
        import signal
        import time

        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        while True:
            try:
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    break
            except ChildProcessError:
                break
            if time.monotonic() > deadline:
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                break
            time.sleep(0.02)
        self.reader.close()

    def join(self, ctx: RenderContext) -> None:
        try:
            message = self.reader.recv()
        except EOFError:
            message = None
        finally:
            self.reader.close()
            status = os.waitpid(self.pid, 0)[1]
        if message is None:
            raise RendererStopped.status(self.name, status)
        if message[0] == "ok":
            ctx.staging.staged += [(Path(a), Path(b)) for a, b in message[1]]
            ctx.warnings += message[2]
            return
        raise message[1]


class RendererStopped(RuntimeError):
    """The forked renderer, or one of its workers, died without a word (killed, or out of
    memory)."""

    def __init__(self, name: str, how: str) -> None:
        super().__init__(
            f"the {name} renderer {how}; nothing was written. Run the build again; if it "
            f"keeps happening, build the {name} output alone (`qadeck {name} …`) to see why"
        )

    @classmethod
    def status(cls, name: str, status: int) -> RendererStopped:
        """The renderer's process ended with `status` (from `os.waitpid`)."""
        import signal

        if not os.WIFSIGNALED(status):
            return cls(name, f"exited with status {os.waitstatus_to_exitcode(status)}")
        sig = os.WTERMSIG(status)
        how = f"was killed by {signal.Signals(sig).name}"
        if sig == signal.SIGKILL:
            how += " (often the system running out of memory)"
        return cls(name, how)

    @classmethod
    def worker(cls, name: str) -> RendererStopped:
        """One of the renderer's worker processes died."""
        return cls(name, "lost a worker process (killed, often for want of memory)")
