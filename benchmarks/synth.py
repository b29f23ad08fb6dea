"""Synthetic but realistic privacy policies in English and Swedish, for benchmarks.

Every policy is a different fictitious company with its own structure: which
sections it has and in what order, which processors it names (from real SaaS
vendors in ``phrasebank.yaml``), which purposes, data, retention periods and
transfers it states. Policy ``i`` depends only on ``(seed, i)``, so a corpus of
100,000 can be regenerated exactly, or extended, without storing it.

    python benchmarks/synth.py OUT_DIR -n 1000 [--seed 1] [--swedish 0.4]
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

BANK = Path(__file__).with_name("phrasebank.yaml")


@dataclass(frozen=True)
class Vendor:
    name: str
    service_en: str
    service_sv: str
    country: str


def load_bank(path: Path = BANK) -> dict:  # type: ignore[type-arg]
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _company(rng: random.Random, bank: dict) -> tuple[str, str]:  # type: ignore[type-arg]
    parts = bank["company_parts"]
    short = rng.choice(parts["first"]) + rng.choice(parts["second"])
    if rng.random() < 0.5:
        short = f"{short} {rng.choice(parts['kind'])}"
    return f"{short} {rng.choice(parts['suffix'])}", short


def _date(rng: random.Random, lang: str) -> str:
    y, m, d = rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28)
    if rng.random() < 0.5:
        return f"{y}-{m:02d}-{d:02d}"
    months_en = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"]
    months_sv = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                 "oktober", "november", "december"]
    return f"{d} {months_en[m - 1]} {y}" if lang == "en" else f"{d} {months_sv[m - 1]} {y}"


def policy(i: int, seed: int = 1, swedish: float = 0.4, bank: dict | None = None) -> tuple[str, str]:  # type: ignore[type-arg]
    """(identifier, text) of synthetic policy number ``i``."""
    bank = bank or load_bank()
    rng = random.Random(f"{seed}:{i}")
    lang = "sv" if rng.random() < swedish else "en"
    p = bank[lang]
    vendors = [Vendor(*v) for v in bank["vendors"]]
    company, short = _company(rng, bank)
    domain = "".join(ch for ch in short.lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
                     if ch.isalnum()) + rng.choice([".se", ".com", ".io", ".eu"])
    country_of_authority = rng.choice(["SE"] * 6 + ["NO", "FI", "DK", "DE"])
    fields = {
        "company": company, "short": short, "city": rng.choice(bank["cities"]),
        "street": rng.choice(bank["streets"]), "number": rng.randint(1, 120),
        "zip": f"{rng.randint(100, 999)} {rng.randint(10, 99)}",
        "orgno": f"55{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        "email": rng.choice(["privacy", "info", "gdpr", "dataskydd", "support"]) + "@" + domain,
        "dpo_email": "dpo@" + domain,
        "authority": bank["authorities"][country_of_authority][0 if lang == "en" else 1],
        "date": _date(rng, lang),
    }

    def fill(template: str, **extra: object) -> str:
        return template.format(**{**fields, **extra})

    def pick(key: str, **extra: object) -> str:
        return fill(rng.choice(p[key]), **extra)

    def service(v: Vendor) -> str:
        return v.service_en if lang == "en" else v.service_sv

    def bullets(items: list[str]) -> str:
        mark = rng.choice(["-", "•", "*"])
        return "\n".join(f"{mark} {it[0].upper()}{it[1:]}" if rng.random() < 0.5 else f"{mark} {it}"
                         for it in items)

    used = rng.sample(vendors, rng.randint(2, 7))
    out: list[str] = [pick("title"), pick("intro")]
    filler = rng.sample(p["filler"], rng.randint(3, len(p["filler"])))
    out += [fill(t) for t in filler[:2]]

    out += [pick("collect_heading"), pick("collect_lead"),
            bullets(rng.sample(p["data"], rng.randint(3, 8)))]
    out += [pick("purposes_heading"), pick("purposes_lead"),
            bullets(rng.sample(p["purposes"], rng.randint(3, 7)))]
    out += filler[2:4]
    if rng.random() < 0.6:
        out += [pick("cookies_heading"), " ".join(rng.sample(p["cookies"], rng.randint(1, 2))),
                pick("analytics", vendor=rng.choice(["Google Analytics", "Hotjar", "Matomo"]))]
    if rng.random() < 0.9:
        items = [fill(rng.choice(p["recipient_item"]), vendor=v.name, service=service(v)) for v in used]
        out += [pick("recipients_heading"), pick("recipients_lead"), bullets(items)]
        out += rng.sample(p["recipients_tail"], rng.randint(1, 2))
    abroad = [v for v in used if v.country in bank["countries"]]
    if abroad and rng.random() < 0.8:
        v = rng.choice(abroad)
        country = bank["countries"][v.country][0 if lang == "en" else 1]
        out += [pick("transfer_heading"), pick("transfer", vendor=v.name, country=country)]
    elif rng.random() < 0.5:
        out.append(pick("eu_only"))
    if rng.random() < 0.9:
        lines = [fill(t, duration=rng.choice(p["durations"])) for t in rng.sample(p["retention"], rng.randint(2, 4))]
        out += [pick("retention_heading"), " ".join(lines)]
    if rng.random() < 0.7:
        out += [pick("security_heading"), " ".join(rng.sample(p["security"], rng.randint(1, 3)))]
    if rng.random() < 0.95:
        out += [pick("rights_heading"), pick("rights_lead"),
                bullets(rng.sample(p["rights"], rng.randint(3, 8))), pick("complaint")]
    if rng.random() < 0.3:
        out.append(pick("dpo"))
    out += filler[4:]
    out += [pick("contact_heading"), pick("contact")]
    if rng.random() < 0.7:
        out.append(pick("updated"))
    ident = f"synth-{lang}-{i:06d}"
    return ident, "\n\n".join(out) + "\n"


def write_corpus(out_dir: Path, n: int, seed: int = 1, swedish: float = 0.4, start: int = 0) -> list[Path]:
    """Write policies ``start .. start+n-1`` as ``<identifier>.txt`` files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    bank = load_bank()
    paths = []
    for i in range(start, start + n):
        ident, text = policy(i, seed, swedish, bank)
        path = out_dir / f"{ident}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("-n", type=int, default=100, help="number of policies (default 100)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--swedish", type=float, default=0.4, help="share of Swedish policies (default 0.4)")
    ap.add_argument("--start", type=int, default=0, help="index of the first policy (to extend a corpus)")
    args = ap.parse_args(argv)
    paths = write_corpus(args.out_dir, args.n, args.seed, args.swedish, args.start)
    print(f"wrote {len(paths)} policies to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
