"""Namespaces of the graph contract (CONTRACT.md) and the project's own terms."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD


class CachedNamespace(Namespace):
    """A namespace that creates each term once.

    rdflib's ``Namespace`` builds (and validates) a new URIRef on every
    attribute access; graph building asks for ``DPV.hasPurpose`` tens of
    thousands of times per corpus.
    """

    @lru_cache(maxsize=4096)  # noqa: B019 - namespaces live as long as the process
    def term(self, name: str) -> URIRef:
        return super().term(name)

    def __getattr__(self, name: str) -> URIRef:
        # Called only when normal lookup fails: keep the term in the instance's
        # __dict__, so the next ``DPV.hasPurpose`` is a plain attribute read
        # (~30 ns) instead of rdflib's checks and a cache lookup (~2 µs).
        value = super().__getattr__(name)
        if not name.startswith("_"):
            self.__dict__[name] = value
        return value


DPV = CachedNamespace("https://w3id.org/dpv#")
PD = CachedNamespace("https://w3id.org/dpv/pd#")
EU_GDPR = CachedNamespace("https://w3id.org/dpv/legal/eu/gdpr#")
LOC = CachedNamespace("https://w3id.org/dpv/loc#")
OA = CachedNamespace("http://www.w3.org/ns/oa#")
PROV = CachedNamespace("http://www.w3.org/ns/prov#")
PKG = CachedNamespace("https://w3id.org/policykg#")
ORG = CachedNamespace("https://w3id.org/policykg/org/")

# rdflib's RDF, RDFS, XSD and DCTERMS are closed namespaces that also build a URIRef
# on every attribute access; code that runs per triple uses these twins (same IRIs).
FAST_RDF = CachedNamespace(str(RDF))
FAST_RDFS = CachedNamespace(str(RDFS))
FAST_XSD = CachedNamespace(str(XSD))
FAST_DCTERMS = CachedNamespace(str(DCTERMS))

PREFIXES = {
    "dpv": DPV, "pd": PD, "eu-gdpr": EU_GDPR, "loc": LOC, "oa": OA, "dct": DCTERMS,
    "pkg": PKG, "org": ORG, "rdfs": RDFS, "rdf": RDF, "xsd": XSD, "skos": SKOS, "owl": OWL,
    "prov": PROV, "sh": SH,
}
"""The one place the project's prefixes are chosen: every Turtle, TriG and JSON-LD
policykg writes uses these (rdflib's defaults would name DCTERMS ``dcterms:``, make up
``ns1:`` for the rest, and give ``org:`` to the W3C Organization Ontology)."""
DPV_SPACES = (str(DPV), str(PD), str(EU_GDPR), str(LOC))
RECIPIENT_PROPERTIES = (DPV.hasDataProcessor, DPV.hasRecipientThirdParty, DPV.hasRecipient)
"""The properties by which a handling names who receives the data (graph.py chooses one by role)."""


def bind(graph) -> None:  # type: ignore[no-untyped-def]
    """Bind the project's prefixes so serialisations are readable.

    ``replace``: a prefix rdflib binds by default to another namespace (``org:`` is
    the W3C Organization Ontology there) is given to the project's namespace.

    The graphs of a dataset share its bindings, but each binds rdflib's defaults
    again (``dcterms:``, W3C ``org:``) the first time its namespace manager is
    used, which TriG's serialiser does: they are made to do so before binding."""
    if hasattr(graph, "default_graph"):
        for g in (graph.default_graph, *graph.graphs()):
            g.namespace_manager  # noqa: B018 - created now, so that it cannot rebind later
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def prefix_map() -> dict[str, str]:
    """The project's prefixes as plain strings (Oxigraph's serialisers, a JSON-LD context)."""
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}
