"""Extraction: every quantitative target, baseline and historical observation, with its quote.

`extract_targets(text, passages)` reads the indicator tables (any layout) first, then the prose
outside them, then runs the document-level checks (table vs prose, units, percentages).
"""

from __future__ import annotations

from analysis.extract.checks import check_targets
from analysis.extract.model import ExtractResult, Flag, RawTarget
from analysis.extract.prose import extract_prose
from analysis.extract.tables import extract_tables

__all__ = ["ExtractResult", "Flag", "RawTarget", "extract_targets"]


def extract_targets(text: str, passages=None) -> ExtractResult:
    """Every target, baseline and observation of one cleaned document, in text order, with flags.

    `passages` (from `analysis.segment.split_passages`) give each sentence its section, so that
    numbers in a review of the last plan are not read as targets; computed here when not given.
    """
    if passages is None:
        from analysis.segment import split_passages

        passages = split_passages(text)
    table_targets, flags, spans = extract_tables(text)
    prose_targets = extract_prose(text, spans, passages)
    targets = sorted(table_targets + prose_targets, key=lambda t: (t.start, t.source_kind))
    return ExtractResult(targets, flags + check_targets(targets))
