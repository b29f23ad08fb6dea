"""Answers kept by the build (answers.py): byte-identical to a live evaluation, updated
in proportion to what changed, and never served for a store or a query text that changed."""

from __future__ import annotations

import random
import shutil
import sqlite3
import sys
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


def test_every_canned_query_is_kept_in_the_cheapest_part_kind(built: Path) -> None:
    """Per policy where every row names its policy, shared-processors combined from
    per-policy parts, nothing evaluated whole: a canned query rewritten into a shape
    the parts do not fit (an ORDER BY expression ordering.py cannot rank, another
    shared-processors text) would silently cost a whole evaluation at every build."""
    with sqlite3.connect(built / answers.DIR / answers.DB) as db:
        modes = dict(db.execute("SELECT name, mode FROM queries").fetchall())
    assert modes == {n: "combined" if n == "shared-processors" else "policy" for n, _ in answers.canned()}
    assert set(answers.PER_POLICY) == {n for n, _ in answers.canned()} - {"shared-processors"}


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
    store = Store(target, create=False, read_only=True)
    assert answers.answer_tsv(store, text) == _live(store, text)


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


def _copy(built: Path, tmp_path: Path, name: str) -> tuple[Path, str]:
    """A copy of the built store and the text of ``name``."""
    copy = tmp_path / "store"
    shutil.copytree(built, copy)
    return copy, dict(answers.canned())[name]


def test_damaged_answer_falls_back_to_live(built: Path, tmp_path: Path, runner: CliRunner) -> None:
    copy, text = _copy(built, tmp_path, "rights-matrix")
    with sqlite3.connect(copy / answers.DIR / answers.DB) as db:
        db.execute("UPDATE parts SET rows = ? WHERE key = ?", ('"iptor"\t<unterminated', answers.key(text)))
    assert answers.lookup(Store(copy, create=False, read_only=True), text) is None
    served = runner.invoke(cli, ["query", "rights-matrix", "--store", str(copy)], catch_exceptions=False)
    live = runner.invoke(cli, ["query", "rights-matrix", "--store", str(copy), "--live"], catch_exceptions=False)
    assert served.exit_code == live.exit_code == 0
    assert served.stdout == live.stdout and served.stdout.count("\n") > 10


def test_cli_query_reads_the_kept_answer_and_live_evaluates(built: Path, tmp_path: Path, runner: CliRunner) -> None:
    copy, text = _copy(built, tmp_path, "recipients-by-vendor")
    # kept parts edited by hand show that `query` reads them, and --live does not
    with sqlite3.connect(copy / answers.DIR / answers.DB) as db:
        db.execute("DELETE FROM parts WHERE key = ? AND policy != 'iptor'", (answers.key(text),))
        kept = db.execute("SELECT rows FROM parts WHERE key = ?", (answers.key(text),)).fetchone()[0]
    served = runner.invoke(cli, ["query", "recipients-by-vendor", "--store", str(copy), "-f", "tsv"],
                           catch_exceptions=False)
    live = runner.invoke(cli, ["query", "recipients-by-vendor", "--store", str(copy), "--live", "-f", "tsv"],
                         catch_exceptions=False)
    assert served.stdout.count("\n") == 1 + kept.count("\n") + 1  # header + the iptor rows
    assert live.stdout.count("\n") > served.stdout.count("\n")


def test_build_without_answers_keeps_none(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "store"
    r = runner.invoke(cli, ["-q", "build", str(SEEDS), "--store", str(target), "-j", "1", "--no-answers"],
                      catch_exceptions=False)
    assert r.exit_code == 0
    assert not (target / answers.DIR).exists()
    q = runner.invoke(cli, ["query", "controllers-by-vendor", "--store", str(target)], catch_exceptions=False)
    assert q.exit_code == 0 and q.stdout.count("\n") == 6


def test_answers_that_cannot_be_written_leave_a_complete_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(store, read_only):  # type: ignore[no-untyped-def]
        if read_only:
            return None
        raise sqlite3.OperationalError("database or disk is full: No space left on device")

    monkeypatch.setattr(answers, "_open", full_disk)
    target = tmp_path / "store"
    summary = build_store(policy_files([SEEDS]), target, jobs=1)
    assert len(summary.extracted) == 5 and summary.answered == []
    assert any("No space left on device" in w and "evaluated live" in w for w in summary.warnings)
    store = Store(target, create=False, read_only=True)
    assert len(store.policies()) == 5
    assert answers.lookup(store, dict(answers.canned())["rights-matrix"]) is None


# --- incremental answers ----------------------------------------------------------------

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

EXTRA = [  # sentences that change recipients, labels, transfers and retention when added to a policy
    "We use Zyxcorp AB to send our newsletters.",
    "We use ZYXCORP AB to send our newsletters.",  # the same organisation, a label that sorts first
    "We use Mailchimp to send our newsletters.",
    "We use Hotjar to analyse how visitors use our website.",
    "Your data is transferred to Zyxcorp Inc. in the United States under standard contractual clauses.",
    "Your personal data may be transferred to India.",
    "We keep your account data for 36 months.",
    "We keep invoices for 7 years for accounting purposes.",
]


def _live(store: Store, text: str) -> bytes | None:
    return store.query_tsv(text)


def _check_every_answer(target: Path, why: str) -> None:
    store = Store(target, create=False, read_only=True)
    try:
        for name, text in answers.canned():
            kept = answers.answer_tsv(store, text)
            assert kept is not None, f"{why}: {name} not kept"
            assert kept == _live(store, text), f"{why}: {name} differs from a live evaluation"
    finally:
        del store


def test_answers_equal_live_after_a_random_sequence_of_changes(tmp_path: Path) -> None:
    """Additions, changes (new recipients, an organisation's label that sorts first, transfers,
    retention), removals and untouched rebuilds, in a random order: every kept answer stays
    byte-identical to a live evaluation."""
    rng = random.Random(19)
    corpus = tmp_path / "policies"
    synth.write_corpus(corpus, 12, seed=19)
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1)
    _check_every_answer(target, "first build")
    next_new = 100
    for step in range(6):
        files = sorted(corpus.glob("*.txt"))
        op = rng.choice(["change", "change", "add", "remove", "mixed", "nothing"])
        if op in ("change", "mixed"):
            for f in rng.sample(files, k=rng.randint(1, 3)):
                lines = f.read_text(encoding="utf-8").splitlines()
                if rng.random() < 0.4 and len(lines) > 10:  # reword: drop a passage
                    del lines[rng.randrange(5, len(lines))]
                lines += rng.sample(EXTRA, k=rng.randint(1, 3))
                f.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if op in ("add", "mixed"):
            synth.write_corpus(corpus, rng.randint(1, 2), seed=19, start=next_new)
            next_new += 2
        if op in ("remove", "mixed") and len(files) > 6:
            rng.choice(files).unlink()
        summary = build_store(policy_files([corpus]), target, jobs=1, prune=True)
        assert not summary.failed
        if op == "nothing":
            assert summary.answered == []
        _check_every_answer(target, f"step {step} ({op})")


def test_a_change_re_evaluates_only_what_it_touches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "policies"
    synth.write_corpus(corpus, 8, seed=4)
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1)
    evaluated: list[str] = []
    real = answers._Local.evaluate

    def counted(self, identifier, text):  # type: ignore[no-untyped-def]
        evaluated.append(identifier)
        return real(self, identifier, text)

    monkeypatch.setattr(answers._Local, "evaluate", counted)
    victim = sorted(corpus.glob("*.txt"))[3]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nWe use Hotjar to analyse visits.\n", encoding="utf-8")
    summary = build_store(policy_files([corpus]), target, jobs=1)
    assert summary.extracted == [victim.stem]
    assert set(evaluated) == {victim.stem}  # one policy's graphs, not the corpus
    per_policy = sum(1 for n, _ in answers.canned() if n in answers.PER_POLICY or n == "shared-processors")
    assert len(evaluated) == per_policy
    _check_every_answer(target, "one policy changed")

    # a label that now sorts first changes the rows of every policy naming that organisation
    evaluated.clear()
    namers = sorted(corpus.glob("*.txt"))[:3]
    for f in namers:
        f.write_text(f.read_text(encoding="utf-8") + "\nWe use Zyxcorp AB to send our newsletters.\n",
                     encoding="utf-8")
    build_store(policy_files([corpus]), target, jobs=1)
    evaluated.clear()
    namers[0].write_text(namers[0].read_text(encoding="utf-8").replace("Zyxcorp AB", "ZYXCORP AB"),
                         encoding="utf-8")
    build_store(policy_files([corpus]), target, jobs=1)
    assert set(evaluated) == {f.stem for f in namers}
    _check_every_answer(target, "a label changed")


def test_a_killed_update_of_the_answers_is_not_served_and_is_repaired(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "policies"
    synth.write_corpus(corpus, 5, seed=6)
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1)
    victim = sorted(corpus.glob("*.txt"))[1]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nWe use Mailchimp to send newsletters.\n",
                      encoding="utf-8")

    def killed(self, *a, **kw):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(answers._Sync, "_update", killed)
    with pytest.raises(KeyboardInterrupt):
        build_store(policy_files([corpus]), target, jobs=1)
    monkeypatch.undo()
    store = Store(target, create=False, read_only=True)
    assert all(answers.lookup(store, t) is None for _, t in answers.canned())
    del store
    summary = build_store(policy_files([corpus]), target, jobs=1)
    assert summary.extracted == [] and summary.answered  # the store was up to date; the answers were not
    _check_every_answer(target, "after the repair")


def test_query_and_live_print_the_same(built: Path, runner: CliRunner) -> None:
    for name in ("third-country-transfers", "controllers-by-vendor", "shared-processors", "rights-matrix"):
        kept = runner.invoke(cli, ["query", name, "--store", str(built), "-f", "tsv"], catch_exceptions=False)
        live = runner.invoke(cli, ["query", name, "--store", str(built), "-f", "tsv", "--live"],
                             catch_exceptions=False)
        assert kept.exit_code == live.exit_code == 0
        assert kept.stdout == live.stdout, name


def test_a_query_that_cannot_be_split_stays_whole_and_right(tmp_path: Path) -> None:
    """Rows ordered by durations (which SPARQL orders by rules ordering.py does not
    reproduce) cannot be merged from parts: the query is kept whole, then and after."""
    corpus = tmp_path / "policies"
    synth.write_corpus(corpus, 4, seed=8)
    target = tmp_path / "store"
    build_store(policy_files([corpus]), target, jobs=1, answers=False)
    text = ("SELECT ?vendor ?d WHERE { ?n <http://purl.org/dc/terms/identifier> ?vendor . "
            "?h <https://w3id.org/dpv#hasNotice> ?n ; <https://w3id.org/dpv#hasStorageCondition>/"
            "<https://w3id.org/dpv#hasDuration>/<http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?d } ORDER BY ?d")
    queries = [("retention-periods", text)]  # a name kept per policy, a text that cannot be
    store = Store(target)
    assert answers.keep(store, queries) == ["retention-periods"]
    assert answers.answer_tsv(store, text) == store.query_tsv(text)
    del store
    victim = sorted(corpus.glob("*.txt"))[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nWe keep invoices for 7 years.\n", encoding="utf-8")
    build_store(policy_files([corpus]), target, jobs=1, answers=False)
    store = Store(target)
    assert answers.keep(store, queries) == ["retention-periods"]
    with sqlite3.connect(target / answers.DIR / answers.DB) as db:
        assert db.execute("SELECT mode FROM queries").fetchall() == [("whole",)]
    assert answers.answer_tsv(store, text) == store.query_tsv(text)
