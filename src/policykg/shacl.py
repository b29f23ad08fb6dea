"""A compiled SHACL Core engine for the bulk path: one policy in about a millisecond.

pyshacl is the reference engine, and at ~0.5 s per policy it would take CPU-hours
on 100,000 policies (RDF-STACK.md): most of that is generic machinery paid per
focus node. This module compiles the shapes graph once into plain Python
checks over an index of one policy's triples.

It is never silently wrong: :func:`refusals` reads the shapes graph before
anything is compiled and names every shape that uses a feature the engine does
not implement (SHACL-SPARQL, SPARQL-based constraint components, SPARQL
targets, recursive shapes, ill-formed paths, any ``sh:`` parameter it does not
know); :class:`CompiledShapes` refuses such a graph with :class:`UnsupportedShapes`
and the caller validates with pyshacl instead (``--engine auto``). What it does
implement — every target type including implicit class targets, every SHACL
Core path and every SHACL Core constraint component — is checked against the
W3C SHACL test suite (``tests/test_w3c_shacl.py``) and against pyshacl on the
bundled shapes (``tests/test_shacl.py``). Deactivated shapes are skipped, as
the spec says, whatever they use.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from policykg.errors import PolicyKGError
from policykg.shacl_sparql import OxData, SparqlConstraint, constraint_problems, message

_TRUE = Literal(True)

# shape parameters: what the engine implements, and what it may ignore (no effect on validation)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_CONSTRAINTS = {SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH["class"],
                SH.hasValue, SH["in"], SH["not"], SH["or"], SH["and"], SH.xone, SH.node, SH.qualifiedValueShape,
                SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.minInclusive,
                SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.languageIn,
                SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.closed,
                SH.ignoredProperties}
_SUPPORTED = _CONSTRAINTS | set(_TARGETS) | {
    SH.sparql,  # SPARQL-based constraints (sh:select), evaluated by Oxigraph: see _sparql_problems
    SH.path, SH.property, SH.severity, SH.message, SH.deactivated,
    # non-validating: documentation, forms, report messages
    SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
    # a shape may also be its own sh:sparql constraint, and a prefix holder (W3C sparql-002)
    SH.select, SH.prefixes, SH.declare}
# parameters whose values are shapes (or lists of shapes): the edges of the shapes graph
_SHAPE_REFS = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_PATH_KINDS = (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)


class UnsupportedShapes(PolicyKGError):
    """The shapes use a SHACL feature this engine does not implement (or that no
    engine can evaluate, such as recursion). ``refusals`` names each shape and feature.
    :func:`refusal` raises :class:`InvalidShapes` instead when some shape is not valid SHACL."""

    def __init__(self, refusals: list[Refusal]) -> None:
        self.refusals = refusals
        super().__init__(self._text())

    @property
    def reason(self) -> str:
        """The first shape and feature refused, and how many more: "the shape <x>: sh:sparql"."""
        first, rest = self.refusals[0], len(self.refusals) - 1
        more = (f" (and {rest} more: {', '.join(sorted({r.feature for r in self.refusals[1:]}))})"
                if rest else "")
        return f"the shape {first.shape}: {first.feature}{more}"

    def _text(self) -> str:
        return f"the native SHACL engine cannot validate {self.reason}; validate with --engine pyshacl or auto"

    def locate(self, files: Iterable[Path]) -> UnsupportedShapes:
        """The same refusal with blank-node shapes also found by line in ``files``
        (the shapes files read): a blank node has no name to look up."""
        files = list(files)
        return refusal([r.located(files) for r in self.refusals])


def refusal(refusals: list[Refusal]) -> UnsupportedShapes:
    """The error for ``refusals``: :class:`InvalidShapes` when a shape is not valid
    SHACL (every engine must refuse it: trying pyshacl is no use), else
    :class:`UnsupportedShapes` (pyshacl can validate it)."""
    return (InvalidShapes if any(r.invalid for r in refusals) else UnsupportedShapes)(refusals)


class InvalidShapes(UnsupportedShapes):
    """Some shape is not valid SHACL (a SHACL-SPARQL query with MINUS, VALUES,
    SERVICE, a re-bound $this, a subquery that drops $this, or no parse): a
    conforming processor must fail, so every engine refuses it."""

    @property
    def reason(self) -> str:
        bad = [r for r in self.refusals if r.invalid]
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        return f"the shape {bad[0].shape}: {bad[0].feature}{more}"

    def _text(self) -> str:
        return f"the shapes are not valid SHACL: {self.reason}"


class SparqlFailure(PolicyKGError):
    """A SHACL-SPARQL query reported a failure ($failure true): the spec says the
    validation fails, with no report."""


@dataclass(frozen=True)
class Refusal:
    """One shape the engine cannot validate, and why."""

    shape: str  # how a person finds it: its IRI, its name, or its place
    feature: str  # what it uses, e.g. "sh:closed"
    term: URIRef | None = None  # the parameter to look for in the file (blank-node shapes)
    invalid: bool = False  # not valid SHACL: every engine must refuse it

    def located(self, files: list[Path]) -> Refusal:
        if self.term is None:
            return self
        local = re.split(r"[#/]", str(self.term))[-1]
        rx = re.compile(r"(?:[:#/])" + re.escape(local) + r"\b")
        where = []
        for f in files:
            try:
                lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
            where += [f"{f.name} line {n}" for n, line in enumerate(lines, start=1) if rx.search(line)]
        if not where:
            return self
        shown = ", ".join(where[:3]) + (f" and {len(where) - 3} more" if len(where) > 3 else "")
        return Refusal(f"{self.shape} ({shown})", self.feature, None, self.invalid)


@dataclass(frozen=True)
class RawResult:
    """One top-level validation result, in pyshacl's terms."""

    severity: Node  # sh:Violation, sh:Warning, sh:Info or a custom severity IRI
    focus: Node
    path: Node | None
    value: Node | None
    shape: Node
    component: URIRef
    messages: tuple[Literal, ...]
    constraint: Node | None = None  # sh:sourceConstraint: the sh:sparql value that gave it


_TYPE, _SUBCLASS = RDF.type, RDFS.subClassOf  # a Namespace attribute is a function call each time


class Index:
    """One graph's triples indexed both ways, and its class hierarchy.

    The triples must be distinct (a graph is a set): path evaluation relies on it
    and does not de-duplicate the nodes one step reaches."""

    __slots__ = ("out", "inc", "supers", "_ox")

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        # plain dicts filled by _put: ~2x faster than nested defaultdicts with
        # lambda factories (measured on 200 stored policies), and building the
        # index is paid once per policy validated
        out: dict[Node, dict[Node, list[Node]]] = {}
        inc: dict[Node, dict[Node, list[Node]]] = {}
        sub: dict[Node, set[Node]] = defaultdict(set)
        subclass = {_SUBCLASS}
        for s, p, o in triples:
            _put(out, s, p, o)
            _put(inc, o, p, s)
            if p in subclass:  # a set lookup hashes; URIRef.__eq__ is Python code
                sub[s].add(o)
        self.out, self.inc = out, inc
        self._ox: OxData | None = None
        self.supers: dict[Node, set[Node]] = {}
        for c in list(sub):
            seen, stack = {c}, [c]
            while stack:
                for d in sub.get(stack.pop(), ()):
                    if d not in seen:
                        seen.add(d)
                        stack.append(d)
            self.supers[c] = seen

    def oxigraph(self) -> OxData:
        """The triples in an Oxigraph store, for SHACL-SPARQL (built on first use)."""
        if self._ox is None:
            self._ox = OxData((s, p, o) for s, d in self.out.items() for p, os in d.items() for o in os)
        return self._ox

    def objects(self, s: Node, p: Node) -> list[Node]:
        d = self.out.get(s)
        return d.get(p, []) if d else []

    def subjects(self, p: Node, o: Node) -> list[Node]:
        d = self.inc.get(o)
        return d.get(p, []) if d else []

    def subjects_of(self, p: Node) -> list[Node]:
        """Every subject of a triple with predicate ``p`` (sh:targetSubjectsOf)."""
        return [s for s, d in self.out.items() if p in d]

    def objects_of(self, p: Node) -> list[Node]:
        """Every object of a triple with predicate ``p`` (sh:targetObjectsOf)."""
        return [o for o, d in self.inc.items() if p in d]

    def is_instance(self, node: Node, cls: Node) -> bool:
        """SHACL instance: rdf:type of cls or of one of its subclasses (in the data)."""
        types = self.objects(node, _TYPE)
        if cls in types:
            return True
        return any(cls in self.supers.get(t, ()) for t in types) if self.supers else False

    def instances(self, cls: Node) -> list[Node]:
        classes = {cls} | {c for c, sup in self.supers.items() if cls in sup}
        out: dict[Node, None] = {}
        for c in classes:
            for s in self.subjects(_TYPE, c):
                out[s] = None
        return list(out)


def _put(index: dict[Node, dict[Node, list[Node]]], a: Node, p: Node, b: Node) -> None:
    """index[a][p].append(b), creating the levels on first use."""
    d = index.get(a)
    if d is None:
        index[a] = {p: [b]}
        return
    vals = d.get(p)
    if vals is None:
        d[p] = [b]
    else:
        vals.append(b)


Step = Callable[[Index, Node], list[Node]]
Check = Callable[[Index, Node, list[Node]], list]  # failures: a value node, None (no value) or a _Fail


@dataclass(frozen=True)
class _Fail:
    """A failure reported with its own path (sh:closed: the property not allowed)."""

    path: Node
    value: Node


@dataclass
class Shape:
    node: Node
    severity: Node
    messages: tuple[Literal, ...]
    path: Node | None = None
    eval_path: Step | None = None
    targets: list[Callable[[Index], Iterable[Node]]] = field(default_factory=list)
    # each check: (component IRI, function(index, focus, values) -> failures)
    checks: list[tuple[URIRef, Check]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)


# --- what the engine can validate -------------------------------------------------


def _list(g: Graph, node: Node) -> list[Node] | None:
    """The members of an RDF list, or None when ``node`` is not a well-formed one."""
    out: list[Node] = []
    seen: set[Node] = set()
    while node != RDF.nil:
        if node in seen or not isinstance(node, BNode):
            return None
        seen.add(node)
        firsts, rests = list(g.objects(node, RDF.first)), list(g.objects(node, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1:
            return None
        out.append(firsts[0])
        node = rests[0]
    return out


def _path_problem(g: Graph, p: Node, depth: int = 0) -> str | None:
    """Why ``p`` is not a well-formed SHACL path (None: it is)."""
    if isinstance(p, URIRef):
        return None
    if not isinstance(p, BNode) or depth > 50:
        return f"the path {p.n3()} is not an IRI or a blank node"
    kinds = [k for k in _PATH_KINDS if (p, k, None) in g] + ([RDF.first] if (p, RDF.first, None) in g else [])
    if len(kinds) != 1:
        return ("an ill-formed path (a blank node that is " + " and ".join(_qname(k) for k in kinds) + ")"
                if kinds else "an ill-formed path (a blank node that is no SHACL path)")
    kind = kinds[0]
    if kind == RDF.first or kind == SH.alternativePath:
        members = _list(g, p if kind == RDF.first else g.value(p, kind))  # type: ignore[arg-type]
        if members is None or len(members) < 2:
            return f"an ill-formed path ({'a sequence' if kind == RDF.first else 'sh:alternativePath'} " \
                   "needs a list of two or more paths)"
        return next((why for m in members if (why := _path_problem(g, m, depth + 1))), None)
    values = list(g.objects(p, kind))
    if len(values) != 1:
        return f"an ill-formed path ({_qname(kind)} with {len(values)} values)"
    return _path_problem(g, values[0], depth + 1)


def _qname(term: Node) -> str:
    s = str(term)
    for prefix, ns in (("sh", str(SH)), ("rdf", str(RDF)), ("rdfs", str(RDFS)), ("xsd", str(XSD))):
        if s.startswith(ns):
            return f"{prefix}:{s[len(ns):]}"
    return f"<{s}>"


def describe(g: Graph, node: Node, depth: int = 0) -> str:
    """A shape as a person finds it in the file: its IRI, its sh:name or rdfs:label,
    or (a blank node) its path and the shape it belongs to."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if not isinstance(node, BNode):
        return node.n3()
    for p in (SH.name, RDFS.label):
        name = g.value(node, p)
        if name is not None:
            return f"'{name}' (a blank node)"
    path = g.value(node, SH.path)
    what = "a blank-node property shape" if path is not None else "a blank-node shape"
    if path is not None and isinstance(path, URIRef):
        what += f" with sh:path {_qname(path)}"
    for ref in (*_SHAPE_REFS, *_SHAPE_LISTS):
        parent = g.value(predicate=ref, object=node)
        if parent is None and ref in _SHAPE_LISTS:
            parent = next((s for s, lst in g.subject_objects(ref) if node in (_list(g, lst) or ())), None)
        if parent is not None and depth < 5:
            return f"{what} (the {_qname(ref)} of {describe(g, parent, depth + 1)})"
    return what


def _is_instance_of(g: Graph, node: Node, cls: Node) -> bool:
    """SHACL instance in the shapes graph (rdf:type cls or a subclass of it)."""
    return any(cls in g.transitive_objects(t, RDFS.subClassOf) for t in g.objects(node, RDF.type))


def target_shapes(g: Graph) -> list[Node]:
    """Every shape that has a target, explicit or implicit (a node shape or property
    shape that is also an rdfs:Class), in a stable order."""
    roots: set[Node] = set()
    for p in (*_TARGETS, SH.target):
        roots.update(g.subjects(p, None))
    for s in set(g.subjects(RDF.type, None)):
        if _is_instance_of(g, s, RDFS.Class) and (
                _is_instance_of(g, s, SH.NodeShape) or _is_instance_of(g, s, SH.PropertyShape)):
            roots.add(s)
    return sorted(roots, key=lambda n: (isinstance(n, BNode), str(n)))


def children(g: Graph, node: Node) -> list[tuple[URIRef, Node]]:
    """The shapes a shape refers to, with the parameter that refers to them."""
    out: list[tuple[URIRef, Node]] = [(p, o) for p in _SHAPE_REFS for o in g.objects(node, p)]
    for p in _SHAPE_LISTS:
        for lst in g.objects(node, p):
            out += [(p, m) for m in (_list(g, lst) or ())]
    return out


def deactivated(g: Graph, node: Node) -> bool:
    return (node, SH.deactivated, _TRUE) in g


def refusals(g: Graph) -> list[Refusal]:
    """Every reason the native engine cannot validate with the shapes graph ``g``
    (empty: it can, and its report is the reference report). Only shapes that are
    validated count: those with a target and those they refer to, unless deactivated."""
    params = {pp: cc for cc, param in g.subject_objects(SH.parameter) if (pp := g.value(param, SH.path)) is not None}
    out: list[Refusal] = []
    state: dict[Node, int] = {}  # 1: being visited (on the stack), 2: done

    def visit(node: Node, via: Node | None) -> None:
        if deactivated(g, node):
            return
        if state.get(node) == 1:
            out.append(Refusal(describe(g, node), "recursion: it refers back to itself (through "
                               f"{_qname(via) if via is not None else 'a reference'}); recursive shapes are "
                               "undefined in SHACL"))
            return
        if state.get(node) == 2:
            return
        state[node] = 1
        where = describe(g, node)
        for p in sorted(set(g.predicates(node)), key=str):
            if p in params:
                out.append(Refusal(where, f"the SPARQL-based constraint component {_qname(params[p])} "
                                   f"(parameter {_qname(p)})", p if isinstance(node, BNode) else None))
            elif str(p).startswith(str(SH)) and p not in _SUPPORTED:
                what = {SH.sparql: "sh:sparql (SHACL-SPARQL)", SH.target: "sh:target (a SPARQL-based target)",
                        SH.rule: "sh:rule (SHACL rules)"}.get(p, _qname(p))
                out.append(Refusal(where, what, p if isinstance(node, BNode) else None))
        bad_path = False
        for path in g.objects(node, SH.path):
            why = _path_problem(g, path)
            if why:
                bad_path = True
                out.append(Refusal(where, why, SH.path if isinstance(node, BNode) else None))
        for c in g.objects(node, SH.sparql) if not bad_path else ():
            out.extend(Refusal(where, why, SH.sparql if isinstance(node, BNode) else None, invalid)
                       for invalid, why in constraint_problems(g, node, c))
        out.extend(Refusal(where, why, p if isinstance(node, BNode) else None)
                   for p, why in _value_problems(g, node))
        for via_, child in children(g, node):
            visit(child, via_)
        state[node] = 2

    for root in target_shapes(g):
        visit(root, None)
    return list(dict.fromkeys(out))


def _value_problems(g: Graph, node: Node) -> list[tuple[URIRef, str]]:
    """Parameter values the engine cannot read (a non-integer count, an unknown
    node kind, sh:in without a list, more than one path...)."""
    out: list[tuple[URIRef, str]] = []
    for p in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength, SH.qualifiedMinCount, SH.qualifiedMaxCount):
        for v in g.objects(node, p):
            if not (isinstance(v, Literal) and isinstance(v.toPython(), int) and not isinstance(v.toPython(), bool)):
                out.append((p, f"{_qname(p)} {v.n3()}, which is not an integer"))
    for v in g.objects(node, SH.nodeKind):
        if v not in _NODE_KINDS:
            out.append((SH.nodeKind, f"sh:nodeKind {v.n3()}, which is no SHACL node kind"))
    for p in (SH["in"], SH.languageIn, SH.ignoredProperties, *_SHAPE_LISTS):
        for v in g.objects(node, p):
            if _list(g, v) is None:
                out.append((p, f"{_qname(p)} {v.n3()}, which is not an RDF list"))
    for p in (SH.path, SH.flags, SH.severity, SH.qualifiedValueShape):
        if len(set(g.objects(node, p))) > 1:
            out.append((p, f"{_qname(p)} with more than one value"))
    for pat in g.objects(node, SH.pattern):
        flags = g.value(node, SH.flags)
        if set(str(flags or "")) - set("imsx"):
            out.append((SH.flags, f"sh:flags '{flags}' (only i, m, s and x are implemented)"))
        try:
            re.compile(str(pat))
        except re.error:
            out.append((SH.pattern, f"sh:pattern '{pat}', which Python's regular expressions do not read"))
    for p in (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals):
        for v in g.objects(node, p):
            if not isinstance(v, URIRef):
                out.append((p, f"{_qname(p)} {v.n3()}, which is not an IRI"))
    return out


# --- compiling --------------------------------------------------------------------


class CompiledShapes:
    """A shapes graph compiled to Python checks. Raises :class:`UnsupportedShapes`
    when :func:`refusals` finds anything the engine cannot validate exactly."""

    def __init__(self, shapes: Graph) -> None:
        refused = refusals(shapes)
        if refused:
            raise refusal(refused)
        self.g = shapes
        self._cache: dict[Node, Shape] = {}
        self.roots = [self._shape(r) for r in target_shapes(shapes) if not deactivated(shapes, r)]

    def _shape(self, node: Node) -> Shape:
        hit = self._cache.get(node)
        if hit is not None:
            return hit
        g = self.g
        sev = g.value(node, SH.severity)
        msgs = tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal))
        shape = Shape(node, sev if isinstance(sev, URIRef) else SH.Violation, msgs)
        self._cache[node] = shape
        if deactivated(g, node):  # every node conforms to a deactivated shape
            return shape
        path = g.value(node, SH.path)
        if path is not None:
            shape.path = path
            shape.eval_path = self._path(path)[0]
        shape.targets = self._targets(node)
        self._constraints(node, shape)
        for prop in g.objects(node, SH.property):
            shape.properties.append(self._shape(prop))
        return shape

    def _targets(self, node: Node) -> list[Callable[[Index], Iterable[Node]]]:
        g = self.g
        out: list[Callable[[Index], Iterable[Node]]] = []
        classes = list(g.objects(node, SH.targetClass))
        if _is_instance_of(g, node, RDFS.Class):
            classes.append(node)
        out += [lambda idx, c=c: idx.instances(c) for c in classes]
        out += [lambda idx, n=n: (n,) for n in g.objects(node, SH.targetNode)]
        out += [lambda idx, p=p: idx.subjects_of(p) for p in g.objects(node, SH.targetSubjectsOf)]
        out += [lambda idx, p=p: idx.objects_of(p) for p in g.objects(node, SH.targetObjectsOf)]
        return out

    def _path(self, p: Node) -> tuple[Step, Step]:
        """(forward, backward) evaluation of a well-formed path: backward is what
        sh:inversePath of it needs."""
        g = self.g
        if isinstance(p, URIRef):
            return (lambda idx, n: idx.objects(n, p)), (lambda idx, n: idx.subjects(p, n))
        inner = g.value(p, SH.inversePath)
        if inner is not None:
            fwd, bwd = self._path(inner)
            return bwd, fwd
        alt = g.value(p, SH.alternativePath)
        if alt is not None:
            parts = [self._path(x) for x in Collection(g, alt)]
            return _union([f for f, _ in parts]), _union([b for _, b in parts])
        for kind, start, many in ((SH.zeroOrMorePath, True, True), (SH.oneOrMorePath, False, True),
                                  (SH.zeroOrOnePath, True, False)):
            inner = g.value(p, kind)
            if inner is not None:
                fwd, bwd = self._path(inner)
                return _repeat(fwd, start, many), _repeat(bwd, start, many)
        steps = [self._path(x) for x in Collection(g, p)]
        return _sequence([f for f, _ in steps]), _sequence([b for _, b in reversed(steps)])

    def _constraints(self, node: Node, shape: Shape) -> None:  # noqa: C901 - one branch per component
        g = self.g
        add = shape.checks.append
        conforms = self.conforms
        for n in g.objects(node, SH.minCount):
            k = int(n)
            add((SH.MinCountConstraintComponent, lambda idx, f, vs, k=k: [None] if len(vs) < k else []))
        for n in g.objects(node, SH.maxCount):
            k = int(n)
            add((SH.MaxCountConstraintComponent, lambda idx, f, vs, k=k: [None] if len(vs) > k else []))
        for dt in g.objects(node, SH.datatype):
            add((SH.DatatypeConstraintComponent, lambda idx, f, vs, dt=dt: [v for v in vs if not _has_datatype(v, dt)]))
        for kind in g.objects(node, SH.nodeKind):
            ok = _NODE_KINDS[kind]
            add((SH.NodeKindConstraintComponent, lambda idx, f, vs, ok=ok: [v for v in vs if not ok(v)]))
        for pat in g.objects(node, SH.pattern):
            flags = g.value(node, SH.flags)
            rx = re.compile(str(pat), _re_flags(str(flags) if flags else ""))
            add((SH.PatternConstraintComponent,
                 lambda idx, f, vs, rx=rx: [v for v in vs if isinstance(v, BNode) or not rx.search(str(v))]))
        for p, comp, cmp in ((SH.minLength, SH.MinLengthConstraintComponent, lambda n, k: n >= k),
                             (SH.maxLength, SH.MaxLengthConstraintComponent, lambda n, k: n <= k)):
            for n in g.objects(node, p):
                add((comp, lambda idx, f, vs, k=int(n), c=cmp: [v for v in vs
                                                                 if isinstance(v, BNode) or not c(len(str(v)), k)]))
        for lst in g.objects(node, SH.languageIn):
            ranges = [str(x).lower() for x in Collection(g, lst)]
            add((SH.LanguageInConstraintComponent,
                 lambda idx, f, vs, r=ranges: [v for v in vs if not _lang_in(v, r)]))
        if (node, SH.uniqueLang, _TRUE) in g:
            add((SH.UniqueLangConstraintComponent, lambda idx, f, vs: [None] * _repeated_langs(vs)))
        for cls in g.objects(node, SH["class"]):
            add((SH.ClassConstraintComponent,
                 lambda idx, f, vs, cls=cls: [v for v in vs if isinstance(v, Literal) or not idx.is_instance(v, cls)]))
        for hv in g.objects(node, SH.hasValue):
            add((SH.HasValueConstraintComponent, lambda idx, f, vs, hv=hv: [] if hv in vs else [None]))
        for lst in g.objects(node, SH["in"]):
            allowed = set(Collection(g, lst))
            add((SH.InConstraintComponent, lambda idx, f, vs, a=allowed: [v for v in vs if v not in a]))
        for other in g.objects(node, SH.equals):
            add((SH.EqualsConstraintComponent, lambda idx, f, vs, p=other: _not_equal(vs, idx.objects(f, p))))
        for other in g.objects(node, SH.disjoint):
            add((SH.DisjointConstraintComponent,
                 lambda idx, f, vs, p=other: [v for v in vs if v in idx.objects(f, p)]))
        for prop, comp, cmp in ((SH.lessThan, SH.LessThanConstraintComponent, lambda a, b: a < b),
                                (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, lambda a, b: a <= b)):
            for other in g.objects(node, prop):
                add((comp, lambda idx, f, vs, p=other, c=cmp: [v for v in vs
                                                              if not all(_compare(v, o, c) for o in idx.objects(f, p))]))
        for other in g.objects(node, SH["not"]):
            add((SH.NotConstraintComponent,
                 lambda idx, f, vs, s=other: [v for v in vs if conforms(idx, v, self._shape(s))]))
        for prop, comp, test in ((SH["or"], SH.OrConstraintComponent, lambda n, k: n > 0),
                                 (SH["and"], SH.AndConstraintComponent, lambda n, k: n == k),
                                 (SH.xone, SH.XoneConstraintComponent, lambda n, k: n == 1)):
            for lst in g.objects(node, prop):
                members = list(Collection(g, lst))
                add((comp, lambda idx, f, vs, ms=members, t=test: [
                    v for v in vs if not t(sum(1 for m in ms if conforms(idx, v, self._shape(m))), len(ms))]))
        for other in g.objects(node, SH.node):
            add((SH.NodeConstraintComponent,
                 lambda idx, f, vs, s=other: [v for v in vs if not conforms(idx, v, self._shape(s))]))
        self._qualified(node, shape)
        shape.sparql = [SparqlConstraint.read(g, node, c) for c in g.objects(node, SH.sparql)
                        if (c, SH.deactivated, _TRUE) not in g]
        for prop, comp, cmp in ((SH.minInclusive, SH.MinInclusiveConstraintComponent, lambda a, b: a >= b),
                                (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, lambda a, b: a <= b),
                                (SH.minExclusive, SH.MinExclusiveConstraintComponent, lambda a, b: a > b),
                                (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, lambda a, b: a < b)):
            for bound in g.objects(node, prop):
                add((comp, lambda idx, f, vs, b=bound, c=cmp: [v for v in vs if not _compare(v, b, c)]))
        if (node, SH.closed, _TRUE) in g:
            allowed = {p for prop in g.objects(node, SH.property) if isinstance(p := g.value(prop, SH.path), URIRef)}
            for lst in g.objects(node, SH.ignoredProperties):
                allowed.update(Collection(g, lst))
            add((SH.ClosedConstraintComponent, lambda idx, f, vs, a=frozenset(allowed): [
                _Fail(p, o) for v in vs for p, os in (idx.out.get(v) or {}).items() if p not in a for o in os]))

    def _qualified(self, node: Node, shape: Shape) -> None:
        """sh:qualifiedValueShape with its counts, and the sibling shapes that
        sh:qualifiedValueShapesDisjoint excludes."""
        g = self.g
        qshape = g.value(node, SH.qualifiedValueShape)
        if qshape is None:
            return
        siblings: list[Node] = []
        if (node, SH.qualifiedValueShapesDisjoint, _TRUE) in g:
            for parent in g.subjects(SH.property, node):
                for sib in g.objects(parent, SH.property):
                    siblings += [q for q in g.objects(sib, SH.qualifiedValueShape) if sib != node]
        conforms = self.conforms

        def qcount(idx: Index, vs: list[Node], limit: int) -> int:
            """How many values conform, counted up to ``limit``: whether at least k (or more
            than k) do is known at the k-th (k+1-th) one. A shared value (a DPV concept named
            by the annotations of every policy in a file) need not have all of them checked."""
            q, sibs = self._shape(qshape), [self._shape(s) for s in siblings]
            n = 0
            for v in vs:
                if conforms(idx, v, q) and not any(conforms(idx, v, s) for s in sibs):
                    n += 1
                    if n >= limit:
                        break
            return n
        qmin, qmax = g.value(node, SH.qualifiedMinCount), g.value(node, SH.qualifiedMaxCount)
        if qmin is not None:
            shape.checks.append((SH.QualifiedMinCountConstraintComponent,
                                 lambda idx, f, vs, k=int(qmin): [None] if qcount(idx, vs, k) < k else []))
        if qmax is not None:
            shape.checks.append((SH.QualifiedMaxCountConstraintComponent,
                                 lambda idx, f, vs, k=int(qmax): [None] if qcount(idx, vs, k + 1) > k else []))

    # --- validating ----------------------------------------------------------------

    def _evaluate(self, idx: Index, shape: Shape, focus: Node, out: list[RawResult] | None) -> bool:
        """Check ``focus`` against ``shape``; append top-level results to ``out`` (if
        given). Returns whether it conforms."""
        # every path function returns distinct nodes: the index holds a set of
        # triples (a graph, or one named graph of the store), so a predicate or
        # inverse step cannot repeat a node, and compound paths de-duplicate
        values = [focus] if shape.eval_path is None else shape.eval_path(idx, focus)
        ok = True
        for component, check in shape.checks:
            for v in check(idx, focus, values):
                ok = False
                if out is None:
                    return False
                if isinstance(v, _Fail):
                    out.append(RawResult(shape.severity, focus, v.path, v.value, shape.node, component,
                                         shape.messages))
                else:
                    out.append(RawResult(shape.severity, focus, shape.path, v, shape.node, component,
                                         shape.messages))
        for c in shape.sparql:
            for row in c.solutions(idx.oxigraph(), focus):
                if row.get("failure") == _TRUE:
                    raise SparqlFailure(f"the SPARQL query of the shape {describe(self.g, shape.node)} reported "
                                        f"a failure ($failure true) for the focus node {focus.n3()}")
                ok = False
                if out is None:
                    return False
                out.append(self._sparql_result(shape, c, focus, row))
        for prop in shape.properties:
            for v in values:
                if not self._evaluate(idx, prop, v, out):
                    ok = False
                    if out is None:
                        return False
        return ok

    @staticmethod
    def _sparql_result(shape: Shape, c: SparqlConstraint, focus: Node, row: dict[str, Node]) -> RawResult:
        """One solution of a SPARQL constraint as a result (SHACL 5.3.2, as pyshacl maps it):
        ?path when it is an IRI, else the shape's path; ?value, else (a node shape) the focus node."""
        path = row.get("path")
        path = path if isinstance(path, URIRef) else shape.path
        value = row.get("value", focus if shape.path is None else None)
        bound = dict(row, value=value) if value is not None else row
        return RawResult(shape.severity, row.get("this", focus), path, value, shape.node,
                         SH.SPARQLConstraintComponent, tuple(message(m, bound) for m in c.messages), c.node)

    def conforms(self, idx: Index, node: Node, shape: Shape) -> bool:
        return self._evaluate(idx, shape, node, None)

    def validate(self, idx: Index) -> list[RawResult]:
        out: list[RawResult] = []
        for shape in self.roots:
            focus_nodes: dict[Node, None] = {}
            for target in shape.targets:
                for n in target(idx):
                    focus_nodes[n] = None
            for f in focus_nodes:
                self._evaluate(idx, shape, f, out)
        return out


# --- paths and values ---------------------------------------------------------------


def _union(parts: list[Step]) -> Step:
    return lambda idx, n: list(dict.fromkeys(v for f in parts for v in f(idx, n)))


def _sequence(steps: list[Step]) -> Step:
    def seq(idx: Index, n: Node) -> list[Node]:
        nodes = [n]
        for step in steps:
            nodes = list(dict.fromkeys(v for m in nodes for v in step(idx, m)))
        return nodes
    return seq


def _repeat(step: Step, with_start: bool, many: bool) -> Step:
    """zeroOrMore (start, many), oneOrMore (many) and zeroOrOne (start) of ``step``."""
    def walk(idx: Index, n: Node) -> list[Node]:
        seen: dict[Node, None] = {n: None} if with_start else {}
        frontier = [n]
        while frontier:
            nxt = []
            for m in frontier:
                for v in step(idx, m):
                    if v not in seen:
                        seen[v] = None
                        nxt.append(v)
            frontier = nxt if many else []
        return list(seen)
    return walk


def _re_flags(flags: str) -> int:
    out = 0
    for ch in flags:
        out |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}.get(ch, 0)
    return out


def _has_datatype(v: Node, dt: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    actual = v.datatype or (RDF.langString if v.language else XSD.string)
    if actual != dt:
        return False
    return not getattr(v, "ill_typed", False)


def _lang_in(v: Node, ranges: list[str]) -> bool:
    """SPARQL langMatches of ``v``'s language tag with any of ``ranges``."""
    if not isinstance(v, Literal) or not v.language:
        return False
    tag = v.language.lower()
    return any(r == "*" or tag == r or tag.startswith(r + "-") for r in ranges)


def _repeated_langs(vs: list[Node]) -> int:
    """How many language tags are used by more than one value (sh:uniqueLang)."""
    tags: dict[str, int] = defaultdict(int)
    for v in vs:
        if isinstance(v, Literal) and v.language:
            tags[v.language.lower()] += 1
    return sum(1 for n in tags.values() if n > 1)


def _not_equal(vs: list[Node], others: list[Node]) -> list[Node]:
    """sh:equals: each value missing from the other side, either way."""
    a, b = set(vs), set(others)
    return [v for v in vs if v not in b] + [o for o in others if o not in a]


_NODE_KINDS: dict[Node, Callable[[Node], bool]] = {
    SH.IRI: lambda v: isinstance(v, URIRef),
    SH.BlankNode: lambda v: isinstance(v, BNode),
    SH.Literal: lambda v: isinstance(v, Literal),
    SH.BlankNodeOrIRI: lambda v: isinstance(v, (BNode, URIRef)),
    SH.BlankNodeOrLiteral: lambda v: isinstance(v, (BNode, Literal)),
    SH.IRIOrLiteral: lambda v: isinstance(v, (URIRef, Literal)),
}


def _compare(v: Node, bound: Node, cmp: Callable[[object, object], bool]) -> bool:
    if not isinstance(v, Literal) or not isinstance(bound, Literal):
        return False
    try:
        return bool(cmp(v.toPython(), bound.toPython()))
    except TypeError:
        return False
