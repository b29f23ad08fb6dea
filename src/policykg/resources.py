"""Find the bundled ontology/, shapes/ and queries/ folders.

In a checkout (editable install) they sit at the repository root; in a wheel
they are copied into ``policykg/_data``. Both layouts are supported so the
tests can prove the installed package finds its data.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder ``name`` (ontology, shapes or queries)."""
    for candidate in (_PKG / "_data" / name, _PKG.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"policykg data folder {name!r} not found next to {_PKG}")


def ontology_dir() -> Path:
    return data_dir("ontology")


def vocab_dir() -> Path:
    return data_dir("ontology") / "vocab"


def shapes_dir() -> Path:
    return data_dir("shapes")


def queries_dir() -> Path:
    return data_dir("queries")
