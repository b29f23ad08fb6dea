#!/usr/bin/env python3
"""Extraction time per policy, in-process and warm: text -> stated and derived triples.

    python benchmarks/extraction_ms.py [PATH ...] [--runs 5] [--profile OUT.prof]

PATHs are policy files or folders (default: the bundled policies and the English,
Swedish and German devset policies in ../shared/devset/texts). Each policy is read
once; one warm-up pass; then ``--runs`` passes over all of them, each timed as a
whole: prints the median, minimum and maximum milliseconds per policy, per corpus
(the folder) and overall. The time is the process's CPU time (time.process_time),
not wall time: on a machine shared with other work it is far less disturbed by
the load (wall time under a load of 8 on 2 cores varied by 2x between runs). What is timed is ``pipeline.extract_source`` — segmenting,
language identification, every extractor, the graph and the derived triples — the
same call in every version since bf61013, so an older checkout's ``src`` on
PYTHONPATH is measured the same way in the same sitting:

    PYTHONPATH=/path/to/old/src python benchmarks/extraction_ms.py

Memoised functions of a sentence's words are cleared before every pass (a pass then
sees each sentence for the first time, as a corpus of distinct policies does; without
that, the passes after the warm-up would find every sentence memoised);
``--keep-memos`` keeps them (what repeated extraction of the same texts costs).

``--profile``: one more pass under cProfile, its statistics written to the file
(read them with ``python -m pstats``), the 25 largest cumulative costs printed.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

from policykg.pipeline import extract_source
from policykg.reading import read_source

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT.parent / "shared" / "devset" / "texts"


SENTENCE_MEMOS = (("policykg.extractors.base", "_may_deny"),
                  ("policykg.extractors.context", "_speaks_of_the_law"),
                  ("policykg.extractors.organisations", "_suffix_names"),
                  ("policykg.extractors.organisations", "_suffix_names_in"),
                  ("policykg.extractors.organisations", "_provided_by_in"),
                  ("policykg.extractors.organisations", "_NAMES_CONTROLLER"),
                  ("policykg.extractors.organisations", "_processor_subject"),
                  ("policykg.extractors.context", "_names_definitions"),
                  ("policykg.extractors.context", "_names_rights"),
                  ("policykg.extractors.metadata", "_STATES_UPDATE"))
"""Memoised functions keyed on a sentence (those of any version since bf61013)."""


def clear_sentence_memos() -> None:
    for module, name in SENTENCE_MEMOS:
        fn = getattr(sys.modules.get(module), name, None)  # a module an older version lacks: None
        if hasattr(fn, "cache_clear"):
            fn.cache_clear()


def default_corpora() -> dict[str, list[Path]]:
    out = {"bundled": sorted((ROOT / "data" / "policies").glob("*.txt"))}
    if DEVSET.is_dir():
        out["devset en/sv/de"] = sorted(p for p in DEVSET.glob("*.txt") if p.name[:3] in ("en-", "sv-", "de-"))
    return out


def corpora_of(paths: list[Path]) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for p in paths:
        out[str(p)] = sorted(f for f in p.rglob("*") if f.suffix in (".txt", ".md", ".html")) if p.is_dir() else [p]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep-memos", action="store_true", help="do not clear the sentence memos between passes")
    ap.add_argument("--profile", type=Path, help="write cProfile statistics of one more pass here")
    args = ap.parse_args(argv)
    corpora = corpora_of(args.paths) if args.paths else default_corpora()
    sources = {name: [read_source(f) for f in files] for name, files in corpora.items()}
    everything = [s for srcs in sources.values() for s in srcs]
    for src in everything:  # warm-up: imports, vocabularies, memoised patterns
        extract_source(src)
    times: dict[str, list[float]] = {name: [] for name in sources}
    for _ in range(args.runs):
        if not args.keep_memos:
            clear_sentence_memos()
        for name, srcs in sources.items():
            t = time.process_time()
            for src in srcs:
                extract_source(src)
            times[name].append((time.process_time() - t) * 1000 / len(srcs))
    total = [sum(times[n][i] * len(sources[n]) for n in sources) / len(everything) for i in range(args.runs)]
    import policykg

    print(f"policykg from {Path(policykg.__file__).parent}; {args.runs} runs; CPU ms per policy "
          "(median, min, max)")
    for name, ts in [*times.items(), ("all", total)]:
        n = len(sources[name]) if name in sources else len(everything)
        print(f"  {name} ({n} policies): {statistics.median(ts):.1f}  ({min(ts):.1f}-{max(ts):.1f})")
    if args.profile:
        if not args.keep_memos:
            clear_sentence_memos()
        prof = cProfile.Profile()
        prof.enable()
        for src in everything:
            extract_source(src)
        prof.disable()
        prof.dump_stats(str(args.profile))
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
