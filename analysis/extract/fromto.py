"""A clause that states its baseline and its target together: `…由2020年的35%提高到2025年的55%`,
`…从2020年底的1.2万人增加至2025年的2万人以上`, `…由2020年的8.5‰下降到2025年的6‰`,
`城市低保标准由每人每月620元提高到750元`.

One row: the name before 由/从, the baseline (its year when written, and value) and the target (its year,
else the latest plan year the sentence names, else the plan horizon 2025; its value and the comparator of
the words after it). A rate before a value (每人每月) is part of its unit (元/人/月). A clause about the past
(`由2015年的…提高到2020年的…`: the target year is not after 2020; or no target year and a past marker such
as 累计 / 已经) is a review, not a target, and is left to the observation readers.
"""

from __future__ import annotations

import re

from analysis.extract.model import RawTarget
from analysis.extract.numbers import NUM, UNITS, comparator_of, parse_number
from analysis.extract.phrasings import _STOP, _strip
from analysis.extract.sentences import Sentence, section_name
from analysis.extract.vocabulary import PER_UNITS, PER_UNITS_RX, alt

_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_YEAR = r"(?:(?P<{0}>20\d\d)\s*年(?:底|末)?\s*(?:的)?\s*)?"
FROM_YEAR_TO_YEAR = re.compile(
    rf"(?P<name>[^{_STOP}\d]{{2,30}}?)\s*(?:由|从)\s*{_YEAR.format('y0')}(?P<pa>{PER_UNITS_RX})?\s*(?P<a>{NUM})\s*(?P<ua>{_UNIT})?\s*"
    rf"(?P<verb>{alt('rise_verbs', 'change_verbs')})?\s*(?:到|至)\s*{_YEAR.format('y1')}"
    rf"(?P<pre>{alt('comparators.ge', 'comparators.le', 'comparators.approx')})?\s*(?P<pb>{PER_UNITS_RX})?\s*(?P<num>{NUM})\s*"
    rf"(?P<ub>{_UNIT})?(?P<post>{alt('post_words')})?")
_PAST = re.compile(alt("past_markers"))
_PLAN_YEAR = re.compile(r"(20(?:2[1-9]|3[0-5]))\s*年")
_INDICATOR_END = re.compile(rf"(?:{alt('rate_suffixes', 'indicator_nouns')})$")


def from_year_to_year(sent: Sentence) -> list[RawTarget]:
    """Rows of `…由2020年的35%提高到2025年的55%` (see the module docstring); [] when there is none."""
    norm = sent.norm
    if "由" not in norm and "从" not in norm:
        return []
    out = []
    for m in FROM_YEAR_TO_YEAR.finditer(norm):
        y0 = int(m.group("y0")) if m.group("y0") else None
        if m.group("y1"):
            y1 = int(m.group("y1"))
        elif _PAST.search(norm) or y0 and y0 < 2020 or not (y0 or m.group("verb")):
            continue  # `累计…从500元提高到620元`: a review; `从300元到500元不等`: a spread, not a rise
        else:  # the latest plan year the sentence names (`到2025年,…由…提高到…`), else the horizon
            y1 = max((int(y) for y in _PLAN_YEAR.findall(norm)), default=2025)
        name = _strip(m.group("name"))
        if y1 <= 2020 or y0 and y1 <= y0 or len(name) < 3 or not _INDICATOR_END.search(name):
            continue
        per = m.group("pb") or m.group("pa")
        ua, ub = m.group("ua"), m.group("ub")
        unit = max((u for u in (ua, ub) if u), key=len, default=None)  # `5800元/人/年提高到7000元`: 元/人/年
        if ua and ub and not unit.startswith(min(ua, ub, key=len)):
            continue  # two different units: not one measure
        if m.group("pa") and m.group("pb") and m.group("pa") != m.group("pb"):
            continue
        unit = (unit or "") + PER_UNITS[per] if per else unit
        comp = comparator_of((m.group("pre") or "") + (m.group("post") or "")) or "="
        t = RawTarget(raw_name=name, baseline_year=y0, baseline_value=parse_number(m.group("a")), target_year=y1,
                      target_value=parse_number(m.group("num")), unit=unit, comparator=comp,
                      target_text=sent.words_of(m.start("name"), m.end()), source_kind="prose", quote=sent.text,
                      start=sent.start, end=sent.end, domain=section_name(sent.section))
        t.value_spans = [sent.span_of(m.start("a"), m.end("a")), sent.span_of(m.start("num"), m.end("num"))]
        out.append(t)
    return out
