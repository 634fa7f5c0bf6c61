"""The indicator registry (`data/reference/indicators.yaml`) and the name matcher.

A name as written is normalised (brackets, quotes, spaces, regional administrative terms such as
旗/苏木/嘎查), matched exactly against the aliases, and otherwise stripped of scope qualifiers
(城乡 / 县级 / 旗市区级 / 乡镇(街道) …) and matched again, so that `旗市区级城乡公益性安葬(放)设施覆盖率`
becomes `burial_facility_coverage` with scope `county`. The matcher remembers which aliases it
used, so alignment can list names it could not match *and* aliases no document used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: the same objects, ~10x faster

from analysis import config

DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")
REQUIRED = ("id", "name_zh", "name_en", "domain", "unit", "direction")

# Regional administrative terms → the general ones (Inner Mongolia: 旗 ≈ 县, 苏木 ≈ 乡, 嘎查 ≈ 村).
REGIONAL = [("旗市区级", "县级"), ("旗县级", "县级"), ("旗市区", "县级"), ("旗县", "县"), ("苏木乡镇", "乡镇"),
            ("苏木", "乡镇"), ("嘎查村", "村"), ("嘎查", "村"), ("农村牧区", "农村"), ("农牧区", "农村"), ("盟市", "市")]
# Scope qualifiers at the start of a name: (normalised prefix, scope id). Longest first.
SCOPES = [
    ("县级城乡", "county"), ("县级", "county"), ("县域", "county"), ("城乡", "urban_rural"),
    ("乡镇(街道)范围", "township"), ("乡镇(街道)", "township"), ("镇(街道)", "township"), ("乡镇", "township"),
    ("街道范围", "subdistrict"), ("街道", "subdistrict"), ("村级", "village"), ("村(社区)", "village"),
    ("城市", "urban"), ("城镇", "urban"), ("农村", "rural"), ("市级", "city"), ("全市", None), ("全区", None),
]
SCOPE_ZH = {"county": "县级", "urban_rural": "城乡", "township": "乡镇(街道)", "subdistrict": "街道", "village": "村级",
            "urban": "城市", "rural": "农村", "city": "市级"}


class RegistryError(Exception):
    """The registry file is malformed; the message names the file and the entry."""


def normalise_name(name: str, regional: bool = True) -> str:
    s = (name or "").strip()
    s = s.translate(str.maketrans("（）【】〔〕［］", "()[][][]"))
    s = re.sub(r"[\s“”\"'‘’《》「」·]", "", s)
    if regional:
        for a, b in REGIONAL:
            s = s.replace(a, b)
    return s


@dataclass
class Indicator:
    id: str
    name_zh: str
    name_en: str
    domain: str
    domain_en: str
    unit: str
    direction: str
    kind: str | None = None
    definition: str | None = None
    aliases: list = field(default_factory=list)  # names, or {name, scope} mappings


@dataclass
class Match:
    indicator: Indicator
    scope: str | None
    scope_zh: str | None
    alias: str


class Registry:
    def __init__(self, indicators: list[Indicator], path: Path | None = None):
        self.indicators = {i.id: i for i in indicators}
        self.path = path
        self._alias: dict[str, tuple[str, str]] = {}  # normalised alias → (indicator id, alias as written)
        self._scope: dict[str, str] = {}  # alias → scope it implies (`{name: …, scope: county}`)
        for ind in indicators:
            for entry in [ind.name_zh, *ind.aliases]:
                alias = entry["name"] if isinstance(entry, dict) else str(entry)
                key = normalise_name(alias)
                if key in self._alias and self._alias[key][0] != ind.id:
                    raise RegistryError(f"{path}: alias “{alias}” of {ind.id} is already an alias of {self._alias[key][0]}")
                self._alias[key] = (ind.id, alias)
                if isinstance(entry, dict) and entry.get("scope"):
                    self._scope[alias] = entry["scope"]
        self.used: set[tuple[str, str]] = set()
        self._cache: dict[str, Match | None] = {}

    def match(self, raw_name: str) -> Match | None:
        if raw_name in self._cache:
            hit = self._cache[raw_name]
            if hit is not None:
                self.used.add((hit.indicator.id, hit.alias))
            return hit
        self._cache[raw_name] = hit = self._match(raw_name)
        return hit

    def _match(self, raw_name: str) -> Match | None:
        name = normalise_name(raw_name)
        scope = scope_zh = None
        stripped: list[str] = []
        for _ in range(3):
            hit = self._alias.get(name)
            if hit:
                self.used.add(hit)
                ind = self.indicators[hit[0]]
                written = normalise_name(raw_name, regional=False)
                scope_zh = written[: len(written) - len(name)] if stripped and written.endswith(name) else "".join(stripped)
                implied = self._scope.get(hit[1])
                if not stripped and not implied:  # the name itself starts with a scope: record it all the same
                    for prefix, sid in SCOPES:
                        if sid and name.startswith(prefix) and len(name) > len(prefix) + 1:
                            implied, scope_zh = sid, written[:len(prefix)] if written.startswith(prefix) else prefix
                            break
                return Match(ind, scope or implied, scope_zh or (SCOPE_ZH.get(implied) if implied else None), hit[1])
            for prefix, sid in SCOPES:
                if name.startswith(prefix) and len(name) > len(prefix) + 1:
                    name = name[len(prefix):]
                    stripped.append(prefix)
                    scope = scope or sid
                    break
            else:
                return None
        return None

    def unused_aliases(self) -> list[tuple[str, str]]:
        return sorted((iid, alias) for iid, alias in self._alias.values() if (iid, alias) not in self.used)

    def alias_names(self, ind: Indicator) -> list[str]:
        return [a["name"] if isinstance(a, dict) else str(a) for a in ind.aliases]


def load_registry(path: Path = config.INDICATORS_YAML) -> Registry:
    path = Path(path)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RegistryError(f"{path}{f' line {mark.line + 1}' if mark else ''}: malformed YAML: {exc}") from None
    items = (doc or {}).get("indicators")
    if not isinstance(items, list):
        raise RegistryError(f"{path}: expected a top-level `indicators:` list")
    seen: set[str] = set()
    out = []
    for n, item in enumerate(items, 1):
        where = f"{path}: entry {n} ({item.get('id', '?') if isinstance(item, dict) else repr(item)})"
        if not isinstance(item, dict):
            raise RegistryError(f"{where}: not a mapping")
        missing = [k for k in REQUIRED if not item.get(k)]
        if missing:
            raise RegistryError(f"{where}: missing {', '.join(missing)}")
        if item["id"] in seen:
            raise RegistryError(f"{where}: duplicate id")
        if item["direction"] not in DIRECTIONS:
            raise RegistryError(f"{where}: direction must be one of {', '.join(DIRECTIONS)}")
        seen.add(item["id"])
        out.append(Indicator(id=item["id"], name_zh=item["name_zh"], name_en=item["name_en"], domain=item["domain"],
                             domain_en=item.get("domain_en", ""), unit=str(item["unit"]), direction=item["direction"],
                             kind=item.get("kind"), definition=item.get("definition"),
                             aliases=list(item.get("aliases") or [])))
    return Registry(out, path)


def load_yaml_list(path: Path, key: str) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RegistryError(f"{path}{f' line {mark.line + 1}' if mark else ''}: malformed YAML: {exc}") from None
    items = doc.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise RegistryError(f"{path}: `{key}:` must be a list of mappings")
    return items
