"""Rebuilds cost what changed: per-document fragments keyed by content and code version, the stage
snapshot, and the exports staying byte-identical to a full build."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import RAW, ROOT

from analysis import build as build_mod
from analysis.build import build
from analysis.warehouse import cache

EXPORTS = ("targets.csv", "targets.parquet")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, seed_build):
    """The seeds built once with a cache (work folder); the session's seed build is the reference (from nothing)."""
    base = tmp_path_factory.mktemp("seeded")
    report = build(RAW, base / "w" / "p.duckdb", base / "w" / "a", echo=None, workers=1)
    return base / "w", report, _exports(seed_build)


@pytest.fixture()
def raw(tmp_path):
    d = tmp_path / "raw"
    shutil.copytree(RAW, d)
    return d


@pytest.fixture()
def work(seeded, tmp_path):
    """A copy of the seeds' work folder (database, exports in a/, cache) after one build."""
    shutil.copytree(seeded[0], tmp_path / "w")
    return tmp_path / "w"


def _exports(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in EXPORTS}


def _full(raw: Path, tmp: Path, **kw) -> dict[str, bytes]:
    """A build from nothing (own database, own cache, --full) to compare against."""
    d = tmp / "fresh"
    shutil.rmtree(d, ignore_errors=True)
    build(raw, d / "p.duckdb", d, echo=None, workers=2, full=True, **kw)
    return _exports(d)


def _build(raw: Path, work: Path, out: str, **kw):
    return build(raw, work / "p.duckdb", work / out, echo=None, workers=1, **kw)


def test_cache_hit_gives_byte_identical_exports(raw, work, seeded):
    first = seeded[1]
    assert (first.n_processed, first.n_cached) == (5, 0)
    assert len(list((work / "cache").glob("*.frag"))) == 5 and cache.find_snapshot(work / "cache")
    again = _build(raw, work, "b")  # a new export folder: not up to date, everything from the cache
    assert (again.n_processed, again.n_cached, again.up_to_date) == (0, 5, False)
    assert _exports(work / "b") == _exports(work / "a") == seeded[2]
    assert again.n_ok == 5 and again.n_targets == first.n_targets


def test_nothing_changed_keeps_database_and_exports(raw, work, tmp_path, seeded):
    db_before = (work / "p.duckdb").read_bytes()
    report = _build(raw, work, "a")
    assert report.up_to_date and report.n_processed == 0 and report.n_ok == 5
    assert (work / "p.duckdb").read_bytes() == db_before
    (work / "a" / "targets.csv").write_text("edited by hand\n", encoding="utf-8")
    report = _build(raw, work, "a")  # an export that is not the one the build wrote is rewritten
    assert not report.up_to_date and report.n_processed == 0
    assert (work / "a" / "targets.csv").read_bytes() == seeded[2]["targets.csv"]


def test_changing_one_raw_file_reprocesses_only_it(raw, work, tmp_path, seeded):
    doc = sorted(raw.glob("003_*.txt"))[0]
    doc.write_bytes(doc.read_bytes() + "\n到2025年，全市婚姻登记机构标准化建设达标率达到97%。\n".encode())
    report = _build(raw, work, "b")
    assert (report.n_processed, report.n_cached) == (1, 4)
    assert _exports(work / "b") == _full(raw, tmp_path)
    assert b"97" in (work / "b" / "targets.csv").read_bytes()
    assert len(list((work / "cache").glob("*.frag"))) == 5  # the old fragment of 003 is pruned


def test_adding_and_removing_documents(raw, work, tmp_path, seeded):
    (raw / "extra.txt").write_text("某县民政局：到2025年，养老机构护理型床位占比达到61%。", encoding="utf-8")
    (raw / "extra.meta.yml").write_text("city: 某县\nkind: news\n", encoding="utf-8")
    report = _build(raw, work, "b")
    assert (report.n_processed, report.n_cached, report.n_ok) == (1, 5, 6)
    assert "61" in (work / "b" / "targets.csv").read_text(encoding="utf-8")
    for p in raw.glob("001_*"):
        p.unlink()
    report = _build(raw, work, "c")
    assert (report.n_processed, report.n_ok) == (0, 5)
    con = duckdb.connect(str(work / "p.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM passages WHERE doc_id LIKE '001%'").fetchall()[0][0] == 0
    con.close()
    assert _exports(work / "c") == _full(raw, tmp_path)


def test_changing_a_sidecar_reprocesses_only_its_document(raw, work, tmp_path, seeded):
    side = sorted(raw.glob("002_*.meta.yml"))[0]
    side.write_text(side.read_text(encoding="utf-8").replace("title:", "title: 修订稿", 1), encoding="utf-8")
    report = _build(raw, work, "b")
    assert (report.n_processed, report.n_cached) == (1, 4)
    con = duckdb.connect(str(work / "p.duckdb"), read_only=True)
    assert con.execute("SELECT title FROM documents WHERE doc_id LIKE '002%'").fetchall()[0][0].startswith("修订稿")
    con.close()


def test_registry_edit_realigns_without_reprocessing(raw, tmp_path):
    work = tmp_path / "w"
    ref = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", ref)
    _build(raw, work, "a", reference_dir=ref)
    con = duckdb.connect(str(work / "p.duckdb"), read_only=True)
    # a name whose unit fits the indicator (a unit of another kind blocks a match, whatever the aliases say)
    name = con.execute("SELECT min(u.raw_name) FROM unmatched_names u JOIN targets t USING (doc_id, raw_name) "
                       "WHERE t.unit_raw = '%' OR t.unit_raw IS NULL").fetchall()[0][0]
    con.close()
    text = (ref / "indicators.yaml").read_text(encoding="utf-8")
    old = "aliases: [低保标准年度增速, 城乡低保标准增速]"
    assert old in text
    (ref / "indicators.yaml").write_text(text.replace(old, f"aliases: [低保标准年度增速, 城乡低保标准增速, {name}]"),
                                         encoding="utf-8")
    report = _build(raw, work, "a", reference_dir=ref)
    assert not report.up_to_date and (report.n_processed, report.n_cached) == (0, 5)
    con = duckdb.connect(str(work / "p.duckdb"), read_only=True)
    ids = {r[0] for r in con.execute("SELECT indicator_id FROM targets WHERE raw_name = $n", {"n": name}).fetchall()}
    con.close()
    assert ids == {"dibao_growth"}
    assert _exports(work / "a") == _full(raw, tmp_path, reference_dir=ref)


def test_code_version_change_reprocesses_everything(raw, work, monkeypatch):
    monkeypatch.setattr(build_mod, "document_version", lambda reference_dir=None: "another extractor")
    report = _build(raw, work, "a")
    assert (report.n_processed, report.n_cached) == (5, 0)


def test_code_version_follows_the_per_document_stages(tmp_path):
    for rel in ("analysis/extract/prose.py", "analysis/clean/document.py", "analysis/publish/report.py",
                "analysis/align/marts.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n", encoding="utf-8")
    v0 = cache.code_version(tmp_path)
    (tmp_path / "analysis/publish/report.py").write_text("x = 2\n", encoding="utf-8")
    (tmp_path / "analysis/align/marts.py").write_text("x = 2\n", encoding="utf-8")
    assert cache.code_version(tmp_path) == v0  # reports and alignment do not touch fragments
    (tmp_path / "analysis/extract/prose.py").write_text("x = 2\n", encoding="utf-8")
    v1 = cache.code_version(tmp_path)
    assert v1 != v0
    (tmp_path / "data/reference").mkdir(parents=True)
    (tmp_path / "data/reference/phrases.yaml").write_text("verbs: [达到]\n", encoding="utf-8")
    assert cache.code_version(tmp_path) != v1  # the extraction vocabulary is part of the version


def _one_fragment(tmp_path) -> tuple[Path, bytes]:
    import pyarrow as pa

    frag = cache.Fragment("d1", "d1.txt", "summary", {"doc_id": "d1", "city": "某市"},
                          {"documents": pa.table({"doc_id": ["d1"], "text": ["正文"]}),
                           "numbers": pa.table({"doc_id": ["d1", "d1"], "value": [1.5, None]})})
    path = cache.write_fragment(tmp_path, "k1", frag)
    return path, path.read_bytes()


def test_fragment_round_trip_and_damage_is_detected(tmp_path):
    path, data = _one_fragment(tmp_path)
    back = cache.read_fragment(tmp_path, "k1")
    assert back.meta == {"doc_id": "d1", "city": "某市"} and set(back.rows) == {"documents", "numbers"}
    assert back.rows["numbers"].column("value").to_pylist() == [1.5, None]
    with pytest.raises(cache.FragmentError, match="truncated"):
        cache.decode_fragment(data[: len(data) // 2], "x.frag")
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    with pytest.raises(cache.FragmentError, match="checksum"):
        cache.decode_fragment(bytes(flipped), "x.frag")
    path.write_bytes(data[:-10])
    assert cache.read_fragment(tmp_path, "k1") is None and not path.exists()  # never loaded, removed


def test_truncated_fragment_is_rebuilt(raw, work, tmp_path, seeded):
    for snap in (work / "cache").glob(cache.SNAPSHOT_GLOB):
        snap.unlink()  # without the snapshot and the previous database, every document comes from its fragment
    (work / "p.duckdb").unlink()
    victim = sorted((work / "cache").glob("*.frag"))[0]
    victim.write_bytes(victim.read_bytes()[:1000])
    report = _build(raw, work, "b")
    assert (report.n_processed, report.n_cached) == (1, 4)
    assert _exports(work / "b") == _exports(work / "a")
    assert cache.decode_fragment(victim.read_bytes(), victim.name).doc_id  # written again, whole


def test_damaged_snapshot_is_not_used(raw, work, tmp_path, seeded):
    snap = cache.find_snapshot(work / "cache")
    data = bytearray(snap.read_bytes())
    data[len(data) // 3] ^= 0xFF
    snap.write_bytes(bytes(data))
    assert cache.find_snapshot(work / "cache") is None and not snap.exists()
    (work / "p.duckdb").unlink()  # else the build starts from the previous database
    report = _build(raw, work, "b")
    assert (report.n_processed, report.n_cached) == (0, 5)  # the fragments are still good
    assert _exports(work / "b") == _exports(work / "a")


def test_full_ignores_the_cache(raw, work, tmp_path, seeded):
    report = _build(raw, work, "a", full=True)
    assert (report.n_processed, report.n_cached, report.up_to_date) == (5, 0, False)


def test_failed_documents_are_reported_again_when_nothing_changed(raw, tmp_path):
    (raw / "orphan.txt").write_text("到2025年，火化率达到100%。", encoding="utf-8")  # no sidecar
    work = tmp_path / "w"
    first = _build(raw, work, "a")
    again = _build(raw, work, "a")
    assert again.up_to_date and again.n_failed == first.n_failed == 1
    assert "sidecar missing" in again.failed[0][2]


@pytest.mark.slow
def test_killed_cached_build_leaves_database_and_cache_usable(raw, tmp_path):
    """SIGKILL while a cached build processes the documents that changed: the previous database is
    untouched, every fragment left in the cache passes its check, and the next build equals a full one."""
    import signal
    import subprocess
    import sys
    import time

    from bench.generate_corpus import generate

    corpus = generate(120, 5, tmp_path / "gen")
    for p in raw.iterdir():
        shutil.copy(p, corpus / p.name)
    work = tmp_path / "w"
    build(corpus, work / "p.duckdb", work, echo=None)
    before = (work / "p.duckdb").read_bytes()
    for p in sorted(corpus.glob("gen*.txt"))[::2]:  # about a third of the corpus changes
        p.write_bytes(p.read_bytes() + b"\n")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "plans"), "build", "--raw", str(corpus), "--db",
                             str(work / "p.duckdb"), "--out", str(work)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    n_fragments = len(list((work / "cache").glob("*.frag")))
    deadline = time.time() + 120
    while time.time() < deadline and len(list((work / "cache").glob("*.frag"))) < n_fragments + 5:
        time.sleep(0.02)  # kill once a few new fragments are written: half-way through the changed documents
    import psutil

    workers = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for w in workers:  # the pool's workers outlive a killed parent: end the ones this test started
        try:
            w.kill()
            w.wait(10)
        except psutil.NoSuchProcess:
            pass
    assert proc.returncode == -signal.SIGKILL
    assert (work / "p.duckdb").read_bytes() == before
    for frag in (work / "cache").glob("*.frag"):
        cache.decode_fragment(frag.read_bytes(), frag.name)  # raises if any is partial
    assert cache.find_snapshot(work / "cache") is not None
    report = build(corpus, work / "p.duckdb", work, echo=None)
    assert report.n_failed == 0 and 0 < report.n_processed < report.n_ok
    assert _exports(work) == _full(corpus, tmp_path)
    assert not list(work.glob(".p.duckdb.*.tmp*"))


def test_document_version_follows_the_per_document_part_of_build(monkeypatch):
    v0 = build_mod.document_version()
    assert build_mod.document_version() == v0  # stable within and across builds
    monkeypatch.setattr(build_mod, "MAX_BYTES", build_mod.MAX_BYTES + 1)
    assert build_mod.document_version() != v0
