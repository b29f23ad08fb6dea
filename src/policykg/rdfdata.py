"""Read the bundled Turtle data (vocabularies, knowledge base) quickly, for lookups.

Every process that extracts (the CLI, each worker of ``build -j``) reads about 16,000
triples of vocabulary at its start. rdflib's Turtle parser and memory store took
about a second for them, more than extracting a policy; Oxigraph's parser (Rust, a
core dependency) reads them in ~20 ms. The triples are kept in plain dictionaries
with the few rdflib-style lookups the extractors use (``subjects``, ``objects``,
``value``, ``in``), as rdflib terms so that they compare with the namespaces' constants.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


_IRIS: dict[str, URIRef] = {}


def shared_iri(value: str) -> URIRef:
    """One URIRef object per IRI for the process: the vocabularies name each concept many
    times, extraction states them per fact, and N-Triples writing serialises each object once
    (rdflib's constructor also checks every IRI)."""
    iri = _IRIS.get(value)
    if iri is None:
        if len(_IRIS) > 100_000:
            _IRIS.clear()
        iri = _IRIS[value] = URIRef(value)
    return iri


def to_rdflib(term: object) -> URIRef | BNode | Literal:
    """An Oxigraph term as the rdflib term it is (the store's and the loaders' conversion too)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unsupported term {term!r}")


def _term(t: object) -> Node:
    if isinstance(t, ox.NamedNode):
        return shared_iri(t.value)
    return to_rdflib(t)


class TripleIndex:
    """Triples indexed by (subject, predicate) and (predicate, object), in file order."""

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._sp: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        self._po: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        self._p: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        self._all: set[Triple] = set()
        for t in triples:
            self.add(t)

    def add(self, triple: Triple) -> None:
        if triple in self._all:
            return
        s, p, o = triple
        self._all.add(triple)
        self._sp[(s, p)].append(o)
        self._po[(p, o)].append(s)
        self._p[p].append((s, o))

    def parse(self, path: Path) -> TripleIndex:
        """Add the triples of the Turtle file ``path``."""
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            self.add((_term(t.subject), _term(t.predicate), _term(t.object)))
        return self

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        return iter(self._po.get((predicate, obj), ()))

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        return iter(self._sp.get((subject, predicate), ()))

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        return iter(self._p.get(predicate, ()))

    def value(self, subject: Node, predicate: Node) -> Node | None:
        found = self._sp.get((subject, predicate))
        return found[0] if found else None

    def __contains__(self, triple: Triple) -> bool:
        return triple in self._all

    def __len__(self) -> int:
        return len(self._all)


def read_turtle(paths: Iterable[Path]) -> TripleIndex:
    """The triples of the Turtle files ``paths``, indexed."""
    index = TripleIndex()
    for path in paths:
        index.parse(path)
    return index
