"""Phrasing classes added for unseen documents, one short excerpt of our own per class (never a seed
sentence): changes against the base year, a verb-first clause, per-value rates, dash ranges, Chinese
tenths, multiples, labelled indicator lists, lead-in years, a base year over `;`, reviews ended by a
paragraph about the plan years, coverage aims, a place taking the measure before it, a scope written
after the name; and the cleaning and registry data they rely on."""

from __future__ import annotations

import pytest

from analysis.align.registry import load_registry
from analysis.clean import clean_document
from analysis.extract import extract_targets
from analysis.extract.numbers import normalise_cn_percent_map


def rows(text: str):
    clean = clean_document(text.encode("utf-8")).text
    got = [t for t in extract_targets(clean).targets if t.source_kind == "prose"]
    for t in got:
        assert clean[t.start:t.end] == t.quote
    return got


def named(got, name, year=2025):
    hits = [t for t in got if t.raw_name == name and t.target_year == year]
    assert len(hits) == 1, [(t.raw_name, t.target_year, t.target_value, t.unit) for t in got]
    return hits[0]


def numeric(got):
    return {(t.raw_name, t.target_value) for t in got if t.target_value is not None}


def test_change_against_the_base_year_is_a_target_not_a_baseline():
    got = rows("第二章 发展目标\n村级综合服务站达标率比2020年提高12个百分点，社区社会组织数量较2020年末增长25%。")
    up = named(got, "村级综合服务站达标率提高")
    assert (up.target_value, up.unit, up.value_kind, up.baseline_year) == (12, "个百分点", "change", None)
    assert named(got, "社区社会组织数量增长").target_value == 25
    assert not [t for t in got if t.baseline_year]  # 2020 is the base of a change, not a base-year value


def test_past_change_against_an_earlier_plan_stays_past():
    got = rows("全市福利彩票销售额较“十二五”末增长了26.3%，较2015年提高8个百分点。")
    assert numeric(got) == set()


def test_verb_first_clause_takes_the_subject_of_the_clause_before():
    got = rows("到2025年，专职社会工作者人数在2020年基础上翻一番，达到360人以上，慈善组织数量达到20家。")
    t = named(got, "专职社会工作者人数")
    assert (t.target_value, t.comparator, t.unit) == (360, ">=", "人")
    # the 翻一番 is not a second row: the next clause states the value
    assert numeric(got) == {("慈善组织数量", 20), ("专职社会工作者人数", 360)}


def test_each_value_carries_its_own_rate():
    got = rows("截至2020年底，城镇、农村低保标准分别达到每人每月710元和每人每年6900元。")
    base = {(t.raw_name, t.baseline_value, t.unit) for t in got if t.baseline_year == 2020}
    assert base == {("城镇低保标准", 710, "元/人/月"), ("农村低保标准", 6900, "元/人/年")}


@pytest.mark.parametrize("sentence,low,high", [
    ("到2025年，养老机构护理型床位占比达到45%—55%。", 45, 55),
    ("到2025年，养老机构护理型床位占比达到45%－55%。", 45, 55),
    ("到2025年，养老机构护理型床位占比达到45%--55%。", 45, 55),
])
def test_range_with_any_dash(sentence, low, high):
    t = named(rows(sentence), "养老机构护理型床位占比")
    assert (t.comparator, t.target_value, t.target_value_high) == ("range", low, high)


def test_count_range_with_a_dash():
    t = named(rows("“十四五”期间，新建乡镇敬老院8—12所。"), "新建乡镇敬老院")
    assert (t.comparator, t.target_value, t.target_value_high, t.unit) == ("range", 8, 12, "所")


@pytest.mark.parametrize("text,expected", [
    ("达到三成以上", "达到30%以上"),
    ("不低于两成", "不低于20%"),
    ("占七成左右", "占70%左右"),
    ("建成三所", "建成三所"),  # 成 of 建成: not a number
    ("一成不变", "一成不变"),
    ("提高到百分之百", "提高到100%"),
])
def test_chinese_tenths_and_percent_words(text, expected):
    norm, origin = normalise_cn_percent_map(text)
    assert norm == expected
    assert len(origin) == len(norm) + 1 and origin[-1] == len(text)


def test_tenths_in_a_target_sentence():
    t = named(rows("到2025年，全市节地生态安葬率提高到四成以上。"), "节地生态安葬率")
    assert (t.target_value, t.comparator, t.unit) == (40, ">=", "%")
    assert t.target_text.endswith("四成以上")  # quoted in the document's own words


def test_multiples():
    got = rows("到2025年，全县慈善捐赠总额达到2020年的两倍，持证社工人数翻一番，临时救助水平不低于当地低保标准的2倍。")
    assert (named(got, "慈善捐赠总额").target_value, named(got, "慈善捐赠总额").unit) == (2, "倍")
    assert named(got, "持证社工人数").target_value == 2
    help_ = named(got, "临时救助水平")
    assert (help_.target_value, help_.comparator, help_.unit) == (2, ">=", "倍")
    reg = load_registry()  # a multiple is never aligned to the level it multiplies
    assert reg.match("慈善捐赠总额", "倍").indicator is None


def test_labelled_list_of_indicators():
    text = ("（二）主要指标\n到2025年，主要指标如下：\n"
            "1. 养老机构护理型床位占比：58%（约束性）\n"
            "2. 低保标准年度增速：不低于上年度居民人均消费支出增速（约束性）\n"
            "3. 县级公益性公墓覆盖率：2020年为50%，2025年达到100%（约束性）\n"
            "4. 社区养老服务设施覆盖率：城市社区100%、农村社区65%以上（预期性）\n"
            "5. 每万人拥有社会组织数：9个（预期性）\n")
    got = rows(text)
    beds = named(got, "养老机构护理型床位占比")
    assert (beds.target_value, beds.comparator, beds.attribute) == (58, "=", "约束性")
    growth = named(got, "低保标准年度增速")
    assert (growth.comparator, growth.target_text) == ("qualitative", "不低于上年度居民人均消费支出增速")
    burial = named(got, "县级公益性公墓覆盖率")
    assert (burial.baseline_year, burial.baseline_value, burial.target_value) == (2020, 50, 100)
    assert named(got, "城市社区社区养老服务设施覆盖率").target_value == 100
    rural = named(got, "农村社区社区养老服务设施覆盖率")
    assert (rural.target_value, rural.comparator, rural.attribute) == (65, ">=", "预期性")
    assert named(got, "每万人拥有社会组织数").unit == "个"
    assert len([t for t in got if t.target_year]) == 6


def test_box_item_label_is_not_a_list_value():
    got = rows("专栏2 殡葬设施工程\n县级殡仪馆：新建县级殡仪馆2个，火化率达到100%。")
    assert ("县级殡仪馆", 2) not in numeric(got) or all(not t.raw_name.startswith("新建县级殡仪馆县级") for t in got)
    assert named(got, "火化率").target_value == 100


def test_lead_in_line_names_the_year_of_the_paragraphs_after_it():
    got = rows("（一）阶段目标\n力争到2023年，实现以下目标：\n社区助餐服务覆盖率达到50%。\n"
               "养老机构服务质量达标率达到90%。\n（二）远期安排\n社区助餐服务覆盖率达到80%。")
    assert named(got, "社区助餐服务覆盖率", 2023).target_value == 50
    assert named(got, "养老机构服务质量达标率", 2023).target_value == 90
    assert named(got, "社区助餐服务覆盖率", 2025).target_value == 80  # a new section: no lead-in year


def test_base_year_goes_on_over_a_semicolon():
    got = rows("一、发展基础\n截至2020年底，全县共有养老床位900张；城乡低保标准分别达到每人每月600元、每人每年5400元。")
    assert {(t.raw_name, t.baseline_value) for t in got if t.baseline_year == 2020} >= {
        ("城市低保标准", 600), ("农村低保标准", 5400)}
    assert numeric(got) == set()


def test_review_ends_at_a_paragraph_about_the_plan_years():
    text = ("“十三五”期间，全县建成互助幸福院30所，火化率达到45%。\n"
            "记者了解到，规划提出，到2025年，全县火化率达到60%，养老机构护理型床位占比不低于55%。\n"
            "此外，节地生态安葬率达到30%。")
    assert numeric(rows(text)) == {("养老机构护理型床位占比", 55), ("火化率", 60), ("节地生态安葬率", 30)}


def test_coverage_aims():
    got = rows("三、主要任务\n推进殡葬设施建设，全县公益性骨灰堂实现乡镇全覆盖，农村公益性公墓建设实现全覆盖。"
               "坚持应保尽保、全覆盖。")
    names = {t.raw_name for t in got if t.comparator == "qualitative"}
    assert names == {"公益性骨灰堂全覆盖", "农村公益性公墓全覆盖"}  # a principle (坚持…) is not an aim
    reg = load_registry()
    assert {reg.match(n).indicator.id for n in names} == {"burial_facility_coverage"}


def test_a_place_alone_takes_the_measure_before_it():
    got = rows("到2025年，城市社区老年食堂覆盖率达到90%，农村达到50%以上。")
    t = named(got, "农村社区老年食堂覆盖率")
    assert (t.target_value, t.comparator) == (50, ">=")


def test_growth_per_year_keeps_its_name():
    got = rows("“十四五”期间，城乡最低生活保障标准年均增长5%左右。")
    t = named(got, "城乡最低生活保障标准年均增长")
    assert (t.target_value, load_registry().match(t.raw_name, t.unit).indicator.id) == (5, "dibao_growth")


def test_count_of_what_a_verb_does():
    t = named(rows("到2025年，全市养老护理员培训不少于3000人次。"), "养老护理员培训人次")
    assert (t.target_value, t.comparator) == (3000, ">=")


def test_speaker_words_are_not_part_of_the_name():
    t = named(rows("局长表示：“我们将把县级公益性公墓覆盖率提高到100%。”"), "县级公益性公墓覆盖率")
    assert t.target_value == 100


@pytest.mark.parametrize("name,unit,indicator,scope", [
    ("养老机构护理型床位数占养老床位总数的比例", "%", "nursing_bed_share", None),
    ("养老机构中护理型床位所占比例", "%", "nursing_bed_share", None),
    ("城乡低保标准年增幅", "%", "dibao_growth", "urban_rural"),
    ("低保标准每年增幅", "%", "dibao_growth", None),
    ("城乡低保标准年均增长", "%", "dibao_growth", "urban_rural"),
    ("各县(市、区)公益性骨灰堂覆盖率", "%", "burial_facility_coverage", "county"),
    ("乡镇公益性骨灰堂全覆盖", None, "burial_facility_coverage", "township"),
    ("公益性安葬(放)设施县级覆盖率", "%", "burial_facility_coverage", "county"),
])
def test_registry_wordings_of_the_key_indicators(name, unit, indicator, scope):
    m = load_registry().match(name, unit)
    assert m is not None and m.indicator is not None and (m.indicator.id, m.scope) == (indicator, scope)


def test_traditional_spam_in_an_official_name_is_removed_and_the_name_restored():
    raw = "本報訊 青山縣365bet澳門新葡京_皇冠體育網_真人娛樂城辦公室印發了規劃。".encode()
    res = clean_document(raw)
    assert "青山县人民政府办公室印发了规划" in res.text
    assert not any(w in res.text for w in ("娱乐", "皇冠", "bet", "澳门"))
    assert any(f.kind == "spam_removed" for f in res.flags)


def test_one_column_cms_cell_keeps_one_line_per_paragraph():
    html = ("<html><body><table><tr><td>导航 | 首页</td></tr><tr><td><p>序号</p><p>指标</p><p>2025年</p>"
            "<p>1</p><p>养老机构护理型床位占比</p><p>60</p></td></tr></table></body></html>")
    lines = [x for x in clean_document(html.encode("utf-8")).text.split("\n") if x.strip()]
    assert lines[-6:] == ["序号", "指标", "2025年", "1", "养老机构护理型床位占比", "60"]


def test_comparator_after_the_verb():
    t = named(rows("到2025年末，全区养老机构护理型床位占比提升至不低于55%。"), "养老机构护理型床位占比")
    assert (t.target_value, t.comparator) == (55, ">=")


def test_growth_stated_against_another_measure_without_增速():
    got = rows("城乡低保标准年均增长不低于当地居民人均消费支出增长，低保标准增长与经济社会发展水平相适应。")
    reg = load_registry()
    for name in ("城乡低保标准年均增长", "低保标准增长"):
        t = named(got, name)
        assert t.comparator == "qualitative" and reg.match(t.raw_name, t.unit).indicator.id == "dibao_growth"


@pytest.mark.parametrize("name,indicator,scope", [
    ("养老床位中护理型床位比例", "nursing_bed_share", None),
    ("县域内公益性殡葬设施全覆盖", "burial_facility_coverage", "county"),
    ("护理型床位占养老床位比例", "nursing_bed_share", None),
    ("养老服务机构护理型床位占比", "nursing_bed_share", None),
    ("城乡居民最低生活保障标准增长率", "dibao_growth", "urban_rural"),
    ("城市居民最低生活保障标准", "dibao_urban_standard", "urban"),
    ("农村居民低保标准", "dibao_rural_standard", "rural"),
])
def test_registry_more_wordings(name, indicator, scope):
    m = load_registry().match(name, "%" if name.endswith("比例") else None)
    assert (m.indicator.id, m.scope) == (indicator, scope)


def test_spam_led_by_chinese_brand_words_is_removed_from_its_first_spam_word():
    res = clean_document("青山县开云体育官方网站_kaiyun登录入口办公室印发了规划。".encode())
    assert res.text.startswith("青山县人民政府办公室印发了规划")
    plain = clean_document("建设养老服务中心_社区|站点".encode())  # no spam words: nothing removed
    assert plain.text == "建设养老服务中心_社区|站点" and not plain.flags


def test_text_hidden_from_readers_is_dropped_without_a_break():
    html = ("<html><body><p>青山县人民政府<span style='display:none'>澳门葡京 在线观看</span>印发规划。</p>"
            "<p>正文</p><div>其他</div></body></html>")
    text = clean_document(html.encode()).text
    assert "青山县人民政府印发规划。" in text and "澳门" not in text and "其他" in text


def test_scope_written_after_the_name_is_read_before_it():
    got = rows("到2025年，居家养老服务站点覆盖率城市达到95%、农村达到60%；"
               "养老机构护理型床位占比城镇不低于58%，农村牧区不低于45%。")
    assert numeric(got) == {("城市居家养老服务站点覆盖率", 95), ("农村居家养老服务站点覆盖率", 60),
                            ("城镇养老机构护理型床位占比", 58), ("农村牧区养老机构护理型床位占比", 45)}
    assert named(got, "城镇养老机构护理型床位占比").comparator == ">="
    hit = load_registry().match("农村牧区养老机构护理型床位占比", "%")
    assert (hit.indicator.id, hit.scope) == ("nursing_bed_share", "rural")



def test_a_growth_clause_after_a_clause_without_a_value_takes_its_subject():
    got = rows("到2025年，城乡低保标准随经济发展逐步提高，年均增幅不低于6%。")
    t = named(got, "城乡低保标准年均增幅")
    assert (t.target_value, t.comparator, t.unit) == (6, ">=", "%")
    assert load_registry().match(t.raw_name, t.unit).indicator.id == "dibao_growth"


def test_the_same_rate_at_another_scope_takes_the_name_before():
    got = rows("到2025年，公益性安葬（放）设施县级覆盖率达到100%，乡镇覆盖率达到85%以上。")
    t = named(got, "乡镇公益性安葬(放)设施覆盖率")
    assert (t.target_value, t.comparator) == (85, ">=")
    hit = load_registry().match(t.raw_name, "%")
    assert (hit.indicator.id, hit.scope) == ("burial_facility_coverage", "township")


@pytest.mark.parametrize("text,unit,baseline_year", [
    ("第二章 目标\n农村低保标准由每人每年5800元提高到7000元以上。", "元/人/年", None),
    ("第二章 目标\n到2025年，农村低保标准从2020年的5800元/人/年提高到7000元以上。", "元/人/年", 2020),
])
def test_a_rise_without_its_target_year_is_a_plan_target(text, unit, baseline_year):
    t = named(rows(text), "农村低保标准")
    assert (t.target_value, t.comparator, t.unit, t.baseline_value, t.baseline_year) == (7000, ">=", unit, 5800,
                                                                                         baseline_year)


@pytest.mark.parametrize("text", ["“十三五”期间，农村低保标准累计从每人每年4800元提高到5800元。",
                                  "各地残疾人补贴标准从每人每月60元到120元不等。"])
def test_a_past_rise_or_a_spread_is_no_target(text):
    assert numeric(rows("第二章 目标\n" + text)) == set()
