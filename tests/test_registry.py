"""The indicator registry and its matcher: aliases, scopes, regional terms, unused aliases."""

import pytest
from conftest import ROOT

from analysis.align.registry import Registry, RegistryError, load_registry, normalise_name


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "data/reference/indicators.yaml")


def test_three_burial_names_are_one_indicator_with_three_scopes(registry):
    got = {name: registry.match(name) for name in
           ("城乡公益性安葬(放)设施覆盖率", "县级公益性安葬(放)设施覆盖率", "旗市区级城乡公益性安葬(放)设施覆盖率")}
    assert {m.indicator.id for m in got.values()} == {"burial_facility_coverage"}
    assert got["城乡公益性安葬(放)设施覆盖率"].scope == "urban_rural"
    assert got["县级公益性安葬(放)设施覆盖率"].scope == "county"
    assert got["旗市区级城乡公益性安葬(放)设施覆盖率"].scope == "county"  # 旗市区 = county level
    assert got["旗市区级城乡公益性安葬(放)设施覆盖率"].scope_zh == "旗市区级城乡"


@pytest.mark.parametrize("name,expected", [
    ("护理型床位占比", "nursing_bed_share"), ("养老机构护理型床位比例", "nursing_bed_share"),
    ("婚姻登记“跨省通办”实施率", "marriage_cross_province_rate"), ("婚姻登记跨省通办实施率", "marriage_cross_province_rate"),
    ("镇（街道）未成年人保护工作站覆盖率", "minor_protection_station_coverage"),
    ("苏木乡镇未成年人保护工作站覆盖率", "minor_protection_station_coverage"),
    ("嘎查村综合服务站覆盖率", "village_facility_coverage"),
    ("社会工作专业人才总量", "social_worker_count"), ("持证社会工作专业人才", "certified_social_worker_count"),
    ("社会工作专业人才占总人口比例", "social_worker_population_share"),
])
def test_aliases_and_normalisation(registry, name, expected):
    m = registry.match(name)
    assert m is not None and m.indicator.id == expected


def test_unknown_names_do_not_match(registry):
    assert registry.match("群众满意率") is None
    assert registry.match("覆盖率") is None


def test_unused_aliases_are_listed():
    from analysis.align.registry import Indicator

    reg = Registry([Indicator("x", "火化率", "Cremation", "殡葬服务", "", "%", "higher_is_better", aliases=["遗体火化率"])])
    reg.match("火化率")
    assert reg.unused_aliases() == [("x", "遗体火化率")]


def test_normalise_name():
    assert normalise_name("婚姻登记“跨省通办” 实施率") == "婚姻登记跨省通办实施率"
    assert normalise_name("旗市区级（城乡）") == "县级(城乡)"


def test_malformed_registry_names_the_entry(tmp_path):
    p = tmp_path / "indicators.yaml"
    p.write_text("indicators:\n  - id: a\n    name_zh: 甲\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"entry 1 \(a\): missing name_en"):
        load_registry(p)
    p.write_text("indicators:\n  - {id: a, name_zh: 甲, name_en: A, domain: d, unit: '%', direction: up}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="direction must be one of"):
        load_registry(p)


def test_registry_ids_are_unique_and_every_benchmark_names_one(registry):
    import yaml

    bench = yaml.safe_load((ROOT / "data/reference/benchmarks.yaml").read_text(encoding="utf-8"))["benchmarks"]
    assert all(b["indicator_id"] in registry.indicators and b["source"] for b in bench)


@pytest.mark.parametrize("entry,message", [
    ("{id: a, name_zh: 甲, name_en: A, domain: d, unit: '%', direction: higher_is_better, kind: ratee}",
     r"indicators.yaml: entry 1 \(a\): kind must be one of"),
    ("{id: a, name_zh: 甲, name_en: A, domain: d, unit: '%', direction: higher_is_better, alias: [x]}",
     r"entry 1 \(a\): unknown field\(s\) alias"),
    ("{id: a, name_zh: 甲, name_en: A, domain: d, unit: '%', direction: higher_is_better, aliases: [{name: x, scope: planet}]}",
     r"entry 1 \(a\): aliases.0"),
    ("{id: A-1, name_zh: 甲, name_en: A, domain: d, unit: '%', direction: higher_is_better}", r"entry 1 \(A-1\): id"),
])
def test_schema_refuses_a_bad_entry_naming_file_entry_and_field(tmp_path, entry, message):
    p = tmp_path / "indicators.yaml"
    p.write_text(f"indicators:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        load_registry(p)


@pytest.mark.parametrize("correction,message", [
    ({"doc_id": "d", "raw_name": "x", "field": "colour", "value": 1, "reason": "r"}, r"entry 1 \(x\): field must be one of"),
    ({"doc_id": "d", "raw_name": "x", "field": "unit", "value": "%"}, r"entry 1 \(x\): missing reason"),
    ({"doc_id": "d", "raw_name": "x", "field": "unit", "value": "%", "reason": "r", "target_year": "2025年"},
     r"entry 1 \(x\): target_year"),
    ({"doc_id": "d", "raw_name": "x", "field": "indicator_id", "value": "nope", "reason": "r"}, "unknown indicator id nope"),
])
def test_corrections_are_validated(tmp_path, registry, correction, message):
    import yaml

    from analysis.align.reference import load_corrections

    p = tmp_path / "corrections.yaml"
    p.write_text(yaml.safe_dump({"corrections": [correction]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        load_corrections(p, registry)


def test_scope_ids_of_the_schema_and_the_scope_words_agree():
    import yaml

    from analysis.align.schemas import SCOPES

    doc = yaml.safe_load((ROOT / "data/reference/scope_words.yaml").read_text(encoding="utf-8"))
    assert set(doc["scopes"]) - {"none"} == set(SCOPES)


@pytest.mark.parametrize("name, unit, expected, scope", [
    ("青禾市养老机构护理型床位占比", "%", "nursing_bed_share", None),
    ("北塘旗公益性安葬设施覆盖率", "%", "burial_facility_coverage", None),
    ("鹿鸣自治县城乡低保标准年均增长", "%", "dibao_growth", "urban_rural"),
    ("长岭市县级公益性安葬设施覆盖率", "%", "burial_facility_coverage", "county"),
])
def test_a_leading_place_name_says_whose_target_not_what(registry, name, unit, expected, scope):
    m = registry.match(name, unit)
    assert m is not None and m.indicator is not None and m.indicator.id == expected
    assert m.scope == scope and "place:" in (m.note or "")


@pytest.mark.parametrize("name", ["农村社区养老服务设施覆盖率", "城市社区养老服务设施覆盖率", "社区养老服务设施覆盖率",
                                  "城市低保标准", "养老机构护理型床位占比", "市区养老床位"])
def test_words_of_a_name_are_never_taken_for_a_place(name):
    from analysis.align.registry import leading_place

    assert leading_place(name) is None
