"""The vendor <-> recipient network: DOT and GraphML for graph tools, SVG to look at.

Nodes are vendors (notices) and the organisations their policies name as
recipients; an edge means "this vendor's policy names this recipient". The SVG
is drawn here (two columns, no layout engine needed), so it has no dependency
and renders anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from policykg.extractors.transfers import within_eea
from policykg.namespaces import DPV, LOC, RECIPIENT_PROPERTIES


@dataclass(frozen=True)
class Network:
    vendors: list[str]
    recipients: list[tuple[str, str, str | None]]  # (iri, label, country)
    edges: list[tuple[str, str]]  # (vendor, recipient iri)


def network(g: Graph) -> Network:
    """Vendors, named recipients and who names whom, from a policy graph."""
    edges: set[tuple[str, str]] = set()
    recipients: dict[str, tuple[str, str, str | None]] = {}
    for h in g.subjects(RDF.type, DPV.PersonalDataHandling):
        notice = g.value(h, DPV.hasNotice)
        vendor = g.value(notice, DCTERMS.identifier) if notice is not None else None
        if vendor is None:
            continue
        for prop in RECIPIENT_PROPERTIES:
            for org in g.objects(h, prop):
                if not isinstance(org, URIRef) or (org, RDF.type, DPV.Organisation) not in g:
                    continue
                country = g.value(org, DPV.hasCountry)
                recipients[str(org)] = (str(org), str(g.value(org, RDFS.label) or org),
                                        str(country).rsplit("#", 1)[-1] if country else None)
                edges.add((str(vendor), str(org)))
    vendors = sorted({str(v) for n in g.subjects(RDF.type, DPV.PrivacyNotice)
                      for v in g.objects(n, DCTERMS.identifier)})
    degree = {r: sum(1 for _, x in edges if x == r) for r in recipients}
    ordered = sorted(recipients.values(), key=lambda r: (-degree[r[0]], r[1].casefold()))
    return Network(vendors, ordered, sorted(edges))


def to_dot(net: Network) -> str:
    lines = ["graph policykg {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for v in net.vendors:
        lines.append(f'  "v:{v}" [label="{v}", shape=box, style=filled, fillcolor="#dbe9f6"];')
    for iri, label, country in net.recipients:
        text = f"{label} ({country})" if country else label
        lines.append(f'  "{iri}" [label="{_dot(text)}", shape=ellipse];')
    for v, r in net.edges:
        lines.append(f'  "v:{v}" -- "{r}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def to_graphml(net: Network) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
           '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
           '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
           '  <key id="country" for="node" attr.name="country" attr.type="string"/>',
           '  <graph id="policykg" edgedefault="undirected">']
    for v in net.vendors:
        out.append(f'    <node id="v:{escape(v)}"><data key="label">{escape(v)}</data>'
                   '<data key="kind">vendor</data></node>')
    for iri, label, country in net.recipients:
        out.append(f'    <node id="{escape(iri)}"><data key="label">{escape(label)}</data>'
                   f'<data key="kind">recipient</data><data key="country">{escape(country or "")}</data></node>')
    for i, (v, r) in enumerate(net.edges):
        out.append(f'    <edge id="e{i}" source="v:{escape(v)}" target="{escape(r)}"/>')
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"


def to_svg(net: Network, title: str = "Vendors and the recipients their policies name") -> str:
    """Two columns: vendors left, recipients right (most shared first), edges between."""
    longest = max((len(f"{r[1]} ({r[2]})") for r in net.recipients), default=10)
    row, top, width = 26, 60, max(620, 470 + 12 + int(7.4 * longest) + 20)
    height = top + row * max(len(net.vendors), len(net.recipients), 1) + 30
    vy = {v: top + row * i + (row * (len(net.recipients) - len(net.vendors)) / 2 if len(net.recipients) > len(net.vendors) else 0)
          for i, v in enumerate(net.vendors)}
    ry = {r[0]: top + row * i for i, r in enumerate(net.recipients)}
    x1, x2 = 190, 470
    eea = within_eea()  # EU/EEA membership is data (pkg:withinEEA in locations.ttl)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="13">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="20" y="30" font-size="16" font-weight="bold">{escape(title)}</text>']
    for v, r in net.edges:
        parts.append(f'<line x1="{x1}" y1="{vy[v]:.0f}" x2="{x2}" y2="{ry[r]:.0f}" stroke="#7a9cc6" '
                     'stroke-width="1.2" opacity="0.7"/>')
    for v, y in vy.items():
        parts.append(f'<rect x="20" y="{y - 10:.0f}" width="{x1 - 20}" height="20" rx="4" fill="#dbe9f6" '
                     'stroke="#4a78b0"/>')
        parts.append(f'<text x="{x1 - 8}" y="{y + 4:.0f}" text-anchor="end">{escape(v)}</text>')
    for iri, label, country in net.recipients:
        y = ry[iri]
        outside = country is not None and str(LOC[country]) not in eea
        color = "#d9534f" if outside else "#5cb85c" if country else "#999999"
        parts.append(f'<circle cx="{x2}" cy="{y}" r="6" fill="{color}"/>')
        text = f"{label} ({country})" if country else label
        parts.append(f'<text x="{x2 + 12}" y="{y + 4}">{escape(text)}</text>')
    parts.append(f'<text x="20" y="{height - 10}" font-size="11" fill="#555">red: headquartered outside '
                 'the EU/EEA · green: inside · grey: not in the knowledge base</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
