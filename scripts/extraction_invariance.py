#!/usr/bin/env python3
"""Does a change leave every extracted graph exactly as it was? (speed work, issue 16)

    python scripts/extraction_invariance.py save REF_DIR [--synth 300] [--work DIR]
    python scripts/extraction_invariance.py check REF_DIR [--synth 300] [--work DIR]

Runs the real ``policykg extract`` (N-Quads, derived graphs included) on three
corpora: the bundled policies (data/policies), the devset (../shared/devset/texts,
skipped when absent) and a synthetic corpus of ``--synth`` policies from
benchmarks/synth.py (seed 1). ``save`` keeps each output's sorted lines in REF_DIR;
``check`` extracts again and compares.

Lines equal means graphs equal. When they differ, only the named graphs whose lines
differ are compared again as graphs with their blank nodes canonicalised
(rdflib.compare.isomorphic): a change that only renames blank nodes still holds. Each
graph that is not isomorphic is listed with a few of its differing triples; exit 1
then, 0 when every graph holds, 2 on bad input.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from rdflib import Dataset
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402


def corpora(work: Path, n_synth: int) -> dict[str, Path]:
    """Name -> folder of the corpora the invariant is checked on."""
    out = {"bundled": ROOT / "data" / "policies"}
    devset = ROOT.parent / "shared" / "devset" / "texts"
    if devset.is_dir():
        out["devset"] = devset
    else:
        print(f"devset not found at {devset}: skipped", file=sys.stderr)
    if n_synth:
        folder = work / f"synth-{n_synth}"
        if len(list(folder.glob("*.txt"))) != n_synth:
            synth.write_corpus(folder, n_synth, seed=1)
        out[f"synth-{n_synth}"] = folder
    return out


def extract(folder: Path) -> list[str]:
    """Sorted N-Quads lines of ``policykg extract FOLDER`` (the installed command)."""
    exe = Path(sys.executable).with_name("policykg")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.nq"
        done = subprocess.run([str(exe), "-q", "extract", str(folder), "-f", "nquads", "--no-progress",
                               "-o", str(out)], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"policykg extract {folder} failed (exit {done.returncode}): {done.stderr.strip()}")
        return sorted(line for line in out.read_text(encoding="utf-8").splitlines() if line.strip())


BNODE_PREFIX = re.compile(r"_:(b[0-9a-f]{12}x)(?=\d)")
"""Graph building's blank-node labels: a random prefix per policy and run, then a counter."""


def by_graph(lines: list[str]) -> dict[str, list[str]]:
    """N-Quads lines grouped by their graph name (the last term), sorted. In a graph
    whose blank nodes all carry one prefix, the prefix is replaced by a fixed one:
    equal lines then mean the same graph with the same blank-node numbering."""
    groups: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        groups[line.rstrip(" .").rsplit(" ", 1)[-1]].append(line)
    out: dict[str, list[str]] = {}
    for name, group in groups.items():
        prefixes = {m.group(1) for line in group for m in BNODE_PREFIX.finditer(line)}
        if len(prefixes) == 1:
            prefix = "_:" + prefixes.pop()
            group = sorted(line.replace(prefix, "_:bNx") for line in group)
        out[name] = group
    return out


def _dataset(lines: list[str]) -> Dataset:
    ds = Dataset()
    ds.parse(data="\n".join(lines) + "\n", format="nquads")
    return ds


def compare(name: str, ref: list[str], now: list[str]) -> tuple[list[str], int]:
    """Problems (empty when every graph of ``now`` is isomorphic to its reference), and
    how many graphs needed the comparison as graphs (their lines differed)."""
    problems: list[str] = []
    renamed = 0
    old, new = by_graph(ref), by_graph(now)
    for g in sorted(set(old) | set(new)):
        a, b = old.get(g, []), new.get(g, [])
        if a == b:
            continue
        if not a or not b:
            problems.append(f"{name}: graph {g} {'added' if not a else 'missing'}")
            continue
        ga = _dataset(a).graph(_first_graph(_dataset(a)))
        gb = _dataset(b).graph(_first_graph(_dataset(b)))
        renamed += 1
        if len(ga) == len(gb) and isomorphic(ga, gb):
            continue
        _, only_a, only_b = graph_diff(to_isomorphic(ga), to_isomorphic(gb))
        sample = [f"  - {t}" for t in list(only_a)[:3]] + [f"  + {t}" for t in list(only_b)[:3]]
        problems.append(f"{name}: graph {g} differs ({len(only_a)} triples only before, "
                        f"{len(only_b)} only after)\n" + "\n".join(sample))
    return problems, renamed


def _first_graph(ds: Dataset) -> object:
    """The one named graph of a dataset parsed from one graph's lines."""
    names = [g.identifier for g in ds.graphs() if len(g)]
    return names[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("action", choices=["save", "check"])
    ap.add_argument("ref", type=Path, help="folder of the reference outputs")
    ap.add_argument("--synth", type=int, default=300, help="synthetic policies (default 300; 0: none)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "policykg-invariance",
                    help="where the synthetic corpus is generated")
    args = ap.parse_args(argv)
    if args.action == "check" and not args.ref.is_dir():
        print(f"Error: {args.ref}: no reference outputs (run 'save' first)", file=sys.stderr)
        return 2
    args.ref.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for name, folder in corpora(args.work, args.synth).items():
        lines = extract(folder)
        ref = args.ref / f"{name}.nq"
        if args.action == "save":
            ref.write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"{name}: {len(lines)} quads saved")
            continue
        if not ref.exists():
            print(f"Error: {ref}: no reference output for {name}", file=sys.stderr)
            return 2
        found, renamed = compare(name, ref.read_text(encoding="utf-8").splitlines(), lines)
        problems += found
        verdict = f"{len(found)} graphs differ" if found else "every graph identical"
        print(f"{name}: {len(lines)} quads, {verdict} ({renamed} compared as graphs: their blank nodes "
              "were numbered differently)")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
