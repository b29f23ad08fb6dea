#!/usr/bin/env python3
"""Does every answer quote the words that produced its value? (issue 17)

    python scripts/evidence_check.py [POLICY_OR_DIR ...] [--json] [-v]

For each policy (default: data/policies), extracts its findings and builds its
graph, then runs every canned query and the scorecard on it. For every query
row that returns a quote, and every scorecard cell that shows one, the check
holds when the quote is exact (``text[start:end] == quote``) and its span
contains the words of a finding that produced the row's value (a finding's own
trigger span, ``finding.start``..``finding.end``, from the extraction — not from
the graph). Which column a quote is the evidence of is declared by each query's
``#+ evidence:`` header (``value`` is a column, or an IRI for a constant fact such
as ``dpv:Transfer``). Parameters are swept: a required ``vendor`` is the policy,
and ``purpose``, ``recipient`` and ``country`` take every value the policy
states, so that every fact a query can show is shown once.

Prints the share of rows and cells that pass and lists those that do not, and the
policies it could not read (the others are still checked); exit 1 when any fails,
2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from policykg.errors import PolicyKGError  # noqa: E402
from policykg.export import load_ontology  # noqa: E402
from policykg.extractors.base import Finding  # noqa: E402
from policykg.graph import TRANSFER, build_triples  # noqa: E402
from policykg.inference import derive_triples  # noqa: E402
from policykg.iris import ID, slug  # noqa: E402
from policykg.pipeline import extract_findings, policy_files  # noqa: E402
from policykg.queries import CannedQuery, list_queries, parse_header, prepare  # noqa: E402
from policykg.reading import read_source  # noqa: E402
from policykg.scorecard import build_scorecard  # noqa: E402
from policykg.validation import load_shapes, validate  # noqa: E402

TRANSFER_FACT = "https://w3id.org/dpv#Transfer"
"""A transfer handling's ``dpv:hasProcessing dpv:Transfer`` is produced by any of its
transfer findings: a transfer cue, a destination or a safeguard."""

SWEEPS = {
    "purpose": "SELECT DISTINCT ?v WHERE { ?h <https://w3id.org/dpv#hasPurpose> ?v }",
    "recipient": "SELECT DISTINCT ?v WHERE { ?h <https://w3id.org/dpv#hasDataProcessor>|"
                 "<https://w3id.org/dpv#hasRecipientThirdParty>|<https://w3id.org/dpv#hasRecipient> ?v }",
    "country": "SELECT DISTINCT ?v WHERE { ?d <https://w3id.org/dpv#hasThirdCountry> ?v }",
}
"""Values a parameter takes in the sweep: every value the policy's graph has for it."""


@dataclass
class Outcome:
    checked: int = 0
    failures: list[dict[str, object]] = field(default_factory=list)

    def add(self, ok: bool, **what: object) -> None:
        self.checked += 1
        if not ok:
            self.failures.append(what)


def evidence_columns(q: CannedQuery) -> list[dict[str, str]]:
    """The query's ``#+ evidence:`` entries: which quote columns are the evidence of which value."""
    return list(parse_header(q.text, q.path).get("evidence") or [])


def triggers(findings: list[Finding], identifier: str) -> dict[str, list[tuple[int, int]]]:
    """Trigger spans by the value they produced (as text: an IRI, a duration, a date)."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    dpo = str(ID[f"dpo/{slug(identifier)}"])  # the graph's DPO node stands for the dpo findings
    for f in findings:
        out[f.value].append((f.start, f.end))
        if f.aspect in TRANSFER:
            out[TRANSFER_FACT].append((f.start, f.end))
        if f.aspect == "dpo":
            out[dpo].append((f.start, f.end))
    return out


def contains(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start <= s and e <= end for s, e in spans)


def _runs(q: CannedQuery, graph: Graph, identifier: str) -> list[dict[str, str]]:
    """Parameter bindings to run ``q`` with: the policy for a required vendor, and every
    value of a swept parameter (or none when the policy has none)."""
    runs: list[dict[str, str]] = [{}]
    for p in q.params:
        if p.name == "vendor":
            if p.required:
                runs = [{**r, "vendor": identifier} for r in runs]
        elif p.name in SWEEPS:
            values = sorted(str(row[0]) for row in graph.query(SWEEPS[p.name]))
            if not values and p.required and p.default is None:
                return []
            runs = [{**r, p.name: v} for r in runs for v in values] if values else runs
    return runs


def check_queries(graph: Graph, text: str, found: dict[str, list[tuple[int, int]]], identifier: str,
                  out: Outcome) -> None:
    for q in list_queries():
        entries = evidence_columns(q)
        if not entries:
            continue
        for params in _runs(q, graph, identifier):
            res = graph.query(prepare(q.bind(params), q.name))
            names = [str(v) for v in res.vars or ()]
            for row in res:
                cells = {n: row[i] for i, n in enumerate(names)}
                quotes = {e["quote"] for e in entries if cells.get(e["quote"]) is not None}
                for qc in sorted(quotes):
                    applied = [e for e in entries if e["quote"] == qc
                               and ("://" in e["value"] or cells.get(e["value"]) is not None)]
                    _check_row(q.name, params, cells, qc, applied, text, found, identifier, out)


def _check_row(name: str, params: dict[str, str], cells: dict, qc: str,  # type: ignore[type-arg]
               applied: list[dict[str, str]], text: str, found: dict[str, list[tuple[int, int]]],
               identifier: str, out: Outcome) -> None:
    e0 = applied[0] if applied else {"start": "start", "end": "end"}
    start, end = int(cells[e0["start"]]), int(cells[e0["end"]])
    quote = str(cells[qc])
    where = {"policy": identifier, "query": name, "params": params, "quote": quote[:120], "start": start}
    if not applied:
        out.add(False, **where, why="a quote that no evidence entry explains")
        return
    for e in applied:
        value = e["value"] if "://" in e["value"] else str(cells[e["value"]])
        ok = text[start:end] == quote and contains(found.get(value, []), start, end)
        out.add(ok, **where, value=value, why="" if ok else (
            "the span is not the quote" if text[start:end] != quote else
            "the quote does not contain the words that produced the value"))


def check_scorecard(graph: Graph, text: str, found: dict[str, list[tuple[int, int]]], identifier: str,
                    shapes: Graph, out: Outcome) -> None:
    card = build_scorecard(graph, validate(graph, shapes, engine="native"), shapes)
    for vendor in card.vendors:
        for item, cell in vendor.cells.items():
            if cell.quote is None or cell.start is None or cell.end is None:
                continue
            where = {"policy": identifier, "scorecard": item, "value": cell.value, "quote": cell.quote[:120],
                     "start": cell.start}
            ok = (text[cell.start:cell.end] == cell.quote and cell.value is not None
                  and contains(found.get(cell.value, []), cell.start, cell.end))
            out.add(ok, **where, why="" if ok else "the quote does not contain the words that produced the value")


def check_policy(path: Path, shapes: Graph, ontology: Graph) -> tuple[Outcome, Outcome]:
    src = read_source(path)
    doc, findings, _ = extract_findings(src)
    triples = build_triples(doc, findings)
    graph = triples.to_graph()
    derived = derive_triples(triples, src.identifier).to_graph()
    found = triggers(findings, src.identifier)
    rows, cells = Outcome(), Outcome()
    check_queries(graph + derived + ontology, src.text, found, src.identifier, rows)
    check_scorecard(graph, src.text, found, src.identifier, shapes, cells)
    return rows, cells


def check(paths: list[str | Path]) -> dict[str, object]:
    """The check over policy files and folders; a policy that cannot be read (a language
    policykg does not read, an empty file) is listed and the batch goes on."""
    shapes, ontology = load_shapes(), load_ontology()
    rows, cells = Outcome(), Outcome()
    files = policy_files(paths)
    skipped: list[str] = []
    for f in files:
        try:
            r, c = check_policy(f, shapes, ontology)
        except PolicyKGError as exc:
            skipped.append(exc.format_message())
            continue
        rows.checked += r.checked
        rows.failures += r.failures
        cells.checked += c.checked
        cells.failures += c.failures
    return {"policies": len(files) - len(skipped), "skipped": skipped,
            "rows": {"checked": rows.checked, "passed": rows.checked - len(rows.failures)},
            "cells": {"checked": cells.checked, "passed": cells.checked - len(cells.failures)},
            "failures": rows.failures + cells.failures}


def _share(part: dict[str, int]) -> str:
    return f"{part['passed']}/{part['checked']} ({part['passed'] / part['checked']:.1%})" if part["checked"] else "0/0"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "data" / "policies")])
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every failure")
    args = ap.parse_args(argv)
    try:
        res = check(args.paths)
    except PolicyKGError as exc:
        print(f"Error: {exc.format_message()}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(res, indent=1, ensure_ascii=False, default=str))
    else:
        print(f"{res['policies']} policies: query rows {_share(res['rows'])}, "  # type: ignore[arg-type]
              f"scorecard cells {_share(res['cells'])} quote the words of their value")  # type: ignore[arg-type]
        for f in res["failures"][: None if args.verbose else 20]:  # type: ignore[index]
            print("  FAIL", json.dumps(f, ensure_ascii=False, default=str))
        for why in res["skipped"]:  # type: ignore[attr-defined]
            print(f"  not checked: {why}")
    return 1 if res["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())

