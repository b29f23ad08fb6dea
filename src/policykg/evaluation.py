"""Score a graph against gold annotations (schema of ``shared/gold/README.md``).

Per aspect: a gold item is *found* when the graph holds a value in its
``any_of`` (names: a label that normalises to the name or an alias); a
predicted value is *correct* when it matches some gold item. Precision, recall
and F1 per aspect, micro-averaged over policies and aspects. The evidence check
counts handlings without an annotation and annotations whose offsets do not
point at their quote in the policy text.

Values are read the way the graph contract (CONTRACT.md §5) says: every value
of the contract's predicates on the notice and on its handlings, following
blank nodes. Project concepts count as their nearest DPV ancestor.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from policykg.errors import InputError
from policykg.iris import norm_name
from policykg.namespaces import DPV, DPV_SPACES, EU_GDPR, OA, PREFIXES, RECIPIENT_PROPERTIES
from policykg.resources import ontology_dir

CONCEPT_ASPECTS = {
    "purposes": [DPV.hasPurpose],
    "personal_data": [DPV.hasPersonalData],
    "data_subjects": [DPV.hasDataSubject],
    "rights": [DPV.hasRight],
    "measures": [DPV.hasTechnicalOrganisationalMeasure, DPV.hasTechnicalMeasure,
                 DPV.hasOrganisationalMeasure],
    "locations": [DPV.hasLocation, DPV.hasCountry],
}
RECIPIENT_PROPS = {*RECIPIENT_PROPERTIES, DPV.hasDataImporter, DPV.hasRecipientDataController}
SAFEGUARD_ROOTS = {DPV.DataTransferLegalBasis, EU_GDPR.DataTransferTool, EU_GDPR.StandardContractualClauses}
ASPECTS = ["purposes", "personal_data", "data_subjects", "legal_bases", "rights", "measures",
           "locations", "safeguards", "controllers", "recipients", "retention"]


def expand(curie: str) -> URIRef:
    pre, _, local = curie.partition(":")
    if pre not in PREFIXES:
        raise ValueError(f"unknown prefix in {curie}")
    return URIRef(str(PREFIXES[pre]) + local)


def duration_key(lex: object) -> tuple[int, float] | None:
    """(months, days) so that P1Y == P12M and P2W == P14D."""
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?",
                     str(lex).strip())
    if not m:
        return None
    y, mo, w, d, h, mi, s = (int(x) if x else 0 for x in m.groups())
    return (y * 12 + mo, round(w * 7 + d + (h * 3600 + mi * 60 + s) / 86400, 3))


class Hierarchy:
    """rdfs:subClassOf over the bundled ontology (DPV terms and project terms) and the graph."""

    def __init__(self, *graphs: Graph) -> None:
        self.up: dict[URIRef, set[URIRef]] = defaultdict(set)
        for g in graphs:
            for s, o in g.subject_objects(RDFS.subClassOf):
                if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o:
                    self.up[s].add(o)

    def ancestors(self, c: URIRef) -> set[URIRef]:
        seen: set[URIRef] = set()
        todo = [c]
        while todo:
            for y in self.up.get(todo.pop(), ()):
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        return seen

    def to_dpv(self, c: URIRef) -> set[URIRef]:
        if str(c).startswith(DPV_SPACES):
            return {c}
        frontier, seen = [c], {c}
        while frontier:
            found = {y for x in frontier for y in self.up.get(x, ()) if str(y).startswith(DPV_SPACES)}
            if found:
                return found
            frontier = [y for x in frontier for y in self.up.get(x, ()) if y not in seen]
            seen.update(frontier)
        return {c}


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    pred: int = 0
    correct: int = 0

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.found += other.found
        self.pred += other.pred
        self.correct += other.correct

    @property
    def precision(self) -> float:
        return self.correct / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


@dataclass
class Evaluation:
    aspects: dict[str, Score] = field(default_factory=lambda: {a: Score() for a in ASPECTS})
    per_policy: dict[str, dict[str, Score]] = field(default_factory=dict)
    scalars: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    evidence: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    missing: list[str] = field(default_factory=list)

    @property
    def total(self) -> Score:
        t = Score()
        for s in self.aspects.values():
            t.add(s)
        return t

    def to_table(self) -> str:
        lines = [f"{'aspect':15} {'gold':>5} {'found':>5} {'pred':>5} {'corr':>5}     P     R    F1"]
        for a, s in self.aspects.items():
            lines.append(f"{a:15} {s.gold:5} {s.found:5} {s.pred:5} {s.correct:5}  {s.precision:.2f}  "
                         f"{s.recall:.2f}  {s.f1:.2f}")
        for k, (ok, n) in self.scalars.items():
            lines.append(f"{k:15} {ok}/{n} right")
        if self.missing:
            lines.append("no notice for: " + ", ".join(self.missing))
        t, e = self.total, self.evidence
        lines.append(f"micro-F1 {t.f1:.3f} (P {t.precision:.3f}, R {t.recall:.3f}) over "
                     f"{len(self.per_policy)} policies; evidence {e['with_evidence']}/{e['handlings']} "
                     f"handlings, {e['bad']}/{e['checked']} spans wrong")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        t = self.total

        def sc(s: Score) -> dict[str, float]:
            return {"gold": s.gold, "found": s.found, "pred": s.pred, "correct": s.correct,
                    "precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)}

        return json.dumps({
            "micro_f1": round(t.f1, 4), "precision": round(t.precision, 4), "recall": round(t.recall, 4),
            "aspects": {a: sc(s) for a, s in self.aspects.items()},
            "per_policy": {p: {a: sc(s) for a, s in asp.items()} for p, asp in self.per_policy.items()},
            "scalars": {k: f"{ok}/{n}" for k, (ok, n) in self.scalars.items()},
            "evidence": dict(self.evidence), "missing": self.missing}, indent=1)


def _closure(g: Graph, subjects: list) -> list[tuple]:  # type: ignore[type-arg]
    out, seen, todo = [], set(), list(subjects)
    while todo:
        s = todo.pop()
        if s in seen:
            continue
        seen.add(s)
        for p, o in g.predicate_objects(s):
            out.append((s, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return out


def _labels(g: Graph, node: object) -> set[str]:
    return {n for n in (norm_name(str(x)) for x in g.objects(node, RDFS.label)) if n}


def graph_values(g: Graph, doc: URIRef, hier: Hierarchy) -> dict[str, set]:  # type: ignore[type-arg]
    handlings = set(g.subjects(DPV.hasNotice, doc))
    triples = _closure(g, [doc, *handlings])
    vals: dict[str, set] = defaultdict(set)  # type: ignore[type-arg]
    for aspect, props in CONCEPT_ASPECTS.items():
        vals[aspect] = set().union(*[hier.to_dpv(o) for _, p, o in triples
                                     if p in props and isinstance(o, URIRef) and o != doc] or [set()])
    for _, p, o in triples:
        if p == DPV.hasLegalBasis and isinstance(o, URIRef):
            for c in hier.to_dpv(o):
                target = "safeguards" if (hier.ancestors(c) | {c}) & SAFEGUARD_ROOTS else "legal_bases"
                vals[target].add(c)
        elif p in (DPV.hasDataController, DPV.hasJointDataControllers):
            vals["controllers"] |= _labels(g, o)
        elif p in RECIPIENT_PROPS and (o, RDF.type, DPV.Organisation) in g:
            vals["recipients"] |= _labels(g, o)
        elif p == DPV.hasAuthority:
            vals["authority"] |= _labels(g, o)
        elif p == RDF.value and isinstance(o, Literal):
            d = duration_key(o)
            if d is not None:
                vals["retention"].add(d)
    vals["transfer"] = {s for s, p, o in triples if (p == DPV.hasProcessing and o == DPV.Transfer)
                        or p == DPV.hasThirdCountry}
    vals["_handlings"] = handlings
    return vals


def _set_score(items: list[set], preds: set, match) -> Score:  # type: ignore[no-untyped-def, type-arg]
    return Score(len(items), sum(1 for it in items if any(match(p, it) for p in preds)),
                 len(preds), sum(1 for p in preds if any(match(p, it) for it in items)))


def load_gold(folder: str | Path) -> dict[str, dict]:  # type: ignore[type-arg]
    d = Path(folder)
    if not d.is_dir():
        raise InputError("gold folder not found", str(folder))
    out = {}
    for f in sorted(d.glob("*.yaml")):
        try:
            out[f.stem] = yaml.safe_load(f.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise InputError(f"is not valid YAML ({exc})", str(f)) from None
    if not out:
        raise InputError("contains no gold annotations (*.yaml)", str(folder))
    return out


def evaluate(g: Graph, gold: dict[str, dict], texts: str | Path | None = None) -> Evaluation:  # type: ignore[type-arg]
    onto = Graph()
    for f in (ontology_dir() / "dpv-terms.ttl", ontology_dir() / "policykg.ttl"):
        onto.parse(f, format="turtle")
    hier = Hierarchy(onto, g)
    ev = Evaluation()
    for slug, gd in gold.items():
        doc = next((d for d in g.subjects(DCTERMS.identifier, Literal(slug))
                    if (d, RDF.type, DPV.PrivacyNotice) in g), None)
        if doc is None:
            ev.missing.append(slug)
            for a in ASPECTS:
                ev.aspects[a].gold += len(_gold_items(gd, a))
            continue
        v = graph_values(g, doc, hier)
        rows: dict[str, Score] = {}
        for a in ASPECTS:
            items = _gold_items(gd, a)
            preds = v[a]
            if a == "recipients":  # a controller named among recipients is not scored as one
                ctrl = set().union(*_gold_items(gd, "controllers") or [set()])
                preds = {p for p in preds if p not in ctrl}
            rows[a] = _set_score(items, preds, lambda p, s: p in s)
            ev.aspects[a].add(rows[a])
        ev.per_policy[slug] = rows
        tct = gd.get("third_country_transfer") or {}
        _scalar(ev, "transfer_stated", bool(tct.get("stated")) == bool(v["transfer"]))
        if gd.get("authority"):
            _scalar(ev, "authority", bool(_names(gd["authority"]) & v["authority"]))
        if gd.get("last_updated"):
            got = {str(o)[:10] for o in g.objects(doc, DCTERMS.modified)}
            _scalar(ev, "last_updated", str(gd["last_updated"]) in got)
        langs = {str(o).lower() for o in g.objects(doc, DCTERMS.language)}
        _scalar(ev, "language", gd.get("language") in langs)
        _evidence(ev, g, doc, slug, v["_handlings"], texts)
    return ev


def _scalar(ev: Evaluation, key: str, ok: bool) -> None:
    ev.scalars[key][0] += int(ok)
    ev.scalars[key][1] += 1


def _names(item: dict) -> set[str]:  # type: ignore[type-arg]
    return {n for n in [norm_name(item["name"]), *map(norm_name, item.get("aliases") or [])] if n}


def _gold_items(gd: dict, aspect: str) -> list[set]:  # type: ignore[type-arg]
    if aspect in ("controllers", "recipients"):
        return [_names(x) for x in gd.get(aspect) or []]
    if aspect == "retention":
        return [{duration_key(r["duration"])} for r in gd.get("retention") or [] if r.get("duration")]
    if aspect == "safeguards":
        raw = (gd.get("third_country_transfer") or {}).get("safeguards") or []
    else:
        raw = gd.get(aspect) or []
    return [s for s in ({expand(c) for c in it.get("any_of") or []} for it in raw) if s]


def _evidence(ev: Evaluation, g: Graph, doc: URIRef, slug: str, handlings: set,  # type: ignore[type-arg]
              texts: str | Path | None) -> None:
    text = None
    if texts:
        from policykg.reading import SUFFIXES, read_source

        for p in sorted(Path(texts).glob(f"{slug}.*")):
            if p.suffix.lower() in SUFFIXES:
                text = read_source(p).text
                break
    ev.evidence["handlings"] += len(handlings)
    for h in handlings:
        anns = list(g.subjects(OA.hasBody, h))
        ev.evidence["with_evidence"] += bool(anns)
        for a in anns:
            for t in g.objects(a, OA.hasTarget):
                start = end = exact = None
                for sel in g.objects(t, OA.hasSelector):
                    if (sel, RDF.type, OA.TextPositionSelector) in g:
                        start, end = g.value(sel, OA.start), g.value(sel, OA.end)
                    if (sel, RDF.type, OA.TextQuoteSelector) in g:
                        exact = g.value(sel, OA.exact)
                if text is not None and start is not None and exact is not None:
                    ev.evidence["checked"] += 1
                    ev.evidence["bad"] += text[int(start):int(end)] != str(exact)
