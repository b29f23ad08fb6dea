"""Loading graphs from files (or stdin) into memory.

Every format is parsed by Oxigraph's parsers (Turtle, N-Triples, N-Quads, TriG,
N3, RDF/XML, JSON-LD), whatever the graph is used for next:

* they are strict where rdflib's are lenient (``<a b>``, an IRI with a space, is
  an error at its line and column, not a graph that cannot be written back out);
* their errors say where and why ("line 2 between columns 1 and 16: Invalid IRI
  code point ' '"), and that reason is kept in the one-line message;
* they take linear time: rdflib's RDF/XML parser grew a text node one character
  event at a time (minutes for a few megabytes of entity text), its JSON-LD
  parser fetches remote ``@context`` documents (Oxigraph refuses them).

RDF/XML is first read by expat, whose billion-laughs guard (a bounded
amplification of entity text) Oxigraph does not have. Formats Oxigraph does
not read (TriX, HexTuples) still go through rdflib, with the same error form.
A file that cannot be parsed raises :class:`InputError` naming it, never a
traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import Dataset, Graph

from policykg.errors import InputError, one_line
from policykg.export import input_format
from policykg.namespaces import bind

OXIGRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES, "n-triples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS, "nq": ox.RdfFormat.N_QUADS, "n-quads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "n3": ox.RdfFormat.N3,
    "xml": ox.RdfFormat.RDF_XML, "rdfxml": ox.RdfFormat.RDF_XML, "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD, "jsonld": ox.RdfFormat.JSON_LD,
}
RDFLIB_ONLY = {"trix", "hext"}


def _read(path: str) -> tuple[bytes, str, str]:
    """(bytes, name for messages, base IRI) of a graph file or of standard input."""
    if path == "-":
        data = sys.stdin.buffer.read()
        if not data.strip():
            raise InputError("standard input is empty", "<stdin>")
        return data, "<stdin>", "file:///dev/stdin"
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", path) from None
    if not data.strip():
        raise InputError("is empty: there is no graph to read", path)
    return data, path, p.resolve().as_uri()


def _check_xml(data: bytes, name: str) -> None:
    """Well-formed XML within expat's amplification limits (entity bombs refused)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise InputError(f"is not valid xml (line {exc.lineno}, column {exc.offset + 1}: "
                         f"{expat.ErrorString(exc.code)})", name) from None


def parse_quads(path: str, fmt: str | None = None) -> tuple[list[ox.Quad], dict[str, str], str]:
    """The quads of one graph file ('-' = stdin), its prefixes and the format read."""
    f = (fmt or ("turtle" if path == "-" else input_format(path))).casefold()
    data, name, base = _read(path)
    if f not in OXIGRAPH_FORMATS:
        raise InputError(f"unknown RDF format {f!r} (use turtle, nt, nquads, trig, n3, xml or json-ld)", name)
    if OXIGRAPH_FORMATS[f] == ox.RdfFormat.RDF_XML:
        _check_xml(data, name)
    parser = ox.parse(data, OXIGRAPH_FORMATS[f], base_iri=base)
    try:
        quads = list(parser)
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"is not valid {f} ({one_line(exc)})", name) from None
    return quads, dict(parser.prefixes), f


def syntax_error(path: str | Path, fmt: str = "turtle") -> str | None:
    """Oxigraph's reason (line, column, what) why a file is not valid ``fmt``, or None:
    for files rdflib must parse itself (shapes keep their literals as written), whose
    own messages drop the column and the cause."""
    try:
        for _ in ox.parse(path=str(path), format=OXIGRAPH_FORMATS[fmt], base_iri=Path(path).resolve().as_uri()):
            pass
    except (SyntaxError, ValueError) as exc:
        return one_line(exc)
    except OSError:
        return None
    return None


def _rdflib_dataset(paths: Iterable[str], fmt: str) -> Dataset:
    ds = Dataset(default_union=True)
    bind(ds)
    for path in paths:
        data, name, _ = _read(path)
        try:
            ds.parse(data=data, format=fmt)
        except Exception as exc:  # rdflib raises many parser-specific types
            raise InputError(f"is not valid {fmt} ({one_line(exc)})", name) from None
    return ds


def load_graph(paths: Iterable[str], fmt: str | None = None) -> Graph:
    """The union of the triples in ``paths`` ('-' = stdin)."""
    ds = load_dataset(paths, fmt)
    g = Graph()
    bind(g)
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns, override=False, replace=False)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def load_dataset(paths: Iterable[str], fmt: str | None = None) -> Dataset:
    """The graphs in ``paths`` as an rdflib Dataset (named graphs kept)."""
    from policykg.rdfdata import to_rdflib

    paths = list(paths)
    if not paths:
        raise InputError("no graph given")
    if fmt and fmt.casefold() in RDFLIB_ONLY:
        return _rdflib_dataset(paths, fmt.casefold())
    ds = Dataset(default_union=True)
    bind(ds)
    cache: dict[object, object] = {}

    def term(t: object) -> object:
        hit = cache.get(t)
        if hit is None:
            hit = cache[t] = to_rdflib(t)
        return hit

    for path in paths:
        quads, prefixes, _ = parse_quads(path, fmt)
        for prefix, ns in prefixes.items():
            if prefix:
                ds.bind(prefix, ns, override=False)
        by_graph: dict[object, list[tuple[object, object, object]]] = {}
        for q in quads:
            by_graph.setdefault(q.graph_name, []).append((term(q.subject), term(q.predicate), term(q.object)))
        for name, triples in by_graph.items():
            g = ds.default_graph if isinstance(name, ox.DefaultGraph) else ds.graph(term(name))  # type: ignore[arg-type]
            g.addN((s, p, o, g) for s, p, o in triples)  # type: ignore[misc]
        cache.clear()
    return ds


def load_store(paths: Iterable[str], fmt: str | None = None, with_ontology: bool = True) -> ox.Store:
    """The graphs in ``paths`` in an in-memory Oxigraph store (named graphs kept;
    query it with the default graph as their union), with the project ontology
    (class hierarchy and labels) in a graph of its own unless told otherwise."""
    from policykg.iris import ONTOLOGY_GRAPH
    from policykg.resources import ontology_dir

    store = ox.Store()
    any_path = False
    for path in paths:
        any_path = True
        quads, _, _ = parse_quads(path, fmt)
        store.extend(quads)
    if not any_path:
        raise InputError("no graph given")
    if with_ontology:
        onto = ox.NamedNode(str(ONTOLOGY_GRAPH))
        for name in ("policykg.ttl", "dpv-terms.ttl"):
            store.load(path=str(ontology_dir() / name), format=ox.RdfFormat.TURTLE, to_graph=onto)
    return store

