"""Page geometry of a born-digital PDF: which way the text runs, its segments and lines in reading
order, columns of prose, and tables drawn without ruling lines.

- Orientation: a landscape table is often a portrait page turned by `/Rotate` (or drawn turned);
  the direction the characters run says how to turn the page upright (`Frame`), and every box
  (text, ruling lines, cells) is read in that upright frame.
- Segments: pdfium splits each line of text into rectangles at wide gaps (`FPDFText_GetRect`):
  a table cell, a column's line, a run of words. Segments on one baseline form a row.
- Columns: rows split by one common vertical gutter (two columns of prose, whatever order the
  content stream draws them in) are read column by column; a row crossing the gutter (a title)
  ends the column block. Each line keeps its column's margins for paragraph joining.
- Tables without rules: a run of rows with three or more segments, numbers among them, whose
  segments line up in columns (clusters of overlapping x-extents of the data rows) becomes a grid;
  rows whose segments each sit inside one column (a wrapped name, a second header line) join the
  row they are closest to.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass

from analysis.clean.layout import GridCell


@dataclass
class Line:
    text: str
    left: float
    right: float
    bottom: float
    top: float
    margin_left: float | None = None  # the column's margins, when the page is set in columns
    margin_right: float | None = None
    spaced: bool = False  # the segment's own text ended in a space (`达到 ` before a `60%` in another font)

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1.0)

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Table:
    grid: list[list[GridCell]]
    top: float  # upright page coordinates (origin bottom-left)
    bottom: float


class Frame:
    """Page space ↔ upright space. `turn`: 0, or the direction the text runs in page space
    ("up": +y, "down": −y, "back": −x)."""

    def __init__(self, turn: str | None, w: float, h: float):
        self.turn, self.w, self.h = turn, w, h

    @property
    def size(self) -> tuple[float, float]:
        return (self.h, self.w) if self.turn in ("up", "down") else (self.w, self.h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.turn == "up":
            return y, self.w - x
        if self.turn == "down":
            return self.h - y, x
        if self.turn == "back":
            return self.w - x, self.h - y
        return x, y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A page-space box upright: (left, bottom, right, top)."""
        xa, ya = self.point(left, bottom)
        xb, yb = self.point(right, top)
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)

    def page_box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """An upright box back in page space (the inverse of `box`)."""
        if self.turn == "up":
            return self.w - top, left, self.w - bottom, right
        if self.turn == "down":
            return bottom, self.h - right, top, self.h - left
        if self.turn == "back":
            return self.w - right, self.h - top, self.w - left, self.h - bottom
        return left, bottom, right, top


def page_frame(textpage, w: float, h: float, sample: int = 24) -> Frame:
    """Which way the page's text runs, from a sample of its characters (angles first: upright text
    costs no box reads)."""
    import pypdfium2.raw as c

    n = textpage.count_chars()
    if n < 2:
        return Frame(None, w, h)
    idx = range(0, n, max(1, n // sample))
    if sum(1 for i in idx if abs(math.sin(c.FPDFText_GetCharAngle(textpage.raw, i))) < 0.3
           and math.cos(c.FPDFText_GetCharAngle(textpage.raw, i)) > 0) > len(idx) / 2:
        return Frame(None, w, h)
    votes = {"right": 0, "up": 0, "down": 0, "back": 0}
    for i in idx:
        if i + 1 >= n:
            break
        a, b = textpage.get_charbox(i), textpage.get_charbox(i + 1)
        dx, dy = (b[0] + b[2] - a[0] - a[2]) / 2, (b[1] + b[3] - a[1] - a[3]) / 2
        if abs(dx) + abs(dy) < 0.5 or abs(dx) + abs(dy) > 40:
            continue  # a space or a line break
        votes["right" if dx > abs(dy) else "back" if -dx > abs(dy) else "up" if dy > 0 else "down"] += 1
    best = max(votes, key=votes.get)
    return Frame(None if best == "right" or not votes[best] else best, w, h)


def page_segments(textpage, frame: Frame) -> list[Line]:
    """The page's text rectangles (pdfium splits lines at wide gaps), upright, with their text."""
    out = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        text = text.replace("\r", "").replace("\n", " ")
        body = text.strip(" \u3000")
        if body:
            out.append(Line(body, *_lbrt(frame.box(left, bottom, right, top)), spaced=text.endswith(" ")))
    return out


def _lbrt(box):
    left, bottom, right, top = box
    return left, right, bottom, top


def rows_of(segs: list[Line]) -> list[list[Line]]:
    """Segments on one baseline, top to bottom, each row left to right."""
    rows: list[list[Line]] = []
    for s in sorted(segs, key=lambda s: -s.mid):
        if rows:
            r = rows[-1]
            mid = statistics.fmean(x.mid for x in r)
            if abs(s.mid - mid) <= 0.45 * min(s.height, max(x.height for x in r)):
                r.append(s)
                continue
        rows.append([s])
    return [sorted(r, key=lambda s: s.left) for r in rows]


def chunks(row: list[Line]) -> list[Line]:
    """A row's segments with the splits at font changes undone: segments closer than half a
    character join (what is left apart is a cell, a column, or words set apart on purpose)."""
    out: list[list[Line]] = []
    for s in row:
        if out and s.left - out[-1][-1].right < 0.5 * min(s.height, out[-1][-1].height):
            out[-1].append(s)
        else:
            out.append([s])
    return [g[0] if len(g) == 1 else row_line(g) for g in out]


def row_line(row: list[Line]) -> Line:
    """A row as one line of text. pdfium also splits a line where the font changes (digits in a Latin
    font, a bold run): segments that touch join directly, a visible gap becomes one space."""
    text = row[0].text
    for a, b in zip(row, row[1:]):
        gap = b.left - a.right
        text += (" " if gap > 0.25 * min(a.height, b.height) or a.spaced or b.text[:1] == " " else "") + b.text
    return Line(text, row[0].left, max(s.right for s in row), min(s.bottom for s in row), max(s.top for s in row),
                spaced=row[-1].spaced)


# ---------------------------------------------------------------- tables without rules

_NUMBER = re.compile(r"^[≥≤<>＞＜]?\s*[-+]?\d+(\.\d+)?\s*[%‰％]?$|^[—–\-－―]{1,2}$")


def _is_data(row: list[Line]) -> bool:
    return len(row) >= 3 and sum(1 for s in row if _NUMBER.match(s.text)) >= 1 and not _NUMBER.match(row[-1].text) \
        or len(row) >= 3 and sum(1 for s in row if _NUMBER.match(s.text)) >= 2


def _clusters(segs: list[Line], tol: float) -> list[tuple[float, float]]:
    spans: list[list[float]] = []
    for s in sorted(segs, key=lambda s: s.left):
        if spans and s.left <= spans[-1][1] + tol:
            spans[-1][1] = max(spans[-1][1], s.right)
        else:
            spans.append([s.left, s.right])
    return [(a, b) for a, b in spans]


def _columns_hit(seg: Line, cols: list[tuple[float, float]], tol: float) -> list[int]:
    return [k for k, (a, b) in enumerate(cols) if seg.left < b + tol and seg.right > a - tol]


def _fits(row: list[Line], cols: list[tuple[float, float]], tol: float) -> bool:
    """Every segment of the row lies over a column, and a lone segment does not run across the table."""
    return all(_columns_hit(s, cols, tol) for s in row) and not (len(row) == 1 and len(_columns_hit(row[0], cols, tol)) > 2)


def find_ruleless_tables(rows: list[list[Line]], em: float) -> list[tuple[Table, set[int]]]:
    """Tables set out by whitespace alone, with the indexes of the rows they take."""
    out = []
    i = 0
    while i < len(rows):
        if not _is_data(rows[i]):
            i += 1
            continue
        # the run of data rows (and rows between them) close together
        j, last_data = i, i
        while j + 1 < len(rows) and rows[j][0].bottom - rows[j + 1][0].top <= 2.5 * em \
                and (j + 1 - last_data) <= 3:
            j += 1
            if _is_data(rows[j]):
                last_data = j
        data = [k for k in range(i, last_data + 1) if _is_data(rows[k])]
        cols = _clusters([s for k in data for s in rows[k]], 0.3 * em)
        if len(data) < 2 or len(cols) < 3:
            i = last_data + 1
            continue
        tol = 0.3 * em

        lo = i
        while lo - 1 >= 0 and i - lo < 3 and rows[lo - 1][0].bottom - rows[lo][0].top <= 2.5 * em \
                and _fits(rows[lo - 1], cols, tol) and len(rows[lo - 1]) >= 2:
            lo -= 1  # header lines above the first data row
        hi = last_data
        while hi + 1 < len(rows) and rows[hi][0].bottom - rows[hi + 1][0].top <= 1.5 * em and _fits(rows[hi + 1], cols, tol) \
                and not _is_data(rows[hi + 1]) and len(rows[hi + 1]) < len(cols) - 1 and \
                all(len(_columns_hit(s, cols, tol)) == 1 for s in rows[hi + 1]):
            hi += 1  # a wrapped cell under the last row
        taken = list(range(lo, hi + 1))
        if not all(_fits(rows[k], cols, tol) for k in taken):
            i = last_data + 1
            continue
        out.append((_ruleless_grid([rows[k] for k in taken], cols, tol, em), set(taken)))
        i = hi + 1
    return out


def _ruleless_grid(rows: list[list[Line]], cols: list[tuple[float, float]], tol: float, em: float) -> Table:
    """Rows that start a table row (a cell in the first column, or most columns filled) get a grid
    row; the others (a wrapped cell, a second header line) join the nearer of their neighbours."""
    def starts(row):
        return any(0 in _columns_hit(s, cols, tol) for s in row) or len(row) >= max(3, len(cols) // 2 + 1)

    heads = [k for k, r in enumerate(rows) if starts(r)] or [0]
    groups: dict[int, list[int]] = {h: [h] for h in heads}
    for k in range(len(rows)):
        if k in groups:
            continue
        before = max((h for h in heads if h < k), default=None)
        after = min((h for h in heads if h > k), default=None)
        if before is None or (after is not None and
                              rows[k][0].bottom - rows[after][0].top < rows[before][0].bottom - rows[k][0].top - 0.2 * em
                              and after - k == 1):
            groups[after].insert(0, k) if after is not None else groups[heads[0]].append(k)
        else:
            groups[before].append(k)
    grid = []
    for h in heads:
        cells: list[list[str]] = [[] for _ in cols]
        spans: list[str | None] = [None] * len(cols)
        for k in sorted(groups[h], key=lambda k: -rows[k][0].mid):
            for s in rows[k]:
                hit = _columns_hit(s, cols, tol)
                best = max(hit, key=lambda c: min(s.right, cols[c][1]) - max(s.left, cols[c][0]))
                if len(hit) > 1 and not _is_data(rows[h]):  # a parent label over several columns
                    best = hit[0]
                    for c in hit[1:]:
                        spans[c] = "left"
                cells[best].append(s.text)
        grid.append([GridCell("\n".join(t), spans[c] if not t else None) for c, t in enumerate(cells)])
    return Table(grid, max(s.top for s in rows[0]), min(s.bottom for s in rows[-1]))


# ---------------------------------------------------------------- columns of prose

def _gutter(rows: list[list[Line]], x0: float, x1: float, em: float) -> tuple[float, float] | None:
    """The x-range of a gutter shared by the rows split in two near the middle of the text block."""
    best, n_best = None, 0
    width = x1 - x0
    rows = [r for r in rows if len(r) >= 2]
    for r in rows:
        for a, b in zip(r, r[1:]):
            g0, g1 = a.right, b.left
            if g1 - g0 < em or not (x0 + 0.25 * width < (g0 + g1) / 2 < x0 + 0.75 * width):
                continue
            n = sum(1 for q in rows if _split_at(q, g0, g1, 0.3 * width))
            if n > n_best:
                best, n_best = (g0, g1), n
    if best is None or n_best < 3:
        return None
    # narrow to the part every split row leaves empty
    g0, g1 = best
    for q in rows:
        if _split_at(q, g0, g1, 0.3 * width):
            g0 = max([g0] + [s.right for s in q if s.right <= g1])
            g1 = min([g1] + [s.left for s in q if s.left >= g0])
    return (g0, g1) if g1 > g0 else None


def _split_at(row: list[Line], g0: float, g1: float, min_side: float) -> bool:
    """The row leaves [g0, g1] empty and has prose (not short cells) on both sides of it."""
    left = [s for s in row if s.right <= g1]
    right = [s for s in row if s.left >= g0]
    return (len(left) + len(right) == len(row) and bool(left) and bool(right)
            and left[-1].right - left[0].left >= min_side and right[-1].right - right[0].left >= min_side)


def reading_lines(rows: list[list[Line]], em: float) -> list[Line]:
    """Rows as lines in reading order: where a gutter splits a block of rows, its left column
    first, then its right column (each line carries its column's margins)."""
    if not rows:
        return []
    x0 = min(r[0].left for r in rows)
    x1 = max(r[-1].right for r in rows)
    gut = _gutter(rows, x0, x1, em)
    if gut is None:
        return [row_line(r) for r in rows]
    g0, g1 = gut

    def crosses(r):
        return any(s.left < g1 - 0.1 and s.right > g0 + 0.1 for s in r)

    out: list[Line] = []
    k = 0
    while k < len(rows):
        if crosses(rows[k]):
            out.append(row_line(rows[k]))
            k += 1
            continue
        j = k
        while j < len(rows) and not crosses(rows[j]):
            j += 1
        block = rows[k:j]
        split = sum(1 for r in block if r[0].right <= g0 and r[-1].left >= g1)
        if split < 2:
            out.extend(row_line(r) for r in block)
        else:
            sides = ([s for s in r if s.right <= g0 + 0.1] for r in block), ([s for s in r if s.left >= g1 - 0.1] for r in block)
            for side, (ml, mr) in zip(sides, ((x0, g0), (g1, x1))):
                for part in side:
                    if part:
                        ln = row_line(part)
                        ln.margin_left, ln.margin_right = ml, mr
                        out.append(ln)
        k = j
    return out
