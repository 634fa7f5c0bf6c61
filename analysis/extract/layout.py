"""Space-aligned column tables (text exported from a PDF with its layout, `pdftotext -layout`).

The cleaner keeps the spacing of such blocks (runs of two or more spaces between cells; every
other line has its spaces collapsed). Here:

1. a block's lines are cut into chunks at gaps of two or more spaces;
2. the columns are the clusters of horizontally overlapping chunks of the data rows, and of
   header labels over no data. Two geometries are tried: a chunk starts at its character column
   (what `pdftotext -layout` writes: the column is the x position, a CJK glyph then covers about
   1.8 columns) or at its display column (text aligned for a CJK-aware editor);
3. every chunk goes to the column it overlaps most (or the nearest one);
4. header lines (up to three above the first data row) are merged column by column;
5. lines that start no row (a wrapped name or qualitative target, a vertically centred category)
   join a row: the row above, or, where the table centres its cells vertically (text above a
   row's number), the row whose number they surround; blank lines separate rows when present;
6. a header repeated under 续表 (in the same block or the next) continues the same table.

Rows come out as `columns.Table` with one `Cell` per column, read by the same row reader as pipe
tables (`tables.row_targets`).
"""

from __future__ import annotations

import re
import unicodedata

from analysis.extract.columns import Cell, Table, header_columns
from analysis.extract.numbers import is_attribute_cell, is_empty_cell, parse_cell_value
from analysis.extract.vocabulary import words

_CHUNK = re.compile(r"\S+(?: \S+)*")
# a chapter or section heading (第三章  主要任务, 一、…, （一）…; not a row's 1. or ①) is never a row
_HEADING = re.compile(r"^\s*(?:" + "|".join(f"(?:{p})" for p in words("heading_numbers") if "\\d" not in p and "①" not in p) + ")")
_GAP = re.compile(r"\S {2,}\S")
_YEAR_LABEL = re.compile(r"^[(（]?(19|20)\d\d年?[)）]?")
_CONTINUED = re.compile(r"^\s*(续表|表\s*\d|附表)")
_SEQ = re.compile(r"^\d{1,3}$")


def _glyph(data: list[_Line]) -> float:
    """How many character columns of pdftotext's grid a display column covers in this block: at most
    the tightest ratio of a chunk's start-to-next-start distance to its display width."""
    ratios = [(b[3] - a[3]) / a[5] for ln in data for a, b in zip(ln.chunks, ln.chunks[1:]) if a[5] >= 6]
    return max(0.5, min([1.0] + ratios) * 0.95)


def _wide(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


class _Line:
    """One line of a block: chunks as (text, char start, char end, column start, display start, width)."""

    def __init__(self, text: str, pos: int, group: int = 0):
        self.pos, self.text, self.group = pos, text, group
        disp, acc = [], 0
        for c in text:
            disp.append(acc)
            acc += _wide(c)
        disp.append(acc)
        self.chunks = [(m.group(0), pos + m.start(), pos + m.end(), m.start(), disp[m.start()],
                        disp[m.end()] - disp[m.start()]) for m in _CHUNK.finditer(text)]

    def spans(self, model: str | float) -> list[tuple[float, float]]:
        """Chunk extents: `display` columns, or character columns with a glyph factor (a float)."""
        if model != "display":
            return [(c[3], c[3] + model * c[5]) for c in self.chunks]
        return [(c[4], c[4] + c[5]) for c in self.chunks]

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
    """Runs of lines with column gaps; indented one-chunk lines and blank lines (when an aligned
    line follows within three) inside; a 续表 title ends a block (the next one may continue it)."""
    lines, pos = [], 0
    for t in text.split("\n"):
        lines.append((pos, t))
        pos += len(t) + 1
    aligned = [bool(_GAP.search(t.strip())) and "|" not in t and not _HEADING.match(t) for _, t in lines]
    out, i = [], 0
    while i < len(lines):
        if not aligned[i] or any(a <= lines[i][0] < b for a, b in skip):
            i += 1
            continue
        j, last = i, i
        while j < len(lines):
            t = lines[j][1]
            if _CONTINUED.match(t) and j > i:
                break
            if aligned[j]:
                last = j
            elif not t.strip():
                if not any(aligned[x] for x in range(j + 1, min(j + 4, len(lines)))):
                    break
            elif not (len(t) - len(t.lstrip()) >= 2 and len(t.strip()) <= 30):
                break
            j += 1
        tail = lines[last + 1][1] if last + 1 < len(lines) else ""
        if (tail.strip() and not aligned[last + 1] and not _CONTINUED.match(tail)
                and len(tail) - len(tail.lstrip()) >= 4 and len(tail.strip()) <= 30):
            last += 1  # the wrapped tail of the last row
        block, group = [], 0
        for p, t in lines[i:last + 1]:
            if t.strip():
                block.append(_Line(t, p, group))
            else:
                group += 1
        if sum(len(b.chunks) >= 3 for b in block) >= 2:
            out.append(block)
        i = last + 1
    return out


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def _clusters(data: list[_Line], header: list[_Line], model: str) -> list[tuple[float, float]] | None:
    """Columns: chunks of data rows that overlap horizontally form one; a header label over no
    data column adds one. None when a data row puts two chunks in one column."""
    spans = sorted((sp, n) for n, ln in enumerate(data) for sp in ln.spans(model))
    cols: list[list] = []
    for (s, e), n in spans:
        if cols and s < cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], e)
            cols[-1][2].add(n)
        else:
            cols.append([s, e, {n}])
    if len(data) >= 3:  # a chunk only one row puts there (shifted by folded full-width digits) is no column
        cols = [c for c in cols if len(c[2]) >= 2]
    labelled = {k for ln in header for sp in ln.spans(model) for k, c in enumerate(cols) if _overlap(sp, c) > 0}
    extra = []
    for ln in header:
        for sp in ln.spans(model):
            if any(_overlap(sp, c) > 0 for c in cols):
                continue
            near = _column(sp, [(c[0], c[1]) for c in cols]) if cols else None
            if near is not None and near not in labelled and _gap(sp, cols[near]) <= 3:
                labelled.add(near)  # a header label a little off its column (序号 over indented numbers)
            else:
                extra.append([sp[0], sp[1], set()])
    cols = sorted(cols + extra)
    out = [(c[0], c[1]) for c in cols]
    for ln in data:
        if len(ln.chunks) == len(out):
            continue  # one chunk per column: read by order
        hit = [_column(sp, out) for sp in ln.spans(model)]
        if len(set(hit)) < len(hit):
            return None
    return out


def _gap(a, b) -> float:
    return max(b[0] - a[1], a[0] - b[1], 0)


def _column(sp: tuple[float, float], cols) -> int:
    """The column a chunk overlaps most; else the nearest (edge gap, then centre distance)."""
    best = max(range(len(cols)), key=lambda k: _overlap(sp, cols[k]))
    if _overlap(sp, cols[best]) > 0:
        return best
    mid = (sp[0] + sp[1]) / 2
    return min(range(len(cols)), key=lambda k: (_gap(sp, cols[k]), abs((cols[k][0] + cols[k][1]) / 2 - mid)))


def _assign(line: _Line, cols, model: str) -> dict[int, list[tuple[str, int, int]]]:
    out: dict[int, list[tuple[str, int, int]]] = {}
    if len(line.chunks) == len(cols) and line.is_data:  # one chunk per column: by order (robust to a
        return {k: [(ch[0], ch[1], ch[2])] for k, ch in enumerate(line.chunks)}  # row shifted by folded digits)
    for ch, sp in zip(line.chunks, line.spans(model)):
        out.setdefault(_column(sp, cols), []).append((ch[0], ch[1], ch[2]))
    return out


def _join(parts: list[tuple[str, int, int]]) -> Cell:
    text = ""
    for t, _, _ in parts:
        if text and not (_wide(text[-1]) == 2 or _wide(t[0]) == 2):
            text += " "
        text += t
    return Cell(text, min(p[1] for p in parts), max(p[2] for p in parts))


def _header_lines(block: list[_Line], first: int) -> list[list[int]]:
    """Candidate header lines: the one to three non-data lines just above the first data row."""
    out = []
    for k in (1, 2, 3):
        idx = list(range(first - k, first))
        if idx[0] < 0 or any(block[i].is_data for i in idx):
            break
        out.append(idx)
    return out


def _parse_block(block: list[_Line]):
    """(columns, header key, rows of cells) of one block, or None."""
    data_idx = [i for i, ln in enumerate(block) if ln.is_data and len(ln.chunks) >= 2]
    if len(data_idx) < 2:
        return None
    first = data_idx[0]
    data = [block[i] for i in data_idx]
    for idx in _header_lines(block, first):
        header = [block[i] for i in idx]
        for model in (_glyph(data), "display"):
            cols = _clusters(data, header, model)
            if cols is None:
                continue
            labels = [""] * len(cols)
            for ln in header:
                for c, parts in sorted(_assign(ln, cols, model).items()):
                    labels[c] += "".join(t for t, _, _ in parts)
            columns = header_columns(labels)
            if columns is None or len(columns) != len(cols):
                continue
            keys = {ln.key() for ln in header}
            rows = _rows(block[first:], columns, cols, model, keys)
            if rows:
                return columns, tuple(sorted(keys)), rows
    return None


def _row_lines(lines: list[_Line], starts: list[bool]) -> list[list[_Line]]:
    """Lines grouped into rows. A row starts at each `starts` line; the lines between two starts go
    to the row above, unless the table centres cells vertically (a line above a row's start in its
    blank-separated group), when a start takes as many lines above it as it has below."""
    mains = [i for i, s in enumerate(starts) if s]
    if not mains:
        return []
    centred = False  # a line just above a row's start, in its blank-separated group, after another group
    for i in range(len(lines) - 1):
        if not starts[i] and starts[i + 1] and lines[i].group == lines[i + 1].group:
            prev = [m for m in mains if m < i]
            if not prev or lines[prev[-1]].group != lines[i].group:
                centred = True
                break
    owner = [None] * len(lines)
    for n, m in enumerate(mains):
        owner[m] = n
    for n, m in enumerate(mains):
        nxt = mains[n + 1] if n + 1 < len(mains) else len(lines)
        between = [i for i in range(m + 1, nxt) if lines[i].group == lines[m].group]
        following_group = [i for i in range(m + 1, nxt) if lines[i].group != lines[m].group]
        after_next = 0
        if n + 1 < len(mains):
            nn = mains[n + 2] if n + 2 < len(mains) else len(lines)
            after_next = sum(1 for i in range(nxt + 1, nn) if lines[i].group == lines[nxt].group)
        give = 0
        if centred and n + 1 < len(mains):
            same = [i for i in between if lines[i].group == lines[nxt].group]
            give = min(len(same), after_next)
        for i in between[:len(between) - give]:
            owner[i] = n
        for i in between[len(between) - give:]:
            owner[i] = n + 1
        for i in following_group:  # lines in the next row's blank-separated group, above its start
            owner[i] = n + 1 if n + 1 < len(mains) and lines[i].group == lines[nxt].group else n
    for i in range(mains[0]):
        owner[i] = 0 if centred and lines[i].group == lines[mains[0]].group else None
    rows: list[list[_Line]] = [[] for _ in mains]
    for i, o in enumerate(owner):
        if o is not None:
            rows[o].append(lines[i])
    return rows


def _rows(lines: list[_Line], columns, cols, model: str, header_keys: set[str]) -> list[list[Cell]]:
    seq_col = next((k for k, c in enumerate(columns) if c.role == "seq"), None)
    lines = [ln for ln in lines if ln.key() not in header_keys and not _CONTINUED.match(ln.text)]
    assigned = [_assign(ln, cols, model) for ln in lines]
    if seq_col is not None:
        starts = [bool(a.get(seq_col)) and len(a[seq_col]) == 1 and bool(_SEQ.match(a[seq_col][0][0]))
                  for a in assigned]
    else:
        starts = [ln.is_data for ln in lines]
    out = []
    index = {id(ln): a for ln, a in zip(lines, assigned)}
    for row in _row_lines(lines, starts):
        cells: dict[int, list] = {}
        for ln in row:
            for c, ps in index[id(ln)].items():
                cells.setdefault(c, []).extend(ps)
        anchor = min(p[1] for ps in cells.values() for p in ps)
        out.append([_join(cells[c]) if c in cells else Cell("", anchor, anchor) for c in range(len(cols))])
    return out


def find_aligned_tables(text: str, skip: list[tuple[int, int]] | None = None) -> list[Table]:
    """Every space-aligned indicator table of a cleaned text; a table continued under 续表 (its
    header repeated) is one table."""
    tables: list[Table] = []
    last_key = None
    for block in _blocks(text, skip or []):
        parsed = _parse_block(block)
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
