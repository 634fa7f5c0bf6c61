"""Name matching through wording variants; units and scopes that block a match; the curator's workflow.

Every name here is written for the test (not copied from a seed document)."""

from __future__ import annotations

import shutil

import duckdb
import pytest
import yaml
from conftest import ROOT

from analysis.align.curate import accept, closest, insert_alias, suggest
from analysis.align.registry import Indicator, Registry, RegistryError, load_registry
from analysis.align.variants import load_unit_dimensions, load_variants

REF = ROOT / "data/reference"


@pytest.fixture(scope="module")
def registry():
    return load_registry(REF / "indicators.yaml")


def _id(registry, name, unit=None):
    m = registry.match(name, unit)
    return m.indicator.id if m is not None and m.indicator is not None else None


@pytest.fixture()
def toy():
    """A two-entry registry with the real variant tables: each test names its own wording."""
    inds = [Indicator("bed_share", "养老机构护理型床位占比", "Nursing-bed share", "养老服务", "", "%", "higher_is_better"),
            Indicator("std_growth", "救助标准年度增速", "Growth of the standard", "社会救助", "", "%", "higher_is_better"),
            Indicator("station_cov", "乡镇(街道)服务站覆盖率", "Station coverage", "基层治理", "", "%", "higher_is_better",
                      scopes=["township", "county"]),
            Indicator("elder_beds", "每千名老年人拥有养老床位数", "Beds per 1,000 older people", "养老服务", "", "张",
                      "higher_is_better")]
    return Registry(inds, None, load_variants(REF / "name_variants.yaml"), load_unit_dimensions(REF / "unit_dimensions.csv"))


@pytest.mark.parametrize("written", ["救助标准年均增长率", "救助标准增幅", "救助标准年度增长率", "救助标准年增速", "救助标准增长幅度"])
def test_growth_synonyms(toy, written):
    m = toy.match(written, "%")
    assert m.indicator.id == "std_growth" and m.method == "variant" and "growth" in m.note


@pytest.mark.parametrize("written", ["养老机构护理型床位比例", "养老机构护理型床位比重", "养老机构护理型床位所占比重"])
def test_share_synonyms(toy, written):
    assert _id(toy, written, "%") == "bed_share"


@pytest.mark.parametrize("written", ["每千名老人拥有养老床位数", "每千名长者养老床位数", "每千名老年人的养老床位数"])
def test_people_served_and_fillers(toy, written):
    assert _id(toy, written, "张") == "elder_beds"


@pytest.mark.parametrize("written", ["“养老机构护理型床位”占比", "「养老机构护理型床位」占比", "『养老机构护理型床位』占比",
                                     "‘养老机构护理型床位’占比", "《养老机构护理型床位》占比", "养老机构 护理型床位 占比"])
def test_every_kind_of_quotation_mark(toy, written):
    assert _id(toy, written, "%") == "bed_share"


@pytest.mark.parametrize("written,scope,scope_zh", [
    ("县级服务站覆盖率", "county", "县级"), ("服务站覆盖率(县级)", "county", "县级"), ("服务站覆盖率（县级）", "county", "县级"),
    ("(县级)服务站覆盖率", "county", "县级"), ("旗县级服务站覆盖率", "county", None), ("苏木乡镇服务站覆盖率", "township", None)])
def test_scope_words_before_or_after_in_brackets_or_not(toy, written, scope, scope_zh):
    m = toy.match(written, "%")
    assert m.indicator.id == "station_cov" and m.scope == scope
    if scope_zh:
        assert m.scope_zh == scope_zh


def test_a_scope_the_indicator_is_not_stated_at_blocks_it(toy):
    m = toy.match("街道服务站覆盖率", "%")  # subdistricts only: another denominator
    assert m.indicator is None and m.method == "scope_blocked"


@pytest.mark.parametrize("unit", ["张", "个", "人", "万元"])
def test_a_unit_of_another_dimension_blocks_the_match(toy, unit):
    m = toy.match("养老机构护理型床位占比", unit)
    assert m.indicator is None and m.method == "unit_blocked" and unit in m.note


@pytest.mark.parametrize("unit", [None, "%", "％", "‰"])
def test_units_of_the_same_dimension_or_none_do_not_block(toy, unit):
    assert _id(toy, "养老机构护理型床位占比", unit) == "bed_share"


def test_bed_count_is_never_the_share(registry):
    assert _id(registry, "护理型床位", "%") == "nursing_bed_share"
    assert _id(registry, "护理型床位", "张") != "nursing_bed_share"


def test_one_concept_one_id_different_concepts_apart(registry):
    assert _id(registry, "街道范围具备综合功能的养老服务机构覆盖率", "%") == "subdistrict_elderly_service_coverage"
    assert _id(registry, "乡镇(街道)具备综合功能的养老服务机构覆盖率", "%") == "township_elderly_service_coverage"
    assert _id(registry, "村级综合服务设施达标率", "%") != _id(registry, "村级综合服务设施覆盖率", "%")
    assert _id(registry, "社会工作专业人才总量", "人") != _id(registry, "社会工作专业人才占总人口比例", None)
    # the same indicator in a table and in prose, or worded by two cities, is one id
    assert {_id(registry, n, "%") for n in ("养老机构护理型床位占比", "护理型床位比例", "养老机构护理型床位所占比重")} \
        == {"nursing_bed_share"}


def test_no_scope_is_invented(registry):
    m = registry.match("农村低保标准占城市低保标准比例", "%")
    assert m.indicator.id == "dibao_rural_urban_ratio" and m.scope is None


def test_the_variant_tables_merge_no_two_registry_entries(registry):
    assert registry.ambiguous == []


def test_registry_covers_the_standard_set(registry):
    for name, unit in [("每千名老年人拥有养老床位数", "张"), ("乡镇(街道)社工站覆盖率", "%"), ("养老护理员培训人次", "人次"),
                       ("生活不能自理特困人员集中供养率", "%"), ("新建居住区配套建设养老服务设施达标率", "%"),
                       ("每个农村社区平均社区社会组织数", "个")]:
        assert _id(registry, name, unit), name
    for ind in registry.indicators.values():
        assert ind.unit and ind.direction and ind.kind, ind.id


def test_suggest_lists_unmatched_names_with_three_closest(registry):
    con = duckdb.connect()
    con.execute("CREATE TABLE raw_targets (raw_name VARCHAR, unit VARCHAR)")
    con.execute("INSERT INTO raw_targets VALUES ('殡仪服务群众满意度', '%'), ('殡仪服务群众满意度', '%'), ('火化率', '%')")
    rows = suggest(con, registry)
    assert [(r["raw_name"], r["n"]) for r in rows] == [("殡仪服务群众满意度", 2)]
    top = rows[0]["closest"]
    assert len(top) == 3 and top[0].indicator_id == "funeral_service_satisfaction_rate"
    assert top[0].score >= top[1].score >= top[2].score and "shares" in top[0].why


def test_closest_says_when_the_unit_does_not_fit(registry):
    why = {s.indicator_id: s.why for s in closest(registry, "护理型床位数", "张", n=3)}
    assert "does not fit" in why.get("nursing_bed_share", "does not fit")


@pytest.fixture()
def reg_copy(tmp_path):
    for name in ("indicators.yaml", "name_variants.yaml", "unit_dimensions.csv"):
        shutil.copy(REF / name, tmp_path / name)
    return tmp_path / "indicators.yaml"


def test_accept_round_trip_keeps_the_file_and_its_comments(reg_copy):
    before = reg_copy.read_text(encoding="utf-8")
    assert _id(load_registry(reg_copy), "殡仪服务群众满意度", "%") is None
    diff = accept("殡仪服务群众满意度", "funeral_service_satisfaction_rate", reg_copy)
    after = reg_copy.read_text(encoding="utf-8")
    assert diff.count("\n+    ") == 1 and "殡仪服务群众满意度" in diff
    assert after.startswith(before.split("indicators:")[0])  # the header comment is untouched
    assert len(after.splitlines()) - len(before.splitlines()) in (0, 1)
    assert _id(load_registry(reg_copy), "殡仪服务群众满意度", "%") == "funeral_service_satisfaction_rate"
    assert accept("殡仪服务群众满意度", "funeral_service_satisfaction_rate", reg_copy) == ""  # already there


def test_accept_refuses_unknown_ids_and_names_of_another_indicator(reg_copy):
    before = reg_copy.read_text(encoding="utf-8")
    with pytest.raises(RegistryError, match="no indicator"):
        accept("某某率", "no_such_id", reg_copy)
    with pytest.raises(RegistryError, match="already matches nursing_bed_share"):
        accept("护理型床位比例", "cremation_rate", reg_copy)
    assert reg_copy.read_text(encoding="utf-8") == before


@pytest.mark.parametrize("block", ["    aliases: [甲]\n", "    aliases:\n      - 甲\n      - {name: 乙, scope: county}\n", ""])
def test_insert_alias_in_each_yaml_style(block):
    text = ("indicators:\n  # a comment\n  - id: a\n    name_zh: 某率\n" + block +
            "  - id: b\n    name_zh: 另率\n")
    new = insert_alias(text, "新: 名", "a")
    doc = yaml.safe_load(new)["indicators"]
    names = [x if isinstance(x, str) else x["name"] for x in doc[0]["aliases"]]
    assert names[-1] == "新: 名" and "aliases" not in doc[1] and "# a comment" in new


def test_a_unit_decides_between_two_readings_of_one_name(registry):
    # the standard itself (money) versus the standard as a share of consumption (percent)
    assert _id(registry, "城市低保标准", "%") == "dibao_consumption_share"
    assert _id(registry, "城市低保标准", "元/人/月") != "dibao_consumption_share"
    assert registry.match("农村低保标准", "%").scope == "rural"


def test_full_coverage_is_the_coverage_indicator(registry):
    m = registry.match("村级公益性公墓全覆盖", None)
    assert m.indicator.id == "burial_facility_coverage" and m.scope == "village"


def test_counts_and_rates_of_one_thing_are_two_ids(registry):
    assert _id(registry, "镇(街道)未成年人保护工作站", "个") == "minor_protection_station_count"
    assert _id(registry, "镇(街道)未成年人保护工作站覆盖率", "%") == "minor_protection_station_coverage"
    assert _id(registry, "注册志愿者增加", "万人") != _id(registry, "注册志愿者人数", "人")


def test_every_gold_group_lands_on_one_id_and_no_two_groups_share_one(registry):
    """The shared gold file names each cross-city group; grade the registry on the names alone."""
    import csv
    from collections import defaultdict

    found = [p / "shared" / "gold" / "seed_targets.csv" for p in (ROOT.parent, ROOT.parent.parent)]
    gold_path = next((p for p in found if p.exists()), None)
    if gold_path is None:
        pytest.skip("the shared gold file (../shared/gold) is not beside this checkout")
    ids, owners = defaultdict(set), defaultdict(set)
    rows = list(csv.DictReader(gold_path.open(encoding="utf-8")))
    for g in rows:
        iid = _id(registry, g["raw_name"], g["unit"] or None)
        if iid:
            ids[g["group"]].add(iid)
            owners[iid].add(g["group"])
    assert {k: v for k, v in ids.items() if len(v) > 1} == {}
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    assert sum(1 for g in rows if _id(registry, g["raw_name"], g["unit"] or None)) >= 0.95 * len(rows)


def test_plans_align_suggest_and_accept_from_the_command_line(reg_copy, tmp_path, capsys):
    from analysis.cli import main

    db = tmp_path / "p.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE raw_targets (raw_name VARCHAR, unit VARCHAR)")
    con.execute("INSERT INTO raw_targets VALUES ('殡仪服务群众满意度', '%')")
    con.close()
    assert main(["align", "--suggest", "--db", str(db), "--registry", str(reg_copy)]) == 0
    out = capsys.readouterr().out
    assert "1 × 殡仪服务群众满意度 [%]" in out and "funeral_service_satisfaction_rate" in out
    assert main(["align", "--accept", "殡仪服务群众满意度", "funeral_service_satisfaction_rate",
                 "--registry", str(reg_copy)]) == 0
    assert "+    aliases: [" in capsys.readouterr().out
    assert main(["align", "--suggest", "--db", str(db), "--registry", str(reg_copy)]) == 0
    assert "殡仪服务群众满意度" not in capsys.readouterr().out
    assert main(["align", "--accept", "殡仪服务群众满意度", "no_such_id", "--registry", str(reg_copy)]) == 2
