"""Raw folder and sidecars: provenance beside each file, `plans add`, never overwrite."""

import hashlib

import pytest
import yaml

from analysis.ingest import (SidecarError, add_document, list_documents, load_sidecar, safe_name, sidecar_path,
                             sidecar_warnings)
from conftest import RAW


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
    # same file again: fine; a different file with the same name: refused
    add_document(src, raw, city="某市")
    src.write_text("不同的内容", encoding="utf-8")
    with pytest.raises(FileExistsError, match="different file"):
        add_document(src, raw, city="某市")
    assert "55%" in dest.read_text(encoding="utf-8")


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "passwd.txt"), ("a b.html", "a_b.html"), ("..\\..\\x.txt", "x.txt"),
    ("晋中市 规划.TXT", "晋中市_规划.txt"), (".hidden.txt", "hidden.txt"),
])
def test_safe_name_never_escapes_the_raw_folder(name, expected):
    assert safe_name(name) == expected
