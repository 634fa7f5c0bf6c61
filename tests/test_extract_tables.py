"""Indicator tables in every layout, on short fixtures (tests/fixtures/extract/) and inline text.

Each fixture is a layout the seeds do not show in exactly this form: columns in another order,
milestone and 备注 columns, a 领域 column merged over rows, two-row HTML headers with spans,
missing units and blank baselines, and historical series as pipe rows and as HTML.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.clean import clean_document
from analysis.clean.html_tables import html_table_to_rows
from analysis.extract import extract_targets

FIX = Path(__file__).parent / "fixtures" / "extract"


def run(name: str | None = None, text: str | None = None):
    if name is not None:
        text = clean_document((FIX / name).read_bytes(), name=name).text
    res = extract_targets(text)
    for t in res.targets:
        assert text[t.start:t.end] == t.quote
    starts = [t.start for t in res.targets]
    assert starts == sorted(starts), "targets come back in text order"
    return text, res


def rows(res, kind="table"):
    return [(t.raw_name, t.target_year) for t in res.targets if t.source_kind == kind]


def row(res, name, year=2025, kind="table"):
    hits = [t for t in res.targets if t.raw_name == name and t.target_year == year and t.source_kind == kind]
    assert len(hits) == 1, rows(res, kind)
    return hits[0]


def values(t):
    return (t.baseline_year, t.baseline_value, t.comparator, t.target_value, t.target_value_high, t.unit, t.attribute)


PIPE = """专栏1 主要发展指标
序号 | 主要指标 | 单位 | 2020年 | 2025年 | 指标属性 |
1 | 城乡低保标准年度增速 | % | —— | 不低于上年度居民人均消费支出增速 | 约束性 |
2 | 农村低保标准占城市低保标准比例 | % | 72 | ≥85 | 预期性 |
3 | 慈善组织接受社会捐赠总额 | 万元 | 3,100 | ≥4000 | 预期性 |
4 | 政府运营床位占比 | % | 45.5 | ≤40 | 约束性 |
5 | 养老机构服务质量达标率 | % | 70 | 105 | 预期性 |
6 | 社会组织数量 | 万个 | 1.2 | 900 | 预期性 |
7 | 志愿服务站点覆盖率 | % | 90 | 80 | 预期性 |
"""


def test_pipe_rows_like_a_word_table_pasted_as_text():
    text, res = run(text=PIPE)
    assert rows(res) == [(n, 2025) for n in ("城乡低保标准年度增速", "农村低保标准占城市低保标准比例", "慈善组织接受社会捐赠总额",
                                              "政府运营床位占比", "养老机构服务质量达标率", "社会组织数量", "志愿服务站点覆盖率")]
    q = row(res, "城乡低保标准年度增速")
    assert (q.comparator, q.target_value, q.target_text, q.baseline_value) == ("qualitative", None, "不低于上年度居民人均消费支出增速", None)
    assert values(row(res, "农村低保标准占城市低保标准比例")) == (2020, 72, ">=", 85, None, "%", "预期性")
    assert values(row(res, "慈善组织接受社会捐赠总额")) == (2020, 3100, ">=", 4000, None, "万元", "预期性")
    assert values(row(res, "政府运营床位占比")) == (2020, 45.5, "<=", 40, None, "%", "约束性")
    t = row(res, "农村低保标准占城市低保标准比例")
    assert t.quote == "2 | 农村低保标准占城市低保标准比例 | % | 72 | ≥85 | 预期性" and t.source_kind == "table"
    kinds = {(f.kind, f.detail or "") for f in res.flags}
    assert any(k == "pct_over_100" for k, _ in kinds)  # 105 %
    assert any(k == "suspect_unit" for k, _ in kinds)  # 900 万个
    below = [f for f in res.flags if f.kind == "target_below_baseline"]
    assert [f.detail for f in below] == ["志愿服务站点覆盖率"]  # the `≤40` cap is not flagged
    assert not [f for f in res.flags if f.kind == "missing_unit"]


def test_a_big5_page_with_its_own_comparison_signs():
    # a traditional-character page saved as Big5 writes ≧/≦ (Big5 has no ≥/≤); the value is still read
    page = ("<table><tr><td>序號</td><td>指標</td><td>單位</td><td>2020年</td><td>2025年</td><td>屬性</td></tr>"
            "<tr><td>1</td><td>社區工作者人數</td><td>人</td><td>3026</td><td>≧4450</td><td>約束性</td></tr>"
            "<tr><td>2</td><td>政府運營床位佔比</td><td>%</td><td>45</td><td>≦40</td><td>預期性</td></tr></table>")
    text = clean_document(page.encode("big5"), name="trad.html").text
    _, res = run(text=text)
    assert values(row(res, "社区工作者人数")) == (2020, 3026, ">=", 4450, None, "人", "约束性")
    assert values(row(res, "政府运营床位占比"))[2:4] == ("<=", 40)


def test_markdown_columns_in_any_order_with_milestones_and_notes():
    _, res = run("markdown_milestones_notes.md")
    assert rows(res) == [("养老机构护理型床位占比", 2025), ("养老机构护理型床位占比", 2023), ("社区养老服务设施覆盖率", 2025),
                         ("持证养老护理员人数", 2025), ("持证养老护理员人数", 2023),
                         ("城市低保标准占上年度居民人均消费支出比例", 2025), ("福彩公益金年筹集额", 2025), ("城乡低保标准年度增速", 2025)]
    assert values(row(res, "养老机构护理型床位占比")) == (2020, 36.2, ">=", 58, None, "%", "约束性")
    assert values(row(res, "养老机构护理型床位占比", 2023)) == (2020, 36.2, "=", 50, None, "%", "约束性")
    assert values(row(res, "持证养老护理员人数")) == (2020, 1150, "=", 2800, None, "人", "预期性")
    assert values(row(res, "城市低保标准占上年度居民人均消费支出比例")) == (2020, 28, "range", 30, 40, "%", "约束性")
    assert values(row(res, "福彩公益金年筹集额")) == (2020, 0.32, "=", 0.5, None, "亿元", "预期性")
    assert row(res, "城乡低保标准年度增速").comparator == "qualitative"


def test_html_rows_expand_rowspan_and_colspan():
    html = (FIX / "html_two_row_header.html").read_text(encoding="utf-8")
    grid = html_table_to_rows(html)
    assert grid[0] == ["类别", "指标", "单位", "指标值", "指标值", "属性"]
    assert grid[1] == ["类别", "指标", "单位", "基期值(2020年)", "目标值(2025年)", "属性"]
    assert [r[0] for r in grid[2:]] == ["社会救助"] * 3 + ["殡葬服务"] * 2
    assert all(len(r) == 6 for r in grid)


def test_html_table_with_two_row_header_and_merged_domain():
    _, res = run("html_two_row_header.html")
    assert values(row(res, "农村低保标准占城市低保标准比例")) == (2020, 71, ">=", 85, None, "%", "预期性")
    assert row(res, "农村低保标准占城市低保标准比例").domain == "社会救助"
    assert values(row(res, "有意愿的失能特困人员集中供养率")) == (None, None, "=", 100, None, "%", "约束性")
    assert values(row(res, "节地生态安葬率")) == (2020, 45, ">=", 60, None, "%", "预期性")
    assert row(res, "县级公益性安葬(放)设施覆盖率").domain == "殡葬服务"
    # a baseline with no target (`—`): kept as an observation of the base year
    only_base = row(res, "临时救助人次", year=None)
    assert (only_base.baseline_value, only_base.unit, only_base.comparator, only_base.target_value) == (1.2, "万人次", None, None)
    assert row(res, "节地生态安葬率", kind="prose").target_value == 60


def test_one_cell_per_line_with_merged_domain_missing_unit_and_blank_baseline():
    _, res = run("cells_merged_domain.txt")
    got = [(t.domain, t.raw_name) for t in res.targets if t.source_kind == "table"]
    assert got == [("养老服务", "养老机构护理型床位占比"), ("养老服务", "特殊困难老年人月探访率"), ("社会组织", "每万人拥有社会组织数"),
                   ("社会组织", "社会工作专业人才数量"), ("殡葬", "火化率")]
    assert values(row(res, "特殊困难老年人月探访率")) == (None, None, "=", 100, None, "%", "约束性")  # blank baseline
    assert values(row(res, "社会工作专业人才数量")) == (2020, 3200, "=", 5000, None, None, "预期性")  # no unit
    assert values(row(res, "火化率")) == (None, None, "=", 100, None, "%", "约束性")  # `稳定在100`
    assert [f.detail for f in res.flags if f.kind == "missing_unit"] == ["社会工作专业人才数量"]
    assert row(res, "社会工作专业人才数量", kind="prose").target_value == 5000


def test_one_cell_per_line_target_before_baseline_attribute_before_unit():
    _, res = run("cells_target_first.txt")
    assert values(row(res, "孤儿基本生活保障率")) == (2020, 100, "=", 100, None, "%", "约束性")
    assert values(row(res, "每千名老年人拥有养老床位数")) == (None, None, ">=", 40, None, "张", "预期性")
    assert values(row(res, "持证社会工作者人数")) == (2020, 560, "=", 1200, None, None, "预期性")
    assert values(row(res, "婚姻登记“跨省通办”实施率")) == (None, None, "=", 100, None, "%", "约束性")
    t = row(res, "城乡低保标准年度增速")
    assert (t.comparator, t.target_text) == ("qualitative", "与居民人均消费支出增速同步")


def test_ragged_pipe_row_with_a_missing_cell_keeps_the_target():
    text = "序号 | 主要指标 | 单位 | 2020年 | 2025年 | 指标属性 |\n1 | 火化率 | % | 100 | 约束性 |\n2 | 节地生态安葬率 | % | 40 | 60 | 预期性 |\n"
    _, res = run(text=text)
    assert values(row(res, "火化率")) == (None, None, "=", 100, None, "%", "约束性")
    assert values(row(res, "节地生态安葬率")) == (2020, 40, "=", 60, None, "%", "预期性")


def test_series_as_pipe_rows():
    _, res = run("series_pipe.txt")
    series = [t for t in res.targets if t.source_kind == "series"]
    assert len(series) == 15
    urban = {t.baseline_year: t.baseline_value for t in series if t.raw_name == "城市低保标准"}
    assert urban == {2016: 520, 2017: 560, 2018: 600, 2019: 650, 2020: 700}
    rural = [t for t in series if t.raw_name == "农村低保标准"]
    assert {t.unit for t in rural} == {"元/人/年"} and rural[-1].baseline_value == 6120
    assert all(t.target_year is None and t.target_value is None and t.comparator is None for t in series)
    assert {t.domain for t in series} == {"表3 2016—2020年全市城乡低保标准统计表"}


def test_series_as_html_with_two_level_header():
    _, res = run("html_series_two_level.html")
    series = [t for t in res.targets if t.source_kind == "series"]
    assert len(series) == 3 * 4
    got = {(t.raw_name, t.baseline_year): (t.baseline_value, t.unit) for t in series}
    assert got[("城市低保保障人数", 2018)] == (3.2, "万人")
    assert got[("农村低保保障人数", 2020)] == (5.5, "万人")
    assert got[("城市低保保障标准(月人均)", 2019)] == (640, "元")
    assert got[("农村低保保障标准(年人均)", 2020)] == (5900, "元")
    assert not [t for t in res.targets if t.target_value == 12.6]  # a past total, not a target


@pytest.mark.parametrize("text", ["", "没有任何表格的一段文字。", "| a | b |\n| c | d |\n", "序号\n\n主要指标\n\n"])
def test_no_table_no_targets(text):
    _, res = run(text=text)
    assert [t for t in res.targets if t.source_kind != "prose"] == []
