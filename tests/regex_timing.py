"""Find every regular expression of the package and time it on adversarial text.

Patterns come from two places: compiled patterns at module level, and string literals passed
to `re.*` calls anywhere in the source (read with `ast`). Inputs are built from each
pattern's own pieces (its literal runs and the characters its classes take) repeated, with
and without a character that makes the match fail at the end: the shapes that make a
backtracking engine retry from every position. Growth is judged by timing the same shape at
two sizes; a pattern that needs more than `SUPERLINEAR` times longer for four times the
text, or that does not finish within a time cap, is reported.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import itertools
import pkgutil
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import qadeck

try:
    from re import _parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

SUPERLINEAR = 9.0  # t(4n) / t(n): 4 is linear, 16 quadratic
FLOOR = 0.004  # seconds at the large size below which growth is not measured
CAP = 2.0  # seconds: one call that takes longer is a hang
DEFAULT_ATOMS = (" ", "\n", "a", "1", "中", "\\", "*", "<", "`", "$", "|", "-", "[", "!")
TAILS = ("", "\x01")


ANCHORED = frozenset({"match", "fullmatch"})
ALL_OPS = frozenset({"match", "fullmatch", "search"})


@dataclass(frozen=True)
class Found:
    where: str
    pattern: re.Pattern
    ops: frozenset[str] = ALL_OPS  # how the package calls it: only those are timed


def package_patterns() -> list[Found]:
    sources = [p.read_text(encoding="utf-8") for p in Path(qadeck.__file__).parent.rglob("*.py")]
    found: dict[tuple[str, int], Found] = {}
    for info in pkgutil.walk_packages(qadeck.__path__, "qadeck."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                ops = _uses(name, sources)
                found.setdefault(
                    (value.pattern, value.flags), Found(f"{info.name}.{name}", value, ops)
                )
    for path in sorted(Path(qadeck.__file__).parent.rglob("*.py")):
        for where, pattern, op in _literal_patterns(path):
            found.setdefault((pattern.pattern, pattern.flags), Found(where, pattern, op))
    return list(found.values())


def _uses(name: str, sources: list[str]) -> frozenset[str]:
    """The methods the package calls on the pattern named `name`; every one when unknown."""
    ops = set()
    for text in sources:
        for m in re.finditer(rf"\b{re.escape(name)}\.(\w+)\(", text):
            ops.add(m.group(1) if m.group(1) in ANCHORED else "search")
    return frozenset(ops) or ALL_OPS


_FUNCS = {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"}


def _literal_patterns(path: Path) -> Iterator[tuple[str, re.Pattern]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _FUNCS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            continue
        flags = 0
        flag_nodes = [k.value for k in node.keywords if k.arg == "flags"]
        position = {"compile": 1, "sub": 3, "subn": 3, "split": 2}.get(node.func.attr, 2)
        if len(node.args) > position:
            flag_nodes.append(node.args[position])
        for f in flag_nodes:
            for part in ast.walk(f):
                if isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name):
                    flags |= int(getattr(re, part.attr, 0))
        op = node.func.attr if node.func.attr in ANCHORED else "search"
        if node.func.attr == "compile":
            op = "all"
        try:
            pattern = re.compile(node.args[0].value, flags)
        except re.error:
            continue
        yield f"{path.name}:{node.lineno}", pattern, ALL_OPS if op == "all" else frozenset({op})


def atoms(pattern: re.Pattern, most: int) -> list[str]:
    """Literal runs and class members of the pattern, then some common characters."""
    runs: list[str] = []
    chars: list[str] = []

    def walk(parsed) -> None:
        run = ""
        for op, arg in parsed:
            name = str(op)
            if name == "LITERAL":
                run += chr(arg)
                continue
            if run:
                runs.append(run)
                run = ""
            if name == "IN":
                for sub_op, sub_arg in arg:
                    if str(sub_op) == "LITERAL":
                        chars.append(chr(sub_arg))
                    elif str(sub_op) == "RANGE":
                        chars.append(chr(sub_arg[0]))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(arg[2])
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                walk(arg[-1])
            elif name == "BRANCH":
                for alt in arg[1]:
                    walk(alt)
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(arg[1])
        if run:
            runs.append(run)

    with contextlib.suppress(Exception):  # an unusual pattern: common characters only
        walk(sre_parse.parse(pattern.pattern, pattern.flags))
    seen: dict[str, None] = {}
    for a in [*runs, *chars, *DEFAULT_ATOMS]:
        if a and len(seen) < most:
            seen.setdefault(a[:8], None)
    return list(seen)


def shapes(pattern: re.Pattern, most_atoms: int) -> Iterator[tuple[str, str, str]]:
    """(head, unit, tail): the text is `head + unit * k + tail`."""
    found = atoms(pattern, most_atoms)
    for a in found:
        for tail in TAILS:
            yield "", a, tail
    for a, b in itertools.permutations(found, 2):
        yield "", a + b, "\x01"
        yield a, b, "x"  # a piece, then a long run of another: `题目` + spaces + `x`
        yield a, b, a
    for a, b, c in itertools.islice(itertools.permutations(found[:6], 3), 60):
        yield "", a + b + c, "\x01"


class _Hang(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Hang()


def timed(found: Found, text: str) -> float:
    """Seconds for the calls the package makes; CAP (and more) when it hangs."""
    pattern = found.pattern
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, CAP)
    start = time.perf_counter()
    try:
        if "match" in found.ops:
            pattern.match(text)
        if "fullmatch" in found.ops:
            pattern.fullmatch(text)
        if "search" in found.ops:
            for _ in pattern.finditer(text):
                pass
    except _Hang:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return time.perf_counter() - start


def best(found: Found, text: str, runs: int = 3) -> float:
    return min(timed(found, text) for _ in range(runs))


def superlinear(found: Found, size: int, most_atoms: int) -> list[str]:
    """The shapes on which `found` grows faster than linearly, described."""
    problems = []
    for head, unit, tail in shapes(found.pattern, most_atoms):
        k = max(1, size // len(unit))
        big = head + unit * k + tail
        t_big = timed(found, big)
        if t_big < FLOOR:
            continue
        if t_big == float("inf"):
            problems.append(f"{found.where}: {head!r}+{unit!r}×{k}+{tail!r} took over {CAP} s")
            continue
        t_small = best(found, head + unit * max(1, k // 4) + tail)
        t_big = best(found, big)
        if t_small > 0 and t_big / t_small > SUPERLINEAR:
            problems.append(
                f"{found.where}: {head!r}+{unit!r}×{k}+{tail!r} {t_big * 1000:.1f} ms, "
                f"×{t_big / t_small:.0f} for 4× the text"
            )
    return problems
