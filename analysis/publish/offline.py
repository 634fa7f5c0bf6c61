"""Offline JavaScript for the reports: plotly.js and echarts embedded once per page, no CDN.

plotly: the "notebook" renderer embeds plotly.js once, with the first figure a kernel shows; we
replace it with a subclass that does not add plotly's MathJax CDN ``<script src>`` to every figure.

echarts: ``echarts.min.js`` is fetched once at set-up time from the npm registry into the
git-ignored cache ``.cache/echarts.min.js`` (``make .cache/echarts.min.js`` or
:func:`fetch_echarts`) and inlined before the first pyecharts chart of a kernel, guarded against
RequireJS: ``window.define`` is saved and undefined while the echarts UMD header runs (otherwise it
registers an anonymous AMD module instead of ``window.echarts``), then restored.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

from analysis import config

ECHARTS_VERSION = "6.1.0"
ECHARTS_JS = config.CACHE_DIR / "echarts.min.js"
PLOTLY_CONFIG = {"showSendToCloud": False, "displaylogo": False, "responsive": True}

_state = {"echarts_embedded": False}


# --------------------------------------------------------------------------- echarts


def fetch_echarts(dest: Path = ECHARTS_JS, version: str = ECHARTS_VERSION) -> Path:
    """Fetch ``dist/echarts.min.js`` of ``echarts@version`` with ``npm pack`` (set-up time only)."""
    dest = Path(dest)
    if dest.exists():
        return dest
    if shutil.which("npm") is None:
        raise RuntimeError("npm is not installed: cannot fetch echarts.min.js (apt-get install npm)")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["npm", "pack", "--silent", f"echarts@{version}"], cwd=tmp,
                             check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        with tarfile.open(Path(tmp) / out) as tar:
            member = tar.extractfile("package/dist/echarts.min.js")
            if member is None:
                raise RuntimeError(f"{out}: no package/dist/echarts.min.js")
            data = member.read()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp_dest = dest.with_suffix(".tmp")
    tmp_dest.write_bytes(data)
    tmp_dest.replace(dest)
    return dest


def echarts_source(path: Path = ECHARTS_JS) -> str:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: run `make .cache/echarts.min.js` (or "
            "`python -c 'from analysis.publish.offline import fetch_echarts; fetch_echarts()'`) once, online")
    src = path.read_text(encoding="utf-8")
    if "</script" in src.lower():
        raise ValueError(f"{path} contains '</script': cannot inline it safely")
    return src


def echarts_script(path: Path = ECHARTS_JS) -> str:
    """The echarts library as inline ``<script>`` tags, guarded against RequireJS."""
    return (
        "<script>window.__plansSavedDefine = window.define; window.define = undefined;</script>\n"
        f"<script>{echarts_source(path)}</script>\n"
        "<script>window.define = window.__plansSavedDefine; delete window.__plansSavedDefine;</script>\n"
    )


def echarts_once() -> str:
    """The echarts script the first time a kernel asks, then ``""`` (once per page)."""
    if _state["echarts_embedded"]:
        return ""
    _state["echarts_embedded"] = True
    return echarts_script()


def reset() -> None:
    """Forget that echarts was embedded (e.g. after clearing all outputs in JupyterLab)."""
    _state["echarts_embedded"] = False


def script_safe_json(text: str) -> str:
    """Make a JSON/JS literal safe inside a ``<script>`` element (document text may hold ``</script>``)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


# --------------------------------------------------------------------------- plotly


# A click on a point whose customdata is a passage link (charts._link) opens the passage: relative links
# of one exact shape only (passages/<doc>.html#q-<start>-<end>), nothing else is ever navigated to.
PASSAGE_CLICK_JS = r"""(function () {
  var gd = document.getElementById('{plot_id}');
  if (!gd || !gd.on) { return; }
  gd.on('plotly_click', function (e) {
    var p = e && e.points && e.points[0], h = p && p.customdata;
    if (Array.isArray(h)) { h = h[h.length - 1]; }
    if (typeof h === 'string' && /^passages\/[A-Za-z0-9\u4e00-\u9fff._%-]+\.html#q-\d+-\d+$/.test(h)) {
      window.location.href = h;
    }
  });
})();"""


def setup_plotly() -> None:
    """Default renderer "plotly_mimetype+notebook", offline, no cloud button, no logo, no MathJax CDN.

    Idempotent: plotly.js is embedded once, by the first figure shown after this call.
    """
    import plotly.io as pio
    from plotly.io._base_renderers import NotebookRenderer

    class OfflineNotebookRenderer(NotebookRenderer):
        """plotly's notebook renderer without the per-figure MathJax CDN script."""

        def to_mimebundle(self, fig_dict):
            html = pio.to_html(fig_dict, config=self.config, auto_play=self.auto_play,
                               include_plotlyjs=False, include_mathjax=False, full_html=False,
                               default_width="100%", default_height=525, validate=False,
                               post_script=PASSAGE_CLICK_JS)
            return {"text/html": html}

    if _state.get("plotly_set_up"):
        return  # setting the default again would embed plotly.js a second time
    _state["plotly_set_up"] = True
    pio.renderers["notebook"] = OfflineNotebookRenderer(config=dict(PLOTLY_CONFIG))
    pio.renderers["plotly_mimetype"].config = dict(PLOTLY_CONFIG)
    pio.renderers.default = "plotly_mimetype+notebook"


# --------------------------------------------------------------------------- nbconvert

TEMPLATE = Path(__file__).with_name("templates") / "offline.html.j2"


@lru_cache(maxsize=1)
def html_exporter():
    """nbconvert's lab HTML exporter without code, require.js, MathJax or mermaid from a CDN.

    One per process: building it compiles the Jinja templates (~0.5 s), and a report worker renders
    many pages."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(TEMPLATE.parent)],
                            template_file=TEMPLATE.name)
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.sanitize_html = False  # it would strip the chart scripts; data text is escaped upstream
    exporter.require_js_url = ""
    exporter.mathjax_url = ""
    exporter.mermaid_js_url = ""
    return exporter
