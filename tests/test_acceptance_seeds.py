"""Acceptance: every indicator-table row of the seeds, and a set of prose targets, exactly.

This is the lead's independent truth table (kept apart from the extractor's own unit tests):
values read by a person from the documents. Expected values live here, never in the library.
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import cleaned

from analysis.extract import extract_targets

Q = "qualitative"
# (raw_name, unit, baseline, comparator, target, attribute); baseline None = `——` or blank
TABLE_001 = [
    ("城乡低保标准年度增速", "%", None, Q, "不低于上年度居民人均消费支出增速", "约束性"),
    ("农村低保标准占城市低保标准比例", "%", 76, ">=", 90, "预期性"),
    ("查明身份信息流浪乞讨受助人员接送返回率", "%", None, "=", 100, "约束性"),
    ("困难残疾人生活补贴覆盖率", "%", 100, "=", 100, "约束性"),
    ("重度残疾人护理补贴覆盖率", "%", 100, "=", 100, "约束性"),
    ("城市社区综合服务设施达标率", "%", 63, "=", 100, "预期性"),
    ("村级综合服务设施达标率", "%", 63, "=", 100, "预期性"),
    ("社会工作专业人才数", "人", 400, ">=", 1500, "预期性"),
    ("慈善组织接受社会捐赠总额", "万元", 4222, ">=", 5200, "预期性"),
    ("志愿服务站点在社区综合服务设施中的覆盖率", "%", 40, ">=", 80, "预期性"),
    ("镇(街道)未成年人保护工作站覆盖率", "%", None, "=", 100, "预期性"),
    ("城乡公益性安葬(放)设施覆盖率", "%", 12, "=", 100, "约束性"),
    ("养老机构护理型床位占比", "%", 33.4, ">=", 60, "约束性"),
    ("养老机构服务基本质量达标率", "%", 65, ">=", 100, "预期性"),
    ("政府运营床位占比", "%", 34.7, "<=", 40, "约束性"),
    ("镇(街道)具备综合功能的养老服务机构覆盖率", "%", 65, ">=", 90, "预期性"),
    ("福利彩票销售网点数", "个", 117, ">=", 300, "预期性"),
    ("婚姻登记“跨省通办”实施率", "%", None, "=", 100, "约束性"),
]
# 002 has no baseline column; a 领域 (domain) column merged over its rows; two rows lack a unit.
TABLE_002 = [
    ("社会救助", "城乡低保标准年度增速", "%", None, Q, "不低于居民上年度人均消费支出增速", "预期性"),
    ("社会救助", "农村低保标准占城市低保标准比例", "%", None, "=", 80, "预期性"),
    ("社会事务", "困难残疾人生活补贴覆盖率", "%", None, "=", 100, "约束性"),
    ("社会事务", "重度残疾人护理补贴覆盖率", "%", None, "=", 100, "约束性"),
    ("社会事务", "婚姻登记“跨省通办”实施率", "%", None, "=", 100, "预期性"),
    ("社会事务", "乡镇(街道)未成年人保护工作站覆盖率", "%", None, "=", 50, "预期性"),
    ("社会事务", "查明身份信息流浪乞讨受助人员接送返回率", "%", None, "=", 100, "约束性"),
    ("社会事务", "县级公益性安葬(放)设施覆盖率", "%", None, "=", 100, "约束性"),
    ("基层政权建设和社区治理", "每百户居民拥有的城乡社区综合服务设施面积", "平方米", None, ">=", 30, "预期性"),
    ("基层政权建设和社区治理", "村级综合服务设施覆盖率", "%", None, "=", 70, "预期性"),
    ("社会组织", "建立党组织的社会组织数", "万个", None, "=", 853, "预期性"),
    ("社会组织", "社会组织专职工作人员数量", "万人", None, "=", 2.5, "预期性"),
    ("慈善事业促进和社会工作", "社会工作专业人才占总人口比例", None, None, "=", 1.4, "预期性"),
    ("慈善事业促进和社会工作", "福利彩票销售网点数", None, None, "=", 420, "预期性"),
    ("慈善事业促进和社会工作", "志愿服务站点在社区综合服务设施中的覆盖率", "%", None, "=", 80, "预期性"),
    ("养老服务", "养老机构护理型床位占比", "%", None, "=", 55, "约束性"),
    ("养老服务", "乡镇(街道)范围具备综合功能的养老服务机构覆盖率", "%", None, "=", 60, "预期性"),
]
TABLE_004 = [
    ("城乡低保标准年度增速", "%", None, Q, "不低于居民上年度人均消费支出增速", "预期性"),
    ("每百户居民拥有的城乡社区综合服务设施建筑面积", None, 28.5, "=", 30, "约束性"),
    ("查明身份信息流浪乞讨受助人员接送返回率", "%", None, "=", 100, "约束性"),
    ("旗市区级城乡公益性安葬(放)设施覆盖率", "%", None, "=", 100, "约束性"),
    ("铁路、公路两侧整治散埋乱葬完成率", "%", None, "=", 80, "预期性"),  # blank baseline cell
    ("婚姻登记“跨省通办”实施率", "%", None, "=", 100, "约束性"),
    ("困难残疾人生活补贴覆盖率", "%", None, "=", 100, "约束性"),
    ("重度残疾人护理补贴覆盖率", "%", None, "=", 100, "约束性"),
    ("养老机构护理型床位占比", "%", 42, "=", 55, "约束性"),
    ("街道范围具备综合功能的养老服务机构覆盖率", "%", None, "=", 100, "约束性"),
    ("社区日间照料机构(社区养老服务站)覆盖率", "%", 50, "=", 90, "约束性"),
    ("乡镇(街道)未成年人保护工作站覆盖率", "%", None, "=", 50, "预期性"),
    ("社会工作专业人才总量", None, 360, "=", 2000, "预期性"),
    ("志愿服务站点在社区综合服务设施中的覆盖率", "%", None, "=", 80, "预期性"),
]


@cache
def targets(prefix: str):
    text = cleaned(prefix).text
    return text, extract_targets(text).targets


def table_rows(prefix: str):
    return [t for t in targets(prefix)[1] if t.source_kind == "table"]


def _check_row(t, unit, baseline, comparator, target, attribute, baseline_year):
    assert t.unit == unit
    assert t.baseline_value == (pytest.approx(baseline) if baseline is not None else None)
    assert t.comparator == comparator
    if comparator == Q:
        assert t.target_value is None and t.target_text == target
    else:
        assert t.target_value == pytest.approx(target)
    assert t.attribute == attribute
    assert t.target_year == 2025
    if baseline is not None:
        assert t.baseline_year == baseline_year


@pytest.mark.parametrize("prefix,truth", [("001", TABLE_001), ("004", TABLE_004)])
def test_table_rows_with_baselines(prefix, truth):
    rows = table_rows(prefix)
    assert [t.raw_name for t in rows] == [r[0] for r in truth]
    for t, (_, unit, baseline, comparator, target, attribute) in zip(rows, truth):
        _check_row(t, unit, baseline, comparator, target, attribute, 2020)


def test_table_rows_002_with_merged_domain_column():
    rows = table_rows("002")
    assert [t.raw_name for t in rows] == [r[1] for r in TABLE_002]
    for t, (domain, _, unit, baseline, comparator, target, attribute) in zip(rows, TABLE_002):
        assert t.domain == domain
        _check_row(t, unit, baseline, comparator, target, attribute, None)


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_table_quotes_are_exact_and_offsets_right(prefix):
    text, _ = targets(prefix)
    for t in table_rows(prefix):
        assert text[t.start:t.end] == t.quote
        assert t.raw_name in t.quote or t.raw_name.replace("“", "").replace("”", "") in t.quote


def _prose(prefix: str, name_part: str, value: float, year: int = 2025):
    hits = [t for t in targets(prefix)[1] if t.source_kind == "prose" and name_part in t.raw_name
            and t.target_value == pytest.approx(value) and t.target_year == year]
    assert hits, f"{prefix}: no prose target {name_part} = {value} ({year})"
    text = targets(prefix)[0]
    for t in hits:
        assert text[t.start:t.end] == t.quote
    return hits[0]


@pytest.mark.parametrize("prefix,name_part,value,year,comparator", [
    ("000", "火化率", 95, 2025, ">="),
    ("000", "节地生态安葬比例", 60, 2021, ">="),
    ("000", "节地生态安葬比例", 65, 2022, ">="),
    ("001", "社会工作专业人才", 3000, 2025, None),
    ("001", "持证社会工作专业人才", 1500, 2025, None),
    ("001", "质量达标率", 75, 2025, ">"),
    ("001", "护理型床位", 60, 2025, ">="),
    ("002", "护理型床位占比", 55, 2025, ">="),
    ("003", "护理型床位占比", 60, 2025, ">="),
    ("003", "火化率", 100, 2025, None),
    ("003", "节地生态安葬率", 60, 2025, ">="),
    ("003", "社会工作专业人才", 4000, 2025, ">="),
    ("003", "失能特困人员集中供养率", 100, 2025, None),
    ("004", "护理型床位占比", 55, 2025, ">="),
])
def test_prose_targets(prefix, name_part, value, year, comparator):
    t = _prose(prefix, name_part, value, year)
    if comparator:
        assert t.comparator == comparator


def test_news_article_states_two_dibao_levels_in_one_sentence():
    hits = [t for t in targets("003")[1] if t.source_kind == "prose" and "低保" in t.raw_name and t.target_year == 2025]
    assert sorted(t.target_value for t in hits if t.target_value is not None) == [30, 50]
    assert any("城市" in t.raw_name for t in hits) and any("农村" in t.raw_name for t in hits)


@pytest.mark.parametrize("prefix,bad_value", [("001", 8.93), ("001", 38), ("001", 4645), ("004", 419000)])
def test_numbers_that_are_not_targets_are_not_extracted(prefix, bad_value):
    for t in targets(prefix)[1]:
        if t.source_kind == "series":
            continue
        assert t.target_value != pytest.approx(bad_value), t.quote


def test_historical_dibao_series_read_as_baselines_by_year():
    series = [t for t in targets("004")[1] if t.source_kind == "series"]
    years = sorted({t.baseline_year for t in series})
    assert years[:5] == [2016, 2017, 2018, 2019, 2020]
    urban = {t.baseline_year: t.baseline_value for t in series if "城市低保" in t.raw_name and "标准" in t.raw_name}
    rural = {t.baseline_year: t.baseline_value for t in series if "农村低保" in t.raw_name and "标准" in t.raw_name}
    assert urban.get(2016) == 488 and urban.get(2020) == 660
    assert rural.get(2016) == 3500 and rural.get(2020) == 6016
    assert all(t.target_value is None and t.target_year is None for t in series)
