"""Findings -> an RDF graph that follows CONTRACT.md.

One ``dpv:PrivacyNotice`` per policy; ``dpv:PersonalDataHandling`` nodes for
what it says about processing; and, for every fact — each value of a contract
predicate on a handling or on the notice — an ``oa:Annotation`` that quotes the
sentence, list item or table row that states it and says which fact it supports
(``oa:hasBody`` the handling or ``pkg:aboutNotice`` the notice,
``pkg:aboutProperty`` the predicate, ``pkg:aboutValue`` the value).

**Handlings.** A passage (paragraph, list item, table row) that states a
practice is one handling, so that purposes, data, recipients and legal bases
stated together stay joined — except where its sentences keep statements apart:
a sentence that pairs a qualifier (retention period, legal basis, safeguard,
place of processing) with data, a purpose or a recipient the passage has not
named so far, or that states another period, basis or place than the sentences
before it, starts a handling of its own ("Account data are kept 24 months.
Accounting records 7 years." are two handlings, each with its own period and
data). A table row is always one statement. A stated transfer outside the
EU/EEA is a handling of its own with ``dpv:hasProcessing dpv:Transfer``.

A statement with no purpose of its own takes the purposes of its list lead-in
("for the following purposes:") or of its section heading; failing both its
handling has no ``dpv:hasPurpose``: nothing is asserted that the policy does
not say, and the shapes see the gap as what it is, an absence.

**Evidence, sized.** Evidence is most of the graph, so it is shared where that
loses nothing: one target (source, position and quote selectors) per quoted
span, used by every annotation that quotes it; one annotation per (span,
property), naming every value of that property the span states; and one
annotation for the handlings that take the very same facts from the same span
(the list items under one lead-in, every handling's controller). "The quote for
this (handling, property, value)" is still one pattern:
``?a oa:hasBody ?h ; pkg:aboutProperty ?p ; pkg:aboutValue ?v ; oa:hasTarget ?t``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from operator import attrgetter

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.collector import paused
from policykg.extractors.base import Document, Finding
from policykg.extractors.organisations import KnownOrg, knowledge_base
from policykg.iris import ID, annotation_iri, handling_iri, notice_iri, slug
from policykg.namespaces import DPV, LOC, OA, PKG
from policykg.namespaces import FAST_DCTERMS as DCTERMS
from policykg.namespaces import FAST_RDF as RDF
from policykg.namespaces import FAST_RDFS as RDFS
from policykg.namespaces import FAST_XSD as XSD
from policykg.remote import duration_days
from policykg.segmenting import Span
from policykg.triples import Triples, blank, iri, plain_literal

GRAPH_MODEL = 4
"""The shape of graph this module (with iris.py) writes for the same findings. It is part of the
store's fingerprint (store.fingerprint), so a build re-extracts every policy stored in an older
shape: bump it with any change to what a policy's graph holds for the same text (nodes,
properties, IRIs). 1: one annotation per passage sentence; 2: evidence per fact (issue 17) and
transliterated IRI slugs (issue 20); 3: "until consent is withdrawn" as pkg:RetentionUntilWithdrawal,
legal bases cited by article and letter, providers that control their own processing as third
parties (issue 16); 4: pkg:days, the day count beside each duration (issue 20)."""

CONCEPT_PROPS = {
    "purposes": DPV.hasPurpose,
    "personal_data": DPV.hasPersonalData,
    "data_subjects": DPV.hasDataSubject,
    "legal_bases": DPV.hasLegalBasis,
    "rights": DPV.hasRight,
    "measures": DPV.hasTechnicalOrganisationalMeasure,
    "locations": DPV.hasLocation,
    "recipient_categories": DPV.hasRecipient,
    "data_sources": DPV.hasDataSource,
}
RECIPIENT_PROPS = {"processor": DPV.hasDataProcessor, "third-party": DPV.hasRecipientThirdParty,
                   "group-company": DPV.hasRecipient}
ROLE_CLASSES = {"processor": DPV.DataProcessor, "third-party": DPV.ThirdParty}
INHERITED = ("purposes", "personal_data", "data_subjects", "legal_bases")
PRACTICE = set(CONCEPT_PROPS) | {"recipients", "retention"}
TRANSFER = {"transfer", "third_country", "safeguards"}
QUALIFIERS = {"retention": ("personal_data", "purposes"), "legal_bases": ("purposes",),
              "safeguards": ("recipients",), "locations": ("recipients",), "third_country": ("recipients",)}
"""Aspects that qualify what is stated with them (how long, on what basis, where), each with
the aspects it qualifies: a period the data or purpose, a basis the purpose, a place or
safeguard the recipient. A sentence that pairs one with something its passage has not said
so far ("Accounting records are kept for 7 years", "Backups are stored by AWS in Ireland"),
or that states another value of one than the sentences before it, is a statement of its own."""
TABLE_KINDS = ("row", "header")


def build(doc: Document, findings: list[Finding]) -> Graph:
    """The graph of one policy, as an rdflib graph."""
    return build_triples(doc, findings).to_graph()


def build_triples(doc: Document, findings: list[Finding]) -> Triples:
    """The triples of one policy (see :mod:`policykg.triples` for why not a Graph), with
    the cyclic garbage collector paused (see :mod:`policykg.collector`)."""
    with paused():
        return _build_triples(doc, findings)


def _build_triples(doc: Document, findings: list[Finding]) -> Triples:
    g = Triples()
    notice = notice_iri(doc.identifier)
    g.add((notice, RDF.type, DPV.PrivacyNotice))
    g.add((notice, DCTERMS.identifier, plain_literal(doc.identifier)))
    g.add((notice, DCTERMS.language, plain_literal(doc.lang)))
    counter = _Counter(doc.identifier)
    evidence = _Evidence(doc, notice)
    org = _Organisations(g)
    controllers = _notice_facts(g, doc, notice, findings, org, evidence)
    _practices(g, doc, notice, findings, org, evidence, counter, controllers)
    evidence.write(g, counter)
    return g


# --- the notice ----------------------------------------------------------------

def _notice_facts(g: Triples, doc: Document, notice: URIRef, findings: list[Finding],
                  org: _Organisations, ev: _Evidence) -> list[URIRef]:
    """Facts about the notice itself, each with its evidence; returns the controllers.

    The controller is named once for the whole policy and every handling has it
    (``dpv:hasDataController``): its annotation names the notice, not each handling
    (one triple per handling saved, ~5% of a policy with many short list items)."""
    controllers: dict[URIRef, Span] = {}
    publisher_span: Span | None = None
    for f in findings:
        span = evidence_span(doc, f)
        if f.aspect == "publisher":
            node = org.node(f)
            g.add((notice, DCTERMS.publisher, node))
            ev.notice(span, DCTERMS.publisher, node)
            publisher_span = publisher_span or span
        elif f.aspect == "controller":
            node = org.node(f, DPV.DataController)
            controllers.setdefault(node, span)
        elif f.aspect == "authority":
            node = org.node(f, DPV.DataProtectionAuthority)
            if (notice, DPV.hasAuthority, node) not in g:
                g.add((notice, DPV.hasAuthority, node))
                ev.notice(span, DPV.hasAuthority, node)
        elif f.aspect == "modified" and (notice, DCTERMS.modified, None) not in g:
            value = Literal(f.value, datatype=XSD.date)
            g.add((notice, DCTERMS.modified, value))
            ev.notice(span, DCTERMS.modified, value)
        elif f.aspect == "dpo" and (notice, DPV.hasDataProtectionOfficer, None) not in g:
            dpo = ID[f"dpo/{slug(doc.identifier)}"]
            g.add((notice, DPV.hasDataProtectionOfficer, dpo))
            g.add((dpo, RDF.type, DPV.DataProtectionOfficer))
            g.add((dpo, RDFS.label, Literal("Data protection officer" if doc.lang != "sv" else "Dataskyddsombud")))
            ev.notice(span, DPV.hasDataProtectionOfficer, dpo)
        elif f.aspect == "rights":
            # rights are the data subject's under the whole notice (CONTRACT §3 allows them
            # there, and the transparency shapes read them there); the passage's handling
            # below states them too
            g.add((notice, DPV.hasRight, f.iri))
            ev.notice(span, DPV.hasRight, f.iri)
        elif f.aspect == "email":
            value = plain_literal(f.value)
            if (notice, PKG.contactEmail, value) not in g:
                g.add((notice, PKG.contactEmail, value))
                ev.notice(span, PKG.contactEmail, value)
    processes_for_others = {f.value for f in findings if f.aspect == "recipients" and f.role == "processor"}
    if not controllers:
        pub = g.value(notice, DCTERMS.publisher)
        # a publisher that calls itself a processor publishes for its customers: no controller is named
        if isinstance(pub, URIRef) and publisher_span is not None and str(pub) not in processes_for_others:
            g.add((pub, RDF.type, DPV.DataController))
            controllers[pub] = publisher_span
    for c, span in controllers.items():
        ev.notice(span, DPV.hasDataController, c)
    return list(controllers)


class _Organisations:
    """Organisation nodes: typed, labelled once, with the knowledge base's country."""

    def __init__(self, g: Triples) -> None:
        self.g = g
        self.kb = _known_by_iri()

    def node(self, f: Finding, *types: URIRef) -> URIRef:
        g = self.g
        node = iri(f.value)
        g.add((node, RDF.type, DPV.Organisation))
        for t in types:
            g.add((node, RDF.type, t))
        if (node, RDFS.label, None) not in g:
            g.add((node, RDFS.label, plain_literal(f.label or f.value)))
        known = self.kb.get(f.value)
        if known and known.country:
            g.add((node, DPV.hasCountry, LOC[known.country]))
        return node


@lru_cache(maxsize=1)
def _known_by_iri() -> dict[str, KnownOrg]:
    return {str(o.iri): o for o in knowledge_base()}


# --- practices -----------------------------------------------------------------

@dataclass
class Statement:
    """Findings a handling is made of: its own (one passage, or the part of a passage
    that keeps a statement apart) and those it takes from its lead-in or heading."""

    block: int
    own: list[Finding]
    inherited: list[Finding] = field(default_factory=list)


def statements(doc: Document, findings: list[Finding]) -> list[Statement]:
    """The statements of a policy, in text order, with what each inherits."""
    by_block: dict[int, list[Finding]] = defaultdict(list)
    by_aspect: dict[tuple[int, str], list[Finding]] = {}  # (block, inherited aspect) -> its findings, in order
    for f in findings:
        if f.aspect in PRACTICE or f.aspect in TRANSFER:
            by_block[f.block].append(f)
            if f.aspect in INHERITED:
                by_aspect.setdefault((f.block, f.aspect), []).append(f)
    out: list[Statement] = []
    carried: set[tuple[int, str]] = set()  # (heading or lead-in, aspect) a statement under it takes
    for bi in sorted(by_block):
        block = doc.blocks[bi]
        for own in split_passage(by_block[bi], block.kind in TABLE_KINDS):
            st = Statement(bi, own)
            present = {f.aspect for f in own}
            for ref in (block.lead, block.heading):
                if ref is None or ref == bi:
                    continue
                for aspect in INHERITED:
                    if aspect not in present:
                        taken = by_aspect.get((ref, aspect))
                        if taken:
                            st.inherited += taken
                            present.add(aspect)
                            carried.add((ref, aspect))
            out.append(st)
    # a heading's purposes/data are carried by the statements under it: no handling of its own
    return [st for st in out
            if not (doc.blocks[st.block].kind == "heading"
                    and all(f.aspect in INHERITED and (st.block, f.aspect) in carried for f in st.own))]


def split_passage(own: list[Finding], table_row: bool) -> list[list[Finding]]:
    """One passage's findings as statements (runs of sentences): a sentence starts a new
    statement when it pairs a qualifier with data, a purpose or a recipient the statement so
    far does not have, or restates a qualifier with another value. A table row is one
    statement: its cells are read together."""
    if table_row:
        return [own]
    groups: list[list[Finding]] = []
    held: dict[str, set[str]] = defaultdict(set)  # aspect -> values of the current statement
    ordered = sorted(own, key=_SENTENCE_START)  # stable: extractor order within a sentence
    for _, run in groupby(ordered, key=_SENTENCE):
        sentence = list(run)
        stated: dict[str, set[str]] = defaultdict(set)
        for f in sentence:
            stated[f.aspect].add(f.value)
        if not groups or _apart(stated, held):
            groups.append([])
            held = defaultdict(set)
        groups[-1].extend(sentence)
        for a, values in stated.items():
            held[a] |= values
    return groups


_SENTENCE_START = attrgetter("sentence.start")
_SENTENCE = attrgetter("sentence")


def _apart(stated: dict[str, set[str]], held: dict[str, set[str]]) -> bool:
    """Whether a sentence's facts (``stated``) begin a statement apart from ``held``."""
    for q, partners in QUALIFIERS.items():
        if q not in stated:
            continue
        if held.get(q) and not stated[q] <= held[q]:
            return True  # another period, basis or place than the statement so far
        if any(p in stated and not stated[p] <= held.get(p, set()) for p in partners):
            return True  # a qualifier paired with something new
    return False


def _practices(g: Triples, doc: Document, notice: URIRef, findings: list[Finding], org: _Organisations,
               ev: _Evidence, counter: _Counter, controllers: list[URIRef]) -> None:
    for st in statements(doc, findings):
        practice = [f for f in st.own + st.inherited if f.aspect in PRACTICE]
        transfer = [f for f in st.own if f.aspect in TRANSFER]
        if any(f.aspect in PRACTICE for f in st.own):
            h = _handling(g, counter, notice, controllers)
            for f in practice:
                prop, value = _practice_fact(g, h, f, org, counter)
                ev.fact(h, evidence_span(doc, f), prop, value)
        if transfer:
            h = _handling(g, counter, notice, controllers)
            g.add((h, DPV.hasProcessing, DPV.Transfer))
            for f in transfer:
                span = evidence_span(doc, f)
                ev.fact(h, span, DPV.hasProcessing, DPV.Transfer)
                if f.aspect == "third_country":
                    g.add((h, DPV.hasThirdCountry, f.iri))
                    ev.fact(h, span, DPV.hasThirdCountry, f.iri)
                elif f.aspect == "safeguards":
                    g.add((h, DPV.hasLegalBasis, f.iri))
                    ev.fact(h, span, DPV.hasLegalBasis, f.iri)
            # who receives what is transferred, and what for
            carried = [f for f in st.own if f.aspect == "recipients"]
            carried += [f for f in st.own + st.inherited if f.aspect == "purposes"]
            for f in carried:
                prop, value = _practice_fact(g, h, f, org, counter)
                ev.fact(h, evidence_span(doc, f), prop, value)


def _handling(g: Triples, counter: _Counter, notice: URIRef, controllers: list[URIRef]) -> URIRef:
    h = counter.handling()
    g.add((h, RDF.type, DPV.PersonalDataHandling))
    g.add((h, DPV.hasNotice, notice))
    for c in controllers:  # quoted by the notice's controller annotation
        g.add((h, DPV.hasDataController, c))
    return h


def _practice_fact(g: Triples, h: URIRef, f: Finding, org: _Organisations,
                   counter: _Counter) -> tuple[URIRef, Node]:
    """Add the fact a practice finding states to handling ``h``; return it as (property, value)."""
    if f.aspect in CONCEPT_PROPS:
        prop, value = CONCEPT_PROPS[f.aspect], f.iri
        g.add((h, prop, value))
        return prop, value
    if f.aspect == "recipients":
        role = f.role or "processor"
        node = org.node(f, *([ROLE_CLASSES[role]] if role in ROLE_CLASSES else []))
        prop = RECIPIENT_PROPS.get(role, DPV.hasRecipient)
        g.add((h, prop, node))
        return prop, node
    # retention: a storage condition of its own, with the duration when one is stated
    cond = counter.bnode()
    g.add((h, DPV.hasStorageCondition, cond))
    if f.value.startswith("P"):
        g.add((cond, RDF.type, DPV.StorageDuration))
        dur = counter.bnode()
        g.add((cond, DPV.hasDuration, dur))
        g.add((dur, RDF.type, DPV.Duration))
        # normalize=False: rdflib would rewrite "P24M" as "P2Y"; the policy said 24 months
        g.add((dur, RDF.value, _duration(f.value)))
        days = duration_days(f.value)  # an xsd:integer every server can order and compare
        if days is not None:
            g.add((dur, PKG.days, _integer(days)))
    else:
        g.add((cond, RDF.type, f.iri))
    return DPV.hasStorageCondition, cond


class _Counter:
    def __init__(self, identifier: str) -> None:
        self.identifier = identifier
        self.handlings = 0
        self.annotations = 0
        self.bnodes = 0
        # one random prefix per policy keeps blank nodes of different policies apart
        # when graphs are merged, without a uuid per node (the cost of BNode())
        self.prefix = "b" + uuid.uuid4().hex[:12] + "x"
        # handling_iri(identifier, n) == handling_base + n; slug() once, not per node
        self.handling_base = str(handling_iri(identifier, 0))[:-1]
        self.annotation_base = str(annotation_iri(identifier, 0))[:-1]

    def bnode(self) -> BNode:
        self.bnodes += 1
        return blank(f"{self.prefix}{self.bnodes}")

    def handling(self) -> URIRef:
        self.handlings += 1
        return iri(f"{self.handling_base}{self.handlings}")

    def annotation(self) -> URIRef:
        self.annotations += 1
        return iri(f"{self.annotation_base}{self.annotations}")


# --- evidence ------------------------------------------------------------------

def evidence_span(doc: Document, f: Finding) -> Span:
    """What a finding's evidence quotes: its sentence, or the whole table row it is in
    (a cell alone, "12 months", does not say what is kept)."""
    s = f.sentence
    if 0 <= f.block < len(doc.blocks):
        block = doc.blocks[f.block]
        if block.kind in TABLE_KINDS and block.start <= s.start and s.end <= block.end:
            return Span(block.start, block.end)
    return s


# Terms used per annotation, looked up once (a Namespace attribute builds a new URIRef).
_TYPE, _VALUE = RDF.type, RDF.value
_ANNOTATION, _TEXTUAL_BODY, _HAS_BODY, _HAS_TARGET = OA.Annotation, OA.TextualBody, OA.hasBody, OA.hasTarget
_HAS_SOURCE, _HAS_SELECTOR, _START, _END, _EXACT = OA.hasSource, OA.hasSelector, OA.start, OA.end, OA.exact
_POSITION, _QUOTE = OA.TextPositionSelector, OA.TextQuoteSelector
_ABOUT_PROPERTY, _ABOUT_VALUE, _ABOUT_NOTICE = PKG.aboutProperty, PKG.aboutValue, PKG.aboutNotice
_XSD_INTEGER = XSD.integer


@lru_cache(maxsize=1024)
def _duration(value: str) -> Literal:
    """A duration as an xsd:duration literal, memoised (rdflib's constructor parses it).
    normalize=False: rdflib would rewrite "P24M" as "P2Y"; the policy said 24 months."""
    return Literal(value, datatype=XSD.duration, normalize=False)


@lru_cache(maxsize=65536)
def _integer(n: int) -> Literal:
    """An xsd:integer literal (an offset, a day count), memoised: rdflib's typed-literal constructor
    costs ~4.5 µs, and a corpus's offsets are the same few ten thousand numbers."""
    return Literal(str(n), datatype=_XSD_INTEGER)


class _Evidence:
    """Collects which span states which fact, then writes the annotations.

    Collected first and written at the end so that facts can share: one target per
    span, one annotation per (span, property) naming all its values, and one
    annotation for every handling that takes the same values from the same span.
    """

    def __init__(self, doc: Document, notice: URIRef) -> None:
        self.doc = doc
        self.notice_iri = notice
        # (handling, span, property) -> values, in the order stated
        self.handling_facts: dict[tuple[URIRef, Span, URIRef], dict[Node, None]] = {}
        # (span, property) -> values stated about the notice
        self.notice_facts: dict[tuple[Span, URIRef], dict[Node, None]] = {}
        self.quoted: set[tuple[URIRef, URIRef, Node]] = set()  # (subject, property, value) with a span

    def fact(self, h: URIRef, span: Span, prop: URIRef, value: Node) -> None:
        """``span`` states ``h prop value``."""
        if (h, prop, value) in self.quoted:
            return  # one quote per fact: the first span that states it
        self.quoted.add((h, prop, value))
        self.handling_facts.setdefault((h, span, prop), {})[value] = None

    def notice(self, span: Span, prop: URIRef, value: Node) -> None:
        """``span`` states ``notice prop value``."""
        if (self.notice_iri, prop, value) in self.quoted:
            return
        self.quoted.add((self.notice_iri, prop, value))
        self.notice_facts.setdefault((span, prop), {})[value] = None

    def write(self, g: Triples, counter: _Counter) -> None:
        add = g.add
        targets: dict[Span, BNode] = {}

        def target(span: Span) -> BNode:
            t = targets.get(span)
            if t is None:
                t = targets[span] = counter.bnode()
                add((t, _HAS_SOURCE, self.notice_iri))
                pos, quote = counter.bnode(), counter.bnode()
                add((t, _HAS_SELECTOR, pos))
                add((pos, _TYPE, _POSITION))
                add((pos, _START, _integer(span.start)))
                add((pos, _END, _integer(span.end)))
                add((t, _HAS_SELECTOR, quote))
                add((quote, _TYPE, _QUOTE))
                add((quote, _EXACT, plain_literal(self.doc.text[span.start:span.end])))
            return t

        def annotation(span: Span, prop: URIRef, values: dict[Node, None] | tuple[Node, ...]) -> URIRef:
            a = counter.annotation()
            add((a, _TYPE, _ANNOTATION))
            add((a, _HAS_TARGET, target(span)))
            add((a, _ABOUT_PROPERTY, prop))
            for v in values:
                add((a, _ABOUT_VALUE, v))
            return a

        # handlings that take the same values of a property from the same span share one
        shared: dict[tuple[Span, URIRef, tuple[Node, ...]], list[URIRef]] = {}
        by_span: dict[tuple[Span, URIRef], list[tuple[Node, ...]]] = defaultdict(list)
        for (h, span, prop), values in self.handling_facts.items():
            key = (span, prop, tuple(values))
            if key not in shared:
                shared[key] = []
                by_span[(span, prop)].append(key[2])
            shared[key].append(h)
        # notice-level facts that a handling's annotation already states, exactly (the rights of
        # a sentence, stated for the notice and for its passage's handling), are named on it
        also_notice: set[tuple[Span, URIRef, tuple[Node, ...]]] = set()
        for (span, prop), values in self.notice_facts.items():
            covering = next((vs for vs in by_span.get((span, prop), ()) if set(values) == set(vs)), None)
            if covering is not None:
                also_notice.add((span, prop, covering))
                continue
            a = annotation(span, prop, values)
            add((a, _ABOUT_NOTICE, self.notice_iri))
        for (span, prop, values), bodies in shared.items():
            a = annotation(span, prop, values)
            for h in bodies:
                add((a, _HAS_BODY, h))
            if (span, prop, values) in also_notice:
                add((a, _ABOUT_NOTICE, self.notice_iri))
