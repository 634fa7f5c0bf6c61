"""From a value to its passage: viewer pages, links, escaping; a browser clicks a link and sees the quote marked."""

from __future__ import annotations

import html as htmllib
import os
from pathlib import Path

import duckdb
import pytest
from fixtures.cite_corpus import build_corpus

from analysis.publish.passages import page_name, passage_link, render_page, write_passage_pages

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
EVIL = "<script>window.__pwned_viewer=1</script><img src=x onerror=\"window.__pwned_viewer=2\">"


def test_passage_link_is_relative_with_the_offsets_as_fragment():
    assert passage_link("002_e48de3d4c5145e05", 10, 42) == "passages/002_e48de3d4c5145e05.html#q-10-42"
    assert passage_link("../../etc/x y", 1, 2).startswith("passages/")
    assert "/" not in page_name("../../etc/x y") and not page_name("../x").startswith(".")


def test_links_for_a_frame_of_values():
    import pandas as pd

    from analysis.publish.passages import passage_links

    df = pd.DataFrame({"doc_id": ["a", "b"], "start": pd.array([3, None], dtype="Int32"), "end": pd.array([9, None], dtype="Int32")})
    assert passage_links(df) == ["passages/a.html#q-3-9", None]
    assert passage_links(df, "../")[0] == "../passages/a.html#q-3-9"


def test_document_text_and_metadata_are_escaped():
    doc = {"doc_id": "d1", "city_label": EVIL, "title": EVIL, "issuer": EVIL, "source_url": "javascript:alert(1)"}
    page = render_page(doc, [{"passage_no": 0, "kind": "paragraph", "heading_path": EVIL, "start": 0, "end": 9,
                              "text": EVIL}])
    body = page.split("<script>")[0] + page.split("</script>")[-1]  # everything but the viewer's own script
    assert "<script>window" not in page and "<img" not in page and 'href="javascript' not in page
    assert htmllib.escape(EVIL) in body and page.count("<script>") == 1


def test_pages_for_every_document(tmp_path):
    db = build_corpus(tmp_path / "c")
    files = write_passage_pages(db, tmp_path / "fig")
    assert sorted(p.name for p in files) == ["a_plan.html", "b_draft.html", "b_final.html"]
    page = (tmp_path / "fig" / "passages" / "a_plan.html").read_text(encoding="utf-8")
    assert "第三章 主要任务 &gt; 第一节 完善养老服务" in page and "甲政办发〔2021〕12号" in page
    assert 'href="https://example.org/jia/plan.html"' in page


def _skip() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}"
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return "headless Chromium runs with --no-sandbox here, which these tests only do as root"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "python playwright is not installed"
    return None


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(_skip() is not None, reason=str(_skip()))
def test_clicking_a_values_link_shows_its_passage_with_the_quote_highlighted(tmp_path, report_db):
    from playwright.sync_api import sync_playwright

    db = report_db
    fig = tmp_path / "figures"
    write_passage_pages(db, fig)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("""SELECT t.doc_id, t.start, t."end", t.quote, t.section,
                                     substr(d.text, t.start + 1, t."end" - t.start) AS verbatim
                              FROM targets t JOIN documents d USING (doc_id)
                              WHERE (t.doc_id LIKE '002%' AND t.indicator_id = 'nursing_bed_share' AND t.source_kind = 'table')
                                 OR t.doc_id = 'hostile_plan'
                              ORDER BY t.doc_id, t.start""").fetchall()
    finally:
        con.close()
    assert rows and rows[0][0].startswith("002") and rows[-1][0] == "hostile_plan"
    links = "".join(f'<li><a id="v{i}" href="{passage_link(d, s, e)}">{htmllib.escape(q)}</a></li>'
                    for i, (d, s, e, q, _, _) in enumerate(rows))
    report = fig / "report.html"
    report.write_text(f"<!DOCTYPE html><meta charset=utf-8><ul>{links}</ul>", encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            for i in (0, len(rows) - 1):
                doc_id, start, end, quote, section, verbatim = rows[i]
                page = browser.new_page()
                errors = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "about:"))
                           else r.abort())
                page.goto(report.as_uri())
                page.click(f"#v{i}")
                page.wait_for_selector("mark.quote", timeout=10_000)
                assert page.url.endswith(f"#q-{start}-{end}")
                assert page.inner_text("mark.quote").split() == verbatim.split()
                hit = page.locator("section.hit")
                assert hit.count() == 1
                if section:
                    assert section in page.inner_text("#status")
                assert page.evaluate("Object.keys(window).filter(k => k.startsWith('__pwned'))") == []
                assert page.evaluate("(() => { const r = document.querySelector('mark.quote').getBoundingClientRect();"
                                     " return r.top >= 0 && r.top < window.innerHeight; })()")
                assert errors == []
                page.close()
        finally:
            browser.close()


def test_above_the_budget_pages_keep_only_the_passages_values_quote(tmp_path):
    db = build_corpus(tmp_path / "c")
    full = {p.name: p.read_text(encoding="utf-8") for p in write_passage_pages(db, tmp_path / "full")}
    cited = {p.name: p.read_text(encoding="utf-8") for p in write_passage_pages(db, tmp_path / "cited", budget=0)}
    con = duckdb.connect(str(db), read_only=True)
    try:
        starts = con.execute("SELECT doc_id, start FROM targets WHERE start IS NOT NULL").fetchall()
        totals = dict(con.execute("SELECT doc_id, count(*) FROM passages GROUP BY doc_id").fetchall())
    finally:
        con.close()
    assert starts and sum(len(t) for t in cited.values()) < sum(len(t) for t in full.values())
    import re

    for doc_id, start in starts:  # every value's passage is still there, whole
        page = cited[page_name(doc_id)]
        spans = [(int(a), int(b)) for a, b in re.findall(r'data-start="(\d+)" data-end="(\d+)"', page)]
        assert any(a <= start < b for a, b in spans), (doc_id, start)
    for name, page in cited.items():
        doc_id = name.removesuffix(".html")
        shown = page.count('<section class="passage')
        left_out = sum(int(n) for n in re.findall(r"… 未引用的 (\d+) 段", page))
        assert shown + left_out == totals[doc_id], name  # the gaps count what is left out
        if shown < totals[doc_id]:
            assert f"({shown} / {totals[doc_id]} 段" in page
    assert any("未引用" in page for page in cited.values())  # some passages quote nothing
    assert "未引用" not in "".join(full.values())  # under the budget: the whole text
