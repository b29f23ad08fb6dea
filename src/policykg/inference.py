"""Derived facts, kept apart from what a policy says.

Rule (``pkg:ProcessorHeadquartersRule``): a policy that names a processor or
recipient headquartered outside the EU/EEA (per the bundled knowledge base)
possibly transfers personal data to that country. The result is a
``pkg:PossibleTransfer`` — never a ``dpv:PersonalDataHandling`` with
``dpv:hasNotice`` — linked by ``prov:wasDerivedFrom`` to the rule and to the
stated handlings that name the processor (whose evidence shows the passage). In
N-Quads/TriG it sits in its own named graph, ``…/graph/<id>/derived``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.term import Node

from policykg.extractors.organisations import knowledge_base
from policykg.extractors.transfers import within_eea
from policykg.iris import ID, slug
from policykg.namespaces import DPV, LOC, PKG, PROV, RECIPIENT_PROPERTIES
from policykg.namespaces import FAST_RDF as RDF
from policykg.triples import Triples


def derive(stated: Iterable[tuple[Node, Node, Node]], identifier: str) -> Graph:
    """Possible transfers implied by the processors a policy names (an rdflib graph)."""
    return derive_triples(stated, identifier).to_graph()


@lru_cache(maxsize=1)
def _headquarters() -> dict[str, str]:
    """Organisation IRI -> the country of its headquarters, for the knowledge base's
    recipients (built once: the bundled knowledge base does not change in a process)."""
    return {str(o.iri): o.country for o in knowledge_base() if o.country and not o.authority}


def derive_triples(stated: Iterable[tuple[Node, Node, Node]], identifier: str) -> Triples:
    """Possible transfers implied by the processors a policy names.

    One pass over the stated triples (a :class:`Triples` or an rdflib graph).
    """
    out = Triples()
    eea = within_eea()
    countries = _headquarters()
    handlings: set[Node] = set()
    notices: dict[Node, Node] = {}
    named: list[tuple[Node, Node]] = []
    # one dict lookup per triple (rdflib's __eq__ is Python-level and this runs on every triple)
    kinds: dict[Node, str] = {RDF.type: "type", DPV.hasNotice: "notice",
                              **{p: "recipient" for p in RECIPIENT_PROPERTIES}}
    handling = DPV.PersonalDataHandling
    for s, p, o in stated:
        kind = kinds.get(p)
        if kind is None:
            continue
        if kind == "type":
            if o == handling:
                handlings.add(s)
        elif kind == "notice":
            notices.setdefault(s, o)
        else:
            country = countries.get(str(o))
            if country and str(LOC[country]) not in eea:
                named.append((s, o))
    found: dict[tuple[URIRef, URIRef], list[URIRef]] = {}
    for h, org in named:
        notice = notices.get(h)
        if h in handlings and notice is not None:
            found.setdefault((notice, org), []).append(h)  # type: ignore[arg-type]
    for n, ((notice, org), hs) in enumerate(sorted(found.items()), start=1):
        node = ID[f"derived/{slug(identifier)}/{n}"]
        out.add((node, RDF.type, PKG.PossibleTransfer))
        out.add((node, PKG.derivedFor, notice))
        out.add((node, DPV.hasProcessing, DPV.Transfer))
        out.add((node, DPV.hasThirdCountry, LOC[countries[str(org)]]))
        out.add((node, DPV.hasDataProcessor, org))
        out.add((node, PROV.wasDerivedFrom, PKG.ProcessorHeadquartersRule))
        for h in sorted(set(hs)):
            out.add((node, PROV.wasDerivedFrom, h))
    return out
