"""The data bundle in `figures/data/`: what a researcher downloads to cite and reuse a value.

`write_bundle(db_path, data_dir, readme_text, version)` completes what `report.export_data` writes
(targets.csv / targets.parquet): the README with its "how to cite" filled in from the data (a
citation per document, a worked example for one value, the data version and the build date), the
code's `LICENSE` (MIT, copied from the repository root), `TERMS.md` (the documents' and the derived
data's terms) and `targets.xlsx` (all targets with Chinese and English headers, one sheet per named
indicator group of data/reference/workbook.yaml, a sources sheet; header rows frozen, numbers
stored as numbers, fixed timestamps so that two builds of the same data give the same bytes).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from analysis import columns, config

WORKBOOK_YAML = config.REFERENCE_DIR / "workbook.yaml"
LICENSE_FILE = config.ROOT / "LICENSE"
# Workbook creation time: fixed, so a rebuild of the same data is byte-identical.
WORKBOOK_CREATED = dt.datetime(2021, 1, 1, 0, 0, 0)
SOURCE_COLUMNS = (("doc_id", "文档编号"), ("city_label", "城市"), ("kind", "类型"), ("title", "文件标题"),
                  ("doc_number", "文号"), ("issuer", "发文机关"), ("issued_date", "印发日期"),
                  ("published_date", "发布日期"), ("source_url", "来源网址"), ("citation", "引用格式"))

TERMS = """# Terms · 使用条款

This is what we understand the terms to be and how we apply them. It is not legal advice; if you
need certainty for a particular use, ask a lawyer. 以下是我们对相关条款的理解和做法，不构成法律意见。

## Code · 代码

The code of this suite (minzheng-plans) is released under the MIT licence: see `LICENSE`.
代码以 MIT 许可证发布，见 `LICENSE`。

The report pages carry three libraries inline, each with its licence header: plotly.js (MIT),
Apache ECharts (Apache License 2.0) and fflate (MIT, which inflates the pages' compressed scripts and data).
报告页面内嵌 plotly.js（MIT）、Apache ECharts（Apache 2.0）和 fflate（MIT），各自保留许可证声明。

## The plan documents · 规划原文

规划原文由各发文机关发布（见每行的 `issuer`、`source_url`），不属于本项目，本项目也不对其重新授权。

- Government documents. Article 5 of the Copyright Law of the People's Republic of China
  (《中华人民共和国著作权法》第五条, as revised in 2020) says the law does not apply to laws and
  regulations, to the resolutions, decisions and orders of state organs and their other documents of a
  legislative, administrative or judicial nature, or to their official translations. A five-year plan
  issued by a people's government or one of its departments (`kind` = plan) is, in our reading, generally
  such a document; whether a given file is one depends on the file, and we do not claim more than that.
  国家机关发布的规划文件一般属于《著作权法》第五条所列“具有行政性质的文件”，但具体文件是否适用，取决于该文件本身。
- Other publishers. News reports (`kind` = news) and any text a web mirror added remain under their
  publishers' terms: Article 5 leaves out only 单纯事实消息 (mere news of fact), not the reports themselves.
  The cleaning removes what mirrors inject (spam, navigation); the data bundle quotes news reports
  only as far as each value needs, as quotation for comment and research, naming the source every time.
  新闻报道等其他发布者的文本仍受其发布者条款约束；数据包只引用每个数值所需的短句，并注明出处。
- The copies in `data/raw/` are kept, as received, so that every value can be checked and the build
  repeated; they are not part of the data bundle and are not relicensed. A rights holder who wants a file
  removed can open an issue and we will take it out. 权利人如要求删除某份文件，请提交 issue。

## The derived data · 派生数据

The extracted values, their alignment to the indicator registry, the registry itself, the manual
corrections and the citations (targets.csv, targets.parquet, targets.xlsx, this README) are our work
and are made available under the Creative Commons Attribution 4.0 International licence (CC BY 4.0,
https://creativecommons.org/licenses/by/4.0/): reuse and adapt them freely, citing this suite with its
data version and, for each value, the original document (see README.md, "How to cite"). CC BY 4.0
covers our contribution only: the short quotes from the documents keep the status set out above.
派生数据（抽取的数值、指标对齐、指标库、人工校订和引用信息）以 CC BY 4.0 许可发布；其中引用的原文短句保持上文所述的状态。

The values are machine-extracted and may be wrong: read the quality flags (`flags`, the data-quality
report) and check each value against its `quote` before citing it. 数值为机器抽取，引用前请核对原文。
"""


class BundleError(ValueError):
    pass


@lru_cache(maxsize=4)
def workbook_spec(path: Path = WORKBOOK_YAML) -> dict:
    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    for i, sheet in enumerate(spec.get("sheets") or []):
        name = sheet.get("name") or ""
        if not name or len(name) > 31 or re.search(r"[\[\]:*?/\\]", name):
            raise BundleError(f"{Path(path).name}: sheets[{i}] needs a name of at most 31 characters without []:*?/\\")
        if not any(sheet.get(k) for k in ("indicator_ids", "indicator_prefix", "domain")):
            raise BundleError(f"{Path(path).name}: sheets[{i}] ({name}) names no indicator_ids, indicator_prefix or domain")
    return spec


def _blank(v) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _text(v) -> str:
    return "" if _blank(v) else str(v).strip()


def document_citation(doc: dict) -> str:
    """One document's citation, from its sidecar fields; parts a document does not state are left out."""
    title = _text(doc.get("title"))
    head = _text(doc.get("issuer"))
    name = f"《{title}》" if title else f"{_text(doc.get('city_label')) or _text(doc.get('doc_id'))} ({_text(doc.get('kind')) or 'document'}, untitled 无标题)"
    parts = [p for p in (head, name) if p]
    text = ". ".join(parts)
    if _text(doc.get("doc_number")):
        text += f" {_text(doc['doc_number'])}"
    date = _text(doc.get("issued_date")) or _text(doc.get("published_date"))
    text += f". {date}" if date else ". 日期未注明 date not stated"
    if _text(doc.get("source_url")):
        text += f". {_text(doc['source_url'])}"
    return text + "."


def value_citation(row: dict, doc: dict, version: str, built: str) -> str:
    """A value's citation: the quote, where it stands (section, page) and the document, then this suite."""
    where = "; ".join(p for p in (f"章节 section: {_text(row.get('section'))}" if _text(row.get("section")) else "",
                                  f"第 {_text(row.get('page'))} 页 page" if _text(row.get("page")) else "") if p)
    value = ""
    if not _blank(row.get("target_value")):
        cmp = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}.get(_text(row.get("comparator")), "")
        year = f"{int(float(row['target_year']))} " if not _blank(row.get("target_year")) else ""
        value = (f"{_text(row.get('raw_name')) or _text(row.get('indicator_zh'))}, {year}目标 target "
                 f"{cmp}{float(row['target_value']):g}{' ' + _text(row.get('unit')) if _text(row.get('unit')) else ''}: ")
    return (f"{value}「{_text(row.get('quote'))}」 — {document_citation(doc)}" + (f" ({where})" if where else "")
            + f" Extracted by minzheng-plans (民政事业“十四五”规划比较), data version {version}, built {built}.")


def how_to_cite(docs: list[dict], example: dict | None, version: str, built: str) -> str:
    lines = ["## How to cite · 如何引用", "",
             "Cite the original document for a value, and this suite for the extraction, with its data version.",
             f"This bundle: **data version {version}**, **built {built}**. Every row of `targets.csv` carries",
             "the document's `title`, `doc_number` (文号), `issuer`, `issued_date` and `source_url`, the `section`",
             "(heading path) and `page` (PDF documents only) of its quote, and the `quote` itself, so a value can be",
             "cited from the CSV alone; an empty cell means the document does not state it.", "",
             "Documents · 文件:", ""]
    lines += [f"- `{_text(d.get('doc_id'))}`: {document_citation(d)}" for d in docs]
    if example is not None:
        doc = next((d for d in docs if d.get("doc_id") == example.get("doc_id")), {})
        lines += ["", "A value, for example · 示例:", "", "> " + value_citation(example, doc, version, built)]
    lines += ["", "The suite itself: see `CITATION.cff` at the repository root. Licences: `LICENSE` (code, MIT) and",
              "`TERMS.md` (the documents and the derived data).", ""]
    return "\n".join(lines)


def fill_readme(readme_text: str, docs: list[dict], example: dict | None, version: str, built: str) -> str:
    """Replace the README's "How to cite" section (to the end) with the filled one."""
    i = readme_text.find("## How to cite")
    base = readme_text[:i].rstrip() + "\n\n" if i != -1 else readme_text.rstrip() + "\n\n"
    return base + how_to_cite(docs, example, version, built)


# --------------------------------------------------------------------------- workbook


def _cell(ws, r: int, c: int, v, fmt=None) -> None:
    if _blank(v):
        ws.write_blank(r, c, None, fmt)
    elif isinstance(v, bool) or type(v).__name__ == "bool_":
        ws.write_boolean(r, c, bool(v), fmt)
    elif isinstance(v, (int, float)) or type(v).__name__.startswith(("int", "float")):
        ws.write_number(r, c, float(v), fmt)
    else:
        ws.write_string(r, c, str(v), fmt)


def _sheet(wb, name: str, header: list[tuple[str, str]], rows: list[dict], head_fmt) -> None:
    ws = wb.add_worksheet(name)
    for c, (col, zh) in enumerate(header):
        ws.write_string(0, c, zh or col, head_fmt)
        ws.write_string(1, c, col, head_fmt)
        ws.set_column(c, c, 40 if col in ("quote", "citation", "title", "section") else 14)
    for r, row in enumerate(rows, start=2):
        for c, (col, _) in enumerate(header):
            _cell(ws, r, c, row.get(col))
    ws.freeze_panes(2, 0)
    if rows:
        ws.autofilter(1, 0, len(rows) + 1, len(header) - 1)


def sheet_rows(spec: dict, rows: list[dict]) -> list[dict]:
    ids, prefix, domain = set(spec.get("indicator_ids") or []), spec.get("indicator_prefix"), spec.get("domain")
    return [r for r in rows if (_text(r.get("indicator_id")) in ids)
            or (prefix and _text(r.get("indicator_id")).startswith(prefix)) or (domain and _text(r.get("domain")) == domain)]


def write_workbook(path: Path, targets: list[dict], docs: list[dict], cols: list[str]) -> Path:
    import xlsxwriter

    spec = workbook_spec()
    labels = spec.get("labels_zh") or {}
    header = [(c, labels.get(c, "")) for c in cols]
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False, "nan_inf_to_errors": True})
    wb.set_properties({"title": "民政事业“十四五”规划指标 targets", "author": "minzheng-plans",
                       "created": WORKBOOK_CREATED, "comments": "targets.csv as a workbook; see README.md"})
    head = wb.add_format({"bold": True, "bg_color": "#EEEEEE", "bottom": 1})
    _sheet(wb, "全部指标 all targets", header, targets, head)
    for s in spec.get("sheets") or []:
        _sheet(wb, s["name"], header, sheet_rows(s, targets), head)
    sources = [{**d, "citation": document_citation(d)} for d in docs]
    _sheet(wb, "来源 sources", list(SOURCE_COLUMNS), sources, head)
    wb.close()
    os.replace(tmp, path)
    return path


# --------------------------------------------------------------------------- entry point


def pick_example(targets: list[dict]) -> dict | None:
    """The row the README cites as an example: a preferred numeric target of a titled, dated document
    (an indicator-table row when there is one, then one whose section, URL and 文号 are known); else the first row."""
    def score(r) -> tuple:
        return (not r.get("preferred"), _blank(r.get("target_value")), not _text(r.get("title")),
                not _text(r.get("issued_date")), _text(r.get("source_kind")) != "table",
                not _text(r.get("section")), not _text(r.get("source_url")), not _text(r.get("doc_number")))
    return min(targets, key=score) if targets else None


def write_bundle(db_path: Path, data_dir: Path, readme_text: str, version: str, built: str | None = None) -> list[Path]:
    """Write README.md (how to cite filled in), LICENSE, TERMS.md and targets.xlsx; return the files."""
    from analysis.warehouse.db import connect

    data_dir = Path(data_dir)
    built = built or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cols = columns.column_names("targets")
    con = connect(Path(db_path))
    try:
        have = {r[0] for r in con.execute("DESCRIBE targets").fetchall()}
        sel = ", ".join(f'"{c}"' for c in cols if c in have)
        order = 'doc_id, indicator_id NULLS LAST, scope NULLS FIRST, target_year NULLS FIRST, baseline_year NULLS FIRST, source_kind, raw_name, start'
        targets = con.execute(f"SELECT {sel} FROM targets ORDER BY {order}").df().to_dict("records")
        docs = con.execute("SELECT * EXCLUDE (text) FROM documents ORDER BY doc_id").df().to_dict("records")
    finally:
        con.close()
    cols = [c for c in cols if c in have]
    example = pick_example(targets)
    readme = data_dir / "README.md"
    readme.write_text(fill_readme(readme_text, docs, example, version, built), encoding="utf-8")
    written = [readme]
    if LICENSE_FILE.exists():
        (data_dir / "LICENSE").write_text(LICENSE_FILE.read_text(encoding="utf-8"), encoding="utf-8")
        written.append(data_dir / "LICENSE")
    (data_dir / "TERMS.md").write_text(TERMS, encoding="utf-8")
    written.append(data_dir / "TERMS.md")
    written.append(write_workbook(data_dir / "targets.xlsx", targets, docs, cols))
    return written
