"""The vendor <-> recipient network: DOT and GraphML for graph tools, SVG to look at.

Nodes are vendors (notices) and the organisations their policies name as
recipients; an edge means "this vendor's policy names this recipient". The SVG
is drawn here (two columns, no layout engine needed), so it has no dependency
and renders anywhere.

Where a recipient processes the data is what the policy says when it says so
(``dpv:hasLocation`` / ``dpv:hasThirdCountry`` on the handlings that name it:
"Microsoft Azure, in data centres in the EU"), and only otherwise its
headquarters from the knowledge base: a US-headquartered processor that the
policy places in the EU is not drawn as a transfer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from policykg.extractors.transfers import within_eea
from policykg.namespaces import DPV, LOC, RECIPIENT_PROPERTIES

INSIDE, OUTSIDE, UNKNOWN = "inside", "outside", "unknown"  # the EU/EEA
STATED, HEADQUARTERS, MIXED = "stated", "headquarters", "mixed"  # what a placement rests on


@dataclass(frozen=True)
class Placement:
    """Where one vendor's policy puts one recipient's processing, and on what basis."""

    region: str  # INSIDE, OUTSIDE or UNKNOWN (the EU/EEA)
    basis: str  # STATED (the policy names the place) or HEADQUARTERS (the knowledge base)
    places: tuple[str, ...]  # the stated place codes (loc:EU -> "EU"), or the headquarters country


@dataclass(frozen=True)
class Network:
    vendors: list[str]
    recipients: list[tuple[str, str, str | None]]  # (iri, label, headquarters country)
    edges: list[tuple[str, str]]  # (vendor, recipient iri)
    placements: dict[tuple[str, str], Placement] = field(default_factory=dict)  # per edge

    def placement(self, iri: str) -> Placement:
        """A recipient's colour: outside the EU/EEA if any vendor's placement is, inside if all
        are; STATED when every naming policy says where, HEADQUARTERS when none does."""
        ps = [self.placements[e] for e in self.edges if e[1] == iri and e in self.placements]
        if not ps:
            return Placement(UNKNOWN, HEADQUARTERS, ())
        regions = {p.region for p in ps}
        region = OUTSIDE if OUTSIDE in regions else INSIDE if regions == {INSIDE} else UNKNOWN
        bases = {p.basis for p in ps}
        return Placement(region, bases.pop() if len(bases) == 1 else MIXED,
                         tuple(sorted({x for p in ps for x in p.places})))


def _code(iri: object) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _placement(stated: set[str], country: str | None, eea: frozenset[str]) -> Placement:
    if stated:
        region = OUTSIDE if any(str(LOC[c]) not in eea for c in stated) else INSIDE
        return Placement(region, STATED, tuple(sorted(stated)))
    if country is None:
        return Placement(UNKNOWN, HEADQUARTERS, ())
    return Placement(INSIDE if str(LOC[country]) in eea else OUTSIDE, HEADQUARTERS, (country,))


def network(g: Graph) -> Network:
    """Vendors, named recipients and who names whom, from a policy graph, and for each
    (vendor, recipient) where that vendor's policy says the recipient processes the data."""
    edges: set[tuple[str, str]] = set()
    recipients: dict[str, tuple[str, str, str | None]] = {}
    stated: dict[tuple[str, str], set[str]] = {}
    for h in g.subjects(RDF.type, DPV.PersonalDataHandling):
        notice = g.value(h, DPV.hasNotice)
        vendor = g.value(notice, DCTERMS.identifier) if notice is not None else None
        if vendor is None:
            continue
        places = {_code(x) for p in (DPV.hasLocation, DPV.hasThirdCountry) for x in g.objects(h, p)
                  if isinstance(x, URIRef) and str(x).startswith(str(LOC))}
        for prop in RECIPIENT_PROPERTIES:
            for org in g.objects(h, prop):
                if not isinstance(org, URIRef) or (org, RDF.type, DPV.Organisation) not in g:
                    continue
                country = g.value(org, DPV.hasCountry)
                recipients[str(org)] = (str(org), str(g.value(org, RDFS.label) or org),
                                        _code(country) if country else None)
                edges.add((str(vendor), str(org)))
                stated.setdefault((str(vendor), str(org)), set()).update(places)
    vendors = sorted({str(v) for n in g.subjects(RDF.type, DPV.PrivacyNotice)
                      for v in g.objects(n, DCTERMS.identifier)})
    degree = {r: sum(1 for _, x in edges if x == r) for r in recipients}
    ordered = sorted(recipients.values(), key=lambda r: (-degree[r[0]], r[1].casefold()))
    eea = within_eea()  # EU/EEA membership is data (pkg:withinEEA in locations.ttl)
    placements = {e: _placement(stated[e], recipients[e[1]][2], eea) for e in edges}
    return Network(vendors, ordered, sorted(edges), placements)


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


_REGION_COLOR = {OUTSIDE: "#c9302c", INSIDE: "#3d8b3d", UNKNOWN: "#8a8a8a"}
_REGION_TEXT = {OUTSIDE: "outside the EU/EEA", INSIDE: "in the EU/EEA", UNKNOWN: "place unknown"}
_BASIS_TEXT = {STATED: "as the policy states", HEADQUARTERS: "by headquarters (the policy does not say)",
               MIXED: "as some policies state, by headquarters for the others"}


def _node_title(net: Network, iri: str, label: str, country: str | None) -> str:
    """What a screen reader (and a hover) tells about one recipient: each naming vendor's placement."""
    p = net.placement(iri)
    parts = [f"{label}: {_REGION_TEXT[p.region]}, {_BASIS_TEXT[p.basis]}"
             + (f"; headquarters {country}" if country else "; headquarters not in the knowledge base")]
    for (v, r), q in sorted(net.placements.items()):
        if r == iri:
            how = f"policy states {', '.join(q.places)}" if q.basis == STATED else "policy does not say where"
            parts.append(f"{v}: {how}")
    return ". ".join(parts)


def to_svg(net: Network, title: str = "Vendors and the recipients their policies name") -> str:
    """Two columns: vendors left, recipients right (most shared first), edges between.

    A recipient is coloured by where the data is processed: filled when the policies
    that name it say where, a ring when only its headquarters is known (the legend says
    which). Edges carry the same colour per vendor, dashed when by headquarters. The
    picture has a ``<title>`` and a ``<desc>`` (role img), and every node its own
    ``<title>``, for screen readers."""
    longest = max((len(f"{r[1]} ({r[2]})") for r in net.recipients), default=10)
    row, top, width = 26, 60, max(760, 470 + 12 + int(7.4 * longest) + 20)
    height = top + row * max(len(net.vendors), len(net.recipients), 1) + 60
    vy = {v: top + row * i + (row * (len(net.recipients) - len(net.vendors)) / 2 if len(net.recipients) > len(net.vendors) else 0)
          for i, v in enumerate(net.vendors)}
    ry = {r[0]: top + row * i for i, r in enumerate(net.recipients)}
    x1, x2 = 190, 470
    regions = {iri: net.placement(iri) for iri, _, _ in net.recipients}
    count = {k: sum(p.region == k for p in regions.values()) for k in _REGION_COLOR}
    desc = (f"{len(net.vendors)} vendors and {len(net.recipients)} named recipients, "
            f"{len(net.edges)} links. Recipients processing data outside the EU/EEA: {count[OUTSIDE]}; "
            f"in the EU/EEA: {count[INSIDE]}; place unknown: {count[UNKNOWN]}. Where a policy says where "
            "a recipient processes the data, that place counts; otherwise the recipient's headquarters.")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="net-title net-desc" '
             'font-family="Helvetica, Arial, sans-serif" font-size="13">',
             f'<title id="net-title">{escape(title)}</title>',
             f'<desc id="net-desc">{escape(desc)}</desc>',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="20" y="30" font-size="16" font-weight="bold" aria-hidden="true">{escape(title)}</text>']
    for v, r in net.edges:
        p = net.placements.get((v, r), Placement(UNKNOWN, HEADQUARTERS, ()))
        dash = ' stroke-dasharray="4 3"' if p.basis == HEADQUARTERS else ""
        parts.append(f'<line x1="{x1}" y1="{vy[v]:.0f}" x2="{x2}" y2="{ry[r]:.0f}" '
                     f'stroke="{_REGION_COLOR[p.region]}" stroke-width="1.2" opacity="0.55"{dash}/>')
    for v, y in vy.items():
        parts.append(f'<g class="vendor"><title>{escape(v)}</title>'
                     f'<rect x="20" y="{y - 10:.0f}" width="{x1 - 20}" height="20" rx="4" fill="#dbe9f6" '
                     f'stroke="#4a78b0"/><text x="{x1 - 8}" y="{y + 4:.0f}" text-anchor="end">{escape(v)}</text></g>')
    for iri, label, country in net.recipients:
        y, p = ry[iri], regions[iri]
        color = _REGION_COLOR[p.region]
        fill = color if p.basis == STATED else "white" if p.basis == HEADQUARTERS else f"url(#half-{p.region})"
        where = f" · {', '.join(p.places)}" if p.basis == STATED and p.places else ""
        text = (f"{label} ({country})" if country else label) + where
        parts.append(f'<g class="recipient" data-region="{p.region}" data-basis="{p.basis}">'
                     f'<title>{escape(_node_title(net, iri, label, country))}</title>'
                     f'<circle cx="{x2}" cy="{y}" r="6" fill="{fill}" stroke="{color}" stroke-width="2.5"/>'
                     f'<text x="{x2 + 12}" y="{y + 4}">{escape(text)}</text></g>')
    defs = "".join(f'<linearGradient id="half-{k}"><stop offset="50%" stop-color="{c}"/>'
                   f'<stop offset="50%" stop-color="white"/></linearGradient>' for k, c in _REGION_COLOR.items())
    parts.insert(3, f"<defs>{defs}</defs>")
    ly = height - 34
    legend = [(f'<circle cx="26" cy="{ly}" r="5" fill="{_REGION_COLOR[OUTSIDE]}" stroke="{_REGION_COLOR[OUTSIDE]}" '
               'stroke-width="2.5"/>', "outside the EU/EEA"),
              (f'<circle cx="26" cy="{ly}" r="5" fill="{_REGION_COLOR[INSIDE]}" stroke="{_REGION_COLOR[INSIDE]}" '
               'stroke-width="2.5"/>', "in the EU/EEA"),
              (f'<circle cx="26" cy="{ly}" r="5" fill="white" stroke="{_REGION_COLOR[UNKNOWN]}" stroke-width="2.5"/>',
               "not in the knowledge base")]
    x = 0
    for mark, words in legend:
        parts.append(f'<g transform="translate({x},0)" aria-hidden="true">{mark}'
                     f'<text x="36" y="{ly + 4}" font-size="11" fill="#333">{words}</text></g>')
        x += 60 + int(6.2 * len(words))
    parts.append(f'<text x="20" y="{height - 12}" font-size="11" fill="#333" aria-hidden="true">filled: where the '
                 'policy says the data is processed (place after ·) · ring, dashed link: by headquarters, the '
                 'policy does not say · half: both</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
