"""What a raw file really is, read from its bytes (never from the extension alone), and the
safety checks a Word package needs before anything parses it.

`detect_type(data)` → "pdf" | "docx" | "doc" (OLE2 compound file: .doc / .wps / .xls …) | "zip" |
"html" | "text" | "image" | "binary". `check_type(data, name)` raises DocumentError when the
content does not match the extension, naming the file and saying what it really is.
`safe_docx(data, name)` opens a DOCX package with a cap on the decompressed size (checked before
extracting), refuses XML entity declarations (never expanded), and drops macros and embedded
objects (never run) so that the parser only sees the document parts.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from analysis.ingest.encoding import DocumentError

MAX_DOCX_UNZIPPED = 100 * 1024 * 1024  # a plan's Word package inflates to a few MB at most
MAX_ZIP_RATIO = 200  # deflate on XML rarely passes 20:1; far above that is a bomb
MAX_ZIP_MEMBERS = 5_000

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<div[\s>]|<table[\s>]", re.I)

WHAT = {"pdf": "a PDF", "docx": "a Word .docx document", "doc": "an old Word/WPS document (.doc/.wps)",
        "zip": "a ZIP archive", "html": "an HTML page", "text": "a plain text file", "image": "an image",
        "binary": "a binary file"}
SUFFIX_OF = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "zip": ".zip", "html": ".html", "text": ".txt"}
# extension → types its content may have (text files may carry HTML: web copies are read as HTML)
ACCEPTS = {".pdf": {"pdf"}, ".docx": {"docx"}, ".doc": {"doc"}, ".wps": {"doc"},
           ".html": {"html", "text"}, ".htm": {"html", "text"}, ".txt": {"text", "html"}, ".md": {"text", "html"}}


def detect_type(data: bytes) -> str:
    head = data[:1024]
    if b"%PDF-" in head:  # the header may follow a few bytes of junk
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if data.startswith(_OLE):
        return "doc" if _WORD_STREAM in data[:1 << 20] or data.find(_WORD_STREAM) >= 0 else "binary"
    if data.startswith(_IMAGES):
        return "image"
    if data.startswith((b"\x7fELF", b"MZ")):
        return "binary"
    if _HTML.search(data[:4096]):
        return "html"
    return "text"


def check_type(data: bytes, name: str) -> str:
    """The detected type, or DocumentError when the content contradicts the file's extension."""
    kind = detect_type(data)
    suffix = PurePath(name).suffix.lower()
    allowed = ACCEPTS.get(suffix)
    if allowed is None or kind in allowed:
        return kind
    if kind == "zip" and suffix == ".docx":
        try:
            zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise DocumentError(f"{name}: truncated or corrupt Word package (the ZIP cannot be opened) "
                                "/ Word 文件不完整或已损坏") from None
        raise DocumentError(f"{name}: this ZIP archive has no word/document.xml, so it is not a Word .docx document "
                            "/ 不是 Word 文档")
    if kind == "binary" and suffix in (".doc", ".wps"):
        raise DocumentError(f"{name}: this OLE file has no WordDocument stream (an Excel or other Office file?), "
                            "not a Word/WPS document / 不是 Word 文档")
    what = WHAT.get(kind, "a binary file")
    wanted = WHAT.get(next(iter(allowed)) if len(allowed) == 1 else "text", suffix)
    hint = ""
    if kind in SUFFIX_OF:
        hint = f"; rename it {PurePath(name).stem}{SUFFIX_OF[kind]}"
    raise DocumentError(f"{name}: this is {what}, not {wanted}{hint} / 文件内容与扩展名不符")


# ---------------------------------------------------------------- DOCX package safety

_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
_MACRO_CT = b"application/vnd.ms-word.document.macroEnabled.main+xml"
_DOCX_CT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_ACTIVE = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|embeddings/|activeX/)", re.I)


@dataclass
class SafePackage:
    data: bytes  # the package to parse: macros and embedded objects removed
    ignored: list[str] = field(default_factory=list)  # member names that were dropped


def safe_docx(data: bytes, name: str, *, max_unzipped: int = MAX_DOCX_UNZIPPED) -> SafePackage:
    """Check a DOCX package before any XML parser sees it; return it without active content."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentError(f"{name}: corrupt Word package (ZIP: {exc}) / Word 文件已损坏") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise DocumentError(f"{name}: {len(infos):,} parts in the Word package (limit {MAX_ZIP_MEMBERS:,}); refused")
    declared = sum(i.file_size for i in infos)
    if declared > max_unzipped:
        raise DocumentError(f"{name}: the Word package would inflate to {declared / 2**20:,.0f} MB "
                            f"(limit {max_unzipped / 2**20:,.0f} MB): a zip bomb or not a plan; refused / 压缩炸弹")
    for i in infos:
        if i.file_size > 10 * 2**20 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            raise DocumentError(f"{name}: part {i.filename} inflates {i.file_size // max(i.compress_size, 1):,}× "
                                f"({i.file_size / 2**20:,.0f} MB): a zip bomb; refused / 压缩炸弹")
    ignored = [i.filename for i in infos if _ACTIVE.search(i.filename)]
    out = io.BytesIO()
    total = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for i in infos:
            if i.filename in ignored:
                continue
            try:
                with z.open(i) as fh:  # reads at most the declared size; a lying header fails its CRC
                    body = fh.read(max_unzipped - total + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise DocumentError(f"{name}: corrupt Word package part {i.filename} ({exc}) / Word 文件已损坏") from None
            total += len(body)
            if total > max_unzipped:
                raise DocumentError(f"{name}: the Word package inflates past {max_unzipped / 2**20:,.0f} MB; refused")
            if i.filename.endswith((".xml", ".rels")) and _DTD.search(body):
                raise DocumentError(f"{name}: {i.filename} declares a DTD or XML entities (<!DOCTYPE>/<!ENTITY>); "
                                    "Word never writes them, so the file was refused unread / XML 实体声明，拒绝读取")
            if i.filename == "[Content_Types].xml" and _MACRO_CT in body:
                body = body.replace(_MACRO_CT, _DOCX_CT)
            w.writestr(i.filename, body)
    return SafePackage(out.getvalue(), ignored)


# ---------------------------------------------------------------- document properties

_TEMPLATE_DATES = ("2013-12-23",)  # python-docx's default template: not the document's date
_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?")


def _pdf_date(value: str) -> str | None:
    m = _PDF_DATE.match(value or "")
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2) or "01", m.group(3) or "01"
    return f"{y}-{mo}-{d}"


def read_properties(data: bytes, name: str) -> dict[str, str]:
    """What a PDF's document information or a DOCX's core properties say (title, author, subject,
    keywords, created, modified as YYYY-MM-DD); empty values and template dates left out. For
    `plans add` to propose sidecar fields; the caller decides what to trust (authors are often
    a typist's account, not the issuer)."""
    kind = check_type(data, name)
    out: dict[str, str] = {}
    if kind == "pdf":
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return {}
        try:
            meta = pdf.get_metadata_dict(skip_empty=True)
        finally:
            pdf.close()
        for key, field_ in (("Title", "title"), ("Author", "author"), ("Subject", "subject"), ("Keywords", "keywords")):
            if meta.get(key, "").strip():
                out[field_] = meta[key].strip()
        for key, field_ in (("CreationDate", "created"), ("ModDate", "modified")):
            if _pdf_date(meta.get(key, "")):
                out[field_] = _pdf_date(meta[key])
    elif kind == "docx":
        from defusedxml import ElementTree

        pkg = safe_docx(data, name)
        with zipfile.ZipFile(io.BytesIO(pkg.data)) as z:
            if "docProps/core.xml" not in z.namelist():
                return {}
            root = ElementTree.fromstring(z.read("docProps/core.xml"))
        for el in root:
            tag = el.tag.rsplit("}", 1)[-1]
            field_ = {"title": "title", "creator": "author", "subject": "subject", "keywords": "keywords",
                      "created": "created", "modified": "modified"}.get(tag)
            text = (el.text or "").strip()
            if not field_ or not text:
                continue
            if field_ in ("created", "modified"):
                text = text[:10]
                if text in _TEMPLATE_DATES or not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
                    continue
            out[field_] = text
    return out
