"""`plans` command line: a thin shell, each subcommand calls one library function."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import config


def _print_table(df, csv: bool = False) -> None:
    if csv:
        df.to_csv(sys.stdout, index=False)
        return
    import pandas as pd

    with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                           "display.max_colwidth", 60, "display.unicode.east_asian_width", True):
        print(df.to_string(index=False) if len(df) else "(no rows)")


def cmd_build(args) -> int:
    from analysis.build import build

    report = build(Path(args.raw), Path(args.db), Path(args.out), workers=args.workers)
    align = report.align
    extra = ""
    if align is not None and hasattr(align, "summary"):
        extra = "\n" + align.summary()
    print(f"built {report.db_path}: {report.n_ok} documents, {report.n_failed} failed, "
          f"{report.n_targets} statements extracted{extra}")
    for file_name, _, reason in report.failed:
        print(f"error: {reason}", file=sys.stderr)
    return 1 if report.n_failed else 0


def cmd_add(args) -> int:
    from analysis.ingest import add_document

    try:
        dest = add_document(Path(args.file), Path(args.raw), city=args.city, province=args.province,
                            level=args.level, kind=args.kind, title=args.title)
    except (FileExistsError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"added {dest} (sidecar {dest.stem}{config.SIDECAR_SUFFIX}); run `plans build` to include it")
    return 0


def cmd_check(args) -> int:
    from analysis.warehouse.db import connect

    con = connect(Path(args.db))
    where, params = "", {}
    if args.kind:
        where = "WHERE f.kind = $kind"
        params["kind"] = args.kind
    df = con.execute(
        f"""SELECT f.doc_id, d.city_label AS city, f.stage, f.kind, f.severity, f.raw_start,
                   left(regexp_replace(coalesce(f.excerpt, ''), '\\s+', ' ', 'g'), 40) AS excerpt,
                   left(f.message, 90) AS message
            FROM quality_flags f LEFT JOIN documents d USING (doc_id) {where}
            ORDER BY f.doc_id, f.stage, f.flag_no""", params).df()
    _print_table(df, args.csv)
    if not args.csv:
        print(f"\n{len(df)} flags", file=sys.stderr)
    return 0


def cmd_query(args) -> int:
    from analysis.warehouse.db import connect
    from analysis.warehouse.queries import list_queries, run_query

    if args.name in (None, "list"):
        print("\n".join(list_queries()))
        return 0
    params = {}
    for kv in args.param or []:
        if "=" not in kv:
            print(f"error: --param takes name=value, got {kv!r}", file=sys.stderr)
            return 2
        k, v = kv.split("=", 1)
        params[k] = v
    con = connect(Path(args.db))
    try:
        df = run_query(con, args.name, **params)
    except (KeyError, ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _print_table(df, args.csv)
    return 0


def cmd_report(args) -> int:
    from analysis.publish.report import ReportError, build_reports

    try:
        return build_reports(Path(args.db), Path(args.out), only=args.only, timeout=args.timeout,
                             workers=args.workers, static=not args.no_static, cities=args.city,
                             min_docs=args.min_docs) or 0
    except (ReportError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="plans", description="民政事业“十四五”规划比较 — compare civil-affairs plan targets across cities.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the DuckDB database and exports from the raw documents")
    b.add_argument("--raw", default=str(config.RAW_DIR), help="raw documents folder (default: %(default)s)")
    b.add_argument("--db", default=str(config.DB_PATH), help="database file (default: %(default)s)")
    b.add_argument("--out", default=str(config.PROCESSED_DIR), help="export folder for targets.csv/.parquet (default: %(default)s)")
    b.add_argument("--workers", type=int, default=None, help="worker processes (default: up to 2)")
    b.set_defaults(func=cmd_build)

    a = sub.add_parser("add", help="copy a document into the raw folder and write its metadata sidecar")
    a.add_argument("file", help="the document (.txt or .html)")
    a.add_argument("--city", default=None, help="city as the document names it (omit if it does not)")
    a.add_argument("--province", default=None)
    a.add_argument("--level", default=None, choices=["province", "prefecture", "county", "township", "unknown"])
    a.add_argument("--kind", default="plan", choices=["plan", "excerpt", "news"])
    a.add_argument("--title", default=None)
    a.add_argument("--raw", default=str(config.RAW_DIR), help="raw documents folder (default: %(default)s)")
    a.set_defaults(func=cmd_add)

    c = sub.add_parser("check", help="list quality flags (spam removed, mojibake, conflicts, suspect units …)")
    c.add_argument("--db", default=str(config.DB_PATH))
    c.add_argument("--kind", default=None, help="only flags of this kind")
    c.add_argument("--csv", action="store_true", help="CSV on standard output")
    c.set_defaults(func=cmd_check)

    q = sub.add_parser("query", help="run a SQL file from queries/ (no name: list them)")
    q.add_argument("name", nargs="?", help="query name (file stem)")
    q.add_argument("--param", action="append", metavar="NAME=VALUE", help="named parameter (repeatable)")
    q.add_argument("--db", default=str(config.DB_PATH))
    q.add_argument("--csv", action="store_true", help="CSV on standard output")
    q.set_defaults(func=cmd_query)

    r = sub.add_parser("report", help="execute the notebooks and write the HTML reports to figures/")
    r.add_argument("--db", default=str(config.DB_PATH))
    r.add_argument("--out", default=str(config.FIGURES_DIR))
    r.add_argument("--city", action="append", metavar="DOC_OR_NAME",
                   help="write only this document's city page (doc id, id prefix or city name; repeatable)")
    r.add_argument("--only", action="append", metavar="NOTEBOOK", help="notebook stem to run (repeatable)")
    r.add_argument("--min-docs", type=int, default=2,
                   help="an indicator gets a page when this many documents state it (default %(default)s)")
    r.add_argument("--timeout", type=int, default=600, help="seconds per cell (default %(default)s)")
    r.add_argument("--workers", type=int, default=None, help="notebooks run at a time (default: up to 2)")
    r.add_argument("--no-static", action="store_true", help="skip the static PNG charts")
    r.set_defaults(func=cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
