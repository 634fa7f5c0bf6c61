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
from rapidfuzz import fuzz

from analysis import config
from analysis.align.schemas import INDICATOR, SchemaError, check_entry
from analysis.align.variants import VariantRules, load_unit_dimensions, load_variants, safe_yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: the same objects, ~10x faster


def _load_scope_words(doc: dict) -> tuple[list[tuple[str, str]], list[tuple[str, str | None]], dict[str, str]]:
    """scope_words.yaml (parsed) → (regional replacements, (scope word, scope id) longest first, id → zh)."""
    regional = [(str(a), str(b)) for a, b in doc.get("regional") or []]
    words: list[tuple[str, str | None]] = []
    zh: dict[str, str] = {}
    for sid, spec in (doc.get("scopes") or {}).items():
        if sid == "none":
            words += [(str(w), None) for w in spec]
            continue
        zh[sid] = spec["zh"]
        words += [(str(w), sid) for w in spec["words"]]
    return regional, sorted(words, key=lambda w: -len(w[0])), zh


# Regional terms → the general ones; scope words at the start of a name (longest first); scope id → Chinese
_SCOPE_DOC = safe_yaml((config.REFERENCE_DIR / "scope_words.yaml").read_text(encoding="utf-8")) or {}
REGIONAL, SCOPES, SCOPE_ZH = _load_scope_words(_SCOPE_DOC)


def _load_place_rules(doc: dict) -> tuple[re.Pattern, re.Pattern, re.Pattern] | None:
    """scope_words.yaml (parsed) `places` → (a place name at the start of a name, words it may not end in,
    words it may not hold), or None when the file lists no suffixes."""
    spec = doc.get("places") or {}
    suffixes = sorted((str(x) for x in spec.get("suffixes") or []), key=len, reverse=True)
    if not suffixes:
        return None

    def alternatives(words) -> str:
        return "|".join(re.escape(str(w)) for w in words or []) or "(?!)"

    start = re.compile(rf"^[\u4e00-\u9fff]{{2,7}}?(?:{alternatives(suffixes)})")
    return start, re.compile(rf"(?:{alternatives(spec.get('not_ending'))})$"), re.compile(alternatives(spec.get("not_containing")))


def leading_place(name: str) -> str | None:
    """The proper place name a name starts with (`枫溪市` of 枫溪市养老机构护理型床位占比), or None.
    The rest must still be a name (four characters or more)."""
    if _PLACE is None:
        return None
    start, ending, holding = _PLACE
    m = start.match(name)
    if not m or len(name) - m.end() < 4:
        return None
    place = m.group(0)
    return None if ending.search(place) or holding.search(place) else place


_PLACE = _load_place_rules(_SCOPE_DOC)


class RegistryError(SchemaError):
    """The registry file is malformed; the message names the file and the entry."""


_BRACKETS = str.maketrans("（）【】〔〕［］｛｝", "()[][][]{}")
_QUOTES = re.compile(r"[\s“”„‟\"'‘’‚‛《》〈〉「」『』﹁﹂﹃﹄〝〞〟＂＇·・]")
_TAIL_SCOPE = re.compile(r"[(\[]([^()\[\]]{1,8})[)\]]$")
_HEAD_SCOPE = re.compile(r"^[(\[]([^()\[\]]{1,8})[)\]]")


def _bracket_scope(name: str) -> tuple[str, str | None, str | None]:
    """A scope written in brackets after or before the name: `…覆盖率(县级)`, `(县级)…`."""
    for rx in (_TAIL_SCOPE, _HEAD_SCOPE):
        m = rx.search(name)
        if m:
            word = m.group(1)
            sid = next((sid for prefix, sid in SCOPES if word == prefix or word == prefix + "范围"), False)
            if sid is not False and len(name) - len(m.group(0)) > 1:
                return name[:m.start()] + name[m.end():], sid, word
    return name, None, None


def normalise_name(name: str, regional: bool = True) -> str:
    s = (name or "").strip()
    s = s.translate(_BRACKETS)
    s = _QUOTES.sub("", s)
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
    scopes: list | None = None  # scopes the indicator may be stated at (None: any; []: none)
    units: list = field(default_factory=list)  # other units a value may be written in (beside `unit`)


@dataclass
class Match:
    indicator: Indicator | None  # None: a candidate was refused (see method and note)
    scope: str | None
    scope_zh: str | None
    alias: str | None
    method: str = "alias"  # alias | scope | variant | unit_blocked | scope_blocked
    score: float = 1.0
    note: str | None = None


class Registry:
    def __init__(self, indicators: list[Indicator], path: Path | None = None, variants: VariantRules | None = None,
                 dimensions: dict[str, str] | None = None):
        self.indicators = {i.id: i for i in indicators}
        self.path = path
        self.variants = variants or VariantRules()
        self.dimensions = dimensions or {}
        self._alias: dict[str, tuple[str, str]] = {}  # normalised alias → (indicator id, alias as written)
        self._scope: dict[str, str] = {}  # alias → scope it implies (`{name: …, scope: county}`)
        # `{name: …, unit: "%"}`: the name belongs to this indicator only when its unit measures the same thing
        # (城市低保标准 in 元 is the standard; in % it is the standard as a share of consumption)
        self._unit_alias: dict[tuple[str, str], tuple[str, str]] = {}
        for ind in indicators:
            for entry in [ind.name_zh, *ind.aliases]:
                alias = entry["name"] if isinstance(entry, dict) else str(entry)
                key = normalise_name(alias)
                if isinstance(entry, dict) and entry.get("unit"):
                    dim = self.dimensions.get(str(entry["unit"]), str(entry["unit"]))
                    if self._unit_alias.get((key, dim), (ind.id,))[0] != ind.id:
                        raise RegistryError(f"{path}: alias “{alias}” in {entry['unit']} of {ind.id} is already "
                                            f"an alias of {self._unit_alias[(key, dim)][0]}")
                    self._unit_alias[(key, dim)] = (ind.id, alias)
                    if entry.get("scope"):
                        self._scope[alias] = entry["scope"]
                    continue
                if key in self._alias and self._alias[key][0] != ind.id:
                    raise RegistryError(f"{path}: alias “{alias}” of {ind.id} is already an alias of {self._alias[key][0]}")
                self._alias[key] = (ind.id, alias)
                if isinstance(entry, dict) and entry.get("scope"):
                    self._scope[alias] = entry["scope"]
        # an alias that starts with a scope word is also known without it (the name as written brings its own
        # scope); a bare name two indicators would share is left out (the scope word is what tells them apart)
        bare: dict[str, set[tuple[str, str]]] = {}
        for key, hit in self._alias.items():
            for prefix, sid in SCOPES:
                if sid and key.startswith(prefix) and len(key) > len(prefix) + 1:
                    if key[len(prefix):] not in self._alias:
                        bare.setdefault(key[len(prefix):], set()).add(hit)
                    break
        self._bare = {k: next(iter(v)) for k, v in bare.items() if len({h[0] for h in v}) == 1}
        # variant keys: aliases rewritten through the synonym tables; keys two indicators share are left out
        self._variant: dict[str, tuple[str, str]] = {}
        self.ambiguous: list[tuple[str, str, str]] = []  # (variant key, id, other id)
        for key, hit in [*self._alias.items(), *self._bare.items()]:
            vkey = self.variants.key(key)[0]
            other = self._variant.get(vkey)
            if other and other[0] != hit[0]:
                self.ambiguous.append((vkey, other[0], hit[0]))
            elif not other:
                self._variant[vkey] = hit
        for vkey, *_ in self.ambiguous:
            self._variant.pop(vkey, None)
        self._alias_ids = {alias: iid for iid, alias in [*self._alias.values(), *self._unit_alias.values()]}
        self.used: set[tuple[str, str]] = set()
        self._cache: dict[tuple[str, str | None], Match | None] = {}

    def match(self, raw_name: str, unit: str | None = None) -> Match | None:
        """The registry entry a name (with its unit as written) belongs to, or None.

        A Match whose `indicator` is None records a refused candidate (unit or scope blocked)."""
        key = (raw_name, unit or None)
        if key not in self._cache:
            self._cache[key] = self._match(raw_name, unit or None)
        hit = self._cache[key]
        if hit is not None and hit.indicator is not None:
            self.used.add((hit.indicator.id, hit.alias))
        return hit

    def _lookup(self, name: str, unit: str | None = None) -> tuple[tuple[str, str] | None, list[str]]:
        if unit and self._unit_alias:
            hit = self._unit_alias.get((name, self.dimensions.get(unit, unit)))
            if hit:
                return hit, []
        hit = self._alias.get(name) or self._bare.get(name)
        if hit:
            return hit, []
        vkey, used = self.variants.key(name)
        return self._variant.get(vkey), used

    def _match(self, raw_name: str, unit: str | None) -> Match | None:
        written = normalise_name(raw_name, regional=False)
        name = normalise_name(raw_name)
        name, tail_scope, tail_zh = _bracket_scope(name)
        scope = tail_scope
        stripped: list[str] = []
        refused: Match | None = None
        placed: str | None = None
        for _ in range(5):
            hit, used = self._lookup(name, unit)
            if hit:
                ind = self.indicators[hit[0]]
                scope_zh = (written[len(placed or ""): len(written) - len(name)] if stripped and written.endswith(name)
                            else "".join(stripped))
                if tail_zh:
                    scope_zh = tail_zh + scope_zh
                implied = self._scope.get(hit[1])
                from_name = False
                if not stripped and not implied and not tail_scope:  # the name itself starts with a scope
                    for prefix, sid in SCOPES:
                        if sid and name.startswith(prefix) and len(name) > len(prefix) + 1:
                            implied, scope_zh = sid, written[:len(prefix)] if written.startswith(prefix) else prefix
                            from_name = True
                            break
                got = scope or implied
                method = "variant" if used else ("scope" if stripped or tail_scope else "alias")
                note = "; ".join(filter(None, [("variants: " + ", ".join(used)) if used else None,
                                               f"place: {placed}" if placed else None])) or None
                if ind.scopes is not None and got and got not in ind.scopes:
                    if from_name or implied and not scope:  # a scope word that is part of the name: no scope
                        got, scope_zh = None, None
                    else:
                        refused = refused or Match(None, got, scope_zh, hit[1], "scope_blocked", 0.0,
                                                   f"{ind.id} is not stated at scope {got}")
                        hit = None
                if hit and not self.unit_fits(ind, unit):
                    refused = refused or Match(None, got, scope_zh, hit[1], "unit_blocked", 0.0,
                                               f"{ind.id} is measured in {ind.unit}, not {unit}")
                    hit = None
                if hit:
                    score = 1.0 if not used else round(fuzz.ratio(name, normalise_name(hit[1])) / 100, 3)
                    return Match(ind, got, scope_zh or (SCOPE_ZH.get(got) if got else None), hit[1], method, score, note)
            for prefix, sid in SCOPES:
                if name.startswith(prefix) and len(name) > len(prefix) + 1:
                    name = name[len(prefix):]
                    stripped.append(prefix)
                    scope = scope or sid
                    break
            else:
                place = None if placed else leading_place(name)
                if place is None:
                    return refused
                name, placed = name[len(place):], place  # whose target it is, not what is measured
        return refused

    def unit_fits(self, ind: Indicator, unit: str | None) -> bool:
        """A unit that measures something else (张 for a share in %) can never belong to the indicator."""
        if not unit or unit in (ind.unit, *ind.units):
            return True
        dim = self.dimensions.get(unit)
        allowed = {self.dimensions.get(u) for u in (ind.unit, *ind.units)} - {None}
        return dim is None or not allowed or dim in allowed

    def unused_aliases(self) -> list[tuple[str, str]]:
        return sorted((iid, alias) for iid, alias in self.alias_pairs() if (iid, alias) not in self.used)

    def alias_owner(self, alias: str | None) -> str | None:
        """The indicator id an alias (as written in the registry) belongs to."""
        return self._alias_ids.get(alias) if alias else None

    def alias_pairs(self) -> list[tuple[str, str]]:
        """(indicator id, alias as written) for every name the matcher knows."""
        return [*self._alias.values(), *self._unit_alias.values()]

    def alias_names(self, ind: Indicator) -> list[str]:
        return [a["name"] if isinstance(a, dict) else str(a) for a in ind.aliases]


def load_registry(path: Path = config.INDICATORS_YAML) -> Registry:
    path = Path(path)
    try:
        doc = safe_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RegistryError(f"{path}{f' line {mark.line + 1}' if mark else ''}: malformed YAML: {exc}") from None
    items = (doc or {}).get("indicators")
    if not isinstance(items, list):
        raise RegistryError(f"{path}: expected a top-level `indicators:` list")
    seen: set[str] = set()
    out = []
    for n, item in enumerate(items, 1):
        check_entry(INDICATOR, item, path, n, RegistryError)
        if item["id"] in seen:
            raise RegistryError(f"{path.name}: entry {n} ({item['id']}): id: duplicate id")
        seen.add(item["id"])
        out.append(Indicator(id=item["id"], name_zh=item["name_zh"], name_en=item["name_en"], domain=item["domain"],
                             domain_en=item.get("domain_en", ""), unit=str(item["unit"]), direction=item["direction"],
                             kind=item.get("kind"), definition=item.get("definition"),
                             aliases=list(item.get("aliases") or []),
                             scopes=None if item.get("scopes") is None else list(item["scopes"]),
                             units=[str(u) for u in item.get("units") or []]))
    return Registry(out, path, load_variants(path.parent / "name_variants.yaml"),
                    load_unit_dimensions(path.parent / "unit_dimensions.csv"))


def load_yaml_list(path: Path, key: str) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    try:
        doc = safe_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RegistryError(f"{path}{f' line {mark.line + 1}' if mark else ''}: malformed YAML: {exc}") from None
    items = doc.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise RegistryError(f"{path}: `{key}:` must be a list of mappings")
    return items
