"""The shared grader's matching rules, reimplemented for the fixture tests (tests/test_unseen_fixtures.py).

A gold row is found when an export row of the same document has the same target value (or the value as
written: 1.2 万人 exported as 12000 人), a compatible year (a table row or a prose row whose quote names its
year needs that year; other prose rows accept any), and a name that overlaps (containment either way,
the gold name inside the export quote, or, on a second pass, a shared run of six characters).
Qualitative gold rows need a qualitative (or valueless) export row; a baseline-only gold row needs the
same baseline year and value and one shared bigram of the name; a gold range written as two rows
(>= lo, <= hi) is answered by one export row with comparator `range`. One export row answers one gold
row (a range row: its two bounds). Prose precision: the numeric prose rows (target year before 2030)
that answer a gold row.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

KEY_GROUPS = ("nursing_bed_share", "dibao_growth", "burial_facility_coverage")
_PUNCT = re.compile(r"[\s()（）\[\]【】“”\"'《》「」『』、,，.。:：;；%％·\-—_]+")
_SCALE = {"万": 1e4, "亿": 1e8}


def norm(s: str | None) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", s or ""))


def num(s) -> float | None:
    s = ("" if s is None else str(s)).strip().replace(",", "")
    try:
        return float(s) if s else None
    except ValueError:
        return None


def _values(row: dict, key: str = "target_value") -> set[float]:
    out = set()
    v = num(row.get(key))
    if v is not None:
        out.add(v)
        ur, u = (row.get("unit_raw") or "").strip(), (row.get("unit") or "").strip()
        out |= {v / f for w, f in _SCALE.items() if ur.startswith(w) and not u.startswith(w)}
    raw = num(row.get(key + "_raw"))
    if raw is not None:
        out.add(raw)
    return out


def _close(v, vals) -> bool:
    return v is not None and any(abs(v - x) <= 1e-6 * max(1.0, abs(v)) for x in vals)


def _overlap(gold_name: str, row: dict, loose: bool) -> bool:
    g, r, q = norm(gold_name), norm(row.get("raw_name")) or norm(row.get("indicator_zh")), norm(row.get("quote"))
    if not g:
        return False
    if r and (g in r or r in g) or q and g in q:
        return True
    return loose and bool(r) and len(g) >= 6 and any(g[k:k + 6] in r for k in range(len(g) - 5))


def _year(row: dict) -> str:
    return (row.get("target_year") or "").strip().split(".")[0]


def _match(g: dict, cands: list[dict], uses: dict, loose: bool) -> dict | None:
    gv, gy = num(g["target_value"]), (g["target_year"] or "").strip()
    baseline_only = gv is None and g["comparator"] != "qualitative"
    explicit = bool(gy) and gy in unicodedata.normalize("NFKC", g.get("quote") or "")
    best, best_score = None, -1
    for r in cands:
        is_range = (r.get("comparator") or "").strip() == "range" and num(r.get("target_value_high")) is not None
        if uses[id(r)] >= (2 if is_range else 1):
            continue
        if baseline_only:
            rby = (r.get("baseline_year") or "").strip().split(".")[0]
            if rby != (g["baseline_year"] or "").strip() or not _close(num(g["baseline_value"]), _values(r, "baseline_value")):
                continue
            gn, rn = norm(g["raw_name"]), norm(r.get("raw_name")) + norm(r.get("indicator_zh"))
            if not any(gn[k:k + 2] in rn for k in range(len(gn) - 1)):
                continue
        elif not _overlap(g["raw_name"], r, loose):
            continue
        elif g["comparator"] == "qualitative" or gv is None:
            if (r.get("comparator") or "").strip() != "qualitative" and num(r.get("target_value")) is not None:
                continue
        else:
            vals = _values(r) | (_values(r, "target_value_high") if is_range else set())
            if not _close(gv, vals):
                continue
            ry = _year(r)
            if gy and ry and ry != gy and (g["source"] == "table" or explicit):
                continue
        score = (2 if gy and _year(r) == gy else 0) + (norm(r.get("raw_name")) == norm(g["raw_name"]))
        score += _close(num(g.get("baseline_value")), _values(r, "baseline_value"))
        score += (r.get("source_kind") or "").strip() == g["source"]
        if score > best_score:
            best, best_score = r, score
    return best


def grade(export: list[dict], gold: list[dict]) -> dict:
    """Recall (all, key groups), prose and table precision, key rows on one id, and what was missed or
    stray, for one document's export rows against its gold rows (the gold lists every numeric target)."""
    uses: dict[int, int] = defaultdict(int)
    found: dict[int, dict | None] = {}
    for loose in (False, True):
        for i, g in enumerate(gold):
            if found.get(i) is None:
                found[i] = hit = _match(g, export, uses, loose)
                if hit is not None:
                    uses[id(hit)] += 1
    matched = {id(h) for h in found.values() if h is not None}
    prose = [r for r in export if (r.get("source_kind") or "") == "prose" and num(r.get("target_value")) is not None
             and (num(r.get("target_year")) or 0) < 2030]
    table = [r for r in export if (r.get("source_kind") or "") == "table"]
    key = [(g, found[i]) for i, g in enumerate(gold) if g["group"] in KEY_GROUPS]
    key_ids = defaultdict(set)
    for g, h in key:
        if h is not None:
            key_ids[g["group"]].add(h.get("indicator_id") or "")
    return {
        "recall": (sum(h is not None for h in found.values()), len(gold)),
        "key": (sum(h is not None for _, h in key), len(key)),
        "key_on_id": all(ids == {g} for g, ids in key_ids.items()) and len(key_ids) == len({g["group"] for g, _ in key}),
        "key_ids": {g: sorted(ids) for g, ids in key_ids.items()},
        "prose_precision": (sum(id(r) in matched for r in prose), len(prose)),
        "table_precision": (sum(id(r) in matched for r in table), len(table)),
        "missing": [(g["raw_name"], g["target_year"], g["comparator"], g["target_value"] or g["baseline_value"])
                    for i, g in enumerate(gold) if found[i] is None],
        "stray": [(r.get("raw_name"), r.get("target_year"), r.get("comparator"), r.get("target_value"))
                  for r in prose + table if id(r) not in matched],
    }
