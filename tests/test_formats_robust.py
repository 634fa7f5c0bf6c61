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
