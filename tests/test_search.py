"""Passage search: simplified and traditional queries, partial words, filters, no hits, hostile input."""

from __future__ import annotations

import duckdb
import pytest
from fixtures.cite_corpus import build_corpus

from analysis.cli import main
from analysis.warehouse.search import SearchError, mark, normalise_query, search


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("search"))


@pytest.fixture()
def con(db):
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def test_simplified_query_ranks_passages_with_city_section_and_marked_hit(con):
    df = search("护理型床位", con=con)
    assert len(df) >= 4 and list(df["rank"]) == list(range(1, len(df) + 1))
    assert set(df["city"]) == {"甲市", "丙县"}
    assert (df["score"].diff().dropna() <= 0).all()
    prose = df[(df["doc_id"] == "a_plan") & (df["kind"] == "paragraph")].iloc[0]
    assert prose["section"] == "第三章 主要任务 > 第一节 完善养老服务"
    assert "**护理型床位**" in prose["match"] and prose["page"] is None or pd_isna(prose["page"])


def pd_isna(v):
    import pandas as pd

    return pd.isna(v)


def test_traditional_and_full_width_queries_find_the_same_passages(con):
    simp = search("护理型床位", con=con)
    trad = search("護理型床位", con=con)
    assert list(trad["passage_no"]) == list(simp["passage_no"]) and list(trad["doc_id"]) == list(simp["doc_id"])
    assert normalise_query("（社區）　日間") == ["(社区)", "日间"]


def test_partial_words_and_several_terms(con):
    part = search("床位", con=con)
    assert len(part) >= len(search("护理型床位", con=con))
    both = search("火化率 护理型", con=con)
    assert len(both) and all("火化率" in t and "护理型" in t for t in both["text"])
    loose = search("护理床位", con=con)  # a word left out: characters in order still match
    assert len(loose) and "**护理型床位**" in loose["match"].iloc[0]


def test_city_section_and_indicator_filters(con):
    df = search("护理型床位", city="丙县", con=con)
    assert len(df) and set(df["city"]) == {"丙县"}
    assert set(search("护理型床位", city="丙縣", con=con)["doc_id"]) == set(df["doc_id"])  # traditional city name
    sec = search("护理型床位", section="主要任务", con=con)
    assert len(sec) and all("主要任务" in s for s in sec["section"])
    ind = search("火化率", indicator="cremation_rate", con=con)
    assert len(ind) and all(ind["kind"].isin(["table", "paragraph"]))
    assert search("火化率", indicator="no_such_indicator", con=con).empty


def test_no_hits_is_an_empty_frame_and_a_clear_message(db, capsys):
    assert search("量子计算机", con=duckdb.connect(str(db), read_only=True)).empty
    assert main(["search", "量子计算机", "--db", str(db)]) == 0
    assert "no passage matches '量子计算机'" in capsys.readouterr().out


def test_empty_query_is_refused(con):
    with pytest.raises(SearchError):
        search("   ", con=con)


@pytest.mark.parametrize("query", ["'; DROP TABLE passages; --", "$t0", "%", "_", ".*", "(((", "\\", "a&b~c#|*"])
def test_hostile_query_strings_are_bound_not_formatted(db, query):
    c = duckdb.connect(str(db), read_only=True)
    try:
        before = c.execute("SELECT count(*) FROM passages").fetchone()[0]
        df = search(query, con=c)
        literal = c.execute("SELECT count(*) FROM passages WHERE kind <> 'toc' AND contains(text, ?)", [query]).fetchone()[0]
        assert len(df) == min(literal, 50)  # the query is matched as text: no SQL, LIKE or regex meaning
        assert all(query in t for t in df["text"])
        assert c.execute("SELECT count(*) FROM passages").fetchone()[0] == before
    finally:
        c.close()


def test_hostile_text_in_a_hit_is_returned_as_text(con):
    assert mark("<b>火化率</b>", ["火化率"]) == "<b>**火化率**</b>"


def test_cli_prints_hits_and_writes_csv_with_a_city_column(db, capsys):
    assert main(["search", "節地生態", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "甲市" in out and "**节地生态**" in out and "第二节 深化殡葬改革" in out
    assert main(["search", "火化率", "--city", "丙县", "--csv", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    header = lines[0].split(",")
    assert "city" in header and "match" in header and len(lines) == 3  # the draft and the final plan


def test_the_index_and_the_plain_scan_give_the_same_hits(db, tmp_path):
    copy = tmp_path / "noindex.duckdb"
    copy.write_bytes(db.read_bytes())
    c = duckdb.connect(str(copy))
    try:
        with_index = search("护理型床位", con=c)
        c.execute("DROP TABLE search_text")
        c.execute("DROP TABLE search_passages")
        plain = search("护理型床位", con=c)
    finally:
        c.close()
    cols = ["doc_id", "passage_no", "score", "section", "match"]
    assert with_index[cols].equals(plain[cols])


def test_repeated_passages_are_stored_once_in_the_index(con):
    n_pass, n_text = con.execute("SELECT (SELECT count(*) FROM search_passages), (SELECT count(*) FROM search_text)").fetchone()
    assert n_text < n_pass  # the draft and the final plan share their opening paragraphs


def test_the_cli_path_needs_neither_pandas_nor_pyarrow(db):
    """Most of a `plans search` is the interpreter starting: the search itself imports no pandas."""
    import subprocess
    import sys

    code = ("import sys; from analysis.warehouse.search import search_records; "
            f"hits = search_records('护理型床位', db_path={str(db)!r}); "
            "assert hits and hits[0]['rank'] == 1 and '**' in hits[0]['match'], hits; "
            "bad = [m for m in ('pandas', 'pyarrow', 'numpy') if m in sys.modules]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_records_and_frame_agree(con):
    from analysis.warehouse.search import search_records

    rows = search_records("护理型床位", con=con)
    df = search("护理型床位", con=con)
    assert [r["doc_id"] for r in rows] == df["doc_id"].tolist() and [r["score"] for r in rows] == df["score"].tolist()
