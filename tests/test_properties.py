"""Property-based tests: arbitrary text never breaks cleaning; offsets stay inside the texts."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.clean import clean_document, clean_text
from analysis.ingest.encoding import DocumentError
from analysis.segment import split_passages

CJKISH = st.text(alphabet=st.sampled_from(list("养老機構护理型床位占比达到以上%％０１２３4567.,，。、|()（）\n \u00a0<>/&;365bet_博彩網實現(xiàn)?—年")), max_size=300)
ANY = st.text(max_size=300)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(CJKISH, ANY))
def test_clean_text_never_raises_and_offsets_stay_inside(text):
    mt, flags, _ = clean_text(text)
    assert len(mt.origin) == len(mt.text)
    assert all(0 <= o < max(len(text), 1) for o in mt.origin)
    assert all(a <= b for a, b in zip(mt.origin, mt.origin[1:]))
    for f in flags:
        if f.start is not None:
            assert 0 <= f.start <= f.end <= len(text)
    for p in split_passages(mt.text):
        assert 0 <= p.start <= p.end <= len(mt.text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_either_clean_or_raise_document_error(data):
    try:
        r = clean_document(data, name="x.txt")
    except DocumentError as exc:
        assert "x.txt" in str(exc)
        return
    assert len(r.origin) == len(r.text)


CELL = st.one_of(st.sampled_from(["", "——", "%", "人", "万个", "约束性", "预期性", "≥90", "100", "33.4", "5-10", "不低于上年度增速",
                                  "养老机构护理型床位占比", "序号", "主要指标", "单位", "2020年", "2025年", "指标属性", "|"]),
                 st.text(alphabet=st.sampled_from(list("率比例数0123456789.%≥≤—年人个 ")), max_size=8))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=0, max_size=9), min_size=0, max_size=12), st.sampled_from(["pipe", "cells"]),
       st.booleans())
def test_extraction_survives_arbitrary_table_shapes(rows, layout, with_header):
    from analysis.extract import extract_targets

    header = [["序号", "主要指标", "单位", "2020年", "2025年", "指标属性"]] if with_header else []
    if layout == "pipe":
        text = "\n".join(" | ".join(r) + " |" for r in header + rows)
    else:
        text = "\n\n".join(c for r in header + rows for c in r)
    res = extract_targets(text, split_passages(text))
    for t in res.targets:
        assert 0 <= t.start <= t.end <= len(text)
        assert text[t.start:t.end] == t.quote
        assert t.comparator in (None, ">=", "<=", "=", ">", "<", "range", "qualitative")
    for f in res.flags:
        assert f.start is None or 0 <= f.start <= f.end <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.one_of(CJKISH, ANY))
def test_extraction_survives_arbitrary_text(text):
    from analysis.extract import extract_targets

    mt, _, _ = clean_text(text)
    res = extract_targets(mt.text, split_passages(mt.text))
    for t in res.targets:
        assert mt.text[t.start:t.end] == t.quote
