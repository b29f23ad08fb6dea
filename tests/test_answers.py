"""Answers kept by the build (answers.py): the same rows as a live evaluation, and
never served for a store or a query text that changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Variable

from policykg import answers
from policykg.build import build_store
from policykg.cli import cli
from policykg.pipeline import policy_files
from policykg.store import Extracted, Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "policies"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("answers") / "store"
    summary = build_store(policy_files([SEEDS]), target, jobs=1)
    assert sorted(summary.answered) == sorted(n for n, _ in answers.canned())
    return target


def _rows(res) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [tuple(r.get(v) for v in res.vars) for r in res.bindings]


def test_every_kept_answer_equals_the_live_one(built: Path) -> None:
    store = Store(built, create=False, read_only=True)
    assert len(answers.canned()) >= 10
    for name, text in answers.canned():
        kept = answers.lookup(store, text)
        assert kept is not None, name
        live = store.query(text)
        assert kept.vars == live.vars, name
        assert _rows(kept) == _rows(live), name  # same terms (datatypes, languages), same order


def test_a_parameter_or_another_text_is_not_served(built: Path) -> None:
    store = Store(built, create=False, read_only=True)
    from policykg.queries import find_query

    q = find_query("recipients-by-vendor")
    assert answers.lookup(store, q.bind({})) is not None
    assert answers.lookup(store, q.bind({"vendor": "iptor"})) is None
    assert answers.lookup(store, q.bind({}) + "\n") is None


def test_unchanged_rebuild_evaluates_nothing(built: Path) -> None:
    again = build_store(policy_files([SEEDS]), built, jobs=1)
    assert again.extracted == [] and again.answered == []


def test_a_changed_store_is_never_answered_from_the_old_state(tmp_path: Path) -> None:
    seeds = tmp_path / "policies"
    shutil.copytree(SEEDS, seeds)
    target = tmp_path / "store"
    build_store(policy_files([seeds]), target, jobs=1)
    text = dict(answers.canned())["controllers-by-vendor"]
    before = Store(target, create=False, read_only=True)
    old_state = before.state()
    assert answers.lookup(before, text) is not None
    del before

    (seeds / "ipdots.txt").unlink()
    summary = build_store(policy_files([seeds]), target, jobs=1, prune=True, answers=False)
    assert summary.removed == ["ipdots"] and summary.answered == []
    store = Store(target, create=False, read_only=True)
    assert store.state() != old_state
    assert answers.lookup(store, text) is None  # the kept answer still lists ipdots
    vendors = {str(r[Variable("vendor")]) for r in store.query(text).bindings}
    assert "ipdots" not in vendors
    del store

    summary = build_store(policy_files([seeds]), target, jobs=1)
    assert summary.extracted == [] and len(summary.answered) == len(answers.canned())
    assert [d.name for d in (target / answers.DIR).iterdir()] == [Store(target, create=False, read_only=True).state()]


def test_awkward_terms_survive_the_round_trip(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    stated = "\n".join([
        '<http://ex.org/a> <http://ex.org/p> "tab\\there, newline\\nthere, \\"quoted\\" \\\\ back" .',
        '<http://ex.org/a> <http://ex.org/p> "åäö – 😀"@sv .',
        '<http://ex.org/a> <http://ex.org/p> "2026-11-23"^^<http://www.w3.org/2001/XMLSchema#date> .',
        '<http://ex.org/a> <http://ex.org/p> "007"^^<http://www.w3.org/2001/XMLSchema#integer> .',
        '<http://ex.org/a> <http://ex.org/p> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
        '<http://ex.org/a> <http://ex.org/p> "x"^^<http://ex.org/custom> .',
        '<http://ex.org/a> <http://ex.org/p> "" .',
    ]) + "\n"
    store.write([Extracted("odd", "odd.txt", "0", stated, "")])
    text = "SELECT ?o ?missing WHERE { <http://ex.org/a> <http://ex.org/p> ?o OPTIONAL { ?o <http://ex.org/q> ?missing } } ORDER BY STR(?o)"
    assert answers.keep(store, [("odd", text)]) == ["odd"]
    kept, live = answers.lookup(store, text), store.query(text)
    assert kept is not None and len(live.bindings) == 7
    assert _rows(kept) == _rows(live)
    assert not any(Variable("missing") in r for r in kept.bindings)  # unbound stays unbound


def _copy_with_answer(built: Path, tmp_path: Path, name: str) -> tuple[Path, Path, str]:
    """A copy of the built store, the file of the answer kept for ``name``, and its text."""
    copy = tmp_path / "store"
    shutil.copytree(built, copy)
    store = Store(copy, create=False, read_only=True)
    text = dict(answers.canned())[name]
    return copy, copy / answers.DIR / str(store.state()) / f"{answers.key(text)}.tsv", text


def test_damaged_answer_falls_back_to_live(built: Path, tmp_path: Path, runner: CliRunner) -> None:
    copy, path, text = _copy_with_answer(built, tmp_path, "rights-matrix")
    path.write_bytes(b"?vendor\t?right\n<unterminated\n")
    assert answers.lookup(Store(copy, create=False, read_only=True), text) is None
    served = runner.invoke(cli, ["query", "rights-matrix", "--store", str(copy)], catch_exceptions=False)
    live = runner.invoke(cli, ["query", "rights-matrix", "--store", str(copy), "--live"], catch_exceptions=False)
    assert served.exit_code == live.exit_code == 0
    assert served.stdout == live.stdout and served.stdout.count("\n") > 10


def test_cli_query_reads_the_kept_answer_and_live_evaluates(built: Path, tmp_path: Path, runner: CliRunner) -> None:
    copy, path, _ = _copy_with_answer(built, tmp_path, "recipients-by-vendor")
    # a kept answer edited by hand shows that `query` reads it, and --live does not
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:2]), encoding="utf-8")
    served = runner.invoke(cli, ["query", "recipients-by-vendor", "--store", str(copy)], catch_exceptions=False)
    live = runner.invoke(cli, ["query", "recipients-by-vendor", "--store", str(copy), "--live"],
                         catch_exceptions=False)
    assert served.stdout.count("\n") == 2  # header + the one row left
    assert live.stdout.count("\n") == len(lines)


def test_build_without_answers_keeps_none(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "store"
    r = runner.invoke(cli, ["-q", "build", str(SEEDS), "--store", str(target), "-j", "1", "--no-answers"],
                      catch_exceptions=False)
    assert r.exit_code == 0
    assert not (target / answers.DIR).exists()
    q = runner.invoke(cli, ["query", "controllers-by-vendor", "--store", str(target)], catch_exceptions=False)
    assert q.exit_code == 0 and q.stdout.count("\n") == 6


def test_answers_that_cannot_be_written_leave_a_complete_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(path: Path, mode: str = "wb"):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(answers, "atomic_open", full_disk)
    target = tmp_path / "store"
    summary = build_store(policy_files([SEEDS]), target, jobs=1)
    assert len(summary.extracted) == 5 and summary.answered == []
    assert any("No space left on device" in w and "evaluated live" in w for w in summary.warnings)
    store = Store(target, create=False, read_only=True)
    assert len(store.policies()) == 5
    assert answers.lookup(store, dict(answers.canned())["rights-matrix"]) is None
