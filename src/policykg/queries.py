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

A parameter means what a ``VALUES`` block at the top of the outermost ``WHERE``
means (a join with one row). Each engine gets the value as an RDF term through
its own API, never as text written into the query:

* rdflib (graph files): ``initBindings`` with rdflib terms. Locally that is the
  VALUES join (measured on every canned query, tests/test_queries.py); remotely
  rdflib would write a VALUES clause at the *end* of the query instead, which is
  why rdflib's SPARQLStore is never used (RDFLib/rdflib#1772);
* Oxigraph (graph files and the store) and a remote endpoint: a VALUES block at the
  top of the outermost WHERE, written by Oxigraph's N-Triples term serialiser, whose
  output Oxigraph's SPARQL parser reads back to the same term (a property test over
  generated values). Oxigraph's ``substitutions`` (SEP-0007) were used on the store
  until measured: they do not reach a subquery, where evidence-for-purpose and
  retention-periods restrict the vendor before sorting and grouping (0.30 s and
  0.11 s for one vendor of a 200-policy store, against 0.0015 s and 0.026 s with the
  VALUES block), and even vendors-naming-recipient was 2x slower with them.

Values are checked against their type's lexical space as a whole
(``re.fullmatch``, so a trailing newline is not ignored) and refused, not
changed, when they do not fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import rdflib.plugins.sparql
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery

from policykg.errors import QueryError, one_line
from policykg.namespaces import PREFIXES
from policykg.resources import queries_dir

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
"""rdflib would otherwise fetch the IRI of every FROM / FROM NAMED clause (a file
or a web page) when it evaluates a query."""

PARAM_TYPES = {"iri", "string", "integer", "date", "lang-string"}
MAX_QUERY_BYTES = 1024 * 1024
"""A query file is a few kilobytes; more means something else was passed."""
INT64 = (-(2**63), 2**63 - 1)
"""xsd:integer values Oxigraph can compare (it holds them as 64-bit integers)."""
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LANG = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")
_IRI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\\x7f]*")


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

    def terms(self, values: dict[str, str]) -> dict[str, URIRef | Literal]:
        """``values`` (and defaults) as RDF terms of their declared types."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {unknown[0]!r} "
                             f"(it takes: {', '.join(known) or 'none'})")
        out: dict[str, URIRef | Literal] = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None:
                if p.required:
                    raise QueryError(f"query {self.name!r} needs the parameter {p.name!r} "
                                     f"(-p {p.name} VALUE): {p.description}")
                continue
            out[p.name] = to_term(raw, p)
        return out

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE (:func:`query_form`)."""
        return query_form(self.text, str(self.path))

    def bind(self, values: dict[str, str]) -> str:
        """The query text with ``values`` (and defaults) as VALUES blocks: what is sent
        to a remote endpoint, and the key of a kept answer."""
        return bind_text(self.text, self.terms(values))


EXPECTED = {"iri": "an IRI (<https://...>, https://... or a prefixed name such as org:mailchimp)",
            "integer": "an integer (digits, optionally signed, within 64 bits)",
            "date": "a date (YYYY-MM-DD)",
            "lang-string": "a text, optionally with a language tag (TEXT@LANG, e.g. Datainspektionen@sv)",
            "string": "a text"}


def to_term(raw: str, param: Param) -> URIRef | Literal:
    """Convert a parameter value to an RDF term of its declared type, exactly.

    Nothing is stripped or normalised: a value that does not fit its type as a
    whole is refused (a trailing newline or space included)."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(f"parameter {param.name!r} is not valid text (bytes that are not UTF-8)") from None
    try:
        if param.type == "iri":
            value = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
            pre, sep, local = value.partition(":")
            if sep and pre in PREFIXES and not local.startswith("//"):
                value = str(PREFIXES[pre]) + local
            if not _IRI.fullmatch(value):
                raise ValueError("not an IRI")
            ox.NamedNode(value)  # RFC 3987, as the store and the servers read it
            return URIRef(value)
        if param.type == "integer":
            if not _INTEGER.fullmatch(raw) or not INT64[0] <= int(raw) <= INT64[1]:
                raise ValueError("not an integer")
            return Literal(int(raw), datatype=XSD.integer)
        if param.type == "date":
            if not _DATE.fullmatch(raw):
                raise ValueError("not a date")
            return Literal(date.fromisoformat(raw), datatype=XSD.date)
        if param.type == "lang-string":
            text, sep, lang = raw.rpartition("@")
            if not sep:
                return Literal(raw)
            if not _LANG.fullmatch(lang):
                raise ValueError("not a language tag")
            ox.Literal(text, language=lang)  # BCP 47, as the store and the servers read it
            return Literal(text, lang=lang)
        return Literal(raw)
    except ValueError:
        raise QueryError(f"parameter {param.name!r} must be {EXPECTED.get(param.type, param.type)}, "
                         f"got {raw!r}") from None


def to_oxigraph(term: URIRef | Literal) -> ox.NamedNode | ox.Literal:
    """The same term as an Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def sparql_term(term: URIRef | Literal) -> str:
    """A term written for a SPARQL query by Oxigraph's N-Triples serialiser (every
    quote, backslash, line break and control character escaped; N-Triples terms are
    SPARQL terms)."""
    return str(to_oxigraph(term))


def bind_text(text: str, terms: dict[str, URIRef | Literal]) -> str:
    """``text`` with one VALUES block per term at the top of its outermost WHERE."""
    return inject_values(text, [f"VALUES ?{name} {{ {sparql_term(t)} }}" for name, t in terms.items()])


def _mask_comments_and_strings(text: str) -> str:
    """Same length as ``text``, with comments and string literals blanked out."""
    out = list(text)
    for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*', text):
        for i in range(m.start(), m.end()):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)


def _keywords_only(text: str) -> str:
    """``text`` with comments, strings, IRIs, variables and prefixed names blanked out:
    what is left are SPARQL keywords and punctuation."""
    masked = _mask_comments_and_strings(text)
    return re.sub(r"<[^\s<>]*>|[?$][\w\u00b7-\U0010ffff]+|[\w.-]*:[\w.:%-]*", " ", masked)


def inject_values(text: str, blocks: list[str]) -> str:
    if not blocks:
        return text
    masked = _mask_comments_and_strings(text)
    m = re.search(r"\bWHERE\s*\{", masked, re.I) or re.search(r"\{", masked)
    if not m:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    return text[:m.end()] + "\n  " + "\n  ".join(blocks) + "\n" + text[m.end():]


def refuse_remote_calls(text: str, source: str) -> None:
    """A SERVICE clause makes the engine call a remote server (Oxigraph and rdflib both
    do): on local data that is never what was meant, and it can wait for minutes."""
    masked = _keywords_only(text)
    if re.search(r"\bSERVICE\b", masked, re.I):
        raise QueryError("SERVICE calls a remote SPARQL server and is not run on local data; "
                         "run the query on that server with --endpoint URL", source)


def query_form(text: str, source: str | None = None) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these keywords outside comments,
    strings, IRIs and prefixed names (read from the text, so a query for a remote
    server is classified without being parsed by a local engine)."""
    masked = _keywords_only(text)
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", masked, re.I)
    if not m:
        raise QueryError("is not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE); "
                         "SPARQL Update is not run", source)
    return m.group(1).upper()


def evaluate(store: ox.Store, query: CannedQuery, values: dict[str, str],
             union: bool = True):  # type: ignore[no-untyped-def]
    """Run ``query`` on an Oxigraph store with ``values`` bound as terms (a VALUES block,
    :func:`bind_text`; the module docstring says why not ``substitutions``), as an rdflib
    Result."""
    from policykg.store import to_result

    terms = query.terms(values)
    refuse_remote_calls(query.text, query.name)
    try:
        return to_result(store.query(bind_text(query.text, terms), use_default_graph_as_union=union))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {one_line(exc)}", query.name) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"the query could not run ({one_line(exc)})", query.name) from None


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
    """A query file: any SPARQL 1.1 query. The ``#+`` header is optional (without it the
    name and title are the file stem and the query takes no parameters)."""
    p = Path(path)
    if not p.is_file():
        raise QueryError("no such query file", str(p))
    text = read_query_text(p)
    header = parse_header(text, p)
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
    return CannedQuery(p.stem, str(header.get("title") or p.stem), str(header.get("description") or "").strip(),
                       text, p, params, list(header.get("tags") or []))


def read_query_text(p: Path) -> str:
    """A query file's text: UTF-8, not empty, not binary, not huge — else one clear error."""
    try:
        if p.stat().st_size > MAX_QUERY_BYTES:
            raise QueryError(f"is {p.stat().st_size:,} bytes, more than the {MAX_QUERY_BYTES:,} a query "
                             "file may have", str(p))
        data = p.read_bytes()
    except OSError as exc:
        raise QueryError(f"cannot be read ({exc.strerror})", str(p)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"is not valid UTF-8 (byte {exc.start}); SPARQL files are UTF-8", str(p)) from None
    if "\x00" in text:
        raise QueryError("contains NUL characters: not a SPARQL text", str(p))
    if not text.strip():
        raise QueryError("is empty: there is no query to run", str(p))
    return text.removeprefix("\ufeff")


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
