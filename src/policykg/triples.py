"""A plain list of triples: what graph building needs, without rdflib's store.

Building a policy's graph adds a few hundred to a few thousand triples and asks
only "is (s, p, ·) there?" and "what is the first value of (s, p)?". rdflib's
memory store costs ~20 µs per ``add`` (context bookkeeping, events), which was
most of the extraction time; this ordered set costs well under one. The result
converts to an rdflib :class:`~rdflib.Graph` for pyshacl and serialisation, or
straight to N-Triples for the embedded store, without going through rdflib.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.namespaces import bind

Triple = tuple[Node, Node, Node]

_new = str.__new__


def iri(value: str) -> URIRef:
    """``URIRef(value)`` for an IRI policykg builds itself (a counter, a slug, a vocabulary
    concept), without rdflib's constructor: it checks every IRI (~0.5 µs), and graph
    building makes a few hundred per policy that are valid by construction."""
    return _new(URIRef, value)


def blank(label: str) -> BNode:
    """``BNode(label)`` without rdflib's Python-level constructor."""
    return _new(BNode, label)


def plain_literal(text: str) -> Literal:
    """``Literal(text)``, a plain string literal, without rdflib's constructor (~1.6 µs:
    it looks for a datatype to cast to). Such a literal has no language, no datatype,
    its value is its text and it is not ill-typed: the four slots rdflib's would hold
    (tests/test_triples.py compares them, so an rdflib that changes them is noticed)."""
    lit = _new(Literal, text)
    lit._language = None
    lit._datatype = None
    lit._value = text
    lit._ill_typed = None
    return lit


class Triples:
    """An insertion-ordered set of triples with (subject, predicate) lookup."""

    __slots__ = ("_triples", "_first")

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._triples: dict[Triple, None] = {}
        self._first: dict[tuple[Node, Node], Node] = {}
        for t in triples:
            self.add(t)

    def add(self, triple: Triple) -> None:
        if triple not in self._triples:
            self._triples[triple] = None
            self._first.setdefault((triple[0], triple[1]), triple[2])

    def __contains__(self, triple: tuple[Node, Node, Node | None]) -> bool:
        s, p, o = triple
        if o is None:
            return (s, p) in self._first
        return triple in self._triples

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """The first object added for (subject, predicate), like ``Graph.value``."""
        return self._first.get((subject, predicate))

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def to_graph(self) -> Graph:
        g = Graph()
        bind(g)
        for t in self._triples:
            g.add(t)
        return g

    def to_ntriples(self) -> str:
        """N-Triples text (blank-node labels carry graph building's per-policy prefix,
        so the texts of many policies can be loaded in one request)."""
        # A policy's few thousand term occurrences are a few hundred distinct objects
        # (predicates, classes, its handlings and blank nodes): serialise each object
        # once. Keyed by id(): every term is alive in self._triples meanwhile, and
        # hashing by value would call rdflib's Python-level Literal.__hash__.
        cache: dict[int, str] = {}
        get = cache.get
        out: list[str] = []
        append = out.append
        for s, p, o in self._triples:
            a = get(id(s))
            if a is None:
                a = cache[id(s)] = nt(s)
            b = get(id(p))
            if b is None:
                b = cache[id(p)] = nt(p)
            c = get(id(o))
            if c is None:
                c = cache[id(o)] = nt(o)
            append(f"{a} {b} {c} .\n")
        return "".join(out)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                          "\b": "\\b", "\f": "\\f"})


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text  # most literals (a sentence, a label) need nothing
    text = text.translate(_ESCAPES)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", text)
    return text


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def nt(term: Node) -> str:
    """One term in N-Triples (and SPARQL) syntax."""
    cls = term.__class__
    # the common cases first, without isinstance's MRO walk or rdflib's properties (a
    # policy's graph has a few hundred distinct terms, each written here once)
    # (f-strings, not +: rdflib's terms overload + to build new terms)
    if cls is URIRef:
        return f"<{term}>"
    if cls is BNode:
        return f"_:{term}"
    if cls is Literal:
        lang, datatype = term._language, term._datatype
        if lang:
            return f'"{_escape(term)}"@{lang}'
        if datatype is not None and str.__ne__(datatype, _XSD_STRING):
            return f'"{_escape(term)}"^^<{datatype}>'
        return f'"{_escape(term)}"'
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = '"' + _escape(str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{text}^^<{term.datatype}>"
        return text
    raise TypeError(f"not an RDF term: {term!r}")
