"""Indicator pages, the city explorer and the picker's data: fast tests on small frames and a tiny DuckDB."""

from __future__ import annotations

import json
import re

import duckdb
import pandas as pd
import pytest

from analysis.publish import explorer, grapher, picker, theme

# ------------------------------------------------------------------ prose: ties are named, never one picked


def _frame(pairs):
    return pd.DataFrame({"city_label": [c for c, _ in pairs], "target_value": [v for _, v in pairs]})


def test_extremes_prose_names_every_tied_city():
    text = grapher.extremes_prose(_frame([("甲市", 60.0), ("乙县", 60.0), ("丙旗", 20.0)]), "%")
    assert "最高 highest: 甲市 和 乙县（60 %）" in text
    assert "最低 lowest: 丙旗（20 %）" in text


def test_extremes_prose_many_ties_and_agreement():
    many = _frame([(f"城{i}", 90.0) for i in range(8)] + [("末", 10.0)])
    assert "等 8 个 (and 3 others)" in grapher.extremes_prose(many, "%")
    same = grapher.extremes_prose(_frame([("甲", 5.0), ("乙", 5.0)]), "个")
    assert same.startswith("所有文件相同 all documents agree") and "5 个" in same
    assert grapher.extremes_prose(_frame([]), "%") == ""


def test_main_scope_is_the_most_stated():
    rows = pd.DataFrame({"scope": ["rural", "rural", None, "urban"]})
    assert grapher.main_scope(rows) == "rural"
    assert grapher.main_scope(pd.DataFrame({"scope": [None, None, "urban"]})) is None


def test_md_escapes_document_text_not_numbers():
    out = grapher.md("{city}: {n}", city="<b>甲*市</b>", n=3).data
    assert "<b>" not in out and "&lt;b&gt;" in out and r"\*" in out and out.endswith(": 3")


# ------------------------------------------------------------------ labels: internal codes never shown alone


@pytest.mark.parametrize("code,label", [("county", "县级 county"), ("prefecture", "地级 prefecture"), (None, "未知 unknown")])
def test_level_labels_are_bilingual(code, label):
    assert picker.level_label(code) == label


def test_scope_labels_are_bilingual():
    assert picker.scope_label("urban_rural") == "城乡 urban & rural"
    assert picker.scope_label("county") == "县级 county"
    assert picker.scope_label(None) == picker.ALL_SCOPE


def test_region_falls_back_to_the_province():
    assert picker.region_label(None, "山西省") == "中部 Central"
    assert picker.region_label("East", "山西省") == "东部 East"  # the document's own region wins
    assert picker.region_label(None, "某不存在省") == "未知 unknown"


def test_province_tiles_are_unique_and_complete():
    tiles = picker.province_tiles()
    assert len(tiles) == 34
    assert len({(t["row"], t["col"]) for t in tiles}) == 34
    assert {"北京市", "新疆维吾尔自治区", "广东省"} <= {t["province"] for t in tiles}


def test_province_reference_errors_name_the_file(tmp_path):
    bad = tmp_path / "provinces.yaml"
    bad.write_text("provinces:\n  - {province: 甲省, short: 甲, row: 0, col: 0}\n  - {province: 乙省, short: 乙, row: 0, col: 0}\n",
                   encoding="utf-8")
    with pytest.raises(picker.ReferenceError, match=r"provinces\.yaml.*entry 2.*reuses tile"):
        picker.province_tiles(bad)
    bad.write_text("provinces: {}\n", encoding="utf-8")
    with pytest.raises(picker.ReferenceError, match="provinces.yaml"):
        picker.province_tiles(bad)


def test_t2s_map_covers_the_names_traditional_forms():
    m = picker.t2s_map(["晋中市", "呼伦贝尔市", "广州"])
    assert m["晉"] == "晋" and m["倫"] == "伦" and m["爾"] == "尔" and m["廣"] == "广"
    assert all(len(k) == 1 and len(v) == 1 for k, v in m.items())
    assert "市" not in m  # unchanged characters are not listed
    assert picker.t2s_map([]) == {}


def test_theme_matches_the_chart_module():
    from analysis.publish import charts

    assert theme.PALETTE == charts.PALETTE and theme.FONT_STACK == charts.FONT_STACK


# ------------------------------------------------------------------ page data from a tiny warehouse


@pytest.fixture()
def con():
    c = duckdb.connect()
    c.execute("""CREATE TABLE documents AS SELECT * FROM (VALUES
        ('d1', '甲市', '甲市', '山西省', 'prefecture', NULL, 'plan', 't1', 100, 0, 3),
        ('d2', '乙县', '乙县', '山西省', 'county', NULL, 'plan', 't2', 100, 1, 2),
        ('d3', '丙旗<b>', '丙旗<b>', '内蒙古自治区', 'county', 'West', 'plan', 't3', 100, 0, 2),
        ('d4', '丁省', '丁省', '山西省', 'province', NULL, 'plan', '丁省规划', 100, 0, 1))
        t(doc_id, city, city_label, province, admin_level, region, kind, title, n_chars, n_flags, n_targets)""")
    c.execute("CREATE TABLE document_regions AS SELECT doc_id, city, city_label, region, NULL AS region_zh FROM documents")
    c.execute("""CREATE TABLE indicators AS SELECT * FROM (VALUES
        ('beds', '床位占比', 'Bed share', '养老服务', 'Elderly care', '%', 'higher_is_better'),
        ('deaths', '死亡率', 'Death rate', '其他', 'Other', '%', 'lower_is_better'))
        t(indicator_id, indicator_zh, indicator_en, domain, domain_en, unit, direction)""")
    c.execute("""CREATE TABLE targets AS SELECT * FROM (VALUES
        ('d1', 'beds', NULL, NULL, 2020, 40.0, 2025, 60.0, '>=', '%', 'table', '甲市床位<script>', TRUE),
        ('d2', 'beds', NULL, NULL, 2020, NULL, 2025, 60.0, '>=', '%', 'prose', '乙县床位', TRUE),
        ('d3', 'beds', NULL, NULL, 2020, 30.0, 2025, 50.0, '>=', NULL, 'prose', '丙旗床位', TRUE),
        ('d3', 'beds', NULL, NULL, 2020, 30.0, 2025, 99.0, '>=', '个', 'prose', 'other unit', TRUE),
        ('d4', 'beds', NULL, NULL, NULL, NULL, 2025, 58.0, '>=', '%', 'table', '丁省床位', TRUE),
        ('d1', 'beds', NULL, NULL, NULL, NULL, 2022, 50.0, '>=', '%', 'prose', '阶段', TRUE),
        ('d1', 'deaths', 'rural', '农村', NULL, NULL, 2025, 5.0, '<=', '%', 'table', 'a', TRUE),
        ('d2', 'deaths', 'rural', '农村', NULL, NULL, 2025, 9.0, '<=', '%', 'table', 'b', TRUE))
        t(doc_id, indicator_id, scope, scope_zh, baseline_year, baseline_value, target_year, target_value,
          comparator, unit, source_kind, quote, preferred)""")
    c.execute("""ALTER TABLE targets ADD COLUMN target_value_high DOUBLE; ALTER TABLE targets ADD COLUMN target_text VARCHAR;
                 ALTER TABLE targets ADD COLUMN attribute VARCHAR; ALTER TABLE targets ADD COLUMN curated BOOLEAN DEFAULT FALSE;
                 ALTER TABLE targets ADD COLUMN raw_name VARCHAR""")
    # the quote's offsets and the citation columns of the targets contract (the page links and cites each row)
    c.execute("""ALTER TABLE targets ADD COLUMN start INTEGER; ALTER TABLE targets ADD COLUMN "end" INTEGER;
                 ALTER TABLE targets ADD COLUMN page INTEGER; ALTER TABLE targets ADD COLUMN section VARCHAR;
                 ALTER TABLE targets ADD COLUMN title VARCHAR; ALTER TABLE targets ADD COLUMN doc_number VARCHAR;
                 ALTER TABLE targets ADD COLUMN issuer VARCHAR; ALTER TABLE targets ADD COLUMN issued_date VARCHAR;
                 ALTER TABLE targets ADD COLUMN source_url VARCHAR""")
    c.execute("""UPDATE targets SET start = 10 * length(quote), "end" = 10 * length(quote) + length(quote),
                 section = '第二章 > 主要指标', title = doc_id || '规划'""")
    c.execute("""UPDATE targets SET start = NULL, "end" = NULL WHERE doc_id = 'd4'""")  # offsets unknown: no link
    c.execute("""UPDATE targets SET page = 3, source_url = 'https://example.org/' || doc_id WHERE doc_id = 'd1'""")
    c.execute("""CREATE TABLE benchmarks AS SELECT 'beds' AS indicator_id, NULL AS scope, 2025 AS year, 55.0 AS value,
                 '>=' AS comparator, '%' AS unit, '国家规划' AS source, NULL AS note""")
    c.execute("CREATE TABLE quality_flags AS SELECT 'd2' AS doc_id, 'missing_unit' AS kind")
    yield c
    c.close()


def test_indicator_pages_need_two_documents(con):
    from analysis.warehouse.queries import run_query

    pages = run_query(con, "indicator_pages", min_docs=2)
    assert pages["indicator_id"].tolist() == ["deaths", "beds"] or set(pages["indicator_id"]) == {"beds", "deaths"}
    assert run_query(con, "indicator_pages", min_docs=4)["indicator_id"].tolist() == ["beds"]
    assert run_query(con, "indicator_pages", min_docs=5).empty


def test_indicator_data_keeps_comparable_units_and_benchmarks(con):
    data = grapher.load_indicator(con, "beds")
    assert sorted(data.rows["doc_id"]) == ["d1", "d2", "d3", "d4"]  # 个 row dropped, missing unit kept
    assert data.rows.loc[data.rows["doc_id"].eq("d3"), "unit_missing"].item()
    levels = sorted(data.benchmarks["level"])
    assert levels == ["national", "province"] and 58.0 in data.benchmarks["value"].tolist()
    s = grapher.summary(data)
    assert s["n_docs"] == 4 and s["benchmark"] == 55.0 and s["n_meet"] == 3  # 60, 60, 58 ≥ 55; 50 is not
    assert "甲市 和 乙县（60 %）" in s["extremes"]
    with pytest.raises(KeyError, match="nothing"):
        grapher.load_indicator(con, "nothing")


def test_indicator_page_embeds_data_once_and_safely(con):
    from analysis.publish import offline

    offline.reset()
    page = grapher.indicator_page(grapher.load_indicator(con, "beds")).data
    assert page.count('id="plans-data"') == 1 and page.count('id="plans-app"') == 1
    assert "<script>" not in page.split('id="plans-data">', 1)[1].split("</script>", 1)[0]
    blob = re.search(r'id="plans-data">(.*?)</script>', page, re.S).group(1).replace("<\\/", "</")
    data = json.loads(blob)
    assert {r["c"] for r in data["rows"]} == {"甲市", "乙县", "丙旗<b>", "丁省"}
    assert {r["l"] for r in data["rows"]} <= {"地级 prefecture", "县级 county", "省级 province"}
    assert "甲市床位<script>" in [r["q"] for r in data["rows"]]  # as data, for textContent
    assert data["docs_by_province"]["山西省"] == 3 and len(data["tiles"]) == 34
    assert any(b["label"].startswith("全国 national") for b in data["benchmarks"])


def test_explorer_percentiles_are_direction_aware(con):
    from analysis.warehouse.queries import run_query

    p = run_query(con, "city_percentiles")
    deaths = p[p["indicator_id"].eq("deaths")].set_index("doc_id")["percentile"]
    assert deaths["d1"] == 100.0 and deaths["d2"] == 0.0  # the lower death rate is the more ambitious
    beds = p[p["indicator_id"].eq("beds")].set_index("doc_id")["percentile"]
    assert beds["d1"] == beds["d2"] == pytest.approx(250 / 3) and beds["d3"] == 0.0  # ties share the mid-rank
    data = explorer.ExplorerData(run_query(con, "corpus_overview"), run_query(con, "indicator_pages", min_docs=1),
                                 p, run_query(con, "city_milestones"))
    d = explorer.explorer_data(data)
    assert [x[0] for x in d["docs"]] == ["d1", "d2", "d3", "d4"]
    ind = {x[0]: x for x in d["inds"]}
    assert ind["beds"][5] == explorer.page_link("beds")
    assert [m[3] for m in d["miles"]] == [2022]
    assert d["flags"] == [[1, "missing_unit", 1]]


def test_indicator_rows_link_to_their_passage_and_carry_the_citation(con):
    data = grapher.page_data(grapher.load_indicator(con, "beds"))
    by_doc = {r["d"]: r for r in data["rows"]}
    d1 = by_doc["d1"]
    n = len("甲市床位<script>")
    assert d1["o"] == [10 * n, 11 * n]  # the quote's offsets: the client links passages/d1.html#q-…
    assert d1["pg"] == 3 and data["sections"][d1["si"]] == "第二章 > 主要指标"
    assert data["sections"] == ["第二章 > 主要指标"]  # each heading path sent once
    assert data["cite"]["d1"] == ["d1规划", None, None, None, "https://example.org/d1"]  # title, 文号, issuer, date, URL
    assert by_doc["d4"]["o"] is None and "pg" not in by_doc["d4"]  # no offsets, no link (never a guessed one)
    assert data["pfile"] == {}  # every file is <doc_id>.html here


def test_page_files_name_only_the_documents_whose_file_differs():
    from analysis.publish.passages import page_files

    assert page_files(["d1", "gen00001", "a b/../c", "甲市"]) == {"a b/../c": "a_b_.._c.html",
                                                                   "甲市": "%E7%94%B2%E5%B8%82.html"}
