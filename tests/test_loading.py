"""Loading graph files: Oxigraph's strict parsers, errors that keep the parser's reason
(line and column) on one line, named graphs kept, hostile files refused in linear time."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from policykg.errors import InputError
from policykg.loading import load_dataset, load_graph, load_store, parse_quads

BOMB = """<?xml version="1.0"?>
<!DOCTYPE r [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">
<rdf:Description rdf:about="http://ex/a"><ex:p>&f;</ex:p></rdf:Description>
</rdf:RDF>
"""


def _file(tmp_path: Path, name: str, content: str | bytes) -> str:
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(p)


def test_an_iri_with_a_space_is_an_error_at_its_line_and_column(tmp_path: Path) -> None:
    path = _file(tmp_path, "sp.ttl", "@prefix ex: <http://ex/> .\n<http://ex/a b> ex:p 1 .\n")
    with pytest.raises(InputError) as err:
        load_graph([path])
    message = err.value.format_message()
    assert message.startswith(f"{path}: is not valid turtle (")
    assert "line 2" in message and "column" in message and "\n" not in message
    assert message.count("(line 2)") == 0  # the position is said once


@pytest.mark.parametrize("name,content", [
    ("bad.nt", "<http://ex/a> <http://ex/p> \"x .\n"),
    ("bad.trig", "<http://ex/g> { <http://ex/a> <http://ex/p> }\n"),
    ("bad.jsonld", "{\"@id\": \n"),
    ("bad.rdf", "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description>\n"),
])
def test_every_format_keeps_the_parsers_reason(tmp_path: Path, name: str, content: str) -> None:
    path = _file(tmp_path, name, content)
    with pytest.raises(InputError) as err:
        load_dataset([path])
    message = err.value.format_message()
    assert message.startswith(f"{path}: is not valid ") and "(" in message and "\n" not in message


def test_an_entity_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    path = _file(tmp_path, "bomb.rdf", BOMB)
    with pytest.raises(InputError, match="amplification"):
        load_graph([path])


def test_a_remote_jsonld_context_is_not_fetched(tmp_path: Path) -> None:
    path = _file(tmp_path, "remote.jsonld",
                 '{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://ex/a", "p": "x"}')
    with pytest.raises(InputError, match="json-ld"):
        load_graph([path])


def test_named_graphs_and_prefixes_are_kept(tmp_path: Path) -> None:
    path = _file(tmp_path, "g.trig", "@prefix ex: <http://ex/> .\nex:g { ex:a ex:p \"x\"@en }\nex:b ex:p 2 .\n")
    ds = load_dataset([path])
    assert (URIRef("http://ex/a"), URIRef("http://ex/p"), Literal("x", lang="en")) in ds.graph(URIRef("http://ex/g"))
    assert ("ex", URIRef("http://ex/")) in set(load_graph([path]).namespaces())
    quads, prefixes, fmt = parse_quads(path)
    assert len(quads) == 2 and prefixes["ex"] == "http://ex/" and fmt == "trig"
    store = load_store([path], with_ontology=False)
    assert len(store) == 2


def test_an_ill_typed_literal_is_kept_as_written(tmp_path: Path) -> None:
    path = _file(tmp_path, "ill.ttl", '<http://ex/a> <http://ex/p> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    (o,) = list(load_graph([path]).objects())
    assert str(o) == "abc"


@pytest.mark.parametrize("content,message", [(b"", "empty"), (b"  \n", "empty")])
def test_empty_files(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_graph([_file(tmp_path, "e.ttl", content)])


def test_missing_file_and_no_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_graph([str(tmp_path / "nope.ttl")])
    with pytest.raises(InputError, match="no graph given"):
        load_graph([])


def test_trix_is_read_by_rdflib_with_the_same_error_form(tmp_path: Path) -> None:
    ok = _file(tmp_path, "t.trix", '<TriX xmlns="http://www.w3.org/2004/03/trix/trix-1/"><graph><triple>'
               '<uri>http://ex/a</uri><uri>http://ex/p</uri><plainLiteral>x</plainLiteral></triple></graph></TriX>')
    assert len(load_graph([ok], "trix")) == 1
    bad = _file(tmp_path, "b.trix", "<TriX><graph>")
    with pytest.raises(InputError, match=r"is not valid trix \("):
        load_graph([bad], "trix")


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown RDF format"):
        load_graph([_file(tmp_path, "a.ttl", "<a:a> <a:b> <a:c> .")], "yaml")
