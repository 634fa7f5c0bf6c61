"""Numbers, units and comparators as plan documents write them.

General vocabulary only (no document-specific values): `60%`, `１００％` (already folded by the
cleaner), `百分之六十`, `2,800`, `0.5亿元`, `≥90`, `不低于55%`, `30%-40%`, `5-10家`.

Chinese numerals are read here rather than with cn2an: measured on the numerals of the tests,
cn2an gives the same values in its "normal" mode (its "strict" mode refuses 两 and 两百) and takes
~25 µs a call against ~3 µs here, and its one extra reading (二〇二五 → 2025) is done here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.extract.vocabulary import alt, comparator_of, words  # noqa: F401 (comparator_of re-exported)

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_MYRIADS = {"亿": 100_000_000, "万": 10_000}  # in this order: 一亿二千万 splits at 亿 first
_CN_CHARS = frozenset(CN_DIGITS) | frozenset(CN_UNITS) | frozenset(CN_MYRIADS) | {"点"}

# Units, longest first so that 万人 wins over 人 and 元/人/月 over 元 (data/reference/phrases.yaml).
UNITS = list(words("units"))
UNIT_WORDS = set(UNITS) | {"m²", "m2", "㎡", "‰"}
_UNIT_RX = "|".join(re.escape(u) for u in UNITS + ["m²", "㎡"])

NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
# the dash of a range between two numbers: `30%-40%`, `50%—60%`, `20～30所`, `200--400户`
DASH = r"[-~～至—–－]{1,2}"
EMPTY_CELLS = {"", "—", "——", "-", "--", "/", "无", "—— ", "－", "――", "……", "/ "}

GE, LE, GT, LT = (words(f"comparators.{k}") for k in ("ge", "le", "gt", "lt"))
ATTRIBUTES = ("约束性", "预期性")


def parse_cn_number(s: str) -> float | None:
    """六十 → 60, 一百 → 100, 二十五 → 25, 三点五 → 3.5, 三万五千 → 35000, 一亿 → 1e8, 二〇二五 → 2025
    (digits one after another are read by position); None if not a Chinese numeral."""
    if not s or not _CN_CHARS.issuperset(s):
        return None
    if "点" in s:
        whole, frac = s.split("点", 1)
        w = parse_cn_number(whole) if whole else 0
        if w is None or any(c not in CN_DIGITS for c in frac):
            return None
        return float(f"{int(w)}.{''.join(str(CN_DIGITS[c]) for c in frac)}")
    if len(s) > 1 and s[1] in CN_DIGITS and all(c in CN_DIGITS for c in s):
        return float("".join(str(CN_DIGITS[c]) for c in s))
    if "万" not in s and "亿" not in s:
        value = _cn_section(s)
        return None if value is None else float(value)
    total = 0
    for word, factor in CN_MYRIADS.items():  # 亿 before 万: each splits off the sections above it
        if word in s:
            high, _, s = s.partition(word)
            value = _cn_section(high)
            if value is None:
                return None
            total += value * factor
    rest = _cn_section(s) if s else 0
    return None if rest is None else float(total + rest)


def _cn_section(s: str) -> int | None:
    """A numeral below 万 (十, 百, 千 and digits): 三千零五 → 3005; None when empty or it holds 万 / 亿."""
    if not s or any(c in CN_MYRIADS for c in s):
        return None
    total, digit = 0, None
    for c in s:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        else:
            total += (digit if digit is not None else 1) * CN_UNITS[c]
            digit = None
    return total + (digit or 0)


def parse_number(s: str) -> float | None:
    """A plain number in a cell or a match: '2,800' → 2800.0, '33.4' → 33.4."""
    s = s.strip().replace(",", "").replace("，", "")
    try:
        return float(s)
    except ValueError:
        return parse_cn_number(s)


@dataclass
class Value:
    value: float | None
    comparator: str | None
    high: float | None = None
    unit: str | None = None
    text: str = ""


_PRE_WORDS = alt("comparators.ge", "comparators.le", "comparators.gt", "comparators.lt", "comparators.approx",
                 "comparators.aim", "target_verbs", exclude=words("post_words") + words("short_verbs"))
_POST_WORDS = alt("post_words")
_CELL_VALUE = re.compile(
    rf"^(?P<pre>{_PRE_WORDS})?\s*(?P<num>{NUM})\s*(?P<unit1>%|‰)?\s*"
    rf"(?:(?P<dash>[-~～至—－])\s*(?P<high>{NUM}))?\s*(?P<unit>{_UNIT_RX})?\s*(?P<post>{_POST_WORDS})?$")


def parse_cell_value(cell: str) -> Value | None:
    """A table cell holding a value: '≥90' '100' '33.4' '5-10' '≤40' '2.5万人' '30%-40%' '稳定在100'.

    None if the cell is not one number (or one range) with optional comparator words and unit.
    """
    s = cell.strip()
    m = _CELL_VALUE.match(s)
    if not m:
        return None
    num = parse_number(m.group("num"))
    high = parse_number(m.group("high")) if m.group("high") else None
    unit = m.group("unit") or m.group("unit1")
    if m.group("unit1") and m.group("unit") and m.group("unit1") != m.group("unit"):
        return None  # `30%-40人`: two different units, not one value
    words = (m.group("pre") or "") + (m.group("post") or "")
    comp = "range" if high is not None else (comparator_of(words.replace("＞", ">").replace("＜", "<")) or "=")
    if high is not None and high < num:
        return None  # `2016-2020`-like or a malformed range
    return Value(num, comp, high, unit, s)


def is_empty_cell(cell: str) -> bool:
    return cell.strip() in EMPTY_CELLS or set(cell.strip()) <= set("—-－― ")


def is_unit_cell(cell: str) -> bool:
    s = cell.strip()
    return s in UNIT_WORDS or bool(re.fullmatch(rf"(?:{_UNIT_RX})(?:/(?:{_UNIT_RX}))*", s))


def is_attribute_cell(cell: str) -> bool:
    return cell.strip() in ATTRIBUTES


# 百分之六十; 三成 (tenths) after a verb or comparator that ends in one of these characters (达到三成以上,
# 不低于两成, 超过七成), followed by a comparator word or the end of the clause (never 建成, 一成不变)
_PCT_WORDS = re.compile(r"百分之([零〇一二两三四五六七八九十百点]+)"
                        r"|(?:(?<=达)|(?<=到)|(?<=至)|(?<=为)|(?<=在)|(?<=过)|(?<=近)|(?<=约)|(?<=占)|(?<=于)|(?<=持))"
                        rf"([一二两三四五六七八九])成(?=(?:{alt('post_words')})|[,，。;；、)）]|$)")


# a count written in Chinese numerals after a verb or comparator (达到八个, 不少于三十五张, 提高到两千张),
# followed by a unit or classifier (never a year, a duration or an ordinal: 第一个, 二〇三五年)
_COUNT_UNITS = "|".join(re.escape(u) for u in UNITS if u not in words("duration_units") and u not in ("%", "年", "岁"))
_COUNT_WORDS = re.compile(r"(?:(?<=达)|(?<=到)|(?<=至)|(?<=为)|(?<=于)|(?<=持)|(?<=过)|(?<=少)|(?<=约)|(?<=近)|(?<=在))"
                          rf"([一二两三四五六七八九十百千万]+)(?=(?:{_COUNT_UNITS}))")
_CN_YEAR = re.compile(r"(二[〇零○][〇零○一二三四五六七八九]{2})(?=年)")  # 二〇三五年 → 2035年
_CN_WORDS = re.compile(f"{_PCT_WORDS.pattern}|{_COUNT_WORDS.pattern}|{_CN_YEAR.pattern}")


def has_cn_number_words(text: str) -> bool:
    """Does the text hold a Chinese percentage or count that normalise_cn_percent_map rewrites?"""
    return bool(_CN_WORDS.search(text))


def normalise_cn_percent_map(text: str) -> tuple[str, list[int]]:
    """Chinese percentages (百分之六十 → 60%, 三成 → 30%), counts after a verb (达到八个 → 达到8个) and years
    (二〇三五年 → 2035年) written as numbers, with an offset map: origin[i] is the index in `text` of character i of
    the result (origin[len(result)] == len(text)), so a match can be quoted in the original words."""
    out: list[str] = []
    origin: list[int] = []
    last = 0
    for m in _CN_WORDS.finditer(text):
        if m.group(4):  # a year, digit by digit
            rep = "".join(str(CN_DIGITS.get(c, 0)) for c in m.group(4))
        elif m.group(3):  # a count: the numeral only, its unit stays
            value = parse_cn_number(m.group(3))
            if value is None or value < 2:  # (一个 / 一处 are read by the count patterns as written)
                continue
            rep = f"{value:g}"
        else:
            value = parse_cn_number(m.group(1)) if m.group(1) else parse_cn_number(m.group(2)) * 10
            if value is None:
                continue
            rep = f"{value:g}%"
        out.append(text[last:m.start()])
        origin += range(last, m.start())
        out.append(rep)
        origin += [m.start()] * len(rep)
        last = m.end()
    out.append(text[last:])
    origin += range(last, len(text) + 1)
    return "".join(out), origin
