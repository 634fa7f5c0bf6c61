"""Text exported from a PDF (`pdftotext -layout`): page furniture, wraps, space-aligned tables.

The fixture (tests/fixtures/layout/plan_pdftotext.txt) is made by
tests/fixtures/src/make_layout_fixtures.py, in invented wording.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RAW

from analysis.clean import clean_document
from analysis.clean.pagetext import clean_layout, find_wraps, wrap_width
from analysis.clean.textmap import MappedText
from analysis.extract import extract_targets
from analysis.extract.layout import find_aligned_tables
from analysis.segment import split_passages

FIX = Path(__file__).parent / "fixtures" / "layout"


@pytest.fixture(scope="module")
def plan():
    cleaned = clean_document((FIX / "plan_pdftotext.txt").read_bytes(), name="plan_pdftotext.txt")
    res = extract_targets(cleaned.text, split_passages(cleaned.text))
    return cleaned, res


def _table(res, name):
    hits = [t for t in res.targets if t.source_kind == "table" and t.raw_name == name]
    assert len(hits) == 1, [t.raw_name for t in res.targets]
    return hits[0]


ROWS = [  # name, unit, baseline, comparator, target (or qualitative text), attribute
    ("城乡低保标准年度增长率", "%", None, "qualitative", "不低于居民人均消费支出增速", "约束性"),
    ("养老机构护理型床位占比", "%", 42, ">=", 55, "约束性"),
    ("街道综合养老服务中心覆盖率", "%", 30, "=", 100, "预期性"),
    ("困难残疾人生活补贴和重度残疾人护理补贴目标人群覆盖率", "%", 100, "=", 100, "约束性"),
    ("社会工作专业人才数量", "人", 1200, "=", 2000, "预期性"),
    ("县级公益性安葬(放)设施覆盖率", "%", 60, "=", 100, "约束性"),
    ("婚姻登记“跨省通办”实施率", "%", None, "=", 100, "预期性"),
    ("每百户居民拥有社区综合服务设施面积", "平方米", 26, ">=", 30, "预期性"),
    ("福利彩票年销售网点", "个", 350, "=", 400, "预期性"),
]


@pytest.mark.parametrize("name,unit,baseline,comparator,target,attribute", ROWS)
def test_every_row_of_the_aligned_table(plan, name, unit, baseline, comparator, target, attribute):
    _, res = plan
    t = _table(res, name)
    assert (t.unit, t.baseline_value, t.comparator, t.attribute, t.target_year) == (unit, baseline, comparator,
                                                                                   attribute, 2025)
    if comparator == "qualitative":
        assert t.target_text == target and t.target_value is None
    else:
        assert t.target_value == target
    if baseline is not None:
        assert t.baseline_year == 2020


def test_the_table_has_exactly_its_rows_and_continues_under_xubiao(plan):
    cleaned, res = plan
    assert sorted(t.raw_name for t in res.targets if t.source_kind == "table") == sorted(r[0] for r in ROWS)
    tables = find_aligned_tables(cleaned.text)
    assert len(tables) == 1 and len(tables[0].rows) == 9  # 表1 and 续表1 are one table


def test_every_quote_is_verbatim_and_reads_like_a_row(plan):
    cleaned, res = plan
    for t in res.targets:
        assert cleaned.text[t.start:t.end] == t.quote
    beds = _table(res, "养老机构护理型床位占比")
    assert beds.quote.split() == ["2", "养老机构护理型床位占比", "%", "42", "≥55", "约束性"]


def test_page_furniture_is_gone(plan):
    cleaned, _ = plan
    text = cleaned.text
    assert "\f" not in text
    assert "— 2 —" not in text and "— I —" not in text
    assert "......" not in text and "目    录" not in text and "目录" not in text
    # the running header is gone from the pages; the cover keeps the title
    assert text.count("青岚市民政事业发展“十四五”规划") == 1 and text.startswith("青岚市民政事业发展“十四五”规划")


def test_printed_page_labels(plan):
    cleaned, res = plan
    text = cleaned.text
    # (physical page, printed label): cover 1, TOC 2 (removed), then printed pages 1-3
    assert cleaned.page_at(text.index("一、发展基础")) == (3, "1")
    assert cleaned.page_at(_table(res, "养老机构护理型床位占比").start) == (4, "2")
    assert cleaned.page_at(_table(res, "福利彩票年销售网点").start) == (5, "3")
    assert cleaned.page_at(text.index("到2023年")) == (5, "3")
    assert cleaned.page_at(0) == (1, None)  # the cover has no folio
    assert [p.page for p in cleaned.pages] == [1, 2, 3, 4, 5]
    assert clean_document("没有分页的文本。".encode()).page_at(0) == (None, None)


def test_wrapped_paragraphs_are_joined_without_spaces(plan):
    cleaned, _ = plan
    assert "两条主线开展工作" in cleaned.text and "养老服务设施覆盖面持续扩大" in cleaned.text
    assert "基层民政服务力量" in cleaned.text
    # a new (indented) paragraph is not run into the previous one
    assert "较好基础。\n同时也要看到" in cleaned.text


def test_milestone_year_on_the_line_above_its_number(plan):
    _, res = plan
    hits = [t for t in res.targets if t.source_kind == "prose" and t.raw_name == "养老机构护理型床位占比"]
    assert [(t.target_year, t.target_value, t.unit) for t in hits] == [(2023, 48, "%")]


def test_seeds_are_not_rewrapped_or_reshaped():
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        mt, pages = clean_layout(MappedText.identity(text))
        assert pages == [] and wrap_width(text) is None and find_wraps(text) == [], path.name


def test_cell_per_line_and_one_paragraph_per_line_are_never_joined():
    cells = "\n".join(["序号", "主要指标", "单位", "1", "养老机构护理型床位占比", "%", "42", "55"] * 3)
    paragraphs = "\n".join(["全市养老服务体系不断完善，" * k + "取得明显成效。" for k in range(1, 9)])
    for text in (cells, paragraphs):
        assert find_wraps(text) == []


def test_character_aligned_columns_also_read():
    """pdftotext may align by character (a CJK character one column): the same table reads."""
    lines = ["序号  指标名称              单位  2020年  2025年  属性",
             "1     护理型床位占比        %     40      ≥55     约束性",
             "2     社区养老服务覆盖率    %     70      100     预期性",
             "3     持证社会工作者        人    300     800     预期性"]
    text = "\n".join(lines)
    cleaned = clean_document(text.encode("utf-8"))
    res = extract_targets(cleaned.text)
    got = {(t.raw_name, t.unit, t.baseline_value, t.comparator, t.target_value, t.attribute) for t in res.targets}
    assert got == {("护理型床位占比", "%", 40, ">=", 55, "约束性"), ("社区养老服务覆盖率", "%", 70, "=", 100, "预期性"),
                   ("持证社会工作者", "人", 300, "=", 800, "预期性")}


def test_wrapped_name_on_the_first_line_with_values_on_the_second():
    lines = ["序号  主要指标                      单位    2020年    2025年    属性",
             "1     查明身份信息的流浪乞讨受助",
             "      人员接送返回率                %       ——        100       约束性",
             "2     养老机构护理型床位占比        %       50        60        约束性"]
    cleaned = clean_document("\n".join(lines).encode("utf-8"))
    res = extract_targets(cleaned.text)
    names = [(t.raw_name, t.target_value) for t in res.targets if t.source_kind == "table"]
    assert names == [("查明身份信息的流浪乞讨受助人员接送返回率", 100), ("养老机构护理型床位占比", 60)]


def _wrap(body: str, width: int = 30) -> list[str]:
    """Lines of `width` characters, the first indented by two (as a PDF export prints them)."""
    return ["    " + body[:width - 2]] + [body[i:i + width] for i in range(width - 2, len(body), width)]


def _wrapped_pages() -> str:
    body = ("民政部门要统筹城乡社会救助体系建设，完善分层分类的救助制度，加强低收入人口动态监测，"
            "健全主动发现机制，确保困难群众应保尽保、应救尽救。到2024年，全市困难群众救助帮扶机制"
            "全面建立，基本生活救助水平稳步提升，救助服务更加便捷高效，群众满意度明显提高。")
    lines = _wrap(body + body.replace("2024", "2025"))
    page1, page2 = lines[:6], lines[6:]
    return ("\n".join(page1) + "\n\n                — 7 —\n\f" + "\n".join(page2) + "\n\n                — 8 —\n")


def test_a_paragraph_continues_across_the_page_break():
    text = _wrapped_pages()
    cleaned = clean_document(text.encode("utf-8"))
    assert "\n" not in cleaned.text.strip() and "— 7 —" not in cleaned.text
    assert "到2024年,全市困难群众救助帮扶机制" in cleaned.text
    assert cleaned.page_at(cleaned.text.rindex("群众满意度")) == (2, "8")


def test_a_year_split_over_two_lines_is_joined_without_a_space():
    body = ("各地要加快推进养老服务设施建设，补齐农村养老短板，到2023年，全市养老机构护理型床位占比达到50%，"
            "社区养老服务设施覆盖所有城市社区，农村互助养老服务设施覆盖率稳步提高，养老服务队伍专业化水平"
            "明显提升，老年人获得感进一步增强。同时加快发展普惠型养老服务，引导社会力量参与，形成多元供给格局。")
    lines = _wrap(body)
    assert lines[0].endswith("到20") and lines[1].startswith("23年")
    cleaned = clean_document("\n".join(lines).encode("utf-8"))
    assert "到2023年,全市养老机构护理型床位占比达到50%" in cleaned.text
    res = extract_targets(cleaned.text)
    assert [(t.target_year, t.target_value) for t in res.targets if "护理型床位" in t.raw_name] == [(2023, 50)]


# ---------------------------------------------------------------- pdftotext's character grid

GRID_ROWS = [  # name, unit, baseline, comparator, target, attribute
    ("养老机构护理型床位占比", "%", 38, ">=", 55, "约束性"),
    ("每千名老年人拥有养老床位数", "张", 31, "=", 35, "预期性"),
    ("社区日间照料机构覆盖率", "%", 85, "=", 100, "预期性"),
    ("城乡低保标准年增长幅度", "%", None, "qualitative", "不低于居民人均消费支出增幅", "约束性"),
    ("特困人员供养服务设施护理型床位占比", "%", 40, "=", 50, "约束性"),
]


@pytest.fixture(scope="module")
def grid():
    cleaned = clean_document((FIX / "plan_pdftotext_grid.txt").read_bytes(), name="plan_pdftotext_grid.txt")
    return cleaned, extract_targets(cleaned.text, split_passages(cleaned.text))


def test_character_grid_table_with_centred_rows(grid):
    """Columns at x (a CJK glyph one character but ~1.8 columns wide), cells centred vertically:
    a wrapped name or target above and below the row's number, a merged 类别 on the middle row."""
    cleaned, res = grid
    table = [t for t in res.targets if t.source_kind == "table"]
    got = [(t.raw_name, t.unit, t.baseline_value, t.comparator,
            t.target_text if t.comparator == "qualitative" else t.target_value, t.attribute) for t in table]
    assert got == GRID_ROWS
    assert all(t.baseline_year in (2020, None) and t.target_year == 2025 for t in table)
    # a merged 类别 prints on its middle row; blank 类别 cells below carry it on
    assert [t.domain for t in table] == [None, "养老服务", "养老服务", "社会救助", "社会救助"]
    for t in res.targets:
        assert cleaned.text[t.start:t.end] == t.quote


def test_letter_spaced_justified_line_is_closed_up_and_its_year_kept(grid):
    cleaned, res = grid
    assert "养老服务体系更加健全,到2022年,全市社区养老服务设施覆盖率达到90%" in cleaned.text
    prose = {(t.raw_name, t.target_year, t.target_value) for t in res.targets if t.source_kind == "prose"}
    assert ("社区养老服务设施覆盖率", 2022, 90) in prose and ("农村互助养老服务点覆盖率", 2022, 60) in prose
    assert "—5—" not in cleaned.text and cleaned.page_at(len(cleaned.text) - 1) == (1, "5")


def test_a_table_cell_opening_a_page_is_kept_and_only_counting_numbers_are_folios():
    # pdftotext without -layout: one cell per line, a row cut by the page break (\f)
    cut = "县级殡仪馆数\n个\n—\n\n— 6 —\n\f347\n约束性\n第三章 主要任务\n\n— 7 —\n"
    out, pages = clean_layout(MappedText.identity(cut))
    assert out.text.split() == ["县级殡仪馆数", "个", "—", "347", "约束性", "第三章", "主要任务"]
    assert [label for _, label in pages] == ["6", "7"]
    bare = "正文一。\n\n1\n\f4147\n约束性\n\n2\n\f正文三。\n\n3\n"
    out, pages = clean_layout(MappedText.identity(bare))
    assert out.text.split() == ["正文一。", "4147", "约束性", "正文三。"]
    assert [label for _, label in pages] == ["1", "2", "3"]


def test_a_chapter_heading_after_the_last_row_is_not_part_of_its_name():
    lines = ["序号  主要指标                单位    2020年    2025年    属性",
             "1     养老机构护理型床位占比  %       50        60        约束性",
             "2     持证社会工作者          人      800       1500      预期性",
             "",
             "    第三章  重点任务",
             "",
             "    一、完善社会救助体系。"]
    res = extract_targets(clean_document("\n".join(lines).encode("utf-8")).text)
    names = [(t.raw_name, t.target_value) for t in res.targets if t.source_kind == "table"]
    assert names == [("养老机构护理型床位占比", 60), ("持证社会工作者", 1500)]
