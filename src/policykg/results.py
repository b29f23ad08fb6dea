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
        return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}, indent=1)
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


def render(result: Result, fmt: str) -> str:
    if fmt == "json":
        return to_json(result)
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    return {"csv": to_csv, "tsv": to_tsv, "table": to_table}[fmt](result)
