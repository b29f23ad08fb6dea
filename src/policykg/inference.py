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

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from policykg.extractors.organisations import knowledge_base
from policykg.extractors.transfers import within_eea
from policykg.iris import ID, slug
from policykg.namespaces import DPV, LOC, PKG, PROV, RECIPIENT_PROPERTIES, bind


def derive(stated: Graph, identifier: str) -> Graph:
    """Possible transfers implied by the processors a policy names."""
    out = Graph()
    bind(out)
    eea = within_eea()
    countries = {str(o.iri): o.country for o in knowledge_base() if o.country and not o.authority}
    found: dict[tuple[URIRef, URIRef], list[URIRef]] = {}
    for h in stated.subjects(RDF.type, DPV.PersonalDataHandling):
        notice = stated.value(h, DPV.hasNotice)
        if notice is None:
            continue
        for prop in RECIPIENT_PROPERTIES:
            for org in stated.objects(h, prop):
                country = countries.get(str(org))
                if country and str(LOC[country]) not in eea:
                    found.setdefault((notice, org), []).append(h)
    for n, ((notice, org), handlings) in enumerate(sorted(found.items()), start=1):
        node = ID[f"derived/{slug(identifier)}/{n}"]
        out.add((node, RDF.type, PKG.PossibleTransfer))
        out.add((node, PKG.derivedFor, notice))
        out.add((node, DPV.hasProcessing, DPV.Transfer))
        out.add((node, DPV.hasThirdCountry, LOC[countries[str(org)]]))
        out.add((node, DPV.hasDataProcessor, org))
        out.add((node, PROV.wasDerivedFrom, PKG.ProcessorHeadquartersRule))
        for h in sorted(set(handlings)):
            out.add((node, PROV.wasDerivedFrom, h))
    return out
