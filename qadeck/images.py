"""Find and vet the images a card refers to: only files inside the source folder, never fetched."""

from __future__ import annotations

import hashlib
import html
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .model import Image, Span
from .scan import blank_code_spans

if TYPE_CHECKING:
    from .errors import Diagnostics

# Neither the tag nor a quoted value runs past a `<`: an unclosed `<img` cannot make every
# later one rescan the rest of the line.
IMG_TAG = re.compile(r"<img\b[^<>]*?\bsrc\s*+=\s*+(?:\"([^\"<>]*)\"|'([^'<>]*)'|([^\s<>]+))", re.I)
_DRIVE = re.compile(r"^[A-Za-z]:[/\\]")  # a Windows path, `F:/pics/a.png`, not a URL scheme
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:|//)", re.I)


def media_name(path: str) -> str:
    """A flat, unique file name for a local image: `<hash of its bytes>-<name>`. From the
    content, not the place: the same notes give the same names wherever they are built."""
    p = Path(path)
    try:
        st = p.stat()
        digest = _content_digest(str(p), st.st_size, st.st_mtime_ns)
    except OSError:
        digest = hashlib.sha1(str(p).encode()).hexdigest()[:10]
    stem = re.sub(r"[^\w.\-]+", "_", p.name)[-60:]
    return f"{digest}-{stem}"


@lru_cache(maxsize=4096)
def _content_digest(path: str, size: int, mtime_ns: int) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha1").hexdigest()[:10]


# The alt text stops at the next `![`, so an unclosed one is scanned once, not once per image.
# The destination must end the link as CommonMark reads it (a title, then `)`): in
# `![x](/Users/me/App Support/x.png)` markdown-it sees text, not an image, and so do we.
MD_IMAGE = re.compile(
    r"!\[(?:(?!!\[)[^\]\\\n]|\\(?!!\[).)*+\]\(\s*+(?:<([^<>\n]*+)>|((?:[^\s()]|\([^\s()]*+\))++))"
    r"(?=[ \t]*+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\))?[ \t]*\))"
)
_FENCE = re.compile(r"^\s*(```|~~~)")


def image_sources(lines: list[str], start: int, end: int) -> list[tuple[str, int, int]]:
    """(src, line, col) of every Markdown image and HTML <img> on lines[start:end],
    outside code fences and code spans; found on the text, so no inline parse is needed."""
    out: list[tuple[str, int, int]] = []
    fenced = False
    for n in range(start, min(end, len(lines))):
        line = lines[n]
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or ("![" not in line and "<img" not in line.lower()):
            continue
        text = blank_code_spans(line)
        for m in MD_IMAGE.finditer(text):
            group = 1 if m.group(1) is not None else 2
            out.append((_unescape(m.group(group)), n + 1, m.start(group) + 1))
        for m in IMG_TAG.finditer(text):
            group = next(i for i in (1, 2, 3) if m.group(i) is not None)
            out.append((html.unescape(m.group(group)), n + 1, m.start(group) + 1))
    return out


def _unescape(src: str) -> str:
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", src))


def find_images(
    blocks, lines: list[str], path: str, base_dir: Path | None, diags: Diagnostics, root=None
):
    """Resolve every image in `blocks`; report unsafe, remote and missing ones."""
    found: list[Image] = []
    for b in blocks:
        if b.kind == "container" or (b.tokens and b.tokens[0].type == "fence"):
            continue
        for src, line, col in image_sources(lines, b.start, b.end):
            found.append(resolve_image(src, Span(path, line, col), base_dir, diags, root))
    return found


def resolve_image(
    src: str, span: Span, base_dir: Path | None, diags: Diagnostics, root: Path | None = None
) -> Image:
    """Resolve `src` from the file's folder; it must stay inside `root` (default: that folder)."""
    src = src.strip()
    if _DRIVE.match(src):  # a file on the author's own disk: nothing to package, not fatal
        message = f"image {src!r} is a path on another computer's drive; it is left out"
        diags.warning(span.line, span.col, message)
        return Image(src, None, False, span)
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
    root = (root or base_dir).resolve()
    target = (base_dir / rel).resolve()
    if not target.is_relative_to(root):
        if not target.exists() and target.suffix.lower() in _PICTURES:
            # a picture that stayed behind when the note was copied: nothing there to leak
            diags.warning(span.line, span.col, f"image {src!r} not found")
        else:
            diags.error(span.line, span.col, f"image {src!r} is outside the source folder")
        return Image(src, None, False, span)
    if not target.is_file():
        diags.warning(span.line, span.col, f"image {src!r} not found")
        return Image(src, None, False, span)
    unfit = _unfit(target)
    if unfit:
        diags.warning(span.line, span.col, f"image {src!r} {unfit}; it is left out")
        return Image(src, None, False, span)
    return Image(src, str(target), False, span)


def notes_root(start: Path, config_root: Path | None = None) -> Path | None:
    """The folder images may come from when building `start` (a note's folder, or a folder of
    notes): the notes' qadeck.toml folder, else the git working tree `start` is in — notes
    keep their pictures in a sibling `assets/` or `images/` folder of the repository. Never
    the home folder or the filesystem root (a dotfiles repository is not a notes
    repository). None: no such folder, `start` itself is the limit."""
    here = start.resolve()
    if config_root is not None and here.is_relative_to(config_root.resolve()):
        return config_root.resolve()
    home = Path.home().resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return None if folder in (home, Path(folder.anchor)) else folder
    return None


_PICTURES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".svgz", ".bmp", ".tif", ".tiff"}
    | {".ico", ".avif", ".heic"}
)
MAX_IMAGE_BYTES = 32 * 2**20
MAX_IMAGE_PIXELS = 50_000_000  # 50 megapixels: far beyond any screen or printed page


def _unfit(path: Path) -> str:
    """Why a file cannot be shown as an image, or "": too large (a decompression bomb decodes
    to gigabytes), or not a picture at all — a link to `.env` or a key inside the notes must
    not travel in a shared deck."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return f"is {size / 2**20:.0f} MB (at most {MAX_IMAGE_BYTES // 2**20} MB)"
    if path.suffix.lower() in (".svg", ".svgz"):
        return "" if _reads_as_svg(path) else "is not an SVG picture"
    import warnings

    from PIL import Image as Pil

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Pil.DecompressionBombWarning)
            with Pil.open(path) as im:  # reads the header only
                w, h = im.size
    except Pil.DecompressionBombError:
        return "would decode to more pixels than Pillow allows"
    except Exception:  # noqa: BLE001 - whatever Pillow cannot read is no picture
        return "is not a picture (PNG, JPEG, GIF, WebP, SVG…)"
    if w * h > MAX_IMAGE_PIXELS:
        return f"is {w}×{h} pixels (at most {MAX_IMAGE_PIXELS // 10**6} megapixels)"
    return ""


def _reads_as_svg(path: Path) -> bool:
    """An SVG file (gzipped for `.svgz`) whose first kilobytes hold an `<svg` element."""
    import gzip

    try:
        with (gzip.open if path.suffix.lower() == ".svgz" else open)(path, "rb") as f:
            head = f.read(4096)
    except (OSError, EOFError):
        return False
    return b"<svg" in head.lower()
