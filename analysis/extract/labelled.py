"""Indicators written as a labelled list instead of a table: `1. 养老机构护理型床位占比：55%（约束性）`.

A sentence that reads `name：value` (a list number before it or not), the name ending like an
indicator (率 / 比例 / 数 / 面积 …), is one indicator. Its value is read

- like a table cell: `55%`, `90%以上`, `≥55`, `8个`, `30%-40%`;
- as words: `不低于上年度居民人均消费支出增幅` (comparator `qualitative`, the words kept);
- as years with values: `2020年为60%,2025年达到100%` (a baseline and a target of that year);
- as parts: `城市社区100%、农村社区70%` (one row per part, named part + name).

A trailing `（约束性）` / `（预期性）` is the row's attribute. Anything else after the colon is left to
the prose phrasings.
"""

from __future__ import annotations

import re

from analysis.extract.model import RawTarget
from analysis.extract.numbers import ATTRIBUTES, NUM, parse_cell_value
from analysis.extract.sentences import Sentence, section_name
from analysis.extract.vocabulary import alt, raw_patterns, words

_NAME_CHAR = r"(?:[^:：,，。;；!?！？|\d]|\d(?=[A-Za-z]))"  # a grade such as 3A may sit in a name
LABELLED = re.compile(
    rf"^\s*(?:(?:{raw_patterns('heading_numbers')})\s*)?(?P<name>{_NAME_CHAR}{{2,40}}?)\s*[:：]\s*"
    rf"(?P<body>[^。;；]+?)\s*(?:[(（](?P<attr>{'|'.join(ATTRIBUTES)})[)）])?\s*[。;；]?\s*$")
_INDICATOR_END = re.compile(rf"(?:{alt('rate_suffixes', 'indicator_nouns')})$")
_RATE_END = re.compile(rf"(?:{alt('rate_suffixes')})$")
_QUALITATIVE = tuple(words("qualitative_cell_starts"))
_YEAR_VALUE = re.compile(r"^(?P<year>20\d\d)\s*年(?:底|末)?\s*(?:为|是)?\s*(?P<value>.+)$")
# a part is where the value holds (城市社区 / 农村 / 县级): it ends with a place or scope word
_PART_VALUE = re.compile(rf"^(?P<part>[^\d]{{0,6}}(?:{alt('places', 'scope_words')}))\s*"
                         rf"(?P<value>(?:{alt('target_verbs')})?\s*{NUM}.*)$")
_PARTS = re.compile(r"[,，、;；]")


def _segments(body: str, offset: int) -> list[tuple[str, int]]:
    """The parts of a value written in several pieces, with their offsets in the sentence."""
    out, pos = [], 0
    for piece in _PARTS.split(body):
        lead = len(piece) - len(piece.lstrip())
        out.append((piece.strip(), offset + pos + lead))
        pos += len(piece) + 1
    return [(p, o) for p, o in out if p]


def labelled_values(sent: Sentence, year: int) -> list[RawTarget]:
    """The rows of one `name：value` sentence, or [] when it is not one."""
    norm = sent.norm
    if ":" not in norm and "：" not in norm:
        return []
    m = LABELLED.match(norm)
    if not m:
        return []
    name = re.sub(r"\s+", "", m.group("name"))
    body, at = m.group("body"), m.start("body")
    if not _INDICATOR_END.search(name) or len(name) < 4:
        return []
    attr = m.group("attr")
    unit_of_name = "%" if _RATE_END.search(name) else None

    def row(raw_name, value, a, b, y=year, base=None) -> RawTarget | None:
        v = parse_cell_value(value)
        if v is None:
            return None
        t = RawTarget(raw_name=raw_name, target_year=y, target_value=v.value, unit=v.unit or unit_of_name,
                      comparator=v.comparator, target_value_high=v.high, attribute=attr,
                      target_text=sent.words_of(a, b), source_kind="prose", quote=sent.text, start=sent.start,
                      end=sent.end, domain=section_name(sent.section))
        num = re.search(NUM, norm[a:b])
        t.value_spans = [sent.span_of(a + num.start(), a + num.end())] if num else []
        if base:
            t.baseline_year, t.baseline_value = base
        return t

    single = row(name, body, at, m.end("body"))
    if single is not None:
        return [single]
    if not re.search(r"\d", body):
        if not body.startswith(_QUALITATIVE):
            return []
        return [RawTarget(raw_name=name, target_year=year, comparator="qualitative", target_text=body, unit=unit_of_name,
                          attribute=attr, source_kind="prose", quote=sent.text, start=sent.start, end=sent.end,
                          domain=section_name(sent.section))]
    out: list[RawTarget] = []
    base = None
    for piece, off in _segments(body, at):
        by_year = _YEAR_VALUE.match(piece)
        part = None if by_year else _PART_VALUE.match(piece)
        if by_year:
            y, value = int(by_year.group("year")), by_year.group("value")
            if y <= 2020:  # `2020年为60%`: the baseline of the target that follows
                v = parse_cell_value(value)
                if v is None or v.value is None:
                    return []
                base = (y, v.value)
                continue
            t = row(name, value, off + by_year.start("value"), off + len(piece), y, base)
        elif part:
            t = row(part.group("part") + name, part.group("value"), off + part.start("value"), off + len(piece), year)
        else:
            return []
        if t is None:
            return []
        out.append(t)
    return out
