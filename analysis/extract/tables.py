"""Indicator tables in any layout: pipe rows, markdown, HTML (rendered to pipe rows by the cleaner),
one cell per line with a header, and statistical tables of historical series.

The header says which columns exist and in which order; each cell is then read by what it
contains (see `columns.py`), so rows with a missing unit or a blank cell still parse.
"""

from __future__ import annotations

import re

from analysis.extract.cells import _lines, find_cell_tables
from analysis.extract.columns import Cell, Table, column_of, combine_header_rows, header_columns, read_row
from analysis.extract.layout import find_aligned_tables
from analysis.extract.model import Flag, RawTarget
from analysis.extract.numbers import UNIT_WORDS, is_empty_cell, parse_cell_value
from analysis.extract.series import YEAR_CELL, find_series_tables, is_series_header, series_from_rows, title_before

_SEPARATOR = re.compile(r"^:?-{2,}:?$")


# a unit written in brackets at the end of the name cell, where the table has no unit column
_UNIT_IN_NAME = re.compile(r"^(?P<name>.{2,}?)[(（]\s*(?P<unit>[^()（）\s]{1,8})\s*[)）]$")


def row_targets(table: Table, text: str, domain_state: list[str | None]) -> tuple[list[RawTarget], list[Flag]]:
    targets: list[RawTarget] = []
    flags: list[Flag] = []
    has_unit_col = any(c.role == "unit" for c in table.columns)
    for i, cells in enumerate(table.rows, 1):
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
        written = _UNIT_IN_NAME.match(name) if unit is None else None  # `养老机构护理型床位占比（%）`: no unit column
        if written and written.group("unit") in UNIT_WORDS:
            name, unit = written.group("name"), written.group("unit")
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
        if baseline_value is not None and not any(t.quote == quote and t.start == start for t in targets):
            targets.append(RawTarget(**base, baseline_year=baseline_year, baseline_value=baseline_value))
    return targets, flags


def _split_pipe(pos: int, line: str) -> list[Cell]:
    """Cells of one pipe row; the empty cells made by a leading or trailing `|` are dropped,
    blank cells inside the row are kept (a missing unit, a blank baseline)."""
    cells, cur = [], 0
    for part in line.split("|"):
        lead = len(part) - len(part.lstrip())
        s = pos + cur + lead
        cells.append(Cell(part.strip(), s, s + len(part.strip())))
        cur += len(part) + 1
    if line.lstrip().startswith("|") and cells and cells[0].blank:
        cells = cells[1:]
    if line.rstrip().endswith("|") and cells and cells[-1].blank:
        cells.pop()
    return cells


def find_pipe_tables(text: str) -> tuple[list[Table], list[RawTarget]]:
    """Pipe and markdown tables (HTML tables arrive rendered as pipe rows): indicator tables,
    and the observations of historical-series tables."""
    lines = _lines(text)
    tables: list[Table] = []
    series: list[RawTarget] = []
    i = 0
    while i < len(lines):
        if lines[i][1].count("|") < 2:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j][1].count("|") >= 1 and lines[j][1].strip():
            j += 1
        rows = [_split_pipe(p, ln) for p, ln in lines[i:j]]
        while (k := _continued_at(lines, i, j)) is not None:  # 表1 … 续表1: the header repeated
            n_head = 0
            while k + n_head < len(lines) and i + n_head < j and _norm(lines[k + n_head][1]) == _norm(lines[i + n_head][1]):
                n_head += 1
            j = k + n_head
            while j < len(lines) and lines[j][1].count("|") >= 1 and lines[j][1].strip():
                j += 1
            rows += [_split_pipe(p, ln) for p, ln in lines[k + n_head:j]]
        rows = [r for r in rows if r and not all(_SEPARATOR.match(c.text) for c in r if not c.blank)]
        found, obs = _pipe_table(rows, text, title_before(lines, i))
        tables += found
        series += obs
        i = j
    return tables, series


_CONTINUED = re.compile(r"^\s*续表\s*[\dA-Za-z一二三四五六七八九十-]*\s*[^|]{0,20}$")


def _norm(line: str) -> str:
    return re.sub(r"[\s|]+", "", line)


def _continued_at(lines: list[tuple[int, str]], i: int, j: int) -> int | None:
    """Where a pipe table that ended at line j continues: past blank lines and a 续表 title, a
    pipe block starting with the same header row as line i."""
    k, titles = j, 0
    while k < len(lines) and (not lines[k][1].strip() or _CONTINUED.match(lines[k][1])):
        titles += bool(lines[k][1].strip())
        k += 1
    if titles != 1 or k >= len(lines) or lines[k][1].count("|") < 2:
        return None
    if _norm(lines[k][1]) == _norm(lines[i][1]):
        return k  # the header repeated
    first = _split_pipe(*lines[k])
    same_width = len(first) == len(_split_pipe(*lines[min(i + 2, j - 1)]))
    return k if same_width and header_columns([c.text for c in first]) is None else None  # rows go on


def _series_block(rows: list[list[Cell]], k: int, text: str, title: str | None) -> tuple[int, list[RawTarget]]:
    """A historical-series table starting at row k (its header's first label is 年度/年份)."""
    header = [[c.text for c in rows[k]]]
    m = k + 1
    if m < len(rows) and not YEAR_CELL.match(rows[m][0].text.strip()):
        header.append([c.text for c in rows[m]])  # a second header row (leaves under groups)
        m += 1
    body = []
    while m < len(rows) and YEAR_CELL.match(rows[m][0].text.strip()):
        body.append(rows[m])
        m += 1
    return m, series_from_rows(header, body, text, title)


def _pipe_table(rows: list[list[Cell]], text: str, title: str | None) -> tuple[list[Table], list[RawTarget]]:
    out: list[Table] = []
    series: list[RawTarget] = []
    k = 0
    while k < len(rows):
        labels = [c.text for c in rows[k]]
        if is_series_header(labels):
            k, obs = _series_block(rows, k, text, title)
            series += obs
            continue
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
    return out, series


def extract_tables(text: str) -> tuple[list[RawTarget], list[Flag], list[tuple[int, int]]]:
    """All table targets of a document, the flags raised on the way, and the table spans."""
    targets: list[RawTarget] = []
    flags: list[Flag] = []
    pipe, series = find_pipe_tables(text)
    spans = [(t.start, t.end) for t in pipe] + [(s.start, s.end) for s in series]
    aligned = find_aligned_tables(text, spans)
    spans += [(t.start, t.end) for t in aligned]
    cells = find_cell_tables(text, spans) + aligned
    for table in sorted(pipe + cells, key=lambda t: t.start):
        got, fl = row_targets(table, text, [None])
        targets += got
        flags += fl
    series += find_series_tables(text)
    spans = [(t.start, t.end) for t in pipe + cells] + [(s.start, s.end) for s in series]
    return sorted(targets + series, key=lambda t: (t.start, t.source_kind)), flags, spans
