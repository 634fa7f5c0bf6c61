"""Targets stated in prose: `到2025年，养老机构护理型床位占比达到60%以上`, `不低于55%`,
`控制在…以内`, `力争…`, `城乡…分别达到30%、50%以上` (two targets), milestones for other years
(`…覆盖率2023年达到70%、2025年达到90%`), an omitted subject carried from the clause before,
two names sharing one predicate (`A和B覆盖率均保持100%`), and the classes of `phrasings.py`
(counts, per-unit levels, shares before their subject, increments, qualitative aims, baselines).

Sentences about the past (`累计发放…`, `“十三五”期间…`) and sections that review the previous plan
give no targets; their `从…提高到…` statements and `2020年…为…` values become baseline rows.
"""

from __future__ import annotations

import bisect
import re

from analysis.extract import phrasings
from analysis.extract.fromto import from_year_to_year
from analysis.extract.labelled import labelled_values
from analysis.extract.model import RawTarget
from analysis.extract.multiples import multiples
from analysis.extract.numbers import DASH, NUM, UNITS, comparator_of, parse_number
from analysis.extract.phrasings import names_for
from analysis.extract.sentences import (
    HEADING_START,
    Sentence,
    numeric_clauses,
    section_name,
    split_sentences,
    year_at,
    year_mentions,
)
from analysis.extract.vocabulary import PER_UNITS, PER_UNITS_RX, alt, raw_patterns, words

_UNIT_RX = "|".join(re.escape(u) for u in UNITS if u not in words("duration_units") + ("次", "岁"))
_VERBS = alt("target_verbs", "change_verbs")
_POST = alt("post_words")
_VALUE = rf"{NUM}(?![\d.]|\s*[年月日])\s*(?:%|‰)?(?:\s*{DASH}\s*{NUM}\s*(?:%|‰)?)?"
# `30%、50%`, `605元/人/月和4975元/人/年`, `每人每月650元和每人每年6600元` (each value may carry its own rate)
_TAIL = (rf"(?P<nums>{_VALUE}(?:\s*(?:{_UNIT_RX})?\s*[、和及与/]\s*(?:{PER_UNITS_RX})?\s*{_VALUE})*)(?![A-Za-z\d.])\s*"
         rf"(?P<unit>{_UNIT_RX})?\s*(?P<post>{_POST})?")
_NAME = r"(?P<name>[^，,。；;：:!?！？\s|]{2,40}?)"
_RATES = alt("rate_suffixes")
_CLS = alt("count_classifiers")
_NUMERIC = re.compile(rf"\d|{alt('growth_words')}|[一二两三四五六七八九十](?:{_CLS})")
# `…覆盖率比2020年提高15个百分点`, `…在2020年基础上增长20%`: a change against the base year, not a baseline
BASE_COMPARISON = re.compile(raw_patterns("base_comparisons"))
_CMP = alt("comparators.ge", "comparators.le", "comparators.approx")
TARGET = re.compile(rf"{_NAME}\s*(?P<vs>{raw_patterns('base_comparisons')})?\s*(?P<verb>{_VERBS})\s*(?P<cmp>{_CMP})?\s*"
                    rf"(?P<pre>[^，,。；;\d%]{{0,16}}?的)?\s*(?P<per>{PER_UNITS_RX})?\s*{_TAIL}")
# `…,达到240人以上`: a clause that opens with its verb, its subject named in the clause before
VERB_FIRST = re.compile(rf"(?P<name>)(?P<verb>{_VERBS})\s*(?P<pre>)(?P<per>{PER_UNITS_RX})?\s*{_TAIL}"
                        rf"(?=[\s，,。；;：:!?！？)）]|$)")  # the value ends the clause (no counted noun after it)
# (a grade such as 3A / 5A is part of a name: `婚姻登记机构3A级以上达标率100%`)
BARE = re.compile(rf"(?P<name>(?:[^，,。；;：:!?！？\s|“”\d]|\d[A-Z]+){{2,40}}?(?:{_RATES}))\s*(?P<verb>)(?P<pre>)\s*{_TAIL}")
# `每万名城镇常住人口拥有社区工作者18人`: a per-capita level stated without a verb
PER_CAPITA = re.compile(rf"(?P<name>每[百千万十]?[名户人张个][^，,。；;：:!?！？\s|“”\d]{{1,24}}?(?:{alt('per_capita_verbs')})"
                        rf"[^，,。；;：:!?！？\s|“”\d]{{1,16}}?)\s*(?P<verb>)(?P<pre>)\s*{_TAIL}")
# `城乡低保标准按上年度城乡居民人均消费支出30%-40%和45%-55%确定`: a level set as a share of something
SHARE = re.compile(rf"{_NAME}\s*(?P<verb>按(?:照)?)\s*(?P<pre>[^，,。；;\d%]{{2,24}}?)的?\s*{_TAIL}\s*"
                   rf"(?:的?(?:标准|比例|水平))?(?:{alt('setting_verbs')})")
# `城乡低保标准年度增速不低于上年度居民人均消费支出增速`: a target stated against another measure, no number
_GROWTH = alt("growth_words")
_GROWTH_END = re.compile(rf"(?:{_GROWTH})$")  # a growth is a rate (in %) even when it is not named 增速
QUALITATIVE = re.compile(rf"(?P<name>[^，,。；;：:!?！？\s|“”\d]{{2,30}}?(?:{_GROWTH}))\s*"
                         rf"(?P<verb>{alt('relative_verbs')})"
                         rf"(?P<what>[^，,。；;：:!?！？\d%]{{2,30}}?(?:{alt('relative_ends')}))")
INDICATOR_NOUN = re.compile(rf"(?:{alt('rate_suffixes', 'indicator_nouns')})$")
# adverbs that end up between the indicator and its verb: `覆盖率总体达到`, `占比均达到`
_TRAILING = re.compile(rf"(?:{alt('adverbs')})+$")
_LEAD = re.compile(rf"^(?:到|至)?(?:20\d\d年(?:底|末)?(?:前)?|{alt('horizon')})?(?:{alt('lead_words')})+")
_YEAR_EDGE = re.compile(rf"^(?:到|至|在|于)?\s*20\d\d\s*年(?:底|末)?(?:前)?|(?:到|至|在|于)?\s*20\d\d\s*年(?:底|末)?$|^(?:{alt('horizon')})")
_RATE_END = re.compile(rf"(?:{_RATES})$")
_NOUN_IN = re.compile(alt("indicator_nouns", exclude=("数", "员")))
_DIGIT_IN_NAME = re.compile(r"\d(?![A-Za-z])")  # a number inside a name is another value (a grade such as 3A is not)
_AGE = re.compile(r"\d+\s*周?岁")  # … nor an age: `80周岁以上老年人高龄津贴发放率`
_QUANT = re.compile(alt("quantifiers"))
PAST = re.compile(rf"{alt('past_markers')}|从\s*\d|较.{{0,12}}(?:提高|增长|增加|下降)")
PAST_SECTIONS = re.compile(alt("past_sections"))
_REVIEW = re.compile(alt("review_openers"))
_HORIZON = re.compile(alt("horizon"))
_BASE_YEAR = re.compile(rf"(?:截至|截止|到)?\s*20(?:1\d|20)\s*年(?:底|末)?|{alt('baseline_markers')}")
# in a review of the last plan, a level it was raised to: `…低保标准分别提高到每人每月650元和480元` (2020)
_REVIEW_LEVEL = re.compile(rf"(?:{alt('review_level_verbs')})\s*(?:{PER_UNITS_RX})?\s*\d")
_FUTURE = re.compile(alt("future_words"))


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    prev = None
    while prev != name:
        prev = name
        name = _YEAR_EDGE.sub("", name)
        name = _LEAD.sub("", name)
        name = re.sub(r"^(、|的|和|及|与|对|将|要|,|，|「|『)", "", name)  # (「…」: a quotation in a news report)
        if name.count("“") != name.count("”"):  # a quote opened or closed outside the name
            name = name.strip("“”")
            name = name.split("”", 1)[-1] if "”" in name and "“" not in name.split("”", 1)[0] else name
        name = _TRAILING.sub("", name)
    if name.startswith("每个") and _RATE_END.search(name):  # `每个乡镇(街道)社会工作服务站覆盖率`: the coverage itself
        name = name[2:]
    return name


_ITEM_RX = re.compile(rf"(?:(?P<per>{PER_UNITS_RX})\s*)?({NUM})\s*(%|‰)?(?:\s*{DASH}\s*({NUM})\s*(?:%|‰)?)?\s*({_UNIT_RX})?")


def _split_values(nums: str, unit: str | None, per: str | None = None) -> list[tuple[float, float | None, str | None, int, int]]:
    """(value, high, unit, start, end) of each value in `30%、50%` / `605元/人/月和4975元/人/年`; a rate
    before a value (`每人每月650元`, or `per` before the first one) is appended to its unit (元/人/月)."""
    items = []
    for m in _ITEM_RX.finditer(nums):
        items.append([parse_number(m.group(2)), parse_number(m.group(4)) if m.group(4) else None,
                      m.group(5) or m.group(3), m.start(2), m.end(), m.group("per") or (per if not items else None)])
    for i in range(len(items) - 1, -1, -1):  # `460、300元`: a value without a unit takes the next one's
        if items[i][2] is None:
            items[i][2] = items[i + 1][2] if i + 1 < len(items) else unit
    if per and not any(x[5] for x in items[1:]):  # `每人每月620元、700元`: one rate for every value
        for x in items:
            x[5] = per
    return [(v, h, (u or "") + PER_UNITS[p] if p else u, s, e) for v, h, u, s, e, p in items]


def _shared_predicate(raw: str, name: str, each: bool = False) -> list[str]:
    """`困难残疾人生活补贴和重度残疾人护理补贴覆盖率均达到100%` → the two names; else [name]. ``each``: the two
    names have a value each (`乡镇和县级公益性公墓覆盖率分别达到70%和100%`), split as a shared predicate is."""
    quant = each or bool(_QUANT.search(raw))
    parts = re.split(r"和|及|与|、" if quant else r"和|及|与", name)
    if len(parts) != 2 or "(" in name or "（" in name:
        return [name]
    a, b = parts
    head = _SCOPE_HEAD.match(b)
    if each and head and _SCOPE_HEAD.sub("", a) == "":  # `乡镇和县级…覆盖率`: two scopes of one name
        return [a + re.sub(r"^级", "", b[head.end():]), b]  # (`村级和乡镇级…`: 级 once)
    if min(len(p) for p in parts) < 3:
        return [name]
    both = bool(INDICATOR_NOUN.search(a) and INDICATOR_NOUN.search(b))
    if not (both or quant and _RATE_END.search(b)):
        return [name]
    if _RATE_END.search(b) and not _RATE_END.search(a):  # `农村留守儿童和困境儿童关爱服务覆盖率`: one measure of both
        heads = [m.end() for m in _NOUN_IN.finditer(b) if m.end() < len(b)]
        # `…、社会工作者持证率`: what follows the last noun of b (持证率) is the shared measure
        suffix = b[heads[-1]:] if heads else max((s for s in words("rate_suffixes") if b.endswith(s)), key=len)
        a += suffix
    return [a, b]


def _matches(norm: str) -> list[re.Match[str]]:
    """Candidate statements of one sentence, left to right, the verb patterns first."""
    clauses = numeric_clauses(norm)  # no statement crosses a comma: read only the clauses with a number
    matches = [m for a, b in clauses for rx in (TARGET, SHARE) for m in rx.finditer(norm, a, b)]
    for rx in (PER_CAPITA, BARE):
        covered = [m.span() for m in matches]
        matches += [m for a, b in clauses for m in rx.finditer(norm, a, b)
                    if not any(x < m.end() and m.start() < y for x, y in covered)]
    covered = [m.span() for m in matches]
    for a, b in clauses:  # a later clause that opens with its verb (`…翻一番,达到240人以上`)
        a += len(norm[a:b]) - len(norm[a:b].lstrip())
        m = VERB_FIRST.match(norm, a, b) if a > 0 else None
        if m and not any(x < m.end() and m.start() < y for x, y in covered):
            matches.append(m)
    out: list[re.Match[str]] = []
    for m in sorted(matches, key=lambda m: (m.start(), -m.end())):
        if out and m.start() < out[-1].end() and m.group("verb").startswith("按") and not out[-1].group("verb").startswith("按"):
            out[-1] = m  # `按…的30%-40%确定` read as a whole beats a part of it
        elif not out or m.start() >= out[-1].end():
            out.append(m)
    return out


def _qualitative(sent: Sentence, year: int | None) -> list[RawTarget]:
    out = []
    for m in QUALITATIVE.finditer(sent.norm):
        name = _clean_name(m.group("name"))
        if len(name) < 4:
            continue
        words_ = m.group("verb") + m.group("what")
        out.append(RawTarget(raw_name=name, target_year=year, comparator="qualitative", target_text=words_,
                             unit="%" if _RATE_END.search(name) or _GROWTH_END.search(name) else None,
                             source_kind="prose", quote=sent.text, start=sent.start, end=sent.end,
                             domain=section_name(sent.section)))
    return out


_BARE_RATES = set(words("rate_suffixes"))
_PLACE_ONLY = re.compile(rf"(?:{alt('scope_words', 'places')})+")
_SCOPE_HEAD = re.compile(rf"^(?:{alt('scope_words')})")
_SCOPE_RATE = re.compile(rf"(?P<scope>(?:{alt('scope_words')})+)(?P<rate>{alt('rate_suffixes')})")
_SCOPE_ANY = re.compile(alt("scope_words"))
# `社区养老服务设施覆盖率城市达到100%`: the scope written after the name, read as 城市社区养老服务设施覆盖率
_SCOPE_TAIL = re.compile(rf"^(?P<stem>.{{2,}}?(?:{alt('rate_suffixes', 'indicator_nouns')}))(?P<scope>(?:{alt('scope_words')})+)$")
_PER_YEAR = re.compile(r"(?:年均|每年|年度)$")
_YEAR_ONLY = re.compile(rf"\s*(?:(?:到|至|在|于|力争|争取)?\s*20\d\d\s*年(?:底|末)?|{alt('horizon')})?\s*")
# `…建设1个农村示范公墓,覆盖率…` / `新建县级公益性骨灰堂1座,覆盖率…`: the thing counted just before
_SUBJECT_BEFORE = re.compile(rf"(?:\d+\s*(?:{alt('count_classifiers')}))?([^，,。；;：:\d]{{2,20}}?(?:{alt('indicator_nouns')}))"
                             rf"(?:\d+\s*(?:{alt('count_classifiers')}))?[，,]\s*$")
_LEAD_VERB = re.compile(rf"^.*?(?:{alt('count_verbs', 'change_verbs')})")
_CARRY = re.compile(rf"([^，,。；;：:!?！？\s|“”\d%]{{2,30}}?(?:{alt('rate_suffixes', 'indicator_nouns')}))(?=[，,；;]|$)")


_SUBJECT_OPEN = re.compile(rf"[^，,。；;：:!?！？\s|“”\d%]{{2,30}}(?:{alt('rate_suffixes', 'indicator_nouns')})")


def _carried_name(norm: str, pos: int, last: str | None, stated_to: int = 0) -> str | None:
    """The subject of an earlier clause: the one opening the clause just before when that clause stated
    no value (`持证社会工作者人数在2020年基础上翻一番,达到240人以上`), else the last name stated
    (`提升…覆盖率，到2025年达到60%以上`), else the last rate named before `pos` in the sentence."""
    cut = max(norm.rfind(c, 0, pos) for c in "，,；;")
    if cut > 0:
        start = max(norm.rfind(c, 0, cut) for c in "，,；;：:") + 1
        m = _SUBJECT_OPEN.match(norm, start, cut) if stated_to <= start else None
        name = _clean_name(m.group(0)) if m else ""
        if len(name) >= 3 and INDICATOR_NOUN.search(name):
            return name
    if last:
        return last
    found = [_clean_name(m.group(1)) for m in _CARRY.finditer(norm, 0, pos)]
    found = [f for f in found if len(f) >= 3]
    return found[-1] if found else None


def statements(sent: Sentence, year: int, carried: str | None = None) -> list[RawTarget]:
    """Every numeric statement of one sentence (level targets, pairs, ranges, shares)."""
    mentions = year_mentions(sent)
    out = _qualitative(sent, year) if year and year > 2020 else []
    norm = sent.norm
    last_name = carried
    stated_to = 0  # end of the last statement read in this sentence
    for m in _matches(norm):
        name = _clean_name(m.group("name"))
        verb = m.group("verb") or ""
        nums = m.group("nums")
        if not name or not re.search(r"[\u4e00-\u9fff]{2}", name):
            # the subject of the clause before, for a clause that opens with its verb or its year only
            # (`…翻一番,达到240人以上`, `…,到2025年达到60%`; never `按照…`)
            opens = (m.re is VERB_FIRST or _YEAR_ONLY.fullmatch(m.group("name"))
                     or _PER_YEAR.fullmatch(m.group("name").strip()))  # `…标准逐年提高,年均增长7%以上`
            name = _carried_name(norm, m.start(), last_name, stated_to if opens else len(norm)) or ""
        elif name in _BARE_RATES:  # `…建设1个农村示范公墓,覆盖率达到100%`: the rate of the thing just named
            before = _SUBJECT_BEFORE.search(norm, 0, m.start("name"))
            if before:
                name = _clean_name(_LEAD_VERB.sub("", before.group(1))) + name
            elif _GROWTH_END.search(name) and (subject := _carried_name(norm, m.start(), last_name, stated_to)):
                # `城乡低保标准动态调整、稳步提高,年均增幅不低于5%`: the growth of that subject, 年均 kept
                written = re.sub(r"\s+", "", m.group("name"))
                name = subject + (written if written.endswith(name) and len(written) <= len(name) + 2 else name)
        elif last_name and (sr := _SCOPE_RATE.fullmatch(name)) and last_name.endswith(sr.group("rate")):
            # `公益性安葬设施县级覆盖率达到100%,乡镇覆盖率达到90%`: the same rate at another scope
            name = sr.group("scope") + _SCOPE_ANY.sub("", last_name)
        elif (tail := _SCOPE_TAIL.match(name)) and not INDICATOR_NOUN.search(name):
            name = tail.group("scope") + _SCOPE_HEAD.sub("", tail.group("stem"))
        elif last_name and _PLACE_ONLY.fullmatch(name):  # `城市社区…覆盖率达到100%,农村达到60%以上`
            name = name + _SCOPE_HEAD.sub("", last_name)
        elif per := _PER_TAIL.search(name):  # `社区综合服务设施面积每百户不低于30平方米`: the rate goes first
            head = _SCOPE_HEAD.match(name)  # a scope stays first: 城市 + 每百户 + 社区…面积
            cut = head.end() if head else 0
            name = name[:cut] + per.group(0) + name[cut:per.start()]
        values = _split_values(nums, m.group("unit"), m.groupdict().get("per"))  # `每人每月1800元` → 元/人/月
        if not values:
            continue
        unit = values[0][2]
        pct = unit in ("%", "‰")
        per_capita = m.re is PER_CAPITA
        # `其中海葬、树葬等安葬方式力争达到25%`: a share of the subject just stated, named as written
        part_share = pct and m.group("name").lstrip().startswith("其中")
        if len(name) < 2 or not INDICATOR_NOUN.search(name) and not per_capita and not part_share:
            continue
        if not verb and not (_RATE_END.search(name) and pct or per_capita and unit):
            continue
        if _DIGIT_IN_NAME.search(_AGE.sub("", name)) or unit in words("duration_units"):
            continue
        if _RATE_END.search(name) and unit not in ("%", "‰", "个百分点", "百分点", None):
            continue  # a rate is never in 平方米 or 个: the number belongs to something else
        last_name, stated_to = name, m.end()
        pre = (m.group("pre") or "").strip()
        words_ = verb + (m.groupdict().get("cmp") or "") + (m.group("post") or "") + pre  # `提升至不低于55%`
        comp = comparator_of(words_) or "="
        names = names_for(name, len(values))
        if len(values) == 2 and names[0] == names[1]:  # `A和B分别达到70%和100%`: a name for each value
            names = _shared_predicate(m.group("name"), name, each=True)
            names = names if len(names) == 2 else [name, name]
        if len(values) == 1:
            names = _shared_predicate(m.group("name"), name)
            values = values * len(names)
        a, b = m.start("name"), m.end()
        own_words = sent.words_of(a, b)
        change = verb in words("change_verbs")
        # `…标准年均增长6%`: the growth per year, named so (年均 is otherwise an adverb dropped from names)
        per_year = _PER_YEAR.search(re.sub(r"\s+", "", m.group("name"))) if change else None
        for nm, (v, high, u, vs, ve) in zip(names, values):
            raw_name = nm + verb if change and not nm.endswith(verb) else nm  # `注册志愿者增加`: the change, named so
            if per_year and u in ("%", "‰") and not nm.endswith(per_year.group(0)):
                raw_name = nm + per_year.group(0) + verb
            if pre and u == "%" and not _RATE_END.search(nm):  # 达到上年度人均消费支出的30%: a share of something
                raw_name = f"{nm}占{re.sub(rf'^(?:{_CMP})', '', pre).rstrip('的')}比例"  # (不低于…的30%: 不低于 is the comparator)
            y = year_at(mentions, m.start("nums") + vs, year)
            t = RawTarget(raw_name=raw_name, target_year=y, target_value=v, unit=u,
                          comparator="range" if high is not None else comp, target_value_high=high,
                          target_text=own_words, source_kind="prose", quote=sent.text, start=sent.start,
                          end=sent.end, domain=section_name(sent.section),
                          value_kind="change" if change else "level")
            t.value_spans = [sent.span_of(m.start("nums") + vs, m.start("nums") + ve)]
            out.append(t)
    return sorted(out, key=lambda t: t.target_text and sent.text.find(t.target_text))


# after a target, its base-year value: `…提高到55%(2020年为41%)`, `…达到1200张,比2020年的860张增加340张`
_AFTER_VALUE = re.compile(rf"^\s*(?:{_UNIT_RX}|%|‰)?\s*(?:{alt('post_words')})?")  # the value's unit and 以上 …
_BASE_AFTER = re.compile(rf"^\s*(?:[(（]\s*|[，,]?\s*比\s*)(?P<y>20(?:1\d|20))\s*年(?:底|末)?(?:为|是|的|[:：])?\s*"
                         rf"(?P<num>{NUM})\s*(?P<unit>%|‰|{_UNIT_RX})?")


def _base_after(sent: Sentence, found: list[RawTarget]) -> list[RawTarget]:
    """A base-year value written right after a target becomes its baseline (and no target of its own)."""
    if "20" not in sent.norm:
        return found
    ends = {}  # norm offset just after each row's value → the row
    for t in found:
        if t.target_value is not None and t.value_spans:
            i = bisect.bisect_left(sent.origin, t.value_spans[-1][1] - sent.start)  # (origin is ascending)
            if i < len(sent.origin):
                ends[i] = t
    drop = set()
    for i, t in sorted(ends.items()):
        m = _BASE_AFTER.match(_AFTER_VALUE.sub("", sent.norm[i:], count=1))
        if not m or m.group("unit") and t.unit and m.group("unit") != t.unit and not t.unit.startswith(m.group("unit")):
            continue
        t.baseline_year, t.baseline_value = int(m.group("y")), parse_number(m.group("num"))
        drop |= {id(r) for r in found if r is not t and r.target_value == t.baseline_value and r.value_spans
                 and r.value_spans[0][0] - sent.start >= sent.origin[i]}
    return [r for r in found if id(r) not in drop]


_PER_TAIL = re.compile(r"每[百千万十]?(?:户|名|人)(?:居民|老年人|常住人口)?$")
_PLACE_EXTRA = re.compile(r"^(?:(?:全|我|本)[省市县区旗州盟]|[省市县区旗]级?)?的?$")


def _levels(sent: Sentence, year: int, carried: str | None = None) -> list[RawTarget]:
    """The sentence's levels (verb and bare-rate statements) and the counts they leave unread."""
    level = statements(sent, year, carried)
    return level + phrasings.counts(sent, year, level)


def _similar(a: str, b: str) -> bool:
    """One name is the other with at most a place before it (`全市火化率` / `火化率`); a qualifier makes
    another, narrower measure (`生活不能自理特困人员集中供养率` is not `特困人员集中供养率`)."""
    short, long_ = sorted((a, b), key=len)
    return short in long_ and bool(_PLACE_EXTRA.match(long_.replace(short, "", 1)))


def past_flags(sents: list[Sentence]) -> list[bool]:
    """For each sentence: does it belong to a review of the last plan? Its section says so
    (`发展基础`), or its paragraph follows one opening with `“十三五”期间…` in the same section, up to
    a heading, a paragraph opening with the plan's horizon (`“十四五”时期…`) or a paragraph whose first
    sentence names a year of the plan (`…《规划》提出,到2025年…`: a news article has no headings)."""
    out = []
    review, review_para, review_section = False, -1, None
    for sent in sents:
        if sent.paragraph != review_para:
            review_para = sent.paragraph
            if (sent.section != review_section or HEADING_START.match(sent.text) or _HORIZON.search(sent.norm[:12])
                    or any(2022 <= y < 2030 for _, y in sent.mentions)):  # a paragraph about the plan years (news)
                review = False
            if _REVIEW.match(sent.norm):
                review, review_section = True, sent.section
        out.append(review or bool(sent.section and PAST_SECTIONS.search(sent.section)))
    return out


def extract_prose(text: str, spans: list[tuple[int, int]], passages=None, sents=None, past=None) -> list[RawTarget]:
    """Targets stated in sentences outside the tables, baseline rows (`2020年…为…`, `从…提高到…`),
    and a 2020 baseline on a target when a nearby sentence (the review of the last plan included)
    states one for the same name."""
    targets: list[RawTarget] = []
    baselines: list[RawTarget] = []
    year: int | None = None
    carry = False
    last_para = -1
    last_name: str | None = None
    para_year: int | None = None
    # `到2025年,全县民政事业发展的主要目标是:` names the year of the paragraphs after it in its section
    lead_year: int | None = None
    lead_section: str | None = None
    base_carry = False
    sents = sents if sents is not None else split_sentences(text, spans, passages)
    past = past if past is not None else past_flags(sents)
    para_sents: list[Sentence] = []
    for i, sent in enumerate(sents):
        if sent.paragraph != last_para:  # a year stated in one paragraph does not carry into the next
            year, last_para, carry, last_name, para_year = None, sent.paragraph, False, None, None
            para_sents, base_carry = [], False
            if lead_year and sent.section != lead_section:
                lead_year = None
        past_section = past[i]
        both = [] if past_section else from_year_to_year(sent)  # `由2020年的35%提高到2025年的55%`
        if both:  # and the sentence's other statements (`…提升至2025年的100%，农村互助养老服务设施达到600个`)
            targets += both
            para_sents.append(sent)
            taken = [s for t in both for s in t.value_spans]
            targets += [t for t in _levels(sent, both[0].target_year or 2025) if t.value_spans and t.target_value is not None
                        and not any(a < e and s < b for s, e in t.value_spans for a, b in taken)]
            continue
        if "从" in sent.norm or "由" in sent.norm:
            targets += phrasings.from_to(sent, para_sents, past_section)
        para_sents.append(sent)
        mentions = year_mentions(sent)
        stated = mentions[0][1] if mentions else None
        plain = BASE_COMPARISON.sub("", sent.norm) if "20" in sent.norm or "十三五" in sent.norm else sent.norm
        # `截至2020年底,…420张;城乡低保标准分别达到…`: a base year goes on into the sentences after a `;`
        if (_BASE_YEAR.search(plain) or base_carry or (past_section and _REVIEW_LEVEL.search(plain) and not _FUTURE.search(plain))) and not stated:
            found = [b for b in statements(sent, 2020) if b.target_value is not None]
            baselines += found
            targets += phrasings.observations(sent, found)
            base_carry = sent.text.endswith(("；", ";"))
            continue
        base_carry = False
        if past_section:
            continue
        year = stated or (year if carry else None) or lead_year
        carried = last_name if carry else None
        if stated and sent.norm.endswith((":", "：")):
            lead_year, lead_section = stated, sent.section
        carry = sent.text.endswith(("；", ";"))  # `到2021年…60%以上；其中…25%；到2022年…`
        if PAST.search(plain) and not stated:
            continue
        para_year = stated or para_year or lead_year
        listed = labelled_values(sent, year or 2025)  # `1. 养老机构护理型床位占比：55%（约束性）`
        if listed:
            targets += listed
            continue
        # an aim with no number is a target where the paragraph names the plan's horizon or a year, or
        # where it says it will be reached (`…实现全覆盖`)
        found = phrasings.qualitative_aims(sent, year or para_year or 2025, explicit_only=not para_year)
        if _NUMERIC.search(sent.norm):
            found += _levels(sent, year or 2025, carried)
        found += multiples(sent, year or 2025)
        targets += _base_after(sent, found)
        last_name = next((t.raw_name for t in reversed(found) if t.target_value is not None), last_name)
    for t in targets:  # a baseline stated nearby (`2020年全市火化率为96.3%`): the same name first, then the closest
        if t.target_year is None or t.baseline_value is not None:  # (one in its own sentence stays)
            continue
        found = [b for b in baselines if b.target_value is not None and b.unit == t.unit and _similar(t.raw_name, b.raw_name)
                 and b.comparator in ("=", ">=", ">")]
        if found:
            b = min(found, key=lambda b: (b.raw_name != t.raw_name, abs(b.start - t.start)))
            t.baseline_year, t.baseline_value = 2020, b.target_value
    return targets
