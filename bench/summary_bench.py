"""The dashboard's course summary counted at scale, on SQLite and on the local MariaDB.

Seeds one course with N learners active in six blocks (the activity ledger as handlers write it:
a row per learner and block, a row per learner, block and day over a week, 40 % of the learners
with a consented profile), then times ``reports.summary.course_summary`` (what "Show" and a
page view once a minute pay) and each of its three queries, and ``counted_summary`` with the
summary kept (what the other page views pay).  A database of its own, made anew each run.

    .venv/bin/python bench/summary_bench.py --db sqlite|mariadb [--learners 10000] [--write]
"""
import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK_TYPES = ("lifelong_microlesson", "lifelong_live_session", "lifelong_bookshelf", "lifelong_reading_log",
               "lifelong_recitation", "lifelong_nomination")
COURSE = "course-v1:OU+LL2026+week"
MARIADB_NAME = "lifelong_bench_summary"
SECTION = "## Dashboard summary at scale (`make bench-summary`)"


def configure(db):
    """Settings for a database of this run's own (before Django is set up)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "lifelong_settings"
    sys.path[:0] = [str(ROOT / "workbench"), str(ROOT)]
    if db == "mariadb":
        import MySQLdb  # noqa: PLC0415
        server = MySQLdb.connect(host="127.0.0.1", user="root", charset="utf8mb4")
        server.cursor().execute(f"DROP DATABASE IF EXISTS {MARIADB_NAME}")
        server.cursor().execute(f"CREATE DATABASE {MARIADB_NAME} CHARACTER SET utf8mb4")
        server.close()
        os.environ.update(LIFELONG_DB="mariadb", LIFELONG_MYSQL_DB=MARIADB_NAME)
    else:
        folder = ROOT / "var" / "bench-summary"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "summary.db").unlink(missing_ok=True)
        os.environ.update(LIFELONG_DB="sqlite", LIFELONG_SQLITE=str(folder / "summary.db"))
    import django  # noqa: PLC0415
    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    call_command("migrate", verbosity=0, run_syncdb=True)


def seed(learners):
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from lifelong_xblocks.models.activity import LearnerActivityDay, LearnerBlockActivity  # noqa: PLC0415
    from lifelong_xblocks.models.participants import ParticipantProfile  # noqa: PLC0415

    user_model = get_user_model()
    user_model.objects.bulk_create([user_model(username=f"learner{n}") for n in range(learners)], batch_size=2000)
    users = list(user_model.objects.order_by("pk").values_list("pk", flat=True))
    rnd = random.Random(2026)
    end = datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.timezone.utc)
    rows, days = [], []
    for number, tag in enumerate(BLOCK_TYPES):
        for index, user in enumerate(users):
            when = end - datetime.timedelta(days=index % 7)
            rows.append(LearnerBlockActivity(
                course_key=COURSE, usage_key=f"block-v1:OU+LL2026+week+type@{tag}+block@b{number}", block_type=tag,
                title=f"活动 {number}", user_id=user, first_activity=when, last_activity=when,
                completion=1.0 if rnd.random() < 0.6 else 0.5, figures={}))
            days.append(LearnerActivityDay(course_key=COURSE, user_id=user, block_type=tag, day=when.date()))
    LearnerBlockActivity.objects.bulk_create(rows, batch_size=5000)
    LearnerActivityDay.objects.bulk_create(days, batch_size=5000)
    groups = [code for code, _label in ParticipantProfile.AUDIENCE_GROUPS][:5]
    ParticipantProfile.objects.bulk_create([
        ParticipantProfile(user_id=user, consented=True, audience_group=rnd.choice(groups),
                           region=rnd.choice(["zhejiang", "sichuan", "yunnan", "guangdong"]), answered_at=end)
        for user in users[: learners * 2 // 5]], batch_size=2000)
    return len(rows)


def timed(work, repeat):
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(repeat):
    from django.db import connection  # noqa: PLC0415
    from lifelong_xblocks.reports import summary  # noqa: PLC0415
    from lifelong_xblocks.reports.rows import ReportFilter  # noqa: PLC0415

    report = ReportFilter(COURSE)
    figures = {"course_summary": timed(lambda: summary.course_summary(COURSE), repeat)}
    for name, query in summary.QUERIES.items():
        sql, params = query(report).query.sql_with_params()

        def run(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
        figures[f"query {name}"] = timed(run, repeat)
    summary.counted_summary(COURSE)
    figures["counted_summary, kept"] = timed(lambda: summary.counted_summary(COURSE), repeat)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "mariadb"), default="sqlite")
    parser.add_argument("--learners", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    args = parser.parse_args()
    configure(args.db)
    from django.db import connection  # noqa: PLC0415
    rows = seed(args.learners)
    figures = measure(args.repeat)
    version = connection.cursor().connection.get_server_info() if args.db == "mariadb" else \
        f"SQLite {connection.Database.sqlite_version}"
    lines = [f"{args.db}: {version}, {args.learners:,} learners, {rows:,} learner-block rows, "
             f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; median of {args.repeat}.", "",
             "| what | ms |", "| --- | --- |"]
    lines += [f"| {name} | {ms:.2f} |" for name, ms in figures.items()]
    body = "\n".join(lines)
    print(body)
    if args.write:
        sys.path.insert(0, str(ROOT / "bench"))
        from doc_sections import replace_results  # noqa: PLC0415
        replace_results(ROOT / "docs" / "benchmarks.md", SECTION, f"summary-bench-{args.db}", body)


if __name__ == "__main__":
    main()
