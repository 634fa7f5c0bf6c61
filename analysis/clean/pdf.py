"""Born-digital PDF → text in reading order, with a page map and tables as pipe rows.

pypdfium2 reads every page's text (fast) with each line's box. On pages that carry ruling lines,
the straight segments of their path objects go through pdfplumber's table-grid algorithm (snap,
join, intersections → cells), and each cell's text is read by pdfium from the cell's box, so a
wrapped cell keeps its characters in order. pdfminer never parses the page: that is what makes
pdfplumber ~18× slower than pdfium, and its widths for non-embedded CID fonts are wrong. On
every page:

- running headers/footers (a line at the top or bottom edge repeated across pages) and folios
  (`— 3 —`, `- 3 -`, `第3页`; a bare number only when such numbers count the pages, since a lone
  number at a page edge is often a table cell cut by the page break) leave the text; the folio
  becomes the page's printed label;
- a table-of-contents page (dotted leaders `……12`) is recognised and left out;
- hard line wraps inside a paragraph are joined (CJK without a space); a line ends its paragraph
  when it ends in 。；：！？, stops short of the right margin, or the next line is indented or a
  heading (一、 / （一） / 第一章);
- a table carried over to the next page (its header repeated, a 续表 caption) is joined into one.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from analysis.clean.layout import Extracted, GridCell, TextBuilder, continues, grid_lines, wrap_separator
from analysis.clean.pagetext import true_folios
from analysis.clean.pdflayout import (
    Frame,
    Line,
    Table,
    chunks,
    find_ruleless_tables,
    page_frame,
    page_segments,
    reading_lines,
    rows_of,
)
from analysis.ingest.encoding import DocumentError

MAX_PDF_PAGES = 2_000  # a plan has tens to a few hundred pages
_MIN_RULES = 4  # path objects on a page before it is worth looking for a table grid


class NoTextLayer(DocumentError):
    """A PDF whose pages are images only (a scan): nothing to read without OCR."""

    def __init__(self, message: str, n_pages: int):
        super().__init__(message)
        self.n_pages = n_pages


@dataclass
class PageText:
    index: int  # 0-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    label: str | None = None
    toc: bool = False


_FOLIO = re.compile(r"^(?:[—–\-－―─~～·•]+\s*(\d{1,4})\s*[—–\-－―─~～·•]+|第\s*(\d{1,4})\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?"
                    r"|(\d{1,4})\s*[/／]\s*\d{1,4}|(\d{1,4}))$")
# a folio sharing its line with footer text (`青禾市民政局印发      - 3 -`)
_FOLIO_IN = re.compile(r"(?:^|\s)(?:[—–\-－―─~～·•]+\s*(\d{1,4})\s*[—–\-－―─~～·•]+|第\s*(\d{1,4})\s*页)(?=\s|$)")
_LEADER = re.compile(r"(?:[.．·…⋯]{3,}|…{2,}|[.．·]\s?){2,}\s*\d{1,4}\s*$|[.．·…⋯]{3,}\s*\d{1,4}\s*$")
_HEADING = re.compile(r"^(第[一二三四五六七八九十百零〇]+[章节篇部分]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]"
                      r"|\d{1,2}[.、．](?!\d))")
_END = re.compile(r"[。！？；：!?;:]$")
_BULLET = re.compile(r"^[•●○■□◆◇▪▶►※★☆]")
_SOFT_HYPHEN = ("\ufffe", "\u00ad")  # pdfium marks a hyphenated line end with U+FFFE
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff08-\uff1f“”]) (?=[\u3000-\u303f\u4e00-\u9fff\uff08-\uff1f“”])")
_CAPTION_CONT = re.compile(r"^续表\s*\d*\s*[:：]?\s*$")


def _open(data: bytes, name: str, max_pages: int):
    import pypdfium2 as pdfium

    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(f"{name}: truncated or corrupt PDF (no %%EOF end marker; the download may have been cut "
                            "short) / PDF 文件不完整")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentError(f"{name}: encrypted PDF (needs a password); save an unprotected copy / PDF 已加密") from None
        raise DocumentError(f"{name}: corrupt PDF ({exc}) / PDF 文件已损坏") from None
    if len(pdf) > max_pages:
        n = len(pdf)
        pdf.close()
        raise DocumentError(f"{name}: {n:,} pages is over the limit of {max_pages:,} pages for one PDF "
                            "/ PDF 页数超过上限")
    return pdf


def _cell_text(textpage, bbox, frame: Frame, inset: float = 1.0) -> str:
    x0, top, x1, bottom = bbox  # upright grid coordinates: y negated (top < bottom)
    left, bottom_, right, top_ = frame.page_box(x0 + inset, -bottom + inset, x1 - inset, -top - inset)
    t = textpage.get_text_bounded(left=left, bottom=bottom_, right=right, top=top_)
    t = _CJK_SPACE.sub("", t.replace("\r", ""))  # a wrap inside the cell read as a space (turned pages)
    return "\n".join(ln.strip() for ln in t.split("\n") if ln.strip())


def _grid(table, textpage, frame: Frame) -> list[list[GridCell]]:
    rows = table.rows
    grid: list[list[GridCell]] = []
    boxes: list[list] = [list(r.cells) for r in rows]
    for ri, cells in enumerate(boxes):
        out = []
        for ci, box in enumerate(cells):
            if box is not None:
                out.append(GridCell(_cell_text(textpage, box, frame)))
                continue
            # covered: by a cell above whose box reaches this row, else by the cell to the left
            row_mid = (rows[ri].bbox[1] + rows[ri].bbox[3]) / 2
            above = next((boxes[k][ci] for k in range(ri - 1, -1, -1) if boxes[k][ci] is not None), None)
            out.append(GridCell("", "above" if above is not None and above[3] > row_mid else "left"))
        grid.append(out)
    return grid


def _path_objects(page, max_depth: int = 2):
    """(raw path object, its matrix to page space) for every path, inside form XObjects too.
    Raw pdfium calls only: wrapping thousands of objects in Python classes costs more than reading them."""
    import ctypes

    import pypdfium2.raw as c

    def compose(o, i):
        return (o[0] * i[0] + o[2] * i[1], o[1] * i[0] + o[3] * i[1], o[0] * i[2] + o[2] * i[3],
                o[1] * i[2] + o[3] * i[3], o[0] * i[4] + o[2] * i[5] + o[4], o[1] * i[4] + o[3] * i[5] + o[5])

    fm = c.FS_MATRIX()

    def walk(count, get, outer, depth):
        for k in range(count):
            obj = get(k)
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_PATH:
                c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fm))
                yield obj, compose(outer, (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f))
            elif kind == c.FPDF_PAGEOBJ_FORM and depth < max_depth:
                c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fm))
                inner = compose(outer, (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f))
                yield from walk(c.FPDFFormObj_CountObjects(obj), lambda j, o=obj: c.FPDFFormObj_GetObject(o, j),
                                inner, depth + 1)

    raw = page.raw
    yield from walk(c.FPDFPage_CountObjects(raw), lambda j: c.FPDFPage_GetObject(raw, j), (1, 0, 0, 1, 0, 0), 0)


def _edges(page, frame: Frame) -> list[dict]:
    """Straight segments of the page's path objects (ruling lines, cell borders, thin filled
    rectangles), upright with y negated, as pdfplumber's table finder takes them."""
    import ctypes

    import pypdfium2.raw as c

    out = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj, m in _path_objects(page):
        n = c.FPDFPath_CountSegments(obj)
        if n > 2_000:
            continue  # a drawing, not a table
        pts, start, cur = [], None, None  # straight segments (p0, p1)
        for k in range(n):
            seg = c.FPDFPath_GetPathSegment(obj, k)
            c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
            pt = frame.point(m[0] * x.value + m[2] * y.value + m[4], m[1] * x.value + m[3] * y.value + m[5])
            kind = c.FPDFPathSegment_GetType(seg)
            if kind == c.FPDF_SEGMENT_MOVETO:
                start = pt
            elif kind == c.FPDF_SEGMENT_LINETO and cur is not None:
                pts.append((cur, pt))
            cur = pt  # a Bézier moves the pen without adding a straight segment
            if c.FPDFPathSegment_GetClose(seg) and start is not None:
                pts.append((pt, start))
                cur = start
        for (x0, y0), (x1, y1) in pts:
            if abs(y0 - y1) < 0.5 and abs(x1 - x0) >= 3:
                xa, xb = sorted((x0, x1))
                out.append({"x0": xa, "x1": xb, "top": -y0, "bottom": -y0, "width": xb - xa, "height": 0,
                            "orientation": "h", "object_type": "line"})
            elif abs(x0 - x1) < 0.5 and abs(y1 - y0) >= 3:
                ya, yb = sorted((-y0, -y1))
                out.append({"x0": x0, "x1": x0, "top": ya, "bottom": yb, "width": 0, "height": yb - ya,
                            "orientation": "v", "object_type": "line"})
    return out


def _page_tables(page, textpage, frame: Frame) -> list[Table]:
    """Ruled tables of one page: pdfplumber's grid algorithm (snap, join, intersections, cells)
    over the ruling lines pdfium reads, with each cell's text read by pdfium from its box."""
    from pdfplumber import table as pt

    edges = pt.merge_edges(_edges(page, frame), 3, 3, 3, 3)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= 3]
    cells = pt.intersections_to_cells(pt.edges_to_intersections(edges, 3, 3))
    tables = []
    for group in pt.cells_to_tables(cells):
        t = pt.Table(None, group)
        if len(t.rows) < 2 or len(t.rows[0].cells) < 2:
            continue  # a frame around a text box, not a table: its text stays prose
        x0, top, x1, bottom = t.bbox
        tables.append(Table(_grid(t, textpage, frame), -top, -bottom))
    return sorted(tables, key=lambda tb: -tb.top)


def _lay_out(p: PageText, segs: list[Line]) -> None:
    """The page's lines in reading order (columns), and its tables without rules added to the ruled ones."""
    if not segs:
        return
    em = statistics.median(s.height for s in segs)
    rows = [chunks(r) for r in rows_of([s for s in segs if not _in_table(p, s)])]
    taken: set[int] = set()
    for table, ks in find_ruleless_tables(rows, em):
        p.tables.append(table)
        taken |= ks
    p.tables.sort(key=lambda tb: -tb.top)
    p.lines = reading_lines([r for k, r in enumerate(rows) if k not in taken], em)


def _mark_furniture(pages: list[PageText]) -> None:
    """Folios become labels; lines at a page edge repeated on other pages are dropped."""
    def edges(p: PageText) -> list[Line]:
        by_y = sorted((ln for ln in p.lines if not _in_table(p, ln)), key=lambda ln: -ln.top)
        return by_y[:2] + by_y[-2:] if len(by_y) > 4 else by_y

    def norm(s: str) -> str:  # a running line may carry a number (a date, a page); a short line's number is data
        s = re.sub(r"\s+", "", s)
        return re.sub(r"\d+", "#", s) if len(re.sub(r"[\d.,%]", "", s)) >= 4 else s

    counts: dict[str, int] = {}
    for p in pages:
        for key in {norm(ln.text) for ln in edges(p)}:
            counts[key] = counts.get(key, 0) + 1
    with_text = sum(1 for p in pages if p.lines)
    found, lines = [], []  # folio candidates (page index, number, bare?) and their lines
    for i, p in enumerate(pages):
        for ln in edges(p):
            m = _FOLIO.match(re.sub(r"\s+", " ", ln.text))
            if m:
                found.append((i, next(g for g in m.groups() if g), m.group(4) is not None))
                lines.append(ln)
    folios = {id(lines[k]): found[k][1] for k in true_folios(found)}
    drop: list[set[int]] = []
    for p in pages:
        gone = set()
        for ln in edges(p):
            key = norm(ln.text)
            if id(ln) in folios:
                p.label = p.label or folios[id(ln)]
                gone.add(id(ln))
                continue
            if key.isdigit():  # a lone number that is not a folio is a table cell cut off by the page break
                continue
            m = _FOLIO_IN.search(ln.text)
            if m:
                p.label = p.label or next(g for g in m.groups() if g)
                ln.text = (ln.text[:m.start()] + " " + ln.text[m.end():]).strip()
            if (counts[key] >= 2 and counts[key] >= 0.3 * with_text
                  and not re.match(r"^(续?表|图)\s*\d", ln.text)):
                gone.add(id(ln))
        drop.append(gone)
    for p, gone in zip(pages, drop):
        p.lines = [ln for ln in p.lines if id(ln) not in gone]


def _in_table(p: PageText, ln: Line) -> bool:
    mid = (ln.top + ln.bottom) / 2
    return any(t.bottom <= mid <= t.top for t in p.tables)


def _mark_toc(p: PageText) -> None:
    leaders = sum(1 for ln in p.lines if _LEADER.search(ln.text))
    titled = bool(p.lines) and re.sub(r"\s+", "", p.lines[0].text) in ("目录", "目次", "目錄")
    p.toc = leaders >= 3 and leaders >= 0.4 * len(p.lines) or titled and leaders >= 1


def _blocks(p: PageText):
    """The page's body in reading order: ('line', Line) and ('table', Table)."""
    tables = list(p.tables)
    out = []
    for ln in p.lines:
        mid = (ln.top + ln.bottom) / 2
        if _in_table(p, ln):
            continue  # table text comes from the grid
        while tables and mid < tables[0].bottom:
            out.append(("table", tables.pop(0)))
        out.append(("line", ln))
    out.extend(("table", t) for t in tables)
    return out


def read_pdf(data: bytes, name: str = "", *, max_pages: int = MAX_PDF_PAGES) -> Extracted:
    """A born-digital PDF's text, page map (physical page, printed label) and tables as pipe rows."""
    name = name or "document.pdf"
    pdf = _open(data, name, max_pages)
    try:
        pages: list[PageText] = []
        notes: list[str] = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            frame = page_frame(tp, *page.get_size())
            segs = page_segments(tp, frame)
            pt = PageText(i, *frame.size)
            pages.append(pt)
            if segs and sum(1 for _ in zip(range(_MIN_RULES), _path_objects(page))) >= _MIN_RULES:
                try:
                    pt.tables = _page_tables(page, tp, frame)
                except Exception as exc:  # noqa: BLE001 - odd drawings must not cost the page its text
                    notes.append(f"page {i + 1}: tables not read ({type(exc).__name__}: {exc}); its text is kept")
            _lay_out(pt, segs)
            tp.close()
            page.close()
        if not any(p.lines for p in pages):
            raise NoTextLayer(f"{name}: no_text_layer — {len(pages)} page(s) and no text layer (a scan or images "
                              "only); run OCR and add the text / 扫描件，无文字层", len(pages))
    finally:
        pdf.close()
    _mark_furniture(pages)
    for p in pages:
        _mark_toc(p)
    blank = [p.index + 1 for p in pages if not p.lines and not p.tables]
    if blank and len(blank) < len(pages):
        notes.append(f"{len(blank)} page(s) without a text layer (images only): {', '.join(map(str, blank[:20]))}")
    return _assemble(pages, notes)


def _assemble(pages: list[PageText], notes: list[str]) -> Extracted:
    out = TextBuilder()
    para: list[tuple[str, int]] = []  # pieces of the open paragraph (line text, page)
    table: list[tuple[list[list[GridCell]], int]] = []  # open table: its grids with their page

    def flush_para():
        if para:
            prev = ""
            for txt, pg in para:
                body = txt[:-1] if txt.endswith(_SOFT_HYPHEN) else txt
                out.add(("" if prev.endswith(_SOFT_HYPHEN) else wrap_separator(prev, body)) + body, pg)
                prev = txt
            out.add("\n", para[-1][1])
            para.clear()

    def flush_table():
        if table:
            grid, pages_of = [], []
            for k, (g, pg) in enumerate(table):
                rows = g if k == 0 else continues(table[0][0], g)
                grid.extend(rows)
                pages_of.extend([pg] * len(rows))
            for i, line in grid_lines(grid):
                out.add(line + "\n", pages_of[i])
            table.clear()

    widths: dict[float, list[float]] = {}
    for p in pages:
        if len(p.lines) >= 8 and not p.toc:
            widths.setdefault(p.width, []).append(max(ln.right for ln in p.lines))
    doc_right = {w: statistics.median(r) for w, r in widths.items()}
    doc_em = statistics.median([ln.height for p in pages if len(p.lines) >= 8 for ln in p.lines] or [12])
    prev_ended = True
    for p in pages:
        if p.toc:
            flush_para()
            flush_table()
            prev_ended = True
            continue
        body = [ln for _, ln in _blocks(p) if isinstance(ln, Line)]
        page_left = min((ln.left for ln in body), default=0)
        # a page of short lines only (a table one cell per line) has no full line: the text block's edge
        # is the one the document's other pages of the same width show
        em = statistics.median([ln.height for ln in body]) if body else 12
        same_type = max((ln.height for ln in body), default=0) <= 1.3 * doc_em  # a cover in large type keeps its edge
        page_right = max([ln.right for ln in body] + [doc_right.get(p.width, 0) if same_type else 0], default=p.width)
        blocks = _blocks(p)
        for k, (kind, item) in enumerate(blocks):
            if kind == "table":
                flush_para()
                carried = table and k == 0 or table and all(b[0] == "line" and _CAPTION_CONT.match(b[1].text)
                                                           for b in blocks[:k])
                if not (carried and len(item.grid[0]) == len(table[-1][0][0])):
                    flush_table()
                table.append((item.grid, p.index + 1))
                prev_ended = True
                continue
            ln = item
            if _CAPTION_CONT.match(ln.text) and k + 1 < len(blocks) and blocks[k + 1][0] == "table":
                continue  # 续表: the table below continues the one before
            if table:
                flush_table()
            left = page_left if ln.margin_left is None else ln.margin_left
            right = page_right if ln.margin_right is None else ln.margin_right
            starts_new = (prev_ended or _HEADING.match(ln.text) or _BULLET.match(ln.text) or ln.left > left + 1.5 * em)
            if starts_new:
                flush_para()
            para.append((ln.text, p.index + 1))
            # a heading is a short line, so it ends here too; a full-width numbered line (`1．加强…`) goes on
            prev_ended = bool(_END.search(ln.text) or ln.right < right - 1.5 * em)
        if table and blocks and blocks[-1][0] != "table":
            flush_table()
    flush_para()
    flush_table()
    text = out.text()
    spans = out.spans([(p.index + 1, p.label, "toc" if p.toc else "page") for p in pages])
    return Extracted(text, spans, "pdf", len(pages), notes)
