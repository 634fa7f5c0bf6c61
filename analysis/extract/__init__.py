"""Extraction: every quantitative target, baseline and historical observation, with its quote.

`extract_targets(text, passages)` reads the indicator tables (any layout) first, then the prose
outside them, then runs the document-level checks (table vs prose, units, percentages), and
decides what became of every number of the text (`ExtractResult.numbers`, see `candidates.py`).
"""

from __future__ import annotations

from analysis.extract.candidates import decide_numbers
from analysis.extract.checks import check_targets
from analysis.extract.model import ExtractResult, Flag, NumberDecision, RawTarget
from analysis.extract.prose import extract_prose, past_flags
from analysis.extract.sentences import split_sentences
from analysis.extract.tables import extract_tables

__all__ = ["ExtractResult", "Flag", "NumberDecision", "RawTarget", "extract_targets"]


def extract_targets(text: str, passages=None) -> ExtractResult:
    """Every target, baseline and observation of one cleaned document, in text order, with flags.

    `passages` (from `analysis.segment.split_passages`) give each sentence its section, so that
    numbers in a review of the last plan are not read as targets; computed here when not given.
    """
    if passages is None:
        from analysis.segment import split_passages

        passages = split_passages(text)
    table_targets, flags, spans = extract_tables(text)
    sents = split_sentences(text, spans, passages)
    past = past_flags(sents)
    prose_targets = extract_prose(text, spans, passages, sents, past)
    targets = sorted(table_targets + prose_targets, key=lambda t: (t.start, t.source_kind))
    numbers = decide_numbers(text, targets, spans, sents, past)
    return ExtractResult(targets, flags + check_targets(targets), numbers)
