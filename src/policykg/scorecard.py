"""GDPR transparency scorecard: vendor x disclosure item, from the SHACL report.

One source of truth: the items are the shapes in ``shapes/transparency.ttl``
(typed ``pkg:DisclosureItem``). A cell is *missing* when the SHACL report has a
result from the item's shape for that notice, *not applicable* when the item's
``pkg:applicableQuery`` says so, and otherwise *stated*, with the quote its
``pkg:evidenceQuery`` finds: the evidence of one fact that states the item
(``?value ?quote ?start ?end``, the earliest), never a passage's other
sentences. No rule is repeated here in Python.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from policykg.errors import InputError
from policykg.namespaces import DPV, PKG
from policykg.queries import prepare
from policykg.validation import Report

PREFIXES = """PREFIX dpv: <https://w3id.org/dpv#> PREFIX eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#>
PREFIX dct: <http://purl.org/dc/terms/> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX pkg: <https://w3id.org/policykg#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
STATUSES = ("stated", "missing", "n/a")
UI = {
    "en": {"title": "GDPR transparency scorecard", "vendor": "Vendor", "completeness": "completeness",
           "stated": "stated", "missing": "missing", "n/a": "not applicable", "all": "all",
           "language": "Language", "item": "Disclosure", "chars": "characters", "lead":
           "What each policy discloses under GDPR Art. 13/14, with the passage that says it. "
           "Missing items are gaps found by the SHACL shapes; grey items do not apply."},
    "sv": {"title": "Transparensöversikt enligt GDPR", "vendor": "Leverantör", "completeness": "fullständighet",
           "stated": "anges", "missing": "saknas", "n/a": "ej tillämpligt", "all": "alla",
           "language": "Språk", "item": "Upplysning", "chars": "tecken", "lead":
           "Vad varje policy upplyser om enligt GDPR art. 13/14, med textstället som säger det. "
           "Saknade punkter är brister som SHACL-formerna hittat; grå punkter gäller inte."},
}


@dataclass
class Item:
    iri: str
    name: str
    article: str
    label: dict[str, str]
    severity: str
    evidence_queries: list[str]
    applicable_query: str | None


@dataclass
class Cell:
    status: str
    severity: str | None = None
    message: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    value: str | None = None  # the fact the quote states: a DPV concept, organisation, duration ...


@dataclass
class Vendor:
    identifier: str
    language: str
    publisher: str | None
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def completeness(self) -> float | None:
        applicable = [c for c in self.cells.values() if c.status != "n/a"]
        return sum(c.status == "stated" for c in applicable) / len(applicable) if applicable else None


@dataclass
class Scorecard:
    items: list[Item]
    vendors: list[Vendor]

    def item_completeness(self, item: Item) -> float | None:
        cells = [v.cells[item.name] for v in self.vendors if v.cells[item.name].status != "n/a"]
        return sum(c.status == "stated" for c in cells) / len(cells) if cells else None


def load_items(shapes: Graph) -> list[Item]:
    """The disclosure items, in the order the shapes file gives them."""
    out = []
    for s in shapes.subjects(RDF.type, PKG.DisclosureItem):
        labels = {lit.language or "en": str(lit) for lit in shapes.objects(s, RDFS.label) if isinstance(lit, Literal)}
        app = shapes.value(s, PKG.applicableQuery)
        out.append((int(shapes.value(s, PKG.order) or 0), Item(
            str(s), str(s).rsplit("#", 1)[-1], str(shapes.value(s, PKG.article) or ""), labels,
            str(shapes.value(s, SH.severity)).rsplit("#", 1)[-1],
            sorted(str(q) for q in shapes.objects(s, PKG.evidenceQuery)), str(app) if app else None)))
    return [i for _, i in sorted(out, key=lambda t: t[0])]


@lru_cache(maxsize=256)
def _prepared(text: str):  # type: ignore[no-untyped-def]
    return prepare(PREFIXES + text)


def _run(data: Graph, text: str, notice: URIRef):  # type: ignore[no-untyped-def]
    """Run an item's query for one notice.

    ``?this`` is bound with rdflib's initBindings, which binds it before the
    basic graph pattern is evaluated (a VALUES block is joined afterwards and
    took minutes here). This is local evaluation of the project's own queries
    only; user queries with parameters go through queries.bind (VALUES), which
    means the same thing on every SPARQL engine (RDFLib/rdflib#1772).
    """
    return data.query(_prepared(text), initBindings={"this": notice})


EVIDENCE_COLUMNS = ("quote", "start", "end")


def _evidence(item: Item, result) -> tuple[str, int, int, str | None] | None:  # type: ignore[no-untyped-def]
    """The earliest quote in an evidence query's answer: rows of ?quote ?start ?end and
    ?value, the value of the fact whose own annotation the quote is."""
    names = [str(v) for v in result.vars or ()]
    if not set(EVIDENCE_COLUMNS) <= set(names):
        raise InputError(f"the pkg:evidenceQuery of {item.name} must select ?quote ?start ?end (and ?value, "
                         f"the fact they are the evidence of); it selects {', '.join('?' + n for n in names)}")
    at = {n: names.index(n) for n in (*EVIDENCE_COLUMNS, "value") if n in names}
    best: tuple[str, int, int, str | None] | None = None
    for row in result:
        quote, start, end = (row[at[n]] for n in EVIDENCE_COLUMNS)
        if quote is None or start is None:
            continue
        value = row[at["value"]] if "value" in at else None
        cand = (str(quote), int(start), int(end if end is not None else start),
                None if value is None else str(value))
        if best is None or (cand[1], cand[3] or "") < (best[1], best[3] or ""):
            best = cand  # the earliest, and of two facts of one sentence the first by value: the same on every engine
    return best


def build_scorecard(data: Graph, report: Report, shapes: Graph) -> Scorecard:
    items = load_items(shapes)
    missing = {(r.notice, r.shape): r for r in report.results}
    vendors = []
    for notice in sorted(data.subjects(RDF.type, DPV.PrivacyNotice), key=str):
        ident = str(data.value(notice, DCTERMS.identifier))
        pub = data.value(notice, DCTERMS.publisher)
        v = Vendor(ident, str(data.value(notice, DCTERMS.language) or ""),
                   str(data.value(pub, RDFS.label)) if pub is not None else None)
        for item in items:
            result = missing.get((ident, item.iri))
            if result is not None:
                v.cells[item.name] = Cell("missing", result.severity, result.message)
                continue
            if item.applicable_query and not _run(data, item.applicable_query, notice).askAnswer:
                v.cells[item.name] = Cell("n/a")
                continue
            cell = Cell("stated")
            for q in item.evidence_queries:
                found = _evidence(item, _run(data, q, notice))
                if found:
                    cell.quote, cell.start, cell.end, cell.value = found
                    break
            v.cells[item.name] = cell
        vendors.append(v)
    return Scorecard(items, vendors)


def to_json(card: Scorecard) -> str:
    return json.dumps({
        "items": [{"name": i.name, "article": i.article, "label": i.label, "severity": i.severity,
                   "completeness": card.item_completeness(i)} for i in card.items],
        "vendors": [{"identifier": v.identifier, "language": v.language, "publisher": v.publisher,
                     "completeness": v.completeness,
                     "cells": {k: asdict(c) for k, c in v.cells.items()}} for v in card.vendors],
    }, indent=1, ensure_ascii=False)


def to_csv(card: Scorecard, lang: str = "en") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["vendor", "item", "article", "label", "status", "severity", "quote", "start", "end"])
    for v in card.vendors:
        for i in card.items:
            c = v.cells[i.name]
            w.writerow([v.identifier, i.name, i.article, i.label.get(lang, i.label.get("en")), c.status,
                        c.severity or "", c.quote or "", "" if c.start is None else c.start,
                        "" if c.end is None else c.end])
    return buf.getvalue()


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def to_table(card: Scorecard, lang: str = "en") -> str:
    mark = {"stated": "✔", "missing": "✘", "n/a": "·"}
    head = "vendor".ljust(14) + " ".join(f"{n + 1:>2}" for n in range(len(card.items))) + "  complete"
    lines = [head]
    for v in card.vendors:
        lines.append(v.identifier[:13].ljust(14) + " ".join(f"{mark[v.cells[i.name].status]:>2}" for i in card.items)
                     + f"  {_pct(v.completeness):>8}")
    lines.append("")
    for n, i in enumerate(card.items, start=1):
        lines.append(f"{n:>2} {i.article:9} {i.label.get(lang, i.label['en'])}  ({_pct(card.item_completeness(i))})")
    lines.append("✔ stated  ✘ missing  · not applicable")
    return "\n".join(lines) + "\n"


_COLORS = {"stated": "#4caf50", "missing": "#e53935", "missing-info": "#fb8c00", "n/a": "#bdbdbd"}


def _color(c: Cell) -> str:
    if c.status == "missing" and c.severity == "Info":
        return _COLORS["missing-info"]
    return _COLORS[c.status]


def heatmap_svg(card: Scorecard, lang: str = "en") -> str:
    cw, ch, left, top = 34, 26, 150, 150
    width = left + cw * len(card.items) + 90
    height = top + ch * len(card.vendors) + 20
    t = UI[lang]
    parts = [f'<svg id="heatmap" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(t["title"])}" font-family="Helvetica, Arial, sans-serif" font-size="12">']
    for j, i in enumerate(card.items):
        x = left + cw * j + cw / 2
        parts.append(f'<text class="col" data-item="{i.name}" transform="translate({x:.0f},{top - 8}) rotate(-55)">'
                     f'{escape(i.article)} {escape(i.label.get(lang, i.label["en"]))}</text>')
    for r, v in enumerate(card.vendors):
        y = top + ch * r
        parts.append(f'<text class="row" data-lang="{v.language}" x="{left - 8}" y="{y + ch / 2 + 4:.0f}" '
                     f'text-anchor="end">{escape(v.identifier)}</text>')
        for j, i in enumerate(card.items):
            c = v.cells[i.name]
            title = f"{v.identifier} · {i.label.get(lang, i.label['en'])}: {t[c.status]}"
            parts.append(f'<rect class="cell" data-item="{i.name}" data-lang="{v.language}" data-status="{c.status}" '
                         f'x="{left + cw * j + 1}" y="{y + 1}" width="{cw - 2}" height="{ch - 2}" rx="3" '
                         f'fill="{_color(c)}"><title>{escape(title)}</title></rect>')
        parts.append(f'<text x="{left + cw * len(card.items) + 10}" y="{y + ch / 2 + 4:.0f}">'
                     f'{_pct(v.completeness)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def to_html(card: Scorecard, lang: str = "en") -> str:
    """One self-contained page: heat map, filters, and each vendor's passages."""
    t = UI[lang]
    langs = sorted({v.language for v in card.vendors})
    opts_lang = "".join(f'<option value="{escape(x)}">{escape(x)}</option>' for x in langs)
    opts_item = "".join(f'<option value="{i.name}">{escape(i.article)} {escape(i.label.get(lang, i.label["en"]))}</option>'
                        for i in card.items)
    sections = []
    for v in card.vendors:
        rows = []
        for i in card.items:
            c = v.cells[i.name]
            detail = ""
            if c.status == "stated" and c.quote:
                detail = (f'<blockquote>{escape(c.quote)}</blockquote><div class="where">{t["chars"]} '
                          f'{c.start}–{c.end}</div>')
            elif c.status == "missing":
                detail = f'<div class="msg">{escape(c.message or "")}</div>'
            rows.append(f'<li class="item {c.status}" data-item="{i.name}"><span class="badge" '
                        f'style="background:{_color(c)}">{t[c.status]}</span> <b>{escape(i.article)}</b> '
                        f'{escape(i.label.get(lang, i.label["en"]))}{detail}</li>')
        sections.append(f'<section class="vendor" data-lang="{v.language}" id="v-{escape(v.identifier)}">'
                        f'<h2>{escape(v.identifier)}'
                        f'{" — " + escape(v.publisher) if v.publisher else ""} <small>({v.language}, '
                        f'{t["completeness"]} {_pct(v.completeness)})</small></h2><ul>{"".join(rows)}</ul></section>')
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(t['title'])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }}
h1 {{ margin-bottom: .2em; }} .lead {{ color: #555; }}
.filters {{ margin: 1em 0; display: flex; gap: 2em; }}
.legend span {{ display: inline-block; padding: 2px 8px; margin-right: 6px; border-radius: 3px; color: white; font-size: 12px; }}
section.vendor {{ border-top: 1px solid #ddd; margin-top: 1.5em; }}
section.vendor ul {{ list-style: none; padding-left: 0; }}
li.item {{ margin: .5em 0; }}
.badge {{ display: inline-block; min-width: 7em; text-align: center; color: white; border-radius: 3px; font-size: 12px; padding: 1px 6px; }}
blockquote {{ margin: .3em 0 0 8.5em; padding: .3em .8em; border-left: 3px solid #4caf50; background: #f6fbf6; font-size: 14px; }}
.where, .msg {{ margin-left: 8.5em; font-size: 12px; color: #666; }}
.hidden {{ display: none; }}
</style></head><body>
<h1>{escape(t['title'])}</h1><p class="lead">{escape(t['lead'])}</p>
<div class="legend"><span style="background:{_COLORS['stated']}">{t['stated']}</span><span style="background:{_COLORS['missing']}">{t['missing']}</span><span style="background:{_COLORS['missing-info']}">{t['missing']} (info)</span><span style="background:{_COLORS['n/a']}">{t['n/a']}</span></div>
<div class="filters"><label>{t['language']} <select id="f-lang"><option value="">{t['all']}</option>{opts_lang}</select></label>
<label>{t['item']} <select id="f-item"><option value="">{t['all']}</option>{opts_item}</select></label></div>
{heatmap_svg(card, lang)}
{''.join(sections)}
<script>
function apply() {{
  var l = document.getElementById('f-lang').value, it = document.getElementById('f-item').value;
  document.querySelectorAll('[data-lang]').forEach(function (e) {{
    var hide = (l && e.getAttribute('data-lang') !== l) || (it && e.hasAttribute('data-item') && e.getAttribute('data-item') !== it);
    e.classList.toggle('hidden', !!hide); if (e.tagName === 'rect' || e.tagName === 'text') e.style.opacity = hide ? 0.12 : 1; }});
  document.querySelectorAll('li.item').forEach(function (e) {{
    e.classList.toggle('hidden', !!(it && e.getAttribute('data-item') !== it)); }});
}}
document.getElementById('f-lang').addEventListener('change', apply);
document.getElementById('f-item').addEventListener('change', apply);
</script>
</body></html>
"""


def scorecard_by_policy(graphs: Iterable[Graph], shapes: Graph, engine: str = "auto") -> Scorecard:
    """The scorecard of many policies, one policy graph at a time (the embedded
    store, a remote endpoint): memory is one policy's, validation by ``engine``
    (auto: the native engine where it implements every feature of the shapes,
    the same report as pyshacl's; else pyshacl)."""
    from policykg.validation import validate

    items = load_items(shapes)
    vendors: list[Vendor] = []
    for g in graphs:
        part = build_scorecard(g, validate(g, shapes, engine=engine), shapes)
        vendors.extend(part.vendors)
    vendors.sort(key=lambda v: v.identifier)
    return Scorecard(items, vendors)
