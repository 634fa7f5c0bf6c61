"""The data bundle: README with how-to-cite filled in, licences, CITATION.cff, and targets.xlsx."""

from __future__ import annotations

import re
import zipfile

import pytest
import yaml
from conftest import ROOT
from fixtures.cite_corpus import build_corpus

from analysis.publish.bundle import document_citation, write_bundle

README_HEAD = "# Data\n\nSome text.\n\n## How to cite\n\n> data version <raw … · targets …>, built <date>.\n"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundle")
    db = build_corpus(root)
    out = root / "data"
    out.mkdir()
    files = write_bundle(db, out, README_HEAD, "raw abc · targets def", built="2026-12-01 10:00 UTC")
    return db, out, files


def test_readme_how_to_cite_is_filled_in(bundle):
    _, out, files = bundle
    text = (out / "README.md").read_text(encoding="utf-8")
    assert {p.name for p in files} >= {"README.md", "LICENSE", "TERMS.md", "targets.xlsx"}
    assert "<raw" not in text and "<date>" not in text and not re.search(r"<[^>]*…", text)
    cite = text[text.index("## How to cite"):]
    for needle in ("raw abc · targets def", "2026-12-01 10:00 UTC", "《甲市民政事业发展“十四五”规划》",
                   "甲政办发〔2021〕12号", "甲市人民政府办公室", "2021-09-30", "https://example.org/jia/plan.html",
                   "section", "「"):
        assert needle in cite, needle
    assert text.startswith("# Data\n\nSome text.")


def test_a_document_without_title_or_date_says_so():
    c = document_citation({"doc_id": "x1", "city_label": "某市", "kind": "news", "issuer": "某报"})
    assert "某报" in c and "untitled" in c and "date not stated" in c


def test_licence_and_terms(bundle):
    _, out, _ = bundle
    assert (out / "LICENSE").read_text(encoding="utf-8") == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    terms = (out / "TERMS.md").read_text(encoding="utf-8")
    assert "MIT" in terms and "CC BY 4.0" in terms and "第五条" in terms


def test_citation_cff_is_valid_cff_1_2_0():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert cff[key]
    assert all(isinstance(a, dict) and (a.get("name") or a.get("family-names")) for a in cff["authors"])
    assert cff.get("type", "software") in ("software", "dataset")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{cff["version"]}"' in pyproject and cff["license"] == "MIT"


def _sheets(path):
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet name="([^"]+)"', book)
        sheets = {n: z.read(f"xl/worksheets/sheet{i}.xml").decode() for i, n in enumerate(names, 1)}
        strings = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode())
    return names, sheets, strings


def test_workbook_sheets_headers_frozen_and_numbers(bundle):
    _, out, _ = bundle
    names, sheets, strings = _sheets(out / "targets.xlsx")
    assert names == ["全部指标 all targets", "护理型床位占比 nursing beds", "低保 dibao", "殡葬 funeral", "来源 sources"]
    for xml in sheets.values():
        assert re.search(r'<pane [^>]*ySplit="2"[^>]*state="frozen"', xml)
    assert "目标值" in strings and "target_value" in strings and "原文引文" in strings
    # 56 (the nursing-bed target) is a number cell, not a string
    nursing = sheets["护理型床位占比 nursing beds"]
    assert re.search(r'<c r="[A-Z]+\d+"[^>]*><v>56</v></c>', nursing)
    assert nursing.count("<row ") == 2 + 4  # two header rows, four nursing-bed statements
    assert "https://example.org/jia/plan.html" in strings


def test_workbook_is_byte_stable(bundle, tmp_path):
    db, out, _ = bundle
    again = tmp_path / "again"
    again.mkdir()
    write_bundle(db, again, README_HEAD, "raw abc · targets def", built="2026-12-02 11:00 UTC")
    assert (again / "targets.xlsx").read_bytes() == (out / "targets.xlsx").read_bytes()


def test_terms_say_what_they_rest_on_and_what_they_do_not_claim():
    from analysis.publish.bundle import TERMS

    assert "not legal advice" in TERMS and "不构成法律意见" in TERMS
    assert "第五条" in TERMS and "单纯事实消息" in TERMS  # Article 5 and what it leaves out
    assert "https://creativecommons.org/licenses/by/4.0/" in TERMS and "our contribution only" in TERMS


def test_the_committed_readme_cites_a_real_value_with_no_placeholder():
    from analysis import config

    text = (config.FIGURES_DIR / "data" / "README.md").read_text(encoding="utf-8")
    cite = text.split("## How to cite", 1)[1]
    assert "<raw" not in cite and "<date>" not in cite
    example = next(line for line in cite.splitlines() if line.startswith("> "))
    # the value, its quote, the document (title, 文号, date) and where the quote stands
    assert "目标 target" in example and "「" in example and "《" in example and "章节 section:" in example
    assert (config.FIGURES_DIR / "data" / "TERMS.md").read_text(encoding="utf-8").startswith("# Terms")


def test_a_value_citation_states_the_value():
    from analysis.publish.bundle import value_citation

    row = {"raw_name": "护理型床位占比", "target_year": 2025, "target_value": 58.0, "comparator": ">=", "unit": "%",
           "quote": "达到58%以上", "section": "第二章", "page": 4}
    text = value_citation(row, {"title": "某市规划", "issuer": "某市人民政府", "issued_date": "2022-01-02"}, "v1", "today")
    assert text.startswith("护理型床位占比, 2025 目标 target ≥58 %: 「达到58%以上」")
    assert "第 4 页 page" in text and "章节 section: 第二章" in text and "data version v1" in text
