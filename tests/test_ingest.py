"""Raw folder and sidecars: provenance beside each file, `plans add`, never overwrite."""

import hashlib

import pytest
import yaml
from conftest import RAW, ROOT

from analysis.ingest import (
    KINDS,
    LEVELS,
    SIDECAR_FIELDS,
    SidecarError,
    add_document,
    list_documents,
    load_sidecar,
    safe_name,
    sidecar_path,
    sidecar_warnings,
)


def test_seed_sidecars_match_their_raw_files():
    docs = list_documents(RAW)
    assert len(docs) == 5
    for p in docs:
        meta = load_sidecar(sidecar_path(p))
        assert meta["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest(), p.name
        assert meta["file"] == p.name
        assert sidecar_warnings(meta, p, meta["sha256"]) == []


def test_unnamed_city_stays_unnamed():
    meta = load_sidecar(sidecar_path(RAW / "000_755a3ff748e6ef5c.txt"))
    assert meta["city"] is None and meta["city_unnamed"] is True


def test_missing_sidecar_is_named(tmp_path):
    with pytest.raises(SidecarError, match="x.meta.yml: sidecar missing"):
        load_sidecar(tmp_path / "x.meta.yml")


def test_malformed_sidecar_names_file_and_line(tmp_path):
    p = tmp_path / "bad.meta.yml"
    p.write_text("city: 晋中市\nprovince: [山西省\n", encoding="utf-8")
    with pytest.raises(SidecarError, match=r"bad.meta.yml line \d+: malformed YAML"):
        load_sidecar(p)


def test_sidecar_with_unknown_field_or_kind_is_refused(tmp_path):
    p = tmp_path / "a.meta.yml"
    p.write_text("city: 晋中市\ncolour: red\n", encoding="utf-8")
    with pytest.raises(SidecarError, match="unknown field"):
        load_sidecar(p)
    p.write_text("city: 晋中市\nkind: blog\n", encoding="utf-8")
    with pytest.raises(SidecarError, match="kind must be one of"):
        load_sidecar(p)


def test_sidecar_naming_no_city_is_a_warning(tmp_path):
    assert "names no city" in sidecar_warnings({"kind": "plan"}, tmp_path, "0")[0]


def test_add_copies_and_writes_sidecar(tmp_path):
    src = tmp_path / "in" / "某市 规划 (2022).txt"
    src.parent.mkdir()
    src.write_text("到2025年，养老机构护理型床位占比达到55%。", encoding="utf-8")
    raw = tmp_path / "raw"
    dest = add_document(src, raw, city="某市", province="某省", level="prefecture")
    assert dest.name == "某市_规划_2022.txt"
    assert dest.read_bytes() == src.read_bytes()
    meta = yaml.safe_load(sidecar_path(dest).read_text(encoding="utf-8"))
    assert meta["city"] == "某市" and meta["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
    # same file again, same options: nothing to change; a different file with the same name: refused
    add_document(src, raw, city="某市")
    assert yaml.safe_load(sidecar_path(dest).read_text(encoding="utf-8")) == meta
    src.write_text("不同的内容", encoding="utf-8")
    with pytest.raises(FileExistsError, match="different file"):
        add_document(src, raw, city="某市")
    assert "55%" in dest.read_text(encoding="utf-8")


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "passwd.txt"), ("a b.html", "a_b.html"), ("..\\..\\x.txt", "x.txt"),
    ("晋中市 规划.TXT", "晋中市_规划.txt"), (".hidden.txt", "hidden.txt"), ("规划.PDF", "规划.pdf"),
    ("规划.docx", "规划.docx"), ("规划.wps", "规划.wps"), ("notes.md", "notes.md"),
])
def test_safe_name_never_escapes_the_raw_folder(name, expected):
    assert safe_name(name) == expected


# ---------------------------------------------------------------- plans add / remove

from analysis.ingest import add_to_raw, remove_document  # noqa: E402
from analysis.ingest.docmeta import read_metadata  # noqa: E402

LAYOUT = __import__("pathlib").Path(__file__).parent / "fixtures" / "layout"


def _src(tmp_path, name: str, data: bytes):
    p = tmp_path / "in" / name
    p.parent.mkdir(exist_ok=True)
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("name,data", [
    ("plan.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
    ("plan.docx", b"PK\x03\x04" + b"\x00" * 40),
    ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40),
    ("plan.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40),
    ("plan.md", "| 指标 | 2025年 |\n".encode()),
    ("plan.htm", b"<html><body><p>x</p></body></html>"),
    ("plan.txt", "到2025年，护理型床位占比达到55%。".encode("utf-16")),
])
def test_add_keeps_the_real_extension(tmp_path, name, data):
    dest = add_document(_src(tmp_path, name, data), tmp_path / "raw", city="某市")
    assert dest.name == name and dest.read_bytes() == data
    assert yaml.safe_load(sidecar_path(dest).read_text(encoding="utf-8"))["file"] == name
    assert dest in list_documents(tmp_path / "raw")


@pytest.mark.parametrize("name,data,what", [
    ("plan.pdf", b"<html><body><p>not a pdf</p></body></html>", "an HTML page"),
    ("plan.txt", b"%PDF-1.7\n", "a PDF file"),
    ("plan.docx", b"%PDF-1.7\n", "a PDF file"),
    ("plan.html", b"PK\x03\x04\x00\x00", "a ZIP package"),
    ("plan.txt", b"\x00\x01\x02" * 50, "a binary file"),
])
def test_add_refuses_content_that_does_not_match_the_name(tmp_path, name, data, what):
    with pytest.raises(ValueError, match=f"{name}: named .* but the content is {what}"):
        add_document(_src(tmp_path, name, data), tmp_path / "raw", city="某市")
    assert not (tmp_path / "raw" / name).exists()


def test_add_refuses_an_unknown_suffix(tmp_path):
    with pytest.raises(ValueError, match="plan.xlsx: `plans add` takes"):
        add_document(_src(tmp_path, "plan.xlsx", b"PK\x03\x04"), tmp_path / "raw", city="某市")


def test_add_refuses_the_same_bytes_under_another_name(tmp_path):
    raw = tmp_path / "raw"
    add_document(_src(tmp_path, "first.txt", "到2025年，火化率达到100%。".encode()), raw, city="某市")
    with pytest.raises(FileExistsError, match="second.txt: the same file is already in the raw folder as first.txt"):
        add_document(_src(tmp_path, "second.txt", "到2025年，火化率达到100%。".encode()), raw, city="某市")
    assert not (raw / "second.txt").exists() and not (raw / "second.meta.yml").exists()


def test_rewriting_a_sidecar_needs_force_and_keeps_every_field(tmp_path):
    raw = tmp_path / "raw"
    src = _src(tmp_path, "plan.txt", "规划正文。".encode())
    add_to_raw(src, raw, city="某市", province="某省", doc_number="某府发〔2022〕1号", source_url="https://example.org/a")
    with pytest.raises(FileExistsError, match=r"plan.meta.yml already exists; pass --force .*issuer: None → '某市民政局'"):
        add_to_raw(src, raw, city="某市", issuer="某市民政局")
    res = add_to_raw(src, raw, city="某市", issuer="某市民政局", force=True)
    meta = load_sidecar(raw / "plan.meta.yml")
    assert meta["issuer"] == "某市民政局" and res.changed == {"issuer": (None, "某市民政局")}
    # fields not given again are kept, never dropped
    assert (meta["province"], meta["doc_number"], meta["source_url"]) == ("某省", "某府发〔2022〕1号", "https://example.org/a")
    assert add_to_raw(src, raw, city="某市").unchanged


def test_add_rejects_a_malformed_date(tmp_path):
    with pytest.raises(ValueError, match="issued_date must be a date written YYYY-MM-DD"):
        add_to_raw(_src(tmp_path, "p.txt", "正文".encode()), tmp_path / "raw", city="某市", issued_date="2022年5月")


def test_sidecar_is_filled_from_the_html_page_and_options_win(tmp_path):
    data = (LAYOUT / "cms_gbk.html").read_bytes()
    found = read_metadata(data)
    assert found == {"title": "碧川市民政事业发展“十四五”规划", "published_date": "2022-06-18",
                     "issuer": "碧川市人民政府办公室", "doc_number": "碧府办发〔2022〕17号", "issued_date": "2022-06-15"}
    res = add_to_raw(_src(tmp_path, "bichuan.html", data), tmp_path / "raw", city="碧川市",
                     issuer="碧川市民政局", source_url="http://example.gov.cn/a.html")
    meta = load_sidecar(res.sidecar)
    assert meta["title"] == "碧川市民政事业发展“十四五”规划" and meta["doc_number"] == "碧府办发〔2022〕17号"
    assert meta["issuer"] == "碧川市民政局"  # the option wins over the page's ContentSource
    assert meta["source_url"] == "http://example.gov.cn/a.html" and meta["published_date"] == "2022-06-18"


def test_sidecar_is_filled_from_the_first_lines_of_text():
    text = ("索引号: | 0001/2022-00097 | 发文字号: | 某府办发〔2022〕38号 |\n"
            "发布机构: | 某区政府办公室 | 成文日期: | 2022-04-12 | 发布日期: | 2022-04-22 |\n"
            "某区人民政府办公室关于印发某区民政事业发展“十四五”规划的通知\n正文。")
    assert read_metadata(text.encode()) == {
        "index_number": "0001/2022-00097", "doc_number": "某府办发〔2022〕38号", "issuer": "某区政府办公室",
        "issued_date": "2022-04-12", "published_date": "2022-04-22", "title": "某区民政事业发展“十四五”规划"}
    assert read_metadata(b"%PDF-1.7\n") == {}


def test_remove_deletes_the_document_and_its_sidecar(tmp_path):
    raw = tmp_path / "raw"
    dest = add_document(_src(tmp_path, "gone.txt", "正文。".encode()), raw, city="某市")
    keep = add_document(_src(tmp_path, "kept.txt", "另一份。".encode()), raw, city="某市")
    removed = remove_document("gone", raw)
    assert [p.name for p in removed] == ["gone.txt", "gone.meta.yml"]
    assert not dest.exists() and not sidecar_path(dest).exists() and keep.exists()
    with pytest.raises(FileNotFoundError, match="gone.txt: no such document"):
        remove_document("gone.txt", raw)


@pytest.mark.parametrize("line,needle", [
    ("issued_date: 2022年5月6日", r"w.meta.yml: issued_date: '2022年5月6日' does not have the form"),
    ("sha256: not-a-digest", r"w.meta.yml: sha256: 'not-a-digest' does not have the form"),
    ("city_unnamed: perhaps", r"w.meta.yml: city_unnamed: 'perhaps' is not of type"),
    ("admin_level: city", r"w.meta.yml: admin_level must be one of province, prefecture, county"),
    ("language_variant: cantonese", r"w.meta.yml: language_variant must be one of simplified, traditional"),
])
def test_sidecar_field_errors_name_the_file_and_the_field(tmp_path, line, needle):
    p = tmp_path / "w.meta.yml"
    p.write_text(f"city: 某市\nkind: plan\n{line}\n", encoding="utf-8")
    with pytest.raises(SidecarError, match=needle):
        load_sidecar(p)


def test_sidecar_fields_and_choices_come_from_the_schema_file():
    import json

    schema = json.loads((ROOT / "data" / "reference" / "sidecar.schema.json").read_text(encoding="utf-8"))
    assert SIDECAR_FIELDS == tuple(schema["properties"])
    assert KINDS == ("plan", "excerpt", "news") and "county" in LEVELS and None not in LEVELS
    p_dates = load_sidecar(RAW / "000_755a3ff748e6ef5c.meta.yml")
    assert all(isinstance(p_dates.get(k), str | None) for k in ("issued_date", "published_date"))
