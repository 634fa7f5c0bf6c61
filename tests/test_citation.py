"""Every exported target can be cited from the CSV alone: title, 文号, issuer, date, URL, page, section, quote."""

from __future__ import annotations

import csv

import duckdb
import pytest
from fixtures.cite_corpus import DOCS, build_corpus

from analysis import columns
from analysis.align.citation import add_citation_columns

CITE = ("title", "doc_number", "issuer", "issued_date", "source_url", "page", "section", "quote")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("cite"))


@pytest.fixture()
def con(corpus, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(corpus.read_bytes())
    c = duckdb.connect(str(copy))
    yield c
    c.close()


def test_citation_columns_are_in_the_contract():
    names = columns.column_names("targets")
    assert all(c in names for c in CITE)


def test_every_row_carries_its_documents_citation(con):
    rows = con.execute("SELECT doc_id, title, doc_number, issuer, issued_date, source_url FROM targets").fetchall()
    assert rows
    for doc_id, title, number, issuer, date, url in rows:
        meta = DOCS[doc_id][1]
        assert (title, number, issuer, date, url) == (
            meta["title"], meta.get("doc_number"), meta["issuer"], meta["issued_date"], meta.get("source_url"))


def test_section_is_the_heading_path_of_the_quote(con):
    got = dict(con.execute("SELECT raw_name || '/' || source_kind, section FROM targets WHERE doc_id = 'a_plan'").fetchall())
    assert got["火化率/table"] == "第二章 发展目标 > 第一节 主要指标"
    assert got["节地生态安葬率/prose"] == "第三章 主要任务 > 第二节 深化殡葬改革"


def test_one_cell_per_line_rows_read_as_rows_and_offsets_keep_the_verbatim_text(con):
    rows = con.execute("""SELECT t.quote, substr(d.text, t.start + 1, t."end" - t.start) FROM targets t
                          JOIN documents d USING (doc_id) WHERE t.source_kind = 'table' AND t.raw_name = '火化率'""").fetchall()
    assert len(rows) == 1
    quote, verbatim = rows[0]
    assert quote == "火化率 | % | 92 | 98 | 预期性"
    assert "\n" in verbatim and [c for c in verbatim.split("\n") if c.strip()][-5:] == quote.split(" | ")


def test_page_is_empty_without_pages_and_taken_from_raw_targets_when_known(con):
    assert con.execute("SELECT count(*) FROM targets WHERE page IS NOT NULL").fetchone()[0] == 0
    con.execute("UPDATE raw_targets SET page = 7 WHERE doc_id = 'a_plan'")  # as a PDF reader records it
    add_citation_columns(con)
    pages = dict(con.execute("SELECT doc_id, max(page) FROM targets GROUP BY doc_id").fetchall())
    assert pages["a_plan"] == 7 and pages["b_final"] is None


def test_the_rebuild_keeps_every_other_column_and_the_row_order(con):
    before = con.execute("SELECT doc_id, raw_name, target_value, start FROM targets").fetchall()
    add_citation_columns(con)
    assert con.execute("SELECT doc_id, raw_name, target_value, start FROM targets").fetchall() == before
    assert [r[0] for r in con.execute("DESCRIBE targets").fetchall()] == columns.column_names("targets")


def test_the_exported_csv_has_the_citation_of_every_row(corpus):
    with open(corpus.parent / "out" / "targets.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(c in rows[0] for c in CITE)
    for r in rows:
        assert r["title"] and r["issuer"] and r["issued_date"] and r["quote"] and r["section"]
        assert "\n" not in r["quote"]


@pytest.mark.slow
def test_seed_export_rows_cite_their_document(seed_build):
    """The five seeds: each row's citation is its sidecar's (or explicitly empty when the sidecar has none)."""
    from conftest import RAW

    from analysis.ingest import load_sidecar

    metas = {p.name.split(".")[0]: load_sidecar(p) for p in RAW.glob("*.meta.yml")}
    with open(seed_build / "targets.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 100
    for r in rows:
        meta = metas[r["doc_id"]]
        for c in ("title", "doc_number", "issuer", "issued_date", "source_url"):
            assert r[c] == str(meta.get(c) or ""), (r["doc_id"], c)
        assert r["quote"] and "\n" not in r["quote"]
    tables = [r for r in rows if r["doc_id"].startswith("002") and r["source_kind"] == "table"]
    assert tables and all(" | " in r["quote"] for r in tables)
    assert sum(bool(r["section"]) for r in rows) > len(rows) / 2
