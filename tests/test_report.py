"""The report build: every notebook executes, pages are self-contained and escape document text."""

from __future__ import annotations

import ast
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from fixtures.report_db import HOSTILE_SCRIPT, NO_QUERIES, built_reports, page_text

from analysis import config
from analysis.publish.report import ReportError, build_reports

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))
EXPECTED = ["01-overview", "02-elderly-care-nursing-beds", "03-social-assistance-dibao", "04-funeral-services",
            "05-all-indicators", "06-data-quality", "07-city-profile", "08-indicator", "09-city-explorer",
            "10-versions"]
@pytest.fixture(scope="session", params=["fixture", "real"])
def reports(request, tmp_path_factory) -> Path:
    if NO_QUERIES:
        pytest.skip("analysis/queries.py is not written yet (notebooks read through it)")
    return built_reports(request.param, tmp_path_factory)


@pytest.fixture(scope="session")
def fixture_reports(tmp_path_factory) -> Path:
    if NO_QUERIES:
        pytest.skip("analysis/queries.py is not written yet (notebooks read through it)")
    return built_reports("fixture", tmp_path_factory)


def pages(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*.html") if p.name != "index.html")


# --------------------------------------------------------------------------- notebooks as committed


def test_notebooks_present_and_numbered():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "commit notebooks without outputs"
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "db_path" in params[0].source
    src = "\n".join(c.source for c in code)
    assert "run_query(" in src and "duckdb.connect" not in src and "con.execute" not in src and "con.sql" not in src
    assert "renderer=" not in src and "update_layout" not in src  # styling lives in analysis/charts.py
    # every generated prose (tables.md) is followed by an assert in the same cell
    for c in code:
        if "tables.md(" in c.source:
            assert c.source.rfind("assert ") > c.source.find("tables.md("), c.source[:80]


_NOT_FIGURES = {"int", "float", "len", "str", "round", "abs", "sorted", "set", "charts", "tables", "views", "report"}


def _names(node) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} - _NOT_FIGURES


def _quoted(cell: ast.AST) -> set[str]:
    """Names whose values a ``tables.md(...)`` call prints (its keyword arguments)."""
    out: set[str] = set()
    for call in ast.walk(cell):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "md":
            for kw in call.keywords:
                out |= _names(kw.value)
    return out


def _sides(test):
    """The two sides an assert compares: ``a == b`` or ``abs(a - b) < tol`` (after ``x is None or``)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return _sides(test.values[-1])
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        if isinstance(test.ops[0], ast.Eq):
            return test.left, test.comparators[0]
        left = test.left
        if (isinstance(test.ops[0], (ast.Lt, ast.LtE)) and isinstance(left, ast.Call)
                and getattr(left.func, "id", "") == "abs" and isinstance(left.args[0], ast.BinOp)
                and isinstance(left.args[0].op, ast.Sub)):
            return left.args[0].left, left.args[0].right
    return None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_assert_checks_a_figure_the_prose_quotes(path):
    """An assert compares a figure the prose prints with the same figure reached another way.

    ``0 <= n <= len(flags)`` is always true and ``n == n`` proves nothing: each assert must be an
    equality (or a tolerance) with a quoted name on one side only.
    """
    nb = nbformat.read(path, as_version=4)
    n_checked = 0
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        tree = ast.parse(c.source)
        asserts = [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
        quoted = _quoted(tree)
        if quoted:
            assert asserts, f"{path.name}: prose quotes {sorted(quoted)} and nothing checks them"
        for a in asserts:
            line = ast.get_source_segment(c.source, a)
            assert quoted, f"{path.name}: assert without a quoted figure in its cell: {line}"
            sides = _sides(a.test)
            assert sides, f"{path.name}: not an equality or tolerance check: {line}"
            left, right = _names(sides[0]), _names(sides[1])
            assert (left ^ right) & quoted, f"{path.name}: no quoted figure on one side only: {line}"
            n_checked += 1
    if "tables.md(" in "".join(c.source for c in nb.cells):
        assert n_checked


# --------------------------------------------------------------------------- the build


@pytest.mark.slow
def test_failing_cell_names_notebook_and_cell(tmp_path, report_db):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    p = nbformat.v4.new_code_cell("db_path = None")
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Broken"), p, nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("raise ValueError('boom in the third cell')")]
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    nbformat.write(nb, nbs / "99-broken.ipynb")
    with pytest.raises(ReportError) as err:
        build_reports(report_db, tmp_path / "out", notebooks_dir=nbs, timeout=120, static=False, verbose=False)
    msg = str(err.value)
    assert "99-broken.ipynb" in msg and "cell" in msg and "ValueError" in msg and "boom" in msg


@pytest.mark.slow
def test_every_notebook_renders_a_page(reports):
    names = {p.stem for p in pages(reports)}
    for stem in [*EXPECTED[:6], "09-city-explorer"]:
        assert stem in names
    assert not [n for n in names if n.startswith("city-")], "per-document pages are written only on demand (--city)"
    indicators = [n for n in names if n.startswith("indicator-")]
    assert len(indicators) >= 3, "one page per indicator stated by two or more documents"
    index = (reports / "index.html").read_text(encoding="utf-8")
    for p in pages(reports):
        assert f'href="{p.name}"' in index
    assert "数据版本 Data version: raw " in index and "Built:" in index
    assert "指标 Indicators" in index and "城市 Cities" in index


@pytest.mark.slow
def test_city_page_on_demand(fixture_reports, report_db):
    out = fixture_reports
    before = (out / "index.html").read_text(encoding="utf-8")
    db = report_db  # the database the fixture reports were built from
    assert build_reports(db, out, cities=["晉中市"], static=False, verbose=False, timeout=300) == 0
    city = [p.name for p in out.glob("city-*.html")]
    assert len(city) == 1 and "晋中市" in (out / city[0]).read_text(encoding="utf-8")
    assert (out / "index.html").read_text(encoding="utf-8") == before  # one city page; the rest untouched
    with pytest.raises(ValueError, match="no document with id or city 'nowhere'"):
        build_reports(db, out, cities=["nowhere"], static=False, verbose=False)
    for p in out.glob("city-*.html"):
        p.unlink()  # the other tests see the default build


@pytest.mark.slow
def test_indicator_pages_weigh_little_and_skip_plotly(fixture_reports):
    for page in fixture_reports.glob("indicator-*.html"):
        text = page_text(page)
        assert "Plotly.newPlot(" not in text and page.stat().st_size < 3_000_000, page.name


def _plotly_signature() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()[:300]


def _echarts_signature() -> str:
    from analysis.publish.offline import echarts_source

    return echarts_source()[:400]


@pytest.mark.slow
def test_libraries_embedded_once_per_page(reports):
    p_sig, e_sig = _plotly_signature(), _echarts_signature()
    for page in pages(reports):
        text = page_text(page)
        n_plotly = text.count("Plotly.newPlot(")
        n_echarts = text.count("echarts.init(")
        assert text.count(p_sig) == (1 if n_plotly else 0), page.name
        assert text.count(e_sig) == (1 if n_echarts else 0), page.name
        assert n_plotly + n_echarts > 0, f"{page.name} has no chart"
    all_text = "".join(page_text(p) for p in pages(reports))
    assert "Plotly.newPlot(" in all_text and "echarts.init(" in all_text  # both libraries are used


class _Loads(HTMLParser):
    """Collect resource loads (src/href of scripts, links, images, frames …) and event-handler attributes."""

    LOADING = {"script": "src", "img": "src", "iframe": "src", "link": "href", "source": "src", "video": "src",
               "audio": "src", "embed": "src", "object": "data", "track": "src", "input": "src"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []
        self.handlers: list[tuple[str, str, str]] = []
        self.tags: list[tuple[str, dict]] = []
        self._in_script = False
        self.script_bodies: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in self.LOADING and a.get(self.LOADING[tag]):
            self.loads.append(a[self.LOADING[tag]])
        if a.get("srcset"):
            self.loads.append(a["srcset"])
        for k, v in a.items():
            if k.startswith("on"):
                self.handlers.append((tag, k, v or ""))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies.append(data)


def _parse(page: Path) -> _Loads:
    p = _Loads()
    p.feed(page_text(page))
    return p


@pytest.mark.slow
def test_no_external_loads(reports):
    for page in [*pages(reports), reports / "index.html"]:
        parsed = _parse(page)
        external = [u for u in parsed.loads if re.match(r"\s*(https?:)?//", u)]
        assert not external, f"{page.name} loads {external}"
        text = page_text(page)
        for style in re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.S):
            assert not re.search(r"(@import|url\()\s*['\"]?\s*(https?:)?//", style), page.name
        # (plotly.js itself holds "https://cdn.plot.ly/un/" as the default topojson URL of geo maps: no load)
        assert "cdnjs.cloudflare.com" not in text, page.name
        assert "assets.pyecharts.org" not in text, page.name


@pytest.mark.slow
def test_document_text_is_escaped(fixture_reports):
    hostile_pages = [p for p in pages(fixture_reports)]
    seen = 0
    for page in hostile_pages:
        text = page_text(page)
        assert HOSTILE_SCRIPT not in text, page.name  # never as markup …
        seen += text.count("&lt;script&gt;window.__pwned_text")  # … but as text
        parsed = _parse(page)
        assert not [h for h in parsed.handlers if "__pwned" in h[2]], page.name
        assert not [t for t, a in parsed.tags if t == "img" and a.get("src") == "x"], page.name
        assert not [b for b in parsed.script_bodies if b.lstrip().startswith("window.__pwned")], page.name
    assert seen > 0, "the hostile document's text is shown, escaped"


@pytest.mark.slow
def test_data_export_and_static_charts(fixture_reports):
    data = fixture_reports / "data"
    for name in ("targets.csv", "targets.parquet", "README.md"):
        assert (data / name).stat().st_size > 0
    import pandas as pd

    df = pd.read_parquet(data / "targets.parquet")
    readme = (data / "README.md").read_text(encoding="utf-8")
    for col in df.columns:
        assert f"`{col}`" in readme, f"README does not document {col}"
    assert "How to cite" in readme and "## Sources" in readme
    from analysis.publish.report import chromium_path

    if chromium_path():
        pngs = list((fixture_reports / "charts").glob("*.png"))
        assert pngs and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


@pytest.mark.slow
def test_executed_notebooks_keep_plotly_json(fixture_reports):
    for f in (fixture_reports / "executed").glob("*.plotly.json"):
        for fig in json.loads(f.read_text(encoding="utf-8")):
            assert "Noto Sans CJK SC" in json.dumps(fig["layout"].get("font", {})) or fig["layout"].get("template")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_staged_and_committed_notebooks_have_no_outputs(path):
    """What git holds (index and HEAD), not only the working file: no outputs, counts or run metadata."""
    import subprocess

    rel = path.relative_to(config.ROOT).as_posix()
    for ref in (f":{rel}", f"HEAD:{rel}"):
        shown = subprocess.run(["git", "show", ref], cwd=config.ROOT, capture_output=True, text=True)
        if shown.returncode != 0:
            continue  # not a git checkout, or not committed yet
        nb = nbformat.reads(shown.stdout, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), f"{ref}: run `make strip`"
        assert "papermill" not in nb.metadata and not any("papermill" in c.metadata for c in nb.cells), ref


def test_a_slow_browser_exit_prints_no_warning_but_errors_still_do():
    """On a busy machine Chromium outlives kaleido's 3 s and choreographer warns "Resorting to unclean kill
    browser." although the PNGs were written: `make report` must not print that."""
    import logging

    from analysis.publish.report import quiet_browser_shutdown

    log = logging.getLogger("choreographer.browser_async")  # the logger that warns
    assert log.isEnabledFor(logging.WARNING)
    with quiet_browser_shutdown():
        assert not log.isEnabledFor(logging.WARNING) and log.isEnabledFor(logging.ERROR)
    assert log.isEnabledFor(logging.WARNING)  # restored afterwards
