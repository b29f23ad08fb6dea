"""policykg: privacy policies -> a DPV 2.2 knowledge graph of data practices, with evidence.

The small public API; the CLI (``policykg``) is a thin layer over it::

    from policykg import extract, validate, run_query
    graph = extract(["data/policies"])
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

    from policykg.validation import Report


def extract(paths: list[str], lang: str = "auto") -> Dataset:
    """Extract policy files/folders into a dataset with one named graph per policy."""
    from policykg.pipeline import extract_paths

    return extract_paths(paths, lang)


def validate(graph: Graph) -> Report:
    """Validate a graph against the bundled SHACL shapes."""
    from policykg.validation import validate as _validate

    return _validate(graph)


def run_query(name: str, graph: Graph, **params: str):  # type: ignore[no-untyped-def]
    """Run a canned query by name with parameters; returns an rdflib Result."""
    from policykg.queries import find_query, prepare

    q = find_query(name)
    return graph.query(prepare(q.bind(params), q.name))
