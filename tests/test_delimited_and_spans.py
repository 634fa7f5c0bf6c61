"""Layouts and phrasings of plans typed by hand, in our own words: indicator tables whose cells are
separated by tabs (copied out of Word or a spreadsheet) or by single spaces under a header that names the
columns, with the unit written in brackets after the name; a clause that states the baseline and the target
together (`由2020年的…提高到2025年的…`); and prose that a delimiter rule must leave alone."""

from __future__ import annotations

from analysis.clean import clean_document
from analysis.clean.delimited import delimit_tables
from analysis.clean.textmap import MappedText
from analysis.extract import extract_targets


def targets(text: str, kind: str | None = None):
    clean = clean_document(text.encode("utf-8")).text
    got = [t for t in extract_targets(clean).targets if kind is None or t.source_kind == kind]
    return clean, got


def table_rows(got):
    return sorted((t.raw_name, t.unit, t.baseline_value, t.target_value, t.attribute) for t in got
                  if t.source_kind == "table" and t.target_value is not None)


EXPECTED = [("困难残疾人生活补贴覆盖率", "%", 95.0, 100.0, "约束性"), ("每千名老年人养老床位数", "张", 32.0, 38.0, "预期性"),
            ("社区综合服务设施覆盖率", "%", 88.0, 100.0, "约束性")]


def test_a_tab_separated_indicator_table_is_read_row_by_row():
    text = ("石桥市民政事业发展规划\n\n表1 主要指标\n序号\t指标\t2020年\t2025年\t属性\n"
            "1\t社区综合服务设施覆盖率（%）\t88\t100\t约束性\n2\t每千名老年人养老床位数（张）\t32\t38\t预期性\n"
            "3\t困难残疾人生活补贴覆盖率（%）\t95\t100\t约束性\n")
    clean, got = targets(text)
    assert table_rows(got) == EXPECTED
    for t in got:
        assert clean[t.start:t.end] == t.quote


def test_a_single_space_table_under_a_naming_header_is_read():
    text = ("石桥市民政事业发展规划\n\n主要指标\n序号 指标名称 2020年 2025年 指标属性\n"
            "1 社区综合服务设施覆盖率（%） 88 100 约束性\n2 每千名老年人养老床位数（张） 32 38 预期性\n"
            "3 困难残疾人生活补贴覆盖率（%） 95 100 约束性\n")
    assert table_rows(targets(text)[1]) == EXPECTED


def test_delimiters_in_prose_are_left_alone():
    prose = ("到2025年 全市建成 8 个区域养老服务中心\n序号 1 的任务由民政局牵头 2025年 完成\n"
             "说明\t见附件\n")
    mt = MappedText.identity(prose)
    assert delimit_tables(mt).text == prose  # no table header, a single tab line: nothing changes
    two_rows = "甲\t乙\t丙\n丁\t戊\t己\n"
    out = delimit_tables(MappedText.identity(two_rows))
    assert out.text == "甲 | 乙 | 丙\n丁 | 戊 | 己\n"
    assert [out.origin[i] for i in (0, out.text.index("乙"), out.text.index("己"))] == [0, 2, 10]


def test_a_clause_with_its_baseline_and_target_is_one_row():
    text = ("第二章 发展目标\n全市养老机构护理型床位占比由2020年的38%提高到2025年的58%以上，"
            "农村特困人员供养服务机构失能照护率从2020年底的40%提升至2025年的60%。")
    got = [t for t in targets(text, "prose")[1] if t.target_value is not None]
    rows = sorted((t.raw_name, t.baseline_year, t.baseline_value, t.target_year, t.target_value, t.comparator)
                  for t in got)
    assert rows == [("养老机构护理型床位占比", 2020, 38.0, 2025, 58.0, ">="),
                    ("农村特困人员供养服务机构失能照护率", 2020, 40.0, 2025, 60.0, "=")]


def test_a_review_from_one_past_year_to_another_is_no_target():
    text = "第一章 发展基础\n全市社区综合服务设施覆盖率由2015年的60%提高到2020年的88%。"
    assert not [t for t in targets(text, "prose")[1] if t.target_year and t.target_year > 2020]


def test_a_growth_clause_takes_the_subject_of_the_clause_before():
    got = targets("第二章 发展目标\n到2025年，农村特困供养标准逐年提高，年均增长5%以上。", "prose")[1]
    rows = [(t.raw_name, t.target_value, t.comparator) for t in got if t.target_value is not None]
    assert rows == [("农村特困供养标准年均增长", 5.0, ">=")]


def test_the_next_item_of_a_list_is_never_read_as_the_subject_of_a_share():
    got = targets("第二章 发展目标\n到2025年，老年助餐点覆盖率城区达到95%、乡村达到60%。", "prose")[1]
    assert not [t for t in got if t.raw_name.startswith(("达到", "、"))], [t.raw_name for t in got]
