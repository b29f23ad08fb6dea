"""Findings -> an RDF graph that follows CONTRACT.md.

One ``dpv:PrivacyNotice`` per policy; one ``dpv:PersonalDataHandling`` per
passage (paragraph or list item) that states a practice, so that purposes,
data, recipients and legal bases stated together stay joined; a separate
handling with ``dpv:hasProcessing dpv:Transfer`` for each passage that states a
transfer outside the EU/EEA. Every handling — and every notice-level fact
(publisher, controller, authority, date, e-mail) — carries an
``oa:Annotation`` whose selectors quote the sentence it came from.

A passage with no purpose of its own takes the purposes of its list lead-in
("for the following purposes:") or of its section heading; failing both its
handling has no ``dpv:hasPurpose``: nothing is asserted that the policy does
not say, and the shapes see the gap as what it is, an absence (a stand-in
purpose was read as a stated one by every consumer that maps it to DPV).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef

from policykg.extractors.base import Document, Finding
from policykg.extractors.organisations import KnownOrg, knowledge_base
from policykg.iris import ID, annotation_iri, handling_iri, notice_iri, slug
from policykg.namespaces import DPV, OA, PKG
from policykg.namespaces import FAST_DCTERMS as DCTERMS
from policykg.namespaces import FAST_RDF as RDF
from policykg.namespaces import FAST_RDFS as RDFS
from policykg.namespaces import FAST_XSD as XSD
from policykg.segmenting import Span
from policykg.triples import Triples

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


@dataclass
class Passage:
    block: int
    findings: list[Finding]


def build(doc: Document, findings: list[Finding]) -> Graph:
    """The graph of one policy, as an rdflib graph."""
    return build_triples(doc, findings).to_graph()


def build_triples(doc: Document, findings: list[Finding]) -> Triples:
    """The triples of one policy (see :mod:`policykg.triples` for why not a Graph)."""
    g = Triples()
    notice = notice_iri(doc.identifier)
    g.add((notice, RDF.type, DPV.PrivacyNotice))
    g.add((notice, DCTERMS.identifier, Literal(doc.identifier)))
    g.add((notice, DCTERMS.language, Literal(doc.lang)))
    counter = _Counter(doc.identifier)
    kb = _known_by_iri()

    def org(f: Finding, *types: URIRef) -> URIRef:
        node = URIRef(f.value)
        g.add((node, RDF.type, DPV.Organisation))
        for t in types:
            g.add((node, RDF.type, t))
        if (node, RDFS.label, None) not in g:
            g.add((node, RDFS.label, Literal(f.label or f.value)))
        known = kb.get(f.value)
        if known and known.country:
            g.add((node, DPV.hasCountry, URIRef(f"https://w3id.org/dpv/loc#{known.country}")))
        return node

    controllers: list[URIRef] = []
    for f in findings:
        if f.aspect == "publisher":
            g.add((notice, DCTERMS.publisher, org(f)))
            _annotate(g, counter, notice, doc, [f.sentence], source=notice, body=URIRef(f.value), about=DCTERMS.publisher)
        elif f.aspect == "controller":
            node = org(f, DPV.DataController)
            if node not in controllers:
                controllers.append(node)
                _annotate(g, counter, notice, doc, [f.sentence], source=notice, body=node, about=DPV.hasDataController)
        elif f.aspect == "authority":
            node = org(f, DPV.DataProtectionAuthority)
            if (notice, DPV.hasAuthority, node) not in g:
                g.add((notice, DPV.hasAuthority, node))
                _annotate(g, counter, notice, doc, [f.sentence], source=notice, body=node, about=DPV.hasAuthority)
        elif f.aspect == "modified" and (notice, DCTERMS.modified, None) not in g:
            g.add((notice, DCTERMS.modified, Literal(f.value, datatype=XSD.date)))
            _annotate(g, counter, notice, doc, [f.sentence], source=notice, literal=f.value, about=DCTERMS.modified)
        elif f.aspect == "dpo" and (notice, DPV.hasDataProtectionOfficer, None) not in g:
            dpo = ID[f"dpo/{slug(doc.identifier)}"]
            g.add((notice, DPV.hasDataProtectionOfficer, dpo))
            g.add((dpo, RDF.type, DPV.DataProtectionOfficer))
            g.add((dpo, RDFS.label, Literal("Data protection officer" if doc.lang != "sv" else "Dataskyddsombud")))
            _annotate(g, counter, notice, doc, [f.sentence], source=notice, body=dpo,
                      about=DPV.hasDataProtectionOfficer)
        elif f.aspect == "rights":
            # rights are the data subject's under the whole notice (CONTRACT §3 allows them
            # there); the passage's handling below keeps the evidence
            g.add((notice, DPV.hasRight, URIRef(f.value)))
        elif f.aspect == "email" and (notice, PKG.contactEmail, Literal(f.value)) not in g:
            g.add((notice, PKG.contactEmail, Literal(f.value)))
            _annotate(g, counter, notice, doc, [f.sentence], source=notice, literal=f.value, about=PKG.contactEmail)
    processes_for_others = {f.value for f in findings if f.aspect == "recipients" and f.role == "processor"}
    if not controllers:
        pub = g.value(notice, DCTERMS.publisher)
        # a publisher that calls itself a processor publishes for its customers: no controller is named
        if isinstance(pub, URIRef) and str(pub) not in processes_for_others:
            g.add((pub, RDF.type, DPV.DataController))
            controllers.append(pub)

    by_block: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.aspect in PRACTICE or f.aspect in TRANSFER:
            by_block[f.block].append(f)
    inherited_by: dict[int, list[Finding]] = {}
    carried: set[tuple[int, str]] = set()  # (heading or lead-in, aspect) a passage under it takes
    for bi in sorted(by_block):
        block = doc.blocks[bi]
        inherited: list[Finding] = []
        present = {f.aspect for f in by_block[bi]}
        for ref in (block.lead, block.heading):
            if ref is None or ref == bi:
                continue
            for aspect in INHERITED:
                if aspect not in present:
                    taken = [f for f in by_block.get(ref, []) if f.aspect == aspect]
                    if taken:
                        inherited += taken
                        present.add(aspect)
                        carried.add((ref, aspect))
        inherited_by[bi] = inherited

    for bi in sorted(by_block):
        block = doc.blocks[bi]
        own = by_block[bi]
        if block.kind == "heading" and all(f.aspect in INHERITED and (bi, f.aspect) in carried
                                           for f in own):
            continue  # a heading's purposes/data are carried by the passages under it
        inherited = inherited_by[bi]
        practice = [f for f in own + inherited if f.aspect in PRACTICE]
        transfer = [f for f in own if f.aspect in TRANSFER]
        purposes = [f for f in own + inherited if f.aspect == "purposes"]
        if [f for f in own if f.aspect in PRACTICE]:
            h = _handling(g, counter, notice, controllers)
            for f in practice:
                _add_practice(g, h, f, org, counter)
            _annotate(g, counter, h, doc, [f.sentence for f in practice], source=notice)
        if transfer:
            h = _handling(g, counter, notice, controllers)
            g.add((h, DPV.hasProcessing, DPV.Transfer))
            for f in transfer:
                if f.aspect == "third_country":
                    g.add((h, DPV.hasThirdCountry, URIRef(f.value)))
                elif f.aspect == "safeguards":
                    g.add((h, DPV.hasLegalBasis, URIRef(f.value)))
            for f in own:
                if f.aspect == "recipients":
                    _add_practice(g, h, f, org, counter)
            for f in purposes:
                g.add((h, DPV.hasPurpose, URIRef(f.value)))
            _annotate(g, counter, h, doc, [f.sentence for f in transfer], source=notice)
    return g


@lru_cache(maxsize=1)
def _known_by_iri() -> dict[str, KnownOrg]:
    return {str(o.iri): o for o in knowledge_base()}


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
        return BNode(f"{self.prefix}{self.bnodes}")

    def handling(self) -> URIRef:
        self.handlings += 1
        return URIRef(f"{self.handling_base}{self.handlings}")

    def annotation(self) -> URIRef:
        self.annotations += 1
        return URIRef(f"{self.annotation_base}{self.annotations}")


def _handling(g: Triples, counter: _Counter, notice: URIRef, controllers: list[URIRef]) -> URIRef:
    h = counter.handling()
    g.add((h, RDF.type, DPV.PersonalDataHandling))
    g.add((h, DPV.hasNotice, notice))
    for c in controllers:
        g.add((h, DPV.hasDataController, c))
    return h


def _add_practice(g: Triples, h: URIRef, f: Finding, org, counter: _Counter) -> None:  # type: ignore[no-untyped-def]
    if f.aspect in CONCEPT_PROPS:
        g.add((h, CONCEPT_PROPS[f.aspect], URIRef(f.value)))
    elif f.aspect == "recipients":
        role = f.role or "processor"
        node = org(f, *([ROLE_CLASSES[role]] if role in ROLE_CLASSES else []))
        g.add((h, RECIPIENT_PROPS.get(role, DPV.hasRecipient), node))
    elif f.aspect == "retention":
        cond = counter.bnode()
        g.add((h, DPV.hasStorageCondition, cond))
        if f.value.startswith("P"):
            g.add((cond, RDF.type, DPV.StorageDuration))
            dur = counter.bnode()
            g.add((cond, DPV.hasDuration, dur))
            g.add((dur, RDF.type, DPV.Duration))
            # normalize=False: rdflib would rewrite "P24M" as "P2Y"; the policy said 24 months
            g.add((dur, RDF.value, Literal(f.value, datatype=XSD.duration, normalize=False)))
        else:
            g.add((cond, RDF.type, URIRef(f.value)))


# Terms used per annotation, looked up once (a Namespace attribute builds a new URIRef).
_TYPE, _VALUE = RDF.type, RDF.value
_ANNOTATION, _TEXTUAL_BODY, _HAS_BODY, _HAS_TARGET = OA.Annotation, OA.TextualBody, OA.hasBody, OA.hasTarget
_HAS_SOURCE, _HAS_SELECTOR, _START, _END, _EXACT = OA.hasSource, OA.hasSelector, OA.start, OA.end, OA.exact
_POSITION, _QUOTE = OA.TextPositionSelector, OA.TextQuoteSelector
_ABOUT_PROPERTY, _ABOUT_NOTICE = PKG.aboutProperty, PKG.aboutNotice
_XSD_INTEGER = XSD.integer


@lru_cache(maxsize=65536)
def _offset(n: int) -> Literal:
    return Literal(str(n), datatype=_XSD_INTEGER)


def _annotate(g: Triples, counter: _Counter, target_of: URIRef, doc: Document, spans: list[Span],
              source: URIRef, body: URIRef | None = None, literal: str | None = None,
              about: URIRef | None = None) -> None:
    """One oa:Annotation per distinct sentence: position and quote selectors.

    The body is the handling (practice evidence), or for a notice-level fact the
    organisation or a textual body holding the value, with ``pkg:aboutProperty``
    naming the property of the notice that the passage supports.
    """
    notice = source
    body = body if body is not None else target_of
    add = g.add
    for start, end in sorted({(span.start, span.end) for span in spans}):
        a = counter.annotation()
        add((a, _TYPE, _ANNOTATION))
        if literal is not None:
            text_body = counter.bnode()
            add((text_body, _TYPE, _TEXTUAL_BODY))
            add((text_body, _VALUE, Literal(literal)))
            add((a, _HAS_BODY, text_body))
        else:
            add((a, _HAS_BODY, body))
        if about is not None:
            add((a, _ABOUT_PROPERTY, about))
            add((a, _ABOUT_NOTICE, notice))
        target = counter.bnode()
        add((a, _HAS_TARGET, target))
        add((target, _HAS_SOURCE, notice))
        pos, quote = counter.bnode(), counter.bnode()
        add((target, _HAS_SELECTOR, pos))
        add((pos, _TYPE, _POSITION))
        add((pos, _START, _offset(start)))
        add((pos, _END, _offset(end)))
        add((target, _HAS_SELECTOR, quote))
        add((quote, _TYPE, _QUOTE))
        add((quote, _EXACT, Literal(doc.text[start:end])))
