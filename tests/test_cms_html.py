"""HTML as old government CMSs serve it: GBK bytes declared gb2312, the indicator table nested in
layout tables and split 表1 / 续表1, units written inside the value cells.

The fixture (tests/fixtures/layout/cms_gbk.html) is made by tests/fixtures/src/make_layout_fixtures.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.clean import clean_document
from analysis.extract import extract_targets
from analysis.extract.tables import find_pipe_tables
from analysis.ingest.encoding import declared_charset, decode_bytes

FIX = Path(__file__).parent / "fixtures" / "layout"
DATA = (FIX / "cms_gbk.html").read_bytes()


@pytest.fixture(scope="module")
def page():
    cleaned = clean_document(DATA, name="cms_gbk.html")
    return cleaned, extract_targets(cleaned.text)


def test_fixture_really_is_gbk_beyond_gb2312():
    assert declared_charset(DATA) == "gb2312"
    with pytest.raises(UnicodeDecodeError):
        DATA.decode("gb2312")
    with pytest.raises(UnicodeDecodeError):
        DATA.decode("utf-8")


def test_declared_gb2312_is_decoded_as_gb18030(page):
    cleaned, _ = page
    assert cleaned.encoding == "gb18030"
    assert "镕城街道、堃山镇率先开展试点" in cleaned.text
    assert not [f for f in cleaned.flags if f.kind in ("mojibake", "encoding")]


def test_a_short_declared_page_is_not_guessed_as_big5():
    html = '<html><head><meta charset="gb2312"></head><body><p>堃山镇</p><div>x</div></body></html>'
    assert decode_bytes(html.encode("gbk")).text.count("堃山镇") == 1


def test_only_the_innermost_table_becomes_pipe_rows(page):
    cleaned, _ = page
    text = cleaned.text
    assert "首页 > 政府文件" in text and "首页 > 政府文件 |" not in text  # layout text, not a table row
    assert "碧府办发〔2022〕17号" in text and "| 碧府办发" not in text
    assert "序号 | 指标名称 | 2020年 | 2025年 | 属性 |" in text


def test_biao1_and_xubiao1_are_one_table(page):
    cleaned, _ = page
    tables, _ = find_pipe_tables(cleaned.text)
    assert len(tables) == 1 and len(tables[0].rows) == 5


ROWS = [  # name, unit, baseline, comparator, target, attribute
    ("养老机构护理型床位占比", "%", 35, ">=", 55, "约束性"),
    ("社会工作者总数", "人", 900, "=", 1500, "预期性"),
    ("低保审批办结时限", "个工作日", 20, "<=", 15, "约束性"),
    ("社区志愿服务站点覆盖率", "%", 40, ">=", 80, "预期性"),
    ("农村公益性公墓覆盖率", "%", None, "=", 100, "约束性"),
]


@pytest.mark.parametrize("name,unit,baseline,comparator,target,attribute", ROWS)
def test_units_come_from_the_cells(page, name, unit, baseline, comparator, target, attribute):
    cleaned, res = page
    hits = [t for t in res.targets if t.source_kind == "table" and t.raw_name == name]
    assert len(hits) == 1
    t = hits[0]
    assert (t.unit, t.baseline_value, t.comparator, t.target_value, t.attribute, t.target_year) == \
           (unit, baseline, comparator, target, attribute, 2025)
    assert cleaned.text[t.start:t.end] == t.quote and name in t.quote


def test_table_rows_are_exactly_the_five(page):
    _, res = page
    assert len([t for t in res.targets if t.source_kind == "table"]) == 5


def test_xubiao_without_a_repeated_header_continues_the_table():
    html = ("<html><body><p>表1 主要指标</p><table>"
            "<tr><td>序号</td><td>指标</td><td>2020年</td><td>2025年</td><td>属性</td></tr>"
            "<tr><td>1</td><td>养老机构护理型床位占比</td><td>40%</td><td>55%</td><td>约束性</td></tr>"
            "<tr><td>2</td><td>孤儿基本生活费保障率</td><td>100%</td><td>100%</td><td>约束性</td></tr></table>"
            "<p>续表1</p><table>"
            "<tr><td>3</td><td>城乡社区志愿者注册率</td><td>12%</td><td>≥15%</td><td>预期性</td></tr></table>"
            "</body></html>")
    cleaned = clean_document(html.encode("utf-8"))
    tables, _ = find_pipe_tables(cleaned.text)
    assert len(tables) == 1 and len(tables[0].rows) == 3
    res = extract_targets(cleaned.text)
    last = [t for t in res.targets if t.raw_name == "城乡社区志愿者注册率"]
    assert [(t.baseline_value, t.comparator, t.target_value, t.unit, t.attribute) for t in last] == \
           [(12, ">=", 15, "%", "预期性")]


def test_a_title_row_across_the_table_is_text_not_a_row():
    html = ("<html><body><table><tr><td colspan=5>表3 民政事业主要指标</td></tr>"
            "<tr><td>序号</td><td>指标</td><td>2020年</td><td>2025年</td><td>属性</td></tr>"
            "<tr><td>1</td><td>养老机构护理型床位占比</td><td>40%</td><td>55%</td><td>约束性</td></tr>"
            "</table><div>x</div></body></html>")
    cleaned = clean_document(html.encode("utf-8"))
    assert "表3 民政事业主要指标\n序号 | 指标 | 2020年 | 2025年 | 属性 |" in cleaned.text
    got = [(t.raw_name, t.baseline_value, t.target_value, t.unit) for t in extract_targets(cleaned.text).targets]
    assert got == [("养老机构护理型床位占比", 40, 55, "%")]
