"""The bundled knowledge base of service providers and authorities, as rows.

The data lives in ``ontology/vocab/organisations.ttl`` (RDF, versioned);
this module only reads it for ``policykg vendors`` and the tests.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from policykg.namespaces import DPV, PKG
from policykg.resources import vocab_dir


@lru_cache(maxsize=1)
def kb_graph() -> Graph:
    g = Graph()
    g.parse(vocab_dir() / "organisations.ttl", format="turtle")
    return g


def providers(include_authorities: bool = False) -> list[dict]:  # type: ignore[type-arg]
    """One dict per knowledge-base entry, sorted by label."""
    g = kb_graph()
    rows = []
    for org in g.subjects(RDF.type, DPV.Organisation):
        if not isinstance(org, URIRef):
            continue
        authority = (org, RDF.type, DPV.DataProtectionAuthority) in g
        if authority and not include_authorities:
            continue

        def local(v: object) -> str | None:
            return str(v).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if v is not None else None

        rows.append({
            "id": str(org),
            "label": str(g.value(org, RDFS.label)),
            "aliases": sorted(str(a) for a in g.objects(org, SKOS.altLabel)),
            "country": local(g.value(org, DPV.hasCountry)),
            "category": "DataProtectionAuthority" if authority else local(g.value(org, PKG.serviceCategory)),
            "parent": local(g.value(org, PKG.parentOrganisation)),
            "legal_entity": str(g.value(org, PKG.legalEntity) or "") or None,
            "source": str(g.value(org, DCTERMS.source) or ""),
        })
    return sorted(rows, key=lambda r: r["label"].casefold())
