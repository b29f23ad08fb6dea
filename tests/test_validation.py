"""The validation report: its order, its JSON and text forms, and its memory sharing."""

from __future__ import annotations

import json
import pickle
import random
from dataclasses import asdict

from rdflib import Graph

from policykg.validation import Report, Result, shared


def _results() -> list[Result]:
    """Results with ties on (policy, severity, shape, focus) that only path or value break."""
    out = []
    for i in range(12):
        out.append(Result(["Violation", "Warning", "Info"][i % 3], f"policy-{i % 2}", "https://x/notice",
                          "dpv:hasNotice" if i % 4 else None, f"https://x/handling/{i}" if i % 5 else None,
                          f"https://w3id.org/policykg/shapes#S{i % 2}", "Ett \"meddelande\"\növer två rader",
                          "ett meddelande" if i % 2 else None, "sh:MinCountConstraintComponent"))
    return out


def _report(results: list[Result]) -> Report:
    rs = list(results)
    rs.sort(key=lambda r: (r.notice, -["", "Info", "Warning", "Violation"].index(r.severity), r.shape,
                           r.focus, r.path or "", r.value or ""))
    return Report(rs, Graph())


def test_json_is_json_dumps_of_the_whole_report() -> None:
    for rs in ([], _results()[:1], _results()):
        rep = _report(rs)
        whole = json.dumps({"conforms": not rep.results, "counts": rep.counts(),
                            "results": [asdict(r) for r in rep.results]}, indent=2, ensure_ascii=False)
        assert rep.to_json() == whole


def test_text_report_does_not_depend_on_the_order_results_arrive_in() -> None:
    texts = set()
    for seed in range(5):
        rs = _results()
        random.Random(seed).shuffle(rs)
        texts.add(Report(rs, Graph()).to_text("sv"))
    assert len(texts) == 1
    text = texts.pop()
    assert text.index("== policy-0") < text.index("== policy-1")
    assert text.rstrip().endswith("Violations: 4  Warnings: 4  Info: 4")
    # ties on the focus are broken by the value: handling/1 is listed before handling/7
    lines = text.splitlines()
    assert lines.index("== policy-1: 2 violation, 2 warning, 2 info") < \
        next(n for n, line in enumerate(lines) if line.endswith("= https://x/handling/1")) < \
        next(n for n, line in enumerate(lines) if line.endswith("= https://x/handling/7"))


def test_shared_interns_strings_that_came_back_from_a_worker() -> None:
    copies = pickle.loads(pickle.dumps(_results())) + pickle.loads(pickle.dumps(_results()))
    assert copies[0].message is not copies[12].message
    lean = shared(copies)
    assert lean[0].message is lean[12].message
    assert lean[0].shape is lean[2].shape and lean[1].notice is lean[13].notice
    assert [asdict(r) for r in lean] == [asdict(r) for r in _results() + _results()]


def test_store_validation_is_the_same_in_workers_in_process_and_with_pyshacl(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The store's three paths — native in worker processes (results only, no report
    graph), native in-process, pyshacl per policy — give the same results."""
    from pathlib import Path

    from policykg import validation
    from policykg.build import build_store
    from policykg.pipeline import policy_files
    from policykg.store import Store

    policies = Path(__file__).resolve().parents[1] / "data" / "policies"
    build_store(policy_files([policies]), tmp_path / "store", jobs=1)
    store = Store(tmp_path / "store", create=False, read_only=True)

    def key(r: Result) -> tuple:  # type: ignore[type-arg]
        return (r.notice, r.severity, r.shape, r.focus, r.path, r.value, r.component, r.message)

    in_process = validation.validate_store(store, jobs=1)
    monkeypatch.setattr(validation, "PARALLEL_FROM", 1)
    in_workers = validation.validate_store(store, jobs=2)
    reference = validation.validate_store(store, engine="pyshacl", jobs=2)
    assert in_process.results, "the bundled policies have transparency gaps: the comparison is not vacuous"
    assert len({r.notice for r in in_process.results}) == 5
    assert [key(r) for r in in_workers.results] == [key(r) for r in in_process.results]
    assert sorted(map(key, reference.results)) == sorted(map(key, in_process.results))
