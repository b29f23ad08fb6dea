"""Peak memory and time of ``policykg extract`` on a synthetic corpus, per output format.

Each measurement runs ``policykg extract CORPUS -f FORMAT -o OUT`` in a fresh
process and reads its peak resident set size from ``getrusage`` (the
kernel's ``ru_maxrss`` of that child alone), so no run inherits another's peak.
``--src`` measures another checkout (e.g. main, unpacked with ``git archive``)
in the same sitting, for a before/after comparison. The issue's bound: 2,000
policies to Turtle under 1 GB.

    python benchmarks/extract_memory.py -n 2000 --formats turtle nt nquads
    python benchmarks/extract_memory.py -n 2000 --formats turtle --src /tmp/main/src
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = """
import resource, sys, time
from policykg.cli import main
t = time.perf_counter()
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code, file=sys.stderr)
"""


def measure(corpus: Path, fmt: str, out: Path, src: str | None) -> dict[str, object]:
    """One extraction in a fresh interpreter: seconds, peak RSS (MB), exit code, output size."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-c", CHILD, "-q", "extract", str(corpus), "-f", fmt, "-o", str(out)],
                          env=env, stderr=subprocess.PIPE, text=True, check=False)
    seconds, rss_kb, code = proc.stderr.strip().splitlines()[-1].split()
    return {"format": fmt, "seconds": round(float(seconds), 1), "peak_rss_mb": round(int(rss_kb) / 1024),
            "exit": int(code), "output_mb": round(out.stat().st_size / 2**20, 1) if out.exists() else None,
            "code": src or "this checkout"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=2000, help="policies in the synthetic corpus (default 2000)")
    ap.add_argument("--corpus", type=Path, help="folder of the corpus (default: a temporary one, generated)")
    ap.add_argument("--formats", nargs="+", default=["turtle", "nt", "nquads"])
    ap.add_argument("--src", help="the src/ folder of another checkout to measure instead of this one")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="policykg-extract-") as tmp:
        corpus = args.corpus or Path(tmp) / "corpus"
        if not corpus.is_dir():
            subprocess.run([sys.executable, str(HERE / "synth.py"), str(corpus), "-n", str(args.n)], check=True)
        for fmt in args.formats:
            row = measure(corpus, fmt, Path(tmp) / f"out.{fmt}", args.src)
            row["policies"] = len(list(corpus.iterdir()))
            print(json.dumps(row), flush=True)
            (Path(tmp) / f"out.{fmt}").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
