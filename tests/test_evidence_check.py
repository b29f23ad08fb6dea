"""scripts/evidence_check.py: every query row and scorecard cell quotes the words of its value (issue 17)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from policykg import graph
from policykg.queries import list_queries
from tests.conftest import POLICIES, ROOT


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evidence_check", ROOT / "scripts" / "evidence_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["evidence_check"] = module
    spec.loader.exec_module(module)
    return module


check = _script()


def test_every_quote_on_the_bundled_policies_states_its_value() -> None:
    res = check.check([POLICIES])
    assert res["failures"] == []
    # every canned query with evidence and every stated cell was looked at (2026-12: 719 rows, 58 cells)
    assert res["rows"]["checked"] >= 600 and res["cells"]["checked"] >= 50


def test_passage_level_evidence_fails_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Quoting the first sentence of a fact's passage (the evidence before issue 17) is caught."""
    def passage(doc, f):  # type: ignore[no-untyped-def]
        block = doc.blocks[f.block]
        return block.sentences[0] if block.sentences else f.sentence
    monkeypatch.setattr(graph, "evidence_span", passage)
    res = check.check([POLICIES / "iptor.txt"])
    assert res["failures"]
    assert any(f.get("scorecard") for f in res["failures"]) and any(f.get("query") for f in res["failures"])


def test_every_query_that_quotes_says_what_the_quote_is_evidence_of() -> None:
    for q in list_queries():
        entries = check.evidence_columns(q)
        selected = q.text[q.text.index("SELECT"):q.text.index("WHERE")]
        if "?quote" in selected:
            assert entries, f"{q.name} returns a quote but has no '#+ evidence:' header"
        for e in entries:
            for col in (e["quote"], e["start"], e["end"]) + (() if "://" in e["value"] else (e["value"],)):
                assert f"?{col}" in selected, f"{q.name}: evidence column ?{col} is not selected"


def test_a_missing_path_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert check.main(["/no/such/folder"]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_a_policy_it_cannot_read_is_listed_and_the_rest_checked(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "infobric.txt").write_bytes((POLICIES / "infobric.txt").read_bytes())
    assert check.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "1 policies: query rows" in out and "not checked:" in out and "empty.txt" in out
