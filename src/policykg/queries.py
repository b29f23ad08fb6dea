"""Canned SPARQL queries: ``queries/*.rq`` files with a ``#+`` YAML header.

Header keys (grlc-style, the file stays valid SPARQL)::

    #+ title: Vendors whose policy names a recipient
    #+ description: One row per notice ...
    #+ params:
    #+   - name: recipient          # used in the body as ?recipient
    #+     type: iri                # iri | string | integer | date | lang-string
    #+     required: false
    #+     description: Organisation to look for
    #+ tags: [recipients, cross-vendor]

Parameters are bound by injecting a ``VALUES`` block at the top of the outermost
``WHERE`` — never by string substitution and never with ``initBindings``
(which means different things locally and remotely, RDFLib/rdflib#1772).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery

from policykg.errors import QueryError
from policykg.namespaces import PREFIXES
from policykg.resources import queries_dir

PARAM_TYPES = {"iri", "string", "integer", "date", "lang-string"}


@dataclass
class Param:
    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    description: str = ""


@dataclass
class CannedQuery:
    name: str
    title: str
    description: str
    text: str
    path: Path
    params: list[Param] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def unbound(self) -> list[Param]:
        """Parameters the query cannot run without: required and with no default."""
        return [p for p in self.params if p.required and p.default is None]

    def bind(self, values: dict[str, str]) -> str:
        """The query text with ``values`` (and defaults) as VALUES blocks."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {unknown[0]!r} "
                             f"(it takes: {', '.join(known) or 'none'})")
        blocks = []
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None:
                if p.required:
                    raise QueryError(f"query {self.name!r} needs the parameter {p.name!r} "
                                     f"(-p {p.name} VALUE): {p.description}")
                continue
            blocks.append(f"VALUES ?{p.name} {{ {to_term(raw, p).n3()} }}")
        return inject_values(self.text, blocks)


def to_term(raw: str, param: Param) -> URIRef | Literal:
    """Convert a parameter value to an RDF term of its declared type."""
    try:
        if param.type == "iri":
            value = raw.strip()
            if value.startswith("<") and value.endswith(">"):
                value = value[1:-1]
            pre, sep, local = value.partition(":")
            if sep and pre in PREFIXES and not local.startswith("//"):
                value = str(PREFIXES[pre]) + local
            if not re.match(r"^[a-zA-Z][\w+.-]*:[^\s<>\"{}|^`\\]*$", value):
                raise ValueError("not an IRI")
            return URIRef(value)
        if param.type == "integer":
            return Literal(int(raw), datatype=XSD.integer)
        if param.type == "date":
            return Literal(date.fromisoformat(raw), datatype=XSD.date)
        if param.type == "lang-string":
            text, _, lang = raw.rpartition("@")
            return Literal(text, lang=lang) if text else Literal(raw)
        return Literal(raw)
    except ValueError:
        raise QueryError(f"parameter {param.name!r} must be a {param.type}, got {raw!r}") from None


def _mask_comments_and_strings(text: str) -> str:
    """Same length as ``text``, with comments and string literals blanked out."""
    out = list(text)
    for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*', text):
        for i in range(m.start(), m.end()):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)


def inject_values(text: str, blocks: list[str]) -> str:
    if not blocks:
        return text
    masked = _mask_comments_and_strings(text)
    m = re.search(r"\bWHERE\s*\{", masked, re.I) or re.search(r"\{", masked)
    if not m:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    return text[:m.end()] + "\n  " + "\n  ".join(blocks) + "\n" + text[m.end():]


def parse_header(text: str, path: Path) -> dict:  # type: ignore[type-arg]
    lines = [ln[2:] for ln in text.splitlines() if ln.startswith("#+")]
    try:
        header = yaml.safe_load("\n".join(ln[1:] if ln.startswith(" ") else ln for ln in lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"the #+ header is not valid YAML ({exc})", str(path)) from None
    if not isinstance(header, dict):
        raise QueryError("the #+ header must be a mapping", str(path))
    return header


def load_query(path: str | Path) -> CannedQuery:
    p = Path(path)
    if not p.is_file():
        raise QueryError("no such query file", str(p))
    text = p.read_text(encoding="utf-8")
    header = parse_header(text, p)
    for key in ("title", "description"):
        if not header.get(key):
            raise QueryError(f"the #+ header has no {key!r}", str(p))
    params = []
    for raw in header.get("params") or []:
        if not isinstance(raw, dict) or "name" not in raw:
            raise QueryError("each param needs a name", str(p))
        param = Param(str(raw["name"]), str(raw.get("type", "string")), bool(raw.get("required", False)),
                      None if raw.get("default") is None else str(raw["default"]),
                      str(raw.get("description", "")))
        if param.type not in PARAM_TYPES:
            raise QueryError(f"param {param.name!r} has unknown type {param.type!r}", str(p))
        if not re.search(r"\?" + re.escape(param.name) + r"\b", text):
            raise QueryError(f"param {param.name!r} is declared but ?{param.name} is not used", str(p))
        params.append(param)
    return CannedQuery(p.stem, str(header["title"]), str(header["description"]).strip(), text, p,
                       params, list(header.get("tags") or []))


def list_queries(folder: str | Path | None = None) -> list[CannedQuery]:
    """Every canned query (``checks/`` excluded), sorted by name."""
    d = Path(folder) if folder else queries_dir()
    return [load_query(f) for f in sorted(d.glob("*.rq"))]


def find_query(name_or_path: str) -> CannedQuery:
    """A canned query by name, or a ``.rq`` file by path."""
    p = Path(name_or_path)
    if name_or_path.endswith(".rq") or p.is_file():
        return load_query(p)
    for q in list_queries():
        if q.name == name_or_path:
            return q
    names = ", ".join(q.name for q in list_queries())
    raise QueryError(f"unknown query {name_or_path!r} (known: {names})")


def prepare(text: str, source: str = "query"):  # type: ignore[no-untyped-def]
    """Parse once (rdflib re-parses SPARQL text on every ``graph.query(str)``)."""
    try:
        return prepareQuery(text)
    except Exception as exc:
        raise QueryError(f"SPARQL syntax error: {str(exc).splitlines()[0][:300]}", source) from None
