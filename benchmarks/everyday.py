"""The everyday commands on graph files: `policykg run` on the bundled policies and
`policykg scorecard FILE` on N synthetic policies, wall clock and where the time goes.

    python benchmarks/everyday.py [--policies data/policies] [--scorecard-n 200]
                                  [--src OTHER_CHECKOUT/src] [--no-scorecard]

Each command runs in a fresh process (imports included), once, as a user runs it;
the split is measured in this process with the same library calls the command
makes: extraction, writing graph.ttl, validation, the canned queries (run); loading
the file, validation, the items' queries (scorecard). With --src the commands run
that version's code (PYTHONPATH) and no split is measured. Say the machine load
when quoting the numbers (printed at the start and end).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def wall(args: list[str], src: str | None) -> float:
    """Seconds one `policykg ARGS` takes in a fresh process."""
    env = dict(os.environ, **({"PYTHONPATH": src} if src else {}))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from policykg.cli import main; main()", "-q", *args],
                   check=True, env=env, cwd=str(Path(src).parent) if src else None,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run_split(policies: Path, out: Path) -> dict[str, float]:
    """The steps of `policykg run`, timed one by one."""
    from policykg.export import serialize
    from policykg.loading import load_graph, load_store
    from policykg.pipeline import extract_paths, policy_files
    from policykg.queries import evaluate, list_queries
    from policykg.validation import validate

    t: dict[str, float] = {}
    start = time.perf_counter()
    ds = extract_paths(policy_files([policies]))
    t["extraction"] = time.perf_counter() - start
    start = time.perf_counter()
    (out / "graph.ttl").write_bytes(serialize(ds, "turtle"))
    t["writing"] = time.perf_counter() - start
    start = time.perf_counter()
    validate(load_graph([str(out / "graph.ttl")]))
    t["validation"] = time.perf_counter() - start
    start = time.perf_counter()
    store = load_store([str(out / "graph.ttl")])
    for q in list_queries():
        if not q.unbound:
            evaluate(store, q, {})
    t["queries"] = time.perf_counter() - start
    return t


def scorecard_split(graph: Path) -> dict[str, float]:
    """The steps of `policykg scorecard FILE`, timed one by one."""
    from policykg.loading import load_graph, load_store
    from policykg.scorecard import build_scorecard
    from policykg.validation import load_shapes, validate

    t: dict[str, float] = {}
    shapes = load_shapes()
    start = time.perf_counter()
    data = load_graph([str(graph)])
    t["loading (rdflib)"] = time.perf_counter() - start
    start = time.perf_counter()
    report = validate(data, shapes)
    t["validation"] = time.perf_counter() - start
    start = time.perf_counter()
    store = load_store([str(graph)], with_ontology=False)
    t["loading (Oxigraph)"] = time.perf_counter() - start
    start = time.perf_counter()
    build_scorecard(data, report, shapes, store)
    t["items' queries"] = time.perf_counter() - start
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--policies", type=Path, default=ROOT / "data" / "policies")
    ap.add_argument("--scorecard-n", type=int, default=200)
    ap.add_argument("--src", help="the src/ folder of another checkout: time its commands instead")
    ap.add_argument("--no-scorecard", action="store_true", help="time `run` only")
    args = ap.parse_args(argv)
    print(f"load average at start: {_load()}")
    with tempfile.TemporaryDirectory(prefix="policykg-everyday-") as tmp:
        work = Path(tmp)
        policies = args.policies.resolve()
        print(f"run {policies}: {wall(['run', str(policies), '-o', str(work / 'run')], args.src):.2f} s")
        if not args.src:
            split = run_split(policies, work)
            print("  " + ", ".join(f"{k} {v:.2f} s" for k, v in split.items()))
        if args.no_scorecard:
            print(f"load average at end: {_load()}")
            return 0
        synth = work / "synth"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), str(synth), "-n",
                        str(args.scorecard_n)], check=True, stdout=subprocess.DEVNULL)
        graph = work / "synth.ttl"
        wall(["extract", str(synth), "-o", str(graph)], None)
        took = wall(["scorecard", str(graph), "-f", "json", "-o", str(work / "card.json")], args.src)
        print(f"scorecard of {args.scorecard_n} synthetic policies in one file: {took:.2f} s")
        if not args.src:
            split = scorecard_split(graph)
            print("  " + ", ".join(f"{k} {v:.2f} s" for k, v in split.items()))
    print(f"load average at end: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
