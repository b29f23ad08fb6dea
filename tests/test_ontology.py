"""The ontology declares every DPV term used; every DPV IRI exists in DPV 2.2; HermiT finds it consistent."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from tests.conftest import ROOT, shared_dir

DPV_NS = ("https://w3id.org/dpv#", "https://w3id.org/dpv/pd#", "https://w3id.org/dpv/legal/eu/gdpr#",
          "https://w3id.org/dpv/loc#")


def dpv_iris() -> set[str]:
    folder = shared_dir("dpv")
    out = set()
    for f in folder.glob("*.csv"):
        with f.open(encoding="utf-8") as fh:
            out |= {row["iri"] for row in csv.DictReader(fh)}
    return out


def iris_in(g: Graph) -> set[str]:
    return {str(t) for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(DPV_NS)}


def test_dpv_terms_file_is_up_to_date() -> None:
    folder = shared_dir("dpv")
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "dpv_terms.py"), "--dpv", str(folder), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_every_dpv_iri_used_exists(bundled_graph) -> None:  # type: ignore[no-untyped-def]
    known = dpv_iris()
    used: set[str] = set()
    for f in list((ROOT / "ontology").rglob("*.ttl")) + list((ROOT / "shapes").glob("*.ttl")):
        used |= iris_in(Graph().parse(f))
    for f in (ROOT / "queries").glob("*.rq"):
        for m in re.finditer(r"(dpv|pd|eu-gdpr|loc):([A-Za-z][\w-]*\w)", f.read_text()):
            used.add({"dpv": DPV_NS[0], "pd": DPV_NS[1], "eu-gdpr": DPV_NS[2], "loc": DPV_NS[3]}[m[1]] + m[2])
    used |= iris_in(bundled_graph)
    missing = sorted(u for u in used if u not in known and not u.endswith("#"))
    assert not missing, missing


def test_every_concept_has_english_and_swedish_labels() -> None:
    for f in (ROOT / "ontology" / "vocab").glob("*.ttl"):  # the main files; vocab/<lang>/ add labels
        if f.name == "organisations.ttl":
            continue
        g = Graph().parse(f)
        for c in set(g.subjects(SKOS.inScheme, None)):
            langs = {lit.language for lit in g.objects(c, SKOS.prefLabel)}
            assert {"en", "sv"} <= langs, (f.name, c)


def test_project_classes_sit_under_dpv() -> None:
    g = Graph().parse(ROOT / "ontology" / "policykg.ttl")
    from rdflib.namespace import RDFS
    for c in g.subjects(RDF.type, OWL.Class):
        parents = set(g.objects(c, RDFS.subClassOf))
        assert parents, c


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_owlready2_loads_and_hermit_finds_it_consistent(tmp_path: Path) -> None:
    g = Graph()
    g.parse(ROOT / "ontology" / "policykg.ttl")
    g.parse(ROOT / "ontology" / "dpv-terms.ttl")
    path = tmp_path / "policykg.owl"
    g.serialize(path, format="xml")
    code = f"""
import owlready2
onto = owlready2.get_ontology({path.as_uri()!r}).load()
with onto:
    owlready2.sync_reasoner_hermit(infer_property_values=False, debug=0)
print(len(list(onto.world.classes())), len(list(onto.world.inconsistent_classes())))
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    classes, inconsistent = map(int, r.stdout.split()[-2:])
    assert classes > 100 and inconsistent == 0


def test_language_label_files_only_add_labels_in_their_language() -> None:
    """``ontology/vocab/<lang>/*.ttl`` add labels to concepts the main files declare, in that language."""
    main = Graph()
    for f in (ROOT / "ontology" / "vocab").glob("*.ttl"):
        main.parse(f)
    declared = set(main.subjects(SKOS.inScheme, None)) | set(main.subjects(RDF.type, SKOS.ConceptScheme))
    for folder in (ROOT / "ontology" / "vocab").iterdir():
        if not folder.is_dir():
            continue
        for f in folder.glob("*.ttl"):
            g = Graph().parse(f)
            for s, _p, o in g:
                assert s in declared, (f, s)
                if getattr(o, "language", None) is not None:
                    assert o.language == folder.name, (f, s, o)


def test_language_profiles_load_and_name_their_keys() -> None:
    from policykg import languages

    readme = (ROOT / "ontology" / "languages" / "README.md").read_text(encoding="utf-8")
    assert {"en", "sv", "de"} <= set(languages.codes())
    for code in languages.codes():
        for key in languages.get(code):
            assert f"`{key}`" in readme, (code, key)  # every key is documented
