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


class InputError(PolicyKGError):
    """A policy or graph file that cannot be read (empty, binary, not UTF-8, too large)."""


class QueryError(PolicyKGError):
    """An unknown query, a bad header, a missing or ill-typed parameter, a SPARQL error."""


class EndpointError(PolicyKGError):
    """A remote SPARQL endpoint that cannot be reached or answers with an error."""
