"""Born-digital PDF: table rows exact, quotes verbatim, every row on its physical page and printed
label, furniture and TOC out of the text, hostile PDFs refused by name, and a build over a folder
with good and bad files."""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import pytest

from analysis.clean import clean_document
from analysis.clean.layout import GridCell, grid_lines
from analysis.clean.pdf import Line, NoTextLayer, PageText, _assemble, _mark_furniture, read_pdf
from analysis.extract import extract_targets
from analysis.ingest.encoding import DocumentError

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = FIXTURES / "formats"
sys.path.insert(0, str(FIXTURES / "src"))
import plan_content as plan  # noqa: E402


@pytest.fixture(scope="module")
def cleaned():
    return clean_document((FORMATS / "qinghe_plan.pdf").read_bytes(), name="qinghe_plan.pdf")


@pytest.fixture(scope="module")
def targets(cleaned):
    return extract_targets(cleaned.text).targets


def _row(t):
    return (t.raw_name, t.unit, t.baseline_value, t.target_value, t.comparator, t.attribute)


def test_every_table_row_exact(targets):
    rows = [_row(t) for t in targets if t.source_kind == "table"]
    assert rows == [tuple(r) for r in plan.PDF_TABLE_EXPECTED]
    assert all(t.target_year == 2025 for t in targets if t.source_kind == "table")
    assert all(t.baseline_year == 2020 for t in targets if t.source_kind == "table" and t.baseline_value is not None)


def test_table_rows_read_like_rows_with_one_merged_header(cleaned, targets):
    assert cleaned.text.count("序号 | ") == 1  # the header repeated on page 4 is dropped
    header = next(ln for ln in cleaned.text.splitlines() if ln.startswith("序号 | "))
    assert header == "序号 | 领域 | 指标 | 单位 | 指标值2020年基期值 | 指标值2025年目标值 | 指标属性 |"
    first = next(t for t in targets if t.source_kind == "table")
    assert first.quote == "1 | 养老服务 | 养老机构护理型床位占比 | % | 48 | ≥58 | 约束性"
    # the merged 领域 cell continued empty after the page break is filled downward
    assert "6 | 社会救助 | 特困人员集中供养能力 | % | 52 | 60 | 预期性 |" in cleaned.text


def test_every_quote_is_verbatim_in_the_cleaned_text(cleaned, targets):
    assert targets
    for t in targets:
        assert cleaned.text[t.start:t.end] == t.quote


def test_every_table_row_on_its_physical_page_and_printed_label(cleaned, targets):
    pages = [cleaned.page_at(t.start) for t in targets if t.source_kind == "table"]
    assert pages == plan.PDF_TABLE_PAGES


def test_page_map(cleaned):
    assert [(p.page, p.label, p.kind) for p in cleaned.pages] == [
        (1, None, "page"), (2, None, "toc"), (3, "1", "page"), (4, "2", "page"), (5, "3", "page")]
    assert cleaned.pages[1].start == cleaned.pages[1].end  # the TOC contributes no text
    assert cleaned.page_at(cleaned.text.index("殡葬服务水平")) == (5, "3")
    assert cleaned.page_at(0) == (1, None)


def test_prose_targets_with_the_year_on_the_line_above(cleaned, targets):
    prose = [t for t in targets if t.source_kind == "prose"]
    for fragment, year, value, comparator in plan.PDF_PROSE_EXPECTED:
        hits = [t for t in prose if fragment in t.quote.replace(",", "，")
                or fragment in t.quote]
        assert hits, fragment
        assert (hits[0].target_year, hits[0].target_value, hits[0].comparator) == (year, value, comparator)
    assert "到2023年,社区养老服务设施覆盖率达到80%" in cleaned.text  # one line across the hard wrap
    assert "护理型床位占比达到58%以上" in cleaned.text  # a name split over two lines, joined


def test_furniture_and_toc_are_not_content(cleaned):
    text = cleaned.text
    assert text.count(plan.RUNNING_HEADER) == 1  # the cover's title; the running header is gone
    assert not re.search(r"^[—-]\s*\d+\s*[—-]$", text, re.M)
    assert "— 1 —" not in text and "目  录" not in text and "目 录" not in text
    assert "……" not in text and "…" not in text
    assert "续表" not in text
    # hard wraps are joined: every paragraph is one line
    assert all(len(ln) < 40 or ln.endswith(("。", "|", "规划")) for ln in text.splitlines())


def test_encrypted_truncated_corrupt_and_html_named_pdf_are_refused():
    cases = {"hostile_encrypted.pdf": "hostile_encrypted.pdf: encrypted PDF",
             "hostile_truncated.pdf": "hostile_truncated.pdf: truncated or corrupt PDF",
             "hostile_html.pdf": "hostile_html.pdf: this is an HTML page, not a PDF; rename it hostile_html.html"}
    for name, needle in cases.items():
        with pytest.raises(DocumentError) as exc:
            clean_document((FORMATS / name).read_bytes(), name=name)
        assert needle in str(exc.value)
    with pytest.raises(DocumentError, match=r"garbled.pdf: corrupt PDF"):
        read_pdf(b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n", "garbled.pdf")


def test_a_scan_is_reported_as_no_text_layer_with_its_page_count():
    with pytest.raises(NoTextLayer) as exc:
        clean_document((FORMATS / "hostile_scan.pdf").read_bytes(), name="hostile_scan.pdf")
    assert exc.value.n_pages == 2
    assert str(exc.value).startswith("hostile_scan.pdf: no_text_layer — 2 page(s)")


def test_page_limit_names_limit_and_count():
    data = (FORMATS / "qinghe_plan.pdf").read_bytes()
    with pytest.raises(DocumentError, match=r"plan.pdf: 5 pages is over the limit of 3 pages"):
        read_pdf(data, "plan.pdf", max_pages=3)
    import pypdfium2 as pdfium

    big = pdfium.PdfDocument.new()
    for _ in range(2_001):
        big.new_page(200, 200)
    buf = io.BytesIO()
    big.save(buf)
    with pytest.raises(DocumentError, match=r"huge.pdf: 2,001 pages is over the limit of 2,000 pages"):
        clean_document(buf.getvalue(), name="huge.pdf")


def _line(text, left=72.0, right=523.0, y=700.0):
    return Line(text, left, right, y, y + 12)


def _page(i, *texts):
    """A page of one-cell-per-line text, top to bottom, the last line at the foot."""
    return PageText(i, 595, 842, [_line(t, right=72 + 14 * len(t), y=780 - 20 * k) for k, t in enumerate(texts)])


def test_a_lone_number_at_a_page_edge_is_a_cut_table_cell_unless_the_numbers_count_the_pages():
    # the row 县级殡仪馆数 | 个 | — | 347 | 约束性 is cut by the page break; the folios are `— n —`
    pages = [_page(0, "指标名称", "县级殡仪馆数", "个", "—", "— 1 —"),
             _page(1, "347", "约束性", "第三章 主要任务", "加快殡葬设施建设。", "— 2 —"),
             _page(2, "12", "预期性", "第四章 保障措施", "强化组织领导。", "— 3 —")]
    _mark_furniture(pages)
    assert [p.label for p in pages] == ["1", "2", "3"]
    assert [ln.text for ln in pages[1].lines[:2]] == ["347", "约束性"] and pages[2].lines[0].text == "12"
    assert all("—" not in ln.text[1:] for p in pages for ln in p.lines)
    # bare folios (no decoration) that count the pages are still folios, and a cell value beside them stays
    pages = [_page(0, "指标名称", "县级殡仪馆数", "个", "1"), _page(1, "347", "约束性", "加快殡葬设施建设。", "2"),
             _page(2, "第四章 保障措施", "强化组织领导。", "3")]
    _mark_furniture(pages)
    assert [p.label for p in pages] == ["1", "2", "3"]
    assert [ln.text for ln in pages[1].lines] == ["347", "约束性", "加快殡葬设施建设。"]


def test_short_cells_at_page_edges_are_data_and_a_dated_running_line_is_furniture():
    # a header cut by the break (2020年 | 2025年) and values opening pages are short lines whose digits
    # differ: they stay; a running line that only differs in its number is still dropped
    pages = [_page(0, "青禾市民政局2021年印发", "序号", "指标名称", "2020年", "— 1 —"),
             _page(1, "青禾市民政局2022年印发", "2025年", "≥63", "预期性", "— 2 —"),
             _page(2, "青禾市民政局2023年印发", "≥71", "约束性", "加快殡葬设施建设。", "— 3 —")]
    _mark_furniture(pages)
    assert [[ln.text for ln in p.lines] for p in pages] == [["序号", "指标名称", "2020年"], ["2025年", "≥63", "预期性"],
                                                            ["≥71", "约束性", "加快殡葬设施建设。"]]


def test_wrap_joining_rules():
    page = PageText(0, 595, 842, [
        _line("（一）健全体系", right=170, y=700),
        _line("推进社会救助制度改革，完善最低生活保障和特困", left=96, y=680),
        _line("人员救助供养制度。", right=200, y=660),
        _line("Social assistance covers", left=96, y=640),
        _line("everyone in need", right=200, y=620),
    ])
    ext = _assemble([page], [])
    assert ext.text.splitlines() == ["（一）健全体系", "推进社会救助制度改革，完善最低生活保障和特困人员救助供养制度。",
                                     "Social assistance covers everyone in need"]


def test_three_line_header_and_merges():
    c = GridCell
    grid = [
        [c("序号"), c("指标"), c("规划目标"), c("", "left"), c("属性")],
        [c("", "above"), c("", "above"), c("2020年"), c("2025年"), c("", "above")],
        [c("", "above"), c("", "above"), c("(基期)"), c("(目标)"), c("", "above")],
        [c("1"), c("养老机构\n护理型床位占比"), c("40"), c("55"), c("约束性")],
    ]
    assert [ln for _, ln in grid_lines(grid)] == [
        "序号 | 指标 | 规划目标2020年(基期) | 规划目标2025年(目标) | 属性 |",
        "1 | 养老机构护理型床位占比 | 40 | 55 | 约束性 |"]


def test_build_lands_good_files_and_reports_bad_ones(tmp_path):
    from analysis.build import build

    raw = tmp_path / "raw"
    raw.mkdir()
    names = ["qinghe_plan.pdf", "qinghe_word.docx", "hostile_encrypted.pdf", "hostile_truncated.pdf",
             "hostile_html.pdf", "hostile_scan.pdf", "hostile_bomb.docx", "hostile_xxe.docx"]
    for n in names:
        shutil.copy(FORMATS / n, raw / n)
        (raw / f"{Path(n).stem}.meta.yml").write_text("city: 青禾市\nprovince: 测试省\nadmin_level: prefecture\nkind: plan\n",
                                                      encoding="utf-8")
    report = build(raw, tmp_path / "p.duckdb", tmp_path / "out", workers=1, echo=None)
    status = {f: s for f, s, _ in report.results}
    assert status == {n: ("ok" if n.startswith("qinghe") else "FAILED") for n in names}
    for f, s, detail in report.results:
        if s == "FAILED":
            assert detail.startswith(f + ": ")
    import duckdb

    con = duckdb.connect(str(tmp_path / "p.duckdb"), read_only=True)
    rows = con.execute("SELECT raw_name, page, page_label FROM raw_targets WHERE doc_id = 'qinghe_plan' "
                       "AND source_kind = 'table' ORDER BY target_no").fetchall()
    assert [(p, lbl) for _, p, lbl in rows] == plan.PDF_TABLE_PAGES
    passages = con.execute("SELECT count(*) FROM passages WHERE doc_id = 'qinghe_plan' AND page IS NULL").fetchone()
    assert passages == (0,)
    failed = dict(con.execute("SELECT file_name, reason FROM build_log WHERE status = 'failed'").fetchall())
    assert "no_text_layer" in failed["hostile_scan.pdf"]
    header = (tmp_path / "out" / "targets.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[15:18] == ["quote", "page", "page_label"]


@pytest.fixture(scope="module")
def variant():
    r = clean_document((FORMATS / "qinghe_variant.pdf").read_bytes(), name="qinghe_variant.pdf")
    return r, extract_targets(r.text).targets


def test_second_layout_filled_borders_footer_folio_and_headerless_continuation(variant):
    r, targets = variant
    table = [t for t in targets if t.source_kind == "table"]
    assert [_row(t) for t in table] == [tuple(x) for x in plan.VARIANT_EXPECTED]
    assert [r.page_at(t.start) for t in table] == plan.VARIANT_PAGES
    assert [p.label for p in r.pages] == ["1", "2", "3"]
    assert plan.FOOTER not in r.text and "- 2 -" not in r.text and "续表" not in r.text
    assert "序号 | 指标名称 | 单位 | 2020年(基期) | 2025年(目标) | 属性 |" in r.text.splitlines()
    for t in targets:
        assert r.text[t.start:t.end] == t.quote


def test_a_paragraph_over_a_page_break_is_one_sentence_quoted_from_its_first_page(variant):
    r, targets = variant
    hit = next(t for t in targets if t.raw_name == "困难残疾人生活补贴覆盖率")
    assert (hit.target_year, hit.target_value, hit.comparator) == (2025, 100, "=")
    assert "生活补贴覆盖率达到100%" in hit.quote
    assert r.page_at(hit.start) == (1, "1") and r.page_at(hit.end - 1) == (2, "2")


def test_bullets_start_paragraphs_and_soft_hyphens_join_words():
    page = PageText(0, 595, 842, [
        _line("• 第一项措施", right=200, y=700),
        _line("• 第二项措施，内容较长，一直写到行尾没有标点，还要接着写", y=680),
        _line("到下一行。", right=200, y=660),
        _line("distinguished encoding manip\ufffe", left=96, y=640),
        _line("ulation rules", right=200, y=620),
    ])
    assert _assemble([page], []).text.splitlines() == [
        "• 第一项措施", "• 第二项措施，内容较长，一直写到行尾没有标点，还要接着写到下一行。",
        "distinguished encoding manipulation rules"]


def test_a_full_width_numbered_line_goes_on_and_a_short_heading_ends():
    page = PageText(0, 595, 842, [
        _line("二、主要任务", right=160, y=720),
        _line("1．加强组织领导，把民政事业发展纳入经济社会发展总体规划，建立规划实施", left=96, y=700),
        _line("监测评估机制。", right=180, y=680),
    ])
    assert _assemble([page], []).text.splitlines() == [
        "二、主要任务", "1．加强组织领导，把民政事业发展纳入经济社会发展总体规划，建立规划实施监测评估机制。"]
