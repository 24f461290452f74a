"""Diagnostics are collected while parsing and raised together; nothing here prints."""

from __future__ import annotations

from .model import Diagnostic, Span


class SourceError(Exception):
    """One or more problems in a source, each with its `file:line:col`."""

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class Diagnostics:
    """Collects errors and warnings for one source file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Diagnostic] = []

    def error(self, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic("error", Span(self.path, line, col), message))

    def warning(self, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic("warning", Span(self.path, line, col), message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_errors(self, strict: bool = False) -> None:
        """Raise every problem at once when there is an error (or any warning, when `strict`)."""
        if self.errors or (strict and self.items):
            raise SourceError(sorted(self.items, key=lambda d: (d.span.line, d.span.col)))
