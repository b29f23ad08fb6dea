"""Documentation stays true: every command is in the README, generated docs are current."""

from __future__ import annotations

import subprocess
import sys

from policykg.cli import cli
from tests.conftest import ROOT


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, cmd in cli.commands.items():
        assert f"policykg {name}" in readme, name
        assert cmd.help, name


def test_generated_docs_are_current() -> None:
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_readme_quick_start_is_two_make_targets() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert "\nrun:" in makefile and "\ntest:" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_packaged_data_resolves() -> None:
    from policykg.resources import ontology_dir, queries_dir, shapes_dir

    assert (ontology_dir() / "policykg.ttl").exists()
    assert list(queries_dir().glob("*.rq")) and list(shapes_dir().glob("*.ttl"))
