"""Render benchmarks/results/*.json as the tables of docs/benchmarks.md.

The text between ``<!-- results:start -->`` and ``<!-- results:end -->`` is
replaced; everything else in the document is written by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

START, END = "<!-- results:start -->", "<!-- results:end -->"


def _load(results: Path) -> list[dict]:  # type: ignore[type-arg]
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in results.glob("*.json")]
    return sorted(runs, key=lambda r: r["policies"])


def _remeasured(runs: list[dict], part: str) -> str:  # type: ignore[type-arg]
    """"; queries re-measured DATE" when a part was measured again after its size's full
    run; "; queries of 100,000 kept from a run of DATE" when a run without that part
    (``--no-queries``) kept an earlier run's results."""
    again = sorted({r[f"{part}_date"] for r in runs if f"{part}_date" in r and not r.get(f"{part}_kept")})
    kept = [f"{r['policies']:,} kept from a run of {r[f'{part}_date']}" for r in runs if r.get(f"{part}_kept")]
    out = f"; {part} re-measured {', '.join(again)}" if again else ""
    return out + (f"; {part} of {', '.join(kept)}" if kept else "")


def tables(runs: list[dict], results: Path) -> str:  # type: ignore[type-arg]
    if not runs:
        return "_No results yet: run `python benchmarks/run.py`._\n"
    m = runs[-1]["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; Python {m['python']}, "
             f"pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}; {m['os']}. "
             f"Dates: {', '.join(sorted({r['date'] for r in runs}))}"
             + _remeasured(runs, "extraction") + _remeasured(runs, "validation") + _remeasured(runs, "queries")
             + ".", ""]
    lines += ["### Extraction, build, store, validation", "",
              "| policies | extraction, 2 processes (policies/s) | one core | build | build peak memory | "
              "store on disk | re-build, unchanged | validate (native) | validate peak memory | "
              "pyshacl per policy |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        e, b, v = r["extraction"], r["build"], r["validate_native"]
        lines.append(f"| {r['policies']:,} | {e['two_processes_per_s']} | {e['one_core_per_s']} | "
                     f"{b['seconds']} s ({b['policies_per_s']}/s) | {b['peak_mb']} MB | {r['store_mb']} MB | "
                     f"{r['rebuild_unchanged']['seconds']} s | {v['seconds']} s | {v['peak_mb']} MB | "
                     f"{r['pyshacl_s_per_policy']} s |")
    e = runs[-1]["extraction"]
    lines += ["", f"Synthetic policies: {e['words_per_policy']} words and {e['triples_per_policy']} "
              "triples each on average (extraction measured on the first 2,000).", ""]
    names = sorted({q for r in runs for q in r.get("queries", {})})
    lines += _query_table(runs, names, "queries",
                          "### Canned queries on the embedded store, evaluated live (`query --live`; "
                          "median of 5, seconds; rows)")
    served = [r for r in runs if "queries_from_answers" in r]
    if served:
        lines += [""] + _query_table(
            runs, names, "queries_from_answers",
            "### The same queries read from the answers the build kept (`policykg query` on the store; "
            "median of 5, seconds; rows)")
        lines += ["", "| | " + " | ".join(f"{r['policies']:,}" for r in runs) + " |",
                  "|---|" + "---:|" * len(runs),
                  "| keeping the answers (`build` after a change) | "
                  + " | ".join(f"{r['answers']['seconds']} s, {r['answers']['peak_mb']} MB peak, "
                               f"{r['answers']['answers_mb']} MB on disk" if "answers" in r else "not run"
                               for r in runs) + " |"]
    inc = _load(results / "incremental") if (results / "incremental").is_dir() else []
    if inc:
        lines += ["", "### Answers kept in parts, per policy (`run.py --incremental-only`)", "",
                  "| | " + " | ".join(f"{r['policies']:,}" for r in inc) + " |", "|---|" + "---:|" * len(inc),
                  "| first build that keeps the answers (all evaluated, split per policy) | "
                  + " | ".join(f"{r['answers']['seconds']} s, {r['answers']['peak_mb']} MB peak, "
                               f"{r['answers']['answers_mb']} MB on disk" for r in inc) + " |"]
        for q in sorted({q for r in inc for q in r.get("queries_from_answers", {})}):
            cells = []
            for r in inc:
                t = r.get("queries_from_answers", {}).get(q)
                cells.append("" if not t else (f"{t[0]} ({t[1]:,})" if t[1] else f"{t[0]}"))
            lines.append(f"| `{q}` read from them (median of 5, s; rows) | " + " | ".join(cells) + " |")
        lines += ["", "### A build that changes 10 policies (`policykg build` on the store, answers included)", "",
                  "| policies | build, answers included | peak memory | answers equal to a live evaluation | "
                  "rows | live evaluation of every canned query | date | what the build said |",
                  "|---:|---:|---:|---:|---:|---:|---|---|"]
        for r in inc:
            i = r["incremental"]  # type: ignore[assignment]
            lines.append(f"| {r['policies']:,} | {i['seconds']} s | {i['peak_mb']} MB | {i['answers_equal_live']} | "
                         f"{i['rows']:,} | {i['live_seconds']} s | {i['date']} | {i['summary'].split(' -> ')[0]} |")
    rd = [r for r in runs if "rdflib" in r]
    if rd:
        lines += ["", "### The same through rdflib (graph files loaded as `policykg query` loads them; "
                  "median of 3, seconds; stopped after 60 s)", "",
                  "| | " + " | ".join(f"{r['policies']:,}" for r in rd) + " |",
                  "|---|" + "---:|" * len(rd),
                  "| load | " + " | ".join(f"{r['rdflib']['load_s']} s, {r['rdflib']['peak_mb']} MB"
                                                 for r in rd) + " |"]
        for q in names:
            cells = []
            for r in rd:
                t = r["rdflib"]["queries"].get(q)
                cells.append(f"{t[0]}" if t else "")
            lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _query_table(runs: list[dict], names: list[str], part: str, title: str) -> list[str]:  # type: ignore[type-arg]
    lines = [title, "", "| query | " + " | ".join(f"{r['policies']:,}" for r in runs) + " |",
             "|---|" + "---:|" * len(runs)]
    for q in names:
        cells = []
        for r in runs:
            t = r.get(part, {}).get(q)
            if not t:
                cells.append("not run" if part not in r else "")
                continue
            note = " (1 run)" if len(t) > 2 else ""
            cells.append(f"{t[0]}{note} ({t[1]:,})" if t[1] else f"{t[0]}{note}")
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return lines


def write(results: Path, doc: Path) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(head + START + "\n" + tables(_load(results), results) + END + tail, encoding="utf-8")
