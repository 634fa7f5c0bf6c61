"""Nothing in `make report` touches the network: the build and the reports run in a network
namespace with no interfaces but a down loopback (Linux `unshare -n`, root only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from fixtures.offline import run_offline, seed_reports, unshare_unavailable

pytestmark = [pytest.mark.slow]
BIN = Path(sys.executable).parent


def test_the_namespace_really_has_no_network():
    if why := unshare_unavailable():
        pytest.skip(why)
    code = "import socket; s = socket.socket(); s.settimeout(3); print(s.connect_ex(('1.1.1.1', 80)))"
    out = run_offline(sys.executable, "-c", code)
    assert out.stdout.strip() not in ("0", "")


def test_make_report_has_nothing_to_download_once_set_up():
    dry = subprocess.run(["make", "-n", "report"], capture_output=True, text=True, cwd=ROOT)
    if not all((ROOT / ".cache" / name).exists() for name in ("echarts.min.js", "fflate.min.js")):
        pytest.skip("echarts / fflate not fetched yet (make fetches them once, online)")
    assert "pip install" not in dry.stdout and "npm " not in dry.stdout, dry.stdout


def test_build_and_reports_run_without_network(tmp_path_factory):
    if why := unshare_unavailable():
        pytest.skip(why)
    if not (ROOT / ".cache/echarts.min.js").exists():
        pytest.skip("echarts not fetched yet (make fetches it once, online)")
    run = seed_reports(tmp_path_factory)  # the session's run, shared with test_report's real-data pages
    assert run.offline
    assert run.build.returncode == 0, run.build.stdout + run.build.stderr
    assert run.report.returncode == 0, run.report.stdout[-3000:] + run.report.stderr[-3000:]
    pages = sorted(run.figures.glob("*.html"))
    assert (run.figures / "index.html") in pages and len(pages) >= 8
