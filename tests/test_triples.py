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
