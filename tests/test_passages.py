"""Passages carry their heading path; tables and the table of contents are kept apart."""

from analysis.segment import heading_level, split_passages


def test_heading_levels():
    assert heading_level("第二章 全面夯实基本民生保障体系") == 1
    assert heading_level("一、规划背景") == 1
    assert heading_level("第一节 全面巩固拓展兜底保障") == 2
    assert heading_level("(一)发展回顾") == 2
    assert heading_level("(一)持续巩固拓展脱贫攻坚兜底保障成果。坚持“应保尽保”。") is None
    assert heading_level("2025年目标值") is None


def test_paths_and_kinds():
    text = ("第一节 立足新起点 4\n第二章 养老服务\n第一节 机构养老\n到2025年，护理型床位占比达到55%。\n"
            "序号 | 主要指标 | 单位 |\n1 | 火化率 | % |\n\n第三章 殡葬\n火化率保持100%。")
    ps = split_passages(text)
    kinds = [(p.kind, p.heading_path) for p in ps]
    assert kinds[0] == ("toc", "")
    assert ("paragraph", "第二章 养老服务 > 第一节 机构养老") in kinds
    assert ("table", "第二章 养老服务 > 第一节 机构养老") in kinds
    assert kinds[-1] == ("paragraph", "第三章 殡葬")
    for p in ps:
        assert text[p.start:p.end] == p.text


def test_one_cell_per_line_block_is_a_table(seed_text):
    ps = split_passages(seed_text("002"))
    tables = [p for p in ps if p.kind == "table"]
    assert len(tables) == 1 and "养老机构护理型床位占比" in tables[0].text
    assert tables[0].heading_path.endswith("(三)主要目标")
