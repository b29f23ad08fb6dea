#!/usr/bin/env python3
"""How often the scorecard agrees with the gold annotations, cell by cell.

For every policy with gold (../shared/gold, ../shared/devset/gold), each
scorecard item that the gold can speak to is compared: the gold counts an item
as stated when it has it (a publisher, a contact e-mail, purposes, legal bases,
named recipients or recipient categories, a stated transfer with safeguards,
retention items, the right in its rights list, an authority ...), as not
applicable where the gold shows the condition is absent (no consent basis, no
transfer). Items the gold cannot speak to (DPO, legitimate interests, data
source) are not compared.

    python scripts/scorecard_agreement.py [--shared ../shared] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rdflib import Dataset  # noqa: E402

from policykg.errors import InputError  # noqa: E402
from policykg.export import serialize  # noqa: E402
from policykg.loading import load_graph  # noqa: E402
from policykg.pipeline import add_extraction, extract_source, policy_files  # noqa: E402
from policykg.reading import read_source  # noqa: E402
from policykg.scorecard import build_scorecard  # noqa: E402
from policykg.validation import load_shapes, validate  # noqa: E402

RIGHTS = {"RightOfAccessShape": "eu-gdpr:A15", "RightToRectificationShape": "eu-gdpr:A16",
          "RightToErasureShape": "eu-gdpr:A17", "RightToRestrictionShape": "eu-gdpr:A18",
          "RightToObjectShape": "eu-gdpr:A21", "RightToPortabilityShape": "eu-gdpr:A20",
          "AutomatedDecisionShape": "eu-gdpr:A22"}


def gold_status(gd: dict, item: str) -> str | None:  # type: ignore[type-arg]
    """What the gold says for one item: stated, missing, n/a, or None (cannot tell)."""
    rights = {c for r in gd.get("rights") or [] for c in r.get("any_of") or []}
    bases = {c for r in gd.get("legal_bases") or [] for c in r.get("any_of") or []}
    tct = gd.get("third_country_transfer") or {}

    def yes(x: object) -> str:
        return "stated" if x else "missing"

    if item == "ControllerIdentityShape":
        return yes(gd.get("publisher") or gd.get("controllers"))
    if item == "ControllerContactShape":
        return yes(gd.get("contact_emails"))
    if item == "PurposeShape":
        return yes(gd.get("purposes"))
    if item == "LegalBasisShape":
        return yes(gd.get("legal_bases"))
    if item == "RecipientsShape":
        return yes(gd.get("recipients") or gd.get("recipient_categories"))
    if item == "TransferSafeguardShape":
        return "n/a" if not tct.get("stated") else yes(tct.get("safeguards"))
    if item == "RetentionShape":
        return yes(gd.get("retention"))
    if item in RIGHTS:
        return yes(RIGHTS[item] in rights)
    if item == "WithdrawConsentShape":
        return "n/a" if "dpv:Consent" not in bases else yes("eu-gdpr:A7-3" in rights)
    if item == "ComplaintShape":
        return yes("eu-gdpr:A77" in rights or gd.get("authority"))
    return None


def agreement(shared: Path, tmp: Path) -> dict:  # type: ignore[type-arg]
    shapes = load_shapes()
    agree = total = 0
    per_item: dict[str, list[int]] = {}
    per_lang: dict[str, list[int]] = {}
    disagreements = []
    for gold_dir, texts in ((shared / "gold", ROOT / "data" / "policies"),
                            (shared / "devset" / "gold", shared / "devset" / "texts")):
        path = tmp / f"{gold_dir.parent.name}.ttl"
        ds = Dataset()
        for f in policy_files([texts]):
            try:
                add_extraction(ds, extract_source(read_source(f)))
            except InputError as exc:  # a language policykg cannot read: its cells are not compared
                print(f"refused: {exc.message}", file=sys.stderr)
        path.write_bytes(serialize(ds, "turtle"))
        data = load_graph([str(path)])
        card = build_scorecard(data, validate(data, shapes), shapes)
        for v in card.vendors:
            gf = gold_dir / f"{v.identifier}.yaml"
            if not gf.exists():
                continue
            gd = yaml.safe_load(gf.read_text(encoding="utf-8"))
            for item in card.items:
                want = gold_status(gd, item.name)
                if want is None:
                    continue
                got = v.cells[item.name].status
                ok = want == got
                agree += ok
                total += 1
                per_item.setdefault(item.name, [0, 0])
                per_item[item.name][0] += ok
                per_item[item.name][1] += 1
                lang = per_lang.setdefault(str(gd.get("language")), [0, 0])
                lang[0] += ok
                lang[1] += 1
                if not ok:
                    disagreements.append(f"{v.identifier}: {item.name} gold={want} scorecard={got}")
    return {"agreement": agree / total if total else 0.0, "cells": total, "agree": agree,
            "per_item": {k: f"{a}/{n}" for k, (a, n) in per_item.items()},
            "per_language": {k: [a, n] for k, (a, n) in sorted(per_lang.items())},
            "disagreements": disagreements}


def main() -> int:
    import tempfile

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        res = agreement(Path(a.shared), Path(tmp))
    if a.json:
        print(json.dumps(res, indent=1))
    else:
        for d in res["disagreements"]:
            print("  " + d)
        for lang, (a, n) in res["per_language"].items():
            print(f"  {lang}: {a}/{n} = {a / n:.1%}")
        print(f"cell agreement {res['agree']}/{res['cells']} = {res['agreement']:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
