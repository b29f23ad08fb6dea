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
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from policykg.errors import InputError
from policykg.namespaces import DPV, PKG
from policykg.queries import bind_text, prepare
from policykg.store import to_result
from policykg.validation import Report

PREFIXES = """PREFIX dpv: <https://w3id.org/dpv#> PREFIX eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#>
PREFIX dct: <http://purl.org/dc/terms/> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX pkg: <https://w3id.org/policykg#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
STATUSES = ("stated", "missing", "n/a")
UI = {
    "en": {"title": "GDPR transparency scorecard", "vendor": "Vendor", "completeness": "completeness",
           "stated": "stated", "missing": "missing", "n/a": "not applicable", "all": "all",
           "language": "Language", "item": "Disclosure", "chars": "characters", "missing-info": "not stated (information)",
           "generated": "Generated", "input": "Input", "texts": "Policy texts",
           "texts-in": "{n} policy files, embedded below (SHA-256 per vendor)",
           "no-texts": "not given: quotes are shown without their context (scorecard --texts DIR)",
           "summary": "Summary", "map": "Heat map", "details": "Each policy and its passages", "date": "Policy date",
           "source": "Source file", "info": "For information, not stated", "info-head": "For information (not counted in completeness)",
           "info-note": "Items in italics after the dashed line are for information: required only in some cases, not counted.",
           "open": "open in the policy text", "no-text": "(policy text not given)", "text": "Policy text", "lead":
           "What each policy discloses under GDPR Art. 13/14, with the passage that says it. "
           "Missing items are gaps found by the SHACL shapes; grey items do not apply."},
    "sv": {"title": "Transparensöversikt enligt GDPR", "vendor": "Leverantör", "completeness": "fullständighet",
           "stated": "anges", "missing": "saknas", "n/a": "ej tillämpligt", "all": "alla",
           "language": "Språk", "item": "Upplysning", "chars": "tecken", "missing-info": "ej angivet (information)",
           "generated": "Skapad", "input": "Indata", "texts": "Policytexter",
           "texts-in": "{n} policyfiler, inbäddade nedan (SHA-256 per leverantör)",
           "no-texts": "inte angivna: citaten visas utan sitt sammanhang (scorecard --texts KATALOG)",
           "summary": "Sammanfattning", "map": "Översikt", "details": "Varje policy och dess textställen",
           "date": "Policyns datum", "source": "Källfil", "info": "Som information, ej angivet",
           "info-head": "Som information (räknas inte i fullständigheten)",
           "info-note": "Punkter i kursiv efter den streckade linjen är information: krävs bara i vissa fall, räknas inte.",
           "open": "öppna i policytexten", "no-text": "(policytexten inte angiven)", "text": "Policytext", "lead":
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

    @property
    def info(self) -> bool:
        """An Info item (DPO, automated decisions, source of data) is shown, not scored:
        GDPR requires it only in some cases the graph cannot tell."""
        return self.severity == "Info"


@dataclass
class Cell:
    status: str
    severity: str | None = None
    message: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    value: str | None = None  # the fact the quote states: a DPV concept, organisation, duration ...
    info: bool = False  # the cell of an Info item: not counted in completeness


@dataclass(frozen=True)
class PolicySource:
    """The policy file a vendor's graph was read from: what the offsets index."""

    path: str
    sha256: str
    text: str


@dataclass
class Vendor:
    identifier: str
    language: str
    publisher: str | None
    cells: dict[str, Cell] = field(default_factory=dict)
    publisher_iri: str | None = None
    modified: str | None = None  # the policy's own date (dct:modified), only where it states one
    source: PolicySource | None = None

    @property
    def name(self) -> str:
        """Who the vendor is: the policy's publisher, else its file stem."""
        return self.publisher or self.identifier

    @property
    def group(self) -> str:
        """Language versions of one publisher's policy share a group."""
        return self.publisher_iri or f"notice:{self.identifier}"

    @property
    def completeness(self) -> float | None:
        scored = [c for c in self.cells.values() if c.status != "n/a" and not c.info]
        return sum(c.status == "stated" for c in scored) / len(scored) if scored else None


@dataclass(frozen=True)
class Provenance:
    """What a report was made from and when: enough to check it again."""

    generated: str  # ISO 8601 UTC; SOURCE_DATE_EPOCH makes it reproducible
    version: str
    inputs: tuple[tuple[str, str | None], ...] = ()  # (graph file, store or endpoint; SHA-256 of a file)


def provenance(inputs: Iterable[str] = ()) -> Provenance:
    """The provenance of a report made now from ``inputs`` (files get their SHA-256)."""
    import os
    from datetime import UTC, datetime

    from policykg import __version__

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return Provenance(now.strftime("%Y-%m-%dT%H:%M:%SZ"), __version__,
                      tuple((x, _sha256(Path(x).read_bytes()) if x != "-" and Path(x).is_file() else None)
                            for x in inputs))


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


@dataclass
class Scorecard:
    items: list[Item]
    vendors: list[Vendor]
    provenance: Provenance | None = None

    def item_completeness(self, item: Item) -> float | None:
        cells = [v.cells[item.name] for v in self.vendors if v.cells[item.name].status != "n/a"]
        return sum(c.status == "stated" for c in cells) / len(cells) if cells else None

    @property
    def scored(self) -> list[Item]:
        return [i for i in self.items if not i.info]

    @property
    def info(self) -> list[Item]:
        return [i for i in self.items if i.info]

    def groups(self) -> list[list[Vendor]]:
        """Vendors by publisher (language versions together), in the report's order."""
        out: dict[str, list[Vendor]] = {}
        for v in self.vendors:
            out.setdefault(v.group, []).append(v)
        return list(out.values())


def vendor_order(v: Vendor) -> tuple[str, str, str, str]:
    """By publisher name, one publisher's language versions together, then language."""
    return (v.name.casefold(), v.group, v.language, v.identifier)


def attach_texts(card: Scorecard, folder: str) -> None:
    """Give each vendor the policy file it was read from (``folder/<identifier>.*``), so the
    report can show each quote in its context and embed the text the offsets index.

    A text whose words at a cell's offsets are not the cell's quote is another version of
    the policy than the graph's: that is an error, not a report pointing at the wrong words.
    """
    from policykg.pipeline import policy_files
    from policykg.reading import read_source

    by_stem: dict[str, Path] = {f.stem: f for f in policy_files([folder], on_warning=lambda _m: None)}
    missing = []
    for v in card.vendors:
        f = by_stem.get(v.identifier)
        if f is None:
            missing.append(v.identifier)
            continue
        src = read_source(f)
        for name, c in v.cells.items():
            if c.quote is not None and src.text[c.start:c.end] != c.quote:
                raise InputError(f"is not the text the graph was extracted from: {name} quotes "
                                 f"{c.quote[:40]!r} at {c.start}-{c.end}, the file has "
                                 f"{src.text[c.start:c.end][:40]!r} there", str(f))
        v.source = PolicySource(str(f), _sha256(f.read_bytes()), src.text)
    if missing:
        raise InputError(f"has no policy file for {', '.join(sorted(missing))} (expected <identifier>.txt, "
                         ".md or .html)", folder)


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


def _run(data: Graph | ox.Store, text: str, notice: URIRef):  # type: ignore[no-untyped-def]
    """Run an item's query for one notice.

    On an Oxigraph store (graph files, loaded in memory) ``?this`` is a VALUES
    block at the top of the WHERE (queries.bind_text), where Oxigraph starts
    from it: 200 policies' items in seconds where rdflib took minutes. On an
    rdflib graph (one policy of the store or of an endpoint) ``?this`` is bound
    with rdflib's initBindings, which binds it before the basic graph pattern is
    evaluated (rdflib joins a VALUES block afterwards, which took minutes here);
    that is local evaluation of the project's own queries only (RDFLib/rdflib#1772).
    """
    if isinstance(data, ox.Store):
        return to_result(data.query(PREFIXES + bind_text(text, {"this": notice}), use_default_graph_as_union=True))
    return data.query(_prepared(text), initBindings={"this": notice})


def oxigraph_store(data: Graph) -> ox.Store:
    """The triples of ``data`` in an in-memory Oxigraph store (each distinct term converted
    once), for the items' queries."""
    cache: dict[object, object] = {}

    def term(t: object):  # type: ignore[no-untyped-def]
        hit = cache.get(t)
        if hit is None:
            if isinstance(t, URIRef):
                hit = ox.NamedNode(str(t))
            elif isinstance(t, Literal):
                hit = (ox.Literal(str(t), language=t.language) if t.language else
                       ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype))) if t.datatype else ox.Literal(str(t)))
            else:
                hit = ox.BlankNode(str(t))
            cache[t] = hit
        return hit

    store = ox.Store()
    store.extend(ox.Quad(term(s), term(p), term(o)) for s, p, o in data)  # type: ignore[arg-type]
    return store


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


def build_scorecard(data: Graph, report: Report, shapes: Graph, store: ox.Store | None = None,
                    on_progress: Callable[[int, int], None] | None = None) -> Scorecard:
    """The scorecard of the notices in ``data``, the items' queries evaluated on ``store``
    when given (the same triples in Oxigraph, as `scorecard FILE` loads them), else on
    ``data``. ``on_progress(done, total)`` after each notice."""
    items = load_items(shapes)
    missing = {(r.notice, r.shape): r for r in report.results}
    vendors = []
    engine = data if store is None else store
    notices = sorted(data.subjects(RDF.type, DPV.PrivacyNotice), key=str)
    for done, notice in enumerate(notices, 1):
        ident = str(data.value(notice, DCTERMS.identifier))
        pub = data.value(notice, DCTERMS.publisher)
        label = data.value(pub, RDFS.label) if pub is not None else None
        modified = data.value(notice, DCTERMS.modified)
        v = Vendor(ident, str(data.value(notice, DCTERMS.language) or ""), None if label is None else str(label),
                   publisher_iri=None if pub is None else str(pub),
                   modified=None if modified is None else str(modified))
        for item in items:
            result = missing.get((ident, item.iri))
            if result is not None:
                v.cells[item.name] = Cell("missing", result.severity, result.message, info=item.info)
                continue
            if item.applicable_query and not _run(engine, item.applicable_query, notice).askAnswer:
                v.cells[item.name] = Cell("n/a", info=item.info)
                continue
            cell = Cell("stated", info=item.info)
            for q in item.evidence_queries:
                found = _evidence(item, _run(engine, q, notice))
                if found:
                    cell.quote, cell.start, cell.end, cell.value = found
                    break
            v.cells[item.name] = cell
        vendors.append(v)
        if on_progress is not None:
            on_progress(done, len(notices))
    return Scorecard(items, sorted(vendors, key=vendor_order))


def _prov_json(p: Provenance | None) -> dict | None:  # type: ignore[type-arg]
    if p is None:
        return None
    return {"generated": p.generated, "policykg": p.version,
            "inputs": [{"path": x, "sha256": h} for x, h in p.inputs]}


def to_json(card: Scorecard) -> str:
    return json.dumps({
        "provenance": _prov_json(card.provenance),
        "items": [{"name": i.name, "article": i.article, "label": i.label, "severity": i.severity,
                   "counted": not i.info, "completeness": card.item_completeness(i)} for i in card.items],
        "vendors": [{"identifier": v.identifier, "language": v.language, "publisher": v.publisher,
                     "publisher_iri": v.publisher_iri, "modified": v.modified,
                     "source": None if v.source is None else {"path": v.source.path, "sha256": v.source.sha256},
                     "completeness": v.completeness,
                     "cells": {k: asdict(c) for k, c in v.cells.items()}} for v in card.vendors],
    }, indent=1, ensure_ascii=False)


def to_csv(card: Scorecard, lang: str = "en") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["vendor", "publisher", "language", "item", "article", "label", "counted", "status", "severity",
                "quote", "start", "end"])
    for v in card.vendors:
        for i in card.items:
            c = v.cells[i.name]
            w.writerow([v.identifier, v.publisher or "", v.language, i.name, i.article,
                        i.label.get(lang, i.label.get("en")), "no" if i.info else "yes", c.status,
                        c.severity or "", c.quote or "", "" if c.start is None else c.start,
                        "" if c.end is None else c.end])
    return buf.getvalue()


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _kind(c: Cell) -> str:
    """The status as shown: a missing Info item is "not stated (information)", not a gap."""
    return "missing-info" if c.status == "missing" and c.info else c.status


def _glyph(c: Cell) -> str:
    return GLYPHS[_kind(c)]


def to_table(card: Scorecard, lang: str = "en") -> str:
    """Plain text: scored items, then the Info items after a bar (not counted)."""
    order = card.scored + card.info
    bar = len(card.scored)
    head = "vendor".ljust(14) + " ".join(f"{n + 1:>2}" + (" |" if n + 1 == bar and card.info else "")
                                         for n in range(len(order))) + "  complete"
    lines = [head]
    for v in card.vendors:
        lines.append(v.identifier[:13].ljust(14)
                     + " ".join(f"{_glyph(v.cells[i.name]):>2}" + (" |" if n + 1 == bar and card.info else "")
                                for n, i in enumerate(order))
                     + f"  {_pct(v.completeness):>8}")
    lines.append("")
    for n, i in enumerate(order, start=1):
        note = "  [for information, not counted]" if i.info else ""
        lines.append(f"{n:>2} {i.article:9} {i.label.get(lang, i.label['en'])}  ({_pct(card.item_completeness(i))})"
                     + note)
    lines.append(f"{GLYPHS['stated']} stated  {GLYPHS['missing']} missing  {GLYPHS['missing-info']} not stated "
                 f"(information)  {GLYPHS['n/a']} not applicable")
    return "\n".join(lines) + "\n"


_COLORS = {"stated": "#2e7d32", "missing": "#c62828", "missing-info": "#ef6c00", "n/a": "#9e9e9e"}
GLYPHS = {"stated": "✔", "missing": "✘", "missing-info": "!", "n/a": "–"}
CHAR_PX = 7.6  # a generous width of one character at 12 px (DejaVu Sans is the widest usual fallback)
COLLAPSE_AT = 20  # more vendors than this: the per-vendor sections start closed


def _css(status: str) -> str:
    return status.replace("/", "")  # "n/a" is no CSS class name


def _color(c: Cell) -> str:
    return _COLORS["missing-info" if c.status == "missing" and c.info else c.status]


def _label(i: Item, lang: str) -> str:
    return i.label.get(lang, i.label["en"])


def _row_label(v: Vendor) -> str:
    return f"{v.name} ({v.language})" if v.language else v.name


def heatmap_svg(card: Scorecard, lang: str = "en") -> str:
    """Vendor x item, colour and glyph per cell; Info items after a gap, not counted.

    Margins are computed from the longest labels (rotated column labels reach up
    and to the right), so no label is clipped."""
    cw, ch, gap = 34, 26, 18
    t = UI[lang]
    cols = [(i, False) for i in card.scored] + [(i, True) for i in card.info]
    col_text = [f"{i.article} {_label(i, lang)}" for i, _ in cols]
    sin, cos = 0.82, 0.58  # rotate(-55)
    left = 16 + int(CHAR_PX * max((len(_row_label(v)) for v in card.vendors), default=8))
    top = 24 + int(sin * CHAR_PX * max((len(x) for x in col_text), default=8))
    xs = [left + cw * j + (gap if info else 0) for j, (_, info) in enumerate(cols)]
    grid_right = (xs[-1] + cw) if xs else left
    width = max([grid_right + 70, *(int(x + cw / 2 + cos * CHAR_PX * len(txt)) + 12
                                    for x, txt in zip(xs, col_text, strict=True))])
    height = top + ch * len(card.vendors) + 20
    parts = [f'<svg id="heatmap" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(t["title"])}" '
             'font-family="Helvetica, Arial, sans-serif" font-size="12">']
    for (i, info), x, txt in zip(cols, xs, col_text, strict=True):
        parts.append(f'<text class="col{" info" if info else ""}" data-item="{i.name}" '
                     f'transform="translate({x + cw / 2:.0f},{top - 8}) rotate(-55)"'
                     f'{" fill=" + chr(34) + "#666" + chr(34) + " font-style=" + chr(34) + "italic" + chr(34) if info else ""}>'
                     f'{escape(txt)}</text>')
    if card.info:
        xi = xs[len(card.scored)] - gap / 2
        parts.append(f'<line x1="{xi:.0f}" y1="{top - 4}" x2="{xi:.0f}" y2="{height - 16}" stroke="#999" '
                     'stroke-dasharray="3 3"/>')
    # one symbol per status (box and glyph), each cell a <use> of it: a 200-vendor map stays small
    parts.append("<defs>" + "".join(
        f'<symbol id="k-{_css(k)}" width="{cw}" height="{ch}"><rect x="1" y="1" width="{cw - 2}" height="{ch - 2}" '
        f'rx="3" fill="{c}"/><text x="{cw / 2:.0f}" y="{ch / 2 + 5:.0f}" text-anchor="middle" fill="white" '
        f'font-size="14" font-weight="bold">{GLYPHS[k]}</text></symbol>' for k, c in _COLORS.items()) + "</defs>")
    prev = None
    for r, v in enumerate(card.vendors):
        y = top + ch * r
        if prev is not None and v.group != prev:
            parts.append(f'<line x1="4" y1="{y}" x2="{grid_right}" y2="{y}" stroke="#ccc"/>')
        same = prev == v.group
        prev = v.group
        cells = "".join(
            f'<use class="cell" href="#k-{_css(_kind(v.cells[i.name]))}" x="{x}" y="{y}" data-item="{i.name}">'
            f'<title>{escape(_label(i, lang))}: '
            f'{t[_kind(v.cells[i.name])]}</title></use>' for (i, _), x in zip(cols, xs, strict=True))
        parts.append(f'<g class="row" data-lang="{v.language}"><title>{escape(_row_label(v))}</title>'
                     f'<text x="{left - 8}" y="{y + ch / 2 + 4:.0f}" text-anchor="end"'
                     f'{" fill=" + chr(34) + "#555" + chr(34) if same else ""}>{escape(_row_label(v))}</text>'
                     f'{cells}<text x="{grid_right + 10}" y="{y + ch / 2 + 4:.0f}">{_pct(v.completeness)}</text></g>')
    parts.append("</svg>")
    return "\n".join(parts)


def context(text: str, start: int, end: int, width: int = 160) -> tuple[str, str]:
    """The words around a quote, within its paragraph and at most ``width`` characters
    each side, cut at a word boundary."""
    before = text[max(0, start - width):start]
    if "\n\n" in before:
        before = before.rsplit("\n\n", 1)[1]
    elif start > width and " " in before:
        before = "…" + before.split(" ", 1)[1]
    after = text[end:end + width]
    if "\n\n" in after:
        after = after.split("\n\n", 1)[0]
    elif end + width < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return before, after


def _anchor(v: Vendor, start: int) -> str:
    return f"t-{v.identifier}-{start}"


def _marked_text(v: Vendor) -> str:
    """The policy text, escaped, each quoted span marked and anchored at its start."""
    assert v.source is not None
    text = v.source.text
    spans = sorted({(c.start, c.end) for c in v.cells.values() if c.quote is not None and c.start is not None})
    out, at = [], 0
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = sorted({a for a, _ in spans})
    cuts = sorted({*starts, *(x for m in merged for x in m)})
    opened = {m[0]: m[1] for m in merged}
    closes = {m[1] for m in merged}
    for x in cuts:
        out.append(escape(text[at:x]))
        if x in closes:
            out.append("</mark>")
        if x in opened:
            out.append("<mark>")
        if x in starts:
            out.append(f'<span class="at" id="{escape(_anchor(v, x))}"></span>')
        at = x
    out.append(escape(text[at:]))
    return "".join(out)


def _provenance_html(card: Scorecard, t: dict[str, str]) -> str:
    p = card.provenance
    rows = []
    if p is not None:
        rows.append(f"<dt>{t['generated']}</dt><dd><time>{p.generated}</time></dd>")
        rows.append(f"<dt>policykg</dt><dd>{escape(p.version)}</dd>")
        for x, h in p.inputs:
            rows.append(f"<dt>{t['input']}</dt><dd><code>{escape(x)}</code>"
                        + (f" <small>SHA-256 <code>{h}</code></small>" if h else "") + "</dd>")
    with_text = sum(v.source is not None for v in card.vendors)
    rows.append(f"<dt>{t['texts']}</dt><dd>" + (t["texts-in"].format(n=with_text) if with_text else t["no-texts"])
                + "</dd>")
    return f'<dl class="provenance">{"".join(rows)}</dl>'


def _summary_html(card: Scorecard, lang: str, t: dict[str, str]) -> str:
    head = (f"<tr><th>{t['vendor']}</th><th>{t['language']}</th><th>{t['date']}</th><th>{t['source']}</th>"
            f"<th>{t['completeness']}</th><th>{t['missing']}</th><th>{t['info']}</th></tr>")
    rows = []
    for group in card.groups():
        for n, v in enumerate(group):
            gaps = [_label(i, lang) for i in card.scored if v.cells[i.name].status == "missing"]
            info = [_label(i, lang) for i in card.info if v.cells[i.name].status == "missing"]
            src = ("—" if v.source is None else
                   f'<code>{escape(Path(v.source.path).name)}</code> <small title="SHA-256 {v.source.sha256}">'
                   f'<code>{v.source.sha256[:12]}…</code></small>')
            name = (f'<th scope="rowgroup" rowspan="{len(group)}">{escape(v.name)}</th>' if n == 0 else "")
            rows.append(f'<tr data-lang="{escape(v.language)}">{name}<td><a href="#v-{escape(v.identifier)}">'
                        f'{escape(v.language or "?")}</a> <small>{escape(v.identifier)}</small></td>'
                        f'<td>{escape(v.modified or "—")}</td><td>{src}</td>'
                        f'<td class="num">{_pct(v.completeness)}</td><td>{escape(", ".join(gaps)) or "—"}</td>'
                        f'<td>{escape(", ".join(info)) or "—"}</td></tr>')
    return f'<table class="summary"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _cell_html(v: Vendor, i: Item, lang: str, t: dict[str, str]) -> str:
    c = v.cells[i.name]
    detail = ""
    if c.status == "stated" and c.quote:
        where = f"{t['chars']} {c.start}–{c.end}"
        if v.source is not None and c.start is not None and c.end is not None:
            before, after = context(v.source.text, c.start, c.end)
            detail = (f'<blockquote><span class="ctx">{escape(before)}</span><mark>{escape(c.quote)}</mark>'
                      f'<span class="ctx">{escape(after)}</span></blockquote><div class="where">'
                      f'<a class="open" href="#{escape(_anchor(v, c.start))}">{t["open"]}, {where}</a></div>')
        else:
            detail = (f'<blockquote><mark>{escape(c.quote)}</mark></blockquote>'
                      f'<div class="where">{where} {t["no-text"]}</div>')
    elif c.status == "missing":
        detail = f'<div class="msg">{escape(c.message or "")}</div>'
    kind = "missing-info" if c.status == "missing" and c.info else c.status
    return (f'<li class="item {_css(kind)}" data-item="{i.name}"><span class="badge {_css(kind)}">'
            f'<span aria-hidden="true">{_glyph(c)}</span> {t[c.status]}</span> <b>{escape(i.article)}</b> '
            f'{escape(_label(i, lang))}{detail}</li>')


def _vendor_html(card: Scorecard, v: Vendor, lang: str, t: dict[str, str], open_: bool) -> str:
    scored = "".join(_cell_html(v, i, lang, t) for i in card.scored)
    info = "".join(_cell_html(v, i, lang, t) for i in card.info)
    meta = [f"{t['language']} {escape(v.language or '?')}", f"{t['completeness']} {_pct(v.completeness)}"]
    if v.modified:
        meta.append(f"{t['date']} {escape(v.modified)}")
    src = ""
    if v.source is not None:
        src = (f'<p class="src">{t["source"]}: <code>{escape(v.source.path)}</code>, SHA-256 '
               f'<code>{v.source.sha256}</code></p><details class="policy-text"><summary>{t["text"]}</summary>'
               f'<pre>{_marked_text(v)}</pre></details>')
    return (f'<details class="vendor" data-lang="{escape(v.language)}" id="v-{escape(v.identifier)}"'
            f'{" open" if open_ else ""}><summary><span class="who">{escape(v.name)}</span> '
            f'<small>({escape(v.identifier)}; {"; ".join(meta)})</small></summary>{src}<ul>{scored}</ul>'
            + (f'<h4>{t["info-head"]}</h4><ul class="info">{info}</ul>' if info else "") + "</details>")


def to_html(card: Scorecard, lang: str = "en") -> str:
    """One self-contained page: provenance, a summary table, the heat map, then each
    publisher's policies (language versions together) with every quote in its context
    and the policy text it came from. Past COLLAPSE_AT vendors the sections start closed."""
    t = UI[lang]
    langs = sorted({v.language for v in card.vendors})
    opts_lang = "".join(f'<option value="{escape(x)}">{escape(x)}</option>' for x in langs)
    opts_item = "".join(f'<option value="{i.name}">{escape(i.article)} {escape(_label(i, lang))}</option>'
                        for i in card.items)
    open_ = len(card.vendors) <= COLLAPSE_AT
    sections = []
    for group in card.groups():
        head = f"<h3>{escape(group[0].name)}</h3>" if len(group) > 1 else ""
        sections.append(f'<section class="publisher">{head}'
                        + "".join(_vendor_html(card, v, lang, t, open_) for v in group) + "</section>")
    legend = "".join(f'<span class="badge {_css(k)}"><span aria-hidden="true">{GLYPHS[k]}</span> {t[k]}</span>'
                     for k in ("stated", "missing", "missing-info", "n/a"))
    badges = "".join(f".badge.{_css(k)} {{ background: {c}; }} " for k, c in _COLORS.items())
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(t['title'])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }}
h1 {{ margin-bottom: .2em; }} .lead {{ color: #555; }}
dl.provenance {{ display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; font-size: 13px; background: #f5f5f5; padding: .6em 1em; }}
dl.provenance dt {{ font-weight: bold; }} dl.provenance dd {{ margin: 0; overflow-wrap: anywhere; }}
table.summary {{ border-collapse: collapse; font-size: 13px; width: 100%; }}
table.summary th, table.summary td {{ border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }}
table.summary td.num {{ text-align: right; }}
.filters {{ margin: 1em 0; display: flex; gap: 2em; flex-wrap: wrap; }}
.legend .badge {{ margin-right: 6px; }}
.heatmap-wrap {{ overflow-x: auto; }}
section.publisher {{ border-top: 1px solid #ddd; margin-top: 1.2em; }}
details.vendor > summary {{ cursor: pointer; font-size: 1.1em; margin: .4em 0; }} details.vendor .who {{ font-weight: bold; }}
details.vendor ul {{ list-style: none; padding-left: 0; }}
li.item {{ margin: .5em 0; }}
.badge {{ display: inline-block; min-width: 7em; text-align: center; color: white; border-radius: 3px; font-size: 12px; padding: 1px 6px; }}
{badges}
blockquote {{ margin: .3em 0 0 8.5em; padding: .3em .8em; border-left: 3px solid #2e7d32; background: #f6fbf6; font-size: 14px; white-space: pre-wrap; }}
.ctx {{ color: #777; }} mark {{ background: #fff3a8; }}
.where, .msg, .src {{ margin-left: 8.5em; font-size: 12px; color: #555; }}
h4 {{ margin: .6em 0 0; font-size: 13px; color: #555; }}
details.policy-text {{ margin-left: 8.5em; font-size: 12px; }}
details.policy-text pre {{ white-space: pre-wrap; max-height: 30em; overflow: auto; background: #fafafa; padding: .5em; }}
.flash {{ outline: 3px solid #f9a825; }}
.hidden {{ display: none; }}
</style></head><body>
<h1>{escape(t['title'])}</h1><p class="lead">{escape(t['lead'])}</p>
{_provenance_html(card, t)}
<h2>{t['summary']}</h2>
{_summary_html(card, lang, t)}
<h2>{t['map']}</h2>
<div class="legend">{legend} <small>{t['info-note']}</small></div>
<div class="filters"><label>{t['language']} <select id="f-lang"><option value="">{t['all']}</option>{opts_lang}</select></label>
<label>{t['item']} <select id="f-item"><option value="">{t['all']}</option>{opts_item}</select></label></div>
<div class="heatmap-wrap">{heatmap_svg(card, lang)}</div>
<h2>{t['details']}</h2>
{''.join(sections)}
<script>
function apply() {{
  var l = document.getElementById('f-lang').value, it = document.getElementById('f-item').value;
  document.querySelectorAll('[data-lang], #heatmap [data-item]').forEach(function (e) {{
    var hide = (l && e.hasAttribute('data-lang') && e.getAttribute('data-lang') !== l)
      || (it && e.hasAttribute('data-item') && e.getAttribute('data-item') !== it);
    if (e.namespaceURI === 'http://www.w3.org/2000/svg') e.style.opacity = hide ? 0.12 : 1; else e.classList.toggle('hidden', !!hide); }});
  document.querySelectorAll('li.item').forEach(function (e) {{
    e.classList.toggle('hidden', !!(it && e.getAttribute('data-item') !== it)); }});
}}
function reveal() {{
  var e = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (!e) return;
  for (var p = e.parentElement; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
  var m = e.closest('mark') || e.nextElementSibling || e;
  e.scrollIntoView({{block: 'center'}}); m.classList.add('flash'); setTimeout(function () {{ m.classList.remove('flash'); }}, 2500);
}}
window.addEventListener('hashchange', reveal); reveal();
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
    vendors.sort(key=vendor_order)
    return Scorecard(items, vendors)
