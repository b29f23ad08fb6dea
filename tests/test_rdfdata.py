"""The fast reader of the bundled Turtle data holds exactly what rdflib reads."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from policykg.rdfdata import read_turtle
from policykg.resources import vocab_dir


def test_every_bundled_triple_as_rdflib_reads_it() -> None:
    files = sorted(vocab_dir().rglob("*.ttl"))
    index = read_turtle(files)
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    assert len(index) == len(g)
    assert all(t in index for t in g)


def test_lookups(tmp_path: Path) -> None:
    f = tmp_path / "v.ttl"
    f.write_text("""@prefix ex: <https://example.org/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:a a skos:Concept ; skos:prefLabel "data"@en, "uppgifter"@sv ; ex:flag true ; ex:n 3 ; ex:s "plain" .
ex:b a skos:Concept ; skos:prefLabel "data"@en .
ex:a a skos:Concept .
""", encoding="utf-8")
    g = read_turtle([f])
    a, b = URIRef("https://example.org/a"), URIRef("https://example.org/b")
    assert list(g.subjects(RDF.type, SKOS.Concept)) == [a, b]  # file order, the repeated triple once
    assert set(g.objects(a, SKOS.prefLabel)) == {Literal("data", lang="en"), Literal("uppgifter", lang="sv")}
    assert (a, URIRef("https://example.org/flag"), Literal(True)) in g
    assert g.value(a, URIRef("https://example.org/n")) == Literal(3, datatype=XSD.integer)
    assert g.value(a, URIRef("https://example.org/s")) == Literal("plain")
    assert g.value(b, URIRef("https://example.org/flag")) is None
    assert list(g.subjects(SKOS.prefLabel, Literal("data", lang="en"))) == [a, b]
