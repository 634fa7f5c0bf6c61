"""What the city picker and the grouped views need, built at report time.

- :func:`t2s_map`: a small traditional → simplified map of exactly the characters in a page's city
  names (OpenCC, every traditional variant: s2t, s2tw, s2hk), so a reader can type 晉中市 or 晋中市.
- :func:`province_tiles`: the province tile grid and each province's region
  (``data/reference/provinces.yaml``).
- bilingual labels for internal codes (admin level, scope, region, source kind): a page never
  prints ``county`` or ``urban_rural`` alone.
- :func:`app_html`: the page's data as one JSON element + the client script (``app_*.js``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

import yaml

from analysis import config
from analysis.publish import offline

PROVINCES_YAML = config.REFERENCE_DIR / "provinces.yaml"
APP_JS = [Path(__file__).with_name(n) for n in ("app_core.js", "app_indicator.js", "app_explorer.js")]

LEVEL_LABELS = {"prefecture": "地级 prefecture", "county": "县级 county", "province": "省级 province",
                "township": "乡级 township", "unknown": "未知 unknown"}
SCOPE_EN = {"county": "county", "urban_rural": "urban & rural", "township": "township", "subdistrict": "subdistrict",
            "village": "village", "urban": "urban", "rural": "rural", "city": "city"}
REGION_LABELS = {"East": "东部 East", "Central": "中部 Central", "West": "西部 West", "Northeast": "东北 Northeast"}
SOURCE_LABELS = {"table": "表格 table", "prose": "正文 prose", "series": "统计表 series"}
ALL_SCOPE = "全部 all"


def level_label(code) -> str:
    if not isinstance(code, str) or not code:
        return LEVEL_LABELS["unknown"]
    return LEVEL_LABELS.get(code, code)


def scope_label(code, zh=None) -> str:
    """``urban_rural`` → ``城乡 urban & rural``; no scope → ``全部 all``."""
    if not isinstance(code, str) or not code:
        return ALL_SCOPE
    from analysis.align.registry import SCOPE_ZH

    return f"{SCOPE_ZH.get(code, zh if isinstance(zh, str) and zh else code)} {SCOPE_EN.get(code, code)}"


def source_label(kind) -> str:
    return SOURCE_LABELS.get(kind, kind) if isinstance(kind, str) else ""


# --------------------------------------------------------------------------- provinces


class ReferenceError(ValueError):
    """A reference file is malformed; the message names the file and the entry."""


@cache
def _provinces(path: str) -> tuple[dict, ...]:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceError(f"{p}: cannot read the province reference: {exc}") from exc
    rows = data.get("provinces") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ReferenceError(f"{p}: expected a top-level 'provinces:' list")
    seen: set[tuple[int, int]] = set()
    for i, r in enumerate(rows):
        missing = [k for k in ("province", "short", "row", "col") if not isinstance(r, dict) or r.get(k) is None]
        if missing:
            raise ReferenceError(f"{p}: entry {i + 1} lacks {', '.join(missing)}")
        if (r["row"], r["col"]) in seen:
            raise ReferenceError(f"{p}: entry {i + 1} ({r['province']}) reuses tile row {r['row']}, col {r['col']}")
        seen.add((r["row"], r["col"]))
    return tuple(rows)


def province_tiles(path: Path = PROVINCES_YAML) -> list[dict]:
    """[{province, short, row, col, region, region_zh}] of every province-level unit."""
    return [dict(r) for r in _provinces(str(path))]


def region_label(region, province=None, path: Path = PROVINCES_YAML) -> str:
    """The document's region, else its province's (NBS four regions), bilingual; unknown stays unknown."""
    if not isinstance(region, str) or not region:
        for r in _provinces(str(path)):
            if r["province"] == province:
                region = r.get("region")
                if region is None:
                    return f"{r.get('region_zh') or '其他'} other"
                break
    return REGION_LABELS.get(region, region) if isinstance(region, str) and region else "未知 unknown"


# --------------------------------------------------------------------------- traditional → simplified


@lru_cache(maxsize=4)
def _converter(cfg: str):
    import opencc

    return opencc.OpenCC(cfg if cfg.endswith(".json") or cfg in ("s2t", "s2tw", "s2hk") else cfg)


def t2s_map(names: Iterable[str]) -> dict[str, str]:
    """{traditional character: simplified} for every character of ``names`` that has a traditional form."""
    chars = sorted({ch for n in names if isinstance(n, str) for ch in n if "\u3400" <= ch <= "\u9fff"})
    out: dict[str, str] = {}
    for cfg in ("s2t", "s2tw", "s2hk"):
        conv = _converter(cfg)
        for ch in chars:
            t = conv.convert(ch)
            if len(t) == 1 and t != ch:
                out.setdefault(t, ch)
    return out


# --------------------------------------------------------------------------- page shell


def app_html(data: dict) -> str:
    """One JSON data element, the root element and the client script (echarts inlined once before)."""
    from analysis.publish.theme import FONT_STACK, PALETTE

    payload = {"palette": PALETTE, "font": FONT_STACK, **data}
    # every "<" as \u003c: no document text can open or close an element inside the JSON script
    blob = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    parts = []
    for path in APP_JS:
        src = path.read_text(encoding="utf-8")
        if "</script" in src.lower() or "<!--" in src:
            raise ValueError(f"{path}: contains '</script' or '<!--': cannot inline it")
        parts.append(src)
    js = '(function () {\n"use strict";\n' + "\n".join(parts) + "})();\n"
    return (offline.echarts_once() + APP_CSS + '<div id="plans-app"></div>\n'
            f'<script type="application/json" id="plans-data">{blob}</script>\n<script>{js}</script>\n')


APP_CSS = """<style>
#plans-app .plans-picker { position: sticky; top: 0; z-index: 10; background: #fff; padding: 8px 0; border-bottom: 1px solid #ddd; }
#plans-app .plans-picker input { width: 22em; padding: 4px 8px; font-size: 14px; }
#plans-app button { margin: 0 4px; padding: 3px 10px; border: 1px solid #bbb; background: #f6f6f6; border-radius: 3px; cursor: pointer; }
#plans-app button.on { background: #3360a9; color: #fff; border-color: #3360a9; }
#plans-app .plans-chip { display: inline-block; margin: 2px 4px; padding: 1px 8px; border: 2px solid; border-radius: 10px; cursor: pointer; font-size: 13px; }
#plans-app .plans-picker-msg { color: #c15065; margin-left: 8px; }
#plans-app .plans-buttons { margin: 6px 0; font-size: 13px; }
#plans-app .plans-chart { max-height: 1200px; margin: 8px 0; }
#plans-app table.plans-table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
#plans-app table.plans-grapher-rows { table-layout: fixed; width: 100%; }
#plans-app table.plans-grapher-rows td { overflow-wrap: anywhere; }
#plans-app table.plans-grapher-rows th:last-child { width: 30%; }
#plans-app table.plans-grapher-rows th:first-child { width: 4em; }
#plans-app input.plans-filter { width: 20em; padding: 4px 8px; font-size: 14px; }
#plans-app .plans-table th, #plans-app .plans-table td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
#plans-app .plans-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
#plans-app .plans-table td.quote { max-width: 32em; font-size: 12px; color: #444; }
#plans-app tr.plans-selected { background: #fff6e0; }
#plans-app .plans-grapher-table { max-height: 640px; overflow: auto; }
#plans-app .plans-table-bar { position: sticky; top: 0; background: #fff; padding: 4px 0; }
#plans-app .plans-count { margin: 0 8px; color: #555; font-size: 13px; }
</style>
"""
