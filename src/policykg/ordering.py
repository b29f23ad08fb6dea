"""One order for the rows of a SPARQL answer, whoever computes it.

SPARQL leaves two things to the engine: the order of rows that ``ORDER BY``
ranks equal, and the order of the values inside a ``GROUP_CONCAT``. Oxigraph
fills both from its evaluation order (index scans, hash joins), so the same
rows computed two ways — over the whole store, or policy by policy and merged
(:mod:`policykg.answers`) — come out in different orders although they are the
same answer. Measured on 300 synthetic policies: ``third-country-transfers``
ordered the tied rows of 16 of 40 vendors differently, and
``controllers-by-vendor`` concatenated the e-mails of 12 of 40 in another order.

The canonical form fixed here is a function of the *set* of rows alone:

* the values of every ``GROUP_CONCAT`` column are sorted inside their cell;
* the rows are sorted by the query's ``ORDER BY`` keys compared as SPARQL
  compares them, then rows that tie by their text (SPARQL 1.1 TSV, lossless).

Both the live evaluation on the store (:meth:`policykg.store.Store.query`) and
the kept answers use it, so they are byte-identical. An ``ORDER BY`` on a
variable that the query does not project (``rights-matrix`` orders by ``?n``)
is handled by evaluating the query with that variable projected too
(:attr:`Plan.text`) and dropping it after sorting (under ``DISTINCT``, keeping
the first of the rows that become equal). ``ORDER BY STR(?v)`` and
``COALESCE(STR(?v), "")`` are ranked as the text they give. What cannot be put in
this order — an ``ORDER BY`` on another expression, ``LIMIT``/``OFFSET`` (which
rows are cut depends on the tie order), a column that mixes kinds of literals
SPARQL orders by different rules — gets no plan (``None``): its answer is left in
the engine's order and never merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
                             "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort",
                             "unsignedByte")}
"""Literals SPARQL orders by value, not by text."""
PLAIN = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
"""Literals ordered by their text (then datatype and language, as Oxigraph does for equal text)."""


TERM, STR, STR_OR_EMPTY = "", "str", "str-or-empty"
"""How an ``ORDER BY`` key reads its variable: the term itself, ``STR(?v)``, or
``COALESCE(STR(?v), "")``."""


class Unorderable(ValueError):
    """A column whose values this module cannot rank exactly as SPARQL does."""


@dataclass(frozen=True)
class Plan:
    """How to put the answer of one query in canonical order.

    ``text`` is what to evaluate: the query itself, or with the hidden ``ORDER BY``
    variables added to its projection (they come last and are dropped by
    :func:`finish`).
    """

    text: str
    columns: tuple[str, ...]
    """The variables the query projects, in its order."""
    hidden: tuple[str, ...] = ()
    keys: tuple[tuple[str, bool, str], ...] = ()
    """(variable, descending, read as) of the ``ORDER BY``, every variable among columns +
    hidden; read as :data:`TERM`, :data:`STR` or :data:`STR_OR_EMPTY`."""
    concat: dict[str, str] = field(default_factory=dict)
    """GROUP_CONCAT columns -> their separator."""
    distinct: bool = False
    """``SELECT DISTINCT`` with hidden keys: ``text`` keeps the rows that differ only in
    a hidden key apart; once sorted, :func:`finish` keeps the first of the rows that
    are equal without them — where DISTINCT over the ordered solutions puts a row."""

    @property
    def evaluated(self) -> tuple[str, ...]:
        return self.columns + self.hidden


@lru_cache(maxsize=256)
def plan(text: str) -> Plan | None:
    """The canonical-order plan of a SELECT query, or None (see the module docstring)."""
    algebra = _parse(text)
    if algebra is None:
        return None
    if algebra.name != "SelectQuery":
        return None
    node = algebra.p
    distinct = False
    order: list[tuple[str, bool]] | None = None
    columns: list[str] | None = None
    while node is not None and node.name in ("Slice", "Distinct", "Reduced", "Project", "OrderBy", "ToMultiSet"):
        if node.name == "Slice":
            return None  # LIMIT/OFFSET: which rows survive depends on the engine's tie order
        if node.name in ("Distinct", "Reduced"):
            distinct = True
        elif node.name == "Project":
            columns = [str(v) for v in node.PV]
        elif node.name == "OrderBy" and order is None:
            order = []
            for cond in node.expr:
                read = _order_key(getattr(cond, "expr", cond))
                if read is None:
                    return None  # an expression: not a column we can compare
                order.append((read[0], getattr(cond, "order", None) == "DESC", read[1]))
        node = node.get("p")
    if columns is None:
        return None
    hidden = [v for v, _, _ in order or [] if v not in columns]
    hidden = list(dict.fromkeys(hidden))
    concat = {v: sep for v, sep in _group_concats(algebra).items() if v in columns}
    evaluated = text if not hidden else _project_more(text, hidden)
    if evaluated is None:
        return None
    return Plan(evaluated, tuple(columns), tuple(hidden), tuple(order or ()), concat, distinct and bool(hidden))


def _parse(text: str) -> object | None:
    """rdflib's algebra of a query (None if it does not parse: the store reports that).

    Parsed in a thread of its own: rdflib and pyparsing keep exceptions (and so the
    frames) of a parse alive, and every frame links to its caller's — a Store (and
    its lock on the database) would stay open after its owner let it go."""
    import threading

    out: list[object] = []

    def run() -> None:
        from rdflib.plugins.sparql import prepareQuery

        try:
            out.append(prepareQuery(text).algebra)
        except Exception:  # noqa: BLE001 - not ours to report
            pass

    t = threading.Thread(target=run, name="policykg-parse", daemon=True)
    t.start()
    t.join()
    return out[0] if out else None


def _is_var(x: object) -> bool:
    from rdflib import Variable

    return isinstance(x, Variable)


def _order_key(expr: object) -> tuple[str, str] | None:
    """An ``ORDER BY`` condition -> (variable, how it is read), or None.

    The canned queries order by ``STR(?v)`` (a vendor, a country) and by
    ``COALESCE(STR(?v), "")`` (an OPTIONAL column) so that every engine ranks IRIs
    and literals alike (see queries/README.md); both are a function of one column's
    value, so they are ranked here too: ``STR`` reads the IRI or the literal's text
    (a blank node or an unbound value gives an error, which SPARQL sorts first),
    ``COALESCE(…, "")`` puts the empty string in its place."""
    from rdflib import Literal

    if _is_var(expr):
        return str(expr), TERM
    name = getattr(expr, "name", None)
    if name == "Builtin_STR" and _is_var(expr.arg):  # type: ignore[attr-defined]
        return str(expr.arg), STR  # type: ignore[attr-defined]
    if name == "Builtin_COALESCE":
        args = list(expr.arg)  # type: ignore[attr-defined]
        if (len(args) == 2 and getattr(args[0], "name", None) == "Builtin_STR" and _is_var(args[0].arg)
                and isinstance(args[1], Literal) and str(args[1]) == "" and args[1].language is None
                and args[1].datatype is None):
            return str(args[0].arg), STR_OR_EMPTY
    return None


def _group_concats(algebra: object) -> dict[str, str]:
    """Variables bound to a GROUP_CONCAT anywhere in the query -> separator.

    rdflib names aggregates ``__agg_1__``, ``__agg_2__``… afresh in every
    subquery, so an aggregate is matched only with the ``Extend`` chain (and the
    ``HAVING`` filter) right above its own ``AggregateJoin``.
    """
    from rdflib.plugins.sparql.parserutils import CompValue

    named: dict[str, str] = {}

    def visit(n: object) -> dict[str, str]:
        """The aggregates of this node's own group (res variable -> separator)."""
        if isinstance(n, CompValue):
            if n.name == "AggregateJoin":
                local = {str(a.res): str(a.get("separator") or " ") for a in n.A if a.name == "Aggregate_GroupConcat"}
                visit(n.p)
                return local
            if n.name == "Extend":
                below = visit(n.p)
                expr = n.expr
                if _is_var(expr) and str(expr) in below:
                    named[str(n.var)] = below[str(expr)]
                return below
            if n.name == "Filter":  # HAVING: between the aggregates and their names
                visit(n.expr)
                return visit(n.p)
            for v in n.values():
                visit(v)
        elif isinstance(n, (list, tuple)):
            for x in n:
                visit(x)
        return {}

    visit(algebra)
    return named


def _mask(text: str) -> str:
    """``text`` with comments, string literals and IRIs blanked (same length)."""
    out = list(text)
    for m in re.finditer(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|'
                         r'<[^<>"{}|^`\\\s]*>|#[^\n]*', text):
        for i in range(m.start(), m.end()):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)


def _project_more(text: str, extra: Sequence[str]) -> str | None:
    """The query with ``extra`` variables appended to its outermost projection."""
    masked = _mask(text)
    m = re.search(r"\bSELECT\b", masked, re.I)
    if not m:
        return None
    depth = 0
    for i in range(m.end(), len(masked)):
        c = masked[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0 and (c == "{" or masked.startswith(("WHERE", "where", "Where"), i)):
            if masked[m.end():i].strip() == "*":
                return None
            return text[:i] + " " + " ".join("?" + v for v in extra) + " " + text[i:]
    return None


# --- terms -------------------------------------------------------------------------

def _key(term: object, kinds: list[str | None], col: int) -> tuple:  # type: ignore[type-arg]
    """A sort key that orders as SPARQL's ORDER BY does (as Oxigraph implements it):
    unbound < blank nodes (all equal) < IRIs < literals; numbers by value; strings by
    code point, then datatype and language."""
    if term is None:
        return (0,)
    if isinstance(term, ox.BlankNode):
        return (1,)
    if isinstance(term, ox.NamedNode):
        return (2, term.value)
    assert isinstance(term, ox.Literal)
    dt = term.datatype.value
    if dt in NUMERIC:
        kind = "number"
        try:
            value: object = Decimal(term.value.strip())
        except InvalidOperation:
            raise Unorderable(f"{term} is not a number") from None
        if value != value:  # NaN
            raise Unorderable("NaN has no place in an order")
    elif dt == XSD + "boolean":
        kind, value = "boolean", term.value in ("true", "1")
    elif dt in PLAIN:
        kind, value = "text", (term.value, dt, term.language or "")
    elif dt == XSD + "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", term.value):
        kind, value = "date", term.value  # without a time zone, the text orders as the date
    else:
        raise Unorderable(f"values of type <{dt}> are ordered by rules not reproduced here")
    seen = kinds[col]
    if seen is None:
        kinds[col] = kind
    elif seen != kind:
        raise Unorderable("a column mixes numbers, booleans and text, which SPARQL orders apart")
    return (3, value)


def split_tsv(data: bytes) -> tuple[str, list[str]]:
    """SPARQL TSV -> (header line, row lines). A row is one line: TSV escapes
    the line breaks inside literals."""
    text = data.decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise ValueError("not SPARQL TSV: no header")
    return lines[0], lines[1:]


def join_tsv(header: str, rows: Iterable[str]) -> bytes:
    body = "".join(r + "\n" for r in rows)
    return (header + "\n" + body).encode("utf-8")


def _terms(header: str, rows: list[str]) -> list[list[object]]:
    """The rows as Oxigraph terms (parsed by Oxigraph: exactly what it wrote)."""
    parsed = ox.parse_query_results(join_tsv(header, rows), ox.QueryResultsFormat.TSV)
    out = [list(s) for s in parsed]  # type: ignore[union-attr]
    if len(out) != len(rows):
        raise ValueError("a TSV row is not one line")
    return out


def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def prepare_rows(p: Plan, header: str, rows: list[str]) -> list[str]:
    """Rows as evaluated -> rows with every GROUP_CONCAT cell sorted (same columns)."""
    if not p.concat or not rows:
        return rows
    names = [n.lstrip("?") for n in header.split("\t")]
    cols = [(i, p.concat[n]) for i, n in enumerate(names) if n in p.concat]
    terms = _terms(header, rows)
    out = []
    for line, values in zip(rows, terms, strict=True):
        cells = line.split("\t")
        for i, sep in cols:
            t = values[i]
            if isinstance(t, ox.Literal) and sep and t.datatype.value in PLAIN:
                items = sorted(t.value.split(sep))
                lang = f"@{t.language}" if t.language else ""
                cells[i] = '"' + _escape(sep.join(items)) + '"' + lang
        out.append("\t".join(cells))
    return out


_BARE_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_PLAIN_CELL = re.compile(r'"([^"\\]*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?')


def _cell_term(cell: str) -> object | None:
    """A TSV cell as an Oxigraph term, reading the common forms directly (an IRI, a bare
    number or boolean, a literal without escapes) and the rest with Oxigraph."""
    if not cell:
        return None
    c = cell[0]
    if c == "<" and cell[-1] == ">":
        return ox.NamedNode(cell[1:-1])
    if c == '"':
        m = _PLAIN_CELL.fullmatch(cell)
        if m:
            value, lang, dt = m.groups()
            if lang:
                return ox.Literal(value, language=lang)
            return ox.Literal(value, datatype=ox.NamedNode(dt)) if dt else ox.Literal(value)
    elif cell in ("true", "false"):
        return ox.Literal(cell, datatype=ox.NamedNode(XSD + "boolean"))
    elif _BARE_NUMBER.fullmatch(cell):
        dt = "double" if "e" in cell.lower() else "decimal" if "." in cell else "integer"
        return ox.Literal(cell, datatype=ox.NamedNode(XSD + dt))
    parsed = list(ox.parse_query_results(f"?x\n{cell}\n".encode(), ox.QueryResultsFormat.TSV))  # type: ignore[arg-type]
    return parsed[0][0] if parsed else None


_STRING = XSD + "string"


def _cell_key(cell: str, kinds: list[str | None], col: int) -> tuple:  # type: ignore[type-arg]
    """:func:`_key` of a TSV cell; integers, IRIs and plain strings without escapes (most
    cells) are read without making a term."""
    if cell.isascii() and cell.isdigit():
        kind, key = "number", (3, int(cell))
    elif cell[:1] == "<" and cell[-1:] == ">":
        return (2, cell[1:-1])
    elif cell[:1] == '"' and cell[-1:] == '"' and "\\" not in cell and '"' not in cell[1:-1]:
        kind, key = "text", (3, (cell[1:-1], _STRING, ""))
    else:
        return _key(_cell_term(cell), kinds, col)
    seen = kinds[col]
    if seen is None:
        kinds[col] = kind
    elif seen != kind:
        raise Unorderable("a column mixes numbers, booleans and text, which SPARQL orders apart")
    return key


def _str_key(cell: str, read: str) -> tuple:  # type: ignore[type-arg]
    """The sort key of ``STR(cell)`` (:data:`STR`) or ``COALESCE(STR(cell), "")``
    (:data:`STR_OR_EMPTY`): a simple literal, ordered by code point as Oxigraph
    compares strings; an error (unbound, a blank node) first, or as ""."""
    if cell[:1] == "<" and cell[-1:] == ">":
        return (1, cell[1:-1])
    if cell[:1] == '"' and cell[-1:] == '"' and "\\" not in cell and '"' not in cell[1:-1]:
        return (1, cell[1:-1])
    term = _cell_term(cell)
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return (1, term.value)
    return (1, "") if read == STR_OR_EMPTY else (0, "")


def order_rows(p: Plan, header: str, rows: list[str]) -> list[str]:
    """Rows (GROUP_CONCAT cells already sorted) in canonical order, hidden columns kept.

    Only the key cells are read, each distinct cell once (vendors, labels and countries
    repeat row after row). Raises :class:`Unorderable` for a key column this module
    cannot rank exactly.
    """
    if not rows:
        return rows
    names = [n.lstrip("?") for n in header.split("\t")]
    idx = [(names.index(v), desc, read) for v, desc, read in p.keys]
    if not idx:
        return sorted(rows)
    kinds: list[str | None] = [None] * len(names)
    # stable sorts, least significant first: by the whole row, then by each key from the
    # last to the first (a descending key sorts in reverse, which keeps ties in order);
    # one column's keys at a time, so that memory holds one list of keys, not the cells
    order = sorted(range(len(rows)), key=rows.__getitem__)
    try:
        for i, desc, read in reversed(idx):
            memo: dict[str, tuple] = {}  # type: ignore[type-arg]
            keys = []
            for line in rows:
                cell = line.split("\t", i + 1)[i]
                k = memo.get(cell)
                if k is None:
                    k = memo[cell] = _cell_key(cell, kinds, i) if read == TERM else _str_key(cell, read)
                keys.append(k)
            order.sort(key=keys.__getitem__, reverse=desc)
            del keys, memo
    except TypeError as exc:  # keys of different shapes met: cannot happen for one kind per column
        raise Unorderable(str(exc)) from None
    return [rows[j] for j in order]


def finish(p: Plan, header: str, rows: list[str]) -> bytes:
    """Ordered rows with the hidden columns dropped -> the answer as SPARQL TSV."""
    if not p.hidden:
        return join_tsv(header, rows)
    n = len(p.columns)
    shown = ("\t".join(r.split("\t")[:n]) for r in rows)
    if p.distinct:
        shown = iter(dict.fromkeys(shown))  # the first of equal rows, in order
    return join_tsv("\t".join(header.split("\t")[:n]), shown)


def canonical(p: Plan, tsv: bytes) -> bytes:
    """The answer of ``p.text`` (as Oxigraph serialised it) in canonical form."""
    header, rows = split_tsv(tsv)
    return finish(p, header, order_rows(p, header, prepare_rows(p, header, rows)))


def serialize(solutions: object) -> bytes:
    """Oxigraph query solutions as SPARQL TSV."""
    import io

    buf = io.BytesIO()
    solutions.serialize(buf, ox.QueryResultsFormat.TSV)  # type: ignore[attr-defined]
    return buf.getvalue()
