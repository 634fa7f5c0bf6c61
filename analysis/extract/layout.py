"""Space-aligned column tables (text exported from a PDF with its layout, `pdftotext -layout`).

The cleaner keeps the spacing of such blocks (runs of two or more spaces between cells; every
other line has its spaces collapsed). Here:

1. a block's lines are cut into chunks at gaps of two or more spaces;
2. the columns are the intervals the chunks of the fullest data rows occupy (display columns, a
   CJK character counting two; character columns when that does not line up);
3. every chunk goes to the column it overlaps (or the nearest one);
4. header lines (up to three above the first data row) are merged column by column;
5. lines that start no row (a wrapped name, a wrapped qualitative target, empty in the other
   columns) are attached to the row above; a row number starts a row when the table has 序号;
6. a header repeated under 续表 (in the same block or the next) continues the same table.

Rows come out as `columns.Table` with one `Cell` per column, read by the same row reader as pipe
tables (`tables.row_targets`).
"""

from __future__ import annotations

import re
import unicodedata

from analysis.extract.columns import Cell, Table, header_columns
from analysis.extract.numbers import is_attribute_cell, is_empty_cell, parse_cell_value

_CHUNK = re.compile(r"\S+(?: \S+)*")
_GAP = re.compile(r"\S {2,}\S")
_YEAR_LABEL = re.compile(r"^[(（]?(19|20)\d\d年?[)）]?")
_CONTINUED = re.compile(r"^\s*(续表|表\s*\d|附表)")
_SEQ = re.compile(r"^\d{1,3}$")


def _wide(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


class _Line:
    """One line of a block: its chunks as (text, char start, char end, display start, display end)."""

    def __init__(self, text: str, pos: int):
        self.pos, self.text = pos, text
        disp, acc = [], 0
        for c in text:
            disp.append(acc)
            acc += _wide(c)
        disp.append(acc)
        self.chunks = [(m.group(0), pos + m.start(), pos + m.end(), disp[m.start()], disp[m.end()])
                       for m in _CHUNK.finditer(text)]

    @property
    def is_data(self) -> bool:
        return any(_is_value(c[0]) for c in self.chunks)

    def key(self) -> str:
        return re.sub(r"\s+", "", self.text)


def _is_value(s: str) -> bool:
    if _YEAR_LABEL.match(s):
        return False
    return is_attribute_cell(s) or is_empty_cell(s) or parse_cell_value(s) is not None


def _blocks(text: str, skip: list[tuple[int, int]]) -> list[list[_Line]]:
    """Runs of lines with column gaps; indented one-chunk lines and single blank lines inside."""
    lines, pos = [], 0
    for t in text.split("\n"):
        lines.append((pos, t))
        pos += len(t) + 1
    aligned = [bool(_GAP.search(t.strip())) and "|" not in t for _, t in lines]
    out, i = [], 0
    while i < len(lines):
        if not aligned[i] or any(a <= lines[i][0] < b for a, b in skip):
            i += 1
            continue
        j, last = i, i
        while j < len(lines):
            t = lines[j][1]
            if aligned[j]:
                last = j
            elif not t.strip():
                if not (j + 1 < len(lines) and aligned[j + 1]):
                    break
            elif not (len(t) - len(t.lstrip()) >= 2 and len(t.strip()) <= 30):
                break
            j += 1
        block = [_Line(t, p) for p, t in lines[i:last + 1] if t.strip()]
        if sum(len(b.chunks) >= 3 for b in block) >= 2:
            out.append(block)
        i = last + 1
    return out


def _intervals(rows: list[_Line], display: bool) -> list[tuple[int, int]] | None:
    """Column k = the median span of the k-th chunk of the fullest rows (a row shifted by wide
    characters does not move the columns); None when the columns do not come out in order."""
    n = max(len(r.chunks) for r in rows)
    full = [r for r in rows if len(r.chunks) == n]
    a, b = (3, 4) if display else (1, 2)
    cols = []
    for k in range(n):
        starts = sorted(r.chunks[k][a] - (0 if display else r.pos) for r in full)
        ends = sorted(r.chunks[k][b] - (0 if display else r.pos) for r in full)
        cols.append((starts[len(starts) // 2], ends[len(ends) // 2]))
    if any(cols[k][1] > cols[k + 1][0] or cols[k][0] >= cols[k][1] for k in range(n - 1)):
        return None
    return cols


def _assign(line: _Line, cols: list[tuple[int, int]], display: bool) -> dict[int, list[tuple[str, int, int]]]:
    a, b = (3, 4) if display else (1, 2)
    base = 0 if display else line.pos
    out: dict[int, list[tuple[str, int, int]]] = {}
    if len(line.chunks) == len(cols):  # one chunk per column: by order
        return {k: [(ch[0], ch[1], ch[2])] for k, ch in enumerate(line.chunks)}
    for ch in line.chunks:
        s, e = ch[a], ch[b]
        if not display:
            s, e = s - base, e - base
        overlaps = [(min(e, ce) - max(s, cs), k) for k, (cs, ce) in enumerate(cols)]
        best = max(overlaps)
        if best[0] <= 0:
            best = min(((cs - e if e <= cs else s - ce), k) for k, (cs, ce) in enumerate(cols))
            best = (0, best[1])
        out.setdefault(best[1], []).append((ch[0], ch[1], ch[2]))
    return out


def _join(parts: list[tuple[str, int, int]]) -> Cell:
    text = ""
    for t, _, _ in parts:
        if text and not (_wide(text[-1]) == 2 or _wide(t[0]) == 2):
            text += " "
        text += t
    return Cell(text, parts[0][1], parts[-1][2])


def _parse_block(block: list[_Line], text: str):
    """(columns, header key, rows of cells) of one block, or None."""
    data_idx = [i for i, ln in enumerate(block) if ln.is_data]
    if len(data_idx) < 2:
        return None
    first = data_idx[0]
    data_rows = [block[i] for i in data_idx if len(block[i].chunks) >= 3]
    for display in (True, False):
        cols = _intervals(data_rows, display)
        if cols is None:
            continue
        header = _header(block, first, cols, display)
        if header is None:
            continue
        columns, h_lines = header
        keys = {block[i].key() for i in h_lines}
        rows = _rows(block[first:], columns, cols, display, keys)
        if rows:
            return columns, tuple(sorted(keys)), rows
    return None


def _header(block: list[_Line], first: int, cols, display: bool):
    """Header lines just above the first data row (one to three), merged column by column."""
    for k in (1, 2, 3):
        idx = list(range(first - k, first))
        if idx[0] < 0 or any(block[i].is_data for i in idx):
            return None
        labels = [""] * len(cols)
        for i in idx:
            for c, parts in _assign(block[i], cols, display).items():
                labels[c] += "".join(t for t, _, _ in parts)
        columns = header_columns(labels)
        if columns is not None and len(columns) == len(cols):
            return columns, idx
    return None


def _rows(lines: list[_Line], columns, cols, display: bool, header_keys: set[str]) -> list[list[Cell]]:
    seq_col = next((k for k, c in enumerate(columns) if c.role == "seq"), None)
    rows: list[dict[int, list]] = []
    has_values: list[bool] = []
    for ln in lines:
        if ln.key() in header_keys or _CONTINUED.match(ln.text):
            continue  # a header repeated under 续表, or the 续表 / 表 title
        parts = _assign(ln, cols, display)
        starts = False
        if seq_col is not None:
            seq = parts.get(seq_col)
            starts = bool(seq) and len(seq) == 1 and bool(_SEQ.match(seq[0][0]))
        else:
            starts = ln.is_data and not (rows and not has_values[-1])
        if starts or not rows:
            if seq_col is not None and not starts:
                continue  # lines before the first numbered row
            rows.append({})
            has_values.append(False)
        for c, ps in parts.items():
            rows[-1].setdefault(c, []).extend(ps)
        has_values[-1] = has_values[-1] or ln.is_data
    out = []
    for r in rows:
        anchor = min(p[1] for ps in r.values() for p in ps)
        out.append([_join(r[c]) if c in r else Cell("", anchor, anchor) for c in range(len(cols))])
    return out


def find_aligned_tables(text: str, skip: list[tuple[int, int]] | None = None) -> list[Table]:
    """Every space-aligned indicator table of a cleaned text; a table continued under 续表 (its
    header repeated) is one table."""
    tables: list[Table] = []
    last_key = None
    for block in _blocks(text, skip or []):
        parsed = _parse_block(block, text)
        if parsed is None:
            continue
        columns, key, rows = parsed
        end = max(c.end for c in rows[-1])
        if tables and key == last_key and _only_titles(text[tables[-1].end:block[0].pos]):
            tables[-1].rows += rows
            tables[-1].end = end
            continue
        tables.append(Table(columns, rows, block[0].pos, end, "aligned"))
        last_key = key
    return tables


def _only_titles(between: str) -> bool:
    """Between two parts of one table: nothing but blank lines and 续表 / 表 titles."""
    lines = [ln for ln in between.split("\n") if ln.strip()]
    return len(lines) <= 3 and all(_CONTINUED.match(ln) or len(ln.strip()) <= 20 for ln in lines)
