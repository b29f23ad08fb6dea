"""Loading graphs from files (or stdin) into memory.

Every RDF format rdflib reads is accepted; the format comes from the file
extension or ``input_format``. A file that cannot be parsed raises
:class:`InputError` naming it, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph

from policykg.errors import InputError
from policykg.export import input_format
from policykg.namespaces import bind


def load_graph(paths: Iterable[str], fmt: str | None = None) -> Graph:
    """The union of the triples in ``paths`` ('-' = stdin)."""
    ds = load_dataset(paths, fmt)
    g = Graph()
    bind(g)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def load_dataset(paths: Iterable[str], fmt: str | None = None) -> Dataset:
    ds = Dataset(default_union=True)
    bind(ds)
    any_path = False
    for path in paths:
        any_path = True
        f = fmt or ("turtle" if path == "-" else input_format(path))
        try:
            if path == "-":
                data = sys.stdin.buffer.read()
                if not data.strip():
                    raise InputError("standard input is empty", "<stdin>")
                ds.parse(data=data, format=f)
            else:
                p = Path(path)
                if not p.is_file():
                    raise InputError("no such file", path)
                if p.stat().st_size == 0:
                    raise InputError("is empty: there is no graph to read", path)
                ds.parse(p, format=f)
        except InputError:
            raise
        except Exception as exc:  # rdflib raises many parser-specific types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"is not valid {f} ({first[:200]})", path) from None
    if not any_path:
        raise InputError("no graph given")
    return ds
