"""Table structure shared by every layout: cells with offsets, columns named by a header, and
reading one row's cells by what each contains (a row number, a unit, a value or `——`, an
attribute word, a qualitative phrase, a name), never by position alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.extract.numbers import is_attribute_cell, is_empty_cell, is_unit_cell, parse_cell_value
from analysis.extract.vocabulary import alt

YEAR = re.compile(r"(20\d\d|19\d\d)")
_QUALITATIVE = re.compile(rf"^(?:{alt('qualitative_cell_starts')})|{alt('qualitative_cell_words')}")



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
    if "属性" in s or "性质" in s or s in ("约束性/预期性", "指标类型", "类型(约束性/预期性)"):
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
    if re.search(r"十三五", s):  # `“十三五”末`, `“十三五”期末值`
        return Column("baseline", label, 2020)
    if "目标" in s or "规划值" in s or "预期值" in s or re.search(r"十四五", s):
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
                if col.role == "name":
                    return None
                continue  # a blank 领域 cell (merged with the row above): the domain carries on
            out[col.role] = cell
        elif col.role in ("baseline", "target"):
            if is_unit_cell(s) or is_attribute_cell(s):
                return None
            out["assigned"].append((col, cell))
        elif col.role == "note" and not cell.blank:
            out["note"] = cell
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
    # fewer values than columns (a cell missing, not blank): the target is what a plan table always
    # states, so the values go to the main target column first, then other targets, then baselines
    if values and len(values) < n:
        main = max((c.year or 0 for c in value_cols if c.role == "target"), default=0)
        rank = sorted(range(n), key=lambda j: (value_cols[j].role != "target", (value_cols[j].year or 0) != main, j))
        value_cols = [value_cols[j] for j in sorted(rank[:len(values)])]
    out["assigned"] = list(zip(value_cols, values)) if values else []
    return out
