"""Classes of prose phrasing beyond `name + verb + number` (each a class of layouts, never one sentence):

- a count with an action verb, number before the noun: `建成2处…服务中心`, `打造 8 个…综合体`, with its
  denominator when one opens the clause (`每个乡镇至少建成一处…`, `每个街道分别不少于6个和3个…`);
- all units of a kind: `全区40个村全部建成…站` (a count of 40 under the name of what is set up);
- an action on a counted object, number after it: `救助…困难老人300人`;
- people doing something: `约3万人参加…培训` (a count of people, named `参加…培训人数`);
- a share before its subject: `70%以上的乡镇普遍建立…` (named `普遍建立…的乡镇`);
- a standard per unit: `按照每百户 25 平方米标准建设…用房` (named `每百户…用房面积`);
- qualitative aims with no number: `…实现全覆盖`, `…成为…主流` (comparator `qualitative`, words kept);
- baselines: `…分别从300元/月、200元/月提高到400元/月、350元/月` (start and end observations) and
  `2020年…为…` values as observation rows.
"""

from __future__ import annotations

import re

from analysis.extract.model import RawTarget
from analysis.extract.numbers import DASH, NUM, UNITS, comparator_of, parse_number
from analysis.extract.sentences import PAST_YEAR, Sentence, section_name, year_at, year_mentions
from analysis.extract.vocabulary import PER_UNITS, PER_UNITS_RX, alt, pattern, words

_CN = "[一二两三四五六七八九十]{1,3}"
_NUMBER = rf"(?:{NUM}|{_CN})(?![\d.])"
_STOP = r"，,。；;：:！？!?\s|“”"
_CLS = alt("count_classifiers")
_LEAD_WORD = alt("count_verbs", "change_verbs", "comparators.ge", "comparators.le", "comparators.gt", "adverbs", "comparators.approx")
_KEY_WORD = re.compile(alt("count_verbs", "change_verbs", "comparators.ge", "comparators.le", "comparators.gt"))
_VERB_BEFORE = re.compile(alt("count_verbs", "change_verbs", "object_verbs"))
_UNITS_OF_PLACE = rf"(?:{alt('places')})"
_POST = alt("post_words")
_PRED = alt("predicate_verbs")
_ADV = alt("adverbs")
_UNIT_RX = "|".join(re.escape(u) for u in UNITS)

COUNT_FIRST = re.compile(
    rf"(?P<lead>(?:(?:{_LEAD_WORD})\s*){{1,5}})(?P<mod>[^{_STOP}\d]{{1,10}}的)?\s*(?P<num>{_NUMBER})"
    rf"(?:\s*{DASH}\s*(?P<high>{NUM}))?\s*(?P<cls>{_CLS})(?P<post>{_POST})?(?P<noun>[^{_STOP}、\d][^{_STOP}\d]{{1,29}})")
# `、16个农村公益性公墓` / `,103处…`: the next item of a list whose verb came before
LIST_FIRST = re.compile(
    rf"(?<=[、，,和及])(?P<num>{NUM})(?![\d.])\s*(?P<cls>{_CLS})(?P<noun>[^{_STOP}、\d][^{_STOP}\d]{{1,29}})")
# `…中心2所,区域性…中心2所,升级改造…敬老院22所`: noun, number, classifier, end of the item
LIST_COUNT = re.compile(
    rf"(?:(?<=[{_STOP}、])|^)(?P<noun>[^{_STOP}、\d]{{2,30}}?)(?P<num>{NUM})(?![\d.])\s*(?P<cls>{_CLS})(?P<post>{_POST})?"
    rf"(?=[{_STOP}、]|$)")
# `实现23个镇(街道)社会工作站全覆盖`: the number of units covered
COVER_COUNT = re.compile(
    rf"(?P<num>{NUM})(?![\d.])\s*(?P<cls>个|所|家|处)(?P<noun>[^{_STOP}、\d]{{2,24}}?)(?:{alt('coverage_words')})")
ALL_UNITS = re.compile(
    rf"(?P<num>{NUM})(?![\d.])\s*(?P<cls>个|所|家)(?P<what>[^{_STOP}\d]{{1,8}}?(?:{_UNITS_OF_PLACE})?)(?P<q>{alt('quantifiers')})?"
    rf"(?P<verb>{alt('count_verbs', 'predicate_verbs')})(?P<noun>[^{_STOP}\d]{{2,20}})")
OBJECT_COUNT = re.compile(
    rf"(?P<verb>{alt('object_verbs')})(?P<noun>[^{_STOP}\d]{{2,30}}?)\s*(?P<num>{NUM})(?:\s*{DASH}\s*(?P<high>{NUM}))?(?![\d.])\s*"
    rf"(?P<cls>万?(?:{_CLS})|万名|万?平方米)(?P<post>{_POST})?(?=[{_STOP}、]|$)")
# `每个社区居委会配置5-9人`: people per unit, the noun said before
PEOPLE_PER_UNIT = re.compile(
    rf"(?P<lead>(?:{alt('count_verbs', 'object_verbs')}))(?P<num>{NUM})(?:\s*{DASH}\s*(?P<high>{NUM}))?\s*(?P<cls>人|名)"
    rf"(?P<post>{_POST})?(?=[{_STOP}]|$)")
PEOPLE = re.compile(
    rf"(?P<approx>{alt('comparators.approx')})?\s*(?P<num>{NUM})(?![\d.])\s*(?P<cls>万人|万名|人|名)(?P<post>{_POST})?的?"
    rf"(?P<verb>{_PRED})(?P<noun>[^{_STOP}\d]{{2,30}})")
SHARE_FIRST = re.compile(
    rf"(?P<num>{NUM})(?![\d.])\s*(?P<cls>%|‰)(?P<post>{_POST})?的?(?P<subj>[^{_STOP}\d、][^{_STOP}\d]{{0,11}}?)"
    rf"(?P<pred>(?:{_ADV})*(?:{_PRED})(?:(?!\d+(?:\.\d+)?[%‰])[^{_STOP}]){{1,30}})")  # `、农村达到70%`: the next item
# `按照不低于当地低保标准的5%-10%的比例提高救助水平`: a change set as a share of a standard
RATE_OF = re.compile(
    rf"按(?:照)?(?P<cmp>{alt('comparators.ge', 'comparators.le')})?(?P<base>[^{_STOP}\d]{{2,20}}?)的(?P<num>{NUM})%?"
    rf"(?:\s*{DASH}\s*(?P<high>{NUM}))?(?P<cls>%)的?(?:比例|幅度)(?P<verb>{alt('rise_verbs')})(?P<obj>[^{_STOP}\d]{{2,20}})")
# `推广覆盖80%以上的镇(街道)`: a share of units reached, the verb before it
SHARE_REACHED = re.compile(
    rf"(?P<verb>{alt('reach_verbs')})(?P<num>{NUM})(?![\d.])\s*(?P<cls>%|‰)(?P<post>{_POST})?的(?P<subj>[^{_STOP}\d]{{1,12}})")
STANDARD = re.compile(
    rf"按(?:照)?(?P<per>每[十百千万]?[户人名](?:居民|老年人|人口)?)\s*(?P<num>{NUM})\s*(?P<cls>{_UNIT_RX})的?标准"
    rf"(?P<verb>{alt('standard_verbs')})?(?P<noun>[^{_STOP}\d]{{2,30}})")
COVERAGE = re.compile(rf"(?P<subj>[^{_STOP}]{{2,40}}?)(?P<words>(?:实现|达到)?(?:{alt('coverage_words')}))")
MAINSTREAM = re.compile(rf"(?P<subj>[^{_STOP}]{{2,30}}?)(?P<words>成为[^{_STOP}]{{0,16}}?(?:{alt('mainstream_words')}))")
# one value of a from-to list: `每人每月450元` (a rate before it), `300元/月`, `38%`
_FT_ITEM = rf"(?:{PER_UNITS_RX})?\s*{NUM}\s*(?:{_UNIT_RX})?"
_FT_YEAR = r"(?:(?P<{0}>(?:19|20)\d\d)\s*年(?:底|末)?的?)?"
FROM_TO = re.compile(
    rf"(?P<name>[^{_STOP}\d]{{2,30}}?)(?:分别)?(?:从|由)\s*{_FT_YEAR.format('y0')}"
    rf"(?P<a>{_FT_ITEM}(?:\s*[、和]\s*{_FT_ITEM})*)"
    rf"(?:{alt('rise_verbs')})(?:到|至)\s*{_FT_YEAR.format('y1')}(?P<b>{_FT_ITEM}(?:\s*[、和]\s*{_FT_ITEM})*)")
_VALUE_UNIT = re.compile(rf"(?P<per>{PER_UNITS_RX})?\s*(?P<num>{NUM})\s*(?P<unit>{_UNIT_RX})?")
_LEAD = re.compile(rf"^(?:到|至)?(?:20\d\d年(?:底|末)?|{alt('horizon')})?(?:{alt('lead_words', 'adverbs')})+")
_DENOM = re.compile(rf"^(?:每|各)|{_UNITS_OF_PLACE}$")
_GARBLED = re.compile(r"[^\u4e00-\u9fff\w()（）、\-—～~]")
_CHANGE = re.compile(alt("change_verbs"))
_COVER_WORD = words("coverage_words")[-1]  # the shortest: a cheap test before the pattern
_HAS_COUNT = re.compile(rf"(?:\d|[一二两三四五六七八九十])\s*(?:万?(?:{_CLS})|%|‰|平方米|{_UNIT_RX})")
_NOUN_CUT = re.compile(rf"(?:{alt('quantifiers')})|并|以|的标准")
_CJK2 = re.compile(r"[\u4e00-\u9fff]{2}")
_STANDARD_TAIL = re.compile(rf"(?:{alt('standard_verbs', 'coverage_words')})$")
_AIM_OPENER = re.compile(rf"^(?:{alt('aim_openers')})")
_INDICATOR_END = re.compile(rf"(?:{alt('rate_suffixes', 'indicator_nouns')})$")
_AIM_TAIL = re.compile(rf"(?:{alt('aim_subject_tails')})$")  # `…公墓建设实现全覆盖`: the facility, not the work
_COMPARATOR_WORDS = re.compile(rf"^(?:{alt('comparators.ge', 'comparators.le', 'comparators.approx')})+|"
                               rf"(?:{alt('comparators.ge', 'comparators.le', 'comparators.approx')})+$")


_URBAN_RURAL = re.compile(r"^(城市|城镇)[、和及与](农村牧区|农牧区|农村)(.+)$")


def names_for(name: str, n: int) -> list[str]:
    """`城乡低保标准` (or `城市、农村牧区…标准`) with two values → 城市…, 农村…; else the same name n times."""
    if n == 2 and name.startswith("城乡"):
        return ["城市" + name[2:], "农村" + name[2:]]
    m = _URBAN_RURAL.match(name)
    if n == 2 and m:
        return [m.group(1) + m.group(3), m.group(2) + m.group(3)]
    return [name] * n


def _strip(s: str) -> str:
    s = re.sub(r"\s+", "", s)
    prev = None
    while prev != s:
        prev = s
        s = _LEAD.sub("", s)
        s = re.sub(rf"(?:{_ADV})+$", "", s)
        s = s.lstrip("的、和及与")
    return s


def _noun(s: str) -> str:
    """A counted noun as written, without the adverbs around it (its scope words kept: `市级、县级…`)."""
    s = re.sub(r"\s+", "", s)
    s = re.sub(rf"^(?:{_ADV})+|(?:{_ADV})+$", "", s)
    return s.strip("的、和及与")


def _value(s: str) -> float | None:
    return parse_number(s)


def _clause_start(norm: str, pos: int) -> int:
    cut = max(norm.rfind(c, 0, pos) for c in "，,；;：:。")
    return cut + 1


def _taken(sent: Sentence, a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    s, e = sent.span_of(a, b)
    return any(x < e and s < y for x, y in spans)


def _row(sent: Sentence, m: re.Match, name: str, value, unit, comp, year, *, kind="level") -> RawTarget:
    t = RawTarget(raw_name=name, target_year=year, target_value=value, unit=unit, comparator=comp,
                  target_text=sent.words_of(m.start(), m.end()), source_kind="prose", quote=sent.text,
                  start=sent.start, end=sent.end, domain=section_name(sent.section), value_kind=kind)
    t.value_spans = [sent.span_of(m.start("num"), m.end("num"))]
    return t


def counts(sent: Sentence, year: int, level: list[RawTarget]) -> list[RawTarget]:
    """Counts, per-unit levels, shares before their subject and standards of one sentence."""
    norm = sent.norm
    if not _HAS_COUNT.search(norm):
        return []
    mentions = year_mentions(sent)
    taken = [s for t in level for s in t.value_spans]
    out: list[RawTarget] = []

    def add(t: RawTarget) -> None:
        taken.extend(t.value_spans)
        out.append(t)

    for t in pair_counts(sent, year):
        if not any(x < t.value_spans[0][1] and t.value_spans[0][0] < y for x, y in taken):
            add(t)
    for m in STANDARD.finditer(norm):
        noun = _STANDARD_TAIL.sub("", _strip(m.group("noun")))
        area = "平方米" in m.group("cls") or m.group("cls") in ("m²", "㎡")
        name = f"{m.group('per')}{noun}{'面积' if area else ''}"
        add(_row(sent, m, name, _value(m.group("num")), m.group("cls"), "=", year_at(mentions, m.start(), year)))
    for m in SHARE_FIRST.finditer(norm):
        if _taken(sent, m.start("num"), m.end("num"), taken):
            continue
        name = f"{_strip(m.group('pred'))}的{m.group('subj')}"
        comp = comparator_of(m.group("post") or "") or "="
        add(_row(sent, m, name, _value(m.group("num")), m.group("cls"), comp, year_at(mentions, m.start(), year)))
    for m in RATE_OF.finditer(norm):
        name = f"{_strip(m.group('obj'))}{m.group('verb')}幅度占{_strip(m.group('base'))}比例"
        comp = "range" if m.group("high") else (comparator_of(m.group("cmp") or "") or "=")
        t = _row(sent, m, name, _value(m.group("num")), "%", comp, year_at(mentions, m.start(), year), kind="change")
        if m.group("high"):
            t.target_value_high = _value(m.group("high"))
            t.value_spans.append(sent.span_of(m.start("high"), m.end("high")))
        add(t)
    for m in SHARE_REACHED.finditer(norm):
        if _taken(sent, m.start("num"), m.end("num"), taken):
            continue
        comp = comparator_of(m.group("post") or "") or "="
        add(_row(sent, m, f"{m.group('verb')}{m.group('subj')}比例", _value(m.group("num")), m.group("cls"), comp,
                 year_at(mentions, m.start(), year)))
    for rx in (COVER_COUNT, ALL_UNITS, PEOPLE, OBJECT_COUNT, COUNT_FIRST, PEOPLE_PER_UNIT, LIST_FIRST, LIST_COUNT):
        for m in rx.finditer(norm):
            if _taken(sent, m.start("num"), m.end("num"), taken):
                continue
            t = _count(sent, m, rx, mentions, year)
            if t is not None:
                add(t)
    return out


def _count(sent: Sentence, m: re.Match, rx, mentions, year) -> RawTarget | None:
    norm = sent.norm
    noun = _noun(m.group("noun")) if rx is not PEOPLE_PER_UNIT else f"{m.group('lead')}人数"
    noun = _NOUN_CUT.split(noun)[0]
    if len(noun) < 2 or not _CJK2.search(noun):
        return None
    value = _value(m.group("num"))
    comp = comparator_of(m.group(0)) or "="
    kind, text_from = "level", m.start()
    verb_before = _VERB_BEFORE.search(norm, 0, m.start() + 1) or _VERB_BEFORE.match(noun)
    if rx is ALL_UNITS:
        if not m.group("q") and not re.search(rf"{_UNITS_OF_PLACE}$", m.group("what")):
            return None
        name = f"{_strip(m.group('what'))}{noun}"
    elif rx is COVER_COUNT:
        name = noun
    elif rx is PEOPLE:
        name = f"{m.group('verb')}{noun}人数"
    elif rx is OBJECT_COUNT:
        name = _COMPARATOR_WORDS.sub("", noun)
        if len(name) < 2:  # `养老护理员培训不少于1200人次`: what is counted is the verb's, named before it
            subject = _strip(norm[_clause_start(norm, m.start()):m.start()])
            if len(subject) < 2 or _GARBLED.search(subject):
                return None
            name = f"{subject}{m.group('verb')}{m.group('cls').lstrip('万')}"
        if _CHANGE.fullmatch(m.group("verb")):
            kind, name = "change", m.group("verb") + noun
    elif rx in (LIST_FIRST, LIST_COUNT):
        if not verb_before or PAST_YEAR.search(m.group(0)):
            return None
        lead = _VERB_BEFORE.match(noun)
        name = noun[lead.end():] if lead else noun
        if len(name) < 2 or name in words("target_verbs"):
            return None
    else:
        lead = m.group("lead")
        if not _KEY_WORD.search(lead):
            return None
        change = _CHANGE.search(lead)
        if change:
            kind = "change"
            noun = change.group(0) + noun  # `新建20个…亭` → 新建…亭: an increment, named as one
        start = _clause_start(norm, m.start())
        raw_prefix = norm[start:m.start()]
        prefix = _strip(raw_prefix)
        if _GARBLED.search(prefix):  # text lost to mojibake before the clause: keep what follows it
            prefix = _GARBLED.split(prefix)[-1]
        prefix = _strip(prefix)
        limit = 20 if prefix.startswith("每") else 12
        name = noun
        if prefix and len(prefix) <= limit and _DENOM.search(prefix):
            if raw_prefix.lstrip().startswith("各") and not prefix.startswith("每"):
                prefix = "每个" + prefix  # `各乡镇建设1个…` is one per township
            name = f"{prefix}{noun}"
            text_from = start + raw_prefix.find(prefix[:1]) if prefix[:1] in raw_prefix else m.start()
        if m.group("high"):
            t = _row(sent, m, name, value, m.group("cls"), "range", year_at(mentions, m.start(), year), kind=kind)
            t.target_value_high = _value(m.group("high"))
            t.value_spans.append(sent.span_of(m.start("high"), m.end("high")))
            t.target_text = sent.words_of(text_from, m.end())
            return t
    t = _row(sent, m, name, value, m.group("cls"), comp, year_at(mentions, m.start(), year), kind=kind)
    t.target_text = sent.words_of(text_from, m.end())
    if m.groupdict().get("high"):  # `新建农村幸福院20—30所`
        t.comparator, t.target_value_high = "range", _value(m.group("high"))
        t.value_spans.append(sent.span_of(m.start("high"), m.end("high")))
    return t


PAIR_COUNT = re.compile(
    rf"(?P<lead>(?:(?:{_LEAD_WORD})\s*){{1,5}})(?P<num>{NUM})\s*(?P<cls>{_CLS})\s*[和、及与]\s*(?P<num2>{NUM})\s*"
    rf"(?P=cls)(?P<noun>[^{_STOP}、\d][^{_STOP}\d]{{1,29}})")


def pair_counts(sent: Sentence, year: int) -> list[RawTarget]:
    """`每个城乡社区分别平均不少于15个和7个社区社会组织` → two counts, 城市… and 农村…."""
    out = []
    mentions = year_mentions(sent)
    for m in PAIR_COUNT.finditer(sent.norm):
        if not _KEY_WORD.search(m.group("lead")):
            continue
        start = _clause_start(sent.norm, m.start())
        prefix = _strip(sent.norm[start:m.start()])
        noun = _noun(m.group("noun"))
        comp = comparator_of(m.group(0)) or "="
        for denom, grp in (zip(names_for(prefix.replace("每个", "").replace("每", ""), 2), ("num", "num2"))):
            name = f"每个{denom}{noun}" if prefix.startswith("每") else f"{denom}{noun}"
            t = _row(sent, m, name, _value(m.group(grp)), m.group("cls"), comp, year_at(mentions, m.start(), year))
            t.value_spans = [sent.span_of(m.start(grp), m.end(grp))]
            out.append(t)
    return out


_PLACE_ONLY = re.compile(rf"(?:{alt('places', 'scope_words')})+")


def qualitative_aims(sent: Sentence, year: int, explicit_only: bool = False) -> list[RawTarget]:
    """`…实现全覆盖`, `…成为…主流`: aims with no number, the words kept. `explicit_only`: only coverage
    the sentence says will be reached (`实现…全覆盖`), for paragraphs that name no year."""
    out = []
    for rx, word in ((COVERAGE, _COVER_WORD), (MAINSTREAM, "成为")):
        if word not in sent.norm or explicit_only and (rx is MAINSTREAM or "实现" not in sent.norm):
            continue
        for m in rx.finditer(sent.norm):
            subj = m.group("subj")
            if subj.endswith(("、", "和", "及")) or subj.startswith(words("principle_words")):
                continue  # `坚持无禁区、全覆盖`: a working principle, not an aim
            if explicit_only and "实现" not in subj + m.group("words"):
                continue
            if rx is COVERAGE and "实现" in subj:
                head, tail = subj.rsplit("实现", 1)
                # `…骨灰堂实现镇街全覆盖`: what follows 实现 is only where, the subject is before it
                subj = head if _PLACE_ONLY.fullmatch(tail) and len(_strip(head)) >= 3 else tail
            subj = _strip(subj)
            subj = _AIM_TAIL.sub("", _AIM_OPENER.sub("", subj))
            if len(subj) < 3 or re.search(r"\d", subj) or subj.endswith(("、", "和", "及", "与")):
                continue
            if explicit_only and not _INDICATOR_END.search(subj):
                continue  # with no year, only a facility or service counted the way indicators are (…骨灰堂)
            name = f"{subj}{m.group('words').lstrip('实现达到')}" if rx is COVERAGE else subj
            out.append(RawTarget(raw_name=name, target_year=year, comparator="qualitative",
                                 target_text=sent.words_of(m.start(), m.end()), source_kind="prose", quote=sent.text,
                                 start=sent.start, end=sent.end, domain=section_name(sent.section)))
    return out


def _values(s: str) -> list[tuple[float, str | None]]:
    items = [[parse_number(m.group("num")), m.group("unit"), m.group("per")] for m in _VALUE_UNIT.finditer(s)]
    for i in range(len(items) - 2, -1, -1):
        items[i][1] = items[i][1] or items[i + 1][1]
        items[i][2] = items[i][2] or items[i + 1][2]
    return [(v, (u or "") + PER_UNITS[per] if per else u) for v, u, per in items]  # `每人每月450元`: 元/人/月


_SINCE = re.compile(r"((?:19|20)\d\d)\s*年(?:以来|起)|从\s*((?:19|20)\d\d)\s*年")


def from_to(sent: Sentence, before: list[Sentence], past_section: bool) -> list[RawTarget]:
    """`…分别从460元/月、300元/月提高到636元/月、515元/月`: start and end observations, with their years
    (the start from `2016年以来` in the paragraph, the end 2020 in a review of the last plan)."""
    out = []
    para = [s for s in before if s.paragraph == sent.paragraph] + [sent]  # `before`: the paragraph so far
    context = "".join(s.norm for s in para)
    for m in FROM_TO.finditer(sent.norm):
        name = _strip(m.group("name"))
        if len(name) < 2:
            continue
        y0, y1 = (int(m.group(g)) if m.group(g) else None for g in ("y0", "y1"))
        if y1 and y1 > 2020 or y0 and y1 and y0 >= y1:
            continue  # `由2020年的…提高到2025年的…` is a target (fromto.from_year_to_year)
        since = [int(x.group(1) or x.group(2)) for x in _SINCE.finditer(context)]
        review = past_section or "十三五" in context or bool(since) or bool(y1)
        start_year = y0 or (since[-1] if since else (2015 if "十三五" in context else None))
        end_year = y1 or (2020 if review else None)
        a, b = _values(m.group("a")), _values(m.group("b"))
        for grp, vals, yr in (("a", a, start_year), ("b", b, end_year)):
            if yr is None:
                continue
            pos = m.start(grp)
            for nm, (v, u), vm in zip(names_for(name, len(vals)), vals, _VALUE_UNIT.finditer(m.group(grp))):
                t = RawTarget(raw_name=nm, baseline_year=yr, baseline_value=v, unit=u, source_kind="prose",
                              target_text=sent.words_of(m.start(), m.end()), quote=sent.text, start=sent.start,
                              end=sent.end, domain=section_name(sent.section))
                t.value_spans = [sent.span_of(pos + vm.start("num"), pos + vm.end("num"))]
                out.append(t)
    return out


def observations(sent: Sentence, found: list[RawTarget]) -> list[RawTarget]:
    """`2020年全市…为96.3%`: the values of a base-year sentence as observation rows (no target); a value in a
    clause of cumulative wording (`累计新增…900张`) is a total, not a level, and gives none."""
    cumulative = pattern("cumulative_markers")
    clauses = [(m.start(), m.end()) for m in re.finditer(r"[^，,；;]+", sent.text)
               if cumulative.search(m.group(0))] if cumulative.search(sent.text) else []
    years = [int(y) for y in PAST_YEAR.findall(sent.norm) if int(y) <= 2020]
    year = years[-1] if years else 2020
    out = []
    for b in found:
        if b.value_kind == "change" or b.comparator == "range":
            continue
        at = (b.value_spans[0][0] if b.value_spans else b.start) - sent.start
        if any(a <= at < e for a, e in clauses):
            continue
        t = RawTarget(raw_name=b.raw_name, baseline_year=year, baseline_value=b.target_value, unit=b.unit,
                      source_kind="prose", target_text=b.target_text, quote=b.quote, start=b.start, end=b.end,
                      domain=b.domain)
        t.value_spans = list(b.value_spans)
        out.append(t)
    return out

