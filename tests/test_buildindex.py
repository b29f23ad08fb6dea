"""What a build keeps for the next one (buildindex.py): files not read again while their
status is the same, the store's bookkeeping filed under its state — and never trusted
beyond what it can know."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg import build as build_module
from policykg import buildindex
from policykg import store as store_module
from policykg.build import build_store
from policykg.buildindex import Hashed, Index, Status
from policykg.cli import cli
from policykg.pipeline import policy_files
from policykg.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # files written by the test are seconds old at most: without this, each would count as
    # possibly written again within its clock tick and be read every time (see RACY_NS)
    monkeypatch.setattr(buildindex, "RACY_NS", 0)
    folder = tmp_path / "policies"
    synth.write_corpus(folder, 6, seed=3)
    return folder


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the build reads: its plan, and a worker for each file it extracts (in-process here)."""
    seen: list[str] = []
    real = build_module.hash_file

    def counted(path, lang):  # type: ignore[no-untyped-def]
        seen.append(Path(path).stem)
        return real(path, lang)

    monkeypatch.setattr(build_module, "hash_file", counted)
    return seen


def test_an_unchanged_rebuild_reads_no_file_and_not_the_bookkeeping(corpus: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1, answers=False)
    reads = _reads(monkeypatch)
    scans: list[int] = []
    real_assemble = store_module._assemble

    def assemble(quads):  # type: ignore[no-untyped-def]
        out = real_assemble(quads)
        scans.append(len(out))
        return out

    monkeypatch.setattr(store_module, "_assemble", assemble)
    again = build_store(policy_files([corpus]), target, jobs=1, answers=False)
    assert again.unchanged == 6 and again.extracted == []
    assert reads == [] and scans == []


def test_the_filed_bookkeeping_is_what_the_store_holds(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1, answers=False)  # a first build
    victim = sorted(corpus.glob("*.txt"))[2]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nWe use Hotjar to analyse visits.\n", encoding="utf-8")
    (corpus / sorted(corpus.glob("*.txt"))[0].name).unlink()
    build_store(policy_files([corpus]), target, jobs=1, answers=False, prune=True)  # an update
    store = Store(target, create=False, read_only=True)
    index = Index(target)
    try:
        filed = index.policies(store.state())
        assert filed is not None and filed == store.policies()  # a fresh Store reads the store itself
        assert filed[victim.stem].version == 2 and len(filed) == 5
    finally:
        index.close()


def test_a_file_rewritten_with_the_same_size_and_time_is_still_read(corpus: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """What rsync's quick check misses: the same size, the modification time set back. The
    status-change time moved (no program can set it), so the file is read and extracted."""
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1, answers=False)
    victim = sorted(corpus.glob("*.txt"))[1]
    before = victim.stat()
    text = victim.read_text(encoding="utf-8")
    changed = text.replace("e", "E", 1)
    assert changed != text and len(changed.encode()) == len(text.encode())
    victim.write_text(changed, encoding="utf-8")
    os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert victim.stat().st_size == before.st_size and victim.stat().st_mtime_ns == before.st_mtime_ns
    reads = _reads(monkeypatch)
    summary = build_store(policy_files([corpus]), target, jobs=1, answers=False)
    assert set(reads) == {victim.stem} and summary.extracted == [victim.stem]  # (planned, then extracted)


def test_checksum_reads_what_the_status_cannot_tell(corpus: Path, tmp_path: Path) -> None:
    """A change the file's status does not show (here: the index told that the edited file's
    new status is the old content's, as a file system without status-change times would)
    goes unnoticed by a plain build; --checksum reads every file and finds it."""
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1, answers=False)
    victim = sorted(corpus.glob("*.txt"))[4]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nWe use Mailchimp for newsletters.\n", encoding="utf-8")
    key = str(victim.absolute())
    status = Status.of(victim.stat())
    with sqlite3.connect(target / buildindex.NAME) as db:
        n = db.execute("UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, inode = ?, device = ?, hashed_ns = ? "
                       "WHERE path = ?", (status.size, status.mtime_ns, status.ctime_ns, status.inode, status.device,
                                          max(status.mtime_ns, status.ctime_ns) + 1, key)).rowcount
    assert n == 1
    plain = build_store(policy_files([corpus]), target, jobs=1, answers=False)
    assert plain.extracted == []  # trusted, as documented
    runner = CliRunner()
    r = runner.invoke(cli, ["-q", "build", str(corpus), "--store", str(target), "-j", "1", "--no-answers",
                            "--checksum"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert Store(target, create=False, read_only=True).policies()[victim.stem].version == 2


def test_bookkeeping_of_another_state_is_not_used(corpus: Path, tmp_path: Path) -> None:
    """The store written after the index was filed (here: a policy removed by another
    program): the filed bookkeeping still lists it, the build reads the store instead
    and extracts the policy again."""
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1, answers=False)
    gone = sorted(corpus.glob("*.txt"))[3].stem
    store = Store(target)
    store.remove([gone])
    del store
    summary = build_store(policy_files([corpus]), target, jobs=1, answers=False)
    assert summary.extracted == [gone] and summary.unchanged == 5


def test_a_damaged_index_costs_one_full_read(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1, answers=False)
    (target / buildindex.NAME).write_bytes(b"not a database" * 100)
    reads = _reads(monkeypatch)
    summary = build_store(policy_files([corpus]), target, jobs=1, answers=False)
    assert summary.unchanged == 6 and summary.extracted == [] and len(reads) == 6
    assert any("build index" in r.getMessage() for r in caplog.records)


def test_a_file_hashed_within_its_clock_tick_is_not_trusted() -> None:
    """A file modified less than RACY_NS before it was hashed could be written again within
    the same tick of a coarse clock, with the same status: it is read next time."""
    status = Status(10, 5_000_000_000, 5_000_000_000, 1, 1)
    fresh = Hashed(status, "auto", "c", "s", hashed_ns=5_500_000_000)
    settled = Hashed(status, "auto", "c", "s", hashed_ns=5_000_000_000 + buildindex.RACY_NS + 1)
    assert not fresh.still(status, "auto")
    assert settled.still(status, "auto")
    assert not settled.still(status, "sv")  # another --lang: another content hash
    assert not settled.still(Status(10, 5_000_000_000, 6_000_000_000, 1, 1), "auto")
