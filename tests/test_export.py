"""Serialising graphs: RDF/XML is well-formed XML or one clear error, never a file an XML
parser refuses (issue 22); other formats keep every character."""

from __future__ import annotations

import io
from xml.parsers import expat

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from policykg.errors import PolicyKGError
from policykg.export import XmlGuard, serialize

A, P = URIRef("http://ex/a"), URIRef("http://ex/p")


def _graph(value: str) -> Graph:
    g = Graph()
    g.add((A, P, Literal(value)))
    return g


@pytest.mark.parametrize("value", ["nul \x00 here", "bell \x07", "vertical tab \x0b", "\ufffe", "esc \x1b[0m"])
def test_a_character_xml_cannot_hold_is_refused_in_rdfxml(value: str) -> None:
    with pytest.raises(PolicyKGError, match=r"cannot be written as RDF/XML: .* holds U\+[0-9A-F]{4}.*use Turtle"):
        serialize(_graph(value), "xml")


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_other_formats_keep_control_characters(fmt: str) -> None:
    value = "nul \x00 bell \x07 cr \r"
    back = Graph().parse(data=serialize(_graph(value), fmt), format=fmt)
    assert [str(o) for o in back.objects()] == [value]


def test_rdfxml_is_well_formed_and_keeps_carriage_returns_and_astral_characters() -> None:
    value = "a\r\nb\tc 😀 \u2028"
    out = serialize(_graph(value), "xml")
    expat.ParserCreate().Parse(out, True)
    back = Graph().parse(data=out, format="xml")
    assert [str(o) for o in back.objects()] == [value]


def test_the_union_of_a_dataset_is_checked_too() -> None:
    ds = Dataset()
    ds.graph(URIRef("http://ex/g")).add((A, P, Literal("\x01")))
    with pytest.raises(PolicyKGError, match="RDF/XML"):
        serialize(ds, "xml")


def test_the_stores_rdfxml_goes_through_the_guard() -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("a\r\nb")))
    buf = io.BytesIO()
    store.dump(XmlGuard(buf), ox.RdfFormat.RDF_XML, from_graph=ox.DefaultGraph())
    expat.ParserCreate().Parse(buf.getvalue(), True)
    (quad,) = list(ox.parse(buf.getvalue(), ox.RdfFormat.RDF_XML))
    assert quad.object.value == "a\r\nb"
    store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x\x00y")))
    with pytest.raises(PolicyKGError, match="U\\+0000"):
        store.dump(XmlGuard(io.BytesIO()), ox.RdfFormat.RDF_XML, from_graph=ox.DefaultGraph())


def test_a_serialiser_failure_is_one_clear_error() -> None:
    g = Graph()
    g.add((A, URIRef("http://ex/"), Literal("x")))  # no local name: RDF/XML cannot write this predicate
    with pytest.raises(PolicyKGError, match="cannot be written as xml"):
        serialize(g, "xml")
