"""One city explorer for every document (instead of one page per document).

``notebooks/09-city-explorer.ipynb`` shows :func:`explorer_page`: pick any city (simplified or
traditional, ``#cities=…`` in the URL) and see every indicator it states with its percentile among
the documents stating the same indicator and scope, its milestones and its quality flags. The data
is embedded once, as compact arrays (no quotes: each indicator links to its page, which has them, and
each target, through its quote's [start, end], to its passage in ``passages/<doc_id>.html``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from IPython.display import HTML

from analysis.publish import picker
from analysis.publish.grapher import _clean
from analysis.publish.passages import page_files


@dataclass
class ExplorerData:
    corpus: pd.DataFrame  # queries/corpus_overview.sql
    pages: pd.DataFrame  # queries/indicator_pages.sql (min_docs=1)
    values: pd.DataFrame  # queries/city_percentiles.sql
    extra: pd.DataFrame  # queries/city_milestones.sql
    min_docs: int = 2
    target_year: int = 2025


def load_explorer(con, target_year: int = 2025, min_docs: int = 2) -> ExplorerData:
    from analysis.warehouse.queries import run_query

    return ExplorerData(run_query(con, "corpus_overview"),
                        run_query(con, "indicator_pages", target_year=target_year, min_docs=1),
                        run_query(con, "city_percentiles", target_year=target_year),
                        run_query(con, "city_milestones", target_year=target_year), min_docs, target_year)


def page_link(indicator_id: str) -> str:
    """File name of an indicator's page (``plans report`` writes one per indicator stated by ≥ 2 documents)."""
    return f"indicator-{indicator_id}.html"


def explorer_data(data: ExplorerData) -> dict:
    corpus = data.corpus.sort_values("doc_id").reset_index(drop=True)
    doc_index = {d: i for i, d in enumerate(corpus["doc_id"])}
    region = corpus["region"] if "region" in corpus else pd.Series([None] * len(corpus))
    docs = [[r.doc_id, str(r.city_label), _clean(r.province) or "", picker.level_label(r.admin_level),
             picker.region_label(_clean(reg), _clean(r.province)), _clean(r.kind) or ""]
            for r, reg in zip(corpus.itertuples(index=False), region)]
    pages = data.pages.sort_values("indicator_id").reset_index(drop=True)
    ind_index = {i: k for k, i in enumerate(pages["indicator_id"])}
    inds = [[r.indicator_id, r.indicator_zh, r.indicator_en, _clean(r.unit), _clean(r.direction),
             page_link(r.indicator_id) if r.n_docs >= data.min_docs else None] for r in pages.itertuples(index=False)]
    vals = []
    values = data.values
    has = {"start", "end"} <= set(values.columns)
    for r in values.itertuples(index=False):
        href = [int(r.start), int(r.end)] if has and _clean(r.start) is not None and _clean(r.end) is not None else None
        if r.doc_id in doc_index and r.indicator_id in ind_index:
            pct = _clean(r.percentile)
            vals.append([doc_index[r.doc_id], ind_index[r.indicator_id],
                         picker.scope_label(r.scope or None, _clean(r.scope_zh)) if r.scope else "",
                         _clean(r.baseline_value), _clean(r.target_value),
                         None if pct is None else round(float(pct), 1), int(r.n_docs), href])
    miles, flags = [], []
    for r in data.extra.itertuples(index=False):
        if r.doc_id not in doc_index:
            continue
        if r.kind == "milestone" and r.indicator_id in ind_index:
            miles.append([doc_index[r.doc_id], ind_index[r.indicator_id], _clean(r.label) or "", int(r.year),
                          _clean(r.value)])
        elif r.kind == "flag":
            flags.append([doc_index[r.doc_id], str(r.label), int(r.value)])
    names = sorted({d[1] for d in docs})
    return {"kind": "explorer", "target_year": data.target_year, "docs": docs, "inds": inds, "vals": vals,
            "miles": miles, "flags": flags, "names": names, "t2s": picker.t2s_map(names),
            "pfile": page_files(corpus["doc_id"])}


def explorer_page(data: ExplorerData) -> HTML:
    return HTML(picker.app_html(explorer_data(data)))
