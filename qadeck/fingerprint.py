"""What the code is: a hash of qadeck's own modules and the versions of the libraries that
shape its outputs. Caches keyed by it are never read by other code (an upgrade, or an edit
in a checkout, starts them afresh)."""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    here = Path(__file__).parent
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(here.rglob("*.py")):
        st = path.stat()  # size and change time: a checkout's edit, an upgrade's new files
        h.update(f"{path.relative_to(here)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    # The installed libraries and their versions, as the folder they live in lists them
    # (one directory read; importlib.metadata would scan every path entry).
    import click

    with contextlib.suppress(OSError):
        site = Path(click.__file__).resolve().parents[1]
        h.update(
            "\0".join(sorted(n for n in os.listdir(site) if n.endswith(".dist-info"))).encode()
        )
    return h.hexdigest()
