"""SHACL validation with pyshacl, and a report people and scripts can read.

Severity threshold (``--fail-on``): ``violation`` corresponds to pySHACL's
``--allow-warnings``, ``warning`` to ``--allow-infos``, and ``info`` to pySHACL's
default. Results are grouped by the policy (notice) they concern.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH

from policykg.errors import InputError
from policykg.namespaces import DPV, OA, PKG
from policykg.resources import shapes_dir

SEVERITIES = {"violation": 3, "warning": 2, "info": 1, "none": 99}
_SEV_NAME = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
class Result:
    severity: str
    notice: str
    focus: str
    path: str | None
    value: str | None
    shape: str
    message: str
    message_sv: str | None


@dataclass
class Report:
    results: list[Result]
    report_graph: Graph

    def counts(self) -> dict[str, int]:
        c = Counter(r.severity for r in self.results)
        return {k: c.get(k, 0) for k in ("Violation", "Warning", "Info")}

    def fails(self, fail_on: str = "violation") -> bool:
        level = SEVERITIES[fail_on]
        return any(SEVERITIES[r.severity.lower()] >= level for r in self.results)

    def summary(self) -> str:
        c = self.counts()
        return f"Violations: {c['Violation']}  Warnings: {c['Warning']}  Info: {c['Info']}"

    def to_text(self, lang: str = "en") -> str:
        if not self.results:
            return "Conforms: no results.\n" + self.summary() + "\n"
        lines: list[str] = []
        by_notice: dict[str, list[Result]] = {}
        for r in self.results:
            by_notice.setdefault(r.notice, []).append(r)
        for notice in sorted(by_notice):
            rs = by_notice[notice]
            c = Counter(r.severity for r in rs)
            lines.append(f"== {notice}: " + ", ".join(f"{n} {k.lower()}" for k, n in c.most_common()))
            for r in sorted(rs, key=lambda r: (-SEVERITIES[r.severity.lower()], r.shape, r.focus)):
                msg = r.message_sv if lang == "sv" and r.message_sv else r.message
                where = f" {r.path}" if r.path else ""
                lines.append(f"  {r.severity:9} {r.shape.rsplit('#', 1)[-1]}: {msg}")
                lines.append(f"            focus {r.focus}{where}" + (f" = {r.value}" if r.value else ""))
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps({"conforms": not self.results, "counts": self.counts(),
                           "results": [asdict(r) for r in self.results]}, indent=2, ensure_ascii=False)


def load_shapes(paths: list[str] | None = None) -> Graph:
    """The shapes graph: the given files/folders, or every bundled shape file."""
    g = Graph()
    sources = [Path(p) for p in paths] if paths else [shapes_dir()]
    for src in sources:
        files = sorted(src.glob("*.ttl")) if src.is_dir() else [src]
        if not files:
            raise InputError("contains no shape files (*.ttl)", str(src))
        for f in files:
            if not f.exists():
                raise InputError("no such shapes file", str(f))
            try:
                g.parse(f, format="turtle")
            except Exception as exc:
                raise InputError(f"is not valid Turtle ({str(exc).splitlines()[0][:200]})", str(f)) from None
    return g


def validate(data: Graph, shapes: Graph | None = None) -> Report:
    """Validate ``data`` against ``shapes`` (default: the bundled shapes)."""
    shapes = shapes if shapes is not None else load_shapes()
    _, report_graph, _ = shacl_validate(data, shacl_graph=shapes, inference="none",
                                        allow_warnings=True, allow_infos=True, abort_on_first=False)
    results = []
    # top-level results only: nested ones (sh:detail, from sh:node) explain a result, they are not results
    top = {r for rep in report_graph.subjects(RDF.type, SH.ValidationReport) for r in report_graph.objects(rep, SH.result)}
    for node in top:
        sev = _SEV_NAME.get(report_graph.value(node, SH.resultSeverity), "Violation")
        focus = report_graph.value(node, SH.focusNode)
        path = report_graph.value(node, SH.resultPath)
        value = report_graph.value(node, SH.value)
        shape = report_graph.value(node, SH.sourceShape)
        msgs = {(m.language or "en"): str(m) for m in report_graph.objects(node, SH.resultMessage)
                if isinstance(m, Literal)}
        results.append(Result(sev, _notice_of(data, focus), _show(focus), _show(path) if path else None,
                              _show(value) if value is not None else None, _show(shape),
                              msgs.get("en") or next(iter(msgs.values()), ""), msgs.get("sv")))
    results.sort(key=lambda r: (r.notice, -SEVERITIES[r.severity.lower()], r.shape, r.focus))
    return Report(results, report_graph)


def _show(node: object) -> str:
    if isinstance(node, BNode):
        return "_:" + str(node)[:8]
    return str(node)


def _notice_of(g: Graph, focus: object) -> str:
    """The identifier of the policy a focus node belongs to, for grouping."""
    notice = None
    if isinstance(focus, (URIRef, BNode)):
        if (focus, RDF.type, DPV.PrivacyNotice) in g:
            notice = focus
        else:
            notice = g.value(focus, DPV.hasNotice) or g.value(focus, PKG.aboutNotice)
            if notice is None:
                for target in g.objects(focus, OA.hasTarget):
                    notice = g.value(target, OA.hasSource)
            if notice is None:
                for s, _ in g.subject_predicates(focus):
                    notice = g.value(s, DPV.hasNotice) or (
                        s if (s, RDF.type, DPV.PrivacyNotice) in g else None)
                    if notice is not None:
                        break
    if notice is None:
        return "(not tied to one policy)"
    ident = g.value(notice, DCTERMS.identifier)
    return str(ident) if ident is not None else str(notice)
