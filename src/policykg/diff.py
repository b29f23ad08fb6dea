"""What changed in a policy's practices between two versions, with evidence from each.

A version's graph says what the policy states passage by passage; two versions
cannot be compared passage by passage (a reworded paragraph is another
handling). So each version is read as a set of *facts* of the policy —
normalised, as an analyst reads a policy:

* a named organisation in a role (processor, third party, recipient), by IRI;
* a purpose, personal-data category, data subject, legal basis, right,
  measure, place of processing, data source, recipient category (DPV concepts);
* a transfer outside the EU/EEA by destination (or to an unnamed country),
  with the safeguards stated for it;
* a retention period (its duration, or "as long as necessary");
* the controller, the publisher and the supervisory authority.

The facts of two versions give additions, removals and modifications (the same
fact with other attributes: a transfer's safeguards; and, paired, an
organisation that changed role, the one controller/publisher/authority that was
replaced, a retention period that was changed in the same context). Each comes
with its evidence: the annotations made for that very fact in each version
(``pkg:aboutProperty``/``pkg:aboutValue`` on a handling that holds it, or on the
notice for the controller), never the other sentences of its passage; only a graph
of the model before evidence per fact, kept without its file, falls back to the
sentences of the passages that hold the fact. Evidence of the old version is re-anchored in the new
text (:mod:`policykg.anchoring`), so a removal says whether its passage is
gone or still there (then the wording around it changed what it states).
"""

from __future__ import annotations

import difflib
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC

import pyoxigraph as ox

from policykg import anchoring

DPV = "https://w3id.org/dpv#"
OA = "http://www.w3.org/ns/oa#"
PKG = "https://w3id.org/policykg#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE, LABEL, VALUE = RDF + "type", RDFS + "label", RDF + "value"

RECIPIENT_ROLES = {DPV + "hasDataProcessor": "processor", DPV + "hasRecipientThirdParty": "third party",
                   DPV + "hasRecipient": "recipient"}
CONCEPTS = {DPV + "hasPurpose": "purpose", DPV + "hasPersonalData": "personal data",
            DPV + "hasDataSubject": "data subject", DPV + "hasLegalBasis": "legal basis",
            DPV + "hasRight": "right", DPV + "hasTechnicalOrganisationalMeasure": "measure",
            DPV + "hasLocation": "location", DPV + "hasDataSource": "data source"}
PARTIES = {DPV + "hasDataController": "controller", DCT + "publisher": "publisher",
           DPV + "hasAuthority": "authority"}
TRANSFER, RETENTION = DPV + "hasThirdCountry", DPV + "hasStorageCondition"
ASPECT_ORDER = ["controller", "publisher", "authority", "processor", "third party", "recipient",
                "recipient category", "transfer", "retention", "purpose", "personal data", "data subject",
                "legal basis", "right", "measure", "location", "data source"]
PREFIXES = {"https://w3id.org/dpv#": "dpv:", "https://w3id.org/dpv/pd#": "pd:",
            "https://w3id.org/dpv/legal/eu/gdpr#": "eu-gdpr:", "https://w3id.org/dpv/loc#": "loc:",
            "https://w3id.org/policykg/org/": "org:", "https://w3id.org/policykg#": "pkg:",
            "http://purl.org/dc/terms/": "dct:"}


def curie(iri: str) -> str:
    for ns, pre in PREFIXES.items():
        if iri.startswith(ns):
            return pre + iri[len(ns):]
    return iri


# --- reading a version ------------------------------------------------------------

@dataclass(frozen=True)
class Evidence(anchoring.Anchor):
    """A quoted span of one version's text (and, for the old version, where it is in the new)."""

    placed: anchoring.Placed | None = None


@dataclass
class Fact:
    """One normalised fact of a policy (see the module docstring)."""

    aspect: str
    predicate: str
    value: object | None  # an Oxigraph term (None: a transfer to an unnamed country)
    label: str
    attrs: set[str] = field(default_factory=set)  # safeguards of a transfer
    evidence: list[Evidence] = field(default_factory=list)
    context: set[str] = field(default_factory=set)  # purposes and data of the handlings holding it

    @property
    def key(self) -> tuple[str, str]:
        return self.predicate, value_key(self.value)


def value_key(value: object | None) -> str:
    """A value as facts are compared: a duration by its length, so that "P24M" (as a
    policy wrote it) and "P2Y" (as the store gives it back, canonical) are one value."""
    if value is None:
        return ""
    if isinstance(value, ox.Literal) and value.datatype.value == XSD + "duration":
        m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?",
                         value.value)
        if m:
            y, mo, w, d, h, mi, sec = (int(g) if g else 0 for g in m.groups())
            return f"duration:{y * 12 + mo}:{((w * 7 + d) * 24 + h) * 3600 + mi * 60 + sec}"
    return str(value)


@dataclass
class Version:
    """One version read for comparison: its facts and every annotation's quote."""

    facts: dict[tuple[str, str], Fact]
    anchors: dict[str, Evidence]  # annotation -> its quote
    text: str | None = None
    info: dict[str, object] = field(default_factory=dict)


def parse_ntriples(data: str | bytes) -> list[tuple[object, object, object]]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return [(t.subject, t.predicate, t.object) for t in ox.parse(raw, ox.RdfFormat.N_TRIPLES)]


class _Index:
    """The graph of one version as dictionaries (subject -> predicate -> objects)."""

    def __init__(self, triples: Iterable[tuple[object, object, object]]) -> None:
        self.spo: dict[object, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
        self.by_type: dict[str, list[object]] = defaultdict(list)
        for s, p, o in triples:
            pv = p.value  # type: ignore[attr-defined]
            self.spo[s][pv].append(o)
            if pv == TYPE:
                self.by_type[o.value].append(s)  # type: ignore[attr-defined]

    def objs(self, s: object, p: str) -> list[object]:
        d = self.spo.get(s)
        return d.get(p, []) if d else []

    def one(self, s: object, p: str) -> object | None:
        o = self.objs(s, p)
        return o[0] if o else None

    def types(self, s: object) -> set[str]:
        return {t.value for t in self.objs(s, TYPE)}  # type: ignore[attr-defined]


def _label(ix: _Index, term: object | None) -> str:
    if term is None:
        return "an unnamed country"
    labels = sorted(str(t.value) for t in ix.objs(term, LABEL))  # type: ignore[attr-defined]
    if labels:
        return labels[0]
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    return str(term.value)  # type: ignore[attr-defined]


def read_version(ntriples: str | bytes, text: str | None = None) -> Version:
    """The facts of one version's stated graph (N-Triples), with their evidence.

    ``text`` (the version's plain text) fills the prefix and suffix of quotes whose
    selector has none.
    """
    ix = _Index(parse_ntriples(ntriples))
    notices = ix.by_type.get(DPV + "PrivacyNotice", [])
    notice = notices[0] if notices else None
    handlings = sorted(ix.by_type.get(DPV + "PersonalDataHandling", []), key=str)
    orgs = set(ix.by_type.get(DPV + "Organisation", []))
    targets = _targets(ix, text)
    anns = ix.by_type.get(OA + "Annotation", [])
    per_fact: dict[tuple[str, str], list[tuple[object, Evidence]]] = defaultdict(list)
    about_body: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    by_body: dict[object, list[Evidence]] = defaultdict(list)
    anchors: dict[str, Evidence] = {}
    for a in anns:
        t = ix.one(a, OA + "hasTarget")
        ev = targets.get(t)
        if ev is None:
            continue
        anchors[str(a)] = ev
        bodies = ix.objs(a, OA + "hasBody")
        props = [p.value for p in ix.objs(a, PKG + "aboutProperty")]  # type: ignore[attr-defined]
        values = ix.objs(a, PKG + "aboutValue")
        for b in bodies:
            by_body[b].append(ev)
        for p in props:
            owners = bodies + ([notice] if ix.objs(a, PKG + "aboutNotice") else [])
            for v in values:
                for owner in owners:
                    per_fact[(p, str(v))].append((owner, ev))
            for b in bodies:
                about_body[(p, str(b))].append(ev)

    facts: dict[tuple[str, str], Fact] = {}
    holders: dict[tuple[str, str], list[object]] = defaultdict(list)
    nodes: dict[tuple[str, str], list[object]] = defaultdict(list)  # value nodes (storage conditions)

    def add(aspect: str, p: str, v: object | None, holder: object, node: object | None = None,
            attrs: Iterable[str] = ()) -> None:
        f = Fact(aspect, p, v, _label(ix, v))
        f = facts.setdefault(f.key, f)
        f.attrs.update(attrs)
        holders[f.key].append(holder)
        if node is not None:
            nodes[f.key].append(node)
        if holder in handlings_set:
            for cp in (DPV + "hasPurpose", DPV + "hasPersonalData"):
                f.context.update(str(x) for x in ix.objs(holder, cp))

    handlings_set = set(handlings)
    for h in handlings:
        transfer = any(getattr(x, "value", None) == DPV + "Transfer" for x in ix.objs(h, DPV + "hasProcessing"))
        for p, aspect in CONCEPTS.items():
            if p == DPV + "hasLegalBasis" and transfer:
                continue  # a transfer's legal bases are its safeguards
            for v in ix.objs(h, p):
                add(aspect, p, v, h)
        for p, role in RECIPIENT_ROLES.items():
            for v in ix.objs(h, p):
                add(role if v in orgs else "recipient category", p, v, h)
        for v in ix.objs(h, DPV + "hasDataController"):
            add("controller", DPV + "hasDataController", v, h)
        if transfer:
            safeguards = [str(x.value) for x in ix.objs(h, DPV + "hasLegalBasis")]  # type: ignore[attr-defined]
            for c in ix.objs(h, TRANSFER) or [None]:
                add("transfer", TRANSFER, c, h, attrs=safeguards)
        for cond in ix.objs(h, RETENTION):
            for v in _retention_values(ix, cond):
                add("retention", RETENTION, v, h, node=cond)
    if notice is not None:
        for p, aspect in PARTIES.items():
            for v in ix.objs(notice, p):
                add(aspect, p, v, notice)
        for v in ix.objs(notice, DPV + "hasRight"):
            add("right", DPV + "hasRight", v, notice)

    per_fact_model = bool(per_fact)
    for key, f in facts.items():
        owners = set(holders[key])
        if per_fact_model:
            ev = _fact_evidence(f, owners, nodes[key], per_fact, notice, ix)
        else:
            ev = _passage_evidence(ix, f, owners, handlings_set, about_body, by_body)
        f.evidence = sorted(set(ev), key=lambda e: (e.start, e.end))
    return Version(facts, anchors, text)


def _fact_evidence(f: Fact, owners: set[object], nodes: list[object],
                   per_fact: dict[tuple[str, str], list[tuple[object, Evidence]]], notice: object | None,
                   ix: _Index) -> list[Evidence]:
    """The quotes of the annotations made for this very fact (evidence per fact, CONTRACT
    §4): ``pkg:aboutProperty`` its predicate, ``pkg:aboutValue`` its value (for a retention
    period, the storage-condition node), ``oa:hasBody`` a handling that holds it — or
    ``pkg:aboutNotice`` the notice, where a fact of every handling (the controller) is named
    once for the policy. A transfer also quotes its safeguards and, to an unnamed country, the
    words that state the transfer."""
    def quotes(p: str, values: Iterable[str], holders: set[object]) -> list[Evidence]:
        found = [e for val in values for owner, e in per_fact.get((p, val), []) if owner in holders]
        if not found and notice is not None:
            found = [e for val in values for owner, e in per_fact.get((p, val), []) if owner == notice]
        return found

    values = {"" if f.value is None else str(f.value)} | {str(n) for n in nodes}
    ev = quotes(f.predicate, values, owners)
    if f.aspect == "transfer":
        ev += quotes(DPV + "hasLegalBasis", [f"<{iri}>" for iri in f.attrs], owners)  # as str(NamedNode)
        if f.value is None:
            ev += quotes(DPV + "hasProcessing", [f"<{DPV}Transfer>"], owners)
    return ev


def _passage_evidence(ix: _Index, f: Fact, owners: set[object], handlings: set[object],
                      about_body: dict[tuple[str, str], list[Evidence]],
                      by_body: dict[object, list[Evidence]]) -> list[Evidence]:
    """Evidence in a graph of the model before evidence per fact (a version kept in the store
    whose file is not archived, so it cannot be read again): the annotation naming the value
    for the notice, else the sentences of the passages that hold it — for an organisation,
    those that name it."""
    ev = list(about_body.get((f.predicate, "" if f.value is None else str(f.value)), []))
    if ev:
        return ev
    ev = [e for h in owners if h in handlings for e in by_body.get(h, [])]
    names = [str(t.value).casefold() for t in ix.objs(f.value, LABEL)] if f.value is not None else []
    naming = [e for e in ev if any(n and n in e.exact.casefold() for n in names)]
    return naming or ev


def _retention_values(ix: _Index, cond: object) -> list[object]:
    """A storage condition's durations, else its own class (e.g. as long as necessary)."""
    out = [d for dur in ix.objs(cond, DPV + "hasDuration") for d in ix.objs(dur, VALUE)]
    if out:
        return out
    kinds = [t for t in ix.objs(cond, TYPE) if getattr(t, "value", None) != DPV + "StorageDuration"]
    return kinds or ix.objs(cond, TYPE)[:1]


def _targets(ix: _Index, text: str | None) -> dict[object, Evidence]:
    """Every annotation target -> its quote (position, exact words, prefix and suffix)."""
    out = {}
    for t, preds in ix.spo.items():
        sels = preds.get(OA + "hasSelector")
        if not sels:
            continue
        start = end = exact = None
        prefix = suffix = ""
        for s in sels:
            st = ix.objs(s, OA + "start")
            if st:
                start, end = int(st[0].value), int(ix.objs(s, OA + "end")[0].value)  # type: ignore[attr-defined]
            ex = ix.objs(s, OA + "exact")
            if ex:
                exact = ex[0].value  # type: ignore[attr-defined]
                prefix = next((x.value for x in ix.objs(s, OA + "prefix")), "")  # type: ignore[attr-defined]
                suffix = next((x.value for x in ix.objs(s, OA + "suffix")), "")  # type: ignore[attr-defined]
        if start is None or end is None or exact is None:
            continue
        if text is not None and not (prefix or suffix) and text[start:end] == exact:
            prefix, suffix = anchoring.context(text, start, end)
        out[t] = Evidence(start, end, exact, prefix, suffix)
    return out


# --- comparing ----------------------------------------------------------------------

@dataclass
class Change:
    kind: str  # "added" | "removed" | "changed"
    aspect: str
    predicate: str
    value: object | None
    label: str
    old: list[str] = field(default_factory=list)  # for "changed": what it was (IRIs or lexical forms)
    new: list[str] = field(default_factory=list)
    old_labels: list[str] = field(default_factory=list)
    new_labels: list[str] = field(default_factory=list)
    old_evidence: list[Evidence] = field(default_factory=list)
    new_evidence: list[Evidence] = field(default_factory=list)
    old_days: int | None = None
    new_days: int | None = None

    def sort_key(self) -> tuple[int, int, str]:
        kinds = {"added": 0, "removed": 1, "changed": 2}
        aspect = ASPECT_ORDER.index(self.aspect) if self.aspect in ASPECT_ORDER else len(ASPECT_ORDER)
        return aspect, kinds[self.kind], self.label.casefold()


@dataclass
class Diff:
    """The practices that differ between two versions of one policy."""

    identifier: str
    old: dict[str, object]
    new: dict[str, object]
    changes: list[Change]
    unchanged: int
    anchoring: dict[str, int]
    anchors: list[tuple[str, Evidence, anchoring.Placed]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    versions: tuple[str, str] | None = None  # (old, new) version IRIs in the store

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def days(value: str) -> int | None:
    """Approximate days of an ``xsd:duration``: years 365, months 30, as retention-periods.rq
    counts them, with months carried into years first (the store gives "P24M" back as
    "P2Y": both are 730)."""
    from policykg.remote import duration_days

    return duration_days(value)


def compare(old: Version, new: Version, identifier: str = "", old_info: dict | None = None,  # type: ignore[type-arg]
            new_info: dict | None = None) -> Diff:  # type: ignore[type-arg]
    """The changes from ``old`` to ``new``; old evidence re-anchored in the new text."""
    changes: list[Change] = []
    unchanged = 0
    for key in sorted(set(old.facts) | set(new.facts)):
        a, b = old.facts.get(key), new.facts.get(key)
        if a is not None and b is not None:
            if a.attrs != b.attrs:
                changes.append(Change("changed", b.aspect, b.predicate, b.value, b.label,
                                      sorted(a.attrs), sorted(b.attrs), [curie(x) for x in sorted(a.attrs)],
                                      [curie(x) for x in sorted(b.attrs)], a.evidence, b.evidence))
            else:
                unchanged += 1
        elif a is not None:
            changes.append(Change("removed", a.aspect, a.predicate, a.value, a.label, old_evidence=a.evidence,
                                  old=sorted(a.attrs), old_labels=[curie(x) for x in sorted(a.attrs)]))
        elif b is not None:
            changes.append(Change("added", b.aspect, b.predicate, b.value, b.label, new_evidence=b.evidence,
                                  new=sorted(b.attrs), new_labels=[curie(x) for x in sorted(b.attrs)]))
    changes = _pair(changes, old, new)
    placed_all: list[tuple[str, Evidence, anchoring.Placed]] = []
    tally = {"kept": 0, "moved": 0, "lost": 0}
    if new.text is not None:
        names = sorted(old.anchors)
        evs = [old.anchors[n] for n in names]
        placed = anchoring.reanchor(evs, new.text)
        placed_all = list(zip(names, evs, placed, strict=True))
        tally = anchoring.tally(placed)
        where = {(e.start, e.end, e.exact): p for e, p in zip(evs, placed, strict=True)}
        for c in changes:
            c.old_evidence = [_placed(e, where, new.text) for e in c.old_evidence]
    changes.sort(key=Change.sort_key)
    return Diff(identifier, old_info or {}, new_info or {}, changes, unchanged, tally, placed_all)


def _placed(e: Evidence, where: dict, text: str) -> Evidence:  # type: ignore[type-arg]
    p = where.get((e.start, e.end, e.exact))
    if p is None:
        p = anchoring.reanchor([e], text)[0]
    return replace(e, placed=p)


def _pair(changes: list[Change], old: Version, new: Version) -> list[Change]:
    """Removals and additions that are one change: an organisation's new role, the
    one controller/publisher/authority replaced, a retention period changed."""
    removed = [c for c in changes if c.kind == "removed"]
    added = [c for c in changes if c.kind == "added"]
    used: set[int] = set()
    out: list[Change] = [c for c in changes if c.kind == "changed"]

    def merge(r: Change, a: Change, value: object | None, label: str, old: list[str], new: list[str],
              old_labels: list[str], new_labels: list[str]) -> Change:
        used.update((id(r), id(a)))
        return Change("changed", a.aspect, a.predicate, value, label, old, new, old_labels, new_labels,
                      r.old_evidence, a.new_evidence)

    # an organisation named in another role
    for r in removed:
        if r.predicate not in RECIPIENT_ROLES or r.aspect == "recipient category" or id(r) in used:
            continue
        for a in added:
            if id(a) not in used and a.predicate in RECIPIENT_ROLES and a.value == r.value:
                out.append(merge(r, a, a.value, a.label, [r.predicate], [a.predicate], [r.aspect], [a.aspect]))
                break
    # the one controller, publisher or authority replaced by another
    for p in PARTIES:
        rs = [c for c in removed if c.predicate == p and id(c) not in used]
        as_ = [c for c in added if c.predicate == p and id(c) not in used]
        if len(rs) == 1 and len(as_) == 1:
            r, a = rs[0], as_[0]
            out.append(merge(r, a, a.value, a.label, [str(getattr(r.value, "value", r.value))],
                             [str(getattr(a.value, "value", a.value))], [r.label], [a.label]))
    # a retention period changed in the same context (same data/purposes or a similar passage)
    rs = [c for c in removed if c.predicate == RETENTION and id(c) not in used]
    as_ = [c for c in added if c.predicate == RETENTION and id(c) not in used]
    scored = sorted(((_similarity(old.facts, new.facts, r, a), i, j) for i, r in enumerate(rs)
                     for j, a in enumerate(as_)), reverse=True)
    for score, i, j in scored:
        r, a = rs[i], as_[j]
        if id(r) in used or id(a) in used:
            continue
        if score >= 0.5 or (len(rs) == 1 and len(as_) == 1):
            rv, av = str(getattr(r.value, "value", "")), str(getattr(a.value, "value", ""))
            c = merge(r, a, a.value, a.label, [rv], [av], [r.label], [a.label])
            c.old_days, c.new_days = days(rv), days(av)
            out.append(c)
    out.extend(c for c in removed + added if id(c) not in used)
    return out


def _similarity(old: dict, new: dict, r: Change, a: Change) -> float:  # type: ignore[type-arg]
    fo, fn = old.get((r.predicate, value_key(r.value))), new.get((a.predicate, value_key(a.value)))
    ctx = 0.0
    if fo is not None and fn is not None and (fo.context or fn.context):
        ctx = len(fo.context & fn.context) / len(fo.context | fn.context)
    quote = 0.0
    if r.old_evidence and a.new_evidence:
        quote = max(difflib.SequenceMatcher(None, e.exact, f.exact).ratio()
                    for e in r.old_evidence[:3] for f in a.new_evidence[:3])
    return max(ctx, quote)


def read_file(path: str, lang: str = "auto", max_bytes: int | None = None) -> tuple[Version, str]:
    """Extract a policy file and read it as a version; also its identifier."""
    import hashlib
    from datetime import datetime
    from pathlib import Path

    from policykg.pipeline import extract_source
    from policykg.reading import MAX_BYTES, format_of, read_bytes_source

    f = Path(path)
    try:
        data = f.read_bytes()
    except OSError as exc:
        from policykg.errors import InputError

        raise InputError(f"cannot be read ({exc.strerror})", path) from None
    src = read_bytes_source(data, f.stem, format_of(f), path, max_bytes or MAX_BYTES)
    result = extract_source(src, lang)
    nt = result.triples.to_ntriples()
    v = read_version(nt, src.text)
    stated = _stated_date(result.triples)
    mtime = datetime.fromtimestamp(f.stat().st_mtime, tz=UTC).date().isoformat()
    v.info = {"source": path, "sha256": hashlib.sha256(data).hexdigest(),
              "date": stated or mtime, "dateSource": "text" if stated else "file"}
    return v, src.identifier


def _stated_date(triples: Iterable[tuple[object, object, object]]) -> str | None:
    for _s, p, o in triples:
        if str(p) == DCT + "modified":
            return str(o)
    return None


def diff_files(old: str, new: str, lang: str = "auto") -> Diff:
    """Compare two policy files (extracted now, with this policykg)."""
    from pathlib import Path

    a, ident_a = read_file(old, lang)
    b, ident_b = read_file(new, lang)
    d = compare(a, b, ident_b if ident_a == ident_b else f"{ident_a} -> {ident_b}", a.info, b.info)
    d.versions = (Path(old).resolve().as_uri(), Path(new).resolve().as_uri())
    return d


def diff_store(store, identifier: str, old_day: str, new_day: str | None = None) -> Diff:  # type: ignore[no-untyped-def]
    """Compare the version of a stored policy in force on ``old_day`` with the one in
    force on ``new_day`` (default: the current version)."""
    from policykg import versions
    from policykg.errors import PolicyKGError
    from policykg.store import fingerprint

    records = versions.history(store, identifier)
    if not records:
        if store.policies(identifier):
            raise PolicyKGError("has no version history yet: the store was built by an older policykg; run "
                                "`policykg build` on it once to upgrade it", str(store.path))
        known = sorted(store.policies())
        hint = f" (e.g. {', '.join(known[:5])})" if known else ""
        raise PolicyKGError(f"no policy {identifier!r} in the store{hint}", str(store.path))
    old = versions.at(records, old_day)
    if old is None:
        raise PolicyKGError(f"{identifier!r} has no version on or before {old_day} (its first is dated "
                            f"{records[0].date})")
    new = versions.at(records, new_day) if new_day else next(r for r in reversed(records) if r.current)
    if new is None:
        raise PolicyKGError(f"{identifier!r} has no version on or before {new_day} (its first is dated "
                            f"{records[0].date})")
    notes: list[str] = []
    read: list[Version] = []
    for rec in (old, new):
        try:
            nt, text, fp = versions.content(store, rec)
        except KeyError:
            raise PolicyKGError(f"version {rec.number} of {identifier!r} ({rec.date}) is recorded but its graph "
                                "is no longer kept (pruned)") from None
        if fp != fingerprint() and text is not None and rec.sha256:
            nt = _reextract(store, rec, identifier)
        elif fp != fingerprint():
            notes.append(f"version {rec.number} was extracted by another policykg version and its file is not "
                         "archived: some differences may come from the extractor")
        read.append(read_version(nt, text))
    d = compare(read[0], read[1], identifier, old.info(), new.info())
    if old.iri == new.iri:
        notes.append("both dates fall on the same version")
    d.notes = notes
    d.versions = (old.iri, new.iri)
    return d


def _reextract(store, rec, identifier: str) -> str:  # type: ignore[no-untyped-def]
    """A version's graph as this policykg reads its archived file."""
    from policykg.pipeline import extract_source
    from policykg.reading import read_bytes_source

    fmt, raw = store.archive.raw(rec.sha256)
    src = read_bytes_source(raw, identifier, fmt, rec.source or identifier, len(raw) + 1)
    return extract_source(src).triples.to_ntriples()


def diff_versions(old_nt: str, new_nt: str, old_text: str | None, new_text: str | None,
                  identifier: str = "", old_info: dict | None = None,  # type: ignore[type-arg]
                  new_info: dict | None = None) -> Diff:  # type: ignore[type-arg]
    """Compare two versions given as N-Triples of their stated graphs and their texts."""
    return compare(read_version(old_nt, old_text), read_version(new_nt, new_text), identifier, old_info, new_info)


# --- output -------------------------------------------------------------------------

def _value_text(c: Change) -> str:
    if c.kind == "changed":
        old = ", ".join(c.old_labels) or "none"
        new = ", ".join(c.new_labels) or "none"
        label = c.label if c.aspect not in ("retention", "controller", "publisher", "authority") else ""
        days_note = ""
        if c.old_days is not None and c.new_days is not None and c.old_days != c.new_days:
            days_note = " (longer)" if c.new_days > c.old_days else " (shorter)"
        what = "safeguards " if c.aspect == "transfer" else ("role " if c.predicate in RECIPIENT_ROLES else "")
        return f"{label}{': ' if label else ''}{what}{old} -> {new}{days_note}"
    if c.aspect == "transfer":
        sg = f" (safeguards: {', '.join(c.new_labels or c.old_labels)})" if (c.new_labels or c.old_labels) else ""
        return f"to {c.label}{sg}"
    return c.label


def _quote(e: Evidence, width: int) -> str:
    q = " ".join(e.exact.split())
    return q if len(q) <= width else q[: width - 1] + "…"


def to_table(d: Diff, width: int = 100) -> str:
    """The changes as readable text: one block per change with its evidence."""
    lines = [f"{d.identifier or 'policy'}: {_version_line(d.old)} -> {_version_line(d.new)}"]
    for n in d.notes:
        lines.append(f"note: {n}")
    if not d.changes:
        lines.append(f"No change in practices ({d.unchanged} facts the same).")
    else:
        counts = {k: sum(1 for c in d.changes if c.kind == k) for k in ("added", "removed", "changed")}
        lines.append(f"{len(d.changes)} changes in practices: {counts['added']} added, {counts['removed']} "
                     f"removed, {counts['changed']} changed ({d.unchanged} facts the same).")
        lines.append("")
        w = max(len(c.aspect) for c in d.changes)
        for c in d.changes:
            sign = {"added": "+", "removed": "-", "changed": "~"}[c.kind]
            lines.append(f"{sign} {c.aspect:<{w}}  {_value_text(c)}")
            for label, evs in (("old", c.old_evidence), ("new", c.new_evidence)):
                for e in evs[:1]:
                    where = f"{label} {e.start}-{e.end}"
                    if e.placed is not None and c.kind == "removed":
                        where += {"lost": ", gone from the new text", "kept": ", still in the new text",
                                  "moved": f", still in the new text at {e.placed.start}-{e.placed.end}"
                                  }[e.placed.status]
                    lines.append(f"    {where}: \"{_quote(e, width)}\"")
                if len(evs) > 1:
                    lines.append(f"    ({len(evs) - 1} more {label} passage{'s' if len(evs) > 2 else ''})")
    a = d.anchoring
    total = sum(a.values())
    if total:
        lines.append("")
        lines.append(f"Evidence of the old version re-anchored in the new text: {total} annotations, "
                     f"{a['kept']} kept, {a['moved']} moved, {a['lost']} lost.")
    return "\n".join(lines) + "\n"


def _version_line(info: dict) -> str:  # type: ignore[type-arg]
    parts = [str(info.get(k)) for k in ("date", "source") if info.get(k)]
    return " ".join(parts) or "?"


def _term_json(t: object | None) -> str | None:
    if t is None:
        return None
    return str(getattr(t, "value", t))


def _ev_json(e: Evidence) -> dict:  # type: ignore[type-arg]
    out: dict[str, object] = {"start": e.start, "end": e.end, "exact": e.exact}
    if e.prefix:
        out["prefix"] = e.prefix
    if e.suffix:
        out["suffix"] = e.suffix
    if e.placed is not None:
        out["inNewText"] = {"status": e.placed.status, "start": e.placed.start, "end": e.placed.end}
    return out


def to_json(d: Diff) -> str:
    data = {
        "policy": d.identifier,
        "old": d.old,
        "new": d.new,
        "changed": d.changed,
        "counts": {k: sum(1 for c in d.changes if c.kind == k) for k in ("added", "removed", "changed")}
                  | {"unchanged": d.unchanged},
        "changes": [{
            "change": c.kind, "aspect": c.aspect, "property": c.predicate, "value": _term_json(c.value),
            "label": c.label, "old": c.old, "new": c.new,
            **({"oldDays": c.old_days, "newDays": c.new_days} if c.aspect == "retention" and c.kind == "changed"
               else {}),
            "oldEvidence": [_ev_json(e) for e in c.old_evidence],
            "newEvidence": [_ev_json(e) for e in c.new_evidence],
        } for c in d.changes],
        "anchoring": d.anchoring | {"annotations": [
            {"annotation": name, "start": e.start, "end": e.end, "status": p.status, "newStart": p.start,
             "newEnd": p.end} for name, e, p in d.anchors]},
        "notes": d.notes,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# --- RDF change set -------------------------------------------------------------------

def _lit(value: object, datatype: str | None = None) -> str:
    from rdflib import Literal, URIRef

    from policykg.triples import nt

    return nt(Literal(value, datatype=URIRef(datatype) if datatype else None))


def _iri(value: str) -> str:
    return f"<{value}>"


def _obj(v: str) -> str:
    """An attribute value: an IRI, else a literal (a duration)."""
    if re.match(r"^[a-zA-Z][\w+.-]*:", v) and " " not in v:
        return _iri(v)
    return _lit(v, XSD + "duration") if days(v) is not None else _lit(v)


def to_ntriples(d: Diff, changeset: str, notice: str, old_version: str, new_version: str) -> str:
    """The change set as N-Triples: one ``pkg:ChangeSet`` from ``old_version`` to
    ``new_version``, and per change a reified statement (``rdf:Statement``) about the
    notice, typed ``pkg:Addition``/``pkg:Removal``/``pkg:Modification``, with its
    evidence as ``oa:Annotation``s on each version's text."""
    prefix = "c" + uuid.uuid4().hex[:12] + "x"
    n = [0]

    def bnode() -> str:
        n[0] += 1
        return f"_:{prefix}{n[0]}"

    out: list[str] = []

    def add(s: str, p: str, o: str) -> None:
        out.append(f"{s} {p} {o} .\n")

    cs = _iri(changeset)
    add(cs, _iri(TYPE), _iri(PKG + "ChangeSet"))
    add(cs, _iri(PKG + "fromVersion"), _iri(old_version))
    add(cs, _iri(PKG + "toVersion"), _iri(new_version))
    add(cs, _iri(PKG + "changeCount"), _lit(len(d.changes), XSD + "integer"))
    for k, prop in (("kept", "annotationsKept"), ("moved", "annotationsMoved"), ("lost", "annotationsLost")):
        add(cs, _iri(PKG + prop), _lit(d.anchoring.get(k, 0), XSD + "integer"))
    kinds = {"added": "Addition", "removed": "Removal", "changed": "Modification"}
    for i, c in enumerate(d.changes, start=1):
        ch = _iri(f"{changeset}/{i}")
        add(cs, _iri(PKG + "hasChange"), ch)
        add(ch, _iri(TYPE), _iri(PKG + kinds[c.kind]))
        add(ch, _iri(TYPE), _iri(RDF + "Statement"))
        add(ch, _iri(PKG + "inChangeSet"), cs)
        add(ch, _iri(PKG + "aspect"), _lit(c.aspect))
        add(ch, _iri(RDF + "subject"), _iri(notice))
        add(ch, _iri(RDF + "predicate"), _iri(c.predicate))
        if c.value is not None:
            add(ch, _iri(RDF + "object"), str(c.value))
        add(ch, _iri(RDFS + "label"), _lit(c.label))
        for v in c.old:
            add(ch, _iri(PKG + "oldValue"), _obj(v))
        for v in c.new:
            add(ch, _iri(PKG + "newValue"), _obj(v))
        if c.old_days is not None:
            add(ch, _iri(PKG + "oldDays"), _lit(c.old_days, XSD + "integer"))
        if c.new_days is not None:
            add(ch, _iri(PKG + "newDays"), _lit(c.new_days, XSD + "integer"))
        for prop, version, evs in (("oldEvidence", old_version, c.old_evidence),
                                   ("newEvidence", new_version, c.new_evidence)):
            for e in evs:
                a, t, pos, quote = bnode(), bnode(), bnode(), bnode()
                add(ch, _iri(PKG + prop), a)
                add(a, _iri(TYPE), _iri(OA + "Annotation"))
                add(a, _iri(OA + "hasBody"), ch)
                add(a, _iri(OA + "hasTarget"), t)
                add(t, _iri(OA + "hasSource"), _iri(version))
                add(t, _iri(OA + "hasSelector"), pos)
                add(pos, _iri(TYPE), _iri(OA + "TextPositionSelector"))
                add(pos, _iri(OA + "start"), _lit(e.start, XSD + "nonNegativeInteger"))
                add(pos, _iri(OA + "end"), _lit(e.end, XSD + "nonNegativeInteger"))
                add(t, _iri(OA + "hasSelector"), quote)
                add(quote, _iri(TYPE), _iri(OA + "TextQuoteSelector"))
                add(quote, _iri(OA + "exact"), _lit(e.exact))
                if e.prefix:
                    add(quote, _iri(OA + "prefix"), _lit(e.prefix))
                if e.suffix:
                    add(quote, _iri(OA + "suffix"), _lit(e.suffix))
                if e.placed is not None:
                    add(a, _iri(PKG + "inNewText"), _lit(e.placed.status))
    return "".join(out)


def to_rdf(d: Diff, fmt: str) -> str:
    """The change set of a diff in an RDF syntax (turtle, nt, ...)."""
    from rdflib import Graph

    from policykg.iris import ID, notice_iri, slug
    from policykg.namespaces import bind

    old_version, new_version = d.versions or ("urn:policykg:old", "urn:policykg:new")
    ident = d.identifier or "policy"
    tail = "-".join(v.rsplit("/", 1)[-1] for v in (old_version, new_version))
    changeset = str(ID[f"changes/{slug(ident)}/{slug(tail)}"])
    nt = to_ntriples(d, changeset, str(notice_iri(ident)), old_version, new_version)
    if fmt in ("nt", "ntriples"):
        return nt
    g = Graph()
    bind(g)
    g.bind("org", "https://w3id.org/policykg/org/", replace=True)  # rdflib has an "org" of its own
    g.parse(data=nt, format="nt")
    return g.serialize(format=fmt)


def facts_summary(v: Version) -> dict[str, int]:
    """Facts per aspect (for reports and tests)."""
    out: dict[str, int] = defaultdict(int)
    for f in v.facts.values():
        out[f.aspect] += 1
    return dict(out)


__all__ = ["Change", "Diff", "Evidence", "Fact", "Version", "compare", "diff_versions", "read_version",
           "to_json", "to_ntriples", "to_rdf", "to_table"]
