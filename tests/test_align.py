"""Alignment on a small in-memory DuckDB: ids, scopes, exact unit conversion, curation, preference."""

from __future__ import annotations

import duckdb
import pytest
import yaml
from conftest import ROOT

from analysis.align import build_marts, export_targets
from analysis.warehouse.db import create_tables, insert_rows

DOCS = [
    {"doc_id": "a", "city": "甲市", "city_label": "甲市", "province": "某省", "admin_level": "prefecture"},
    {"doc_id": "b", "city": "乙旗", "city_label": "乙旗", "province": "内蒙古自治区", "admin_level": "county"},
]


def _t(doc, no, name, **kw):
    base = {"doc_id": doc, "target_no": no, "raw_name": name, "source_kind": "table", "quote": name, "start": no * 10,
            "end": no * 10 + 5, "raw_start": no * 10, "raw_end": no * 10 + 5, "target_year": 2025, "comparator": "="}
    base.update(kw)
    return base


RAW = [
    _t("a", 0, "养老机构护理型床位占比", baseline_year=2020, baseline_value=40.0, target_value=55.0, unit="%", attribute="约束性"),
    _t("a", 1, "护理型床位占比", target_value=50.0, unit="%", source_kind="prose"),
    _t("a", 2, "社会组织专职工作人员数量", target_value=2.5, unit="万人"),
    _t("a", 3, "城乡公益性安葬(放)设施覆盖率", target_value=100.0, unit="%", attribute="约束性"),
    _t("b", 0, "旗市区级城乡公益性安葬(放)设施覆盖率", target_value=100.0, unit="%", attribute="预期性"),
    _t("b", 1, "群众满意率", target_value=98.0, unit="%", source_kind="prose"),
    _t("b", 2, "城市低保保障标准(月人均)", baseline_year=2019, baseline_value=620.0, unit="元", source_kind="series",
       target_year=None, comparator=None),
]


@pytest.fixture()
def con(tmp_path):
    c = duckdb.connect(":memory:")
    create_tables(c)
    insert_rows(c, "documents", DOCS)
    insert_rows(c, "raw_targets", RAW)
    return c


def _curation(tmp_path, corrections):
    d = tmp_path / "curation"
    d.mkdir(exist_ok=True)
    (d / "corrections.yaml").write_text(yaml.safe_dump({"corrections": corrections}, allow_unicode=True), encoding="utf-8")
    return d


def test_marts(con, tmp_path):
    report = build_marts(con, ROOT / "data/reference", _curation(tmp_path, []))
    t = con.execute("SELECT doc_id, raw_name, indicator_id, scope, scope_zh, target_value, unit, unit_raw, preferred "
                    "FROM targets ORDER BY doc_id, raw_name").df()
    row = t.set_index(["doc_id", "raw_name"])
    assert row.loc[("a", "社会组织专职工作人员数量"), "target_value"] == 25_000  # 万人 → 人, exact
    assert row.loc[("a", "社会组织专职工作人员数量"), "unit"] == "人"
    assert row.loc[("a", "社会组织专职工作人员数量"), "unit_raw"] == "万人"
    assert row.loc[("b", "旗市区级城乡公益性安葬(放)设施覆盖率"), "scope"] == "county"
    assert row.loc[("a", "城乡公益性安葬(放)设施覆盖率"), "scope"] == "urban_rural"
    # table before prose: one preferred nursing-bed row for document a
    assert bool(row.loc[("a", "养老机构护理型床位占比"), "preferred"]) is True
    assert bool(row.loc[("a", "护理型床位占比"), "preferred"]) is False
    assert pd_isna(row.loc[("b", "群众满意率"), "indicator_id"])
    assert report.n_unmatched == 1 and report.unmatched_names == ["群众满意率"]
    assert con.execute("SELECT count(*) FROM unmatched_names").fetchall()[0][0] == 1
    assert con.execute("SELECT count(*) FROM quality_flags WHERE kind = 'unmatched_indicator'").fetchall()[0][0] == 1
    assert report.unused_aliases and ("nursing_bed_share", "护理型床位比例") in report.unused_aliases


def pd_isna(v):
    import pandas as pd

    return pd.isna(v)


def test_curation_applies_counts_and_reports_what_matches_nothing(con, tmp_path):
    cur = _curation(tmp_path, [
        {"doc_id": "b", "raw_name": "群众满意率", "field": "indicator_id", "value": "elderly_institution_quality_rate",
         "reason": "test: reviewed against the source", "curator": "t", "date": "2026-11-22"},
        {"doc_id": "a", "raw_name": "不存在的指标", "field": "target_value", "value": 1, "reason": "stale", "curator": "t"},
    ])
    report = build_marts(con, ROOT / "data/reference", cur)
    assert report.n_curated == 1 and len(report.unmatched_corrections) == 1
    row = con.execute("SELECT indicator_id, curated FROM targets WHERE raw_name = '群众满意率'").fetchall()[0]
    assert row == ("elderly_institution_quality_rate", True)
    flags = con.execute("SELECT doc_id, message FROM quality_flags WHERE kind = 'curation_unmatched'").fetchall()
    assert flags and flags[0][0] == "a" and "不存在的指标" in flags[0][1]
    log = con.execute("SELECT field, value, reason FROM curation_log").fetchall()
    assert log == [("indicator_id", "elderly_institution_quality_rate", "test: reviewed against the source")]


def test_curation_survives_a_rebuild(tmp_path):
    """Corrections live in data/curation and are applied again by every build."""
    from analysis.build import build

    raw = ROOT / "data" / "raw"
    for i in range(2):
        db = tmp_path / f"p{i}.duckdb"
        build(raw, db, tmp_path / f"o{i}", echo=None)
        got = duckdb.connect(str(db), read_only=True).execute(
            "SELECT unit, curated FROM targets WHERE raw_name = '社会工作专业人才占总人口比例' AND source_kind = 'table'").fetchall()
        assert got == [("‰", True)]


def test_export_contract_columns(con, tmp_path):
    build_marts(con, ROOT / "data/reference", _curation(tmp_path, []))
    paths = export_targets(con, tmp_path / "out")
    header = paths[0].read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:19] == ["doc_id", "city", "indicator_id", "indicator_zh", "raw_name", "scope", "baseline_year",
                           "baseline_value", "target_year", "target_value", "comparator", "target_text", "unit",
                           "attribute", "source_kind", "quote", "page", "page_label", "curated"]
    import pandas as pd

    assert list(pd.read_parquet(paths[1]).columns) == header
