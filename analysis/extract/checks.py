"""Quality checks over one document's statements: table vs prose, units, percentages, direction."""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.extract.model import Flag, RawTarget

# Largest value that can be right for a city-level count in this unit (a prefecture has at most
# ~15 million people and some thousands of organisations); above it the scale word is suspect.
PLAUSIBLE_MAX = {"万个": 10, "万家": 10, "万所": 1, "万处": 10, "万人": 3000, "万户": 1000, "万张": 50, "亿元": 10_000}
RISING = re.compile(r"(率|比例|占比|覆盖|人才|人数|数量|总量|面积|标准|网点|床位)")
_STRIP = re.compile(r"[()（）“”\"'\s]|数$|总量$|总数$|数量$")


@lru_cache(maxsize=4096)
def _key(name: str) -> str:
    return _STRIP.sub("", name)


@lru_cache(maxsize=4096)
def _bigrams(s: str) -> frozenset[str]:
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


def similar_names(a: str, b: str) -> bool:
    """Same indicator worded slightly differently (`养老机构服务基本质量达标率` / `养老机构服务质量达标率`)."""
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ba, bb = _bigrams(ka), _bigrams(kb)
    return len(ba & bb) / max(1, min(len(ba), len(bb))) >= 0.8 and abs(len(ka) - len(kb)) <= 3


def check_targets(targets: list[RawTarget]) -> list[Flag]:
    flags: list[Flag] = []
    table = [t for t in targets if t.source_kind == "table" and t.target_value is not None]
    prose = [t for t in targets if t.source_kind == "prose" and t.target_value is not None]
    for t in table:
        conflicts = [p for p in prose if p.target_year == t.target_year and p.unit == t.unit and similar_names(t.raw_name, p.raw_name)
                     and abs(p.target_value - t.target_value) > 1e-9]
        if conflicts:
            said = "; ".join(f"正文 prose “{p.raw_name}” {p.comparator} {p.target_value:g}{p.unit or ''}" for p in conflicts)
            related = [p for p in prose if p not in conflicts and p.target_year == t.target_year and t.raw_name.rstrip("数") in p.raw_name]
            also = "; ".join(f"“{p.raw_name}” {p.target_value:g}{p.unit or ''}" for p in related)
            flags.append(Flag("table_prose_conflict", "warning",
                              f"表格与正文不一致 / table and prose disagree: 表格 table “{t.raw_name}” {t.comparator} "
                              f"{t.target_value:g}{t.unit or ''}; {said}" + (f"; related: {also}" if also else ""),
                              t.start, t.end, conflicts[0].quote[:200]))
    for t in targets:
        for value in (t.target_value, t.baseline_value):
            if value is None:
                continue
            cap = PLAUSIBLE_MAX.get(t.unit or "")
            if cap is not None and value > cap:
                flags.append(Flag("suspect_unit", "warning",
                                  f"单位可疑 / unit cannot be right for its value: {t.raw_name} {value:g} {t.unit} "
                                  f"(= {value * (1e8 if t.unit == '亿元' else 1e4):,.0f}); flagged, not changed",
                                  t.start, t.end, t.raw_name))
                break
        if t.unit == "%" and any(v is not None and v > 100 for v in (t.target_value, t.baseline_value)) \
                and not re.search(r"增长|增速|增幅|提高", t.raw_name):
            flags.append(Flag("pct_over_100", "warning", f"百分比超过100 / percentage above 100: {t.raw_name}",
                              t.start, t.end, t.raw_name))
        if t.unit is None and t.source_kind == "prose" and re.search(r"(率|比例|占比)$", t.raw_name):
            flags.append(Flag("missing_unit", "warning", f"比率缺少%号 / rate stated without a unit: {t.raw_name} "
                              f"{t.target_value:g}", t.start, t.end, t.raw_name))
        if (t.baseline_value is not None and t.target_value is not None and t.target_value < t.baseline_value
                and t.comparator not in ("<=", "<") and RISING.search(t.raw_name)):
            flags.append(Flag("target_below_baseline", "warning",
                              f"目标低于基期值 / target below its baseline: {t.raw_name} {t.baseline_value:g} → {t.target_value:g}",
                              t.start, t.end, t.raw_name))
    return flags
