"""Text laid out from a paged or structured document (PDF, DOCX): page spans, and table grids
rendered as pipe rows the table extractor reads.

A `Grid` is a table as cells on a row × column grid, where a cell covered by a merge says from
which side (`left`: horizontal merge, `above`: vertical merge). `grid_lines` turns it into one
pipe row per line, header first: header rows spanning two or three lines are merged into one,
vertical merges are filled downward, wrapped cell text is joined.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field


@dataclass
class PageSpan:
    """Where one physical page (PDF) or one paragraph / table (DOCX) lies in a text."""

    start: int
    end: int
    page: int  # PDF: physical page, 1-based; DOCX: block index (paragraphs and tables in order), 1-based
    label: str | None = None  # PDF: the printed folio (`— 3 —` → "3"); DOCX: "段12" / "表3"
    kind: str = "page"  # page | toc | paragraph | table


@dataclass
class Extracted:
    """The text of a PDF or DOCX as the cleaner receives it (offsets of `pages` refer to `text`)."""

    text: str
    pages: list[PageSpan]
    kind: str  # pdf | docx
    n_pages: int = 0
    notes: list[str] = field(default_factory=list)  # things worth a flag (ignored objects, scanned pages …)
    outline: list[tuple[int, str]] = field(default_factory=list)  # DOCX headings: (level, text), 0 = title


def span_at(pages: list[PageSpan], offset: int) -> PageSpan | None:
    """The span holding `offset` (the last non-empty span starting at or before it)."""
    spans = [p for p in pages if p.end > p.start]
    i = bisect.bisect_right([p.start for p in spans], offset) - 1
    return spans[i] if i >= 0 else None


class TextBuilder:
    """Accumulates text block by block and records which page each block came from."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.marks: list[tuple[int, int]] = []  # (offset, page key) where a page's text begins

    def add(self, text: str, page: int) -> None:
        if not self.marks or self.marks[-1][1] != page:
            self.marks.append((self.length, page))
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def spans(self, pages: list[tuple[int, str | None, str]]) -> list[PageSpan]:
        """One span per page key (page, label, kind), in order; a page without text gets an empty span."""
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        for i, (off, key) in enumerate(self.marks):
            end = self.marks[i + 1][0] if i + 1 < len(self.marks) else self.length
            starts.setdefault(key, off)
            ends[key] = end
        out = []
        cursor = 0
        for page, label, kind in pages:
            s = starts.get(page, cursor)
            e = ends.get(page, s)
            out.append(PageSpan(s, e, page, label, kind))
            cursor = e
        return out


# ---------------------------------------------------------------- joining wrapped lines

_ASCII_END = re.compile(r"[0-9A-Za-z%.,)]$")
_ASCII_START = re.compile(r"^[0-9A-Za-z(]")


def wrap_separator(before: str, after: str) -> str:
    """What joins two wrapped lines: nothing between CJK text, a space between Latin words."""
    if before and _ASCII_END.search(before) and _ASCII_START.match(after) and re.search(r"[A-Za-z]", before[-12:] + after[:12]):
        return " "
    return ""


def join_wrapped(lines: list[str]) -> str:
    """Lines of one paragraph or cell → one line (see `wrap_separator`)."""
    out = ""
    for ln in (x.strip() for x in lines):
        if ln:
            out += wrap_separator(out, ln) + ln
    return out


# ---------------------------------------------------------------- grids

@dataclass
class GridCell:
    text: str
    span: str | None = None  # None | "left" (covered by the cell to its left) | "above" (vertical merge)


Grid = list[list[GridCell]]

_DATA_CELL = re.compile(r"^[≥≤<>＞＜]?\s*[-+]?\d+(\.\d+)?\s*[%‰％]?$")
_DOMAIN_HEADER = re.compile(r"领域|类别|分类|^类型$|板块|方面")


def _is_data_row(row: list[GridCell]) -> bool:
    return any(c.span is None and _DATA_CELL.match(c.text.strip()) for c in row)


def header_count(grid: Grid) -> int:
    """Leading rows before the first row that carries a number (a serial or a value); at most 3."""
    n = 0
    for row in grid[:3]:
        if _is_data_row(row):
            break
        n += 1
    return n if n < len(grid) else min(1, len(grid))


def resolve(grid: Grid, n_header: int) -> list[list[str]]:
    """Cell texts with merges resolved: a vertical merge repeats the text above; a horizontal merge
    repeats its text across the header (a parent label over its children) and is blank in the body."""
    out: list[list[str]] = []
    for r, row in enumerate(grid):
        texts: list[str] = []
        for c, cell in enumerate(row):
            if cell.span == "above" and r > 0 and c < len(out[r - 1]):
                texts.append(out[r - 1][c])
            elif cell.span == "left" and texts:
                texts.append(texts[-1] if r < n_header else "")
            else:
                texts.append(join_wrapped(cell.text.split("\n")))
        out.append(texts)
    return out


def merge_header(rows: list[list[str]]) -> list[str]:
    """Two- or three-line headers → one label per column (parent before child, repeats dropped)."""
    width = max((len(r) for r in rows), default=0)
    labels = []
    for c in range(width):
        parts: list[str] = []
        for r in rows:
            t = r[c] if c < len(r) else ""
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        labels.append("".join(parts))
    return labels


def continues(first: Grid, second: Grid) -> Grid:
    """Rows of `second` that continue `first` (a table carried over a page): a repeated header dropped."""
    h1, h2 = header_count(first), header_count(second)
    r1 = resolve(first[:h1], h1)
    r2 = resolve(second[:h2], h2)
    if h2 and merge_header(r1) == merge_header(r2):
        return second[h2:]
    return second


def grid_lines(grid: Grid) -> list[tuple[int, str]]:
    """The table as pipe rows, one per line, header first (blank rows dropped), each with the index
    of the grid row it comes from (the header: its first row)."""
    if not grid:
        return []
    n_header = header_count(grid)
    texts = resolve(grid, n_header)
    header = merge_header(texts[:n_header]) if n_header else []
    body = texts[n_header:]
    for c, label in enumerate(header):  # a merged category column continued below a page break
        if _DOMAIN_HEADER.search(label):
            for r in range(1, len(body)):
                if c < len(body[r]) and not body[r][c].strip():
                    body[r][c] = body[r - 1][c]
    rows = ([(0, header)] if header else []) + [(n_header + i, r) for i, r in enumerate(body)]
    # a blank first cell (an empty 备注 column) would make its row start with the pipe of the next cell:
    # then every row gets a leading border, so all rows keep the same number of cells
    lead = "| " if any(r and not r[0].strip() for _, r in rows if any(t.strip() for t in r)) else ""
    return [(i, lead + " | ".join(t.replace("|", "/").strip() for t in row) + " |")
            for i, row in rows if any(t.strip() for t in row)]
