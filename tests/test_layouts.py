"""The same policy in five layouts gives the same facts (issue 15).

One short policy of our own making is written as plain text with list markers,
hard-wrapped at 72 and at 60 columns, as Markdown (setext heading, pipe table),
as HTML (``<ul>``, ``<table>``) and as the flattened text a crawler makes of
that HTML (list items without markers, one table cell per line). Every
rendering must give the same values of every contract predicate, and the
facts the plain text states.
"""

from __future__ import annotations

import html
import textwrap
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from policykg.namespaces import DPV
from policykg.pipeline import extract_source
from policykg.reading import read_source

TITLE = "Privacy notice of Northwind Ledger AB"
INTRO = ("Northwind Ledger AB is the data controller for the personal data described in this notice. "
         "We do not allow anyone under 16 to sign up for the service, and we never sell your data.")
DATA_LEAD = "We collect the following personal data:"
DATA = ["Name", "E-mail address", "Telephone number", "IP address"]
USE = ("We use your e-mail address to send you our newsletter, based on your consent, and your IP "
       "address to protect the service against fraud, based on our legitimate interest.")
TRANSFER = ("We use Mailchimp to send the newsletter; it transfers data to the United States under "
            "the Standard Contractual Clauses.")
RETENTION_HEAD = ["Data", "Retention"]
RETENTION = [["Support tickets", "12 months"], ["Invoices", "7 years"], ["Access logs", "90 days"]]
RIGHTS_LEAD = "You have the following rights:"
RIGHTS = ["Access to your data", "Rectification of wrong data", "Erasure of your data",
          "Data portability"]
COMPLAINT = ("You may lodge a complaint with the Swedish Authority for Privacy Protection "
             "(Integritetsskyddsmyndigheten).")


def plain() -> str:
    rows = "\n".join(f"{a}: {b}" for a, b in RETENTION)
    return (f"{TITLE}\n\n{INTRO}\n\nPersonal data\n\n{DATA_LEAD}\n" + "\n".join(f"- {d}" for d in DATA)
            + f"\n\nHow we use data\n\n{USE}\n\n{TRANSFER}\n\nHow long we keep data\n\n"
            + "| Data | Retention |\n| --- | --- |\n" + "\n".join(f"| {a} | {b} |" for a, b in RETENTION)
            + f"\n\nYour rights\n\n{RIGHTS_LEAD}\n" + "\n".join(f"- {r}" for r in RIGHTS)
            + f"\n\n{COMPLAINT}\n") if rows else ""


def wrapped(width: int) -> str:
    out = []
    for line in plain().split("\n"):
        out.append("\n".join(textwrap.wrap(line, width)) if len(line) > width and not line.startswith("|")
                   else line)
    return "\n".join(out) + "\n"


def markdown() -> str:
    return (f"{TITLE}\n{'=' * len(TITLE)}\n\n{INTRO}\n\n## Personal data\n\n{DATA_LEAD}\n\n"
            + "\n".join(f"* {d}" for d in DATA)
            + "\n\n## How we use data\n\n" + "\n".join(textwrap.wrap(USE, 70)) + f"\n\n{TRANSFER}\n\n"
            + "## How long we keep data\n\n| Data | Retention |\n|:-----|----------:|\n"
            + "\n".join(f"| {a} | {b} |" for a, b in RETENTION)
            + f"\n\n## Your rights\n\n{RIGHTS_LEAD}\n\n" + "\n".join(f"1. {r}" for r in RIGHTS)
            + f"\n\n{COMPLAINT}\n")


def as_html() -> str:
    e = html.escape
    li = lambda xs: "<ul>" + "".join(f"<li>{e(x)}</li>" for x in xs) + "</ul>"  # noqa: E731
    table = ("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in RETENTION_HEAD) + "</tr></thead><tbody>"
             + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in RETENTION)
             + "</tbody></table>")
    return (f"<html><head><title>{e(TITLE)}</title></head><body><h1>{e(TITLE)}</h1><p>{e(INTRO)}</p>"
            f"<h2>Personal data</h2><p>{e(DATA_LEAD)}</p>{li(DATA)}<h2>How we use data</h2><p>{e(USE)}</p>"
            f"<p>{e(TRANSFER)}</p><h2>How long we keep data</h2>{table}<h2>Your rights</h2>"
            f"<p>{e(RIGHTS_LEAD)}</p>{li(RIGHTS)}<p>{e(COMPLAINT)}</p></body></html>")


def flattened() -> str:
    """What a browser's innerText gives: blocks as lines, no list markers, one cell per line."""
    cells = "\n\n".join(RETENTION_HEAD + [c for r in RETENTION for c in r])
    return (f"{TITLE}\n\n{INTRO}\n\nPersonal data\n\n{DATA_LEAD}\n\n" + "\n\n".join(DATA)
            + f"\n\nHow we use data\n\n{USE}\n\n{TRANSFER}\n\nHow long we keep data\n\n{cells}\n\n"
            + f"Your rights\n\n{RIGHTS_LEAD}\n\n" + "\n\n".join(RIGHTS) + f"\n\n{COMPLAINT}\n")


RENDERINGS = {"plain.txt": plain, "wrapped72.txt": lambda: wrapped(72), "wrapped60.txt": lambda: wrapped(60),
              "policy.md": markdown, "policy.html": as_html, "flattened.txt": flattened}


def facts(path: Path) -> set[tuple[str, str]]:
    src = read_source(path, identifier="northwind")
    g: Graph = extract_source(src).graph
    out: set[tuple[str, str]] = set()
    notice = next(g.subjects(RDF.type, DPV.PrivacyNotice))
    subjects = {notice, *g.subjects(DPV.hasNotice, notice)}
    for s in subjects:
        for p, o in g.predicate_objects(s):
            if not str(p).startswith(str(DPV)) or p in (DPV.hasNotice,):
                continue
            if p == DPV.hasStorageCondition:
                for d in g.objects(o, DPV.hasDuration):
                    out.add(("retention", str(g.value(d, RDF.value))))
                continue
            label = g.value(o, RDFS.label) if isinstance(o, URIRef) else None
            out.add((p.split("#")[1], str(label or o)))
    out.add(("publisher", str(g.value(g.value(notice, DCTERMS.publisher), RDFS.label))))
    return out


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[str, str]]]:
    folder = tmp_path_factory.mktemp("layouts")
    out = {}
    for name, render in RENDERINGS.items():
        (folder / name).write_text(render(), encoding="utf-8")
        out[name] = facts(folder / name)
    return out


def test_the_plain_text_states_the_facts(extracted: dict[str, set[tuple[str, str]]]) -> None:
    f = extracted["plain.txt"]
    gdpr = "https://w3id.org/dpv/legal/eu/gdpr#"
    for fact in [("publisher", "Northwind Ledger AB"), ("hasPersonalData", "https://w3id.org/dpv/pd#EmailAddress"),
                 ("hasPersonalData", "https://w3id.org/dpv/pd#TelephoneNumber"),
                 ("hasLegalBasis", "https://w3id.org/dpv#Consent"),
                 ("hasLegalBasis", gdpr + "SCCByCommission"),
                 ("hasThirdCountry", "https://w3id.org/dpv/loc#US"), ("hasDataProcessor", "Mailchimp"),
                 ("retention", "P12M"), ("retention", "P7Y"), ("retention", "P90D"),
                 ("hasRight", gdpr + "A15"), ("hasRight", gdpr + "A16"), ("hasRight", gdpr + "A17"),
                 ("hasRight", gdpr + "A20")]:
        assert fact in f, fact
    assert not any(p == "hasDataProcessor" and "Ledger" in v for p, v in f)  # the publisher is no recipient


@pytest.mark.parametrize("name", [n for n in RENDERINGS if n != "plain.txt"])
def test_every_layout_gives_the_same_facts(extracted: dict[str, set[tuple[str, str]]], name: str) -> None:
    assert extracted[name] == extracted["plain.txt"], (
        f"lost {sorted(extracted['plain.txt'] - extracted[name])}, "
        f"gained {sorted(extracted[name] - extracted['plain.txt'])}")
