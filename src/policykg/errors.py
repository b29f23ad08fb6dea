"""Errors that the CLI maps to exit codes.

Every failure a user can cause (bad input, unknown query, unreachable endpoint)
is a :class:`PolicyKGError`; the CLI prints its one-line message and exits 2.
"""

from __future__ import annotations

import click


class PolicyKGError(click.ClickException):
    """Trouble that stops a command: printed as one line, exit code 2."""

    exit_code = 2

    def __init__(self, message: str, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


def one_line(exc: BaseException, limit: int = 240) -> str:
    """An exception's message as one line: a parser's reason and position kept,
    line breaks (and the input it echoes over several lines) folded."""
    raw = exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)  # no "(line N)" twice
    text = " ".join(raw.split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


class BatchError(PolicyKGError):
    """Every input of a batch failed: one line per input, each naming it (exit 2)."""

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        self.failures = failures
        super().__init__("\n".join(message for _, message in failures))

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def, override]
        for _, message in self.failures:
            click.echo(f"Error: {message}", err=True, file=file)


class InputError(PolicyKGError):
    """A policy or graph file that cannot be read (empty, binary, not UTF-8, too large)."""


class QueryError(PolicyKGError):
    """An unknown query, a bad header, a missing or ill-typed parameter, a SPARQL error."""


class EndpointError(PolicyKGError):
    """A remote SPARQL endpoint that cannot be reached or answers with an error."""
