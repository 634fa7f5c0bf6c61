"""Each cleaning step on short real excerpts, and the whole pipeline on the seeds."""

import pytest

from analysis.clean import (
    clean_document,
    html_to_text,
    normalise_whitespace,
    normalise_width,
    remove_pinyin,
    remove_spam,
    to_simplified,
)
from analysis.clean.textmap import MappedText

SPAM = "365网站是正规平台吗_365bet足球网_bt365博彩"


def mt(s):
    return MappedText.identity(s)


def test_spam_run_is_removed_and_the_official_name_restored():
    flags = []
    out = remove_spam(mt(f"重庆市永川区{SPAM}办公室\n各镇{SPAM}、街道办事处"), flags)
    assert out.text == "重庆市永川区人民政府办公室\n各镇人民政府、街道办事处"
    assert [f.kind for f in flags] == ["spam_removed", "spam_removed"]


def test_spam_in_an_unknown_position_is_removed_but_not_restored():
    flags = []
    out = remove_spam(mt("民政工作关系民生bet365娱乐城_皇冠体育投注网,连着民心。"), flags)
    assert "bet" not in out.text and "人民政府" not in out.text
    assert out.text.startswith("民政工作关系民生") and out.text.endswith(",连着民心。")
    assert "removed" in flags[0].message


def test_seo_spam_line_is_dropped_but_welfare_words_are_not():
    flags = []
    text = "久久久久网站中文字幕,免费人成视频在线观看视频,欧美日韩福利电影一区二区三区四区\n发展儿童福利和福利彩票事业。"
    out = remove_spam(mt(text), flags)
    assert out.text.strip() == "发展儿童福利和福利彩票事业。"


def test_pinyin_annotations_are_removed_only_when_tone_marked():
    flags = []
    out = remove_pinyin(mt("實現(xiàn)鞏固拓展(一)成果，服務(wù)站(A)"), flags)
    assert out.text == "實現鞏固拓展(一)成果，服務站(A)"
    assert flags[0].detail == "2"


def test_traditional_to_simplified_keeps_length_and_map():
    out = to_simplified(mt("養老機構護理型床位佔比"))
    assert out.text == "养老机构护理型床位占比"
    assert list(out.origin) == list(range(len(out.text)))


def test_full_width_digits_and_percent_become_half_width():
    assert normalise_width(mt("达到１００％，（二）")).text == "达到100%,(二)"


def test_variant_comparison_signs_become_the_usual_ones():
    out = normalise_width(mt("≧85 ≦40 ⩾7 ⩽3"))  # Big5 has no ≥ ≤: traditional pages write ≧ ≦
    assert out.text == "≥85 ≤40 ≥7 ≤3"
    assert list(out.origin) == list(range(len(out.text)))


def test_whitespace_lines_are_trimmed_but_blank_lines_kept():
    out = normalise_whitespace(mt("  序号 \n\n\u00a0\u00a0\n\n 单位\u3000"))
    assert out.text == "序号\n\n\n\n单位"


def test_html_junk_is_dropped_and_tables_become_rows():
    page = ("<html><head><script>var x=1;</script><style>p{}</style></head><body><nav>首页 政务公开</nav>"
            "<p>到2025年，养老机构护理型床位占比达到60%&nbsp;以上。</p>"
            "<table><tr><th>指标</th><th>2025年</th></tr><tr><td>火化率</td><td>100</td></tr></table></body></html>")
    out = html_to_text(mt(page)).text
    assert "var x" not in out and "首页" not in out and "p{}" not in out
    assert "达到60%\u00a0以上" in out
    assert "火化率 | 100 |" in out


def test_escaped_markup_in_html_text_stays_text():
    out = html_to_text(mt("<html><body><p>&lt;script&gt;alert(1)&lt;/script&gt;</p><div>x</div></body></html>")).text
    assert "<script>alert(1)</script>" in out


def test_seed_001_restores_the_issuer_and_drops_spam(seed_text):
    text = seed_text("001")
    assert "重庆市永川区人民政府办公室" in text
    assert "365bet" not in text and "博彩" not in text


def test_seed_004_is_simplified_without_pinyin(seed_text, seed_clean):
    text = seed_text("004")
    assert "实现" in text and "(xiàn)" not in text and "實現" not in text
    assert seed_clean("004").variant == "traditional"


def test_seed_003_is_simplified_and_its_mojibake_flagged(seed_text, seed_clean):
    text = seed_text("003")
    assert "养老机构护理型床位占比" in text and "養老" not in text
    moji = [f for f in seed_clean("003").flags if f.kind == "mojibake"]
    assert len(moji) == 2
    raw = seed_clean("003").raw_text
    assert all("?" in raw[f.raw_start:f.raw_end] for f in moji)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_offsets_map_back_to_the_raw_characters(seed_clean, prefix):
    r = seed_clean(prefix)
    assert len(r.origin) == len(r.text)
    assert all(a <= b for a, b in zip(r.origin, r.origin[1:]))
    # every cleaned CJK character maps to the same or its traditional raw character
    from analysis.clean.document import t2s_converter
    restored = [(f.raw_start, f.raw_end) for f in r.flags if f.kind == "spam_removed"]
    for i in range(0, len(r.text), 7):
        c = r.text[i]
        if "\u4e00" <= c <= "\u9fff" and not any(a <= r.origin[i] < b for a, b in restored):
            assert t2s_converter().convert(r.raw_text[r.origin[i]]) == c


def test_clean_document_names_the_file_on_error():
    from analysis.ingest.encoding import DocumentError

    with pytest.raises(DocumentError, match="broken.pdf"):
        clean_document(b"%PDF-1.4 xxx", name="broken.pdf")


def test_lossless_mojibake_is_repaired_and_lossy_is_only_flagged():
    from analysis.clean import clean_text

    garbled = "民政事业发展规划".encode().decode("gbk")  # UTF-8 bytes read as GBK, nothing lost
    mt_, flags, _ = clean_text(f"晋中市{garbled}。")
    assert mt_.text == "晋中市民政事业发展规划。"
    assert [f.kind for f in flags] == ["mojibake_repaired"]
    mt_, flags, _ = clean_text("强化困境儿童关爱保护?!笆奈濉蹦?,力争保障孤儿600人。")
    assert "?!笆奈濉蹦?" in mt_.text  # lost bytes: not guessed
    assert [f.kind for f in flags] == ["mojibake"]


def test_seeds_have_no_false_mojibake_repairs(seed_clean):
    for prefix in ("000", "001", "002", "003", "004"):
        assert not [f for f in seed_clean(prefix).flags if f.kind == "mojibake_repaired"], prefix


def test_hostile_html_keeps_script_strings_as_text_and_drops_real_scripts():
    from conftest import ROOT

    page = (ROOT / "tests/fixtures/hostile/恶意测试市_plan.html").read_bytes()
    text = clean_document(page, name="恶意测试市_plan.html").text
    assert "head script" not in text and "background: red" not in text  # real script/style dropped
    assert "<script>window.__pwned_text = true</script>" in text  # escaped markup is data
    assert '<img src=x onerror="window.__pwned_img = true">' in text
    assert "占比<script>window.__pwned_cell=true</script> | %" in text
    assert "火化率达到98%以上" in text
