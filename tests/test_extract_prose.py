"""Targets stated in prose: wordings, milestones, pairs, baselines nearby, and numbers that are not
targets (document numbers, dates, contents pages, phone numbers, achievements of the last plan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.clean import clean_document
from analysis.extract import extract_targets

FIX = Path(__file__).parent / "fixtures" / "extract"


def prose(text: str):
    res = extract_targets(text)
    out = [t for t in res.targets if t.source_kind == "prose"]
    for t in out:
        assert text[t.start:t.end] == t.quote
        assert t.target_text
    return out, res


def one(targets, name, year=2025):
    hits = [t for t in targets if t.raw_name == name and t.target_year == year]
    assert len(hits) == 1, [(t.raw_name, t.target_year, t.target_value) for t in targets]
    return hits[0]


@pytest.mark.parametrize("sentence,name,value,comparator,unit", [
    ("到2025年，养老机构护理型床位占比达到60%以上。", "养老机构护理型床位占比", 60, ">=", "%"),
    ("到2025年，全市养老机构护理型床位占比不低于55%。", "养老机构护理型床位占比", 55, ">=", "%"),
    ("政府运营的养老床位占比控制在50%以内。", "政府运营的养老床位占比", 50, "<=", "%"),
    ("力争全区长期滞留流浪乞讨人员落户安置率达到100%。", "长期滞留流浪乞讨人员落户安置率", 100, "=", "%"),
    ("“十四五”末，全市火化率保持100%。", "火化率", 100, "=", "%"),
    ("全市社会工作专业人才达4000人以上。", "社会工作专业人才", 4000, ">=", "人"),
    ("社会工作服务机构数量超过50家。", "社会工作服务机构数量", 50, ">", "家"),
    ("全市注册志愿者人数不少于12万人。", "注册志愿者人数", 12, ">=", "万人"),
    ("慈善捐赠总额达到0.8亿元。", "慈善捐赠总额", 0.8, "=", "亿元"),
    ("到2025年，节地生态安葬率提高到百分之六十。", "节地生态安葬率", 60, "=", "%"),
    ("养老护理员持证上岗率达到９０％以上。", "养老护理员持证上岗率", 90, ">=", "%"),
    ("实现专营销售站、兼营销售点数量不小于2,800个。", "专营销售站、兼营销售点数量", 2800, ">=", "个"),
    ("区域养老服务中心在乡镇(街道)的覆盖率总体达到60%。", "区域养老服务中心在乡镇(街道)的覆盖率", 60, "=", "%"),
    ("努力推动实现每万名城镇常住人口拥有社区工作者18人。", "每万名城镇常住人口拥有社区工作者", 18, "=", "人"),
    ("养老机构护理型床位占比60%以上。", "养老机构护理型床位占比", 60, ">=", "%"),
])
def test_wordings(sentence, name, value, comparator, unit):
    text = clean_document(sentence.encode("utf-8")).text
    t = one(prose(text)[0], name)
    assert (t.target_value, t.comparator, t.unit, t.target_year) == (value, comparator, unit, 2025)


def test_range_in_prose():
    t = one(prose("社区养老服务设施覆盖率达到90%-95%。")[0], "社区养老服务设施覆盖率")
    assert (t.comparator, t.target_value, t.target_value_high) == ("range", 90, 95)


def test_pair_split_into_urban_and_rural_shares():
    got, _ = prose("到“十四五”末，城乡低保标准分别达到上年度人均消费性支出的30%、50%以上，争取实现城乡统一。")
    urban = one(got, "城市低保标准占上年度人均消费性支出比例")
    rural = one(got, "农村低保标准占上年度人均消费性支出比例")
    assert (urban.target_value, rural.target_value, urban.comparator, rural.comparator) == (30, 50, ">=", ">=")
    assert urban.target_text == "城乡低保标准分别达到上年度人均消费性支出的30%、50%以上"


def test_pair_of_ranges_set_as_shares():
    got, _ = prose("建立动态调整机制，城乡低保标准按上年度城乡居民人均消费支出30%-40%和45%-55%确定；")
    urban = one(got, "城市低保标准占上年度城乡居民人均消费支出比例")
    rural = one(got, "农村低保标准占上年度城乡居民人均消费支出比例")
    assert (urban.comparator, urban.target_value, urban.target_value_high) == ("range", 30, 40)
    assert (rural.target_value, rural.target_value_high) == (45, 55)


def test_milestone_years_carry_within_a_paragraph():
    got, _ = prose("推动绿色殡葬。到 2021 年，全市新增骨灰节地生态安葬比例达到 60%以上，其中树葬等安葬方式力争达到 25%；"
                   "到 2022 年，全市新增骨灰节地生态安葬比例达到 65%以上。\n另起一段，火化率达到95%。")
    assert one(got, "新增骨灰节地生态安葬比例", 2021).target_value == 60
    assert one(got, "新增骨灰节地生态安葬比例", 2022).target_value == 65
    assert one(got, "火化率", 2025).target_value == 95  # the year does not carry into the next paragraph


def test_qualitative_growth_target():
    got, _ = prose("城乡低保标准年度增速不低于上年度居民人均消费支出增速，农村低保标准占城市低保标准比例达到90%。")
    q = one(got, "城乡低保标准年度增速")
    assert (q.comparator, q.target_value, q.target_text) == ("qualitative", None, "不低于上年度居民人均消费支出增速")
    assert one(got, "农村低保标准占城市低保标准比例").target_value == 90
    assert [t.raw_name for t in got] == ["城乡低保标准年度增速", "农村低保标准占城市低保标准比例"]


def test_rate_without_percent_sign_is_kept_and_flagged():
    got, res = prose("到 2025 年，农村居家和社区标准化养老服务中心建成率达到 40 以上。")
    t = one(got, "农村居家和社区标准化养老服务中心建成率")
    assert (t.target_value, t.comparator, t.unit) == (40, ">=", None)
    assert any(f.kind == "missing_unit" and f.start == t.start for f in res.flags)


def test_fixture_targets_baselines_and_noise():
    text = clean_document((FIX / "prose_targets_and_noise.txt").read_bytes()).text
    got, res = prose(text)
    beds = one(got, "养老机构护理型床位占比")
    assert (beds.target_value, beds.baseline_year, beds.baseline_value) == (60, 2020, 40)  # baseline from 发展基础
    assert beds.target_text == "全市养老机构护理型床位占比提高到百分之六十"
    burial = one(got, "节地生态安葬率")
    assert (burial.target_value, burial.comparator, burial.baseline_value) == (55, ">=", 38)
    assert one(got, "社区居家养老服务网络覆盖率", 2023).target_value == 85
    assert one(got, "城市低保标准占上年度居民人均消费支出比例").target_value == 32
    assert one(got, "农村低保标准占上年度居民人均消费支出比例").target_value == 48
    # nothing from the review of the last plan, the document number, the contents, the phone, the dates
    # (the one 1 is the per-unit count `每个乡镇(街道)至少建成1个…`, a target; not the 1 of `3月1日`)
    assert one(got, "每个乡镇(街道)综合养老服务中心").target_value == 1
    values = {t.target_value for t in res.targets if t.raw_name != "每个乡镇(街道)综合养老服务中心"}
    assert not values & {28, 3.26, 412, 97.5, 38, 2022, 3, 4, 86123456, 531, 1}
    assert all(t.target_year >= 2021 for t in got if t.target_year is not None)
    # rows with no target year are the review's observations, each with its base year
    assert {(t.raw_name, t.baseline_year, t.baseline_value) for t in got if t.target_year is None} >= {
        ("节地生态安葬率", 2020, 38), ("养老机构护理型床位占比", 2020, 40)}


def test_past_achievements_are_not_targets():
    text = ("“十三五”期间，全市养老机构护理型床位占比从28%提高到40%。2016年以来累计建成了社区养老服务站412个。"
            "累计发放救助资金3.26亿元。全市福利彩票销售额较“十二五”增长26.3%。")
    got = prose(text)[0]
    # no target: the `从…提高到…` statement is kept only as two observations (start and end of the last plan)
    assert all(t.target_value is None and t.target_year is None and t.comparator is None for t in got)
    assert sorted((t.baseline_year, t.baseline_value) for t in got) == [(2015, 28), (2020, 40)]


# ---- phrasing classes (issue 12): one short excerpt of our own per class ----

def _rows(text):
    return prose(clean_document(text.encode("utf-8")).text)[0]


def _by_name(rows):
    return {t.raw_name: t for t in rows}


def test_count_with_an_action_verb_number_before_the_noun():
    got = _by_name(_rows("到2025年，全县打造 6 个街道级老年食堂，培育12家专业助餐机构，新建3所区域养老服务中心。"))
    assert (got["街道级老年食堂"].target_value, got["街道级老年食堂"].unit) == (6, "个")
    assert got["专业助餐机构"].target_value == 12 and got["专业助餐机构"].unit == "家"
    new = got["新建区域养老服务中心"]  # what is newly built is a change
    assert (new.target_value, new.value_kind) == (3, "change")
    assert {t.value_kind for n, t in got.items() if n != "新建区域养老服务中心"} == {"level"}


def test_count_in_chinese_numerals_and_all_units_of_a_kind():
    got = _by_name(_rows("到2025年，每个乡镇至少建成一处综合养老服务中心，全县18个乡镇全部设立社工站。"))
    t = got["每个乡镇综合养老服务中心"]
    assert (t.target_value, t.comparator, t.unit) == (1, ">=", "处")
    assert got["乡镇社工站"].target_value == 18


def test_per_unit_levels_for_urban_and_rural_units():
    got = _by_name(_rows("“十四五”末，每个城乡社区分别不少于9个和4个志愿服务队伍。"))
    assert got["每个城市社区志愿服务队伍"].target_value == 9
    assert got["每个农村社区志愿服务队伍"].target_value == 4
    assert got["每个农村社区志愿服务队伍"].comparator == ">="


def test_standard_per_households_names_the_measured_thing():
    t = _by_name(_rows("按照每百户 25 平方米标准推进老年活动用房建设。"))["每百户老年活动用房面积"]
    assert (t.target_value, t.unit, t.comparator) == (25, "平方米", "=")


def test_share_before_its_subject():
    got = _by_name(_rows("到2025年，70%以上的乡镇普遍建立儿童之家。"))
    t = got["建立儿童之家的乡镇"]
    assert (t.target_value, t.comparator, t.unit) == (70, ">=", "%")


def test_people_count_before_what_they_do():
    t = _by_name(_rows("“十四五”期间，约3万人参加养老护理技能培训。"))["参加养老护理技能培训人数"]
    assert (t.target_value, t.unit, t.comparator) == (3, "万人", "=")


def test_counted_object_after_the_verb():
    t = _by_name(_rows("到2025年，力争救助困难老年人1200人。"))["困难老年人"]
    assert (t.target_value, t.unit) == (1200, "人")


def test_increment_is_a_change_not_a_level():
    got = _by_name(_rows("到2025年，全区养老护理员增加2万人左右，新增300张护理型床位。"))
    inc = got["养老护理员增加"]
    assert (inc.target_value, inc.unit, inc.comparator, inc.value_kind) == (2, "万人", "=", "change")
    beds = got["新增护理型床位"]
    assert (beds.target_value, beds.value_kind) == (300, "change")


def test_year_inside_the_clause_gives_each_value_its_own_year():
    got = _rows("到2025年，社区老年助餐点覆盖率2023年达到70%、2025年达到90%。")
    years = {(t.target_year, t.target_value) for t in got if t.raw_name == "社区老年助餐点覆盖率"}
    assert years == {(2023, 70), (2025, 90)}


def test_omitted_subject_is_carried_from_the_clause_before():
    got = _rows("提升特困人员集中供养率，到2025年达到百分之八十以上。")
    t = one(got, "特困人员集中供养率")
    assert (t.target_value, t.comparator) == (80, ">=")


def test_two_names_sharing_one_predicate_become_two_rows():
    got = _by_name(_rows("到2025年，老年人能力评估和健康档案覆盖率均保持100%。"))
    assert got["老年人能力评估覆盖率"].target_value == 100
    assert got["健康档案覆盖率"].target_value == 100


def test_qualitative_aims_keep_their_words():
    got = _by_name(_rows("到2025年，乡镇敬老院实现全覆盖，推动互助养老成为农村养老主流。"))
    cover = got["乡镇敬老院全覆盖"]
    assert (cover.comparator, cover.target_value, cover.target_year) == ("qualitative", None, 2025)
    main = got["互助养老"]
    assert main.comparator == "qualitative" and "主流" in main.target_text


def test_a_principle_is_not_an_aim():
    assert not [t for t in _rows("到2025年，坚持应保尽保、全覆盖。") if t.comparator == "qualitative"]


def test_from_to_in_a_review_gives_start_and_end_observations():
    got = _rows("“十三五”以来，救助水平稳步提高。城乡特困供养标准分别从700元/月、500元/月提高到900元/月、760元/月。")
    obs = sorted((t.raw_name, t.baseline_year, t.baseline_value, t.unit) for t in got)
    assert obs == [("农村特困供养标准", 2015, 500, "元/月"), ("农村特困供养标准", 2020, 760, "元/月"),
                   ("城市特困供养标准", 2015, 700, "元/月"), ("城市特困供养标准", 2020, 900, "元/月")]
    assert all(t.target_value is None and t.target_year is None for t in got)


def test_a_level_reached_in_the_review_of_the_last_plan_is_a_2020_observation():
    text = ("一、发展基础\n“十三五”期间，我县兜底保障持续加强，城乡低保标准分别提高到每人每月700元和520元，"
            "累计新增养老床位900张。\n二、发展目标\n到2025年，城乡低保标准分别达到每人每月820元和640元。\n")
    got = _rows(text)
    obs = sorted((t.raw_name, t.baseline_year, t.baseline_value, t.unit) for t in got if t.target_value is None)
    assert obs == [("农村低保标准", 2020, 520, "元/人/月"), ("城市低保标准", 2020, 700, "元/人/月")]
    assert sorted(t.target_value for t in got if t.target_value is not None) == [640, 820]  # the targets as before
    assert not [t for t in got if t.baseline_value == 900]  # a cumulative total is not a level
    aim = _rows("一、发展基础\n“十三五”期间，社会工作持续发展，力争实现持证社会工作者达到600人。\n")
    assert not [t for t in aim if t.baseline_value == 600]  # an aim written in the review is no past level


def test_base_year_values_are_observation_rows():
    got = _rows("2020年城乡低保标准分别为700元/人/月和8000元/人/年。")
    obs = {(t.raw_name, t.baseline_year, t.baseline_value, t.unit) for t in got}
    assert obs == {("城市低保标准", 2020, 700, "元/人/月"), ("农村低保标准", 2020, 8000, "元/人/年")}


def test_range_is_one_statement_with_both_bounds():
    t = one(_rows("到2025年，养老机构入住率保持在60%-75%。"), "养老机构入住率")
    assert (t.comparator, t.target_value, t.target_value_high) == ("range", 60, 75)


def test_range_of_a_count_per_unit():
    t = _by_name(_rows("每个社区配备3-5名专职网格员。"))["每个社区专职网格员"]
    assert (t.comparator, t.target_value, t.target_value_high, t.unit) == ("range", 3, 5, "名")


def test_a_vision_stays_2035():
    t = one(_rows("到2035年，养老机构护理型床位占比达到70%。"), "养老机构护理型床位占比", 2035)
    assert t.target_value == 70


def test_sentences_survive_hard_line_wraps():
    text = ("（二）主要目标\n到2025年，全市养老机构护理型床位占比提高\n到65%以上，特困人员集中供养率达到\n"
            "95%。\n（三）其他\n火化率保持100%。")
    got = _by_name(prose(text)[0])
    assert (got["养老机构护理型床位占比"].target_value, got["养老机构护理型床位占比"].target_year) == (65, 2025)
    assert got["特困人员集中供养率"].target_value == 95
    quote = got["特困人员集中供养率"].quote
    assert "\n" in quote and text[got["特困人员集中供养率"].start:got["特困人员集中供养率"].end] == quote
    assert got["火化率"].target_value == 100  # the heading line ends the paragraph before it


def test_a_review_paragraph_without_headings_gives_no_targets():
    text = ("“十三五”期间，全市民政事业稳步发展。\n养老服务更加完善，建成社区养老服务站35个，新增床位800张。\n"
            "“十四五”时期，民政事业进入新阶段。\n到2025年，建成社区养老服务站60个。")
    got = prose(text)[0]
    assert [(t.raw_name, t.target_value) for t in got if t.target_year] == [("社区养老服务站", 60)]


@pytest.mark.parametrize("sentence,name,value,comparator,unit", [
    ("居家养老上门服务覆盖率≥85%。", "居家养老上门服务覆盖率", 85, ">=", "%"),
    ("到2025年，乡镇敬老院消防达标率实现100%。", "乡镇敬老院消防达标率", 100, "=", "%"),
    ("到2025年，殡葬服务群众满意度达到92%以上。", "殡葬服务群众满意度", 92, ">=", "%"),
    ("到2025年，收养登记“一网通办”办理率达到95%。", "收养登记“一网通办”办理率", 95, "=", "%"),
    ("提高散居孤儿基本生活保障标准，到2025年达到每人每月1500元。", "散居孤儿基本生活保障标准", 1500, "=", "元/人/月"),
    ("特困人员基本生活标准不低于当地低保标准的1.4倍。", "特困人员基本生活标准", 1.4, ">=", "倍"),
])
def test_more_wordings(sentence, name, value, comparator, unit):
    t = one(_rows(sentence), name)
    assert (t.target_value, t.comparator, t.unit) == (value, comparator, unit)


def test_a_bare_rate_is_the_rate_of_the_thing_just_named():
    got = _by_name(_rows("到2025年，各乡镇建设1个农村养老服务中心，覆盖率达到90%。"))
    assert got["农村养老服务中心覆盖率"].target_value == 90
    assert got["每个乡镇农村养老服务中心"].target_value == 1  # 各乡镇: one per township


def test_more_classes_of_unseen_wording():
    got = _by_name(_rows("到2025年，全区建成18个嵌入式养老机构和90个农村互助养老点，新增老年活动用房面积2万平方米。"
                         "婚姻登记机构3A级以上达标率达到100%，养老护理员、社会工作者持证率均达到85%。"))
    assert got["嵌入式养老机构"].target_value == 18 and got["农村互助养老点"].target_value == 90
    area = got["新增老年活动用房面积"]
    assert (area.target_value, area.unit, area.value_kind) == (2, "万平方米", "change")
    assert got["婚姻登记机构3A级以上达标率"].target_value == 100
    assert got["养老护理员持证率"].target_value == 85 and got["社会工作者持证率"].target_value == 85


def test_a_grade_inside_a_name_stays_in_the_name():
    got = _by_name(_rows("到2025年，福利院4A级以上达标率100%，养老机构服务质量达标率100%。"))
    assert "福利院4A级以上达标率" in got and got["福利院4A级以上达标率"].target_value == 100
    assert "A级以上达标率" not in got


def test_a_part_after_qizhong_is_its_own_count():
    got = _by_name(_rows("到2025年，全市养老护理员总数达到5000人，其中取得职业技能等级证书的养老护理员3200人。"))
    assert got["养老护理员总数"].target_value == 5000
    part = [t for t in got.values() if t.target_value == 3200]
    assert len(part) == 1 and part[0].raw_name.endswith("养老护理员") and "其中" not in part[0].raw_name


@pytest.mark.parametrize("sentence,names", [
    ("到2025年，村级和乡镇级养老服务站覆盖率分别达到60%和90%。", ["村级养老服务站覆盖率", "乡镇级养老服务站覆盖率"]),
    ("到2025年，社区养老服务设施覆盖率和农村幸福院覆盖率分别达到95%和70%。", ["社区养老服务设施覆盖率", "农村幸福院覆盖率"]),
    ("到2025年，乡镇和县级公益性骨灰堂覆盖率分别达到75%和100%。", ["乡镇公益性骨灰堂覆盖率", "县级公益性骨灰堂覆盖率"]),
])
def test_two_names_with_a_value_each(sentence, names):
    got = [(t.raw_name, t.target_value) for t in _rows(sentence)]
    assert [n for n, _ in got] == names


def test_from_to_with_years_or_per_person_rates_in_a_review():
    got = _rows("一、发展基础\n“十三五”时期，全县农村低保标准由2015年的每人每年2900元提高到2020年的每人每年5100元，"
                "城市低保标准由每人每月420元提高到每人每月610元。\n")
    obs = sorted((t.raw_name, t.baseline_year, t.baseline_value, t.unit) for t in got)
    assert obs == [("农村低保标准", 2015, 2900, "元/人/年"), ("农村低保标准", 2020, 5100, "元/人/年"),
                   ("城市低保标准", 2015, 420, "元/人/月"), ("城市低保标准", 2020, 610, "元/人/月")]
    assert all(t.target_value is None for t in got)


def test_each_before_a_coverage_is_not_part_of_its_name():
    got = _by_name(_rows("到2025年，每个乡镇(街道)儿童之家覆盖率达到100%，每个社区配备2名儿童主任。"))
    assert "乡镇(街道)儿童之家覆盖率" in got  # the coverage itself; a count per unit keeps 每个


def test_a_base_year_value_is_the_baseline_of_the_same_measure_only():
    got = _rows("2020年，全县特困人员集中供养率为38%，火化率为82%。到2025年，生活不能自理特困人员集中供养率不低于60%，"
                "全县火化率达到90%。")
    targets = {t.raw_name: t for t in got if t.target_value is not None}
    assert targets["生活不能自理特困人员集中供养率"].baseline_value is None  # a narrower measure than the 38 %
    assert (targets["火化率"].baseline_year, targets["火化率"].baseline_value) == (2020, 82)  # 全县 is only a place


def test_a_per_household_rate_written_after_the_name_goes_before_it():
    got = _by_name(_rows("到2025年，农村社区综合服务设施面积每百户不低于20平方米。"))
    t = got["农村每百户社区综合服务设施面积"]
    assert (t.target_value, t.unit, t.comparator) == (20, "平方米", ">=")


def test_a_rise_and_other_statements_in_one_sentence_wrapped_as_a_layout_export():
    text = ("二、发展目标\n到2025年，社区养老服务设施覆盖率由2020年的40%提升至2025年的90%，农村幸福院\n"
            "    达到 120 个，乡镇敬老院改造提升\n    率达到 100%，80周岁以上老年人高龄津贴发放率保持100%。\n")
    got = {t.raw_name: t for t in _rows(text)}
    assert (got["社区养老服务设施覆盖率"].baseline_value, got["社区养老服务设施覆盖率"].target_value) == (40, 90)
    assert got["农村幸福院"].target_value == 120 and got["乡镇敬老院改造提升率"].target_value == 100
    assert got["80周岁以上老年人高龄津贴发放率"].target_value == 100  # an age is part of the name
    assert len([t for t in got.values() if t.target_value == 90]) == 1  # the rise is read once


@pytest.mark.parametrize("sentence,name,baseline,target", [
    ("到2025年，县级以上福利院床位利用率提高到75%（2020年为52%）。", "县级以上福利院床位利用率", 52, 75),
    ("到2025年，全市社区养老服务设施达到300个，比2020年的180个增加120个。", "社区养老服务设施", 180, 300),
    ("到2025年，每千名老年人拥有养老床位数达到38张(2020年:31张)。", "每千名老年人拥有养老床位数", 31, 38),
])
def test_a_base_year_value_written_after_the_target_is_its_baseline(sentence, name, baseline, target):
    got = _rows(sentence)
    t = one(got, name)
    assert (t.baseline_year, t.baseline_value, t.target_value) == (2020, baseline, target)
    assert not [r for r in got if r.target_value == baseline]  # not a second target


def test_a_news_reports_framing_is_not_part_of_a_name():
    got = [t.raw_name for t in _rows("規劃提出全縣鄉鎮養老服務中心覆蓋率達到80%。局長表示：「我們還將推動困難殘疾人生活補貼覆蓋率保持100%。」")]
    assert got == ["乡镇养老服务中心覆盖率", "困难残疾人生活补贴覆盖率"]


def test_counts_and_years_in_chinese_numerals():
    got = _rows("到2025年，全县乡镇敬老院达到十二所，每千名老年人拥有养老床位数不少于三十二张。"
                "展望二〇三五年，每千名老年人拥有养老床位数达到四十张。")
    assert {(t.raw_name, t.target_year, t.target_value, t.comparator) for t in got} == {
        ("乡镇敬老院", 2025, 12, "="), ("每千名老年人拥有养老床位数", 2025, 32, ">="),
        ("每千名老年人拥有养老床位数", 2035, 40, "=")}
    assert all("十二所" in t.quote or "四十张" in t.quote for t in got)  # quoted as written


def test_a_comparator_before_the_base_of_a_share_is_not_part_of_its_name():
    t = _rows("到2025年，农村低保标准按照不低于上年度农村居民人均消费支出的35%确定。")[0]
    assert (t.raw_name, t.target_value, t.comparator) == ("农村低保标准占上年度农村居民人均消费支出比例", 35, ">=")
