"""Property-based tests: arbitrary text never breaks cleaning; offsets stay inside the texts."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.clean import clean_document, clean_text
from analysis.encoding import DocumentError
from analysis.passages import split_passages

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
