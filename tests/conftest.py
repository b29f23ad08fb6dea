"""Shared fixtures: paths, the CLI runner, and the graph of the bundled policies."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from policykg.export import serialize
from policykg.pipeline import extract_paths

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "data" / "policies"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def bundled_dataset():  # type: ignore[no-untyped-def]
    return extract_paths([POLICIES])


@pytest.fixture(scope="session")
def bundled_graph(bundled_dataset, tmp_path_factory) -> Graph:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("bundled") / "graph.ttl"
    path.write_bytes(serialize(bundled_dataset, "turtle"))
    g = Graph()
    g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="session")
def bundled_ttl(bundled_dataset, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("bundled-ttl") / "graph.ttl"
    path.write_bytes(serialize(bundled_dataset, "turtle"))
    return path


def shared_dir(name: str) -> Path:
    """A folder of ../shared, or skip the test when it is not there."""
    p = SHARED / name
    if not p.is_dir():
        pytest.skip(f"../shared/{name} is not available")
    return p
