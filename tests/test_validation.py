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
