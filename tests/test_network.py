"""The vendor <-> recipient network: where a recipient processes data, and a picture screen readers can read."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rdflib import Graph

from policykg.network import HEADQUARTERS, INSIDE, MIXED, OUTSIDE, STATED, network, to_svg

SVG = "{http://www.w3.org/2000/svg}"

# Two policies name the same US-headquartered processor: one says the data is processed in
# the EU, the other does not say where. A third names a processor the knowledge base lacks.
TWO_POLICIES = """
@prefix dpv: <https://w3id.org/dpv#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix loc: <https://w3id.org/dpv/loc#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://w3id.org/policykg/id/> . @prefix org: <https://w3id.org/policykg/org/> .
ex:n-a a dpv:PrivacyNotice ; dct:identifier "alpha" .
ex:n-b a dpv:PrivacyNotice ; dct:identifier "beta" .
org:azure a dpv:Organisation ; rdfs:label "Microsoft Azure" ; dpv:hasCountry loc:US .
org:cloudco a dpv:Organisation ; rdfs:label "CloudCo" ; dpv:hasCountry loc:US .
org:local a dpv:Organisation ; rdfs:label "Local Hosting AB" .
ex:ha a dpv:PersonalDataHandling ; dpv:hasNotice ex:n-a ; dpv:hasDataProcessor org:azure ; dpv:hasLocation loc:EU .
ex:hb a dpv:PersonalDataHandling ; dpv:hasNotice ex:n-b ; dpv:hasDataProcessor org:cloudco, org:local .
ex:hc a dpv:PersonalDataHandling ; dpv:hasNotice ex:n-a ; dpv:hasDataProcessor org:cloudco ; dpv:hasLocation loc:SE .
ex:hd a dpv:PersonalDataHandling ; dpv:hasNotice ex:n-b ; dpv:hasDataProcessor org:azure ;
    dpv:hasThirdCountry loc:US .
"""
AZURE, CLOUDCO, LOCAL = (f"https://w3id.org/policykg/org/{x}" for x in ("azure", "cloudco", "local"))


def _net():  # type: ignore[no-untyped-def]
    return network(Graph().parse(data=TWO_POLICIES, format="turtle"))


def test_a_stated_place_wins_over_the_headquarters() -> None:
    net = _net()
    # alpha's policy places Azure in the EU; beta's says it goes to the US: each edge its own
    assert net.placements[("alpha", AZURE)].region == INSIDE and net.placements[("alpha", AZURE)].basis == STATED
    assert net.placements[("beta", AZURE)].region == OUTSIDE and net.placements[("beta", AZURE)].places == ("US",)
    # CloudCo: alpha says Sweden, beta says nothing (headquarters US)
    assert net.placements[("alpha", CLOUDCO)].region == INSIDE
    assert net.placements[("beta", CLOUDCO)] .basis == HEADQUARTERS
    assert net.placement(CLOUDCO).region == OUTSIDE and net.placement(CLOUDCO).basis == MIXED
    assert net.placement(LOCAL).basis == HEADQUARTERS and net.placement(LOCAL).places == ()


def test_a_us_processor_the_policy_places_in_the_eu_is_not_red() -> None:
    g = Graph().parse(data=TWO_POLICIES.replace("dpv:hasThirdCountry loc:US", "dpv:hasLocation loc:IE"),
                      format="turtle")
    svg = ET.fromstring(to_svg(network(g)))
    azure = next(n for n in svg.iter(SVG + "g") if "Microsoft Azure" in (n.findtext(SVG + "text") or ""))
    assert azure.get("data-region") == INSIDE and azure.get("data-basis") == STATED
    assert azure.find(SVG + "circle").get("fill") != "#c9302c"
    assert "EU, IE" in azure.findtext(SVG + "text")


def test_the_legend_says_which_basis() -> None:
    svg = to_svg(_net())
    assert "by headquarters" in svg and "where the policy says the data is processed" in svg
    assert 'stroke-dasharray' in svg  # beta's CloudCo link rests on the headquarters only


def test_the_picture_has_a_title_and_a_description_for_screen_readers() -> None:
    svg = ET.fromstring(to_svg(_net(), title="Who sends data where"))
    assert svg.get("role") == "img"
    title, desc = svg[0], svg[1]
    assert (title.tag, desc.tag) == (SVG + "title", SVG + "desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Who sends data where"
    assert "2 vendors and 3 named recipients" in desc.text and "outside the EU/EEA: 2" in desc.text
    nodes = [g for g in svg.iter(SVG + "g") if g.get("class") in ("vendor", "recipient")]
    assert len(nodes) == 5 and all(g.find(SVG + "title") is not None for g in nodes)
    local = next(g for g in nodes if "Local Hosting" in g.findtext(SVG + "title"))
    assert "headquarters not in the knowledge base" in local.findtext(SVG + "title")
    assert "beta: policy does not say where" in local.findtext(SVG + "title")


def test_bundled_azure_is_placed_where_ip1_says(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    net = network(bundled_graph)
    azure = next(iri for iri, label, _ in net.recipients if label == "Microsoft Azure")
    assert net.placement(azure).region == INSIDE and net.placement(azure).basis == STATED
