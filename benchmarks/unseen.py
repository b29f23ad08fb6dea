"""Extraction quality on policies no rule was written for (run on demand, ~30 s):

    python benchmarks/unseen.py [--set versions|written|heldout] [--work DIR] [--json OUT]

``--set versions`` (default):
the latest version of four notices in ``../shared/versions`` (GitHub's privacy
statement; Mozilla's accounts, websites and German Firefox notices: real, published,
Markdown with kramdown markup) against gold in ``benchmarks/unseen/gold/``. The
gold was written on 2026-12-05 by readers who saw only the texts, the annotation
conventions of ``../shared/gold/README.md`` and DPV, never policykg's output.

These policies were not used to write the rules before that day: the first score
(0.839, P 0.882, R 0.801, at f47dcfd) is a measure on unseen policies. Rules fitted
since then were checked on them, so later scores are a second devset, not a held-out
test; report them as such.

``--set written``: seven policies in ``benchmarks/written/texts`` (Swedish x2, Danish,
Norwegian, Finnish, English, German: a shop, a consultancy, a clinic, a property
manager, a SaaS, a medical practice), written on 2026-12-05 for this check in the style
of real policies of those countries, with gold, by writers who never saw policykg, its
rules or its output. First score 0.890 (P 0.921, R 0.862) at f47dcfd; rules checked on
them since (README there).

``--set heldout``: seven more, written the same way at the end of that day (en x2, sv, de,
da, nb, fi: a fintech, a university, a sports association, a German online shop, a Danish
webshop, a Norwegian gym, a Finnish SaaS). Measure only: no rule has been checked on them.
Whoever looks at their errors to write a rule moves them to ``written/`` and says so.

Each notice is read as policykg reads it (``policykg text``), the derived text
is what evidence offsets index; the folder of texts is extracted with ``policykg
extract`` and scored with ``../shared/tools/evaluate.py``. Exit 0 when scored, 2 when
../shared is absent or a step fails.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
HERE = Path(__file__).resolve().parent
SOURCES = {  # slug -> the version scored (../shared/versions/<folder>/<file>)
    "github-privacy": "github-privacy-statement/2026-03-02_348ff86.md",
    "mozilla-accounts": "mozilla-accounts-privacy-notice/2026-05-13_758f033.md",
    "mozilla-websites": "mozilla-websites-privacy-notice/2025-12-09_512eec6.md",
    "firefox-de": "firefox-privacy-notice-de/2026-05-04_85fecee.md",
}
PK = shutil.which("policykg") or str(Path(sys.executable).with_name("policykg"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", dest="corpus", choices=("versions", "written", "heldout"),
                    default="versions", help="which policies: the latest versions in ../shared/versions, "
                    "benchmarks/written, or benchmarks/heldout (measure only)")
    ap.add_argument("--work", type=Path, help="keep the texts and the graph here (default: a temporary folder)")
    ap.add_argument("--json", type=Path, help="write the scorer's JSON here")
    args = ap.parse_args()
    if not (SHARED / "tools" / "evaluate.py").is_file() or (args.corpus == "versions"
                                                            and not (SHARED / "versions").is_dir()):
        print(f"unseen.py: {SHARED}/tools/evaluate.py (and {SHARED}/versions) are needed", file=sys.stderr)
        return 2
    gold = HERE / ("unseen" if args.corpus == "versions" else args.corpus) / "gold"
    sources = {slug: SHARED / "versions" / rel for slug, rel in SOURCES.items()} if args.corpus == "versions" \
        else {f.stem: f for f in sorted((HERE / args.corpus / "texts").glob("*.txt"))}
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        texts = work / "texts"
        texts.mkdir(parents=True, exist_ok=True)
        for slug, src in sources.items():
            out = subprocess.run([PK, "-q", "text", str(src)], capture_output=True, text=True)
            if out.returncode:
                print(f"unseen.py: policykg text {src}: {out.stderr.strip()}", file=sys.stderr)
                return 2
            (texts / f"{slug}.txt").write_text(out.stdout, encoding="utf-8")
        graph = work / "graph.ttl"
        run = subprocess.run([PK, "-q", "extract", str(texts), "-o", str(graph)], capture_output=True, text=True)
        if run.returncode:
            print(f"unseen.py: policykg extract: {run.stderr.strip()}", file=sys.stderr)
            return 2
        cmd = [sys.executable, str(SHARED / "tools" / "evaluate.py"), str(graph), "--gold", str(gold),
               "--texts", str(texts)]
        if args.json:
            cmd += ["--json", str(args.json)]
        return 0 if subprocess.run(cmd).returncode == 0 else 2


if __name__ == "__main__":
    sys.exit(main())
