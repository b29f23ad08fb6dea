"""Writing query answers: SELECT/ASK results as table, csv, tsv, json or xml (the W3C
SPARQL 1.1 Query Results JSON and XML formats); CONSTRUCT/DESCRIBE graphs in every RDF
format the project writes.

rdflib has no TSV serializer (STYLE.md), so TSV follows the W3C SPARQL 1.1
TSV format here: RDF terms in N-Triples syntax. XML is rdflib's serialiser (it
writes the W3C format: variables in the head, one ``binding`` per bound variable
with ``uri``, ``bnode`` or ``literal`` and its ``datatype`` or ``xml:lang``).
"""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from policykg.errors import QueryError

FORMATS = ("table", "csv", "tsv", "json", "xml")
"""Formats of SELECT and ASK results."""
RDF_FORMATS = ("turtle", "ttl", "nt", "ntriples", "nquads", "nq", "trig", "json-ld", "jsonld", "xml")
"""Formats of CONSTRUCT and DESCRIBE results (the RDF formats every command writes)."""
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


def default_format(form: str) -> str:
    """csv for SELECT and ASK results, turtle for the graph of a CONSTRUCT or DESCRIBE."""
    return "turtle" if form in GRAPH_FORMS else "csv"


def check_format(form: str, fmt: str, source: str | None = None) -> None:
    """Refuse a format that does not fit the query form, before anything runs."""
    graph = form in GRAPH_FORMS
    if fmt not in (RDF_FORMATS if graph else FORMATS):
        fits = "turtle, nt, nquads, trig, json-ld or xml" if graph else "table, csv, tsv, json or xml"
        raise QueryError(f"-f {fmt} is not a format for the answer of {'an' if form == 'ASK' else 'a'} {form} query "
                         f"({'an RDF graph' if graph else 'a table of results'}): use {fits}", source)


def rows(result: Result) -> tuple[list[str], list[list[object]]]:
    """Variable names and rows (None where unbound), read from the bindings directly:
    rdflib's ResultRow per row cost ~1 s of a 90,000-row answer."""
    variables = list(result.vars or [])
    return [str(v) for v in variables], [[b.get(v) for v in variables] for b in result.bindings]


def _plain(term: object) -> str:
    return "" if term is None else str(term)


def to_csv(result: Result) -> str:
    names, data = rows(result)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(names)
    for r in data:
        w.writerow([_plain(t) for t in r])
    return buf.getvalue()


class _Memo(dict):  # type: ignore[type-arg]
    """Each distinct term rendered once: vendors, concepts, organisations and offsets
    repeat row after row (rendering every cell anew was most of the time of a
    90,000-row answer)."""

    def __init__(self, render) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.render = render

    def __missing__(self, term: object) -> str:
        text = self[term] = self.render(term)
        return text


def to_tsv(result: Result) -> str:
    names, data = rows(result)
    cell = _Memo(lambda t: "" if t is None else t.n3())
    lines = ["\t".join("?" + n for n in names)]
    for r in data:
        lines.append("\t".join([cell[t] for t in r]))
    return "\n".join(lines) + "\n"


def _json_term(t: object) -> dict[str, str]:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    assert isinstance(t, Literal)
    d = {"type": "literal", "value": str(t)}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype:
        d["datatype"] = str(t.datatype)
    return d


def to_json(result: Result) -> str:
    if result.type == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}, indent=1) + "\n"
    names, data = rows(result)
    # one binding per line, every distinct term encoded once (an indented json.dumps of
    # the whole answer took 11 s and 0.9 GB for 90,000 rows)
    keys = [json.dumps(n, ensure_ascii=False) + ": " for n in names]
    cell = _Memo(lambda t: json.dumps(_json_term(t), ensure_ascii=False))
    lines = ["{" + ", ".join([k + cell[t] for k, t in zip(keys, r, strict=True) if t is not None]) + "}"
             for r in data]
    head = json.dumps({"vars": names}, ensure_ascii=False)
    return ('{"head": ' + head + ', "results": {"bindings": [\n' + ",\n".join(lines)
            + ('\n' if lines else '') + ']}}\n')


def to_table(result: Result, width: int = 60) -> str:
    names, data = rows(result)
    short = _Memo(lambda t: _short(t, width))
    cells = [[short[t] for t in r] for r in data]
    widths = [max([len(n)] + [len(c[i]) for c in cells]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def _short(t: object, width: int) -> str:
    s = _plain(t).replace("\n", " ")
    for ns, pre in (("https://w3id.org/dpv#", "dpv:"), ("https://w3id.org/dpv/pd#", "pd:"),
                    ("https://w3id.org/dpv/legal/eu/gdpr#", "eu-gdpr:"), ("https://w3id.org/dpv/loc#", "loc:"),
                    ("https://w3id.org/policykg/org/", "org:"), ("https://w3id.org/policykg#", "pkg:")):
        if isinstance(t, URIRef) and s.startswith(ns):
            s = pre + s[len(ns):]
    return s if len(s) <= width else s[: width - 1] + "…"


def to_xml(result: Result) -> str:
    """W3C SPARQL Query Results XML (rdflib's serialiser), ending with a newline."""
    return result.serialize(format="xml", encoding="utf-8").decode("utf-8") + "\n"  # type: ignore[union-attr]


def render(result: Result, fmt: str) -> str:
    """SELECT or ASK results as text in ``fmt`` (one of FORMATS)."""
    if result.type in GRAPH_FORMS:
        raise QueryError(f"the answer of a {result.type} query is a graph: write it with to_bytes")
    if fmt == "json":
        return to_json(result)
    if fmt == "xml":
        return to_xml(result)
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    return {"csv": to_csv, "tsv": to_tsv, "table": to_table}[fmt](result)


def to_bytes(result: Result, fmt: str) -> bytes:
    """Any answer in ``fmt``: SELECT/ASK results as :func:`render` writes them, the graph
    of a CONSTRUCT/DESCRIBE in an RDF format (the project's serialiser and prefixes)."""
    check_format(str(result.type), fmt)
    if result.type in GRAPH_FORMS:
        from rdflib import Dataset

        from policykg.export import rdf_format, serialize
        from policykg.namespaces import bind

        ds = Dataset()  # the triples in its default graph: N-Quads and TriG without a graph name
        bind(ds)
        ds.default_graph.addN((s, p, o, ds.default_graph) for s, p, o in result.graph)
        return serialize(ds, rdf_format(fmt, None))
    return render(result, fmt).encode("utf-8")
