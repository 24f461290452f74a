#!/usr/bin/env bash
# The MathJax that Anki desktop renders cards with, from the `aqt` wheel (no install, no Qt):
# tests load a card with it in headless Chromium. Usage: anki-mathjax.sh PYTHON DEST
set -euo pipefail
py=$1; dest=$2
version=$("$py" -c "from importlib.metadata import version; print(version('anki'))")
[ -f "$dest/.version" ] && [ "$(cat "$dest/.version")" = "$version" ] && exit 0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$py" -m pip download -q --disable-pip-version-check --no-deps -d "$tmp" "aqt==$version"
rm -rf "$dest"; mkdir -p "$dest"
"$py" - "$tmp"/aqt-*.whl "$dest" <<'PY'
import sys, zipfile
from pathlib import Path
wheel, dest = sys.argv[1], Path(sys.argv[2])
prefix = "_aqt/data/web/js/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name == prefix + "mathjax.js" or name.startswith(prefix + "vendor/mathjax/"):
            target = dest / name[len(prefix):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(name))
PY
echo "$version" > "$dest/.version"
