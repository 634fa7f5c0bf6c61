"""Targets stated as a multiple of the base year: `…翻一番` (2 倍), `…翻两番` (4 倍), `…达到2020年的两倍`.

The unit is 倍 (data/reference/unit_dimensions.csv: a multiple), so such a row is never aligned to the
level, count or share it multiplies. A multiple is not read when the next clause states the value
itself (`…翻一番,达到240人以上`: the 240 is the target).
"""

from __future__ import annotations

import re

from analysis.extract.model import RawTarget
from analysis.extract.numbers import comparator_of, parse_number
from analysis.extract.phrasings import _STOP, _row, _strip
from analysis.extract.sentences import Sentence, year_at, year_mentions
from analysis.extract.vocabulary import alt, raw_patterns

# `注册志愿者人数在2020年基础上翻一番`, `慈善捐赠总额达到2020年的两倍`: a target as a multiple of the base
_TIMES_WORDS = {"翻一番": 2.0, "翻番": 2.0, "翻一倍": 2.0, "翻两番": 4.0}
_INDICATOR_END = re.compile(rf"(?:{alt('rate_suffixes', 'indicator_nouns')})$")
DOUBLING = re.compile(
    rf"(?P<name>[^{_STOP}\d]{{2,30}}?)\s*(?:{raw_patterns('base_comparisons')})?\s*(?:实现|力争|争取)?"
    rf"(?P<num>{'|'.join(_TIMES_WORDS)})")
TIMES = re.compile(
    rf"(?P<name>[^{_STOP}\d]{{2,30}}?)\s*(?P<verb>{alt('comparators.ge', 'comparators.le')}|达到|提高到|增长到|增加到|为|是)"
    rf"(?P<base>[^{_STOP}]{{0,16}}?的)\s*(?P<num>[两二三四五六七八九十])倍")
_VALUE_NEXT = re.compile(rf"^[，,]\s*(?:{alt('target_verbs')})\s*\d")


def multiples(sent: Sentence, year: int) -> list[RawTarget]:
    """`…翻一番` (2 倍), `…翻两番` (4 倍), `…达到2020年的两倍` (2 倍): a target as a multiple of the base year,
    unless the next clause states the value itself (`翻一番,达到240人以上`: the 240 is the target)."""
    norm = sent.norm
    if "番" not in norm and "倍" not in norm:
        return []
    mentions = year_mentions(sent)
    out = []
    for rx in (DOUBLING, TIMES):
        for m in rx.finditer(norm):
            name = _strip(m.group("name"))
            if len(name) < 3 or not _INDICATOR_END.search(name) or _VALUE_NEXT.match(norm[m.end():]):
                continue
            value = _TIMES_WORDS.get(m.group("num")) or parse_number(m.group("num"))
            comp = comparator_of(m.groupdict().get("verb") or "") or "="
            out.append(_row(sent, m, name, value, "倍", comp, year_at(mentions, m.start(), year), kind="change"))
    return out
