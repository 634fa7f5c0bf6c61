"""Targets stated in prose: `到2025年，养老机构护理型床位占比达到60%以上`, `不低于55%`,
`控制在…以内`, `力争…`, `城乡…分别达到30%、50%以上` (two targets), milestones for other years
(`到2021年…60%以上；到2022年…65%`), baselines in a nearby sentence (`2020年全市火化率为96.3%`).

Sentences about the past (`累计发放…`, `“十三五”期间…`, `从…提高到…`) and sections that review
the previous plan are skipped: their numbers are achievements, not targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.extract.model import RawTarget
from analysis.extract.numbers import NUM, UNITS, comparator_of, normalise_cn_percent_map, parse_number

_UNIT_RX = "|".join(re.escape(u) for u in UNITS if u not in ("年", "天", "岁", "小时", "分钟", "次"))
_VERBS = ("分别达到|分别达|分别不低于|分别不少于|分别不小于|分别保持|力争达到|力争实现|力争|达到|达|提高到|提升到|提高至|"
          "提升至|增长到|增加到|增至|保持在|保持|稳定在|控制在|不低于|不少于|不小于|不高于|不超过|不大于|超过|高于|低于|"
          "至少|超|为|在")
_VALUE = rf"{NUM}\s*(?:%|‰)?(?:\s*[-~～至]\s*{NUM}\s*(?:%|‰)?)?"
_TAIL = (rf"(?P<nums>{_VALUE}(?:\s*[、和及与/]\s*{_VALUE})*)(?![A-Za-z\d.])\s*(?P<unit>{_UNIT_RX})?\s*"
         rf"(?P<post>以上|以下|以内|左右|及以上)?")
_NAME = r"(?P<name>[^，,。；;：:!?！？\s|“”]{2,40}?)"
TARGET = re.compile(rf"{_NAME}\s*(?P<verb>{_VERBS})\s*(?P<pre>[^，,。；;\d%]{{0,16}}?的)?\s*{_TAIL}")
BARE = re.compile(rf"(?P<name>[^，,。；;：:!?！？\s|“”\d]{{2,40}}?(?:率|比例|占比|比重))\s*(?P<verb>)(?P<pre>)\s*{_TAIL}")
# `每万名城镇常住人口拥有社区工作者18人`: a per-capita level stated without a verb
PER_CAPITA = re.compile(rf"(?P<name>每[百千万十]?[名户人张个][^，,。；;：:!?！？\s|“”\d]{{1,24}}?(?:拥有|配备|有)"
                        rf"[^，,。；;：:!?！？\s|“”\d]{{1,16}}?)\s*(?P<verb>)(?P<pre>)\s*{_TAIL}")
# `城乡低保标准按上年度城乡居民人均消费支出30%-40%和45%-55%确定`: a level set as a share of something
SHARE = re.compile(rf"{_NAME}\s*(?P<verb>按(?:照)?)\s*(?P<pre>[^，,。；;\d%]{{2,24}}?)的?\s*{_TAIL}\s*"
                   rf"(?:的?(?:标准|比例|水平))?(?:确定|核定|制定|调整|执行)")
# `城乡低保标准年度增速不低于上年度居民人均消费支出增速`: a target stated against another measure, no number
QUALITATIVE = re.compile(r"(?P<name>[^，,。；;：:!?！？\s|“”\d]{2,30}?(?:增速|增幅|增长率|增长幅度))\s*"
                         r"(?P<verb>不低于|不高于|不超过|高于|低于|快于|不慢于|略高于|同步于|与)"
                         r"(?P<what>[^，,。；;：:!?！？\d%]{2,30}?(?:增速|增幅|增长率|增长幅度|同步|相适应|相协调))")
INDICATOR_NOUN = re.compile(r"(率|比例|占比|比重|人才|人员|人数|数量|总量|面积|床位|标准|站点|组织|机构|志愿者|社工|规模|总额|金额|"
                            r"网点|数|员|主任|工作者)$")
# adverbs that end up between the indicator and its verb: `覆盖率总体达到`, `占比均达到`
_TRAILING = re.compile(r"(总体|整体|均|全部|都|要|将|需|应|稳步|逐步|基本|平均|分别|力争|争取|努力|持续|继续|进一步)+$")
_LEAD = re.compile(r"^(?:到|至)?(?:20\d\d年(?:底|末)?(?:前)?|“?十四五”?(?:时期|期间|末期?|末)?)?(?:全市|全区|全县|全旗|全盟|全省|"
                   r"市级|实现|确保|力争|推动|推进|促进|使|逐步|其中|并|且|同时|进一步|基本|每年|年均|平均|争取|努力|继续|保持|持续)+")
_RATE_END = re.compile(r"(率|比例|占比|比重)$")
YEAR_CTX = re.compile(r"(?:到|至|在|于|力争|争取)?\s*(20[2-3]\d)\s*年(?:底|末)?|“?十四五”?\s*(?:末期?|期末|时期|期间)")
PAST = re.compile(r"累计|以来|“?十三五”?\s*(?:期间|时期|以来|末)|已经|已达|已建|分别从|从\s*\d|较.{0,12}(?:提高|增长|增加|下降)|"
                  r"提高了|增长了|增加了|完成了|建成了|实现了|荣获|被评为|先后")
PAST_SECTIONS = re.compile(r"发展基础|发展回顾|主要成就|回顾|成效|十三五|现状")
SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


@dataclass
class _Sentence:
    start: int
    end: int
    text: str
    section: str | None


def _sentences(text: str, spans: list[tuple[int, int]], passages) -> list[_Sentence]:
    sections = sorted(((p.start, p.end, p.heading_path) for p in passages or []), key=lambda x: x[0])
    out = []
    k = 0
    for m in SENTENCE.finditer(text):
        s, e = m.span()
        if any(a <= s < b for a, b in spans):
            continue
        while k + 1 < len(sections) and sections[k + 1][0] <= s:
            k += 1
        section = sections[k][2] if sections and sections[k][0] <= s else None
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append(_Sentence(s + lead, s + lead + len(body), body, section))
    return out


def _year_of(sentence: str, current: int | None) -> int | None:
    years = [int(m.group(1)) if m.group(1) else 2025 for m in YEAR_CTX.finditer(sentence)]
    future = [y for y in years if y >= 2021]
    return future[-1] if future else current


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    prev = None
    while prev != name:
        prev = name
        name = _LEAD.sub("", name)
        name = re.sub(r"^(、|的|和|及|与|对|将|要)", "", name)
        name = _TRAILING.sub("", name)
    return name


def _split_values(nums: str) -> list[tuple[float, float | None]]:
    out = []
    for part in re.split(r"\s*[、和及与/]\s*", nums):
        m = re.match(rf"({NUM})\s*(?:%|‰)?(?:\s*[-~～至]\s*({NUM}))?", part.strip())
        if m:
            out.append((parse_number(m.group(1)), parse_number(m.group(2)) if m.group(2) else None))
    return out


def _names_for(name: str, n: int) -> list[str]:
    """`城乡低保标准` with two values → 城市…, 农村…; otherwise the same name n times."""
    if n == 2 and name.startswith("城乡"):
        return ["城市" + name[2:], "农村" + name[2:]]
    return [name] * n


def _matches(norm: str) -> list[re.Match[str]]:
    """Candidate statements of one sentence, left to right, the verb patterns first."""
    matches = list(TARGET.finditer(norm)) + list(SHARE.finditer(norm))
    for rx in (PER_CAPITA, BARE):
        covered = [m.span() for m in matches]
        matches += [m for m in rx.finditer(norm) if not any(a < m.end() and m.start() < b for a, b in covered)]
    out: list[re.Match[str]] = []
    for m in sorted(matches, key=lambda m: (m.start(), -m.end())):
        if out and m.start() < out[-1].end() and m.group("verb").startswith("按") and not out[-1].group("verb").startswith("按"):
            out[-1] = m  # `按…的30%-40%确定` read as a whole beats a part of it
        elif not out or m.start() >= out[-1].end():
            out.append(m)
    return out


def _qualitative(sent: _Sentence, year: int | None) -> list[RawTarget]:
    out = []
    for m in QUALITATIVE.finditer(sent.text):
        name = _clean_name(m.group("name"))
        if len(name) < 4:
            continue
        words = m.group("verb") + m.group("what")
        out.append(RawTarget(raw_name=name, target_year=year, comparator="qualitative", target_text=words,
                             unit="%" if _RATE_END.search(name) or name.endswith(("增速", "增幅")) else None,
                             source_kind="prose", quote=sent.text, start=sent.start, end=sent.end,
                             domain=_section_name(sent.section)))
    return out


def _statements(sent: _Sentence, year: int | None, text: str) -> list[RawTarget]:
    out = _qualitative(sent, year) if year and year > 2020 else []
    norm, origin = normalise_cn_percent_map(sent.text)
    for m in _matches(norm):
        name = _clean_name(m.group("name"))
        verb = m.group("verb") or ""
        unit = m.group("unit")
        nums = m.group("nums")
        pct = "%" in nums or unit in ("%", "‰")
        if "‰" in nums:
            unit = "‰"
        elif "%" in nums:
            unit = "%"
        per_capita = m.re is PER_CAPITA
        # `其中海葬、树葬等安葬方式力争达到25%`: a share of the subject just stated, named as written
        part_share = pct and m.group("name").lstrip().startswith("其中")
        if len(name) < 2 or not INDICATOR_NOUN.search(name) and not per_capita and not part_share:
            continue
        if not verb and not (_RATE_END.search(name) and pct or per_capita and unit):
            continue
        if re.search(r"\d", name) or "年" == (unit or ""):
            continue
        values = _split_values(nums)
        pre = (m.group("pre") or "").strip()
        words = verb + (m.group("post") or "") + pre
        comp = comparator_of(words) or "="
        names = _names_for(name, len(values))
        words_start, words_end = origin[m.start("name")], origin[m.end()]
        own_words = sent.text[words_start:words_end]
        for nm, (v, high) in zip(names, values):
            raw_name = nm
            if pre and unit == "%" and not _RATE_END.search(nm):  # 达到上年度人均消费支出的30%: a share of something
                raw_name = f"{nm}占{pre.rstrip('的')}比例"
            out.append(RawTarget(raw_name=raw_name, target_year=year, target_value=v, unit=unit,
                                 comparator="range" if high is not None else comp, target_value_high=high,
                                 target_text=own_words, source_kind="prose", quote=sent.text, start=sent.start,
                                 end=sent.end, domain=_section_name(sent.section)))
    return sorted(out, key=lambda t: t.target_text and sent.text.find(t.target_text))


def _section_name(path: str | None) -> str | None:
    if not path:
        return None
    last = path.split(" > ")[-1]
    return re.sub(r"^(第[一二三四五六七八九十]+[章节]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、])\s*", "", last) or None


def _similar(a: str, b: str) -> bool:
    return a in b or b in a


_BASE_YEAR = re.compile(r"(?:截至|截止|到)?\s*2020\s*年(?:底|末)?|“?十三五”?\s*(?:期末|末)")


def extract_prose(text: str, spans: list[tuple[int, int]], passages=None) -> list[RawTarget]:
    """Targets stated in sentences outside the tables, with a 2020 baseline when a nearby sentence
    (anywhere in the document, the review of the last plan included) states one."""
    targets: list[RawTarget] = []
    baselines: list[RawTarget] = []
    year: int | None = None
    carry = False
    last_para = -1
    for sent in _sentences(text, spans, passages):
        para = text.rfind("\n", 0, sent.start)
        if para != last_para:  # a year stated in one paragraph does not carry into the next
            year, last_para = None, para
        stated = _year_of(sent.text, None)
        if _BASE_YEAR.search(sent.text) and not stated:
            baselines += _statements(sent, 2020, text)
            continue
        if sent.section and PAST_SECTIONS.search(sent.section):
            continue
        year = stated or (year if carry else None)
        carry = sent.text.endswith(("；", ";"))  # `到2021年…60%以上；其中…25%；到2022年…`
        if PAST.search(sent.text) and not stated:
            continue
        if not re.search(r"\d|百分之|增速|增幅|增长", sent.text):
            continue
        targets += _statements(sent, year or 2025, text)
    for t in targets:  # a baseline stated nearby (`2020年全市火化率为96.3%`): the same name first, then the closest
        found = [b for b in baselines if b.target_value is not None and b.unit == t.unit and _similar(t.raw_name, b.raw_name)
                 and b.comparator in ("=", ">=", ">")]
        if found:
            b = min(found, key=lambda b: (b.raw_name != t.raw_name, abs(b.start - t.start)))
            t.baseline_year, t.baseline_value = 2020, b.target_value
    return targets
