"""Extraction on the five real seed documents: every indicator-table row of 001, 002 and 004 with
exact values, 004's 2016–2020 低保 series, a set of prose targets from each document, the quality
flags, and numbers that must not be read as targets. Expected values were read by hand from the
documents; they live here, never in the library."""

from __future__ import annotations

from functools import cache

import pytest
from conftest import SEEDS, cleaned

from analysis.extract import extract_targets
from analysis.segment import split_passages

Q = "qualitative"
R, E = "约束性", "预期性"
# (raw_name, unit, baseline_value (year 2020) or None, comparator, target_value or qualitative text, attribute)
TABLE_001 = [
    ("城乡低保标准年度增速", "%", None, Q, "不低于上年度居民人均消费支出增速", R),
    ("农村低保标准占城市低保标准比例", "%", 76, ">=", 90, E),
    ("查明身份信息流浪乞讨受助人员接送返回率", "%", None, "=", 100, R),
    ("困难残疾人生活补贴覆盖率", "%", 100, "=", 100, R),
    ("重度残疾人护理补贴覆盖率", "%", 100, "=", 100, R),
    ("城市社区综合服务设施达标率", "%", 63, "=", 100, E),
    ("村级综合服务设施达标率", "%", 63, "=", 100, E),
    ("社会工作专业人才数", "人", 400, ">=", 1500, E),
    ("慈善组织接受社会捐赠总额", "万元", 4222, ">=", 5200, E),
    ("志愿服务站点在社区综合服务设施中的覆盖率", "%", 40, ">=", 80, E),
    ("镇(街道)未成年人保护工作站覆盖率", "%", None, "=", 100, E),
    ("城乡公益性安葬(放)设施覆盖率", "%", 12, "=", 100, R),
    ("养老机构护理型床位占比", "%", 33.4, ">=", 60, R),
    ("养老机构服务基本质量达标率", "%", 65, ">=", 100, E),
    ("政府运营床位占比", "%", 34.7, "<=", 40, R),
    ("镇(街道)具备综合功能的养老服务机构覆盖率", "%", 65, ">=", 90, E),
    ("福利彩票销售网点数", "个", 117, ">=", 300, E),
    ("婚姻登记“跨省通办”实施率", "%", None, "=", 100, R),
]
# 002: no baseline column, a 领域 column merged over its rows, two rows without a unit
TABLE_002 = [
    ("社会救助", "城乡低保标准年度增速", "%", None, Q, "不低于居民上年度人均消费支出增速", E),
    ("社会救助", "农村低保标准占城市低保标准比例", "%", None, "=", 80, E),
    ("社会事务", "困难残疾人生活补贴覆盖率", "%", None, "=", 100, R),
    ("社会事务", "重度残疾人护理补贴覆盖率", "%", None, "=", 100, R),
    ("社会事务", "婚姻登记“跨省通办”实施率", "%", None, "=", 100, E),
    ("社会事务", "乡镇(街道)未成年人保护工作站覆盖率", "%", None, "=", 50, E),
    ("社会事务", "查明身份信息流浪乞讨受助人员接送返回率", "%", None, "=", 100, R),
    ("社会事务", "县级公益性安葬(放)设施覆盖率", "%", None, "=", 100, R),
    ("基层政权建设和社区治理", "每百户居民拥有的城乡社区综合服务设施面积", "平方米", None, ">=", 30, E),
    ("基层政权建设和社区治理", "村级综合服务设施覆盖率", "%", None, "=", 70, E),
    ("社会组织", "建立党组织的社会组织数", "万个", None, "=", 853, E),
    ("社会组织", "社会组织专职工作人员数量", "万人", None, "=", 2.5, E),
    ("慈善事业促进和社会工作", "社会工作专业人才占总人口比例", None, None, "=", 1.4, E),
    ("慈善事业促进和社会工作", "福利彩票销售网点数", None, None, "=", 420, E),
    ("慈善事业促进和社会工作", "志愿服务站点在社区综合服务设施中的覆盖率", "%", None, "=", 80, E),
    ("养老服务", "养老机构护理型床位占比", "%", None, "=", 55, R),
    ("养老服务", "乡镇(街道)范围具备综合功能的养老服务机构覆盖率", "%", None, "=", 60, E),
]
# 004: one cell per line, header cell truncated to `标属性`, a blank baseline cell, two rows without a unit
TABLE_004 = [
    ("城乡低保标准年度增速", "%", None, Q, "不低于居民上年度人均消费支出增速", E),
    ("每百户居民拥有的城乡社区综合服务设施建筑面积", None, 28.5, "=", 30, R),
    ("查明身份信息流浪乞讨受助人员接送返回率", "%", None, "=", 100, R),
    ("旗市区级城乡公益性安葬(放)设施覆盖率", "%", None, "=", 100, R),
    ("铁路、公路两侧整治散埋乱葬完成率", "%", None, "=", 80, E),
    ("婚姻登记“跨省通办”实施率", "%", None, "=", 100, R),
    ("困难残疾人生活补贴覆盖率", "%", None, "=", 100, R),
    ("重度残疾人护理补贴覆盖率", "%", None, "=", 100, R),
    ("养老机构护理型床位占比", "%", 42, "=", 55, R),
    ("街道范围具备综合功能的养老服务机构覆盖率", "%", None, "=", 100, R),
    ("社区日间照料机构(社区养老服务站)覆盖率", "%", 50, "=", 90, R),
    ("乡镇(街道)未成年人保护工作站覆盖率", "%", None, "=", 50, E),
    ("社会工作专业人才总量", None, 360, "=", 2000, E),
    ("志愿服务站点在社区综合服务设施中的覆盖率", "%", None, "=", 80, E),
]
TABLES = {"001": [(None, *r) for r in TABLE_001], "002": TABLE_002, "004": [(None, *r) for r in TABLE_004]}


@cache
def extracted(prefix: str):
    text = cleaned(prefix).text
    return text, extract_targets(text, split_passages(text))


def of_kind(prefix: str, kind: str):
    return [t for t in extracted(prefix)[1].targets if t.source_kind == kind]


def as_row(t):
    target = t.target_text if t.comparator == Q else t.target_value
    return (t.domain, t.raw_name, t.unit, t.baseline_value, t.comparator, target, t.attribute)


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_every_table_row_exactly(prefix):
    got = [as_row(t) for t in of_kind(prefix, "table")]
    truth = TABLES[prefix]
    found = set(got) & set(truth)
    precision, recall = len(found) / max(1, len(got)), len(found) / len(truth)
    assert (precision, recall) == (1.0, 1.0), [g for g in got if g not in truth]
    assert got == truth  # and in the document's order
    for t in of_kind(prefix, "table"):
        assert t.target_year == 2025
        assert t.baseline_year == (2020 if t.baseline_value is not None else None)
        assert t.target_value_high is None


@pytest.mark.parametrize("prefix,n", [("000", 0), ("001", 18), ("002", 17), ("003", 0), ("004", 14)])
def test_table_row_counts(prefix, n):
    assert len(of_kind(prefix, "table")) == n


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_quotes_and_offsets_are_exact_and_in_text_order(prefix):
    text, res = extracted(prefix)
    for t in res.targets:
        assert text[t.start:t.end] == t.quote and t.quote
        if t.comparator == Q:
            assert t.target_text
    assert [t.start for t in res.targets] == sorted(t.start for t in res.targets)
    for i, t in enumerate(of_kind(prefix, "table"), 1):
        assert t.raw_name in t.quote
        if prefix != "002":  # 001 and 004 number their rows: the quote is the whole row
            assert t.quote.startswith(str(i)) and t.quote.endswith(t.attribute)


# 004's 城乡低保人数和标准统计表, 2016–2020: 保障人数(万人) 城市/农村, 保障标准(元) 城市(月人均)/农村(年人均), 月人均补助水平 城市/农村
SERIES_004 = {
    2016: (11.6, 8.8, 488, 3500, 471.3, 247.7),
    2017: (10.4, 8.8, 530, 3800, 443.3, 252.3),
    2018: (9.4, 8.6, 570, 5020, 523.4, 278),
    2019: (7.6, 5.5, 620, 5522, 539.2, 313.8),
    2020: (7.0, 5.3, 660, 6016, 554.1, 337.5),
}
SERIES_COLUMNS = [("城市低保保障人数", "万人"), ("农村低保保障人数", "万人"), ("城市低保保障标准(月人均)", "元"),
                  ("农村低保保障标准(年人均)", "元"), ("城市低保月人均补助水平", None), ("农村低保月人均补助水平", None)]


def test_dibao_series_of_004_by_year():
    series = [t for t in of_kind("004", "series") if t.domain == "城乡低保人数和标准统计表"]
    assert len(series) == 5 * 6
    got = {(t.baseline_year, t.raw_name): (t.baseline_value, t.unit) for t in series}
    for year, row in SERIES_004.items():
        for (name, unit), value in zip(SERIES_COLUMNS, row):
            assert got[(year, name)] == (pytest.approx(value), unit)
    for t in series:
        assert (t.target_year, t.target_value, t.comparator, t.attribute) == (None, None, None, None)


def test_second_series_table_of_004():
    series = [t for t in of_kind("004", "series") if t.domain == "特困人员救助供养标准统计表"]
    assert len(series) == 4 * 5
    got = {(t.baseline_year, t.raw_name): t.baseline_value for t in series}
    assert got[(2017, "城市特困人员基本生活标准(月人均)")] == 689
    assert got[(2020, "农村特困人员基本生活标准(年人均)")] == 8046
    assert got[(2020, "供养总人数")] == 7016


# (prefix, name as written, target_year, comparator, value)
PROSE = [
    ("000", "火化率", 2025, ">=", 95),
    ("000", "群众满意率", 2025, ">=", 98),
    ("000", "新增骨灰节地生态安葬比例", 2021, ">=", 60),
    ("000", "新增骨灰节地生态安葬比例", 2022, ">=", 65),
    ("000", "农村居家和社区标准化养老服务中心建成率", 2025, ">=", 40),
    ("000", "海葬、树葬、花(坛)葬、草坪葬、格位葬和长期寄存等安葬方式", 2021, "=", 25),  # `其中…力争达到 25%`
    ("000", "海葬、树葬、花(坛)葬、草坪葬、格位葬和长期寄存等安葬方式", 2022, "=", 30),
    ("001", "社会工作专业人才", 2025, "=", 3000),
    ("001", "持证社会工作专业人才", 2025, "=", 1500),
    ("001", "养老机构服务质量达标率", 2025, ">", 75),
    ("001", "农村低保标准占城市低保标准比例", 2025, "=", 90),
    ("001", "长期滞留流浪乞讨人员落户安置率", 2025, "=", 100),
    ("001", "实名认证志愿者占居民人口比例", 2025, "=", 22),
    ("002", "养老机构护理型床位占比", 2025, ">=", 55),
    ("002", "县级未成年人救助保护平台覆盖率", 2025, ">=", 90),
    ("002", "每万名城镇常住人口拥有社区工作者", 2025, "=", 18),
    ("002", "专营销售站、兼营销售点数量", 2025, ">=", 420),
    ("002", "区域养老服务中心在乡镇(街道)的覆盖率", 2025, "=", 60),
    ("003", "城市低保标准占上年度人均消费性支出比例", 2025, ">=", 30),
    ("003", "农村低保标准占上年度人均消费性支出比例", 2025, ">=", 50),
    ("003", "养老机构护理型床位占比", 2025, ">=", 60),
    ("003", "火化率", 2025, "=", 100),
    ("003", "节地生态安葬率", 2025, ">=", 60),
    ("003", "有意愿的失能特困人员集中供养率", 2025, "=", 100),
    ("003", "社会工作专业人才", 2025, ">=", 4000),
    ("004", "养老机构护理型床位占比", 2025, ">=", 55),
    ("004", "社区日间照料机构覆盖率", 2025, "=", 90),
    ("004", "农村养老服务中心覆盖率", 2025, "=", 50),
    ("004", "公益性节地生态安放(葬)设施旗县级行政区域覆盖率", 2025, "=", 100),
]


@pytest.mark.parametrize("prefix,name,year,comparator,value", PROSE)
def test_prose_targets(prefix, name, year, comparator, value):
    hits = [t for t in of_kind(prefix, "prose") if t.raw_name == name and t.target_year == year]
    assert [(t.comparator, t.target_value) for t in hits][:1] == [(comparator, value)], \
        [(t.raw_name, t.target_year, t.target_value) for t in of_kind(prefix, "prose")]


def test_prose_ranges_and_qualitative_of_002_and_001():
    ranges = {t.raw_name: (t.target_value, t.target_value_high) for t in of_kind("002", "prose")
              if t.comparator == "range" and t.value_kind == "level"}
    assert ranges == {"城市低保标准占上年度城乡居民人均消费支出比例": (30, 40), "农村低保标准占上年度城乡居民人均消费支出比例": (45, 55)}
    # the one other range is a change (`按照不低于当地低保标准的5%-10%的比例提高救助水平`), not a level
    changes = [(t.target_value, t.target_value_high) for t in of_kind("002", "prose")
               if t.comparator == "range" and t.value_kind == "change"]
    assert changes == [(5, 10)]
    q = [t for t in of_kind("001", "prose") if t.comparator == Q]
    assert ("城乡低保标准年度增速", "不低于上年度居民人均消费支出增速") in [(t.raw_name, t.target_text) for t in q]
    # the other qualitative rows are full-coverage aims of the plan period (`到2025年,实现…全覆盖`), none a principle
    assert all(t.target_year and t.target_year >= 2021 and t.target_value is None for t in q)
    assert all(t.raw_name.endswith("全覆盖") for t in q if t.raw_name != "城乡低保标准年度增速")
    assert not any("坚持" in t.raw_name for t in q)


@pytest.mark.parametrize("prefix,value", [("001", 8.93), ("001", 38), ("001", 4645), ("002", 137443), ("002", 24699),
                                          ("002", 81711), ("004", 419000), ("004", 27477), ("003", 74)])
def test_numbers_that_are_not_targets(prefix, value):
    for t in extracted(prefix)[1].targets:
        if t.source_kind != "series":
            assert t.target_value != pytest.approx(value), t.quote
            assert t.baseline_value != pytest.approx(value), t.quote


def flags(prefix, kind):
    return [f for f in extracted(prefix)[1].flags if f.kind == kind]


def test_table_prose_conflicts_of_001():
    got = flags("001", "table_prose_conflict")
    assert len(got) == 2
    social, quality = got
    assert "社会工作专业人才数" in social.message and "3000" in social.message and "1500" in social.message
    assert "养老机构服务基本质量达标率" in quality.message and "75" in quality.message
    text = extracted("001")[0]
    assert "社会工作专业人才数" in text[social.start:social.end]


def test_unit_flags():
    suspect = flags("002", "suspect_unit")
    assert [f.detail for f in suspect] == ["建立党组织的社会组织数"]
    assert sorted(f.detail for f in flags("002", "missing_unit")) == ["社会工作专业人才占总人口比例", "福利彩票销售网点数"]
    assert sorted(f.detail for f in flags("004", "missing_unit")) == ["每百户居民拥有的城乡社区综合服务设施建筑面积", "社会工作专业人才总量"]
    assert not flags("001", "missing_unit") and not flags("001", "suspect_unit")


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_no_false_alarms_on_percentages_and_direction(prefix):
    assert not flags(prefix, "pct_over_100")  # 001's `≥100` is exactly 100
    assert not flags(prefix, "target_below_baseline")
    for f in extracted(prefix)[1].flags:
        assert f.severity in ("info", "warning", "error") and f.message
