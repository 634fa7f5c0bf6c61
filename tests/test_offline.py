"""Nothing in `make report` touches the network: the build and the reports run in a network
namespace with no interfaces but a down loopback (Linux `unshare -n`, root only)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.slow]
BIN = Path(sys.executable).parent


def _unshare_ok() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    if os.geteuid() != 0:
        return "needs root to create a network namespace (unshare -n); run as root or in CI"
    if shutil.which("ip") is None:
        return "iproute2 (`ip`) is not installed: cannot bring up loopback in the namespace"
    probe = subprocess.run(["unshare", "-n", "--", "ip", "link", "set", "lo", "up"], capture_output=True, text=True)
    return None if probe.returncode == 0 else f"unshare -n failed: {probe.stderr.strip()}"


def _offline(*cmd: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run a command in a new network namespace: only the loopback interface, which the Jupyter
    kernels need to talk to their client; no route to any other host."""
    script = 'ip link set lo up && exec "$@"'
    return subprocess.run(["unshare", "-n", "--", "sh", "-c", script, "sh", *cmd], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def test_the_namespace_really_has_no_network():
    if why := _unshare_ok():
        pytest.skip(why)
    code = "import socket; s = socket.socket(); s.settimeout(3); print(s.connect_ex(('1.1.1.1', 80)))"
    out = _offline(sys.executable, "-c", code)
    assert out.stdout.strip() not in ("0", "")


def test_make_report_has_nothing_to_download_once_set_up():
    dry = subprocess.run(["make", "-n", "report"], capture_output=True, text=True, cwd=ROOT)
    if not (ROOT / ".cache/echarts.min.js").exists():
        pytest.skip("echarts not fetched yet (make fetches it once, online)")
    assert "pip install" not in dry.stdout and "npm " not in dry.stdout, dry.stdout


def test_build_and_reports_run_without_network(tmp_path):
    if why := _unshare_ok():
        pytest.skip(why)
    if not (ROOT / ".cache/echarts.min.js").exists():
        pytest.skip("echarts not fetched yet (make fetches it once, online)")
    db = tmp_path / "plans.duckdb"
    built = _offline(str(BIN / "plans"), "build", "--db", str(db), "--out", str(tmp_path))
    assert built.returncode == 0, built.stdout + built.stderr
    report = _offline(str(BIN / "plans"), "report", "--db", str(db), "--out", str(tmp_path / "figures"))
    assert report.returncode == 0, report.stdout[-3000:] + report.stderr[-3000:]
    pages = sorted((tmp_path / "figures").glob("*.html"))
    assert (tmp_path / "figures/index.html") in pages and len(pages) >= 8
