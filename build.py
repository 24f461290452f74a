"""Thin entry point: `python build.py COMMAND [SOURCES]...` is the same as `qadeck`."""

import sys
from importlib.util import find_spec

NEEDED = ("click", "markdown_it", "mdit_py_plugins", "genanki", "jinja2", "weasyprint", "yaml")
missing = [name for name in NEEDED if find_spec(name) is None]
if missing:  # a Python without qadeck's dependencies (the system one, say)
    sys.exit(
        f"qadeck cannot start: this Python ({sys.executable}) lacks {', '.join(missing)}. "
        "Run `make` once (it sets up .venv), then `.venv/bin/python build.py …` or "
        "`.venv/bin/qadeck …`; or install qadeck with `pipx install .`"
    )

from qadeck.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
