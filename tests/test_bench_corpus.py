"""The benchmark's corpus generator (deterministic, every encoding decodes, sizes in range, sidecars
that name a city) and a smoke run of `bench/run.py --quick --skip-report`."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench.generate_corpus import ENCODINGS, LAYOUTS, MAX_BYTES, MIN_BYTES, city_names, generate, make_document

ROOT = Path(__file__).resolve().parent.parent
SIDECAR_KEYS = {"doc_id", "city", "province", "admin_level", "kind", "title", "doc_number", "issuer", "issued_date",
                "published_date", "language_variant", "source_url", "sha256", "notes"}
CODECS = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030", "big5": "big5", "utf-16": "utf-16"}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate(40, 7, tmp_path_factory.mktemp("bench") / "a")


def _documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html"))


def test_same_seed_same_bytes(corpus, tmp_path):
    again = generate(40, 7, tmp_path / "b")
    assert _digest(again) == _digest(corpus)
    assert _digest(generate(40, 8, tmp_path / "c")) != _digest(corpus)


def test_sizes_within_range(corpus):
    docs = _documents(corpus)
    assert len(docs) == 40
    for p in docs:
        assert MIN_BYTES <= p.stat().st_size <= MAX_BYTES, p.name


def test_sidecars_are_yaml_with_a_city(corpus):
    from analysis.ingest import load_sidecar

    for p in _documents(corpus):
        side = corpus / f"{p.stem}.meta.yml"
        meta = yaml.safe_load(side.read_text(encoding="utf-8"))
        assert SIDECAR_KEYS <= set(meta), p.name
        assert meta["city"] and meta["province"] and meta["source_url"] is None
        assert meta["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
        assert load_sidecar(side)["doc_id"] == p.stem  # the project's own reader accepts it


def test_city_names_are_distinct_with_real_suffixes():
    names = city_names(3300, 1)
    assert len({c for c, _, _ in names}) == 3300
    assert {c[-1] for c, _, _ in names} == set("市区县旗盟")
    assert all(p == "内蒙古自治区" for c, p, _ in names if c[-1] in "旗盟")


def test_every_encoding_and_layout_occurs_and_decodes():
    seen_enc, seen_layout = set(), set()
    for i in range(120):
        name, data, meta, truth = make_document(i, 3, f"测试{i}市", "河北省", "prefecture")
        text = data.decode(CODECS[truth["encoding"]])  # strict: every byte decodes with the declared codec
        assert "〔20" in text and "十四五" in text, name
        assert (truth["encoding"] == "big5") <= (meta["language_variant"] == "traditional")
        seen_enc.add(truth["encoding"])
        seen_layout.add(truth["layout"])
        assert 8 <= len(truth["rows"]) <= 18 and truth["prose"]
    assert seen_enc == set(ENCODINGS)
    assert seen_layout == set(LAYOUTS)


def test_truth_lists_every_document(corpus):
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    assert sorted(truth) == [p.stem for p in _documents(corpus)]
    row = truth[sorted(truth)[0]]["rows"][0]
    assert {"name", "unit", "baseline", "target", "comparator", "attribute"} <= set(row)


def test_generated_documents_never_go_into_data(tmp_path):
    with pytest.raises(ValueError):
        generate(1, 1, ROOT / "data" / "raw")


@pytest.mark.slow
def test_the_pipeline_reads_every_generated_document(corpus):
    from analysis.build import process_document

    for p in _documents(corpus):
        res = process_document(p)
        assert res.ok, res.reason
        assert res.rows["raw_targets"].num_rows, p.name


def _build_cli() -> bool:
    plans = Path(sys.executable).parent / "plans"
    if not plans.exists():
        return False
    return subprocess.run([str(plans), "build", "--help"], capture_output=True).returncode == 0


@pytest.mark.slow
def test_quick_benchmark_runs(tmp_path):
    if not _build_cli():
        pytest.skip("`plans build` is not installed yet (analysis/cli.py); the benchmark drives it")
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--skip-report", "--formats", "txt,html", "--json", str(out),
                           "--cache", str(tmp_path / "cache")], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = json.loads(out.read_text(encoding="utf-8"))
    for key in ("build_s_20", "build_s_60", "peak_rss_mb_60", "scaling_ratio", "floor_s_60", "build_over_floor",
                "targets", "machine", "noop_rebuild_s_60", "add_one_s_60", "registry_edit_s_60", "format_shares"):
        assert key in res, key
    assert res["builds"][-1]["documents"] == 60 and res["builds"][-1]["failed"] == 0
    assert 0 < res["recall"]["all"]["table_recall"] <= 1
    assert "targets:" in proc.stdout
    big = res["builds"][-1]
    assert "up to date" in big["noop_line"]  # the no-op rebuild changed nothing
    assert "1 documents processed" in big["add_one_line"] and "0 documents processed" in big["registry_edit_line"]
    assert abs(sum(res["format_shares"].values()) - 1) < 1e-6


# ---------------------------------------------------------------- file types (bench/formats.py)
def test_default_corpus_is_text_and_html(corpus):
    assert {p.suffix for p in _documents(corpus)} <= {".txt", ".html"}
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    assert {t["format"] for t in truth.values()} == {"txt", "html"}


def test_unknown_or_unavailable_format_is_refused():
    from bench.formats import parse_formats

    with pytest.raises(ValueError, match="odt"):
        parse_formats("txt,odt")
    assert parse_formats("txt,html") == ("txt", "html")


def test_pdf_and_docx_documents_carry_the_truth(tmp_path):
    pytest.importorskip("reportlab")
    docx = pytest.importorskip("docx")
    pdfium = pytest.importorskip("pypdfium2")
    from bench.formats import SHARES

    formats = ("txt", "html", "pdf", "docx")
    a = generate(16, 11, tmp_path / "a", formats)
    assert _digest(generate(16, 11, tmp_path / "b", formats)) == _digest(a)  # PDFs and Word files too
    truth = json.loads((a / "truth.json").read_text(encoding="utf-8"))
    kinds = {t["format"] for t in truth.values()}
    assert {"pdf", "docx"} <= kinds and set(SHARES) >= kinds
    for doc, t in truth.items():
        path = a / f"{doc}.{t['format']}"
        assert path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == \
            yaml.safe_load((a / f"{doc}.meta.yml").read_text(encoding="utf-8"))["sha256"]
        if t["format"] == "pdf":
            pdf = pdfium.PdfDocument(path.read_bytes())
            text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).replace("\r\n", "")
            assert len(pdf) >= 2 and "— 1 —" in text
        elif t["format"] == "docx":
            d = docx.Document(str(path))
            text = "".join(p.text for p in d.paragraphs) + "".join(c.text for tb in d.tables for row in tb.rows
                                                                  for c in row.cells)
        else:
            continue
        missing = [r["name"] for r in t["rows"] if r["name"] not in text and t["variant"] == "simplified"]
        assert not missing, (doc, missing[:3])
