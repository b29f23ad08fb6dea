"""Namespaces of the graph contract (CONTRACT.md) and the project's own terms."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

DPV = Namespace("https://w3id.org/dpv#")
PD = Namespace("https://w3id.org/dpv/pd#")
EU_GDPR = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
LOC = Namespace("https://w3id.org/dpv/loc#")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
PKG = Namespace("https://w3id.org/policykg#")
ORG = Namespace("https://w3id.org/policykg/org/")

PREFIXES = {
    "dpv": DPV, "pd": PD, "eu-gdpr": EU_GDPR, "loc": LOC, "oa": OA, "dct": DCTERMS,
    "pkg": PKG, "org": ORG, "rdfs": RDFS, "rdf": RDF, "xsd": XSD, "skos": SKOS, "owl": OWL,
    "prov": PROV,
}
DPV_SPACES = (str(DPV), str(PD), str(EU_GDPR), str(LOC))
RECIPIENT_PROPERTIES = (DPV.hasDataProcessor, DPV.hasRecipientThirdParty, DPV.hasRecipient)
"""The properties by which a handling names who receives the data (graph.py chooses one by role)."""


def bind(graph) -> None:  # type: ignore[no-untyped-def]
    """Bind the project's prefixes so serialisations are readable."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
