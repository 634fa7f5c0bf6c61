"""Word documents → text with a block map: DOCX through python-docx, .doc / .wps through LibreOffice.

Paragraphs and tables are read in document order (`Document.iter_inner_content()`), one line per
paragraph; heading levels come from Word styles (`Heading 1`, `标题 1`, `Title`) or from 一、 /
（一） numbering. Tables are read from their XML grid (`gridSpan`, `vMerge`), so merged cells and
two-level headers come out as one header row and one pipe row per table row; a manual line
break inside a cell and a value split across runs are joined. A one-cell table is a 专栏 box:
its text is emitted as prose after a line `专栏：<title>`. Macros and embedded objects are removed
before parsing (see `analysis.ingest.filetypes.safe_docx`) and never run.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from analysis.clean.layout import Extracted, GridCell, PageSpan, TextBuilder, grid_lines, join_wrapped
from analysis.ingest.encoding import DocumentError
from analysis.ingest.filetypes import safe_docx

SOFFICE_TIMEOUT = 120  # seconds for one conversion
_NUMBERED = ((1, re.compile(r"^(第[一二三四五六七八九十百]+章|[一二三四五六七八九十]+、)")),
             (2, re.compile(r"^(第[一二三四五六七八九十百]+节|[(（][一二三四五六七八九十]+[)）])")))
_STYLE_LEVEL = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_BOX_TITLE = re.compile(r"^专栏\s*")
_TOC_LINE = re.compile(r"[.．·…⋯]{3,}\s*\d{1,4}\s*$")


def heading_level(style_name: str | None, text: str) -> int | None:
    """Outline level of a paragraph: from its Word style, else from 一、/（一） numbering on a short line."""
    if style_name:
        if style_name.strip().lower() in ("title", "标题"):
            return 0
        m = _STYLE_LEVEL.match(style_name.strip())
        if m:
            return int(m.group(1))
    if len(text) <= 40 and not re.search(r"[。；]", text):
        for level, rx in _NUMBERED:
            if rx.match(text):
                return level
    return None


def _grid(table) -> list[list[GridCell]]:
    """The table's cells on its column grid, merges marked (`gridSpan` → left, `vMerge` continue → above)."""
    from docx.table import _Cell

    grid = []
    for tr in table._tbl.tr_lst:
        row: list[GridCell] = [GridCell("", "left") for _ in range(tr.grid_before)]
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                row.append(GridCell("", "above"))
            else:
                row.append(GridCell(_Cell(tc, table).text))
            row.extend(GridCell("", "left") for _ in range(tc.grid_span - 1))
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    for r in grid:
        r.extend(GridCell("") for _ in range(width - len(r)))
    return grid


def _box_lines(table) -> list[str]:
    """A 专栏 box: its title line, then its paragraphs as prose."""
    paras = []
    for row in table.rows:
        for cell in dict.fromkeys(row.cells):  # a merged cell appears once
            paras += [join_wrapped(p.text.split("\n")) for p in cell.paragraphs]
    paras = [p for p in paras if p.strip()]
    if not paras:
        return []
    return [f"专栏：{_BOX_TITLE.sub('', paras[0]).strip()}"] + paras[1:]  # a one-cell table is a box even untitled


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def text_boxes(p_element) -> list[list[str]]:
    """The text boxes anchored in a paragraph (DrawingML `wps:txbx` or VML `v:textbox`), each as its
    paragraphs' texts. Word writes each box twice (`mc:Choice` and an `mc:Fallback` copy): the
    fallback copy is skipped, and so is a box nested inside another box (read with its parent)."""
    boxes = []
    for box in p_element.iter(_W + "txbxContent"):
        up = box.getparent()
        nested = False
        while up is not None and up is not p_element:
            if up.tag == _FALLBACK or up.tag == _W + "txbxContent":
                nested = True
                break
            up = up.getparent()
        if nested:
            continue
        paras = []
        for p in box.iter(_W + "p"):
            text = "".join((t.text or "") if t.tag == _W + "t" else "\n" for t in p.iter(_W + "t", _W + "br", _W + "cr"))
            text = join_wrapped(text.split("\n"))
            if text.strip():
                paras.append(text)
        if paras:
            boxes.append(paras)
    return boxes


def _box_text(paras: list[str]) -> list[str]:
    """A box's paragraphs as lines: a 专栏 title becomes `专栏：<title>`, the rest stays prose."""
    if _BOX_TITLE.match(paras[0]):
        return [f"专栏：{_BOX_TITLE.sub('', paras[0]).strip()}"] + paras[1:]
    return paras


def _is_box(grid: list[list[GridCell]]) -> bool:
    """One cell, or one column of cells (a title row over body rows): a box of prose, never an indicator table."""
    own = [[c for c in row if c.span is None] for row in grid]
    return all(len(r) <= 1 for r in own)


def read_docx(data: bytes, name: str = "") -> Extracted:
    """A DOCX's text (one line per paragraph, tables as pipe rows) and its block map."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    name = name or "document.docx"
    pkg = safe_docx(data, name)
    try:
        document = docx.Document(io.BytesIO(pkg.data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError/ValueError/lxml errors on broken packages
        raise DocumentError(f"{name}: not a readable Word document ({type(exc).__name__}: {exc}) / Word 文件无法读取") from None
    out = TextBuilder()
    keys: list[tuple[int, str | None, str]] = []
    n_para = n_table = n_box = 0
    outline: list[tuple[int, str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = join_wrapped(block.text.split("\n"))
            style = block.style.name if block.style is not None else None
            boxes = text_boxes(block._p)
            if (style or "").lower().startswith(("toc", "目录")) or _TOC_LINE.search(text):
                continue  # a table-of-contents entry (Word's TOC styles, dotted leaders)
            if text.strip():
                n_para += 1
                key = len(keys) + 1
                keys.append((key, f"段{n_para}", "paragraph"))
                level = heading_level(style, text)
                if level is not None:
                    outline.append((level, text))
                out.add(text + "\n", key)
            for paras in boxes:  # after the paragraph that anchors it
                n_box += 1
                key = len(keys) + 1
                keys.append((key, f"文本框{n_box}", "textbox"))
                out.add("\n".join(_box_text(paras)) + "\n", key)
        elif isinstance(block, Table):
            grid = _grid(block)
            lines = _box_lines(block) if _is_box(grid) else [ln for _, ln in grid_lines(grid)]
            if not lines:
                continue
            n_table += 1
            key = len(keys) + 1
            keys.append((key, f"表{n_table}", "table"))
            out.add("\n".join(lines) + "\n", key)
    notes = []
    if pkg.ignored:
        notes.append(f"macros / embedded objects ignored (never run): {', '.join(pkg.ignored[:10])}")
    return Extracted(out.text(), out.spans(keys), "docx", len(keys), notes, outline)


def convert_legacy(data: bytes, name: str) -> bytes:
    """.doc / .wps → .docx bytes through LibreOffice (`soffice --headless`), in a temporary folder."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise DocumentError(f"{name}: old Word/WPS format needs LibreOffice to convert it; install the Debian package "
                            "libreoffice-writer (or save it as .docx) / 需要安装 libreoffice-writer")
    with tempfile.TemporaryDirectory(prefix="plans-doc-") as tmp:
        src = Path(tmp) / ("input" + (Path(name).suffix.lower() or ".doc"))
        src.write_bytes(data)
        try:
            subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "docx", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=SOFFICE_TIMEOUT)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise DocumentError(f"{name}: LibreOffice could not convert it ({type(exc).__name__}) / 转换失败") from None
        out = src.with_suffix(".docx")
        if not out.exists():
            raise DocumentError(f"{name}: LibreOffice produced no .docx (a damaged file?) / 转换失败")
        return out.read_bytes()


def read_word(data: bytes, name: str, kind: str) -> Extracted:
    """DOCX directly; .doc / .wps converted first."""
    if kind == "doc":
        return read_docx(convert_legacy(data, name), name)
    return read_docx(data, name)


__all__ = ["PageSpan", "convert_legacy", "heading_level", "read_docx", "read_word"]
