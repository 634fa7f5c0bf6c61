"""File types by content, extension mismatches, and the DOCX package checks (zip bomb, XML entities,
macros and embedded objects)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from analysis.clean import clean_document
from analysis.ingest.encoding import DocumentError
from analysis.ingest.filetypes import check_type, detect_type, safe_docx

FORMATS = Path(__file__).parent / "fixtures" / "formats"


def _read(name: str) -> bytes:
    return (FORMATS / name).read_bytes()


def _fake_ole(stream: str = "WordDocument") -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream.encode("utf-16-le") + bytes(64)


@pytest.mark.parametrize("name, kind", [
    ("qinghe_plan.pdf", "pdf"), ("qinghe_word.docx", "docx"), ("hostile_html.pdf", "html"),
    ("hostile_encrypted.pdf", "pdf"), ("hostile_scan.pdf", "pdf"), ("hostile_bomb.docx", "docx"),
])
def test_type_is_read_from_the_content(name, kind):
    assert detect_type(_read(name)) == kind


def test_other_signatures():
    assert detect_type(_fake_ole()) == "doc"
    assert detect_type(_fake_ole("Workbook")) == "binary"
    assert detect_type(b"\x89PNG\r\n\x1a\n" + bytes(20)) == "image"
    assert detect_type("规划正文，没有标签。".encode()) == "text"
    assert detect_type(b"junk\n%PDF-1.7\n") == "pdf"  # a header after a few junk bytes
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<x/>")
    assert detect_type(buf.getvalue()) == "zip"


@pytest.mark.parametrize("data, name, needle", [
    (b"<!DOCTYPE html><html><body>x</body></html>", "plan.pdf",
     "plan.pdf: this is an HTML page, not a PDF; rename it plan.html"),
    (b"%PDF-1.7\n...%%EOF", "plan.txt", "plan.txt: this is a PDF, not a plain text file; rename it plan.pdf"),
    (b"%PDF-1.7\n...%%EOF", "plan.docx", "plan.docx: this is a PDF, not a Word .docx document; rename it plan.pdf"),
    ("纯文本".encode(), "plan.doc", "plan.doc: this is a plain text file, not an old Word"),
])
def test_content_that_contradicts_the_extension_is_refused(data, name, needle):
    with pytest.raises(DocumentError) as exc:
        check_type(data, name)
    assert needle in str(exc.value)


def test_text_files_may_hold_html_and_unknown_extensions_pass():
    assert check_type(b"<html><body><p>x</p></body></html>", "page.txt") == "html"
    assert check_type("正文".encode(), "notes") == "text"


def test_a_zip_that_is_not_word_and_an_ole_that_is_not_word():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<x/>")
    with pytest.raises(DocumentError, match="book.docx: this ZIP archive has no word/document.xml"):
        check_type(buf.getvalue(), "book.docx")
    with pytest.raises(DocumentError, match="sheet.doc: this OLE file has no WordDocument stream"):
        check_type(_fake_ole("Workbook"), "sheet.doc")


def test_zip_bomb_is_refused_before_extracting():
    with pytest.raises(DocumentError) as exc:
        clean_document(_read("hostile_bomb.docx"), name="hostile_bomb.docx")
    msg = str(exc.value)
    assert msg.startswith("hostile_bomb.docx: ") and "160 MB" in msg and "limit 100 MB" in msg and "zip bomb" in msg


def test_decompressed_size_cap_applies_to_ordinary_packages_too():
    with pytest.raises(DocumentError, match=r"good.docx: the Word package would inflate to .* \(limit 0 MB\)"):
        safe_docx(_read("qinghe_word.docx"), "good.docx", max_unzipped=1000)


def test_xml_entities_are_refused_never_expanded():
    with pytest.raises(DocumentError) as exc:
        clean_document(_read("hostile_xxe.docx"), name="hostile_xxe.docx")
    msg = str(exc.value)
    assert msg.startswith("hostile_xxe.docx: word/document.xml declares a DTD or XML entities")
    assert "哈哈" not in msg


def test_macros_and_embedded_objects_are_dropped_and_reported():
    pkg = safe_docx(_read("hostile_objects.docx"), "hostile_objects.docx")
    assert sorted(pkg.ignored) == ["word/embeddings/oleObject1.bin", "word/vbaProject.bin"]
    names = zipfile.ZipFile(io.BytesIO(pkg.data)).namelist()
    assert "word/vbaProject.bin" not in names and "word/document.xml" in names
    good = clean_document(_read("qinghe_word.docx"), name="qinghe_word.docx")
    risky = clean_document(_read("hostile_objects.docx"), name="hostile_objects.docx")
    assert risky.text == good.text
    assert [f.kind for f in risky.flags] == ["format"] and "vbaProject.bin" in risky.flags[0].message


def test_a_macro_enabled_package_is_read_without_its_macros():
    src = zipfile.ZipFile(io.BytesIO(_read("qinghe_word.docx")))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"wordprocessingml.document.main+xml",
                                    b"wordprocessingml.document.main+xml_").replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml_",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
            z.writestr(info.filename, body)
        z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(64))
    r = clean_document(buf.getvalue(), name="macro.docx")
    assert "养老机构护理型床位占比" in r.text


def test_a_truncated_word_package_names_the_file():
    data = _read("qinghe_word.docx")
    with pytest.raises(DocumentError, match="cut.docx: truncated or corrupt Word package"):
        clean_document(data[: len(data) // 2], name="cut.docx")


def test_old_word_without_libreoffice_names_the_package(monkeypatch):
    import analysis.clean.docx as word

    monkeypatch.setattr(word.shutil, "which", lambda _name: None)
    with pytest.raises(DocumentError) as exc:
        clean_document(_fake_ole(), name="旧规划.wps")
    msg = str(exc.value)
    assert msg.startswith("旧规划.wps: ") and "libreoffice-writer" in msg and "\n" not in msg


def test_document_properties_for_the_sidecar():
    from analysis.ingest.filetypes import read_properties

    pdf = read_properties(_read("qinghe_plan.pdf"), "qinghe_plan.pdf")
    assert pdf["title"] == "青禾市民政事业发展“十四五”规划"
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", pdf["created"])
    word = read_properties(_read("qinghe_word.docx"), "qinghe_word.docx")
    assert word["title"] == "青禾市民政事业发展“十四五”规划（文字版）"
    assert word["created"] == "2021-11-01"
    assert read_properties("正文".encode(), "x.txt") == {}
    with pytest.raises(DocumentError, match="hostile_xxe.docx: word/document.xml declares"):
        read_properties(_read("hostile_xxe.docx"), "hostile_xxe.docx")
