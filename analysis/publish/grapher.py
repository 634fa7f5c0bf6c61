"""One page per indicator, at any number of documents (after Our World in Data's grapher).

``notebooks/08-indicator.ipynb`` (papermill parameter ``indicator_id``) calls :func:`load_indicator`
and shows :func:`indicator_page`: the distribution of targets and baselines with benchmarks, a
ranking that stays short (top and bottom 10, the selected cities always shown), groups by province /
administrative level / region, a province tile grid, and a filterable table of exactly those rows
with a CSV download. Every chart is drawn client-side by ``app_indicator.js`` with echarts (no plotly.js:
a page is ~1.5 MB at any N), and every chart stays under 1,200 px.

:func:`extremes_prose` names ties: "最高 highest: A 和 B（60 %）".
"""

from __future__ import annotations

import decimal
import html
import math
import re
from dataclasses import dataclass, field

import pandas as pd
from IPython.display import HTML, Markdown

from analysis.publish import picker

TOP_K = 10
MAX_NAMED = 5  # ties named in the prose; beyond that "… and N others"


@dataclass
class IndicatorData:
    info: dict  # indicator_id, indicator_zh, indicator_en, unit, direction, n_docs, n_documents, share_pct, …
    rows: pd.DataFrame  # queries/indicator_values.sql
    benchmarks: pd.DataFrame  # queries/indicator_benchmarks.sql
    docs_by_province: dict[str, int] = field(default_factory=dict)
    target_year: int = 2025


def load_indicator(con, indicator_id: str, target_year: int = 2025) -> IndicatorData:
    """Everything one indicator page shows, from the query files (named, bound parameters)."""
    from analysis.warehouse.queries import run_query

    pages = run_query(con, "indicator_pages", target_year=target_year, min_docs=1)
    hit = pages[pages["indicator_id"].eq(indicator_id)]
    if hit.empty:
        raise KeyError(f"indicator {indicator_id!r}: no document states a numeric {target_year} target for it")
    rows = run_query(con, "indicator_values", indicator_id=indicator_id, target_year=target_year)
    bench = run_query(con, "indicator_benchmarks", indicator_id=indicator_id, target_year=target_year)
    corpus = run_query(con, "corpus_overview")
    by_prov = corpus.groupby(corpus["province"].fillna("未知 unknown")).size().astype(int).to_dict()
    return IndicatorData(hit.iloc[0].to_dict(), rows, bench, by_prov, target_year)


# --------------------------------------------------------------------------- prose


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def fmt_value(v, unit: str | None = "") -> str:
    f = _num(v)
    if f is None:
        return "—"
    s = f"{f:,.0f}" if abs(f) >= 100 or f == int(f) else f"{f:,.1f}"
    return s + (f" {unit}" if unit else "")


def _names(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= MAX_NAMED:
        return " 和 ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    return f"{', '.join(names[:MAX_NAMED])} 等 {len(names)} 个 (and {len(names) - MAX_NAMED} others)"


def extremes(df: pd.DataFrame, value: str = "target_value", label: str = "city_label") -> dict:
    """{'highest': (value, [names tied at it]), 'lowest': (…)} over the rows with a value."""
    d = df[[label, value]].dropna()
    if d.empty:
        return {}
    hi, lo = d[value].max(), d[value].min()
    return {"highest": (hi, d.loc[d[value].eq(hi), label].astype(str).tolist()),
            "lowest": (lo, d.loc[d[value].eq(lo), label].astype(str).tolist())}


def extremes_prose(df: pd.DataFrame, unit: str = "", value: str = "target_value") -> str:
    """'最高 highest: A 和 B（60 %）；最低 lowest: C（20 %）', ties named, never one of them picked."""
    ex = extremes(df, value)
    if not ex:
        return ""
    (hi, hi_names), (lo, lo_names) = ex["highest"], ex["lowest"]
    if hi == lo:
        return f"所有文件相同 all documents agree: {_names(hi_names)}（{fmt_value(hi, unit)}）"
    return (f"最高 highest: {_names(hi_names)}（{fmt_value(hi, unit)}）；"
            f"最低 lowest: {_names(lo_names)}（{fmt_value(lo, unit)}）")


def main_scope(rows: pd.DataFrame):
    """The scope stated by the most documents (None when unscoped)."""
    if rows.empty:
        return None
    counts = rows["scope"].fillna("").value_counts()
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return top or None


def summary(data: IndicatorData) -> dict:
    """The numbers the page's prose quotes (the notebook asserts them)."""
    info, rows = data.info, data.rows
    scope = main_scope(rows)
    cur = rows[rows["scope"].fillna("").eq(scope or "")]
    unit = info.get("unit") or ""
    nat = data.benchmarks[data.benchmarks["level"].eq("national")]
    nat = nat[nat["scope"].isna() | nat["scope"].eq(scope)]
    out = {"n_docs": int(rows["doc_id"].nunique()), "n_documents": int(info["n_documents"]),
           "share_pct": 100.0 * rows["doc_id"].nunique() / max(1, int(info["n_documents"])),
           "scope": scope, "n_scope": int(len(cur)), "median": _num(cur["target_value"].median()),
           "extremes": extremes_prose(cur, unit), "benchmark": None, "n_meet": None}
    if len(nat):
        b = float(nat["value"].iloc[0])
        higher = info.get("direction") != "lower_is_better"
        meet = cur["target_value"].ge(b) if higher else cur["target_value"].le(b)
        out.update(benchmark=b, benchmark_source=str(nat["source"].iloc[0]), n_meet=int(meet.sum()))
    return out


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_escape(value) -> str:
    """Document text in Markdown: HTML-escaped and Markdown specials backslashed (as tables.md_escape)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape("" if value is None else str(value), quote=False))


def md(template: str, **values) -> Markdown:
    """Markdown from a template whose values (data) are escaped; the template is trusted."""
    return Markdown(template.format(**{k: v if isinstance(v, (int, float)) and not isinstance(v, bool) else md_escape(v)
                                       for k, v in values.items()}))


def summary_markdown(data: IndicatorData, s: dict) -> str:
    info, unit = data.info, data.info.get("unit") or ""
    lines = [f"{s['n_docs']} / {s['n_documents']} 份文件提及该指标（{s['share_pct']:.0f} %）。"
             f"{s['n_docs']} of {s['n_documents']} documents state a numeric {data.target_year} target for it."]
    if s["n_scope"]:
        sc = picker.scope_label(s["scope"])
        lines.append(f"口径 scope {md_escape(sc)}: 中位数 median {md_escape(fmt_value(s['median'], unit))}；"
                     f"{md_escape(s['extremes'])}。")
    if s["benchmark"] is not None:
        lines.append(f"全国基准 national benchmark {md_escape(fmt_value(s['benchmark'], unit))}"
                     f"（{md_escape(s['benchmark_source'])}）：{s['n_meet']} / {s['n_scope']} 份文件达到 documents meet it.")
    lines.append(f"领域 domain: {md_escape(info.get('domain') or '')} {md_escape(info.get('domain_en') or '')} · "
                 f"单位 unit: {md_escape(unit or '—')} · 方向 direction: "
                 + ("越低越好 lower is better" if info.get("direction") == "lower_is_better" else "越高越好 higher is better"))
    return "\n\n".join(lines)


# --------------------------------------------------------------------------- page data


def _clean(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, decimal.Decimal):
        return float(v)
    return v


CITE_FIELDS = ("title", "doc_number", "issuer", "issued_date", "source_url")  # the CSV download cites each row


def _text(v) -> str | None:
    v = _clean(v)
    return None if v is None or v == "" else str(v)


def _offsets(r) -> list[int] | None:
    s, e = _clean(getattr(r, "start", None)), _clean(getattr(r, "end", None))
    return None if s is None or e is None else [int(s), int(e)]


def citations(rows: pd.DataFrame) -> dict[str, list]:
    """{doc_id: [title, doc_number, issuer, issued_date, source_url]} once per document (the CSV cites each row)."""
    if not set(CITE_FIELDS) <= set(rows.columns):
        return {}
    first = rows.drop_duplicates("doc_id")
    return {str(r.doc_id): [_text(getattr(r, c)) for c in CITE_FIELDS] for r in first.itertuples(index=False)}


def page_rows(rows: pd.DataFrame, sections: list[str] | None = None) -> list[dict]:
    """Compact rows for the client (keys as app_indicator.js reads them); labels bilingual, codes never shown.

    ``o`` is the quote's [start, end] (the client links it to ``passages/<doc>.html#q-<start>-<end>``),
    ``pg`` its page and ``si`` the index of its heading path in ``sections`` (filled here), when the query
    returns them: each heading path and each document's citation is sent once, not once per row.
    """
    has = set(rows.columns)
    pages = rows["page"].tolist() if "page" in has else [None] * len(rows)
    paths = rows["section"].tolist() if "section" in has else [None] * len(rows)
    sections = [] if sections is None else sections
    index = {s: i for i, s in enumerate(sections)}
    out = []
    for r, pg, sec in zip(rows.itertuples(index=False), pages, paths):
        cmp = _clean(r.comparator)
        pg, sec = _clean(pg), _clean(sec) or None
        if sec is not None and sec not in index:
            index[sec] = len(sections)
            sections.append(sec)
        out.append({
            "d": r.doc_id, "c": str(r.city_label), "p": _clean(r.province), "l": picker.level_label(r.admin_level),
            "r": picker.region_label(_clean(r.region), _clean(r.province)), "s": _clean(r.scope) or "",
            "sl": picker.scope_label(_clean(r.scope), _clean(r.scope_zh)), "by": _clean(r.baseline_year),
            "b": _clean(r.baseline_value), "t": _clean(r.target_value), "cmp": cmp,
            "a": _clean(r.attribute), "k": picker.source_label(_clean(r.source_kind)) + ("（人工校订 curated）" if r.curated else ""),
            "q": _clean(r.quote) or _clean(r.target_text), "o": _offsets(r),
            **({} if pg is None else {"pg": int(pg)}), **({} if sec is None else {"si": index[sec]}),
        })  # page and section only when known: a missing key reads as unknown
    return out


def page_data(data: IndicatorData) -> dict:
    info, rows = data.info, data.rows
    scopes = rows["scope"].fillna("").value_counts()
    order = sorted(scopes.items(), key=lambda kv: (-kv[1], kv[0]))
    bench = []
    for b in data.benchmarks.itertuples(index=False):
        who = "全国 national" if b.level == "national" else f"{b.province} 省级规划 provincial plan"
        bench.append({"label": f"{who} {fmt_value(b.value, info.get('unit'))}", "value": _clean(b.value),
                      "scope": _clean(b.scope), "source": _clean(b.source)})
    names = sorted(set(rows["city_label"].astype(str)))
    from analysis.publish.passages import page_files

    sections: list[str] = []
    return {
        "kind": "indicator", "target_year": data.target_year, "rows": page_rows(rows, sections),
        "sections": sections, "cite": citations(rows), "pfile": page_files(rows["doc_id"]),
        "indicator": {"id": info["indicator_id"], "zh": info["indicator_zh"], "en": info["indicator_en"],
                      "unit": _clean(info.get("unit")), "direction": _clean(info.get("direction"))},
        "scopes": [{"key": k, "label": f"{picker.scope_label(k or None)} ({n})"} for k, n in order],
        "benchmarks": bench, "names": names, "t2s": picker.t2s_map(names),
        "tiles": [{k: t[k] for k in ("province", "short", "row", "col")} for t in picker.province_tiles()],
        "docs_by_province": data.docs_by_province,
        "csv_name": f"{info['indicator_id']}-{data.target_year}.csv",
        "map_note": "省份方块图：每省一格，大致按地理位置排列，不表示边界（未找到可离线使用、许可合适且持续维护的省界数据）。"
                    "布局 layout: data/reference/provinces.yaml (2026-12). Province tile grid: one square per "
                    "province, placed roughly where it lies; it draws no borders. 灰色 grey: no document there states it.",
    }


def indicator_page(data: IndicatorData) -> HTML:
    """The interactive part of an indicator page (picker, charts, table) as one HTML output."""
    return HTML(picker.app_html(page_data(data)))
