"""Find and vet the images a card refers to: only files inside the source folder, never fetched."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .model import Image, Span

if TYPE_CHECKING:
    from .errors import Diagnostics

IMG_TAG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:|//)", re.I)


def media_name(path: str) -> str:
    """A flat, unique file name for a local image: `<hash>-<name>`."""
    p = Path(path)
    digest = hashlib.sha1(str(p).encode()).hexdigest()[:10]
    stem = re.sub(r"[^\w.\-]+", "_", p.name)[-60:]
    return f"{digest}-{stem}"


def _sources(tokens) -> list[tuple[str, int, int]]:
    """(src, first line, end line) of every Markdown image and HTML <img> in these tokens."""
    out: list[tuple[str, int, int]] = []
    for tok in tokens:
        line, end = ((tok.map[0] + 1), tok.map[1]) if tok.map else (0, 0)
        if tok.type == "inline":
            for child in tok.children or []:
                if child.type == "image":
                    out.append((str(child.attrGet("src") or ""), line, end))
                elif child.type == "html_inline":
                    out += [(next(g for g in m.groups() if g is not None), line, end)
                            for m in IMG_TAG.finditer(child.content)]  # fmt: skip
        elif tok.type == "html_block":
            out += [(next(g for g in m.groups() if g is not None), line, end)
                    for m in IMG_TAG.finditer(tok.content)]  # fmt: skip
    return out


def find_images(
    blocks, lines: list[str], path: str, base_dir: Path | None, diags: Diagnostics, root=None
):
    """Resolve every image in `blocks`; report unsafe, remote and missing ones."""
    found: list[Image] = []
    for b in blocks:
        for src, first, end in _sources(b.tokens):
            first, end = max(first or b.start + 1, b.start + 1), min(max(end, b.end), len(lines))
            line, col = first, 1
            for n in range(first, end + 1):
                at = lines[n - 1].find(src) if src else -1
                if at >= 0:
                    line, col = n, at + 1
                    break
            found.append(resolve_image(src, Span(path, line, col), base_dir, diags, root))
    return found


def resolve_image(
    src: str, span: Span, base_dir: Path | None, diags: Diagnostics, root: Path | None = None
) -> Image:
    """Resolve `src` from the file's folder; it must stay inside `root` (default: that folder)."""
    src = src.strip()
    if _REMOTE.match(src):
        scheme = urlsplit(src).scheme.lower()
        if scheme in ("http", "https", ""):
            diags.warning(span.line, span.col, f"remote image {src!r} is not fetched")
        else:
            diags.warning(span.line, span.col, f"image {src[:40]!r} with scheme {scheme!r} dropped")
        return Image(src, None, True, span)
    rel = unquote(urlsplit(src).path)
    if not rel or base_dir is None:
        diags.warning(span.line, span.col, f"image {src!r} has no file to point to")
        return Image(src, None, False, span)
    if os.path.isabs(rel):
        diags.error(span.line, span.col, f"image {src!r}: absolute paths are not allowed")
        return Image(src, None, False, span)
    root = (root or base_dir).resolve()
    target = (base_dir / rel).resolve()
    if not target.is_relative_to(root):
        diags.error(span.line, span.col, f"image {src!r} is outside the source folder")
        return Image(src, None, False, span)
    if not target.is_file():
        diags.warning(span.line, span.col, f"image {src!r} not found")
        return Image(src, None, False, span)
    return Image(src, str(target), False, span)
