"""Shared fixtures: paths, the CLI runner, and the graph of the bundled policies."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from policykg.errors import InputError
from policykg.export import serialize
from policykg.pipeline import add_extraction, extract_paths, extract_source, policy_files
from policykg.reading import read_source

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


def extract_readable(folder: Path):  # type: ignore[no-untyped-def]
    """Every policy of ``folder`` that policykg can read, and the files it refused (with why).

    The devset has policies in languages whose vocabularies may not exist yet; each is
    refused on its own (a clear error naming its language) and the rest are extracted.
    """
    from rdflib import Dataset

    ds, refused = Dataset(), {}
    for f in policy_files([folder]):
        try:
            add_extraction(ds, extract_source(read_source(f)))
        except InputError as exc:
            refused[f.stem] = exc.message
    return ds, refused
