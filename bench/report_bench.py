"""The course report export against the floor: 100,000 and 1,000,000 synthetic learner-block rows.

Run it with ``make bench-report`` (``--sizes 100000`` for a quick run).  Each size gets a temporary
SQLite database (migrated, then filled with bulk inserts: 10 blocks per learner, 70 % of learners
with a consented profile).  Each export runs in a fresh child process, so its peak memory is its
own; the floor and the CSV exports run three times, interleaved, and the fastest run counts (the
machine is shared; XLSX runs once).  Memory is peak RSS (``getrusage(RUSAGE_SELF).ru_maxrss``),
which includes the interpreter and Django (about 59 MB, the same for every size).

* ``floor``: the same rows with the same joins through a plain DB-API cursor (``fetchmany``) and
  written with plain ``csv.writer``: the least any CSV export of these rows can cost;
* ``csv``: ``lifelong_xblocks.reports.writers.write_report(course, "csv", file)``: the learner rows
  (the same tuples as the floor, formatted and neutralised) and the totals (one aggregate query);
* ``csv+summary``: the same plus the summary tables (``summary_fileobj``, as ``lifelong_report`` writes);
* ``xlsx``: the same as XLSX (XlsxWriter constant-memory, summary sheet with charts).

``--write`` replaces the results in the "Course report export" section of docs/benchmarks.md.
``--profile KIND`` prints a pyinstrument profile of one export (pip install pyinstrument).
Nothing here runs in the test suite.
"""
import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE = "course-v1:OpenU+Week2026+2026"
BLOCKS = 10
KINDS = ("floor", "csv", "csv+summary", "xlsx")
SECTION = "## Course report export (`make bench-report`)"
FLOOR_SQL = """
SELECT a.id, u.username, a.block_type, a.title, a.usage_key,
       a.first_activity, a.last_activity, a.completion, a.completed_at, a.score, a.max_score, a.figures
FROM lifelong_xblocks_learnerblockactivity a JOIN auth_user u ON u.id = a.user_id
WHERE a.course_key = %s AND a.by_staff = 0 ORDER BY a.id"""


def setup_django(database):
    sys.path.insert(0, str(ROOT / "workbench"))
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lifelong_settings"
    os.environ["LIFELONG_SQLITE"] = str(database)
    os.environ.pop("LIFELONG_DB", None)
    import django  # noqa: PLC0415

    django.setup()


def fill(database, rows):
    """Migrate a fresh database and insert ``rows`` ledger rows (``rows / BLOCKS`` learners)."""
    setup_django(database)
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection, transaction  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    learners = rows // BLOCKS
    groups = ["enterprise_employee", "migrant_worker", "veteran", "new_farmer", "community_resident", "older_adult"]
    regions = ["beijing", "hebei", "zhejiang", "sichuan", "guangdong", "yunnan", "gansu"]
    base = datetime(2026, 11, 20, 1, 0, tzinfo=timezone.utc)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany("INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, "
                           "email, is_staff, is_active, date_joined) VALUES (%s, '', 0, %s, '', '', '', 0, 1, %s)",
                           [(n, f"learner{n:07d}", base.isoformat()) for n in range(1, learners + 1)])
        cursor.executemany("INSERT INTO lifelong_xblocks_participantprofile (user_id, consented, audience_group, "
                           "region, answered_at, modified) VALUES (%s, %s, %s, %s, %s, %s)",
                           [(n, n % 10 != 0, groups[n % 6], regions[n % 7], base.isoformat(), base.isoformat())
                            for n in range(1, learners + 1) if n % 10 < 7])
        batch = []
        for n in range(rows):
            user, block = n // BLOCKS + 1, n % BLOCKS
            first = base + timedelta(minutes=(n * 7) % 10000)
            done = (user + block) % 3 != 0
            batch.append((COURSE, f"block-v1:OpenU+Week2026+2026+type@lifelong_microlesson+block@lesson{block}",
                          "lifelong_microlesson", f"第{block + 1}课 智能手机与生活", user, 0, _stored(first),
                          _stored(first + timedelta(hours=2)), 1.0 if done else 0.4,
                          _stored(first + timedelta(hours=1)) if done else None,
                          2.0 if done else None, 2.0 if done else None,
                          json.dumps({"coverage": 1.0 if done else 0.4, "completed": done})))
            if len(batch) == 50_000:
                _insert(cursor, batch)
                batch = []
        if batch:
            _insert(cursor, batch)
        days = [(COURSE, user, "lifelong_microlesson", (base + timedelta(days=d)).date().isoformat())
                for user in range(1, learners + 1) for d in range(user % 7 + 1)]
        cursor.executemany("INSERT INTO lifelong_xblocks_learneractivityday (course_key, user_id, block_type, day) "
                           "VALUES (%s, %s, %s, %s)", days)
    cursor_time = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cursor_time


def _stored(moment):
    """A UTC time as Django stores it in SQLite."""
    return moment.replace(tzinfo=None).isoformat(" ")


def _insert(cursor, batch):
    cursor.executemany(
        "INSERT INTO lifelong_xblocks_learnerblockactivity (course_key, usage_key, block_type, title, user_id, "
        "by_staff, first_activity, last_activity, completion, completed_at, score, max_score, figures) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", batch)


def child(kind, database, output, profile=False):
    """One export in this process: prints {seconds, peak_rss_mb, bytes, rows} as JSON."""
    setup_django(database)
    from django.db import connection  # noqa: PLC0415

    from lifelong_xblocks.reports.writers import write_report  # noqa: PLC0415

    connection.ensure_connection()
    profiler = None
    if profile:
        from pyinstrument import Profiler  # noqa: PLC0415

        profiler = Profiler()
        profiler.start()
    started = time.perf_counter()
    rows = 0
    if kind == "floor":
        with open(output, "w", encoding="utf-8", newline="") as text, connection.cursor() as cursor:
            writer = csv.writer(text)
            cursor.execute(FLOOR_SQL, [COURSE])
            while True:
                chunk = cursor.fetchmany(2000)
                if not chunk:
                    break
                writer.writerows(chunk)
                rows += len(chunk)
    elif kind == "csv+summary":
        with open(output, "wb") as fileobj, open(f"{output}-summary.csv", "wb") as summary_file:
            rows = write_report(COURSE, "csv", fileobj, summary_fileobj=summary_file)["learner_blocks"]
    else:
        with open(output, "wb") as fileobj:
            rows = write_report(COURSE, kind, fileobj)["learner_blocks"]
    seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False), file=sys.stderr)
    print(json.dumps({"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "bytes": os.path.getsize(output), "rows": rows}))


def run_child(kind, database, folder, profile=False):
    output = Path(folder) / f"report-{kind.replace('+', '-')}.{'xlsx' if kind == 'xlsx' else 'csv'}"
    args = [sys.executable, __file__, "--child", kind, "--db", str(database), "--output", str(output)]
    if profile:
        args.append("--profile")
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{kind} failed:\n{done.stderr}")
    if profile:
        print(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(sizes, profile=None, repeat=3):
    """Each export of each size in a fresh process; floor and CSV ``repeat`` times, interleaved, and
    the fastest run kept (the machine is shared: the minimum is the least disturbed run)."""
    results = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="report-bench-") as folder:
            database = Path(folder) / "bench.db"
            fill_started = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--fill", str(size), "--db", str(database)], check=True)
            print(f"{size:,} rows inserted in {time.perf_counter() - fill_started:.1f} s", flush=True)
            runs = {kind: [] for kind in KINDS}
            for round_number in range(repeat):
                for kind in KINDS:
                    if kind == "xlsx" and round_number:
                        continue          # minutes at 1,000,000 rows: once
                    figures = run_child(kind, database, folder, profile == kind and not round_number)
                    runs[kind].append(figures)
                    print(f"  {kind:11} {figures['seconds']:7.2f} s  peak RSS {figures['peak_rss_mb']:7.1f} MB  "
                          f"{figures['bytes'] / 1e6:8.1f} MB  {figures['rows']:,} rows", flush=True)
            results[size] = {kind: {**min(found, key=lambda f: f["seconds"]),
                                    "all_seconds": [round(f["seconds"], 2) for f in found],
                                    "peak_rss_mb": max(f["peak_rss_mb"] for f in found)}
                             for kind, found in runs.items()}
    return results


def table(results):
    sizes = sorted(results)
    lines = [f"Measured {datetime.now(timezone.utc):%Y-%m-%d} on {platform.python_implementation()} "
             f"{platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}, {os.cpu_count()} cores "
             "(shared with other work while measuring).", "",
             "| rows | export | best time (s) | x floor | all runs (s) | peak RSS (MB) | file (MB) |",
             "| ---: | --- | ---: | ---: | --- | ---: | ---: |"]
    for size in sizes:
        floor = results[size]["floor"]["seconds"]
        for kind in KINDS:
            figures = results[size][kind]
            lines.append(f"| {size:,} | {kind} | {figures['seconds']:.2f} | {figures['seconds'] / floor:.2f} | "
                         f"{', '.join(f'{t:.2f}' for t in figures['all_seconds'])} | "
                         f"{figures['peak_rss_mb']:.1f} | {figures['bytes'] / 1e6:.1f} |")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        lines.append("")
        for kind in KINDS:
            ratio = results[large][kind]["peak_rss_mb"] / results[small][kind]["peak_rss_mb"]
            lines.append(f"* {kind}: peak RSS at {large:,} rows is {ratio:.2f}x that at {small:,} rows.")
    return "\n".join(lines)


def write_section(body, path=ROOT / "docs" / "benchmarks.md"):
    """Replace only our results (between the markers) in our section; everything else stays."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from doc_sections import replace_results  # noqa: PLC0415

    replace_results(path, SECTION, "report-bench", body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of the floor and the CSV exports (best kept)")
    parser.add_argument("--write", action="store_true", help="write the results into docs/benchmarks.md")
    parser.add_argument("--json", help="also keep the raw figures in this file")
    parser.add_argument("--profile", nargs="?", const=True, help="floor, csv or xlsx: print its profile")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        fill(args.db, args.fill)
        return
    if args.child:
        child(args.child, args.db, args.output, profile=bool(args.profile))
        return
    results = measure(args.sizes, args.profile, args.repeat)
    body = table(results)
    print(body)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    if args.write:
        write_section(body)


if __name__ == "__main__":
    main()
