"""Generate N realistic plan documents for the national-scale benchmark (deterministic from a seed).

Each document is made from the seed layouts: a notice header (sometimes behind a web portal's
breadcrumb and metadata block), chapters padded with paragraphs taken from the seeds' prose, an
indicator table in one of the layouts the extractor reads, and prose targets (`到2025年，…达到60%以上`,
`…分别达到30%、50%以上`, 2021/2022 milestones). Tables are shuffled and perturbed:

- `pipe`      rows like seed 001 (`1 | 名称 | % | 76 | ≥90 | 预期性 |`), blank unit cells, `——`
- `cells`     one cell per line like seeds 002/004: labels split over two lines, a domain cell only on
              a group's first row, missing unit cells, blank baseline cells, sometimes no 2020 column
- `markdown`  pipe tables with a separator row and the columns in a shuffled order
- `html`      `<table>` with a two-row header (colspan) and a domain column merged by rowspan

Web-copy damage: traditional characters (OpenCC s2t) with injected pinyin (`實現(xiàn)`), gambling
spam in place of 人民政府, CRLF line ends, 004-style indented cells, and mixed encodings (utf-8,
utf-8-sig, gb18030, big5 for traditional text, utf-16). Raw files are 5–100 KB as encoded.

File types (`--formats`, bench/formats.py): by default text copies (.txt) and web pages (.html); with
`pdf` / `docx` most non-HTML documents become the PDF or Word attachment a government site publishes
(the same text, so the same truth), in the shares `formats.SHARES` gives.

Beside the documents: a sidecar `<doc_id>.meta.yml` per document and `truth.json` (per document:
the table rows and the prose targets it states), so extraction recall can be measured at scale.
Generated files never go into data/raw/. Same seed → same bytes.

    python bench/generate_corpus.py --n 300 --seed 1 --out .cache/bench/n300
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import random
import re
import sys
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.formats import SHARES, TEXT_FORMATS, parse_formats, to_docx, to_pdf  # noqa: E402

MIN_BYTES, MAX_BYTES = 5 * 1024, 100 * 1024
LAYOUTS = ("pipe", "cells", "markdown", "html")
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "big5", "utf-16")

SYLLABLES = list("安宝北滨昌城川丹德东恩丰福阜广海汉和河衡红湖华淮黄惠吉济嘉江金晋京靖九开康兰乐丽连辽林临柳龙隆鲁禄洛满茂梅蒙"
                 "绵明南宁平普齐青清庆泉荣瑞山商上韶绍深沈石寿舒双顺朔松苏绥泰唐天铁通桐潼万威潍渭文乌武西锡仙湘襄孝新信兴"
                 "邢秀徐许宣雅延盐阳伊宜义益永榆玉元岳云枣湛张昭肇镇郑中舟株淄遵")
# suffix, admin level, weight (市 is a prefecture city or a county-level city)
SUFFIXES = [("市", "prefecture", 30), ("市", "county", 12), ("县", "county", 35), ("区", "county", 20), ("旗", "county", 4),
            ("盟", "prefecture", 1)]
PROVINCES = ["河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省",
             "湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "宁夏回族自治区"]
MUNICIPALITIES = ["重庆市", "北京市", "天津市", "上海市"]
SPAM = ["365网站是正规平台吗_365bet足球网_bt365博彩", "bet365体育在线投注_365bet官网_365bet娱乐场",
        "365bet体育投注_365bet亚洲版_bet365娱乐"]
PINYIN = {"現": "xiàn", "務": "wù", "區": "qū", "養": "yǎng", "設": "shè", "發": "fā", "業": "yè", "進": "jìn", "構": "gòu",
          "節": "jié", "鄉": "xiāng", "規": "guī", "標": "biāo", "農": "nóng", "準": "zhǔn", "導": "dǎo", "處": "chù",
          "礎": "chǔ", "數": "shù", "範": "fàn"}
VALUE_RANGES = {"%": (30, 100), "‰": (1, 8), "人": (200, 5000), "个": (50, 800), "平方米": (20, 40), "万元": (1000, 9000),
                "家": (5, 120)}
ATTRS = ["约束性", "预期性"]
QUALITATIVE = ["不低于上年度居民人均消费支出增速", "与经济社会发展水平相适应", "不低于居民上年度人均消费支出增速"]
EMPTY = ["——", "——", "—", "/"]
LABELS = {
    "seq": ["序号"], "domain": ["领域", "类别"], "name": ["主要指标", "指标名称", "指标"], "unit": ["单位", "计量单位"],
    "baseline": ["2020年", "2020年基期值", "2020年实际值", "“十三五”末"], "target": ["2025年", "2025年目标值", "2025年目标"],
    "attribute": ["指标属性", "属性", "指标性质"], "note": ["备注"],
}


# ---------------------------------------------------------------- inputs taken from the repository
@lru_cache(maxsize=1)
def load_indicators() -> tuple[dict, ...]:
    """Registry indicators a table can state: id, domain, unit and the names documents use."""
    doc = yaml.safe_load((ROOT / "data/reference/indicators.yaml").read_text(encoding="utf-8"))
    out = []
    for ind in doc["indicators"]:
        if ind.get("kind") == "level" or ind["unit"] not in VALUE_RANGES:
            continue
        names = [ind["name_zh"]] + [a for a in ind.get("aliases") or [] if isinstance(a, str) and len(a) > 5]
        out.append({"id": ind["id"], "domain": ind["domain"], "unit": ind["unit"], "kind": ind.get("kind"),
                    "names": names})
    return tuple(out)


@lru_cache(maxsize=1)
def load_padding() -> tuple[str, ...]:
    """Prose paragraphs of the seeds with no year or percentage in them (so padding states no target)."""
    from analysis.clean import clean_document

    paras = []
    for p in sorted((ROOT / "data/raw").glob("*.txt")):
        text = clean_document(p.read_bytes(), name=p.name).text
        for line in text.split("\n"):
            line = line.strip()
            if len(line) > 60 and "|" not in line and not re.search(r"\d{4}年|\d+(\.\d+)?\s*[%％]|百分之", line):
                paras.append(line)
    return tuple(paras)


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


# ---------------------------------------------------------------- names
def city_names(n: int, seed: int) -> list[tuple[str, str, str]]:
    """n distinct (city, province, admin_level), deterministic from the seed."""
    rng = random.Random(f"cities:{seed}")
    seen, out = set(), []
    weights = [w for *_, w in SUFFIXES]
    while len(out) < n:
        suffix, level, _ = rng.choices(SUFFIXES, weights)[0]
        base = "".join(rng.sample(SYLLABLES, rng.choice([2, 2, 2, 3])))
        if suffix in ("旗", "盟"):
            province = "内蒙古自治区"
        elif suffix == "区" and rng.random() < 0.3:
            province = rng.choice(MUNICIPALITIES)
        else:
            province = rng.choice(PROVINCES)
        if suffix == "区":  # a district is named with its city: 重庆市永川区
            parent = province if province in MUNICIPALITIES else "".join(rng.sample(SYLLABLES, 2)) + "市"
            city = parent + base + "区"
        else:
            city = base + suffix
        if city not in seen:
            seen.add(city)
            out.append((city, province, level))
    return out


# ---------------------------------------------------------------- table content
def table_rows(rng: random.Random) -> list[dict]:
    rows = []
    for ind in rng.sample(load_indicators(), rng.randint(8, 18)):
        unit = ind["unit"]
        lo, hi = VALUE_RANGES[unit]
        base = round(rng.uniform(lo, hi * 0.8), rng.choice([0, 0, 1]) if unit in ("%", "‰", "平方米") else 0)
        target = float(round(min(hi if unit in ("%", "‰") else hi * 2, base * rng.uniform(1.05, 1.6)), 0))
        row = {"indicator_id": ind["id"], "name": rng.choice(ind["names"]), "domain": ind["domain"], "unit": unit,
               "baseline": float(base) if rng.random() > 0.25 else None, "target": target,
               "comparator": rng.choice(["=", ">=", ">="]), "attribute": rng.choice(ATTRS)}
        if ind["kind"] == "growth" or rng.random() < 0.04:
            row.update(baseline=None, target=None, comparator="qualitative", text=rng.choice(QUALITATIVE))
        rows.append(row)
    return rows


def _fmt(v: float) -> str:
    return f"{v:g}"


def target_cell(r: dict, rng: random.Random) -> str:
    if r["comparator"] == "qualitative":
        return r["text"]
    v = _fmt(r["target"]) + ("%" if r["unit"] == "%" and rng.random() < 0.1 else "")
    if r["comparator"] == ">=":
        return rng.choice(["≥{}", "≥{}", "{}以上"]).format(v)
    return v


def baseline_cell(r: dict, rng: random.Random, blank: bool = False) -> str:
    if r["baseline"] is None:
        return "" if blank else rng.choice(EMPTY)
    return _fmt(r["baseline"])


def choose_columns(rng: random.Random, layout: str) -> list[str]:
    cols = ["seq", "domain", "name", "unit", "baseline", "target", "attribute"]
    if rng.random() < 0.6:
        cols.remove("domain")
    if layout == "cells" and rng.random() < 0.25:  # seed 002 states only 2025 targets
        cols.remove("baseline")
    if layout == "markdown":
        if rng.random() < 0.5:
            cols.remove("seq")
        cols.append("note")
        rng.shuffle(cols)
    return cols


def render_table(rng: random.Random, rows: list[dict], layout: str) -> str:
    cols = choose_columns(rng, layout)
    labels = {c: rng.choice(LABELS[c]) for c in cols}
    if "domain" in cols:  # grouped by domain, as real tables are
        order = list(dict.fromkeys(r["domain"] for r in rows))
        rows.sort(key=lambda r: order.index(r["domain"]))
    first_of_group = [i == 0 or rows[i - 1]["domain"] != r["domain"] for i, r in enumerate(rows)]

    def cell(c: str, i: int, r: dict, blank_baseline: bool = False) -> str:
        if c == "seq":
            return str(i + 1)
        if c == "domain":
            return r["domain"]
        if c == "name":
            return r["name"]
        if c == "unit":
            return r["unit"] or ""
        if c == "baseline":
            return baseline_cell(r, rng, blank_baseline)
        if c == "target":
            return target_cell(r, rng)
        if c == "attribute":
            return r["attribute"]
        return ""

    for r in rows:  # a few rows lose their unit, as in real tables; the truth is what the table states
        if rng.random() < 0.06:
            r["unit"] = None
        if "baseline" not in cols:
            r["baseline"] = None
    if layout == "pipe":
        lines = [" | ".join(labels[c] for c in cols) + " |"]
        repeat_domain = rng.random() < 0.5
        for i, r in enumerate(rows):
            cells = [cell(c, i, r) if c != "domain" or repeat_domain or first_of_group[i] else "" for c in cols]
            lines.append(" | ".join(cells) + " |")
        return "\n".join(lines)
    if layout == "markdown":
        lines = ["| " + " | ".join(labels[c] for c in cols) + " |", "|" + "|".join(" --- " for _ in cols) + "|"]
        lines += ["| " + " | ".join(cell(c, i, r) for c in cols) + " |" for i, r in enumerate(rows)]
        return "\n".join(lines)
    if layout == "cells":
        head = []
        for c in cols:
            lab = labels[c]
            head += [lab[:2], lab[2:]] if len(lab) == 4 and lab.startswith("指标") and rng.random() < 0.4 else [lab]
        cells = list(head)
        for i, r in enumerate(rows):
            for c in cols:
                if c == "domain" and not first_of_group[i]:
                    continue
                if c == "unit" and not r["unit"]:
                    if rng.random() < 0.5:
                        continue  # the cell is missing altogether
                    cells.append("\u00a0")
                    continue
                if c == "baseline" and r["baseline"] is None and rng.random() < 0.4:
                    cells.append("\u00a0")
                    continue
                cells.append(cell(c, i, r))
        return "\n\n".join(cells)
    # html: two header rows, values under a colspan, domain merged by rowspan
    value_cols = [c for c in cols if c in ("baseline", "target")]
    top = "".join(f'<th rowspan="2">{labels[c]}</th>' if c not in value_cols else
                  (f'<th colspan="{len(value_cols)}">指标值</th>' if c == value_cols[0] else "") for c in cols)
    sub = "".join(f"<th>{labels[c]}</th>" for c in value_cols)
    body = []
    for i, r in enumerate(rows):
        tds = []
        for c in cols:
            if c == "domain":
                if not first_of_group[i]:
                    continue
                span = 1
                while i + span < len(rows) and not first_of_group[i + span]:
                    span += 1
                tds.append(f'<td rowspan="{span}">{r["domain"]}</td>' if span > 1 else f"<td>{r['domain']}</td>")
            else:
                tds.append(f"<td>{cell(c, i, r)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return f'<table border="1"><tr>{top}</tr><tr>{sub}</tr>' + "".join(body) + "</table>"


# ---------------------------------------------------------------- prose targets
def prose_targets(rng: random.Random, rows: list[dict]) -> tuple[list[str], list[dict]]:
    """Sentences stating targets, and what each states (year, value) for prose recall."""
    sentences, truth = [], []
    pct = [r for r in rows if r["comparator"] != "qualitative" and r["unit"] == "%"]
    for r in rng.sample(pct, min(len(pct), rng.randint(1, 4))):
        v = r["target"] if rng.random() > 0.05 else r["target"] - 5  # now and then prose and table disagree
        sentences.append(rng.choice(["到2025年，{n}达到{v}%以上。", "“十四五”末，全市{n}不低于{v}%。",
                                     "力争到2025年{n}达到{v}%。"]).format(n=r["name"], v=_fmt(v)))
        truth.append({"name": r["name"], "target_year": 2025, "value": v})
    if rng.random() < 0.5:
        v = float(rng.choice([55, 60, 65, 70]))
        sentences.append(f"到2025年，养老机构护理型床位占比达到{_fmt(v)}%以上。")
        truth.append({"name": "养老机构护理型床位占比", "target_year": 2025, "value": v})
    a, b = float(rng.randint(60, 80)), float(rng.randint(81, 95))
    sentences.append(f"到2021年，全市新增骨灰节地生态安葬比例达到{_fmt(a)}%以上；到2022年，全市新增骨灰节地生态安葬比例达到{_fmt(b)}%以上。")
    truth += [{"name": "节地生态安葬比例", "target_year": 2021, "value": a},
              {"name": "节地生态安葬比例", "target_year": 2022, "value": b}]
    u, rural = float(rng.randint(25, 35)), float(rng.randint(40, 55))
    sentences.append(f"到“十四五”末，城乡低保标准分别达到上年度居民人均消费支出的{_fmt(u)}%、{_fmt(rural)}%以上。")
    truth += [{"name": "城市低保标准占人均消费支出比例", "target_year": 2025, "value": u},
              {"name": "农村低保标准占人均消费支出比例", "target_year": 2025, "value": rural}]
    return sentences, truth


# ---------------------------------------------------------------- one document
def _date(rng: random.Random, start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(days))


def choose_format(i: int, seed: int, layout: str, formats: tuple[str, ...]) -> str:
    """The file type of document i: html pages stay html; the rest are drawn by the shares of `formats`
    (own random stream, so text-only corpora keep their bytes)."""
    if layout == "html" and "html" in formats:
        return "html"
    others = [f for f in formats if f != "html"] or ["txt"]
    return random.Random(f"fmt:{seed}:{i}").choices(others, [SHARES[f] for f in others])[0]


def make_document(i: int, seed: int, city: str, province: str, level: str,
                  formats: tuple[str, ...] = TEXT_FORMATS) -> tuple[str, bytes, dict, dict]:
    """One generated document: (file name, raw bytes, sidecar, truth)."""
    rng = random.Random(f"doc:{seed}:{i}")
    padding = load_padding()
    doc_id = f"gen{i:05d}"
    layout = rng.choice(LAYOUTS)
    fmt = choose_format(i, seed, layout, formats)
    if fmt == "pdf":
        layout = "cells"  # a ruled table comes out of a PDF one cell per line
    elif layout == "html" and fmt != "html":
        layout = "pipe"
    traditional = rng.random() < 0.25
    pinyin = traditional and rng.random() < 0.5
    spam = rng.choice(SPAM) if rng.random() < 0.2 else None
    indent = layout == "cells" and rng.random() < 0.4 or traditional and layout != "html" and rng.random() < 0.3
    crlf = layout != "html" and rng.random() < 0.15
    enc = rng.choices(["utf-8", "utf-8-sig", "gb18030", "utf-16"], [60, 10, 20, 10])[0]
    if traditional and not pinyin and rng.random() < 0.7:
        enc = "big5"  # Taiwan-standard characters (s2tw): big5 has 為, 群, 眾, not OpenCC's 爲, 羣, 衆
    if fmt in ("pdf", "docx"):
        enc, crlf = "utf-8", False  # the text inside a PDF or Word file is Unicode

    gov = spam or "人民政府"
    short = re.sub(r"^(.+?[市盟])(.+[区])$", r"\2", city)[:2]
    issued = _date(rng, dt.date(2021, 6, 1), 560)
    published = issued + dt.timedelta(days=rng.randrange(0, 21))
    doc_number = f"{short}{rng.choice(['府办发', '政办发', '民发', '政发'])}〔{issued.year}〕{rng.randint(1, 99)}号"
    issuer = f"{city}人民政府办公室" if rng.random() < 0.6 else f"{city}民政局"
    title = rng.choice([f"{city}民政事业发展“十四五”规划", f"{city}“十四五”民政事业发展规划"])
    rows = table_rows(rng)
    table = render_table(rng, rows, layout)
    sentences, prose_truth = prose_targets(rng, rows)

    head = []
    if rng.random() < 0.3:  # a web portal's breadcrumb and metadata block
        head += [f"您现在所在的位置: 网站首页 > 政务公开 > {issuer} > 专项规划",
                 f"索引号: {rng.randint(10**17, 10**18 - 1)}/{issued.year}-{rng.randint(1, 999):05d}",
                 f"发布机构: {issuer.replace('人民政府', gov)}",
                 f"成文日期: {issued.isoformat()} 发布日期: {published.isoformat()}"]
    head += [f"{city}{gov}办公室关于印发{title}的通知", doc_number,
             f"各{rng.choice(['乡镇人民政府、街道办事处', '县（市、区）人民政府', '苏木乡镇人民政府'])}，{city}{gov}各部门：",
             f"《{title}》已经{city}{gov}同意，现印发给你们，请认真贯彻执行。", title, "第一章 发展基础"]
    goals = ["第二章 “十四五”时期的总体要求", "第三节 发展目标", sentences[0],
             rng.choice(["专栏1 “十四五”时期民政事业主要发展指标", f"{city}“十四五”时期民政事业主要发展指标"]), table,
             "第三章 “十四五”时期的主要任务"]
    tasks, last = sentences[1:], ["第四章 保障措施"]

    def finish(block: str) -> str:
        if not traditional:
            return block
        t = _converter("s2tw" if enc == "big5" else "s2t").convert(block)
        return "".join(c + f"({PINYIN[c]})" if c in PINYIN and rng.random() < 0.6 else c for c in t) if pinyin else t

    def lay_out(block: str, is_table: bool = False) -> str:
        if layout == "html":
            return block if is_table else "".join(f"<p>{line}</p>" for line in block.split("\n"))
        if indent:
            return "\n".join("      " + line if line else line for line in block.split("\n"))
        return block

    sep = "" if layout == "html" else "\n\n" if indent else "\n"
    nl = "\r\n" if crlf else "\n"

    big5_swaps = str.maketrans({"≥": "≧", "≤": "≦", "\u00a0": "\u3000"})  # big5 has no ≥, ≤ or no-break space

    def encoded(s: str) -> int:
        return len(s.replace("\n", nl).encode("utf-16-le" if enc == "utf-16" else enc))

    def render(b: str, is_table: bool = False) -> tuple[str, int]:
        out = lay_out(finish(b), is_table)
        if enc == "big5":
            out = out.translate(big5_swaps)
        return out, encoded(out) + encoded(sep)

    fixed = [(b, False) for b in head] + [(b, b is table) for b in goals] + [(b, False) for b in tasks + last]
    try:
        rendered = {id(b): render(b, t) for b, t in fixed}
    except UnicodeEncodeError:  # a character big5 lacks: such pages are saved as gb18030
        enc = "gb18030"
        rendered = {id(b): render(b, t) for b, t in fixed}
    size = sum(cost for _, cost in rendered.values()) + (400 if layout == "html" else 0)  # + the page around
    target = math.exp(rng.uniform(math.log(MIN_BYTES * 1.05), math.log(MAX_BYTES * 0.95)))
    pads: list[tuple[str, int]] = []
    while size < target:
        try:
            piece = render(rng.choice(padding))
        except UnicodeEncodeError:
            continue
        if size + piece[1] > MAX_BYTES * 0.98:
            break
        pads.append(piece)
        size += piece[1]
    # spread the padding over the chapters: background, tasks (between prose targets), safeguards
    k1, k2 = int(len(pads) * 0.35), int(len(pads) * 0.45)
    body_pads, task_pads, tail_pads = pads[:k1], pads[k1:k1 + k2], pads[k1 + k2:]
    tasks_mixed: list[tuple[str, int]] = []
    step = max(1, len(task_pads) // (len(tasks) + 1))
    for j, s in enumerate(tasks):
        tasks_mixed += task_pads[j * step:(j + 1) * step] + [rendered[id(s)]]
    tasks_mixed += task_pads[len(tasks) * step:]
    charset = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "gb18030": "gbk", "big5": "big5", "utf-16": "utf-16"}[enc]
    page_title = finish(title)

    def assemble() -> bytes:
        pieces = ([rendered[id(b)] for b in head] + body_pads + [rendered[id(b)] for b in goals] + tasks_mixed
                  + [rendered[id(b)] for b in last] + tail_pads)
        text = sep.join(t for t, _ in pieces)
        if layout == "html":
            text = (f"<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{page_title}</title>"
                    "<script>var _hmt=_hmt||[];</script><style>td{border:1px solid #ccc}</style></head><body>"
                    f"<div class=\"article\">{text}</div></body></html>")
        return text.replace("\n", nl).encode(enc)

    data = assemble()
    while len(data) < MIN_BYTES:  # the estimate was short: one more paragraph at the end
        try:
            tail_pads.append(render(rng.choice(padding)))
        except UnicodeEncodeError:
            continue
        data = assemble()
    while len(data) > MAX_BYTES and (tail_pads or body_pads):
        (tail_pads or body_pads).pop()
        data = assemble()
    assert MIN_BYTES <= len(data) <= MAX_BYTES, (doc_id, len(data))

    if fmt == "pdf":
        data = to_pdf(data.decode(enc), title)
    elif fmt == "docx":
        data = to_docx(data.decode(enc), title)
    name = f"{doc_id}.{fmt}"
    damage = [w for w, on in (("traditional", traditional), ("pinyin", pinyin), ("spam", spam), ("indented", indent),
                              ("crlf", crlf)) if on]
    meta = {"doc_id": doc_id, "file": name, "city": city, "province": province, "admin_level": level, "kind": "plan",
            "title": title, "doc_number": doc_number, "issuer": issuer, "issued_date": issued,
            "published_date": published, "language_variant": "traditional" if traditional else "simplified",
            "source_url": None, "sha256": hashlib.sha256(data).hexdigest(),
            "notes": f"generated for the benchmark (seed {seed}): layout={layout} encoding={enc}"
                     + (f" damage={','.join(damage)}" if damage else "")}
    truth = {"format": fmt, "layout": layout, "encoding": enc, "variant": meta["language_variant"], "damage": damage,
             "rows": rows, "prose": prose_truth}
    return name, data, meta, truth


def generate(n: int, seed: int, out: Path, formats: tuple[str, ...] = TEXT_FORMATS) -> Path:
    """Write n documents, their sidecars and `truth.json` into `out` (created if needed). `formats` are the
    file types to mix (bench/formats.py: txt, html, pdf, docx)."""
    out = Path(out)
    if out.resolve().is_relative_to((ROOT / "data").resolve()):
        raise ValueError(f"{out}: generated documents never go under data/")
    out.mkdir(parents=True, exist_ok=True)
    truth = {}
    for i, (city, province, level) in enumerate(city_names(n, seed)):
        name, data, meta, t = make_document(i, seed, city, province, level, formats)
        (out / name).write_bytes(data)
        (out / f"{meta['doc_id']}.meta.yml").write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        truth[meta["doc_id"]] = t
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")
    return out


def fingerprint() -> str:
    """Changes whenever the generator or its inputs change (names the benchmark's corpus cache)."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update((ROOT / "bench/formats.py").read_bytes())
    h.update((ROOT / "data/reference/indicators.yaml").read_bytes())
    for p in sorted((ROOT / "data/raw").glob("*.txt")):
        h.update(p.read_bytes())
    return h.hexdigest()[:10]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=300, help="number of documents (default: %(default)s)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    p.add_argument("--out", required=True, help="output folder (never under data/)")
    p.add_argument("--formats", default=",".join(TEXT_FORMATS),
                   help="file types to mix, comma-separated from txt,html,pdf,docx, or `all` that this machine can "
                        "make (default: %(default)s); shares in bench/formats.py")
    args = p.parse_args(argv)
    try:
        formats = parse_formats(args.formats)
    except ValueError as exc:
        p.error(str(exc))
    out = generate(args.n, args.seed, Path(args.out), formats)
    print(f"wrote {args.n} documents, sidecars and truth.json to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
