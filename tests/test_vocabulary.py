"""The phrase vocabulary (data/reference/phrases.yaml): loads, has every list the code asks for,
maps comparator words, refuses a malformed file by name, and no extraction module spells a
comparator phrase itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

from analysis.extract import vocabulary
from analysis.extract.vocabulary import VocabularyError, alt, comparator_of, load_phrases, words

KEYS = ("comparators.ge", "comparators.le", "comparators.gt", "comparators.lt", "comparators.approx", "comparators.aim",
        "post_words", "target_verbs", "count_verbs", "object_verbs", "change_verbs", "predicate_verbs", "adverbs",
        "lead_words", "quantifiers", "units", "count_classifiers", "rate_suffixes", "indicator_nouns", "scope_words",
        "past_markers", "cumulative_markers", "past_sections", "review_openers", "horizon", "vision",
        "baseline_markers", "coverage_words", "heading_numbers", "sentence_ends")


def test_every_list_the_code_uses_is_there_and_not_empty():
    phrases = load_phrases()
    for key in KEYS:
        assert phrases.get(key), key


def test_the_file_starts_with_a_header_comment():
    text = vocabulary.PHRASES_YAML.read_text(encoding="utf-8")
    assert text.startswith("#") and "Schema" in text.split("\n\n")[0] + text[:3000]


def test_words_are_longest_first_so_longer_phrases_win():
    ge = words("comparators.ge")
    assert list(ge) == sorted(ge, key=len, reverse=True)
    assert ge.index("及以上") < ge.index("以上")


@pytest.mark.parametrize("text,comp", [
    ("不低于", ">="), ("不少于", ">="), ("至少", ">="), ("以上", ">="), ("不小于", ">="),
    ("不超过", "<="), ("控制在以内", "<="), ("以内", "<="), ("超过", ">"), ("低于", "<"), ("保持", None), ("约", None),
])
def test_comparator_words(text, comp):
    assert comparator_of(text) == comp


def test_alternation_is_escaped_and_can_exclude():
    rx = alt("post_words", exclude=("左右",))
    assert "左右" not in rx.split("|") and "以上" in rx.split("|")


def test_a_malformed_file_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "phrases.yaml"
    bad.write_text("comparators:\n  ge: 不低于\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="phrases.yaml.*comparators.ge"):
        load_phrases(bad)
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match=str(bad)):
        load_phrases(bad)
    with pytest.raises(VocabularyError, match="nope.yaml"):
        load_phrases(tmp_path / "nope.yaml")


def _code_strings(path: Path) -> list[str]:
    """String constants of a module that are not docstrings (the phrases code itself spells)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs]


@pytest.mark.parametrize("module", ["prose.py", "numbers.py", "columns.py", "phrasings.py", "sentences.py",
                                    "candidates.py"])
def test_no_comparator_phrase_is_spelled_in_code(module):
    phrases = [w for key in ("comparators.ge", "comparators.le", "comparators.approx") for w in words(key) if len(w) >= 2
               and not w.isascii()]
    for s in _code_strings(ROOT / "analysis" / "extract" / module):
        for w in phrases:
            assert w not in s, f"{module} spells {w!r} in {s[:60]!r}: move it to data/reference/phrases.yaml"
