"""Extraction on short fixtures written for layouts and wordings the seeds do not show."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.clean import clean_document
from analysis.clean.html_tables import html_table_to_rows
from analysis.extract import extract_targets
from analysis.extract.numbers import parse_cell_value, parse_cn_number, parse_number
from analysis.segment import split_passages

FIX = Path(__file__).parent / "fixtures" / "extract"


def extract(name: str):
    text = clean_document((FIX / name).read_bytes(), name=name).text
    res = extract_targets(text, split_passages(text))
    for t in res.targets:
        assert text[t.start:t.end] == t.quote
    return text, res


def by(res, name, kind="table", year=2025):
    hits = [t for t in res.targets if t.raw_name == name and t.source_kind == kind and t.target_year == year]
    assert len(hits) == 1, [(t.raw_name, t.source_kind, t.target_year) for t in res.targets]
    return hits[0]


@pytest.mark.parametrize("s,v", [("2,800", 2800), ("33.4", 33.4), ("六十", 60), ("一百", 100), ("二十五", 25),
                                 ("三点五", 3.5), ("x", None)])
def test_numbers(s, v):
    assert parse_number(s) == v


@pytest.mark.parametrize("cell,value,comp,high,unit", [
    ("≥90", 90, ">=", None, None), ("≤40", 40, "<=", None, None), ("100", 100, "=", None, None),
    ("5-10家", 5, "range", 10, "家"), ("0.5亿元", 0.5, "=", None, "亿元"), ("2.5万人", 2.5, "=", None, "万人"),
    ("60%以上", 60, ">=", None, "%"), ("不低于55%", 55, ">=", None, "%"),
])
def test_cell_values(cell, value, comp, high, unit):
    v = parse_cell_value(cell)
    assert (v.value, v.comparator, v.high, v.unit) == (value, comp, high, unit)


def test_chinese_numerals():
    assert parse_cn_number("九十五") == 95 and parse_cn_number("一百二十") == 120


def test_markdown_table_with_columns_in_any_order_and_a_milestone():
    _, res = extract("markdown_reordered.md")
    beds = by(res, "养老机构护理型床位占比")
    assert (beds.baseline_year, beds.baseline_value, beds.comparator, beds.target_value, beds.unit, beds.attribute) == \
           (2020, 38.5, ">=", 55, "%", "约束性")
    assert by(res, "养老机构护理型床位占比", year=2023).target_value == 48
    dibao = by(res, "城乡低保标准年度增速")
    assert dibao.comparator == "qualitative" and dibao.target_text == "与居民人均消费支出增速同步"
    social = by(res, "社会工作专业人才数量")
    assert (social.baseline_value, social.target_value, social.unit) == (1200, 2800, "人")
    assert len([t for t in res.targets if t.source_kind == "table"]) == 4 + 3  # four 2025 targets, three 2023 milestones


def test_html_rowspan_colspan_two_row_header():
    rows = html_table_to_rows((FIX / "html_rowspan.html").read_text(encoding="utf-8"))
    assert rows[0][4:6] == ["指标值", "指标值"] and rows[1][4:6] == ["2020年", "2025年"]
    assert rows[3][1] == "养老服务"  # the rowspan repeats the merged domain cell
    _, res = extract("html_rowspan.html")
    beds = by(res, "养老机构护理型床位比例")
    assert (beds.domain, beds.baseline_value, beds.comparator, beds.target_value) == ("养老服务", 41, ">=", 58)
    assert by(res, "街道综合养老服务机构覆盖率").domain == "养老服务"
    assert by(res, "火化率").domain == "殡葬"
    prose = by(res, "全县火化率", kind="prose") if any(t.raw_name == "全县火化率" for t in res.targets) else by(res, "火化率", kind="prose")
    assert prose.target_value == 95 and prose.comparator == ">="


def test_ragged_one_cell_per_line_table_with_missing_unit_and_blank_baseline():
    _, res = extract("ragged_cells.txt")
    table = [t for t in res.targets if t.source_kind == "table"]
    assert [t.raw_name for t in table] == ["嘎查村综合服务站覆盖率", "社会工作专业人才总量", "苏木乡镇未成年人保护工作站覆盖率"]
    assert (table[1].unit, table[1].baseline_value, table[1].target_value) == (None, 150, 600)
    assert (table[2].unit, table[2].baseline_value, table[2].target_value) == ("%", None, 60)
    assert any(f.kind == "missing_unit" and "社会工作专业人才总量" in f.message for f in res.flags)
    prose = by(res, "社会工作专业人才总量", kind="prose")
    assert prose.target_value == 600


def test_prose_wordings():
    _, res = extract("prose_mixed.txt")
    got = {(t.raw_name, t.target_year): t for t in res.targets}
    assert got[("城市低保标准占上年度居民人均消费支出比例", 2025)].target_value == 30
    assert got[("农村低保标准占上年度居民人均消费支出比例", 2025)].target_value == 45
    cremation = got[("火化率", 2025)]
    assert (cremation.target_value, cremation.comparator, cremation.baseline_year, cremation.baseline_value) == (98, ">=", 2020, 96.3)
    assert got[("节地生态安葬率", 2025)].target_value == 60  # 百分之六十
    assert got[("养老机构护理型床位占比", 2023)].target_value == 50
    assert got[("政府运营床位占比", 2025)].comparator == "<="
    rng = got[("社区养老服务设施覆盖率", 2025)]
    assert (rng.comparator, rng.target_value, rng.target_value_high) == ("range", 90, 100)


def test_numbers_that_are_not_targets():
    _, res = extract("prose_mixed.txt")
    values = {t.target_value for t in res.targets}
    assert not values & {8.93, 460, 636, 1234567, 8, 12, 311}


def test_ragged_pipe_table_split_row_extra_cells_and_missing_attribute():
    text, res = extract("ragged_pipe.txt")
    table = {t.raw_name: t for t in res.targets if t.source_kind == "table"}
    assert list(table) == ["养老机构护理型床位占比", "乡镇(街道)未成年人保护工作站覆盖率", "火化率", "福利彩票销售网点数"]
    assert table["乡镇(街道)未成年人保护工作站覆盖率"].target_value == 50  # the row split across two lines
    assert table["火化率"].target_value == 95 and table["火化率"].attribute == "约束性"
    assert any(f.kind == "ragged_table" and "火化率" in f.message for f in res.flags)
    assert (table["福利彩票销售网点数"].target_value, table["福利彩票销售网点数"].attribute) == (150, None)
