"""Statistical tables of historical series (`年度 | 保障人数(万人)[城市, 农村] | …`): each cell is an
observation for the row's year, named by its header path, with the unit from the header.
"""

from __future__ import annotations

import re
from collections import Counter

from analysis.extract.cells import _STOP, _lines
from analysis.extract.model import RawTarget
from analysis.extract.numbers import is_unit_cell, parse_number

YEAR_CELL = re.compile(r"^(19|20)\d\d年?$")
_UNIT_IN_LABEL = re.compile(r"[(（]([^()（）]*)[)）]")
YEAR_LABELS = ("年度", "年份", "年", "年度(年)", "时间")


def find_series_tables(text: str) -> list[RawTarget]:
    """Statistical tables: 年度 | group headers | leaf headers, then rows `year v1 v2 …`."""
    lines = _lines(text)
    out: list[RawTarget] = []
    n = len(lines)
    for i, (_pos, line) in enumerate(lines):
        if line.strip() not in YEAR_LABELS:
            continue
        tokens, k = [], i + 1
        while k < n and not YEAR_CELL.match(lines[k][1].strip()):
            s = lines[k][1].strip()
            if s:
                if len(s) > 20 or _STOP.search(s):
                    break
                tokens.append(s)
            k += 1
        if k >= n or not YEAR_CELL.match(lines[k][1].strip()) or not tokens:
            continue
        rows: list[tuple[int, list[tuple[int, int, str]]]] = []
        cur = None
        while k < n:
            s = lines[k][1].strip()
            p = lines[k][0] + len(lines[k][1]) - len(lines[k][1].lstrip())
            if YEAR_CELL.match(s):
                cur = (int(s[:4]), [(p, p + len(s), s)])
                rows.append(cur)
            elif s and parse_number(s) is not None and cur is not None:
                cur[1].append((p, p + len(s), s))
            elif s:
                break
            k += 1
        widths = Counter(len(r[1]) - 1 for r in rows)
        width = widths.most_common(1)[0][0] if widths else 0
        if width < 1 or len(rows) < 2:
            continue
        names = _series_names(tokens, width)
        title = title_before(lines, i)
        for year, cells in rows:
            if len(cells) - 1 != width:
                continue
            start, end = cells[0][0], cells[-1][1]
            for (name, unit), (_, _, v) in zip(names, cells[1:]):
                out.append(RawTarget(raw_name=name, domain=title, baseline_year=year, baseline_value=parse_number(v),
                                     unit=unit, source_kind="series", quote=text[start:end], start=start, end=end))
    return out


def title_before(lines, i: int) -> str | None:
    for k in range(i - 1, max(i - 4, -1), -1):
        s = lines[k][1].strip()
        if s:
            return s if len(s) <= 30 and ("表" in s or "统计" in s) else None
    return None


def series_label(group: str, leaf: str) -> tuple[str, str | None]:
    """A leaf column's name and unit from its header path: (`保障标准(元)`, `城市低保 (月人均)`) →
    (`城市低保保障标准(月人均)`, `元`). The unit is the bracketed unit word in the leaf or its group."""
    unit = None
    for lab in (leaf, group):
        m = next((m for m in _UNIT_IN_LABEL.finditer(lab) if is_unit_cell(m.group(1))), None)
        if m:
            unit = m.group(1)
            break
    g = re.sub(r"\s+", "", _UNIT_IN_LABEL.sub(lambda m: "" if is_unit_cell(m.group(1)) else m.group(0), group))
    leaf_base = re.sub(r"\s+", "", _UNIT_IN_LABEL.sub("", leaf))
    leaf_paren = "".join(m.group(0) for m in _UNIT_IN_LABEL.finditer(leaf) if not is_unit_cell(m.group(1)))
    if g == leaf_base or g and leaf_base[-2:] == g[-2:]:  # one-level label, or `供养总人数` under `供养人数`
        g = ""
    return re.sub(r"\s+", "", f"{leaf_base}{g}{leaf_paren}"), unit


def _series_names(tokens: list[str], width: int) -> list[tuple[str, str | None]]:
    """Leaf column names (with their group and unit) from a two-level header written one label a line."""
    merged: list[str] = []
    for t in tokens:  # re-join labels broken over lines: `城市` `(月人均)`, `供养总` `人数`
        paren = lambda x: bool(_UNIT_IN_LABEL.search(x))  # noqa: E731
        if merged and (t.startswith(("(", "（")) or len(t) <= 2 and not paren(t) and not paren(merged[-1])):
            merged[-1] += t
        else:
            merged.append(t)
    if len(merged) <= width:
        leaves, groups = merged + [""] * (width - len(merged)), []
    else:
        groups, leaves = merged[: len(merged) - width], merged[len(merged) - width:]
    owner: list[str] = []
    if groups:  # contiguous groups, evenly sized, the remainder to the last ones
        base, extra = divmod(width, len(groups))
        for g_i, g in enumerate(groups):
            owner += [g] * (base + (1 if g_i >= len(groups) - extra else 0))
    return [series_label(owner[j] if owner else "", leaf) for j, leaf in enumerate(leaves)]


def is_series_header(labels: list[str]) -> bool:
    return bool(labels) and re.sub(r"\s+", "", labels[0]) in YEAR_LABELS


def series_from_rows(header: list[list[str]], body: list[list], text: str, title: str | None) -> list[RawTarget]:
    """A series table already split into cells (pipe, markdown or HTML rendered as pipe rows).

    `header` holds one or two label rows (spans repeated); `body` rows of `Cell`s, a year first.
    """
    width = max(len(r) for r in header)
    top = header[0] + [""] * (width - len(header[0]))
    low = header[-1] + [""] * (width - len(header[-1]))
    names = [series_label(top[j] if top[j] != low[j] else "", low[j]) for j in range(1, width)]
    out: list[RawTarget] = []
    for row in body:
        if not row or not YEAR_CELL.match(row[0].text.strip()):
            continue
        year = int(row[0].text.strip()[:4])
        filled = [c for c in row if not c.blank]
        start, end = filled[0].start, filled[-1].end
        for (name, unit), cell in zip(names, row[1:]):
            v = parse_number(cell.text) if not cell.blank else None
            if v is None or not name:
                continue
            out.append(RawTarget(raw_name=name, domain=title, baseline_year=year, baseline_value=v, unit=unit,
                                 source_kind="series", quote=text[start:end], start=start, end=end))
    return out
