"""Hostile input (issue 22): a corpus of the nasty cases kept as files under tests/hostile/,
one test per class of defect, and a bounded run of the generated campaign
(benchmarks/hostile.py; the on-demand run there is 10,000 inputs)."""

from __future__ import annotations

import importlib.util
import signal
import sys
from pathlib import Path
from xml.parsers import expat

import pytest
from click.testing import CliRunner

from tests.test_cli import EN, run

HERE = Path(__file__).parent / "hostile"
CORPUS = str(Path(__file__).parent / "queries" / "corpus.ttl")


def _one_error(r, name: str) -> str:  # type: ignore[no-untyped-def]
    """Exit 2, exactly one 'Error:' line naming ``name``, no traceback, no internal error."""
    assert r.exit_code == 2, r.output
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("Error: ")]
    assert len(errors) == 1 and name in errors[0], r.stderr
    assert "Traceback" not in r.output and "internal error" not in r.output
    return errors[0]


@pytest.mark.parametrize("name,reason", [("latin1.rq", "not valid UTF-8"), ("nul.rq", "NUL")])
def test_a_query_file_that_is_not_text(runner: CliRunner, name: str, reason: str) -> None:
    assert reason in _one_error(run(runner, "query", str(HERE / name), CORPUS), name)


def test_an_iri_with_a_space_is_refused_with_its_position(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.nt"
    line = _one_error(run(runner, "export", str(HERE / "iri-space.ttl"), "-o", str(out)), "iri-space.ttl")
    assert "line 2" in line and not out.exists()


def test_an_entity_bomb_is_refused_at_once(runner: CliRunner) -> None:
    assert "amplification" in _one_error(run(runner, "export", str(HERE / "bomb.rdf"), "-f", "nt"), "bomb.rdf")


def test_control_characters_never_make_rdfxml_that_is_not_xml(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.rdf"
    line = _one_error(run(runner, "export", str(HERE / "control-chars.ttl"), "-f", "xml", "-o", str(out)), "")
    assert "U+0000" in line and not out.exists()
    r = run(runner, "export", str(HERE / "control-chars.ttl"), "-f", "nt")  # other formats hold them
    assert r.exit_code == 0 and "\x00" in r.stdout


def test_an_ill_typed_literal_is_kept_without_a_traceback(runner: CliRunner) -> None:
    r = run(runner, "export", str(HERE / "ill-typed.ttl"), "-f", "xml")
    assert r.exit_code == 0 and ">abc<" in r.stdout and "Traceback" not in r.output
    expat.ParserCreate().Parse(r.stdout_bytes, True)


def test_random_bytes_in_html(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.rdf"
    r = run(runner, "extract", str(HERE / "marked-section.html"), "-f", "xml", "-o", str(out))
    assert r.exit_code in (0, 2) and "Traceback" not in r.output and "internal error" not in r.output
    if r.exit_code == 0:
        expat.ParserCreate().Parse(out.read_bytes(), True)


@pytest.mark.parametrize("gold", ["gold-null", "gold-list"])
def test_gold_yaml_that_is_not_the_schema(runner: CliRunner, gold: str) -> None:
    line = _one_error(run(runner, "evaluate", CORPUS, "--gold", str(HERE / gold)), gold)
    assert "gold schema" in line


def test_two_inputs_with_one_identifier_are_not_merged(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a-b.txt").write_text(EN, encoding="utf-8")
    out = tmp_path / "out.nq"
    line = _one_error(run(runner, "extract", "-", str(tmp_path / "a-b.txt"), "--id", "a b", "-o", str(out),
                          input=EN), "would share")
    assert "a-b.txt" in line and "<stdin>" in line and not out.exists()


def test_a_string_parameter_with_quotes_and_newlines_is_not_altered(runner: CliRunner, tmp_path: Path) -> None:
    import json

    q = tmp_path / "echo.rq"
    q.write_text("#+ title: Echo\n#+ description: d\n#+ params:\n#+   - name: v\n#+     type: string\n"
                 "SELECT ?v WHERE { }\n", encoding="utf-8")
    value = 'x"\n} ; DROP ALL ; # \\u0022\t\\"'
    r = run(runner, "query", str(q), CORPUS, "-p", "v", value, "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["results"]["bindings"][0]["v"]["value"] == value


def test_a_language_tag_with_a_trailing_newline_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    q = tmp_path / "echo.rq"
    q.write_text("#+ title: Echo\n#+ description: d\n#+ params:\n#+   - name: v\n#+     type: lang-string\n"
                 "SELECT ?v WHERE { }\n", encoding="utf-8")
    assert "must be" in _one_error(run(runner, "query", str(q), CORPUS, "-p", "v", "IMY@sv\n"), "")


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="the campaign's hang detector needs SIGALRM")
def test_a_bounded_generated_campaign_finds_no_defect() -> None:
    """180 generated inputs (30 per class) through the real CLI: every defect count is 0."""
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "hostile.py"
    spec = importlib.util.spec_from_file_location("hostile_campaign", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["hostile_campaign"] = mod
    spec.loader.exec_module(mod)
    tally = mod.campaign(180, seed=2026, seconds=30)
    assert tally.runs == 180 and set(tally.by_kind) == set(mod.GENERATORS)
    assert {k: v for k, v in tally.defects.items() if v} == {}, tally.examples
