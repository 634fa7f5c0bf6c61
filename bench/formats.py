"""File types for the benchmark corpus: a generated plan's text as the PDF or Word file a government
site would attach (deterministic bytes; reportlab and python-docx only, and only when installed).

- PDF: A4 pages of wrapped lines in a CJK font (reportlab's built-in STSong-Light, which pdfium reads
  back as Unicode), a printed folio `— n —` at the foot of each page, as Word exports have.
- DOCX: one paragraph per line, headings (第…章 / 第…节) in heading styles, and every run of pipe-table
  lines as a real Word table.

Known limit: reportlab can embed only TrueType fonts, and the machine's CJK fonts (Noto CJK) are CFF,
so the PDFs use the non-embedded CID font STSong-Light; pdfium then loads a substitute font for every
page (~30-55 ms a page here, where Word-exported PDFs with embedded subset fonts read at hundreds of pages
a second). `pdf_floor_pages_per_s` on these PDFs is therefore a pessimistic floor; embed a TrueType CJK
font (e.g. WenQuanYi) in `_cid_font` when one is installed.

How often each type appears is `SHARES` (from what researchers collect: the page itself, its PDF
attachment most often, Word files next, and text someone exported).
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache

# share of the corpus by file type when every type is generated (html: the page copy; pdf/docx: the
# attachment; txt: text exported or pasted by a researcher)
SHARES = {"html": 0.25, "pdf": 0.40, "docx": 0.20, "txt": 0.15}
TEXT_FORMATS = ("txt", "html")
_HEADING = re.compile(r"^\s*第[一二三四五六七八九十]+[章节]")
_FIXED_DATE = (2021, 1, 1, 0, 0, 0)


def available_formats() -> tuple[str, ...]:
    """The file types this machine can generate."""
    out = list(TEXT_FORMATS)
    try:
        import reportlab  # noqa: F401

        out.append("pdf")
    except ImportError:
        pass
    try:
        import docx  # noqa: F401

        out.append("docx")
    except ImportError:
        pass
    return tuple(out)


def parse_formats(spec: str) -> tuple[str, ...]:
    """`txt,html,pdf,docx` (or `all`) → the formats asked for; a clear error for one that cannot be made."""
    wanted = available_formats() if spec.strip() == "all" else tuple(s.strip() for s in spec.split(",") if s.strip())
    unknown = [f for f in wanted if f not in SHARES]
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(SHARES)}")
    missing = [f for f in wanted if f not in available_formats()]
    if missing:
        raise ValueError(f"cannot generate {', '.join(missing)}: install reportlab (pdf) / python-docx (docx)")
    return wanted


def _width(ch: str) -> float:
    return 0.5 if ord(ch) < 0x2E80 else 1.0


def _wrap(line: str, width: float) -> list[str]:
    out, cur, w = [], [], 0.0
    for ch in line:
        if w + _width(ch) > width and cur:
            out.append("".join(cur))
            cur, w = [], 0.0
        cur.append(ch)
        w += _width(ch)
    out.append("".join(cur))
    return out


@lru_cache(maxsize=1)
def _cid_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def to_pdf(text: str, title: str = "") -> bytes:
    """The text as an A4 PDF (lines wrapped at ~40 CJK characters, 46 lines a page, a folio per page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _cid_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    lines = [w for line in text.replace("\r\n", "\n").split("\n") for w in (_wrap(line.strip(), 40) if line.strip() else [])]
    per_page = 46
    for page, start in enumerate(range(0, max(len(lines), 1), per_page), 1):
        c.setFont(font, 11)
        y = A4[1] - 72
        for line in lines[start:start + per_page]:
            c.drawString(72, y, line)
            y -= 15.5
        c.setFont(font, 10)
        c.drawCentredString(A4[0] / 2, 40, f"— {page} —")
        c.showPage()
    c.save()
    return buf.getvalue()


def _is_table_line(line: str) -> bool:
    return line.count("|") >= 3


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.strip().split("|")]
    if cells and cells[0] == "":
        cells = cells[1:]
    if cells and cells[-1] == "":
        cells = cells[:-1]
    return cells


def to_docx(text: str, title: str = "") -> bytes:
    """The text as a Word file: headings styled, pipe-table runs as real tables, fixed timestamps."""
    import datetime as dt

    import docx

    d = docx.Document()
    d.core_properties.title = title
    d.core_properties.created = d.core_properties.modified = dt.datetime(2021, 1, 1)
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_table_line(line):
            block = []
            while i < len(lines) and _is_table_line(lines[i]):
                if not re.fullmatch(r"[|\s:-]+", lines[i]):  # markdown separator rows are not cells
                    block.append(_cells(lines[i]))
                i += 1
            ncol = max(len(r) for r in block)
            table = d.add_table(rows=len(block), cols=ncol)
            table.style = "Table Grid"
            for r, cells in enumerate(block):
                for k, value in enumerate(cells):
                    table.cell(r, k).text = value
            continue
        if line:
            if _HEADING.match(line):
                d.add_heading(line, level=1 if "章" in line[:6] else 2)
            else:
                d.add_paragraph(line)
        i += 1
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every member dated 2021-01-01 (python-docx stamps the current time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED_DATE), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
