"""Writing SPARQL results: table, csv, tsv, json (W3C SPARQL Results JSON).

rdflib has no TSV serializer (STYLE.md), so TSV follows the W3C SPARQL 1.1
TSV format here: RDF terms in N-Triples syntax.
"""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

FORMATS = ("table", "csv", "tsv", "json")


def rows(result: Result) -> tuple[list[str], list[list[object]]]:
    names = [str(v) for v in (result.vars or [])]
    return names, [[row[i] for i in range(len(names))] for row in result]  # type: ignore[index]


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


def to_tsv(result: Result) -> str:
    names, data = rows(result)
    lines = ["\t".join("?" + n for n in names)]
    for r in data:
        lines.append("\t".join("" if t is None else t.n3() for t in r))  # type: ignore[attr-defined]
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
        return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}, indent=1)
    names, data = rows(result)
    bindings = [{n: _json_term(t) for n, t in zip(names, r, strict=True) if t is not None} for r in data]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, indent=1,
                      ensure_ascii=False)


def to_table(result: Result, width: int = 60) -> str:
    names, data = rows(result)
    cells = [[_short(t, width) for t in r] for r in data]
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


def render(result: Result, fmt: str) -> str:
    if fmt == "json":
        return to_json(result)
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    return {"csv": to_csv, "tsv": to_tsv, "table": to_table}[fmt](result)
