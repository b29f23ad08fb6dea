"""The embedded store and incremental builds (store.py, build.py)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph

from policykg.build import build_store
from policykg.iris import graph_iri
from policykg.pipeline import extract_source, policy_files
from policykg.reading import read_source
from policykg.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "policies"
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402


def _corpus(tmp: Path, n: int, start: int = 0) -> Path:
    folder = tmp / "policies"
    synth.write_corpus(folder, n, seed=7, start=start)
    return folder


def _stated_counts(store: Store) -> dict[str, int]:
    res = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {str(r[0]): int(r[1]) for r in res}


def test_build_then_rebuild_does_no_work(tmp_path: Path) -> None:
    target = tmp_path / "store"
    files = policy_files([SEEDS])
    first = build_store(files, target, jobs=1)
    assert sorted(first.extracted) == sorted(f.stem for f in files)
    second = build_store(files, target, jobs=1)
    assert second.extracted == [] and second.unchanged == len(files)


def test_store_graph_equals_fresh_extraction(tmp_path: Path) -> None:
    target = tmp_path / "store"
    build_store(policy_files([SEEDS]), target, jobs=1)
    store = Store(target)
    fresh = extract_source(read_source(SEEDS / "ipdots.txt")).graph
    stored = store.policy_graph("ipdots")
    assert len(stored) == len(fresh)
    # blank-node labels differ; everything without blank nodes is identical
    def ground(g: Graph) -> set:
        from rdflib import BNode
        return {t for t in g if not any(isinstance(x, BNode) for x in t)}
    assert ground(stored) == ground(fresh)


@pytest.mark.parametrize("in_process", [0, 24])
def test_changing_one_file_reextracts_only_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_process: int) -> None:
    from policykg import build as build_module

    monkeypatch.setattr(build_module, "IN_PROCESS", in_process)  # 0: in worker processes, as a large build
    corpus = _corpus(tmp_path, 6)
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=2)
    victim = sorted(corpus.glob("*.txt"))[2]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nWe use Mailchimp for newsletters.\n", encoding="utf-8")
    again = build_store(policy_files([corpus]), target, jobs=2)
    assert again.extracted == [victim.stem] and again.unchanged == 5
    store = Store(target)
    rows = store.query(f"""ASK {{ GRAPH <{graph_iri(victim.stem)}> {{
        ?h <https://w3id.org/dpv#hasDataProcessor> <https://w3id.org/policykg/org/mailchimp> }} }}""")
    assert rows.askAnswer


def test_removed_files_stay_until_prune(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 4)
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1)
    gone = sorted(corpus.glob("*.txt"))[0]
    gone.unlink()
    kept = build_store(policy_files([corpus]), target, jobs=1)
    assert kept.stale == [gone.stem] and gone.stem in Store(target).policies()
    pruned = build_store(policy_files([corpus]), target, jobs=1, prune=True)
    assert pruned.removed == [gone.stem]
    store = Store(target)
    assert gone.stem not in store.policies()
    assert str(graph_iri(gone.stem)) not in _stated_counts(store)


def test_large_update_compacts_and_keeps_every_quad(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    import logging

    import policykg.build as build

    corpus = _corpus(tmp_path, 4)
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1)
    before = _stated_counts(Store(target))
    victim = sorted(corpus.glob("*.txt"))[1]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nWe use Mailchimp for newsletters.\n", encoding="utf-8")
    monkeypatch.setattr(build, "COMPACT_AFTER", 1)
    with caplog.at_level(logging.INFO, logger="policykg.build"):
        again = build_store(policy_files([corpus]), target, jobs=1)
    assert again.extracted == [victim.stem]
    assert "compacting the store" in caplog.text
    after = _stated_counts(Store(target))
    changed = str(graph_iri(victim.stem))
    assert after[changed] > before[changed]
    def others(counts: dict[str, int]) -> dict[str, int]:  # its derived graph changes too
        return {g: n for g, n in counts.items() if not g.startswith(changed) and "graph/build" not in g}
    assert others(after) == others(before) and len(others(after)) >= 8


def test_first_build_in_several_bulk_loads_equals_transactional_writes(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build loads its policies a few at a time (bounded memory, see
    Store.bulk_write); the store must be the one transactional writes give."""
    import policykg.store as store_module
    from policykg.build import _extract, _Task
    from policykg.reading import MAX_BYTES

    corpus = _corpus(tmp_path, 7)
    files = policy_files([corpus])
    monkeypatch.setattr(store_module, "BULK_POLICIES", 2)
    loads = []

    class Counted(store_module._ChunkReader):  # one reader per bulk load
        def __init__(self, chunks) -> None:  # type: ignore[no-untyped-def]
            loads.append(1)
            super().__init__(chunks)

    monkeypatch.setattr(store_module, "_ChunkReader", Counted)
    build_store(files, tmp_path / "bulk", jobs=1)
    assert len(loads) == 4  # 7 policies, 2 a load
    bulk = Store(tmp_path / "bulk", read_only=True)
    written = Store(tmp_path / "written")
    written.write([_extract(_Task(str(f), "auto", MAX_BYTES))[0] for f in files])  # type: ignore[misc]
    assert _stated_counts(bulk) == _stated_counts(written)
    for f in files:
        a, b = bulk.policy_graph(f.stem), written.policy_graph(f.stem)
        assert a.isomorphic(b), f.stem
    # blank nodes of different policies stayed apart although labels restart in every load
    count = "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { GRAPH ?g { ?b ?p ?o FILTER isBlank(?b) } }"
    assert int(list(bulk.query(count))[0][0]) == int(list(written.query(count))[0][0]) > 7


def test_unreadable_file_is_reported_and_build_goes_on(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 3)
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    summary = build_store(policy_files([corpus]), tmp_path / "store", jobs=1)
    assert len(summary.extracted) == 3
    assert [p for p, _ in summary.failed] == [str(corpus / "broken.txt")]


def test_store_is_locked_for_a_second_writer(tmp_path: Path) -> None:
    from policykg.errors import PolicyKGError

    first = Store(tmp_path / "store")
    with pytest.raises(PolicyKGError, match="in use"):
        Store(tmp_path / "store")
    del first


def test_not_a_store(tmp_path: Path) -> None:
    from policykg.errors import InputError

    with pytest.raises(InputError, match="not a policykg store"):
        Store(tmp_path / "nothing", create=False)


def _kill_build_midway(cmd: list[str], at_least: int, word: str = "committed") -> None:
    """Start a build, SIGKILL it once at least ``at_least`` policies are committed
    (it logs each committed batch with -v)."""
    env = {**os.environ, "POLICYKG_BUILD_BATCH": "5"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    committed = 0
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if word in line:
                committed = int(line.split(word)[1].split()[0])
                if committed >= at_least:
                    break
        assert proc.poll() is None, "the build finished before it could be killed; use a bigger corpus"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(30)
    assert committed >= at_least


@pytest.mark.slow
def test_killed_update_loses_nothing(tmp_path: Path) -> None:
    """kill -9 in the middle of an incremental build: every policy is fully old or fully new."""
    import hashlib

    from policykg import versions

    corpus = _corpus(tmp_path, 10)
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1)
    before = _stated_counts(Store(target))
    old_sha = {f.stem: hashlib.sha256(f.read_bytes()).hexdigest() for f in corpus.glob("*.txt")}
    # change every file so the next build rewrites all of them, and add new ones
    for f in corpus.glob("*.txt"):
        f.write_text(f.read_text(encoding="utf-8") + "\nWe use Hotjar to analyse visits.\n", encoding="utf-8")
    synth.write_corpus(corpus, 60, seed=7, start=10)
    cmd = [sys.executable, "-m", "policykg", "-v", "build", str(corpus), "--store", str(target), "-j", "1",
           "--no-progress"]
    _kill_build_midway(cmd, at_least=5)
    store = Store(target)
    counts = _stated_counts(store)
    recorded = store.policies()
    fresh = {f.stem: len(extract_source(read_source(f)).triples) for f in corpus.glob("*.txt")}
    new_sha = {f.stem: hashlib.sha256(f.read_bytes()).hexdigest() for f in corpus.glob("*.txt")}
    for ident, stored in recorded.items():
        g = str(graph_iri(ident))
        n = counts.get(g, 0)
        old = before.get(g)
        assert n in (fresh[ident], old), f"{ident}: {n} triples is neither the old ({old}) nor the new ({fresh[ident]})"
        # versions included: the graph, the current version and the history agree
        history = versions.history(store, ident)
        if n == old and n != fresh[ident]:
            assert stored.sha256 == old_sha[ident] and [h.number for h in history] == [1], ident
        else:
            assert stored.sha256 == new_sha[ident], ident
            assert history[-1].current and history[-1].number == stored.version == len(history), ident
            if ident in old_sha:  # a changed policy: its first version was archived before it was superseded
                assert [h.number for h in history] == [1, 2] and not history[0].current, ident
                assert store.archive.graph(history[0].iri) is not None, ident
    # every policy graph has its bookkeeping and vice versa
    policy_graphs = {g for g in counts if "/graph/" in g and not g.endswith(("/derived", "/build", "/ontology",
                                                                             "/knowledge-base", "/versions"))}
    assert policy_graphs == {str(graph_iri(i)) for i in recorded}
    assert {g for g in counts if g.endswith("/versions")} == {versions.versions_graph(i) for i in recorded}
    del store
    done = build_store(policy_files([corpus]), target, jobs=1)
    assert not done.failed
    store = Store(target)
    counts = _stated_counts(store)
    assert all(counts[str(graph_iri(i))] == n for i, n in fresh.items())


@pytest.mark.slow
def test_killed_first_build_leaves_no_half_store(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 60)
    target = tmp_path / "store"
    cmd = [sys.executable, "-m", "policykg", "-v", "build", str(corpus), "--store", str(target), "-j", "1",
           "--no-progress"]
    _kill_build_midway(cmd, at_least=10, word="loaded")
    assert not Store.exists(target)
    assert list(tmp_path.glob(".store.building-*")), "the killed build's temporary store is where expected"
    summary = build_store(policy_files([corpus]), target, jobs=2)
    assert len(summary.extracted) == 60 and not list(tmp_path.glob(".store.building-*"))
    shutil.rmtree(target)


def test_identifiers_that_would_share_a_graph_are_refused(tmp_path: Path) -> None:
    from policykg.errors import PolicyKGError

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "Acme.txt").write_text("Acme AB is the controller.", encoding="utf-8")
    (tmp_path / "b" / "acme.txt").write_text("Acme AB is the controller.", encoding="utf-8")
    with pytest.raises(PolicyKGError, match="share the identifier"):
        policy_files([tmp_path / "a", tmp_path / "b"])


def test_first_build_into_a_folder_that_does_not_exist_yet(tmp_path: Path) -> None:
    target = tmp_path / "new" / "folders" / "store"
    summary = build_store(policy_files([SEEDS]), target, jobs=1, answers=False)
    assert len(summary.extracted) == 5 and Store.exists(target)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX) to hold a build open")
def test_two_first_builds_of_a_new_store_do_not_race(tmp_path: Path) -> None:
    """Two real processes build the same new store: the one that comes second while the first
    is still loading is refused with a clear error (exit 2) and the first one's work is kept.
    Before the lock, the second finished first and the first's rename failed ("internal
    error: Directory not empty"), losing its work. The first is held open by a policy file
    that is a named pipe: it reads it only once the second has given up."""
    held = tmp_path / "held.txt"
    os.mkfifo(held)
    target = tmp_path / "store"
    base = [sys.executable, "-m", "policykg", "build", "--store", str(target), "-j", "1", "--no-answers",
            "--no-progress"]
    first = subprocess.Popen([*base, str(SEEDS), str(held)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        for _ in range(600):  # the first holds the lock once its temporary store exists
            if list(tmp_path.glob(".store.building-*")) or first.poll() is not None:
                break
            time.sleep(0.1)
        assert first.poll() is None, first.communicate()
        second = subprocess.run([*base, str(SEEDS)], capture_output=True, text=True, timeout=300)
        assert second.returncode == 2, second.stderr
        assert "is being built or updated by another policykg process" in second.stderr
        assert "internal error" not in second.stderr
        held.write_text("We use Mailchimp to send newsletters.\n", encoding="utf-8")  # lets the first go on
        _, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert sorted(Store(target, create=False, read_only=True).policies()) == sorted(
        [f.stem for f in policy_files([SEEDS])] + ["held"])
    assert not list(tmp_path.glob(".store.building-*"))
    # a build started once the store is in place updates it (the lock is the store's directory)
    extra = tmp_path / "extra.txt"
    extra.write_text("We use Hotjar to analyse visits.\n", encoding="utf-8")
    again = subprocess.run([*base, str(SEEDS), str(extra)], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "extra" in Store(target, create=False, read_only=True).policies()


def test_a_store_path_that_is_a_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    from policykg.errors import InputError

    target = tmp_path / "store"
    target.write_text("not a store", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        build_store(policy_files([SEEDS]), target, jobs=1, answers=False)
    assert target.read_text(encoding="utf-8") == "not a store"


def test_a_failed_first_build_leaves_no_folder_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykg import build as build_module

    def broken(*a, **kw):  # type: ignore[no-untyped-def]
        raise OSError("No space left on device")

    monkeypatch.setattr(build_module, "build", broken)
    target = tmp_path / "new" / "store"
    with pytest.raises(OSError):
        build_store(policy_files([SEEDS]), target, jobs=1, answers=False)
    assert not target.exists() and not list(target.parent.glob(".store.building-*"))


# --- what decides that a stored extraction is out of date ------------------------------------

def _data_copy(tmp: Path) -> Path:
    from policykg.resources import ontology_dir

    copy = tmp / "ontology"
    shutil.copytree(ontology_dir(), copy)
    return copy


def test_fingerprint_changes_with_every_file_that_drives_extraction(tmp_path: Path) -> None:
    """A language profile, a vocabulary of a language's subfolder, a top-level vocabulary and
    the graph-model version each change the fingerprint; a README does not."""
    from policykg.store import data_fingerprint

    root = _data_copy(tmp_path)
    base = data_fingerprint(root, "3")
    assert data_fingerprint(root, "3") == base  # stable
    assert data_fingerprint(root, "4") != base

    def edited(rel: str, extra: str) -> str:
        f = root / rel
        before = f.read_bytes()
        f.write_bytes(before + extra.encode())
        try:
            return data_fingerprint(root, "3")
        finally:
            f.write_bytes(before)

    assert edited("languages/en.yaml", "\n# a comment is a change of the file\n") != base
    sub = sorted((root / "vocab").glob("*/*.ttl"))
    assert sub, "no vocabulary in a language subfolder"
    assert edited(sub[0].relative_to(root).as_posix(), "\n# more\n") != base
    assert edited("vocab/purposes.ttl", "\n# more\n") != base
    assert edited("README.md", "\nmore prose\n") == base
    # a new language (profile and vocabularies) is a change too
    (root / "vocab" / "xx").mkdir()
    (root / "vocab" / "xx" / "purposes.ttl").write_text("# nothing yet\n", encoding="utf-8")
    assert data_fingerprint(root, "3") != base


def test_a_new_graph_model_re_extracts_every_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """graph.GRAPH_MODEL is bumped when graph.py writes another shape of graph for the same
    text; the next build re-extracts every policy (and keeps the old graphs as versions)."""
    import policykg.graph as graph_module
    import policykg.store as store_module

    target = tmp_path / "store"
    files = policy_files([SEEDS])[:2]
    build_store(files, target, jobs=1)
    assert build_store(files, target, jobs=1).extracted == []
    monkeypatch.setattr(graph_module, "GRAPH_MODEL", graph_module.GRAPH_MODEL + 1)
    store_module.fingerprint.cache_clear()
    try:
        again = build_store(files, target, jobs=1)
        assert sorted(again.extracted) == sorted(f.stem for f in files)
        assert {p.fingerprint for p in Store(target, read_only=True).policies().values()} == {
            store_module.fingerprint()}
    finally:
        monkeypatch.undo()
        store_module.fingerprint.cache_clear()
