"""Layouts the first format fixtures lack, graded row by row against the expected rows kept beside
each fixture (`tests/fixtures/robust/<name>.expected.csv`; regenerate the fixtures with
`tests/fixtures/src/make_robust_fixtures.py`).

An expected row is found when one extracted target has the same name, baseline, target, year,
comparator and page (PDF: `physical/printed`, DOCX: the block label, text: `physical/printed`);
the unit is compared where the row states one (a prose target whose sentence prints no unit is
left blank: the extractor may infer one)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.clean import clean_document
from analysis.extract import extract_targets

ROBUST = Path(__file__).parent / "fixtures" / "robust"
FIXTURES = sorted(p for p in ROBUST.iterdir() if p.suffix in (".pdf", ".docx", ".txt")
                  and (ROBUST / f"{p.stem}.expected.csv").exists() and not (p.suffix == ".pdf" and p.stem == "raw_export"))


def _num(s: str) -> float | None:
    return float(s) if s.strip() else None


def _page(cleaned, offset: int) -> str:
    page, label = cleaned.page_at(offset)
    if page is None:
        return ""
    return label if cleaned.pages[0].kind in ("paragraph", "table", "textbox") else f"{page}/{label or ''}"


def grade(path: Path) -> tuple[list[dict], list[str], object, list]:
    cleaned = clean_document(path.read_bytes(), name=path.name)
    targets = extract_targets(cleaned.text).targets
    got = [{"name": t.raw_name, "unit": t.unit or "", "baseline": t.baseline_value, "target": t.target_value,
            "year": t.target_year, "comparator": t.comparator, "page": _page(cleaned, t.start)} for t in targets]
    missing = []
    with open(ROBUST / f"{path.stem}.expected.csv", encoding="utf-8") as fh:
        expected = list(csv.DictReader(fh))
    for row in expected:
        want = {"name": row["name"], "baseline": _num(row["baseline"]), "target": _num(row["target"]),
                "year": int(row["year"]) if row["year"] else None, "comparator": row["comparator"], "page": row["page"]}
        if row["unit"]:
            want["unit"] = row["unit"]
        if not any(all(g[k] == v for k, v in want.items()) for g in got):
            missing.append(f"{row['name']} {want}")
    return got, missing, cleaned, targets


def test_every_layout_has_a_fixture():
    assert {p.name for p in FIXTURES} == {"two_column.pdf", "no_rules.pdf", "rotated_split.pdf", "two_level_header.docx",
                                          "numbered_textbox.docx", "raw_export.txt"}


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_expected_row_is_found_with_its_page(path):
    got, missing, cleaned, targets = grade(path)
    assert not missing, "\n".join(missing + ["got:"] + [str(g) for g in got])
    for t in targets:  # quotes are verbatim
        assert cleaned.text[t.start:t.end] == t.quote


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_no_table_row_is_invented(path):
    """Table rows beyond the expected ones are wrong reads (a header read as data, a transposed grid)."""
    got, _, _, targets = grade(path)
    with open(ROBUST / f"{path.stem}.expected.csv", encoding="utf-8") as fh:
        names = {r["name"] for r in csv.DictReader(fh)}
    table = [t.raw_name for t in targets if t.source_kind == "table"]
    assert set(table) <= names, sorted(set(table) - names)


# ---------------------------------------------------------------- the geometry, on made-up boxes

@pytest.mark.parametrize("turn", [None, "up", "down", "back"])
def test_a_turned_frame_maps_boxes_and_back(turn):
    from analysis.clean.pdflayout import Frame

    f = Frame(turn, 595, 842)
    box = (100.0, 200.0, 180.0, 212.0)
    up = f.box(*box)
    assert f.page_box(*up) == pytest.approx(box)
    assert f.size == ((842, 595) if turn in ("up", "down") else (595, 842))
    # text running along the turn reads left to right once upright
    step = {None: (10, 0), "up": (0, 10), "down": (0, -10), "back": (-10, 0)}[turn]
    (x0, y0), (x1, y1) = f.point(300, 400), f.point(300 + step[0], 400 + step[1])
    assert x1 > x0 and y1 == pytest.approx(y0)


def _seg(text, left, right, y, h=10.0):
    from analysis.clean.pdflayout import Line

    return Line(text, left, right, y, y + h)


def test_two_columns_read_left_then_right_and_a_title_stays_above():
    from analysis.clean.pdflayout import reading_lines, rows_of

    segs = [_seg("标题横跨两栏的一行文字", 150, 450, 800)]
    for k in range(4):
        segs += [_seg(f"左栏第{k + 1}行文字内容较长", 72, 280, 760 - 20 * k), _seg(f"右栏第{k + 1}行文字内容较长", 310, 520, 760 - 20 * k)]
    lines = reading_lines(rows_of(segs), 10)
    assert [ln.text[:4] for ln in lines] == ["标题横跨"] + [f"左栏第{k}" for k in range(1, 5)] + [f"右栏第{k}" for k in range(1, 5)]
    assert {(ln.margin_left, ln.margin_right) for ln in lines[5:]} == {(310, 520)}


def test_short_cells_in_two_columns_are_not_prose_columns():
    from analysis.clean.pdflayout import reading_lines, rows_of

    segs = []
    for k in range(4):
        segs += [_seg(f"项目{k}", 72, 110, 760 - 20 * k), _seg(f"{k}家", 400, 430, 760 - 20 * k)]
    assert [ln.text for ln in reading_lines(rows_of(segs), 10)] == [f"项目{k} {k}家" for k in range(4)]


def test_a_ruleless_table_joins_a_centred_wrapped_name_to_the_row_it_surrounds():
    """A name on two lines with the row's other cells centred between them: both halves join that row."""
    from analysis.clean.layout import grid_lines
    from analysis.clean.pdflayout import find_ruleless_tables, rows_of

    def row(y, cells):
        return [_seg(t, x, x + 8 * len(t), y) for x, t in cells]

    segs = (row(700, [(72, "序号"), (100, "指标"), (300, "2020年"), (360, "2025年")])
            + row(680, [(72, "1"), (100, "养老机构护理型床位占比"), (300, "40"), (360, "55")])
            + row(666, [(100, "城乡公益性安葬(放)")])
            + row(659, [(72, "2"), (300, "70"), (360, "100")])
            + row(652, [(100, "设施覆盖率")]))
    (table, taken), = find_ruleless_tables(rows_of(segs), 10)
    assert taken == set(range(5))
    assert [ln for _, ln in grid_lines(table.grid)] == [
        "序号 | 指标 | 2020年 | 2025年 |", "1 | 养老机构护理型床位占比 | 40 | 55 |", "2 | 城乡公益性安葬(放)设施覆盖率 | 70 | 100 |"]


def test_a_justified_line_exported_one_character_per_line_rejoins_its_paragraph():
    """`pdftotext` without -layout writes a widely spaced (justified) line one character at a time,
    each followed by a blank line; the year it carries must reach the number on the next line."""
    spaced = "\n\n".join("各项工作稳步推进。到2024年，")
    raw = f"二、主要目标\n全县社区服务体系更加完善，\n{spaced}\n\n城市社区养老服务设施覆盖率达到85%。\n\n1\n\n%\n\n2\n"
    r = clean_document(raw.encode(), name="export.txt")
    assert "全县社区服务体系更加完善,各项工作稳步推进。到2024年,城市社区养老服务设施覆盖率达到85%。" in r.text
    assert r.text.rstrip().endswith("1\n\n%\n\n2")  # short cells of a table stay on their lines
    hit = next(t for t in extract_targets(r.text).targets if t.target_value == 85)
    assert hit.target_year == 2024


def test_two_columns_with_digits_in_a_latin_font_read_as_whole_sentences():
    r = clean_document((ROBUST / "two_column.pdf").read_bytes(), name="two_column.pdf")
    lines = r.text.splitlines()
    # each column's paragraph is one line, no space where the font changes, the right column after the left
    assert lines[1:3] == ["一、养老服务", "到2025年,全市养老机构护理型床位占比提高到60%以上,街道综合养老服务中心实现全覆盖,"
                                          "每千名老年人拥有养老床位数不少于38张。"]
    assert lines.index("三、殡葬服务") > lines.index("二、社会救助")


def test_a_cell_per_line_table_goes_on_past_a_row_printed_without_its_serial():
    """After a row's attribute the next cell starts a row, numbered or not, and the serials resume."""
    cells = ["序号", "指标", "单位", "2020年", "2025年", "属性",
             "1", "孤寡老人探访率", "%", "70", "≥90", "预期性",
             "城乡社区协商覆盖率", "%", "60", "100", "约束性",  # its serial 2 is missing
             "3", "养老护理员培训人次", "人次", "800", "1500", "预期性",
             "4", "殡仪服务车辆更新率", "%", "20", "50", "预期性"]
    text = "二、主要指标\n" + "\n".join(cells) + "\n三、主要任务\n"
    rows = [(t.raw_name, t.baseline_value, t.target_value) for t in extract_targets(text).targets if t.source_kind == "table"]
    assert rows == [("孤寡老人探访率", 70, 90), ("城乡社区协商覆盖率", 60, 100), ("养老护理员培训人次", 800, 1500),
                    ("殡仪服务车辆更新率", 20, 50)]


def test_a_pdf_page_of_short_lines_keeps_them_apart():
    """A page holding only a cell-per-line table has no full-width line: the text block's edge comes
    from the document's other pages, so a name line is not read as wrapped onto its unit."""
    from analysis.clean.pdf import PageText, _assemble

    def line(text, y, right=None):
        return _line_at(text, y, right or 72 + 12 * len(text))

    prose = PageText(0, 595, 842, [line("这一段文字很长，一直写到版心的右边缘，然后换到下一行继续写下去，", 700 - 20 * k, 523)
                                   for k in range(9)] + [line("结束。", 500)])
    table = PageText(1, 595, 842, [line("指标", 700), line("单位", 680), line("1", 660), line("养老机构护理型床位占比", 640),
                                   line("%", 620), line("55", 600)])
    text = _assemble([prose, table], []).text
    assert text.splitlines()[-4:] == ["1", "养老机构护理型床位占比", "%", "55"]


def _line_at(text, y, right):
    from analysis.clean.pdf import Line

    return Line(text, 72, right, y, y + 12)


def test_a_word_table_whose_first_column_is_empty_keeps_its_columns():
    import io

    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=5)
    for r, cells in enumerate([["备注", "单位", "2020年", "2025年", "指标"], ["", "%", "40", "≥60", "养老机构护理型床位占比"],
                               ["", "%", "80", "100", "城乡公益性安葬(放)设施覆盖率"]]):
        for c, text in enumerate(cells):
            t.cell(r, c).text = text
    buf = io.BytesIO()
    d.save(buf)
    r = clean_document(buf.getvalue(), name="blank_first.docx")
    assert r.text.splitlines()[1] == "| | % | 40 | ≥60 | 养老机构护理型床位占比 |"
    rows = [(t.raw_name, t.unit, t.baseline_value, t.target_value, t.comparator) for t in extract_targets(r.text).targets]
    assert rows == [("养老机构护理型床位占比", "%", 40, 60, ">="), ("城乡公益性安葬(放)设施覆盖率", "%", 80, 100, "=")]
