"""The plain triple list that graph building fills, and its N-Triples output."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.compare import isomorphic

from policykg.namespaces import DPV, FAST_RDF, CachedNamespace
from policykg.triples import Triples


def _sample() -> Triples:
    t = Triples()
    h = URIRef("https://example.org/h/1")
    b = BNode("bx1")
    t.add((h, rdfns.RDF.type, DPV.PersonalDataHandling))
    t.add((h, DPV.hasPurpose, DPV.Marketing))
    t.add((h, DPV.hasPurpose, DPV.Marketing))  # a duplicate is kept once
    t.add((h, DPV.hasStorageCondition, b))
    t.add((b, rdfns.RDF.value, Literal("P6M", datatype=rdfns.XSD.duration)))
    t.add((b, DPV.hasName, Literal('a "quoted"\nline\twith \x01 control', lang="en")))
    t.add((b, DPV.hasName, Literal("12", datatype=rdfns.XSD.integer)))
    t.add((b, DPV.hasName, Literal(" plain ")))
    return t


def test_ntriples_parse_back_to_the_same_graph() -> None:
    t = _sample()
    assert len(t) == 7
    parsed = Graph().parse(data=t.to_ntriples(), format="nt")
    assert isomorphic(parsed, t.to_graph())


def test_a_term_shared_by_many_triples_is_written_the_same_each_time() -> None:
    text = _sample().to_ntriples()
    lines = text.splitlines()
    assert len(lines) == 7 and all(line.endswith(" .") for line in lines)
    assert sum(line.startswith("<https://example.org/h/1> ") for line in lines) == 3
    assert sum(line.startswith("_:bx1 ") for line in lines) == 4


def test_cached_namespaces_give_the_same_terms_as_rdflib() -> None:
    ns = CachedNamespace("https://example.org/v#")
    first = ns.someTerm
    assert first == URIRef("https://example.org/v#someTerm") and ns.someTerm is first
    assert ns["title"] == URIRef("https://example.org/v#title")  # str methods stay methods
    assert FAST_RDF.type == rdfns.RDF.type and FAST_RDF.type is FAST_RDF.type


def test_fast_terms_are_rdflibs_terms() -> None:
    """iri/blank/plain_literal skip rdflib's constructors: each must still be the term rdflib
    builds, slot for slot (an rdflib that changes its Literal layout fails here)."""
    from policykg.triples import blank, iri, plain_literal

    for text in ("Your e-mail address is kept 12 months.", "", " plain ", 'a "quoted"\nline', "1", "2024-01-01"):
        fast, slow = plain_literal(text), Literal(text)
        assert type(fast) is Literal and fast == slow and hash(fast) == hash(slow)
        assert {k: getattr(fast, k) for k in Literal.__slots__} == {k: getattr(slow, k) for k in Literal.__slots__}
        assert fast.eq(slow) and fast.n3() == slow.n3()
    u = iri("https://w3id.org/policykg/id/handling/acme/1")
    assert type(u) is URIRef and u == URIRef(str(u)) and hash(u) == hash(URIRef(str(u)))
    b = blank("bx1")
    assert type(b) is BNode and b == BNode("bx1") and b.n3() == "_:bx1"
    g = Graph()
    g.add((u, DPV.hasName, plain_literal("x")))
    assert (URIRef(str(u)), DPV.hasName, Literal("x")) in g


def test_nt_writes_each_kind_of_term() -> None:
    from policykg.triples import nt

    xsd = "http://www.w3.org/2001/XMLSchema#"
    cases = {
        URIRef("https://w3id.org/dpv#Marketing"): "<https://w3id.org/dpv#Marketing>",
        BNode("bx1"): "_:bx1",
        Literal("plain"): '"plain"',
        Literal('a "q"\nb'): '"a \\"q\\"\\nb"',
        Literal("hej", lang="sv"): '"hej"@sv',
        Literal("12", datatype=URIRef(xsd + "integer")): f'"12"^^<{xsd}integer>',
        Literal("P24M", datatype=URIRef(xsd + "duration"), normalize=False): f'"P24M"^^<{xsd}duration>',
        Literal("x", datatype=URIRef(xsd + "string")): '"x"',  # xsd:string is the plain literal
    }
    for term, expected in cases.items():
        assert nt(term) == expected and type(nt(term)) is str
