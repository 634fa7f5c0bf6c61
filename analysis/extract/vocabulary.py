"""The phrase vocabulary (`data/reference/phrases.yaml`), loaded and compiled once.

Every comparator word, verb, unit, scope word, past-tense marker, horizon phrase and heading
number the extractor reads lives in that file; code asks this module for a word list
(`words("comparators.ge")`) or an alternation ready for a regular expression (`alt("units")`).
A malformed file is refused with an error naming it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from analysis import config

PHRASES_YAML = config.REFERENCE_DIR / "phrases.yaml"


class VocabularyError(ValueError):
    """The phrase file is missing, unreadable or has the wrong shape."""


def load_phrases(path: Path = PHRASES_YAML) -> dict[str, tuple[str, ...]]:
    """`phrases.yaml` flattened to dotted keys (`comparators.ge`), each a tuple of strings."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise VocabularyError(f"{path}: cannot read the phrase vocabulary: {exc}") from exc
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected a mapping of phrase lists at the top level")
    out: dict[str, tuple[str, ...]] = {}

    def walk(prefix: str, node) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(f"{prefix}{k}.", v) if isinstance(v, dict) else walk(f"{prefix}{k}", v)
        elif isinstance(node, list) and all(isinstance(x, str) and x for x in node):
            out[prefix.rstrip(".")] = tuple(node)
        else:
            raise VocabularyError(f"{path}: `{prefix.rstrip('.')}` must be a list of non-empty strings")

    walk("", data)
    return out


_PHRASES = load_phrases()


def words(key: str) -> tuple[str, ...]:
    """The phrases under `key`, longest first (so 不低于 is tried before 低于)."""
    return _sorted(key)


@cache
def _sorted(key: str) -> tuple[str, ...]:
    try:
        items = _PHRASES[key]
    except KeyError:
        raise VocabularyError(f"{PHRASES_YAML}: no phrase list `{key}`") from None
    return tuple(sorted(dict.fromkeys(items), key=len, reverse=True))


@cache
def alt(*keys: str, exclude: tuple[str, ...] = ()) -> str:
    """A regex alternation of the phrases under `keys` (escaped, longest first, no group)."""
    items = sorted({w for k in keys for w in _PHRASES.get(k) or words(k)} - set(exclude), key=len, reverse=True)
    return "|".join(re.escape(w) for w in items)


@cache
def pattern(*keys: str) -> re.Pattern[str]:
    """A compiled search pattern for any phrase under `keys`."""
    return re.compile(alt(*keys))


@cache
def raw_patterns(key: str) -> str:
    """A list of regular expressions (e.g. `heading_numbers`) joined into one alternation."""
    return "|".join(f"(?:{p})" for p in _PHRASES[key])


def comparator_of(text: str) -> str | None:
    """The comparator the words around a number set (None when nothing says).

    `<=` words are tried first (控制在…以内), then `>=` (不低于, 以上), then strict ones (超过, 低于).
    """
    for key, comp in (("comparators.le", "<="), ("comparators.ge", ">="), ("comparators.gt", ">"),
                      ("comparators.lt", "<")):
        if pattern(key).search(text):
            return comp
    return None


# `每人每月=/人/月`: a rate written before a value and the unit suffix it stands for (per_unit_words)
PER_UNITS = dict(w.split("=", 1) for w in words("per_unit_words"))
PER_UNITS_RX = "|".join(map(re.escape, PER_UNITS))
