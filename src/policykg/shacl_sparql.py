"""SHACL-SPARQL constraints (``sh:sparql`` with ``sh:select``) for the native engine.

pyshacl evaluates them with rdflib's SPARQL engine, ~3 s per policy for the
per-fact evidence shapes (shapes/sparql/). Here the policy's triples go once into
an in-memory Oxigraph store and each query runs there with ``$this`` (and
``$currentShape``) substituted as SEP-0007 says, which is SHACL's pre-binding.

What SHACL forbids in these queries (MINUS, VALUES, SERVICE, ``AS $this``, a
subquery that does not return ``$this``; SHACL 5.2.1 and the W3C tests) and a
query that does not parse make the shapes graph invalid: every engine refuses
it, naming the shape. What the engine does not do — ``$shapesGraph``, an outer
SELECT without ``$this`` (Oxigraph substitutes only projected variables), a
constraint that is not a plain ``sh:select`` — is a refusal, and
``--engine auto`` runs pyshacl instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH, XSD
from rdflib.term import Node

from policykg.errors import PolicyKGError

# strings, IRIs and comments of a query: blanked out before looking for keywords
_OPAQUE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                     r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
                     r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_WORD = r"(?<![\w:?$-])"  # a keyword, not part of a prefixed name or a variable
_FORBIDDEN = [(re.compile(_WORD + kw + r"\b", re.I), what) for kw, what in (
    ("MINUS", "a MINUS clause"), ("VALUES", "a VALUES clause"), ("SERVICE", "a federated query (SERVICE)"))]
_REBIND = re.compile(r"\bAS\s*[?$](this|currentShape|shapesGraph)\b", re.I)
_SELECT = re.compile(_WORD + r"SELECT\b(.*?)(?=\bWHERE\b|\{)", re.I | re.S)
_VAR = re.compile(r"[?$](\w+)")


def visible(query: str) -> str:
    """The query with its strings, IRIs and comments blanked: what is left is syntax."""
    return _OPAQUE.sub(" ", query)


def query_problems(query: str) -> list[tuple[bool, str]]:
    """What keeps the native engine from evaluating ``query`` as SHACL says, as
    (invalid SHACL?, why) pairs; empty: nothing."""
    text = visible(query)
    out = [(True, f"its SPARQL query has {what}, which SHACL does not allow")
           for rx, what in _FORBIDDEN if rx.search(text)]
    if m := _REBIND.search(text):
        out.append((True, f"its SPARQL query re-binds the pre-bound ${m.group(1)} (AS ${m.group(1)}), "
                          "which SHACL does not allow"))
    selects = _SELECT.findall(text)
    for projection in selects[1:]:
        if "*" in projection or "this" not in _VAR.findall(projection):
            out.append((True, "its SPARQL query has a subquery that does not SELECT $this, which SHACL "
                              "does not allow"))
            break
    used = set(_VAR.findall(text))
    if "shapesGraph" in used:
        out.append((False, "$shapesGraph in a SPARQL query (the native engine has no shapes graph to query)"))
    if selects and "this" in used and "this" not in _VAR.findall(selects[0]):
        out.append((False, "a SPARQL query whose SELECT does not return $this"))
    return out


def prefixes(g: Graph, constraint: Node) -> dict[str, str]:
    """The prefixes a query may use: sh:declare of each value of its sh:prefixes,
    and of what those import (owl:imports) within the shapes graph."""
    out: dict[str, str] = {}
    seen: set[Node] = set()
    todo = list(g.objects(constraint, SH.prefixes))
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for decl in g.objects(node, SH.declare):
            prefix, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                out[str(prefix)] = str(ns)
        todo.extend(g.objects(node, OWL.imports))
    return out


def path_text(g: Graph, p: Node) -> str:
    """A well-formed SHACL path as a SPARQL property path (what $PATH stands for)."""
    if isinstance(p, URIRef):
        return f"<{p}>"
    for kind, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = g.value(p, kind)  # type: ignore[arg-type]
        if inner is not None:
            return f"({path_text(g, inner)}){mark}"
    inner = g.value(p, SH.inversePath)  # type: ignore[arg-type]
    if inner is not None:
        return f"^({path_text(g, inner)})"
    alt = g.value(p, SH.alternativePath)  # type: ignore[arg-type]
    if alt is not None:
        return "(" + "|".join(path_text(g, x) for x in Collection(g, alt)) + ")"
    return "(" + "/".join(path_text(g, x) for x in Collection(g, p)) + ")"  # type: ignore[arg-type]


_PATH = re.compile(r"\$PATH\b")
_PRE_BOUND = ("this", "currentShape")


class PreBindingError(PolicyKGError):
    """A focus node the native engine cannot pre-bind in a SPARQL query (a blank
    node cannot be written into a query); ``--engine auto`` then runs pyshacl."""

    @property
    def reason(self) -> str:
        """Why, for the note that pyshacl validates instead."""
        return self.message.split(";")[0]


def prebind(query: str, values: dict[str, str]) -> str:
    """SHACL's pre-binding (5.2.1) of ``values`` ({variable: term as SPARQL text})
    in ``query``, by substitution: every use of $this becomes the term, ``bound($this)``
    is true, and a SELECT that returns $this returns the term under that name
    (a subquery's under a name of its own, so that the outer query may return it).
    Oxigraph's own substitution (SEP-0007) joins the value from outside, which
    gives no result where SHACL's pre-binding gives one (BIND($this AS ?x); a
    FILTER on $this in an inner group: the W3C pre-binding tests 003-005)."""
    hidden: list[str] = []

    def hide(text: str) -> str:
        hidden.append(text)
        return f"\x00{len(hidden) - 1}\x00"

    text = _OPAQUE.sub(lambda m: hide(m.group(0)), query)
    names = "|".join(re.escape(v) for v in values)
    var = re.compile(r"[?$](" + names + r")\b")
    text = re.sub(r"\bbound\s*\(\s*[?$](?:" + names + r")\s*\)", "(true)", text, flags=re.I)
    count = 0

    def projection(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        suffix = "" if count == 1 else f"_pkg{count}"
        inner = var.sub(lambda v: hide(f"({values[v.group(1)]} AS ?{v.group(1)}{suffix})"), m.group(1))
        return m.group(0)[:m.start(1) - m.start(0)] + inner

    text = _SELECT.sub(projection, text)
    text = var.sub(lambda v: values[v.group(1)], text)
    while "\x00" in text:
        text = re.sub("\x00(\\d+)\x00", lambda m: hidden[int(m.group(1))], text)
    return text


def term_text(t: Node) -> str:
    """An IRI or a literal as SPARQL text; a blank node cannot be one."""
    if isinstance(t, (URIRef, Literal)):
        return t.n3()
    raise PreBindingError(f"the native engine cannot pre-bind the blank node {t.n3()} in a SPARQL query; "
                          "validate with --engine pyshacl or auto")


@dataclass
class SparqlConstraint:
    """One sh:sparql value of a shape, ready to run."""

    node: Node  # the constraint (sh:sourceConstraint)
    query: str  # with $PATH replaced
    prefixes: dict[str, str]
    messages: tuple[Literal, ...]  # the constraint's sh:message, else the shape's
    shape: Node  # $currentShape
    uses: tuple[str, ...]  # the pre-bound variables the query uses

    @classmethod
    def read(cls, g: Graph, shape: Node, constraint: Node) -> SparqlConstraint:
        query = str(g.value(constraint, SH.select))
        path = g.value(shape, SH.path)
        if path is not None:
            query = _PATH.sub(lambda _m: path_text(g, path), query)
        own = tuple(m for m in g.objects(constraint, SH.message) if isinstance(m, Literal))
        messages = own or tuple(m for m in g.objects(shape, SH.message) if isinstance(m, Literal))
        used = set(_VAR.findall(visible(query)))
        uses = tuple(v for v in _PRE_BOUND if v in used)
        return cls(constraint, query, prefixes(g, constraint), messages, shape, uses)

    def check(self) -> tuple[bool, str] | None:
        """(invalid SHACL?, why) when Oxigraph cannot run the query, as written or
        pre-bound (None: it can): each is run once on an empty store."""
        store = ox.Store()
        try:
            list(store.query(self.query, prefixes=self.prefixes))
        except SyntaxError as exc:
            return True, f"its SPARQL query does not parse ({str(exc).splitlines()[0][:200]})"
        if "currentShape" in self.uses and isinstance(self.shape, BNode):
            return False, "$currentShape in a SPARQL query of a blank-node shape"
        try:
            list(store.query(self._bound(URIRef("urn:policykg:check")), prefixes=self.prefixes))
        except SyntaxError as exc:
            return False, f"a use of $this that the native engine cannot pre-bind ({str(exc).splitlines()[0][:200]})"
        return None

    def _bound(self, focus: Node) -> str:
        values = {"this": term_text(focus)}
        if "currentShape" in self.uses:
            values["currentShape"] = term_text(self.shape)
        return prebind(self.query, values)

    def solutions(self, data: OxData, focus: Node) -> list[dict[str, Node]]:
        """The solutions for ``focus``, each a {variable: term} of its bound variables,
        without duplicates (a result is a set member)."""
        sols = data.store.query(self._bound(focus), prefixes=self.prefixes)
        names = [v.value for v in sols.variables]
        rows: dict[frozenset[tuple[str, Node]], dict[str, Node]] = {}
        for sol in sols:
            row = {n: data.terms.from_ox(t) for n in names if (t := sol[n]) is not None}
            rows.setdefault(frozenset(row.items()), row)
        return list(rows.values())


def message(template: Literal, row: dict[str, Node]) -> Literal:
    """sh:message with {?var} and {$var} replaced by the solution's values (as text)."""
    text = re.sub(r"\{[?$](\w+)\}", lambda m: str(row[m.group(1)]) if m.group(1) in row else m.group(0),
                  str(template))
    return Literal(text, lang=template.language) if template.language else Literal(text)


class _Terms:
    """rdflib <-> Oxigraph terms. Terms of the data map back to themselves, so a
    value in a result is the data's own term (a literal as written, a blank node)."""

    def __init__(self) -> None:
        self.back: dict[object, Node] = {}
        self.bnodes: dict[Node, ox.BlankNode] = {}

    def to_ox(self, t: Node) -> object:
        if isinstance(t, URIRef):
            o: object = ox.NamedNode(str(t))
        elif isinstance(t, BNode):
            o = self.bnodes.get(t)
            if o is None:
                o = self.bnodes[t] = ox.BlankNode()  # rdflib's labels are not always valid ones
        elif isinstance(t, Literal):
            if t.language:
                o = ox.Literal(str(t), language=t.language)
            elif t.datatype is not None:
                o = ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
            else:
                o = ox.Literal(str(t))
        else:
            raise TypeError(f"not an RDF term: {t!r}")
        self.back.setdefault(o, t)
        return o

    def from_ox(self, o: object) -> Node:
        hit = self.back.get(o)
        if hit is not None:
            return hit
        if isinstance(o, ox.NamedNode):
            return URIRef(o.value)
        if isinstance(o, ox.BlankNode):
            return BNode(o.value)
        assert isinstance(o, ox.Literal)
        if o.language:
            return Literal(o.value, lang=o.language)
        dt = o.datatype.value
        return Literal(o.value) if dt == str(XSD.string) else Literal(o.value, datatype=URIRef(dt))


class OxData:
    """One policy's triples in an in-memory Oxigraph store, for its SPARQL constraints."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.terms = _Terms()
        to = self.terms.to_ox
        self.store = ox.Store()
        self.store.extend(ox.Quad(to(s), to(p), to(o), ox.DefaultGraph()) for s, p, o in triples)  # type: ignore[arg-type]


def constraint_problems(g: Graph, shape: Node, constraint: Node) -> list[tuple[bool, str]]:
    """(invalid?, why) for one sh:sparql value: a plain SPARQLConstraint with one
    sh:select string, whose query SHACL allows and Oxigraph runs."""
    out: list[tuple[bool, str]] = []
    if (constraint, SH.deactivated, Literal(True)) in g:
        return out
    selects = list(g.objects(constraint, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], Literal):
        return [(True, "an sh:sparql constraint needs exactly one sh:select string")]
    out += query_problems(str(selects[0]))
    if not out:
        why = SparqlConstraint.read(g, shape, constraint).check()
        if why:
            out.append(why)
    return out
