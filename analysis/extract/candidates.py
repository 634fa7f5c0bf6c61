"""Every number accounted for: each number of the text is a candidate, and each gets a decision.

A number is the value of a row (`target`, `milestone` for a year other than the plan horizon,
`baseline` / `observation` for a base-year or historical value), a cell of a table already read
(`table`), or `rejected` with a reason: a date or year, a document number, a page or list number,
a phone number, an address, an ordinal, a duration, a slogan or name in quotes, a money amount,
a past achievement or cumulative total, the 2035 vision, a qualifier inside a target's own words,
or a description with no target wording. What is left is `unexplained`: a number in a sentence that
reads like a target (a horizon, a comparator, a target verb) but gave no row; `plans check --numbers`
lists those.
"""

from __future__ import annotations

import bisect
import re

from analysis.extract.model import NumberDecision, RawTarget
from analysis.extract.numbers import parse_cn_number, parse_number
from analysis.extract.sentences import Sentence
from analysis.extract.vocabulary import alt, raw_patterns

NUMBER = re.compile(r"(?<![A-Za-z\d.])\d+(?:,\d{3})*(?:\.\d+)?(?![A-Za-z\d])|百分之[零〇一二两三四五六七八九十百点]+")
HORIZON_YEAR = 2025

_DOC_NO = re.compile(r"[〔\[【(（]\s*(?:19|20)\d\d\s*[〕\]】)）]\s*\d+\s*号|第\s*\d+\s*号")
_PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}-?)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)")
_DATE_AFTER = re.compile(r"\s*(?:年|月|日|号|时|点|周年)")
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*[-—–~～至到]\s*(?:19|20)?\d\d")
_ADDRESS = re.compile(r"\s*(?:号楼|号院|楼|层|室|路|街|巷|弄|栋|单元|门牌)")
_DURATION_AFTER = re.compile(rf"\s*(?:个)?(?:{alt('duration_units')})")
_MONEY_AFTER = re.compile(rf"\s*(?:余|多)?(?:{alt('money_units')})")
_YEARS_LONG = re.compile(rf"\s*年(?:{alt('post_words')}|内)")  # `3年以上`: a duration, not a date
_AGE_AFTER = re.compile(r"\s*(?:周)?岁")
_QUOTED = re.compile(r"“[^”\n]{0,20}”|「[^」\n]{0,20}」|\"[^\"\n]{0,20}\"")
_SLOGAN = re.compile(r"\d+\s*\+\s*\d+|\d+\s*[+＋]\s*[Nn]")
_LIST_NO = re.compile(rf"\s*(?:{raw_patterns('heading_numbers')})\s*$")
_TOC_LINE = re.compile(r"^[^。，,；;]{2,40}?[\s.．…·]+\d{1,3}\s*$")
_PAGE = re.compile(r"^\s*[-—–－]*\s*\d{1,3}\s*[-—–－]*\s*$")
_PAST = re.compile(alt("past_markers"))
# `17个部门25类74项…`: counts of parts one after another describe a system's scope
_SCOPE_TAIL = re.compile(r"\d+\s*(?:个|类|项|家|条)[^\d，,。；;]{0,6}?共?$")
_SCOPE_LIST = re.compile(r"^\d+\s*(?:个|类|项|家|条)[^\d，,。；;]{0,6}?(?:共)?\d+\s*(?:个|类|项|家|条)")
_CUMULATIVE = re.compile(alt("cumulative_markers"))
_VISION = re.compile(alt("vision"))
_CUES = re.compile(alt("target_verbs", "comparators.ge", "comparators.le", "comparators.gt", "horizon", "count_verbs",
                       "change_verbs", exclude=("为", "在", "超", "达")))


def _value_of(s: str) -> float | None:
    if s.startswith("百分之"):
        return parse_cn_number(s[3:])
    return parse_number(s)


def _row_decision(t: RawTarget) -> str:
    if t.source_kind != "prose":
        return "table"
    if t.target_year is None:
        return "observation" if t.baseline_year and t.baseline_year < 2020 or t.value_kind == "change" else "baseline"
    return "target" if t.target_year == HORIZON_YEAR else "milestone"


def decide_numbers(text: str, targets: list[RawTarget], spans: list[tuple[int, int]],
                   sents: list[Sentence], past: list[bool]) -> list[NumberDecision]:
    """One decision per number of `text` (see the module docstring); `sents`/`past` are the prose
    sentences and their review flags (`prose.past_flags`)."""
    by_value: dict[tuple[int, int], int] = {}
    for i, t in enumerate(targets):
        for span in t.value_spans:
            by_value.setdefault(tuple(span), i)
    value_starts = sorted(by_value)
    prose_rows = sorted((t.start, t.end, i) for i, t in enumerate(targets) if t.source_kind == "prose")
    table_rows = sorted((t.start, t.end, i) for i, t in enumerate(targets) if t.source_kind != "prose")
    spans = sorted(spans)
    span_starts = [a for a, _ in spans]
    sent_starts = [s.start for s in sents]
    out: list[NumberDecision] = []
    for m in NUMBER.finditer(text):
        a, b = m.span()
        d = NumberDecision(a, b, m.group(0), _value_of(m.group(0)), "rejected")
        hit = _covering(value_starts, a, b)
        if hit is not None:
            i = by_value[hit]
            d.decision, d.target_no = _row_decision(targets[i]), i
            out.append(d)
            continue
        k = bisect.bisect_right(span_starts, a) - 1
        if k >= 0 and a < spans[k][1]:
            d.decision = "table"
            r = bisect.bisect_right(table_rows, (a, 1 << 62, 0)) - 1
            row = next((i for s, e, i in table_rows[max(0, r - 3):r + 1] if s <= a < e), None)
            d.target_no = row
            d.reason = None if row is not None else "table cell outside a row read (header, year, row number) / 表头或序号"
            out.append(d)
            continue
        j = bisect.bisect_right(sent_starts, a) - 1
        sent = sents[j] if j >= 0 and a < sents[j].end else None
        d.reason = _reason(text, a, b, sent, past[j] if sent else False, prose_rows, targets)
        if d.reason is None:
            d.decision = "unexplained"
            d.reason = "target wording nearby but no row / 有目标措辞但未成行"
        out.append(d)
    return out


def _covering(starts: list[tuple[int, int]], a: int, b: int):
    k = bisect.bisect_right(starts, (a, 1 << 62)) - 1
    while k >= 0 and starts[k][1] > a:
        s, e = starts[k]
        if s <= a and b <= e:
            return starts[k]
        k -= 1
    return None


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/\-_.]{9,}")


_STREET_END = re.compile(r"[路街道巷弄]$")
_LIST_MARK = re.compile(r"\s*[.、．)）]")
_PHASE = re.compile(r"\s*(?:期|批次)(?!间)")
_TIMES = re.compile(r"\s*倍")
_SCALE_LABEL = re.compile(r"\s*[万亿]级")
_MU = re.compile(r"\s*亩")
_PART_CLS = re.compile(r"\s*(?:个|类|项|家|条)")
_YEAR_NUM = re.compile(r"(?:19|20)\d\d$")
_YEAR_WORD = re.compile(r"\s*年")
_PCT_AFTER = re.compile(r"\s*(?:%|‰)")
_CHANGE_BEFORE = re.compile(r"(?:增长|下降|提高|降低|增加|减少)\s*$")


def _in_code(text: str, a: int, b: int) -> bool:
    """Is text[a:b] part of a run of letters, digits, / and - of ten or more (an index number)?"""
    s, e = a, b
    while s > 0 and (text[s - 1].isascii() and (text[s - 1].isalnum() or text[s - 1] in "/-_.")):
        s -= 1
    while e < len(text) and (text[e].isascii() and (text[e].isalnum() or text[e] in "/-_.")):
        e += 1
    return e - s >= 10 and any(c.isalpha() or c in "/-_" for c in text[s:e])


def _reason(text: str, a: int, b: int, sent: Sentence | None, past: bool, prose_rows, targets) -> str | None:
    after = text[b:b + 6]
    before = text[max(0, a - 12):a]
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    num = text[a:b]
    around = text[max(0, a - 14):b + 14]
    if any(m.start() <= a - max(0, a - 14) < m.end() for m in _DOC_NO.finditer(around)):
        return "document number / 文号"
    if _PHONE.fullmatch(num) or any(m.start() <= a - max(0, a - 14) < m.end() for m in _PHONE.finditer(around)):
        return "phone number / 电话"
    if _CODE.search(text, max(0, a - 30), b + 30) and _in_code(text, a, b):
        return "index number or code / 索引号或编码"
    if _ADDRESS.match(after) or after.startswith("号") and _STREET_END.search(before):
        return "address / 地址"
    if len(line) < 60 and (_PAGE.match(line) or _TOC_LINE.match(line) and line.rstrip().endswith(num)):
        return "page number or contents / 页码或目录"
    if b - line_start < 12 and _LIST_NO.match(text, line_start, b + 1) or _LIST_MARK.match(after) and a == line_start:
        return "list or heading number / 序号"
    if before.endswith("第"):
        return "ordinal / 序数"
    if before.rstrip().endswith("专栏") or _PHASE.match(after):
        return "box or phase number / 专栏或分期编号"
    if _TIMES.match(after):
        return "multiple of another measure / 倍数"
    if _SCALE_LABEL.match(after):
        return "scale label / 规模级别"
    if _MU.match(after):
        return "land area of a project / 用地面积"
    if (_SCOPE_LIST.search(text[a:b + 12]) or _SCOPE_TAIL.search(before) and _PART_CLS.match(after)) and not re.search(alt("comparators.ge", "comparators.le") + r"\s*$", before):
        return "scope of a system described (counts of parts) / 构成描述"
    if _YEAR_NUM.match(num) and (_DATE_AFTER.match(after) or _YEAR_RANGE.search(text[a:b + 10])
                                           or _YEAR_RANGE.search(text[max(0, a - 6):b])):
        return "vision year / 远景年份" if num == "2035" else "year or date / 年份日期"
    if _DATE_AFTER.match(after) and not _YEARS_LONG.match(after):
        if _YEAR_WORD.match(after):
            return "duration / 期限"
        return "year or date / 年份日期"
    off = a - max(0, a - 14)
    if any(m.start() <= off < m.end() for m in _QUOTED.finditer(around)) or any(
            m.start() <= off < m.end() for m in _SLOGAN.finditer(around)):
        return "slogan or name in quotes / 口号或名称"
    if _AGE_AFTER.match(after):
        return "age / 年龄"
    if _DURATION_AFTER.match(after):
        return "duration / 期限"
    if sent is None:
        return "outside any sentence (heading, title) / 标题"
    if past:
        return "past achievement (review of the last plan) / 既往成绩"
    if _CUMULATIVE.search(sent.text):
        return "cumulative total / 累计数"
    if _PAST.search(sent.text):
        return "past achievement / 既往成绩"
    if _VISION.search(sent.text):
        return "vision (2035) / 远景目标"
    k = bisect.bisect_right(prose_rows, (a, 1 << 62, 0)) - 1
    for s, e, i in prose_rows[max(0, k - 8):k + 1]:
        t = targets[i]
        if s <= a < e and t.target_text:
            off = t.quote.find(t.target_text)
            if off >= 0 and s + off <= a < s + off + len(t.target_text):
                return "qualifier inside a target's words / 目标措辞中的限定数"
    if _MONEY_AFTER.match(after):
        return "money amount out of scope / 金额"
    if _PCT_AFTER.match(after) and _CHANGE_BEFORE.search(before):
        return "rate of change described / 变化幅度"
    if not _CUES.search(sent.text):
        return "description without target wording / 描述性数字"
    return None
