"""Thin entry point: `python build.py COMMAND [SOURCES]...` is the same as `qadeck`."""

from qadeck.cli import main

if __name__ == "__main__":
    main()
