"""Plan versions: what changed between a draft, its final text and a revision, and the page that shows it."""

from __future__ import annotations

import duckdb
import pytest
from fixtures.cite_corpus import build_corpus
from fixtures.versions_corpus import build_versions_corpus
from test_notebook import run_notebook

from analysis import config
from analysis.publish.report import VERSIONS_NOTEBOOK, plan_jobs
from analysis.warehouse.queries import run_query

NOTEBOOK = config.NOTEBOOKS_DIR / f"{VERSIONS_NOTEBOOK}.ipynb"


@pytest.fixture(scope="module")
def versions_db(tmp_path_factory):
    return build_versions_corpus(tmp_path_factory.mktemp("versions"))


@pytest.fixture(scope="module")
def con(versions_db):
    c = duckdb.connect(str(versions_db), read_only=True)
    yield c
    c.close()


def test_pairs_name_the_newest_version_as_preferred(con):
    pairs = run_query(con, "version_pairs")
    assert list(zip(pairs["old_doc_id"], pairs["new_doc_id"])) == [("ding_draft", "ding_final"),
                                                                   ("ding_final", "ding_revised")]
    assert set(pairs["preferred_doc_id"]) == {"ding_revised"}  # through the chain, not just the next version
    assert pairs["old_issued_date"].tolist() == ["2021-04-01", "2021-10-15"]


def test_changes_target_by_target(con):
    c = run_query(con, "version_changes")
    first = c[c["new_doc_id"].eq("ding_final")].set_index("raw_name")
    assert first.loc["养老机构护理型床位占比", ["old_target_value", "new_target_value", "change"]].tolist() == \
        [50.0, 55.0, "changed 修改"]
    assert first.loc["节地生态安葬率", "change"] == "added 新增" and not first.loc["节地生态安葬率", "in_old"]
    assert first.loc["县级公益性安葬(放)设施覆盖率", "change"] == "removed 删除"
    assert first.loc["火化率", "change"] == "unchanged 未变"
    assert set(first["preferred_version"]) == {"更新的版本 a later version (ding_revised)"}
    second = c[c["new_doc_id"].eq("ding_revised")].set_index("raw_name")
    assert second.loc["养老机构护理型床位占比", "new_target_value"] == 60.0
    assert set(second["preferred_version"]) == {"新版 newer"}
    # each side carries its own offsets, into its own document
    row = first.loc["养老机构护理型床位占比"]
    text = con.execute("SELECT text FROM documents WHERE doc_id = 'ding_draft'").fetchone()[0]
    assert "50" in text[int(row["old_start"]):int(row["old_end"])]


def test_only_the_newest_version_is_preferred_in_the_export(con):
    rows = con.execute("SELECT DISTINCT doc_id FROM targets WHERE preferred ORDER BY 1").fetchall()
    assert rows == [("ding_revised",)]


def test_the_versions_page_is_built_only_when_the_corpus_has_versions(versions_db, tmp_path):
    assert VERSIONS_NOTEBOOK in [j.name for j in plan_jobs(versions_db, only=[VERSIONS_NOTEBOOK])]
    plain = build_corpus(tmp_path / "plain", supersedes=False)
    assert plan_jobs(plain, only=[VERSIONS_NOTEBOOK]) == []


def test_the_notebook_lists_every_change_and_links_each_value_to_its_version(versions_db):
    ns, shown = run_notebook(NOTEBOOK, db_path=str(versions_db))
    assert (ns["n_pairs"], ns["n_plans"]) == (2, 1)
    assert (ns["n_changed"], ns["n_added"], ns["n_removed"]) == (2, 1, 1)
    page = "".join(getattr(s, "data", "") for s in shown if "plans-table" in str(getattr(s, "data", "")))
    assert "丁市民政事业发展“十四五”规划(2023年修订)" in page  # the preferred version is named
    # the draft's 50 links into the draft, the final's 55 into the final
    assert 'href="passages/ding_draft.html#q-' in page and 'href="passages/ding_final.html#q-' in page
    assert "unchanged 未变" not in page.split("<tbody>")[-1]  # the changes table lists changes only
