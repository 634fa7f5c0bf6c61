"""Offline JavaScript for the reports: plotly.js and echarts embedded once per page, no CDN.

plotly: the "notebook" renderer embeds plotly.js once, with the first figure a kernel shows; we
replace it with a subclass that does not add plotly's MathJax CDN ``<script src>`` to every figure.

echarts: ``echarts.min.js`` is fetched once at set-up time from the npm registry into the
git-ignored cache ``.cache/echarts.min.js`` (``make .cache/echarts.min.js`` or
:func:`fetch_echarts`) and inlined before the first pyecharts chart of a kernel, guarded against
RequireJS: ``window.define`` is saved and undefined while the echarts UMD header runs (otherwise it
registers an anonymous AMD module instead of ``window.echarts``), then restored.

Compressed pages (:func:`compress_page`, applied to every exported page): a report of a few thousand
documents is ~90 pages, and each carried plotly.js (4.8 MB) or echarts (1.1 MB) and its data as plain
text. The inline libraries, nbconvert's JupyterLab stylesheet (240 kB) and every large JSON data element
are stored DEFLATE-compressed in base64
and inflated synchronously where they stand by fflate (MIT, fetched from the npm registry like echarts into
``.cache/fflate.min.js``; 33 kB, once per page): a script runs as the same classic script, injected
right after its placeholder, so the order of execution is unchanged; a library keeps its licence
comment in plain text; the stylesheet is added in ``<head>`` before the body is parsed; a JSON element
gets ``data-deflate="raw"`` and its readers inflate it. :func:`expand_page` gives the page back as it was.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
import tarfile
import tempfile
import zlib
from functools import lru_cache
from pathlib import Path

from analysis import config

ECHARTS_VERSION = "6.1.0"
ECHARTS_JS = config.CACHE_DIR / "echarts.min.js"
FFLATE_VERSION = "0.8.3"
FFLATE_JS = config.CACHE_DIR / "fflate.min.js"
COMPRESS_MIN_CHARS = 32_768  # inline scripts and data elements shorter than this stay as they are
PLOTLY_CONFIG = {"showSendToCloud": False, "displaylogo": False, "responsive": True}

_state = {"echarts_embedded": False}


# --------------------------------------------------------------------------- echarts


def fetch_echarts(dest: Path = ECHARTS_JS, version: str = ECHARTS_VERSION) -> Path:
    """Fetch ``dist/echarts.min.js`` of ``echarts@version`` with ``npm pack`` (set-up time only)."""
    return fetch_npm_file("echarts", version, "package/dist/echarts.min.js", dest)


def fetch_fflate(dest: Path = FFLATE_JS, version: str = FFLATE_VERSION) -> Path:
    """Fetch ``umd/index.js`` of ``fflate@version`` with ``npm pack`` (set-up time only)."""
    return fetch_npm_file("fflate", version, "package/umd/index.js", dest)


def fetch_npm_file(package: str, version: str, member_name: str, dest: Path) -> Path:
    """One file of an npm package, fetched with ``npm pack`` into ``dest`` (kept when it exists)."""
    dest = Path(dest)
    if dest.exists():
        return dest
    if shutil.which("npm") is None:
        raise RuntimeError(f"npm is not installed: cannot fetch {package}@{version} into {dest} (apt-get install npm)")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["npm", "pack", "--silent", f"{package}@{version}"], cwd=tmp,
                             check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        with tarfile.open(Path(tmp) / out) as tar:
            member = tar.extractfile(member_name)
            if member is None:
                raise RuntimeError(f"{out}: no {member_name}")
            data = member.read()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp_dest = dest.with_suffix(".tmp")
    tmp_dest.write_bytes(data)
    tmp_dest.replace(dest)
    return dest


def echarts_source(path: Path = ECHARTS_JS) -> str:
    return _cached_script(Path(path), "fetch_echarts")


def _cached_script(path: Path, fetcher: str) -> str:
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: run `make {path.relative_to(config.ROOT) if path.is_relative_to(config.ROOT) else path}`"
            f" (or `python -c 'from analysis.publish.offline import {fetcher}; {fetcher}()'`) once, online")
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


# --------------------------------------------------------------------------- compressed pages

_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.S | re.I)
_STYLE = re.compile(r"<style(\s[^>]*)?>(.*?)</style>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_LEAD_COMMENT = re.compile(r"\s*/\*.*?\*/", re.S)
_DECODER_HERE = "\x00plans-decoder\x00"  # where the decoder goes: before the first compressed element
INFLATE_JS = """(function () {
  var module, exports, define;  // fflate's UMD header then sets self.fflate, which is taken and removed
  @FFLATE@
  var f = self.fflate;
  delete self.fflate;
  window.__plansInflate = function (b64) {
    var s = atob(b64), n = s.length, u = new Uint8Array(n);
    for (var i = 0; i < n; i++) { u[i] = s.charCodeAt(i); }
    return f.strFromU8(f.inflateSync(u));
  };
  window.__plansStyle = function (b64) {  // a stylesheet, in the cascade where it stood
    var here = document.currentScript, s = document.createElement("style");
    s.textContent = window.__plansInflate(b64);
    here.parentNode.insertBefore(s, here.nextSibling);
  };
  window.__plansRun = function (b64) {  // a classic script, run synchronously right after its placeholder
    var here = document.currentScript, s = document.createElement("script");
    s.text = window.__plansInflate(b64);
    if (here && here.parentNode) { here.parentNode.insertBefore(s, here.nextSibling); } else { document.head.appendChild(s); }
  };
})();"""


DECODER_COMMENT = (f"/* fflate {FFLATE_VERSION} (MIT licence, (c) 2026 Arjun Barrett, github.com/101arrowz/fflate): "
                   "inflates the compressed scripts and data of this page (analysis/publish/offline.py) */")


@lru_cache(maxsize=1)  # read once per process: every exported page carries it
def fflate_source(path: Path = FFLATE_JS) -> str:
    return _cached_script(Path(path), "fetch_fflate")


def _deflate_b64(text: str) -> str:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw DEFLATE, as fflate.inflateSync reads it
    return base64.b64encode(c.compress(text.encode("utf-8")) + c.flush()).decode("ascii")


def inflate_b64(b64: str) -> str:
    """The text of a compressed script or data element (what the page's decoder computes)."""
    return zlib.decompress(base64.b64decode(b64), -15).decode("utf-8")


@lru_cache(maxsize=1)
def libraries() -> tuple[str, ...]:
    """The library texts a page may carry inline (echarts when cached, plotly.js): what compress_page compresses."""
    from plotly.offline import get_plotlyjs

    libs = [get_plotlyjs()]
    if ECHARTS_JS.exists():
        libs.append(echarts_source())
    return tuple(libs)


def compress_page(page: str, decoder: str | None = None, libs: tuple[str, ...] | None = None,
                  min_chars: int = COMPRESS_MIN_CHARS) -> str:
    """``page`` with its inline libraries (``libs``, default :func:`libraries`) and every JSON data element of at
    least ``min_chars`` characters compressed, and the decoder inserted once before the first of them (a page
    with none is returned unchanged). Chart and page scripts stay as they are. ``decoder``: fflate's UMD source
    (default: the cached copy)."""
    libs = set(libraries() if libs is None else libs)
    hits = 0

    def sub(m: re.Match) -> str:
        nonlocal hits
        attrs, body = m.group(1) or "", m.group(2)
        if len(body) < min_chars or re.search(r"\bsrc\s*=", attrs, re.I) or "data-deflate" in attrs:
            return m.group(0)
        t = _TYPE.search(attrs)
        kind = t.group(1).lower() if t else ""
        mark = "" if hits else _DECODER_HERE
        if kind == "application/json":
            hits += 1
            return f'{mark}<script{attrs} data-deflate="raw">{_deflate_b64(body)}</script>'
        if kind not in ("", "text/javascript", "application/javascript") or body not in libs:
            return m.group(0)
        lead = _LEAD_COMMENT.match(body)  # the library's licence header stays readable
        head, code = (body[:lead.end()] + "\n", body[lead.end():]) if lead else ("", body)
        hits += 1
        return f'{mark}<script{attrs}>{head}window.__plansRun("{_deflate_b64(code)}");</script>'

    def style(m: re.Match) -> str:  # nbconvert's JupyterLab stylesheet (240 kB): added where it stood, in <head>
        nonlocal hits
        attrs, body = m.group(1) or "", m.group(2)
        if len(body) < min_chars:
            return m.group(0)
        mark = "" if hits else _DECODER_HERE
        hits += 1
        return f'{mark}<script data-plans-style="{html.escape(attrs, quote=True)}">window.__plansStyle("{_deflate_b64(body)}");</script>'

    if _DECODER_HERE in page:
        raise ValueError("page already holds the decoder placeholder")
    out = _SCRIPT.sub(sub, _STYLE.sub(style, page))
    if not hits:
        return page
    src = fflate_source() if decoder is None else decoder
    tag = (f"<script>{DECODER_COMMENT}\n{INFLATE_JS.replace('@FFLATE@', src)}</script>\n")
    return out.replace(_DECODER_HERE, tag, 1)


_RUN = re.compile(r'<script([^>]*)>((?:\s*/\*.*?\*/\n)?)window\.__plansRun\("([A-Za-z0-9+/=]*)"\);</script>', re.S)
_STYLE_DEFLATED = re.compile(r'<script data-plans-style="([^"]*)">window\.__plansStyle\("([A-Za-z0-9+/=]*)"\);</script>')
_JSON_DEFLATED = re.compile(r'<script([^>]*?) data-deflate="raw">([A-Za-z0-9+/=]*)</script>')


def expand_page(page: str) -> str:
    """The page as it was before :func:`compress_page` (for tests and tools reading a page's scripts and data)."""
    i = page.find(f"<script>{DECODER_COMMENT}")
    if i >= 0:
        page = page[:i] + page[page.index("</script>\n", i) + len("</script>\n"):]
    page = _RUN.sub(lambda m: f"<script{m.group(1)}>{m.group(2)[:-1] if m.group(2) else ''}{inflate_b64(m.group(3))}</script>",
                    page)
    page = _STYLE_DEFLATED.sub(lambda m: f"<style{html.unescape(m.group(1))}>{inflate_b64(m.group(2))}</style>", page)
    return _JSON_DEFLATED.sub(lambda m: f"<script{m.group(1)}>{inflate_b64(m.group(2))}</script>", page)
