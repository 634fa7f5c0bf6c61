"""Tables written one cell per line (plans converted from PDF or Word): a header naming the
columns, then each row's cells on their own lines; a blank cell is a wider gap (or a line
holding only a no-break space, which the cleaner leaves empty).
"""

from __future__ import annotations

import re
from collections import Counter

from analysis.extract.columns import Cell, Column, Table, column_of, header_columns
from analysis.extract.numbers import is_attribute_cell


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
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
        first = line.strip()
        if (not first or len(first) > 10 or re.search(r"\s|表", first) or not _HEADERISH.search(first)
                or column_of(first).role == "other" or any(a <= pos < b for a, b in skip)):
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
    for idx, (_k, p, ln) in enumerate(filled):
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
    after_attribute = False  # the last cell was the row's last column: the next cell starts a row
    for cell in cells:
        s = cell.text.strip()
        number = int(s) if re.fullmatch(r"\d{1,3}", s) else None
        # a serial starts a row; after a row's attribute a serial may skip one (a row printed without
        # its number), and a row without a serial starts there too
        starts = ("seq" in roles and number is not None and (not cur or len(cur) >= 2)
                  and (number == seq or after_attribute and seq < number <= seq + 2))
        if starts and cur or after_attribute and cur and roles[-1] == "attribute":
            rows.append(cur)
            cur = []
        if starts:
            seq = number + 1
        elif after_attribute and "seq" in roles and roles[-1] == "attribute":
            seq += 1  # the row that starts here has no serial: it takes one
        after_attribute = bool(s) and ends_with_attribute and is_attribute_cell(s)
        cur.append(cell)
        if ends_with_attribute and is_attribute_cell(s) and "seq" not in roles:
            rows.append(cur)
            cur = []
    if cur:
        rows.append(cur)
    if "seq" in roles and ends_with_attribute:  # drop trailing cells after the last attribute (a footnote)
        rows = [r for r in rows if any(is_attribute_cell(c.text) for c in r) or len(r) >= 3]
    return [r for r in rows if any(not c.blank for c in r)]
