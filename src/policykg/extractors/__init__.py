"""Extractor registry: name -> function ``(Document) -> list[Finding]``, in run order.

Extractors are independent of each other; :func:`run` calls every registered
one and returns their findings. New aspects register here (like datasette's
``DEFAULT_PLUGINS``), so the pipeline never needs to know them by name.
"""

from __future__ import annotations

from collections.abc import Callable

from policykg.collector import paused, settle
from policykg.extractors import articles, concepts, metadata, organisations, retention, transfers
from policykg.extractors.base import Document, Finding

Extractor = Callable[[Document], list[Finding]]

REGISTRY: dict[str, Extractor] = {
    "organisations": organisations.organisations,
    **{name: concepts.scheme_extractor(name) for name in concepts.SCHEMES},
    "rights_by_article": articles.rights_by_article,
    "legal_bases_by_article": articles.legal_bases_by_article,
    "transfers": transfers.transfers,
    "retention": retention.retention,
    "metadata": metadata.metadata,
}


def available() -> list[str]:
    return list(REGISTRY)


def run(doc: Document, only: list[str] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    settle(doc.lang)
    with paused():  # see policykg.collector: the collector cost a third of the time
        for name, fn in REGISTRY.items():
            if only is None or name in only:
                findings.extend(fn(doc))
    return findings


__all__ = ["Document", "Finding", "REGISTRY", "available", "run"]
