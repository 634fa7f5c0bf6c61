"""A clause that states its baseline and its target together: `…由2020年的35%提高到2025年的55%`,
`…从2020年底的1.2万人增加至2025年的2万人以上`, `…由2020年的8.5‰下降到2025年的6‰`.

One row: the name before 由/从, the baseline (its year and value) and the target (its year, value and the
comparator of the words after it). The two years must be written; a clause about the past
(`由2015年的…提高到2020年的…`: the target year is not after 2020) is a review, not a target, and is left to
the observation readers.
"""

from __future__ import annotations

import re

from analysis.extract.model import RawTarget
from analysis.extract.numbers import NUM, UNITS, comparator_of, parse_number
from analysis.extract.phrasings import _STOP, _strip
from analysis.extract.sentences import Sentence, section_name
from analysis.extract.vocabulary import alt

_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_YEAR = r"(?P<{0}>20\d\d)\s*年(?:底|末)?\s*(?:的)?\s*"
FROM_YEAR_TO_YEAR = re.compile(
    rf"(?P<name>[^{_STOP}\d]{{2,30}}?)\s*(?:由|从)\s*{_YEAR.format('y0')}(?P<a>{NUM})\s*(?P<ua>{_UNIT})?\s*"
    rf"(?:{alt('rise_verbs', 'change_verbs')})?\s*(?:到|至)\s*{_YEAR.format('y1')}"
    rf"(?P<pre>{alt('comparators.ge', 'comparators.le', 'comparators.approx')})?\s*(?P<num>{NUM})\s*(?P<ub>{_UNIT})?"
    rf"(?P<post>{alt('post_words')})?")
_INDICATOR_END = re.compile(rf"(?:{alt('rate_suffixes', 'indicator_nouns')})$")


def from_year_to_year(sent: Sentence) -> list[RawTarget]:
    """Rows of `…由2020年的35%提高到2025年的55%` (see the module docstring); [] when there is none."""
    norm = sent.norm
    if "由" not in norm and "从" not in norm:
        return []
    out = []
    for m in FROM_YEAR_TO_YEAR.finditer(norm):
        y0, y1 = int(m.group("y0")), int(m.group("y1"))
        name = _strip(m.group("name"))
        if y1 <= 2020 or y1 <= y0 or len(name) < 3 or not _INDICATOR_END.search(name):
            continue
        unit = m.group("ub") or m.group("ua")
        if m.group("ua") and m.group("ub") and m.group("ua") != m.group("ub"):
            continue  # two different units: not one measure
        comp = comparator_of((m.group("pre") or "") + (m.group("post") or "")) or "="
        t = RawTarget(raw_name=name, baseline_year=y0, baseline_value=parse_number(m.group("a")), target_year=y1,
                      target_value=parse_number(m.group("num")), unit=unit, comparator=comp,
                      target_text=sent.words_of(m.start("name"), m.end()), source_kind="prose", quote=sent.text,
                      start=sent.start, end=sent.end, domain=section_name(sent.section))
        t.value_spans = [sent.span_of(m.start("a"), m.end("a")), sent.span_of(m.start("num"), m.end("num"))]
        out.append(t)
    return out
