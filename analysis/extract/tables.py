"""Indicator tables in any layout: pipe rows, markdown, HTML (rendered to pipe rows by the cleaner),
one cell per line with a header, and statistical tables of historical series.

The header says which columns exist and in which order; each cell is then read by what it
contains (a row number, a unit, a value or `——`, an attribute word, a qualitative phrase, a
name), never by position alone, so rows with a missing unit or a blank cell still parse.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from analysis.extract.model import Flag, RawTarget
from analysis.extract.numbers import (is_attribute_cell, is_empty_cell, is_unit_cell, parse_cell_value, parse_number)

YEAR = re.compile(r"(20\d\d|19\d\d)")
_QUALITATIVE = re.compile(r"^(不低于|不高于|不少于|不超过|高于|低于|同步|逐步|稳步|持续|保持|实现|达到|基本|全面|与)|相适应|全覆盖|同步")
_SEPARATOR = re.compile(r"^:?-{2,}:?$")


@dataclass
class Cell:
    text: str
    start: int
    end: int

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Column:
    role: str  # seq | domain | name | unit | baseline | target | attribute | note | other
    label: str
    year: int | None = None


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    start: int = 0
    end: int = 0
    layout: str = "pipe"


def column_of(label: str) -> Column:
    s = re.sub(r"\s+", "", label)
    year = YEAR.search(s)
    y = int(year.group(1)) if year else None
    if not s:
        return Column("other", label)
    if "序号" in s or s in ("编号", "No.", "#"):
        return Column("seq", label)
    if "属性" in s or "性质" in s or s in ("约束性/预期性",):
        return Column("attribute", label)
    if "单位" in s and not y:
        return Column("unit", label)
    if "领域" in s or "类别" in s or "分类" in s or s == "类型":
        return Column("domain", label)
    if "备注" in s or "说明" in s or "来源" in s:
        return Column("note", label)
    if y is not None:
        if any(w in s for w in ("基期", "基数", "现状", "实际", "完成")) or y <= 2020:
            return Column("baseline", label, y)
        return Column("target", label, y)
    if "目标" in s or "规划值" in s or "预期值" in s:
        return Column("target", label, 2025)
    if any(w in s for w in ("基期", "基数", "现状值", "基准")):
        return Column("baseline", label, 2020)
    if "指标" in s or "名称" in s or "项目" in s:
        return Column("name", label)
    return Column("other", label)


def header_columns(labels: list[str]) -> list[Column] | None:
    """Columns of a header, or None if the labels do not read as an indicator-table header.

    Labels split over two lines (`指标` / `属性`) are joined when together they name a column.
    """
    merged: list[str] = []
    i = 0
    while i < len(labels):
        lab = labels[i]
        if i + 1 < len(labels):
            joined = lab + labels[i + 1]
            if column_of(lab).role in ("name", "other") and column_of(joined).role not in ("name", "other") \
                    and any(column_of(m).role == "name" for m in merged):
                merged.append(joined)
                i += 2
                continue
        merged.append(lab)
        i += 1
    cols = [column_of(m) for m in merged]
    roles = {c.role for c in cols}
    if "name" not in roles or not (roles & {"target", "baseline"}) or len(roles - {"other"}) < 3:
        return None
    return cols


def combine_header_rows(rows: list[list[str]]) -> list[str]:
    """Two-row headers (after rowspan/colspan expansion): parent + child label per column."""
    out = []
    for parts in zip(*rows):
        labels = []
        for p in parts:
            if p and p not in labels:
                labels.append(p)
        out.append("".join(labels))
    return out


# ---------------------------------------------------------------- reading a row by content

def cell_kind(cell: Cell, expect_seq: int | None) -> str:
    s = cell.text.strip()
    if cell.blank or is_empty_cell(s):
        return "value"
    if expect_seq is not None and re.fullmatch(r"\d{1,3}", s) and int(s) == expect_seq:
        return "seq"
    if is_attribute_cell(s):
        return "attribute"
    if is_unit_cell(s):
        return "unit"
    if parse_cell_value(s) is not None:
        return "value"
    if _QUALITATIVE.search(s):
        return "qualitative"
    return "text"


def read_row_positional(cells: list[Cell], columns: list[Column]) -> dict[str, object] | None:
    """A row with exactly one cell per column: take positions, if every cell fits its column."""
    if len(cells) != len(columns):
        return None
    out: dict[str, object] = {"values": [], "texts": [], "cells": cells, "assigned": []}
    for col, cell in zip(columns, cells):
        s = cell.text.strip()
        if col.role == "unit":
            if not (cell.blank or is_empty_cell(s) or is_unit_cell(s)):
                return None
            if not cell.blank and not is_empty_cell(s):
                out["unit"] = cell
        elif col.role == "attribute":
            if not (cell.blank or is_attribute_cell(s)):
                return None
            if not cell.blank:
                out["attribute"] = cell
        elif col.role in ("name", "domain"):
            if cell.blank or is_unit_cell(s) or is_attribute_cell(s) or parse_cell_value(s) is not None:
                return None if col.role == "name" else out.setdefault("_skip", None)
            out[col.role] = cell
        elif col.role in ("baseline", "target"):
            if is_unit_cell(s) or is_attribute_cell(s):
                return None
            out["assigned"].append((col, cell))
        elif col.role == "note" and not cell.blank:
            out["note"] = cell
    out.pop("_skip", None)
    return out if "name" in out else None


def read_row(cells: list[Cell], columns: list[Column], seq: int | None) -> dict[str, object]:
    """Assign a row's cells to the header's columns by what each cell contains."""
    positional = read_row_positional(cells, columns)
    if positional is not None:
        return positional
    roles = [c.role for c in columns]
    value_cols = [c for c in columns if c.role in ("baseline", "target")]
    out: dict[str, object] = {"values": [], "texts": [], "cells": cells}
    expect = seq if "seq" in roles else None
    for cell in cells:
        kind = cell_kind(cell, expect)
        if kind == "seq" and "seq" in out:
            kind = "value"  # the row number again: a value equal to it
        if kind == "seq":
            out["seq"] = cell
        elif kind == "attribute":
            out["attribute"] = cell
        elif kind == "unit" and "unit" not in out:
            out["unit"] = cell
        elif kind in ("value", "qualitative") and (out["texts"] or kind == "value" and "unit" in out):
            out["values"].append(cell)
        elif kind in ("value", "qualitative") and not out["texts"]:
            out["texts"].append(cell)  # a name that looks like a value: keep as text
        elif kind == "text" and (out["values"] or "unit" in out):
            if "note" in roles and "note" not in out:
                out["note"] = cell
            elif value_cols:
                out["values"].append(cell)  # unexpected words in a value position: qualitative target
        else:
            out["texts"].append(cell)
    texts = out["texts"]
    if texts:
        if "domain" in roles and len(texts) >= 2:
            out["domain"], out["name"] = texts[0], texts[1]
        else:
            out["name"] = texts[-1] if "domain" in roles and len(texts) >= 2 else texts[0]
    values: list[Cell] = out["values"]
    n = len(value_cols)
    if len(values) > n:
        out["extra"] = values[n:]
        values = values[:n]
    # fewer values than columns: the target is what a plan table always states, so right-align
    out["assigned"] = list(zip(value_cols[n - len(values):], values)) if values else []
    return out


def row_targets(table: Table, text: str, domain_state: list[str | None]) -> tuple[list[RawTarget], list[Flag]]:
    targets: list[RawTarget] = []
    flags: list[Flag] = []
    has_unit_col = any(c.role == "unit" for c in table.columns)
    for i, cells in enumerate(table.rows, 1):
        cells = [c for c in cells]
        if not any(not c.blank for c in cells):
            continue
        r = read_row(cells, table.columns, i)
        if "name" not in r:
            continue
        if "domain" in r:
            domain_state[0] = r["domain"].text.strip()
        name = re.sub(r"\s+", "", r["name"].text)
        nonblank = [c for c in cells if not c.blank]
        start, end = nonblank[0].start, nonblank[-1].end
        quote = text[start:end]
        unit = r["unit"].text.strip() if "unit" in r else None
        attribute = r["attribute"].text.strip() if "attribute" in r else None
        if "extra" in r:
            flags.append(Flag("ragged_table", "warning", f"表格行多出单元格 / extra cells in table row: {name}", start, end,
                              " | ".join(c.text for c in r["extra"])))
        if has_unit_col and unit is None:
            flags.append(Flag("missing_unit", "warning", f"指标缺少单位 / table row has no unit: {name}", start, end, name))
        base = {"raw_name": name, "domain": domain_state[0], "unit": unit, "attribute": attribute,
                "source_kind": "table", "quote": quote, "start": start, "end": end}
        baseline_year = baseline_value = None
        for col, cell in r["assigned"]:
            if col.role == "baseline":
                v = parse_cell_value(cell.text)
                if v is not None:
                    baseline_year, baseline_value = col.year, v.value
        for col, cell in r["assigned"]:
            if col.role != "target":
                continue
            t = RawTarget(**base, baseline_year=baseline_year, baseline_value=baseline_value,
                          target_year=col.year or 2025)
            s = cell.text.strip()
            v = parse_cell_value(s)
            if v is not None:
                t.target_value, t.comparator, t.target_value_high = v.value, v.comparator, v.high
                t.target_text = s
                if unit is None and v.unit:
                    t.unit = v.unit
            elif cell.blank or is_empty_cell(s):
                continue  # no target stated for this year
            else:
                t.comparator, t.target_text = "qualitative", s
            targets.append(t)
        if not any(c.role == "target" for c, _ in r["assigned"]) and baseline_value is not None:
            targets.append(RawTarget(**base, baseline_year=baseline_year, baseline_value=baseline_value))
    return targets, flags


# ---------------------------------------------------------------- finding tables

def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _split_pipe(pos: int, line: str) -> list[Cell]:
    cells, cur = [], 0
    parts = line.split("|")
    for k, part in enumerate(parts):
        lead = len(part) - len(part.lstrip())
        s = pos + cur + lead
        cells.append(Cell(part.strip(), s, s + len(part.strip())))
        cur += len(part) + 1
    if line.lstrip().startswith("|") and cells and cells[0].blank:
        cells = cells[1:]
    while cells and cells[-1].blank:
        cells.pop()
    return cells


def find_pipe_tables(text: str) -> list[Table]:
    lines = _lines(text)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if lines[i][1].count("|") < 2:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j][1].count("|") >= 1 and lines[j][1].strip():
            j += 1
        rows = [_split_pipe(p, ln) for p, ln in lines[i:j]]
        rows = [r for r in rows if r and not all(_SEPARATOR.match(c.text) for c in r if not c.blank)]
        tables.extend(_pipe_table(rows))
        i = j
    return tables


def _pipe_table(rows: list[list[Cell]]) -> list[Table]:
    out: list[Table] = []
    k = 0
    while k < len(rows):
        labels = [c.text for c in rows[k]]
        cols = header_columns(labels)
        used = 1
        if cols is None and k + 1 < len(rows) and len(rows[k + 1]) == len(rows[k]):
            cols = header_columns(combine_header_rows([labels, [c.text for c in rows[k + 1]]]))
            used = 2
        if cols is None:
            k += 1
            continue
        if used == 1 and k + 1 < len(rows) and len(rows[k + 1]) == len(rows[k]):
            both = header_columns(combine_header_rows([labels, [c.text for c in rows[k + 1]]]))
            second = [column_of(c.text).role for c in rows[k + 1]]
            if both and sum(r != "other" for r in second) >= len(second) - 1 and all(
                    not re.fullmatch(r"\d+", c.text) for c in rows[k + 1][:1]):
                cols, used = both, 2
        body: list[list[Cell]] = []
        m = k + used
        while m < len(rows) and header_columns([c.text for c in rows[m]]) is None:
            row = rows[m]
            prev = body[-1] if body else None
            # a row split across lines: a short row, continued by a line that does not start a new row
            if (prev is not None and len(prev) < len(cols) and not re.fullmatch(r"\d{1,3}", row[0].text)
                    and len(prev) + len(row) - 1 == len(cols)):
                joined = Cell(prev[-1].text + row[0].text, prev[-1].start, row[0].end)
                body[-1] = prev[:-1] + [joined] + row[1:]
            else:
                body.append(row)
            m += 1
        if body:
            out.append(Table(cols, body, body[0][0].start, body[-1][-1].end, "pipe"))
        k = m
    return out


_HEADERISH = re.compile(r"序号|编号|领域|类别|指标|名称|项目")  # a cell-per-line header starts with one of these
_STOP = re.compile(r"[。;；]|^第[一二三四五六七八九十]+[章节]|^[一二三四五六七八九十]+、|^[(（][一二三四五六七八九十]+[)）]")


def find_cell_tables(text: str, skip: list[tuple[int, int]]) -> list[Table]:
    """One cell per line, with a header; blank cells are read from the spacing of empty lines."""
    lines = _lines(text)
    tables: list[Table] = []
    i = 0
    n = len(lines)
    while i < n:
        pos, line = lines[i]
        if not line.strip() or len(line) > 20 or not _HEADERISH.search(line) or any(a <= pos < b for a, b in skip):
            i += 1
            continue
        labels, idx, j = [], [], i
        while j < n and len(labels) < 14:
            s = lines[j][1].strip()
            if s:
                continuation = (len(s) <= 3 and not re.search(r"\d", s) and labels
                                and column_of(labels[-1] + s).role != "other")
                if len(s) > 12 or column_of(s).role == "other" and not continuation:
                    break
                labels.append(s)
                idx.append(j)
            j += 1
        cols = header_columns(labels) if len(labels) >= 3 else None
        if cols is None:
            i += 1
            continue
        # the body: short lines up to the first sentence or heading
        body_lines = []
        k = idx[-1] + 1
        while k < n:
            s = lines[k][1].strip()
            if s and (len(s) > 60 or _STOP.search(s)):
                break
            body_lines.append(lines[k])
            k += 1
        while body_lines and not body_lines[-1][1].strip():
            body_lines.pop()
        cells = _cells_with_blanks(body_lines)
        rows = _segment_rows(cells, cols)
        if rows:
            tables.append(Table(cols, rows, rows[0][0].start, rows[-1][-1].end, "cells"))
        i = k
    return tables


def _cells_with_blanks(body: list[tuple[int, str]]) -> list[Cell]:
    """Non-empty lines are cells; a gap of empty lines wider than the usual separator is a blank cell."""
    filled = [(k, p, ln) for k, (p, ln) in enumerate(body) if ln.strip()]
    gaps = [b[0] - a[0] - 1 for a, b in zip(filled, filled[1:])]
    sep = Counter(gaps).most_common(1)[0][0] if gaps else 0
    cells: list[Cell] = []
    for idx, (k, p, ln) in enumerate(filled):
        if idx:
            g = gaps[idx - 1]
            for _ in range(max(0, (g - sep) // (sep + 1))):
                cells.append(Cell("", p, p))
        lead = len(ln) - len(ln.lstrip())
        cells.append(Cell(ln.strip(), p + lead, p + lead + len(ln.strip())))
    return cells


def _segment_rows(cells: list[Cell], cols: list[Column]) -> list[list[Cell]]:
    roles = [c.role for c in cols]
    rows: list[list[Cell]] = []
    cur: list[Cell] = []
    ends_with_attribute = roles[-1] == "attribute" or roles[-2:] == ["attribute", "note"]
    seq = 1
    for cell in cells:
        s = cell.text.strip()
        starts = "seq" in roles and re.fullmatch(r"\d{1,3}", s) and int(s) == seq and (not cur or len(cur) >= 2)
        if starts and cur:
            rows.append(cur)
            cur = []
        if starts:
            seq += 1
        cur.append(cell)
        if ends_with_attribute and is_attribute_cell(s) and "seq" not in roles:
            rows.append(cur)
            cur = []
    if cur:
        rows.append(cur)
    if "seq" in roles and ends_with_attribute:  # drop trailing cells after the last attribute (a footnote)
        rows = [r for r in rows if any(is_attribute_cell(c.text) for c in r) or len(r) >= 3]
    return [r for r in rows if any(not c.blank for c in r)]


# ---------------------------------------------------------------- historical series

_YEAR_CELL = re.compile(r"^(19|20)\d\d年?$")
_UNIT_IN_LABEL = re.compile(r"[(（]([^()（）]*)[)）]")


def find_series_tables(text: str) -> list[RawTarget]:
    """Statistical tables: 年度 | group headers | leaf headers, then rows `year v1 v2 …`."""
    lines = _lines(text)
    out: list[RawTarget] = []
    n = len(lines)
    for i, (pos, line) in enumerate(lines):
        if line.strip() not in ("年度", "年份", "年"):
            continue
        tokens, k = [], i + 1
        while k < n and not _YEAR_CELL.match(lines[k][1].strip()):
            s = lines[k][1].strip()
            if s:
                if len(s) > 20 or _STOP.search(s):
                    break
                tokens.append(s)
            k += 1
        if k >= n or not _YEAR_CELL.match(lines[k][1].strip()) or not tokens:
            continue
        rows: list[tuple[int, list[tuple[int, int, str]]]] = []
        cur = None
        while k < n:
            s = lines[k][1].strip()
            p = lines[k][0] + len(lines[k][1]) - len(lines[k][1].lstrip())
            if _YEAR_CELL.match(s):
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
        title = _title_before(lines, i)
        for year, cells in rows:
            if len(cells) - 1 != width:
                continue
            start, end = cells[0][0], cells[-1][1]
            for (name, unit), (_, _, v) in zip(names, cells[1:]):
                out.append(RawTarget(raw_name=name, domain=title, baseline_year=year, baseline_value=parse_number(v),
                                     unit=unit, source_kind="series", quote=text[start:end], start=start, end=end))
    return out


def _title_before(lines, i: int) -> str | None:
    for k in range(i - 1, max(i - 4, -1), -1):
        s = lines[k][1].strip()
        if s:
            return s if len(s) <= 30 and ("表" in s or "统计" in s) else None
    return None


def _series_names(tokens: list[str], width: int) -> list[tuple[str, str | None]]:
    """Leaf column names (with their group and unit) from a two-level header."""
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
    out = []
    for j, leaf in enumerate(leaves):
        group = owner[j] if owner else ""
        unit = None
        for lab in (leaf, group):
            m = _UNIT_IN_LABEL.search(lab)
            if m and is_unit_cell(m.group(1)):
                unit = m.group(1)
                break
        g = _UNIT_IN_LABEL.sub(lambda m: "" if is_unit_cell(m.group(1)) else m.group(0), group)
        leaf_base = re.sub(r"\s+", "", _UNIT_IN_LABEL.sub("", leaf))
        leaf_paren = "".join(m.group(0) for m in _UNIT_IN_LABEL.finditer(leaf) if not is_unit_cell(m.group(1)))
        g = re.sub(r"\s+", "", g)
        if g and leaf_base[-2:] == g[-2:]:  # `供养总人数` under `供养人数`: the leaf says it all
            g = ""
        out.append((re.sub(r"\s+", "", f"{leaf_base}{g}{leaf_paren}"), unit))
    return out


def extract_tables(text: str) -> tuple[list[RawTarget], list[Flag], list[tuple[int, int]]]:
    """All table targets of a document, the flags raised on the way, and the table spans."""
    targets: list[RawTarget] = []
    flags: list[Flag] = []
    pipe = find_pipe_tables(text)
    spans = [(t.start, t.end) for t in pipe]
    cells = find_cell_tables(text, spans)
    for table in sorted(pipe + cells, key=lambda t: t.start):
        got, fl = row_targets(table, text, [None])
        targets += got
        flags += fl
    series = find_series_tables(text)
    spans = [(t.start, t.end) for t in pipe + cells] + [(s.start, s.end) for s in series]
    return sorted(targets + series, key=lambda t: (t.start, t.source_kind)), flags, spans
