"""The layout shows the pipeline: imports only point down it, and no module grows past ~400 lines."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# stage packages in pipeline order; build.py and cli.py sit on top, config/flags/columns are shared bases
ORDER = ["ingest", "clean", "segment", "extract", "align", "warehouse", "publish", "build", "cli"]
BASES = {"config", "flags", "columns"}
IMPORT = re.compile(r"^\s*(?:from|import) analysis\.(\w+)", re.M)


def _stage(path: Path) -> str:
    parts = path.relative_to(ROOT / "analysis").parts
    return parts[0] if len(parts) > 1 else path.stem


def test_imports_only_point_down_the_pipeline():
    rank = {s: i for i, s in enumerate(ORDER)}
    upward = []
    for path in (ROOT / "analysis").rglob("*.py"):
        stage = _stage(path)
        for target in IMPORT.findall(path.read_text(encoding="utf-8")):
            if stage in rank and target in rank and rank[target] > rank[stage]:
                upward.append(f"{path.relative_to(ROOT)} imports analysis.{target}")
            assert target in rank or target in BASES or target in ("__main__",), f"{path}: unknown stage {target}"
    assert not upward, upward


def test_every_stage_is_a_package_and_modules_stay_small():
    for stage in ORDER[:-2]:
        assert (ROOT / "analysis" / stage / "__init__.py").exists(), stage
    flat = {p.stem for p in (ROOT / "analysis").glob("*.py")} - {"__init__", "__main__"}
    assert flat == {"build", "cli"} | BASES, flat
    long = [f"{p.relative_to(ROOT)}: {n}" for p in (ROOT / "analysis").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450]
    assert not long, long
