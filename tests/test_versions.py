"""Versions of a policy in the store (versions.py, with build.py and store.py): records,
dates, the archive, pruning, the dataset at a date, and the upgrade of an older store."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg import answers, versions
from policykg.build import build_store
from policykg.cli import cli
from policykg.iris import graph_iri
from policykg.pipeline import policy_files
from policykg.store import BUILD_GRAPH, Store

TEXT = """Privacy policy of Acme Widgets AB

Acme Widgets AB is the data controller for the processing of your personal data.

We use Mailchimp to send newsletters. We keep your account data for {months} months.
"""
PROV = "http://www.w3.org/ns/prov#"


def _versions(corpus: Path, target: Path, steps: list[tuple[str, str | None]], **kw: object) -> None:
    corpus.mkdir(exist_ok=True)
    for text, day in steps:
        (corpus / "acme.txt").write_text(text, encoding="utf-8")
        build_store(policy_files([corpus]), target, jobs=1, date=day, **kw)  # type: ignore[arg-type]


def test_each_changed_file_is_a_new_version_linked_to_the_one_before(tmp_path: Path) -> None:
    target = tmp_path / "store"
    _versions(tmp_path / "p", target, [(TEXT.format(months=6), "2024-01-01"), (TEXT.format(months=12), "2024-06-01"),
                                       (TEXT.format(months=12), "2024-09-01"),  # unchanged: no new version
                                       (TEXT.format(months=24), "2025-01-01")])
    store = Store(target, read_only=True)
    history = versions.history(store, "acme")
    assert [(h.number, h.date, h.date_source) for h in history] == [
        (1, "2024-01-01", "option"), (2, "2024-06-01", "option"), (3, "2025-01-01", "option")]
    assert [h.previous for h in history] == [None, history[0].iri, history[1].iri]
    assert [h.current for h in history] == [False, False, True]
    assert all(h.sha256 and len(h.sha256) == 64 for h in history)
    # PROV-O, as other graph tools read it
    ask = (f"ASK {{ GRAPH <{versions.versions_graph('acme')}> {{ <{history[2].iri}> <{PROV}wasRevisionOf> "
           f"<{history[1].iri}> ; <{PROV}specializationOf> <https://w3id.org/policykg/id/notice/acme> . "
           f"<{history[1].iri}> <{PROV}invalidatedAtTime> ?t }} }}")
    assert store.query(ask).askAnswer
    # superseded graphs and every file are archived; the current graph is the policy's graph
    assert store.archive.graph(history[0].iri) is not None and store.archive.graph(history[2].iri) is None
    nt, text, _ = versions.content(store, history[0])
    assert "P6M" in nt and text is not None and "6 months" in text
    assert store.policies()["acme"].version == 3
    # the version in force at a date
    assert versions.at(history, "2024-05-31") == history[0]
    assert versions.at(history, "2024-12-31") == history[1]
    assert versions.at(history, "2023-12-31") is None
    old = versions.dataset_at(store, "2024-03-01")
    q = (f"ASK {{ GRAPH <{graph_iri('acme')}> {{ ?h <https://w3id.org/dpv#hasStorageCondition> ?c . "
         "?c <https://w3id.org/dpv#hasDuration> ?d . ?d ?p \"P6M\"^^<http://www.w3.org/2001/XMLSchema#duration> } }")
    assert old.query(q)
    # the change sets: 6 -> 12 months, then 12 -> 24
    grew = store.query("""PREFIX pkg: <https://w3id.org/policykg#>
        SELECT ?old ?new WHERE { ?c a pkg:Modification ; pkg:aspect "retention" ; pkg:oldDays ?old ;
        pkg:newDays ?new } ORDER BY ?old""")
    assert [(int(r[0]), int(r[1])) for r in grew] == [(180, 365), (365, 730)]


def test_the_date_the_text_states_comes_first_then_the_option_then_the_file(tmp_path: Path) -> None:
    corpus, target = tmp_path / "p", tmp_path / "store"
    corpus.mkdir()
    stated = corpus / "stated.txt"
    stated.write_text("Last updated: 2023-05-01\n\n" + TEXT.format(months=6), encoding="utf-8")
    plain = corpus / "plain.txt"
    plain.write_text(TEXT.format(months=6), encoding="utf-8")
    os.utime(plain, (1_700_000_000, 1_700_000_000))  # 2023-11-14
    build_store(policy_files([corpus]), target, jobs=1)
    plain.write_text(TEXT.format(months=9), encoding="utf-8")
    stated.write_text("Last updated: 2023-05-01\n\n" + TEXT.format(months=9), encoding="utf-8")
    build_store(policy_files([corpus]), target, jobs=1, date="2024-02-02")
    store = Store(target, read_only=True)
    # the text kept its old date: the publisher did not update it, so the option dates the version
    assert [(h.date, h.date_source) for h in versions.history(store, "stated")] == [
        ("2023-05-01", "text"), ("2024-02-02", "option")]
    assert [(h.date, h.date_source) for h in versions.history(store, "plain")] == [
        ("2023-11-14", "file"), ("2024-02-02", "option")]
    del store
    stated.write_text("Last updated: 2024-03-03\n\n" + TEXT.format(months=10), encoding="utf-8")
    build_store(policy_files([corpus]), target, jobs=1, date="2024-04-04")
    assert versions.history(Store(target, read_only=True), "stated")[-1].date == "2024-03-03"  # a new stated date


def test_old_versions_are_pruned_by_count_and_by_date(tmp_path: Path, runner: CliRunner) -> None:
    corpus, target = tmp_path / "p", tmp_path / "store"
    _versions(corpus, target, [(TEXT.format(months=m), f"202{m % 10}-01-01") for m in (1, 2, 3, 4)])
    store = Store(target, read_only=True)
    first = versions.history(store, "acme")
    del store
    # by date: the versions older than the one in force on a date (version 2 is dated 2022-01-01)
    r = runner.invoke(cli, ["-q", "build", str(corpus), "--store", str(target), "-j", "1",
                            "--keep-since", "2022-06-30"])
    assert r.exit_code == 0
    assert [h.number for h in versions.history(Store(target, read_only=True), "acme")] == [2, 3, 4]
    # by count
    r = runner.invoke(cli, ["-q", "build", str(corpus), "--store", str(target), "-j", "1", "--keep-versions", "2"])
    assert r.exit_code == 0
    store = Store(target, read_only=True)
    kept = versions.history(store, "acme")
    assert [h.number for h in kept] == [3, 4] and kept[0].previous is None  # the chain starts at what is kept
    assert store.archive.graph(first[0].iri) is None and store.archive.graph(first[2].iri) is not None
    changesets = store.query("PREFIX pkg: <https://w3id.org/policykg#> SELECT ?cs ?from WHERE { "
                             "?cs a pkg:ChangeSet ; pkg:fromVersion ?from }")
    assert [str(r[1]) for r in changesets] == [first[2].iri]  # only 3 -> 4 is left
    orphans = store.query("PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } "
                          "FILTER (STRENDS(STR(?g), '/versions')) FILTER (isBlank(?s)) "
                          "FILTER NOT EXISTS { GRAPH ?g { ?x ?y ?s } } }")
    assert len(orphans) == 0  # no evidence of a dropped change set is left behind
    del store
    with sqlite3.connect(target / versions.ARCHIVE) as db:
        assert db.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == 2  # files of versions 3 and 4
    r = runner.invoke(cli, ["-q", "build", str(corpus), "--store", str(target), "-j", "1",
                            "--keep-since", "2999-01-01"])
    assert r.exit_code == 0
    assert [h.number for h in versions.history(Store(target, read_only=True), "acme")] == [4]


def test_a_store_from_before_versions_opens_and_is_upgraded(tmp_path: Path, runner: CliRunner) -> None:
    """A store as the previous release wrote it: no format mark, no graphs of versions, no
    version bookkeeping (the same graphs otherwise). It answers queries as before; the next
    build upgrades it and goes on recording versions."""
    corpus, target = tmp_path / "p", tmp_path / "store"
    _versions(corpus, target, [(TEXT.format(months=6), "2024-01-01")])
    store = Store(target)
    store._ox.update(  # the layout of the previous release
        f"DELETE WHERE {{ GRAPH <{BUILD_GRAPH}> {{ ?s <https://w3id.org/policykg#storeFormat> ?f }} }} ;"
        f"DROP GRAPH <{versions.versions_graph('acme')}> ;"
        + " ;".join(f"DELETE WHERE {{ GRAPH <{BUILD_GRAPH}> {{ ?g <https://w3id.org/policykg#{p}> ?o }} }}"
                    for p in ("currentVersion", "versionNumber", "sha256", "writeToken")))
    del store
    os.utime(corpus / "acme.txt", (1_704_067_200, 1_704_067_200))  # 2024-01-01, the file's date
    (target / versions.ARCHIVE).unlink()
    (target / answers.DIR / answers.DB).unlink()
    (target / answers.DIR / "an-old-state").mkdir()  # answers as the previous release kept them
    old = Store(target, read_only=True)
    assert old.format() is None and old.policies()["acme"].version is None
    q = runner.invoke(cli, ["query", "recipients-by-vendor", "--store", str(target), "-f", "csv"])
    assert q.exit_code == 0 and "Mailchimp" in q.stdout
    d = runner.invoke(cli, ["diff", "acme", "2024-01-01", "--store", str(target)])
    assert d.exit_code == 2 and "run `policykg build` on it once to upgrade it" in d.stderr
    del old

    summary = build_store(policy_files([corpus]), target, jobs=1)  # same files: upgrades, extracts nothing
    assert summary.extracted == []
    store = Store(target, read_only=True)
    assert store.format() == "2"
    [v1] = versions.history(store, "acme")
    assert (v1.number, v1.date, v1.date_source) == (1, "2024-01-01", "file")
    assert v1.sha256 == store.policies()["acme"].sha256
    assert v1.sha256 is not None and store.archive.raw(v1.sha256) is not None  # the file was archived then
    assert not (target / answers.DIR / "an-old-state").exists()
    del store
    _versions(corpus, target, [(TEXT.format(months=12), "2025-01-01")])
    d = runner.invoke(cli, ["diff", "acme", "2024-01-01", "--store", str(target)])
    assert d.exit_code == 1 and "P6M -> P1Y" in d.stdout


def test_an_upgrade_without_the_files_dates_versions_by_the_upgrade(tmp_path: Path) -> None:
    corpus, target = tmp_path / "p", tmp_path / "store"
    _versions(corpus, target, [(TEXT.format(months=6), "2024-01-01")])
    store = Store(target)
    store._ox.update(f"DELETE WHERE {{ GRAPH <{BUILD_GRAPH}> {{ ?s <https://w3id.org/policykg#storeFormat> ?f }} }} ;"
                     f"DROP GRAPH <{versions.versions_graph('acme')}> ;"
                     f"DELETE WHERE {{ GRAPH <{BUILD_GRAPH}> {{ ?g <https://w3id.org/policykg#versionNumber> ?o }} }}")
    (corpus / "acme.txt").write_text(TEXT.format(months=8), encoding="utf-8")  # the file moved on
    assert versions.upgrade(store) == 1
    [v1] = versions.history(store, "acme")
    assert v1.date_source == "upgrade" and v1.sha256 is None


def test_removed_policies_take_their_versions_with_them(tmp_path: Path) -> None:
    corpus, target = tmp_path / "p", tmp_path / "store"
    _versions(corpus, target, [(TEXT.format(months=6), "2024-01-01"), (TEXT.format(months=7), "2024-02-01")])
    (corpus / "acme.txt").unlink()
    (corpus / "other.txt").write_text(TEXT.format(months=1), encoding="utf-8")
    build_store(policy_files([corpus]), target, jobs=1, prune=True)
    store = Store(target, read_only=True)
    assert versions.history(store, "acme") == []
    assert store.archive.db.execute("SELECT COUNT(*) FROM graphs").fetchone()[0] == 0
    assert [h.number for h in versions.history(store, "other")] == [1]


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday"])
def test_a_bad_date_is_refused(tmp_path: Path, runner: CliRunner, bad: str) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "acme.txt").write_text(TEXT.format(months=6), encoding="utf-8")
    r = runner.invoke(cli, ["build", str(tmp_path / "p"), "--store", str(tmp_path / "store"), "--date", bad])
    assert r.exit_code == 2 and "is not a date" in r.stderr and not (tmp_path / "store").exists()
