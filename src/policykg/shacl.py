"""A compiled SHACL Core engine for the bulk path: one policy in about a millisecond.

pyshacl is the reference engine, and at ~0.5 s per policy it would take CPU-hours
on 100,000 policies (RDF-STACK.md): most of that is generic machinery paid per
focus node. This module compiles the shapes graph once into plain Python
checks over an index of one policy's triples. It implements exactly the SHACL
Core features the bundled shapes use — targets by class, property shapes with
predicate, inverse, sequence and alternative paths, and the constraints
minCount, maxCount, datatype, nodeKind, pattern, class, hasValue, in, not,
or, and, node, qualifiedValueShape/qualifiedMin/MaxCount, min/maxInclusive and
min/maxExclusive — and refuses any other feature with a clear error (use the
pyshacl engine for such shapes). ``tests/test_shacl.py`` checks that its
reports equal pyshacl's on every shape example and on the bundled policies.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from policykg.errors import PolicyKGError

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_SUPPORTED = {SH.path, SH.property, SH.targetClass, SH.severity, SH.message, SH.minCount, SH.maxCount,
              SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH["class"], SH.hasValue, SH["in"],
              SH["not"], SH["or"], SH["and"], SH.node, SH.qualifiedValueShape, SH.qualifiedMinCount,
              SH.qualifiedMaxCount, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
              SH.deactivated, SH.name, SH.description, SH.order, SH.group}
_IGNORED_NS = ("http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


class UnsupportedShapes(PolicyKGError):
    """The shapes use a SHACL feature this engine does not implement."""


@dataclass(frozen=True)
class RawResult:
    """One top-level validation result, in pyshacl's terms."""

    severity: str
    focus: Node
    path: Node | None
    value: Node | None
    shape: Node
    component: URIRef
    messages: tuple[Literal, ...]


_TYPE, _SUBCLASS = RDF.type, RDFS.subClassOf  # a Namespace attribute is a function call each time


class Index:
    """One graph's triples indexed both ways, and its class hierarchy.

    The triples must be distinct (a graph is a set): path evaluation relies on it
    and does not de-duplicate the nodes one step reaches."""

    __slots__ = ("out", "inc", "supers")

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
        self.supers: dict[Node, set[Node]] = {}
        for c in list(sub):
            seen, stack = {c}, [c]
            while stack:
                for d in sub.get(stack.pop(), ()):
                    if d not in seen:
                        seen.add(d)
                        stack.append(d)
            self.supers[c] = seen

    def objects(self, s: Node, p: Node) -> list[Node]:
        d = self.out.get(s)
        return d.get(p, []) if d else []

    def subjects(self, p: Node, o: Node) -> list[Node]:
        d = self.inc.get(o)
        return d.get(p, []) if d else []

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


Path = Callable[[Index, Node], list[Node]]


@dataclass
class Shape:
    node: Node
    severity: str
    messages: tuple[Literal, ...]
    path: Node | None = None
    eval_path: Path | None = None
    targets: list[Node] = field(default_factory=list)
    # each check: (component IRI, function(index, focus, values) -> [(value or None)] of failures)
    checks: list[tuple[URIRef, Callable[[Index, Node, list[Node]], list[Node | None]]]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)


class CompiledShapes:
    """A shapes graph compiled to Python checks."""

    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self._cache: dict[Node, Shape] = {}
        roots = set(shapes.subjects(SH.targetClass, None))
        self.roots = [self._shape(r) for r in sorted(roots, key=str)]

    # --- compiling ---------------------------------------------------------------

    def _shape(self, node: Node) -> Shape:
        hit = self._cache.get(node)
        if hit is not None:
            return hit
        g = self.g
        for p in set(g.predicates(node)):
            if p not in _SUPPORTED and not str(p).startswith(_IGNORED_NS) and not str(p).startswith(
                    "https://w3id.org/policykg") and str(p) != str(RDF.type):
                if str(p).startswith(str(SH)):
                    raise UnsupportedShapes(f"shape {node} uses {p}, which the native engine does not "
                                            "implement; validate with --engine pyshacl")
        sev = _SEVERITY.get(g.value(node, SH.severity), "Violation")  # type: ignore[arg-type]
        msgs = tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal))
        shape = Shape(node, sev, msgs)
        self._cache[node] = shape
        path = g.value(node, SH.path)
        if path is not None:
            shape.path = path
            shape.eval_path = self._path(path)
        shape.targets = list(g.objects(node, SH.targetClass))
        if g.value(node, SH.deactivated) == Literal(True):
            shape.checks = []
            return shape
        self._constraints(node, shape)
        for prop in g.objects(node, SH.property):
            shape.properties.append(self._shape(prop))
        return shape

    def _path(self, p: Node) -> Path:
        g = self.g
        if isinstance(p, URIRef):
            return lambda idx, n: idx.objects(n, p)
        inv = g.value(p, SH.inversePath)
        if inv is not None:
            if not isinstance(inv, URIRef):
                raise UnsupportedShapes("only IRIs can be inverted in sh:inversePath")
            return lambda idx, n: idx.subjects(inv, n)
        alt = g.value(p, SH.alternativePath)
        if alt is not None:
            parts = [self._path(x) for x in Collection(g, alt)]
            return lambda idx, n: list(dict.fromkeys(v for f in parts for v in f(idx, n)))
        if g.value(p, RDF.first) is not None:
            steps = [self._path(x) for x in Collection(g, p)]

            def seq(idx: Index, n: Node) -> list[Node]:
                nodes = [n]
                for step in steps:
                    nodes = list(dict.fromkeys(v for m in nodes for v in step(idx, m)))
                return nodes
            return seq
        raise UnsupportedShapes(f"path {p} is not supported by the native engine (zeroOrMore, oneOrMore "
                                "and zeroOrOne paths are not); validate with --engine pyshacl")

    def _constraints(self, node: Node, shape: Shape) -> None:
        g = self.g
        add = shape.checks.append
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
        for cls in g.objects(node, SH["class"]):
            add((SH.ClassConstraintComponent,
                 lambda idx, f, vs, cls=cls: [v for v in vs if isinstance(v, Literal) or not idx.is_instance(v, cls)]))
        for hv in g.objects(node, SH.hasValue):
            add((SH.HasValueConstraintComponent, lambda idx, f, vs, hv=hv: [] if hv in vs else [None]))
        for lst in g.objects(node, SH["in"]):
            allowed = set(Collection(g, lst))
            add((SH.InConstraintComponent, lambda idx, f, vs, a=allowed: [v for v in vs if v not in a]))
        for other in g.objects(node, SH["not"]):
            add((SH.NotConstraintComponent,
                 lambda idx, f, vs, s=other: [v for v in vs if self.conforms(idx, v, self._shape(s))]))
        for lst in g.objects(node, SH["or"]):
            members = list(Collection(g, lst))
            add((SH.OrConstraintComponent,
                 lambda idx, f, vs, ms=members: [v for v in vs
                                                 if not any(self.conforms(idx, v, self._shape(m)) for m in ms)]))
        for lst in g.objects(node, SH["and"]):
            members = list(Collection(g, lst))
            add((SH.AndConstraintComponent,
                 lambda idx, f, vs, ms=members: [v for v in vs
                                                 if not all(self.conforms(idx, v, self._shape(m)) for m in ms)]))
        for other in g.objects(node, SH.node):
            add((SH.NodeConstraintComponent,
                 lambda idx, f, vs, s=other: [v for v in vs if not self.conforms(idx, v, self._shape(s))]))
        qshape = g.value(node, SH.qualifiedValueShape)
        if qshape is not None:
            qmin, qmax = g.value(node, SH.qualifiedMinCount), g.value(node, SH.qualifiedMaxCount)

            def qcount(idx: Index, vs: list[Node], q: Node = qshape) -> int:
                return sum(1 for v in vs if self.conforms(idx, v, self._shape(q)))
            if qmin is not None:
                add((SH.QualifiedMinCountConstraintComponent,
                     lambda idx, f, vs, k=int(qmin): [None] if qcount(idx, vs) < k else []))
            if qmax is not None:
                add((SH.QualifiedMaxCountConstraintComponent,
                     lambda idx, f, vs, k=int(qmax): [None] if qcount(idx, vs) > k else []))
        for prop, comp, cmp in ((SH.minInclusive, SH.MinInclusiveConstraintComponent, lambda a, b: a >= b),
                                (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, lambda a, b: a <= b),
                                (SH.minExclusive, SH.MinExclusiveConstraintComponent, lambda a, b: a > b),
                                (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, lambda a, b: a < b)):
            for bound in g.objects(node, prop):
                add((comp, lambda idx, f, vs, b=bound, c=cmp: [v for v in vs if not _compare(v, b, c)]))

    # --- validating --------------------------------------------------------------

    def _value_nodes(self, idx: Index, shape: Shape, focus: Node) -> list[Node]:
        # every path function returns distinct nodes: the index holds a set of
        # triples (a graph, or one named graph of the store), so a predicate or
        # inverse step cannot repeat a node, and alternatives and sequences
        # de-duplicate their own results
        if shape.eval_path is None:
            return [focus]
        return shape.eval_path(idx, focus)

    def _evaluate(self, idx: Index, shape: Shape, focus: Node, out: list[RawResult] | None) -> bool:
        """Check ``focus`` against ``shape``; append top-level results to ``out`` (if
        given). Returns whether it conforms."""
        values = self._value_nodes(idx, shape, focus)
        ok = True
        for component, check in shape.checks:
            for v in check(idx, focus, values):
                ok = False
                if out is None:
                    return False
                if shape.eval_path is None and v is None:
                    v = focus  # node shapes report the focus node as the value
                out.append(RawResult(shape.severity, focus, shape.path, v, shape.node, component, shape.messages))
        for prop in shape.properties:
            for v in ([focus] if shape.eval_path is None else values):
                if not self._evaluate(idx, prop, v, out):
                    ok = False
                    if out is None:
                        return False
        return ok

    def conforms(self, idx: Index, node: Node, shape: Shape) -> bool:
        return self._evaluate(idx, shape, node, None)

    def validate(self, idx: Index) -> list[RawResult]:
        out: list[RawResult] = []
        for shape in self.roots:
            focus_nodes: dict[Node, None] = {}
            for cls in shape.targets:
                for n in idx.instances(cls):
                    focus_nodes[n] = None
            for f in focus_nodes:
                self._evaluate(idx, shape, f, out)
        return out


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
