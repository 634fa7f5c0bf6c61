"""Generate N realistic plan documents for the national-scale benchmark (deterministic from a seed).

Documents are made from the seed layouts: an indicator table in one of the layouts the extractor
reads (pipe rows, one cell per line with blank cells and missing units, markdown with reordered
columns, HTML with rowspan/colspan), prose targets, padding paragraphs taken from the seeds, and
web-copy damage (traditional characters with injected pinyin, gambling spam in 人民政府, mixed
encodings). Each document gets a sidecar; `truth.json` lists the table rows each one states, so
extraction recall can be measured at scale. Generated files never go into data/raw/.

    python bench/generate_corpus.py --n 300 --seed 1 --out .cache/bench/n300
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.clean import clean_document  # noqa: E402

SYLLABLES = list("安宝北滨昌城川丹德东恩丰福阜广海汉和河衡红湖华淮黄惠吉济嘉江金晋京靖九开康兰乐丽连辽林临柳龙隆鲁禄洛满茂梅蒙"
                 "绵明南宁平普齐青清庆泉荣瑞山商上韶绍深沈石寿舒双顺朔松苏绥泰唐天铁通桐潼万威潍渭文乌武西锡仙湘襄孝新信兴"
                 "邢秀徐许宣雅延盐阳伊宜义益永榆玉元岳云枣湛张昭肇镇郑中舟株淄遵")
SUFFIXES = [("市", "prefecture"), ("市", "prefecture"), ("县", "county"), ("区", "county"), ("旗", "county"), ("盟", "prefecture")]
PROVINCES = ["河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省",
             "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省"]
SPAM = "365网站是正规平台吗_365bet足球网_bt365博彩"
PINYIN = {"現": "xiàn", "務": "wù", "區": "qū", "養": "yǎng", "設": "shè", "發": "fā", "業": "yè", "進": "jìn", "構": "gòu",
          "節": "jié", "鄉": "xiāng", "規": "guī", "標": "biāo", "農": "nóng", "準": "zhǔn", "導": "dǎo"}
UNITS = {"%": (30, 100), "人": (200, 5000), "个": (50, 800), "平方米": (20, 40), "万元": (1000, 9000), "家": (5, 120)}
ATTRS = ["约束性", "预期性"]
QUALITATIVE = ["不低于上年度居民人均消费支出增速", "与经济社会发展水平相适应", "不低于居民上年度人均消费支出增速"]


def load_indicators() -> list[tuple[str, str]]:
    doc = yaml.safe_load((ROOT / "data/reference/indicators.yaml").read_text(encoding="utf-8"))
    out = []
    for ind in doc["indicators"]:
        if ind.get("kind") in ("level",) or ind["unit"] == "元":
            continue
        names = [ind["name_zh"]] + [a for a in ind.get("aliases") or [] if isinstance(a, str) and len(a) > 5]
        for n in names:
            out.append((n, ind["unit"] if ind["unit"] in UNITS else "%"))
    return out


def load_padding() -> list[str]:
    paras = []
    for p in sorted((ROOT / "data/raw").glob("*.txt")):
        text = clean_document(p.read_bytes(), name=p.name).text
        for line in text.split("\n"):
            if len(line) > 60 and "|" not in line and not re.search(r"\d{4}年|\d+%", line):
                paras.append(line)
    return paras


def city_name(rng: random.Random) -> tuple[str, str]:
    suffix, level = rng.choice(SUFFIXES)
    return "".join(rng.sample(SYLLABLES, rng.choice([2, 2, 3]))) + suffix, level


def table_rows(rng: random.Random, indicators) -> list[dict]:
    rows = []
    for name, unit in rng.sample(indicators, rng.randint(8, 18)):
        lo, hi = UNITS[unit]
        base = round(rng.uniform(lo, hi * 0.8), rng.choice([0, 0, 1]))
        target = round(min(hi if unit == "%" else hi * 2, base * rng.uniform(1.05, 1.6)), 0)
        row = {"name": name, "unit": unit, "baseline": base if rng.random() > 0.25 else None,
               "target": target, "comparator": rng.choice(["=", ">=", ">="]), "attribute": rng.choice(ATTRS)}
        if name.endswith("增速") or rng.random() < 0.05:
            row.update(target=None, comparator="qualitative", text=rng.choice(QUALITATIVE), unit="%")
        if rng.random() < 0.08:
            row["unit"] = None  # a row with no unit, as in real tables
        rows.append(row)
    return rows


def _target_cell(r: dict) -> str:
    if r["comparator"] == "qualitative":
        return r["text"]
    return ("≥" if r["comparator"] == ">=" else "") + f"{r['target']:g}"


def _base_cell(r: dict) -> str:
    return "——" if r["baseline"] is None else f"{r['baseline']:g}"


def render_table(rng: random.Random, rows: list[dict], layout: str) -> str:
    if layout == "pipe":
        lines = ["序号 | 主要指标 | 单位 | 2020年 | 2025年 | 指标属性 |"]
        lines += [f"{i} | {r['name']} | {r['unit'] or ''} | {_base_cell(r)} | {_target_cell(r)} | {r['attribute']} |"
                  for i, r in enumerate(rows, 1)]
        return "\n".join(lines)
    if layout == "cells":
        cells = ["序号", "主要指标", "单位", "2020年实际值", "2025年目标值", "指标属性"]
        for i, r in enumerate(rows, 1):
            cells += [str(i), r["name"]] + ([r["unit"]] if r["unit"] else []) + [
                "\u00a0" if r["baseline"] is None and rng.random() < 0.5 else _base_cell(r), _target_cell(r), r["attribute"]]
        return "\n\n".join(cells)
    if layout == "markdown":
        head = "| 指标名称 | 属性 | 2025年目标 | 2020年基数 | 计量单位 | 备注 |\n| --- | --- | --- | --- | --- | --- |"
        body = [f"| {r['name']} | {r['attribute']} | {_target_cell(r)} | {_base_cell(r)} | {r['unit'] or ''} | |" for r in rows]
        return head + "\n" + "\n".join(body)
    head = ('<table><tr><th rowspan="2">序号</th><th rowspan="2">主要指标</th><th rowspan="2">单位</th>'
            '<th colspan="2">指标值</th><th rowspan="2">指标属性</th></tr><tr><th>2020年</th><th>2025年</th></tr>')
    body = "".join(f"<tr><td>{i}</td><td>{r['name']}</td><td>{r['unit'] or ''}</td><td>{_base_cell(r)}</td>"
                   f"<td>{_target_cell(r)}</td><td>{r['attribute']}</td></tr>" for i, r in enumerate(rows, 1))
    return head + body + "</table>"


def prose(rng: random.Random, rows: list[dict]) -> list[str]:
    out = []
    for r in rng.sample(rows, min(len(rows), rng.randint(2, 6))):
        if r["comparator"] == "qualitative" or r["unit"] != "%":
            continue
        out.append(rng.choice(["到2025年，{n}达到{v}%以上。", "“十四五”末，全市{n}不低于{v}%。", "力争到2025年{n}达到{v}%。"])
                   .format(n=r["name"], v=f"{r['target']:g}"))
    out.append(f"到2021年，全市火化率达到{rng.randint(60, 90)}%以上；到2022年达到{rng.randint(91, 100)}%。")
    out.append(f"到“十四五”末，城乡低保标准分别达到上年度人均消费性支出的{rng.randint(25, 35)}%、{rng.randint(40, 55)}%以上。")
    return out


def to_traditional(text: str, rng: random.Random, pinyin: bool) -> str:
    import opencc

    t = opencc.OpenCC("s2t").convert(text)
    if pinyin:
        t = "".join(c + f"({PINYIN[c]})" if c in PINYIN and rng.random() < 0.6 else c for c in t)
    return t


def make_document(i: int, seed: int, indicators, padding) -> tuple[str, bytes, dict, dict]:
    rng = random.Random(seed * 1_000_003 + i)
    city, level = city_name(rng)
    province = rng.choice(PROVINCES)
    layout = rng.choice(["pipe", "cells", "markdown", "html"])
    rows = table_rows(rng, indicators)
    gov = SPAM if rng.random() < 0.2 else "人民政府"
    title = f"{city}民政事业发展“十四五”规划"
    parts = [f"{city}{gov}办公室关于印发{title}的通知", f"{city[:2]}府办发〔2022〕{rng.randint(1, 99)}号", title,
             "第一章 发展基础"]
    target_kb = math.exp(rng.uniform(math.log(5), math.log(100)))
    body = rng.sample(padding, min(len(padding), 6))
    parts += body
    parts += ["第二章 发展目标", "“十四五”时期民政事业主要发展指标", render_table(rng, rows, layout), "第三章 主要任务"]
    parts += prose(rng, rows)
    text = "\n".join(parts)
    while len(text.encode("utf-8")) < target_kb * 1024:
        text += "\n" + rng.choice(padding)
    traditional = rng.random() < 0.25
    if traditional:
        text = to_traditional(text, rng, pinyin=rng.random() < 0.5)
    if layout == "html":
        text = "<html><head><meta charset='utf-8'><script>var x=1;</script></head><body>" + "".join(
            p if p.startswith("<table") else f"<p>{p}</p>" for p in text.split("\n")) + "</body></html>"
    enc = rng.choices(["utf-8", "utf-8-sig", "gb18030", "utf-16"], [60, 10, 20, 10])[0]
    if traditional and rng.random() < 0.5:
        enc = "big5"
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        enc, data = "utf-8", text.encode("utf-8")
    name = f"gen{i:05d}.{'html' if layout == 'html' else 'txt'}"
    meta = {"doc_id": f"gen{i:05d}", "file": name, "city": city, "province": province, "admin_level": level, "kind": "plan",
            "title": title, "period": "2021-2025", "language_variant": "traditional" if traditional else "simplified",
            "sha256": hashlib.sha256(data).hexdigest(), "notes": f"generated: layout={layout} encoding={enc}"}
    truth = {"layout": layout, "encoding": enc, "rows": rows}
    return name, data, meta, truth


def generate(n: int, seed: int, out: Path) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    indicators, padding = load_indicators(), load_padding()
    truth = {}
    for i in range(n):
        name, data, meta, t = make_document(i, seed, indicators, padding)
        (out / name).write_bytes(data)
        (out / f"gen{i:05d}.meta.yml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
        truth[meta["doc_id"]] = t
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    out = generate(args.n, args.seed, Path(args.out))
    print(f"wrote {args.n} documents to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
