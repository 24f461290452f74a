"""Reading a source file's bytes safely (no parser imported: a cached parse needs only this)."""

from __future__ import annotations

from pathlib import Path

from .errors import SourceError
from .model import Diagnostic, Span

MAX_BYTES = 8 * 2**20


def read_source(p: Path, shown: str) -> bytes:
    """A regular file's bytes, at most MAX_BYTES: devices, pipes and folders are refused
    (a FIFO would block, /dev/zero never ends), and the cap holds whatever `stat` says."""
    import stat

    def too_big(size: str) -> SourceError:
        message = (
            f"the file is {size} MB; qadeck reads sources up to {MAX_BYTES // 2**20} MB: "
            "split it into several files (a folder of them works)"
        )
        return SourceError([_diag(shown, message)])

    try:
        st = p.stat()
        if st.st_size > MAX_BYTES:
            raise too_big(f"{st.st_size / 2**20:.1f}")
        mode = st.st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise SourceError([_diag(shown, f"{kind}: a source must be a Markdown file")])
        with open(p, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise SourceError([_diag(shown, f"cannot read: {e.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise too_big(f"over {MAX_BYTES // 2**20}")
    return data


def _diag(path: str, message: str) -> Diagnostic:
    return Diagnostic("error", Span(path, 0, 1), message)
