"""DOCX: merged cells and a two-level header read as one pipe table, values split across runs and
manual line breaks joined, a 专栏 box read as prose, headings from Word styles, block map."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from analysis.clean import clean_document
from analysis.clean.docx import heading_level, read_docx
from analysis.extract import extract_targets

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = FIXTURES / "formats"
sys.path.insert(0, str(FIXTURES / "src"))
import plan_content as plan  # noqa: E402


@pytest.fixture(scope="module")
def cleaned():
    return clean_document((FORMATS / "qinghe_word.docx").read_bytes(), name="qinghe_word.docx")


@pytest.fixture(scope="module")
def targets(cleaned):
    return extract_targets(cleaned.text).targets


def test_every_table_row_exact(targets):
    rows = [(t.raw_name, t.unit, t.baseline_value, t.target_value, t.comparator, t.attribute)
            for t in targets if t.source_kind == "table"]
    assert rows == [tuple(r) for r in plan.DOCX_TABLE_EXPECTED]
    assert {t.domain for t in targets if t.source_kind == "table"} == {"养老服务", "社会救助", "殡葬服务"}


def test_two_level_header_and_merges_become_one_header_row(cleaned):
    lines = cleaned.text.splitlines()
    header = next(ln for ln in lines if ln.startswith("序号 |"))
    assert header == "序号 | 类别 | 指标名称 | 单位 | 指标值2020年 | 指标值2025年 | 属性 |"
    # vertical merge filled down; runs "4","6" → 46; a w:br inside the name cell joined
    assert "1 | 养老服务 | 养老机构护理型床位占比 | % | 46 | ≥55 | 约束性 |" in lines
    assert "2 | 养老服务 | 社区日间照料机构覆盖率 | % | 70 | 90 | 预期性 |" in lines


def test_every_quote_is_verbatim(cleaned, targets):
    assert targets
    for t in targets:
        assert cleaned.text[t.start:t.end] == t.quote


def test_box_is_read_as_prose_and_labelled(cleaned, targets):
    assert "专栏:1 社区养老服务提升工程" in cleaned.text.splitlines()
    prose = [t for t in targets if t.source_kind == "prose"]
    for fragment, year, value, comparator in plan.DOCX_PROSE_EXPECTED:
        hit = next(t for t in prose if fragment in t.quote)
        assert (hit.target_year, hit.target_value, hit.comparator) == (year, value, comparator)
    box = next(t for t in prose if "助餐" in t.raw_name)
    assert cleaned.page_at(box.start) == (10, "表2")  # the box is the document's second table


def test_block_map_gives_paragraph_and_table_index(cleaned, targets):
    table_rows = [t for t in targets if t.source_kind == "table"]
    assert {cleaned.page_at(t.start) for t in table_rows} == {(6, "表1")}
    last = next(t for t in targets if "城乡社区综合服务设施" in t.raw_name)
    assert cleaned.page_at(last.start) == (12, "段10")
    kinds = [p.kind for p in cleaned.pages]
    assert kinds.count("table") == 2 and len(kinds) == 12


def test_headings_from_word_styles_and_numbering():
    ext = read_docx((FORMATS / "qinghe_word.docx").read_bytes(), "qinghe_word.docx")
    assert ext.outline[:3] == [(0, "青禾市民政事业发展“十四五”规划（文字版）"), (1, "一、总体要求"), (1, "二、主要指标")]
    assert (2, "（一）完善社区养老服务") in ext.outline
    assert heading_level("Normal", "（三）健全殡葬服务体系") == 2
    assert heading_level("Normal", "一、这一行是一句完整的话。") is None
    assert heading_level("标题 3", "任何文字") == 3


def test_horizontal_merge_in_the_body_leaves_the_covered_cell_blank():
    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=4)
    for ci, text in enumerate(["指标", "单位", "2020年", "2025年"]):
        t.cell(0, ci).text = text
    for ci, text in enumerate(["殡葬设施覆盖率", "%", "60", "100"]):
        t.cell(1, ci).text = text
    t.cell(2, 0).text = "城乡社区服务"
    t.cell(2, 2).text = "全覆盖"
    t.cell(2, 2).merge(t.cell(2, 3))
    buf = io.BytesIO()
    d.save(buf)
    text = read_docx(buf.getvalue(), "m.docx").text
    assert "城乡社区服务 |  | 全覆盖 |  |" in text.splitlines()


def test_table_of_contents_entries_are_not_content():
    import docx

    d = docx.Document()
    d.add_paragraph("一、总体要求……………………1")
    toc = d.add_paragraph("二、主要指标\t3")
    toc.style = d.styles.add_style("toc 1", 1)
    d.add_heading("一、总体要求", 1)
    d.add_paragraph("正文。")
    buf = io.BytesIO()
    d.save(buf)
    assert read_docx(buf.getvalue(), "toc.docx").text.splitlines() == ["一、总体要求", "正文。"]


def test_a_one_column_box_with_a_title_row_is_prose():
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=1)
    t.cell(0, 0).text = "专栏2 殡葬服务设施建设工程"
    t.cell(1, 0).text = "到2025年，全市节地生态安葬率达到60%以上。"
    buf = io.BytesIO()
    d.save(buf)
    r = clean_document(buf.getvalue(), name="box.docx")
    assert r.text.splitlines() == ["专栏:2 殡葬服务设施建设工程", "到2025年,全市节地生态安葬率达到60%以上。"]
    hit = extract_targets(r.text).targets[0]
    assert (hit.raw_name, hit.target_value, hit.comparator) == ("节地生态安葬率", 60, ">=")
