#!/usr/bin/env python3
"""Check `policykg diff` and re-anchoring on the real version histories in ../shared/versions.

    python scripts/versions_check.py [--shared ../shared]

1. GitHub's subprocessor list, every pair of consecutive versions: the subprocessors
   added and removed, as read from the two tables side by side (written down below),
   against what `diff` reports (organisations in any recipient role). Each miss or
   extra is attributed: the extractor did not name the organisation in that version,
   or named it in another role (e.g. as the controller), or the diff itself is wrong.
2. Firefox's notice (English), every pair: the annotations of the old version kept,
   moved and lost in the new text, and how many re-anchored ones do not quote their
   words at their new offsets (must be 0).
3. Every history in the folder, every pair of consecutive versions: the changes `diff`
   finds (added, removed, changed), the annotations re-anchored (kept, moved, lost),
   quotes that do not match their version's text (must be 0), and a sample of changes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from policykg import anchoring, diff  # noqa: E402
from policykg.iris import norm_name  # noqa: E402

# Read from the two tables side by side. Renamed rows ("Amazon Web Services (AWS)" ->
# "Amazon Web Services Inc (AWS)", "Azure (Microsoft)" -> "Microsoft (Azure)"), rows that moved
# to the second table of GitHub's own companies (May 2025), and SendGrid folded into the row
# "Twilio (SendGrid)" are no change.
TRUTH = {
    "2024-04-17": (set(), set()),
    "2024-05-24": ({"GitHub Australia Pty Ltd", "GitHub BV", "GitHub Canada ULC", "GitHub Germany GmbH",
                    "GitHub India Pty Ltd", "Npm, Inc.", "Semmle Inc."}, {"Splunk"}),
    "2025-03-24": ({"Anthropic PBC"}, {"Zapier"}),
    "2025-05-07": ({"OpenAI"}, {"Azure Cognitive Services"}),
    "2025-07-23": ({"CoreWeave, Inc."}, {"VividCortex"}),
    "2025-08-26": ({"Hewlett-Packard Limited", "LambdaTest", "Oracle America, Inc.", "xAI"}, set()),
    "2025-11-06": ({"Fireworks AI", "FullStory, Inc."}, set()),
    "2026-03-02": ({"Elasticsearch, Inc."}, {"CoreWeave, Inc."}),
    "2026-03-11": ({"Tines Automation Inc."}, set()),
}
ROLES = {"processor", "third party", "recipient"}


def _key(name: str) -> frozenset[str]:
    return frozenset(norm_name(re.sub(r"\(.*?\)", " ", name)).split())


def _same(a: str, b: str) -> bool:
    """The same organisation: the same words once legal forms and parentheses are dropped."""
    ka = _key(a)
    return bool(ka) and ka == _key(b)


def github(folder: Path) -> tuple[int, int]:
    files = sorted(folder.glob("*.md"))
    right = total = 0
    print("GitHub subprocessors: changes read from the tables vs `policykg diff`")
    for old, new in zip(files, files[1:], strict=False):
        a, _ = diff.read_file(str(old))
        b, _ = diff.read_file(str(new))
        d = diff.compare(a, b)
        added = {c.label for c in d.changes if c.aspect in ROLES and c.kind == "added"}
        removed = {c.label for c in d.changes if c.aspect in ROLES and c.kind == "removed"}
        want_added, want_removed = TRUTH[new.name[:10]]
        print(f"\n{old.name[:10]} -> {new.name[:10]}")
        for kind, want, got, version, other in (("added", want_added, added, b, a),
                                                ("removed", want_removed, removed, a, b)):
            for name in sorted(want):
                total += 1
                if any(_same(name, g) for g in got):
                    right += 1
                    print(f"  {kind:8} {name}: named")
                else:
                    print(f"  {kind:8} {name}: MISSED ({_why(name, version, other)})")
            for g in sorted(got):
                if not any(_same(g, w) for w in want):
                    print(f"  {kind:8} {g}: EXTRA ({_why(g, version, other, extra=True)})")
    print(f"\n{right} of {total} subprocessor changes named")
    return right, total


def _why(name: str, version: diff.Version, other: diff.Version, extra: bool = False) -> str:
    """Why a change was missed or reported although the tables do not show it."""
    def roles(v: diff.Version) -> set[str]:
        return {f.aspect for f in v.facts.values() if f.value is not None and _same(name, f.label)}

    here, there = roles(version), roles(other)
    if extra:
        return f"the extractor names it as {sorted(here) or 'nothing'} here and {sorted(there) or 'nothing'} there"
    if not here & ROLES:
        return f"the extractor does not name it as a recipient in that version ({sorted(here) or 'not at all'})"
    iris = {str(f.value) for f in version.facts.values() if f.value is not None and _same(name, f.label)}
    if here & there & ROLES:
        return (f"its IRI {', '.join(sorted(iris))} is an organisation the other version names in the same role "
                "(one node for two companies)")
    return f"named there as {sorted(here)}, in the other version as {sorted(there)}: a diff error"


def firefox(folder: Path) -> int:
    files = sorted(folder.glob("*.md"))
    read = [diff.read_file(str(f))[0] for f in files]
    wrong_total = 0
    print("\nFirefox notice (en): annotations of each version re-anchored in the next")
    print("| versions | annotations | kept | moved | lost | offsets not matching their quote |")
    print("|---|---:|---:|---:|---:|---:|")
    for (fa, a), (fb, b) in zip(zip(files, read, strict=True), list(zip(files, read, strict=True))[1:], strict=False):
        anchors = list(a.anchors.values())
        placed = anchoring.reanchor(anchors, b.text or "")
        t = anchoring.tally(placed)
        wrong = sum(1 for an, p in zip(anchors, placed, strict=True)
                    if p.start is not None and (b.text or "")[p.start:p.end] != an.exact)
        wrong_total += wrong
        n = len(anchors)
        print(f"| {fa.name[:10]} → {fb.name[:10]} | {n} | {t['kept']} ({t['kept'] / n:.0%}) | "
              f"{t['moved']} ({t['moved'] / n:.0%}) | {t['lost']} ({t['lost'] / n:.0%}) | {wrong} |")
    return wrong_total


def pairs(folder: Path) -> list[dict]:  # type: ignore[type-arg]
    """Every pair of consecutive versions in ``folder``: the changes ``diff`` finds, the old
    version's annotations re-anchored in the new text, and the quotes (of either version, or
    re-anchored) that do not match the text they point into."""
    files = sorted(folder.glob("*.md"))
    read = [diff.read_file(str(f))[0] for f in files]
    out = []
    for (fa, a), (fb, b) in zip(zip(files, read, strict=True), list(zip(files, read, strict=True))[1:],
                                strict=False):
        d = diff.compare(a, b)
        old, new = a.text or "", b.text or ""
        wrong = 0
        for c in d.changes:
            wrong += sum(1 for e in c.old_evidence if old[e.start:e.end] != e.exact)
            wrong += sum(1 for e in c.new_evidence if new[e.start:e.end] != e.exact)
            wrong += sum(1 for e in c.old_evidence if e.placed is not None and e.placed.start is not None
                         and new[e.placed.start:e.placed.end] != e.exact)
        out.append({"old": fa.name[:10], "new": fb.name[:10], "changes": d.changes, "anchoring": d.anchoring,
                    "wrong": wrong})
    return out


def histories(versions: Path, sample: int = 3) -> int:
    """Every pair of consecutive versions of every history: what the diff reads and finds."""
    print("\nEvery history: consecutive versions diffed")
    print("| history | pairs | changes (added / removed / changed) | annotations re-anchored: kept / moved / lost "
          "| quotes not matching their text |")
    print("|---|---:|---|---|---:|")
    wrong_total, samples = 0, []
    for folder in sorted(d for d in versions.iterdir() if d.is_dir()):
        found = pairs(folder)
        kinds = {k: sum(1 for r in found for c in r["changes"] if c.kind == k) for k in ("added", "removed", "changed")}
        placed = {k: sum(r["anchoring"][k] for r in found) for k in ("kept", "moved", "lost")}
        wrong = sum(r["wrong"] for r in found)
        for r in found:
            for c in [c for c in r["changes"] if c.kind != "changed" or c.aspect in ("retention", "transfer")][:1]:
                ev = (c.new_evidence or c.old_evidence)[:1]
                quote = f' "{ev[0].exact[:90]}"' if ev else ""
                samples.append(f"{folder.name} {r['old']} → {r['new']}: {c.kind} {c.aspect} "
                               f"{diff._value_text(c)}{quote}")
        n = sum(placed.values()) or 1
        print(f"| {folder.name} | {len(found)} | {sum(kinds.values())} ({kinds['added']} / {kinds['removed']} / "
              f"{kinds['changed']}) | {sum(placed.values())}: {placed['kept']} ({placed['kept'] / n:.0%}) / "
              f"{placed['moved']} ({placed['moved'] / n:.0%}) / {placed['lost']} ({placed['lost'] / n:.0%}) | "
              f"{wrong} |")
        wrong_total += wrong
    print("\nA sample of what the diff finds (the first change of a pair):")
    for line in samples[:: max(1, len(samples) // (sample * 4))]:
        print(f"  {line}")
    return wrong_total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args(argv)
    versions = args.shared / "versions"
    if not versions.is_dir():
        print(f"{versions}: not found", file=sys.stderr)
        return 2
    github(versions / "github-subprocessors")
    wrong = firefox(versions / "firefox-privacy-notice-en")
    wrong += histories(versions)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
