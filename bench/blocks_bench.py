"""Our blocks against xblock-poll and xblock-drag-and-drop-v2, in one run, in one runtime and database.

Run it with ``make bench`` (which builds ``.venv-bench`` with the peers from PyPI).  Everything is
measured in xblock-sdk's ``WorkbenchRuntime`` on one file SQLite database (``var/bench/bench.db``,
made anew each run; busy timeout 30 s, ``transaction_mode=IMMEDIATE`` so that concurrent writers
wait for each other instead of failing):

* ``student_view`` render time, median and p95, of a learner who has acted, after a warm-up; each
  render builds a new runtime and loads the block, as an LMS request does.  Twice, for every block
  and both peers: with xblock-sdk's key-value store as shipped (one query per distinct field read),
  and with its rows loaded once per render (``FieldDataLoadedOnce``, as the LMS's ``FieldDataCache``);
* the main learner handler of each block against poll's ``vote`` (each call a new learner);
* SQL queries per render and per handler with 10 and with 10,000 learners/items in the block:
  "ours" counts queries on ``lifelong_xblocks_*`` tables and ``auth_user``, "all" counts every query;
* the first view's page weight: the fragment's HTML plus every JS and CSS file it references,
  raw and gzip (level 6, each file on its own, as a web server sends them);
* a burst of 30 threads voting (poll) or voting/liking (ours) at once, counting lost updates.

``--write`` replaces the "Blocks against peers" section of docs/benchmarks.md with the results;
``--json FILE`` keeps the raw figures.  Nothing here runs in the test suite.
"""
import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("LIFELONG_BENCH_VAR") or ROOT / "var" / "bench")   # one folder per concurrent run
sys.path.insert(0, str(ROOT / "workbench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifelong_settings")
os.environ["LIFELONG_VAR_DIR"] = str(VAR)
os.environ["LIFELONG_DB"] = "sqlite"
os.environ["LIFELONG_SQLITE"] = str(VAR / "bench.db")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
settings.STORAGES = {**settings.STORAGES, "bench": {
    "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(VAR / "media")}}}
settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "STORAGE": "bench", "WORKBENCH_STAFF_IDS": ["staff"]}
settings.LOGGING = {"version": 1, "disable_existing_loggers": False}
settings.DEBUG = False       # as in production: no query log kept on every query
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

SMALL, LARGE = 10, 10_000
KVS = {"shipped": "", "once": "_once"}   # the key-value store as shipped; rows loaded once per render
SHOW_SQL = "--sql" in sys.argv
PEERS = ("poll", "drag-and-drop-v2")
UTC = timezone.utc


# ---- scenarios --------------------------------------------------------------------------------
PASSAGE = "床前明月光，疑是地上霜。举头望明月，低头思故乡。"
OLX = {
    "lifelong_microlesson": "workbench/scenarios/lifelong_microlesson_2_video_quiz.xml",
    "lifelong_live_session": (
        "<lifelong_live_session display_name='线上大讲堂' session_kind='lecture' attendance_mode='online' "
        "start_time='2030-12-05T11:30:00Z' end_time='2030-12-05T13:00:00Z' "
        "join_url='https://meeting.example.org/j/1' capacity='0' description='讲座内容'/>"),
    "lifelong_bookshelf": "workbench/scenarios/lifelong_bookshelf_1_club.xml",
    "lifelong_reading_log": "workbench/scenarios/lifelong_reading_log_1_week.xml",
    "lifelong_recitation": (f"<lifelong_recitation display_name='朗读' passage='{PASSAGE}' content_language='zh-CN' "
                            "max_size_mb='0.2' max_seconds='30'/>"),
    "lifelong_nomination": (
        "<lifelong_nomination display_name='学习之星' nomination_category='learning_star' "
        "opens_at='2020-01-01 08:00' closes_at='2099-12-01 18:00' quota_min='1' quota_max='100000'/>"),
    "lifelong_dashboard": "<lifelong_dashboard/>",
    "poll": "<poll/>",
    "drag-and-drop-v2": "<drag-and-drop-v2/>",
}
HANDLER = {
    "lifelong_microlesson": "report_progress",
    "lifelong_live_session": "sign_up",
    "lifelong_bookshelf": "vote",
    "lifelong_reading_log": "check_in",
    "lifelong_recitation": "like",
    "lifelong_nomination": "submit_nomination",
    "poll": "vote",
}
OURS_WITH_LEARNERS = tuple(tag for tag in HANDLER if tag.startswith("lifelong_"))   # in the activity ledger
STORY = "张阿姨六十五岁开始在社区老年大学学习智能手机，如今她是社区数字助老志愿队的骨干，教会了两百多位老人网上挂号。" * 2
ANSWERS = {"name": "张桂兰", "gender": "female", "age_band": "60_69", "region": "zhejiang",
           "occupation": "退休职工", "phone": "138 0013 8000", "story": STORY, "achievements": "2025年市级优秀志愿者"}


def olx(tag):
    text = OLX[tag]
    if text.endswith(".xml"):
        text = (ROOT / text).read_text(encoding="utf-8")
    return text


# ---- runtime helpers ---------------------------------------------------------------------------
def setup():
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    call_command("migrate", run_syncdb=True, verbosity=0)


def runtime(student, loaded_once=False):
    from workbench.runtime import WORKBENCH_KVS, WorkbenchRuntime  # noqa: PLC0415
    made = WorkbenchRuntime(student)
    if loaded_once:
        from xblock.runtime import KvsFieldData  # noqa: PLC0415
        made._services["field-data"] = KvsFieldData(FieldDataLoadedOnce(WORKBENCH_KVS))  # noqa: SLF001
    return made


def block_of(usage_id, student, loaded_once=False):
    return runtime(student, loaded_once).get_block(usage_id)


class FieldDataLoadedOnce:
    """The workbench's key-value store, but each of its rows (one per scope, scope id and user: all
    the fields of that scope in one JSON blob) is read once per runtime, that is once per render,
    the way the LMS's ``FieldDataCache`` loads a request's field data.  Bench only: it measures
    renders without the workbench's one query per field read; every block, ours and the peers',
    gets it alike.  Writes go to the store and drop the row from the cache."""

    def __init__(self, store):
        self.store, self.rows = store, {}

    @staticmethod
    def _row(key):
        from xblock.fields import Scope  # noqa: PLC0415
        scope = key.scope.attr_name if key.scope in (Scope.parent, Scope.children) else key.scope.block.attr_name
        return scope, key.block_scope_id, key.user_id

    def _state(self, key):
        row = self._row(key)
        if row not in self.rows:
            from workbench.models import XBlockState  # noqa: PLC0415
            self.rows[row] = json.loads(XBlockState.get_for_key(key).state)
        return self.rows[row]

    def get(self, key):
        return self._state(key)[key.field_name]

    def has(self, key):
        return key.field_name in self._state(key)

    def set(self, key, value):
        self.rows.pop(self._row(key), None)
        self.store.set(key, value)

    def delete(self, key):
        self.rows.pop(self._row(key), None)
        self.store.delete(key)

    def set_many(self, update_dict):
        for key, value in update_dict.items():
            self.set(key, value)

    def default(self, key):
        return self.store.default(key)


def call(usage_id, student, handler, data=None, method="POST", block=None, loaded_once=False):
    from webob import Request  # noqa: PLC0415
    block = block or block_of(usage_id, student, loaded_once)
    request = Request.blank("/", method=method)
    if method == "POST":
        request.body = json.dumps(data if data is not None else {}).encode()
        request.content_type = "application/json"
    response = block.runtime.handle(block, handler, request, "")
    try:
        payload = json.loads(response.body.decode("utf-8")) if response.body else None
    except ValueError:
        payload = response.body
    return response.status_code, payload


def ensure_users(names):
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    users = get_user_model()
    have = set(users.objects.filter(username__in=names).values_list("username", flat=True))
    users.objects.bulk_create([users(username=name) for name in names if name not in have], batch_size=2000)
    return dict(users.objects.filter(username__in=names).values_list("username", "pk"))


def queries(work):
    from django.db import connection, reset_queries  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415
    reset_queries()   # the log is a bounded deque: a full one would capture nothing
    with CaptureQueriesContext(connection) as captured:
        work()
    sqls = [q["sql"] for q in captured.captured_queries]
    if SHOW_SQL:
        sqls = [f'[{q["time"]} s] {q["sql"]}' for q in captured.captured_queries]
    ours = [s for s in sqls if "lifelong_xblocks_" in s or "auth_user" in s]
    return len(ours), len(sqls), sqls


def summary(times):
    times = sorted(times)
    return {"median_ms": statistics.median(times), "p95_ms": times[max(0, int(len(times) * 0.95) - 1)],
            "n": len(times)}


def timed_together(works, repeat, warmup):
    """Time each of ``works`` (name -> callable) ``repeat`` times, in rounds over all of them, so that
    other load on the machine falls on every block alike."""
    for _ in range(warmup):
        for work in works.values():
            work()
    times = {name: [] for name in works}
    for _ in range(repeat):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: summary(values) for name, values in times.items()}


# ---- seeding: real handler calls for the first learners, then copies of their rows --------------
def clone_rows(model, filter_kwargs, users, change=None, batch=2000):
    """Copies of the first row matching ``filter_kwargs``, one per user id in ``users``."""
    template = model.objects.filter(**filter_kwargs).order_by("pk").first()
    if template is None:
        raise RuntimeError(f"nothing to copy in {model.__name__}")
    rows = []
    for n, user_id in enumerate(users):
        row = model.objects.get(pk=template.pk)
        row.pk = None
        row.id = None
        row.user_id = user_id
        if change:
            change(row, n)
        rows.append(row)
    model.objects.bulk_create(rows, batch_size=batch)


class Seeder:
    """Learners with data in one block: ``grow(n)`` brings the block to ``n`` learners/items."""

    def __init__(self, tag, usage_id):
        self.tag, self.usage_id, self.count = tag, usage_id, 0
        self.block = block_of(usage_id, "staff")

    def names(self, start, stop):
        return [f"{self.tag[:12]}-l{n}" for n in range(start, stop)]

    def grow(self, n):
        first = self.count
        if first == 0:
            # The first learners act through the real handlers, so every row is a real one.
            for name in self.names(0, min(n, SMALL)):
                self.act(name)
            first = min(n, SMALL)
        if n > first:
            ids = list(ensure_users(self.names(first, n)).values())
            self.copy(ids, first)
        self.count = n

    def act(self, name):
        seed = getattr(self, "act_" + self.tag.replace("-", "_"), None)
        if seed:
            seed(name)

    def copy(self, user_ids, first):
        copier = getattr(self, "copy_" + self.tag.replace("-", "_"), None)
        if copier:
            copier(user_ids, first)
        else:
            self.copy_xblock_state(user_ids)
        if self.tag in OURS_WITH_LEARNERS:
            self.copy_ledger(user_ids)

    def copy_ledger(self, user_ids):
        """The copied learners' activity-ledger rows, which the dashboard summarises: their block row
        as the first learner's, and their days spread over an activity week."""
        from lifelong_xblocks.models.activity import LearnerActivityDay, LearnerBlockActivity  # noqa: PLC0415
        clone_rows(LearnerBlockActivity, {"usage_key": str(self.usage_id), "by_staff": False}, user_ids)

        def spread(row, n):
            row.day -= timedelta(days=n % 7)
        clone_rows(LearnerActivityDay, {"block_type": self.tag}, user_ids, spread)

    # ---- ours
    def act_lifelong_microlesson(self, name):
        check(call(self.usage_id, name, "report_progress", {"intervals": [], "position": 0, "duration": 100}))

    def copy_lifelong_microlesson(self, user_ids, first):
        from lifelong_xblocks.models.classroom import LessonProgress  # noqa: PLC0415
        clone_rows(LessonProgress, {"usage_key": str(self.usage_id)}, user_ids)

    def act_lifelong_live_session(self, name):
        check(call(self.usage_id, name, "sign_up"))

    def copy_lifelong_live_session(self, user_ids, first):
        from lifelong_xblocks.models.live import LiveRegistration  # noqa: PLC0415

        def number(row, n):
            row.queue_number = first + n + 1
        clone_rows(LiveRegistration, {"usage_key": str(self.usage_id)}, user_ids, number)

    def act_lifelong_bookshelf(self, name):
        n = int(name.rsplit("l", 1)[1])
        check(call(self.usage_id, name, "recommend", {"title": f"书 {n}", "author": f"作者 {n}",
                                                      "reason": "值得一读"}))

    def copy_lifelong_bookshelf(self, user_ids, first):
        from lifelong_xblocks.models.bookshelf import Book, BookRecommendation  # noqa: PLC0415
        key = {"usage_key": str(self.usage_id)}

        def book(row, n):
            row.title, row.author, row.match_key = f"书 {first + n}", f"作者 {first + n}", f"bench-{first + n}"
            row.recommended_by_id = user_ids[n]
        template = Book.objects.filter(**key).order_by("pk").first()
        books = []
        for n in range(len(user_ids)):
            row = Book.objects.get(pk=template.pk)
            row.pk = None
            book(row, n)
            books.append(row)
        Book.objects.bulk_create(books, batch_size=2000)
        made = list(Book.objects.filter(match_key__startswith="bench-", **key).order_by("pk").values_list("pk", flat=True))
        book_of = dict(zip(user_ids, made, strict=True))

        def recommendation(row, n):
            row.book_id = book_of[row.user_id]
        clone_rows(BookRecommendation, key, user_ids, recommendation)

    def act_lifelong_reading_log(self, name):
        check(call(self.usage_id, name, "check_in", {"book_title": "平凡的世界", "minutes": 20,
                                                     "reflection": "很感动", "shared": True}))

    def copy_lifelong_reading_log(self, user_ids, first):
        from lifelong_xblocks.models.reading_log import ReadingCheckIn, ReadingWallMember  # noqa: PLC0415
        key = {"usage_key": str(self.usage_id)}
        clone_rows(ReadingCheckIn, key, user_ids)
        if ReadingWallMember.objects.filter(**key).exists():
            clone_rows(ReadingWallMember, key, user_ids)

    def act_lifelong_recitation(self, name):
        from webob import Request  # noqa: PLC0415
        block = block_of(self.usage_id, name)
        request = Request.blank("/", POST={"file": ("reading.wav", wav_bytes()), "consent": "1"})
        response = block.runtime.handle(block, "submit_recording", request, "")
        assert response.status_code == 200, response.body
        from lifelong_xblocks.models.recitation import Recitation  # noqa: PLC0415
        pk = Recitation.objects.get(usage_key=str(self.usage_id), user__username=name).pk
        check(call(self.usage_id, "staff", "moderate", {"recitation": pk, "action": "feature", "comment": "好"}))

    def copy_lifelong_recitation(self, user_ids, first):
        from lifelong_xblocks.models.recitation import Recitation  # noqa: PLC0415

        def featured_by_hand(row, n):      # staff feature recordings one by one: 1 in 100 of them
            row.featured = n % 100 == 0
        clone_rows(Recitation, {"usage_key": str(self.usage_id)}, user_ids, featured_by_hand)

    def act_lifelong_nomination(self, name):
        check(call(self.usage_id, name, "submit_nomination", {"id": draft(self.usage_id, name)}))

    def copy_lifelong_nomination(self, user_ids, first):
        from lifelong_xblocks.models.nominations import Nomination  # noqa: PLC0415
        clone_rows(Nomination, {"usage_key": str(self.usage_id)}, user_ids)

    # ---- peers
    def act_poll(self, name):
        check(call(self.usage_id, name, "vote", {"choice": "R"}))

    def copy_xblock_state(self, user_ids):
        """Peers keep learner data in the workbench's XBlockState rows: copy the first learner's."""
        from workbench.models import XBlockState  # noqa: PLC0415
        template = XBlockState.objects.filter(scope="usage", user_id__startswith=self.tag[:12]).first()
        if template is None:
            return
        from django.contrib.auth import get_user_model  # noqa: PLC0415
        names = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
        rows = []
        for user_id in user_ids:
            row = XBlockState.objects.get(pk=template.pk)
            row.pk, row.user_id = None, names[user_id]
            rows.append(row)
        XBlockState.objects.bulk_create(rows, batch_size=2000)


def check(result):
    status, answer = result
    if status != 200:
        raise RuntimeError(f"handler answered {status}: {answer}")
    return answer


def wav_bytes(seconds=2.0, rate=8000):
    import io  # noqa: PLC0415
    import wave  # noqa: PLC0415
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(1)
        writer.setframerate(rate)
        writer.writeframes(b"\x80" * int(seconds * rate))
    return out.getvalue()


def draft(usage_id, name):
    """A complete nomination draft of ``name`` (form, consent and a video link), ready to submit."""
    nomination_id = check(call(usage_id, name, "start_nomination", {"organisation": "zhejiang"}))["id"]
    check(call(usage_id, name, "save_draft", {"id": nomination_id, "version": 1, "answers": ANSWERS,
                                              "consent_publication": True}))
    check(call(usage_id, name, "add_video_link", {"id": nomination_id, "link": "https://video.example.org/v/1"}))
    return nomination_id


# ---- the main handler of each block, prepared per learner ----------------------------------------
def handler_data(tag, usage_id, name):
    """The request body of ``name``'s call of the block's main handler (setup outside the timing)."""
    if tag == "lifelong_microlesson":
        return {"intervals": [], "position": 0, "duration": 100}
    if tag == "lifelong_bookshelf":
        from lifelong_xblocks.models.bookshelf import Book  # noqa: PLC0415
        return {"book": Book.objects.filter(usage_key=str(usage_id)).order_by("pk").values_list("pk", flat=True)[0]}
    if tag == "lifelong_reading_log":
        return {"book_title": "平凡的世界", "minutes": 15}
    if tag == "lifelong_recitation":
        from lifelong_xblocks.models.recitation import Recitation  # noqa: PLC0415
        pk = Recitation.objects.filter(usage_key=str(usage_id), featured=True).order_by("pk").values_list("pk", flat=True)[0]
        return {"recitation": pk, "liked": True}
    if tag == "lifelong_nomination":
        return {"id": draft(usage_id, name)}
    if tag == "poll":
        return {"choice": "R"}
    return {}


# ---- page weight -------------------------------------------------------------------------------
def page_weight(block, fragment):
    """Bytes of the first view: HTML + each JS/CSS resource, raw and gzip; and any outside URL."""
    from django.test import Client  # noqa: PLC0415
    client = Client()
    parts = [fragment.body_html().encode("utf-8")]
    outside = []
    for resource in fragment.resources:
        if resource.kind == "url":
            if resource.data.startswith("/"):
                response = client.get(resource.data)     # as the browser gets it from the workbench
                assert response.status_code == 200, (resource.data, response.status_code)
                parts.append(b"".join(response) if response.streaming else response.content)
            else:
                outside.append(resource.data)
        else:
            parts.append(resource.data.encode("utf-8"))
    for url in re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', fragment.body_html()):
        outside.append(url)
    return {"raw": sum(len(p) for p in parts), "gzip": sum(len(gzip.compress(p, 6)) for p in parts),
            "files": len(parts) - 1, "outside": outside}


# ---- the burst ---------------------------------------------------------------------------------
def burst(tag, usage_id, handler, data_for, threads=30):
    """``threads`` learners call ``handler`` at the same moment; returns (accepted, errors)."""
    from django.db import connection  # noqa: PLC0415
    names = [f"burst-{tag[:10]}-{n}" for n in range(threads)]
    ensure_users(names)
    prepared = [(name, data_for(name)) for name in names]
    blocks = {name: block_of(usage_id, name) for name in names}
    gate = threading.Barrier(threads)
    results = []

    def one(name, data):
        try:
            gate.wait()
            results.append(call(usage_id, name, handler, data, block=blocks[name])[0])
        except Exception as error:  # noqa: BLE001
            results.append(repr(error))
        finally:
            connection.close()
    workers = [threading.Thread(target=one, args=item) for item in prepared]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(1 for r in results if r == 200), [r for r in results if r != 200]


def burst_all(usage):
    out = {}
    if "poll" in usage:
        accepted, errors = burst("poll", usage["poll"], "vote", lambda name: {"choice": "B"})
        tally = block_of(usage["poll"], "staff").tally.get("B", 0)
        out["poll vote"] = {"accepted": accepted, "recorded": tally, "lost": accepted - tally, "errors": errors}
    if "lifelong_bookshelf" in usage:
        from lifelong_xblocks.models.bookshelf import Book, BookVote  # noqa: PLC0415
        book = Book.objects.filter(usage_key=str(usage["lifelong_bookshelf"])).order_by("-pk").first()
        before = book.vote_count
        accepted, errors = burst("lifelong_bookshelf", usage["lifelong_bookshelf"], "vote",
                                 lambda name: {"book": book.pk})
        book.refresh_from_db()
        rows = BookVote.objects.filter(book=book).count()
        out["bookshelf vote"] = {"accepted": accepted, "recorded": book.vote_count - before,
                                 "lost": accepted - (book.vote_count - before), "rows": rows, "errors": errors}
    if "lifelong_recitation" in usage:
        from lifelong_xblocks.models.recitation import Recitation  # noqa: PLC0415
        entry = Recitation.objects.filter(usage_key=str(usage["lifelong_recitation"]), featured=True).order_by("-pk")[0]
        before = entry.like_count
        accepted, errors = burst("lifelong_recitation", usage["lifelong_recitation"], "like",
                                 lambda name: {"recitation": entry.pk, "liked": True})
        entry.refresh_from_db()
        out["recitation like"] = {"accepted": accepted, "recorded": entry.like_count - before,
                                  "lost": accepted - (entry.like_count - before), "errors": errors}
    return out


# ---- the run -----------------------------------------------------------------------------------
def installed_tags():
    from xblock.core import XBlock  # noqa: PLC0415
    tags = []
    for tag in OLX:
        try:
            XBlock.load_class(tag)
        except Exception:  # noqa: BLE001  (not installed: the dashboard may not exist yet)
            continue
        tags.append(tag)
    return tags


def measure(tags, renders, handler_calls, profile=None):
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415
    usage = {}
    for tag in tags:
        usage_id = WorkbenchRuntime("author").parse_xml_string(olx(tag))
        children = getattr(block_of(usage_id, "author"), "children", None)
        usage[tag] = children[0] if children else usage_id     # scenario files wrap it in a vertical
    seeders = {tag: Seeder(tag, usage[tag]) for tag in tags}
    viewer = {tag: "staff" if tag == "lifelong_dashboard" else f"{tag[:12]}-l0" for tag in tags}
    results = {tag: {} for tag in tags}

    # Page weight of the first view: a learner who has never opened the block.
    for tag in tags:
        first = "staff" if tag == "lifelong_dashboard" else f"first-{tag[:12]}"
        ensure_users([first])
        block = block_of(usage[tag], first)
        # The view's own fragment: the runtime's wrapper adds the host page's jQuery, which every
        # Open edX page has loaded anyway.
        results[tag]["weight"] = page_weight(block, block.student_view({}))

    for size in (SMALL, LARGE):
        # Each render twice over: with the workbench's key-value store as shipped (a query per field
        # read), and with its rows loaded once per render (FieldDataLoadedOnce), as in the LMS.
        renders_of = {kvs: {} for kvs in KVS}
        for tag in tags:
            seeders[tag].grow(size)
            for kvs, suffix in KVS.items():
                render = lambda tag=tag, once=bool(suffix): block_of(  # noqa: E731
                    usage[tag], viewer[tag], once).render("student_view", {})
                render()
                ours, total, sqls = queries(render)
                results[tag][f"render{suffix}_queries_{size}"] = {"ours": ours, "all": total}
                if SHOW_SQL and size == LARGE and not suffix:
                    print(f"--- {tag} render", *[q for q in sqls if "lifelong_xblocks_" in q or "auth_user" in q],
                          sep="\n  ", file=sys.stderr)
                renders_of[kvs][tag] = render
        for kvs, suffix in KVS.items():
            for tag, figures in timed_together(renders_of[kvs], renders, warmup=max(5, renders // 10)).items():
                results[tag][f"render{suffix}_{size}"] = figures
        if profile and profile[1] in renders_of and profile[0] in renders_of[profile[1]] and size == LARGE:
            from pyinstrument import Profiler  # noqa: PLC0415
            with Profiler() as profiler:
                for _ in range(renders):
                    renders_of[profile[1]][profile[0]]()
            print(profiler.output_text(unicode=True, show_all=bool(os.environ.get("BENCH_PROFILE_ALL"))), file=sys.stderr)
        if "lifelong_dashboard" in tags:
            results["lifelong_dashboard"][f"counting_{size}"] = counting_bench(usage["lifelong_dashboard"],
                                                                                max(10, handler_calls // 3))
        handled = {tag: HANDLER[tag] for tag in tags if tag in HANDLER}
        profile_handler = profile[0] if profile and profile[1] == "handler" and size == LARGE else None
        for (tag, suffix), figures in handler_bench(usage, handled, size, handler_calls, profile_handler).items():
            results[tag][f"handler{suffix}_{size}"] = figures
        for tag in tags:
            print(f"{tag:24} {size:>6}: render {results[tag][f'render_{size}']['median_ms']:.2f} ms "
                  f"(loaded once: {results[tag][f'render_once_{size}']['median_ms']:.2f} ms), "
                  f"queries {results[tag][f'render_queries_{size}']} "
                  f"(loaded once: {results[tag][f'render_once_queries_{size}']})", file=sys.stderr)
    results["_burst"] = burst_all(usage)
    return results


def counting_bench(usage_id, calls):
    """The dashboard's summary counted anew: its ``summary`` handler as staff (the "Show" button).
    A render reads the summary its previous view counted (``SUMMARY_MAX_AGE``)."""
    check(call(usage_id, "staff", "summary", {}))
    ours, total, _sqls = queries(lambda: check(call(usage_id, "staff", "summary", {})))
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        check(call(usage_id, "staff", "summary", {}))
        times.append((time.perf_counter() - start) * 1000)
    return {**summary(times), "queries": {"ours": ours, "all": total}}


def handler_bench(usage, handlers, size, calls, profile=None):
    """Each block's main handler, each call a new request of a new learner, in rounds over the blocks,
    with the key-value store as shipped and with its rows loaded once per request (as for renders);
    ``profile`` (a tag) prints a pyinstrument profile of that block's calls (loaded once)."""
    prepared = {}
    for tag in handlers:
        for kvs in KVS:
            names = [f"h{size}{kvs[0]}-{tag[:12]}-{n}" for n in range(calls + 1)]
            ensure_users(names)
            prepared[tag, kvs] = [(name, handler_data(tag, usage[tag], name)) for name in names]
    figures = {}
    for tag, handler in handlers.items():     # the first call is counted, not timed
        for kvs, suffix in KVS.items():
            name, data = prepared[tag, kvs].pop(0)
            outcome = {}
            ours, total, _sqls = queries(lambda: outcome.setdefault(  # noqa: B023
                "status", call(usage[tag], name, handler, data, loaded_once=bool(suffix))[0]))  # noqa: B023
            if outcome["status"] != 200:
                raise RuntimeError(f"{tag} {handler} answered {outcome['status']}")
            figures[tag, suffix] = {"handler": handler, "queries": {"ours": ours, "all": total}}
    times = {key: [] for key in figures}
    for n in range(calls):
        for tag, handler in handlers.items():
            for kvs, suffix in KVS.items():
                name, data = prepared[tag, kvs][n]
                start = time.perf_counter()
                status = call(usage[tag], name, handler, data, loaded_once=bool(suffix))[0]
                times[tag, suffix].append((time.perf_counter() - start) * 1000)
                assert status == 200, (tag, handler, status)
    for key, values in times.items():
        figures[key].update(summary(values))
    if profile in handlers:
        from pyinstrument import Profiler  # noqa: PLC0415
        names = [f"p{size}-{profile[:12]}-{n}" for n in range(calls)]
        ensure_users(names)
        work = [(name, handler_data(profile, usage[profile], name)) for name in names]
        with Profiler() as profiler:
            for name, data in work:
                call(usage[profile], name, handlers[profile], data, loaded_once=True)
        print(profiler.output_text(unicode=True, show_all=bool(os.environ.get("BENCH_PROFILE_ALL"))), file=sys.stderr)
    return figures


# ---- report ------------------------------------------------------------------------------------
def machine():
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass

    def ver(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"
    return {"nproc": os.cpu_count(), "cpu": cpu or platform.processor(), "python": platform.python_version(),
            "django": ver("Django"), "xblock": ver("XBlock"), "xblock-sdk": ver("xblock-sdk"),
            "xblock-poll": ver("xblock-poll"), "xblock-drag-and-drop-v2": ver("xblock-drag-and-drop-v2"),
            "lifelong-xblocks": ver("lifelong-xblocks"), "commit": git_commit(), "date": datetime.now(UTC)
            .strftime("%Y-%m-%d %H:%M UTC")}


def git_commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return ""


def ratio(ours, peer):
    return f"{ours / peer:.2f}" if peer else "-"


def kb(n):
    return f"{n / 1024:.1f}"


def handler_cell(figures):
    """``name`` median ms (all queries) of a handler's figures, shipped and loaded once."""
    return f"{figures['median_ms']:.2f} ({figures['queries']['all']})"


def table(results, info):
    tags = [tag for tag in results if not tag.startswith("_") and tag not in PEERS]
    peers = [tag for tag in PEERS if tag in results]
    fastest = {suffix: min(peers, key=lambda t, s=suffix: results[t][f"render{s}_{SMALL}"]["median_ms"])
               for suffix in KVS.values()}
    lightest = min(peers, key=lambda t: results[t]["weight"]["gzip"])
    poll = results.get("poll", {})
    lines = []
    add = lines.append
    add(f"Measured {info['date']} at commit `{info['commit']}` on {info['nproc']} CPUs ({info['cpu']}), "
        f"Python {info['python']}, Django {info['django']}, XBlock {info['xblock']}, xblock-sdk {info['xblock-sdk']}, "
        f"xblock-poll {info['xblock-poll']}, xblock-drag-and-drop-v2 {info['xblock-drag-and-drop-v2']}. "
        f"Command: `make bench` (`.venv-bench/bin/python bench/blocks_bench.py --write`). One run, one "
        f"`WorkbenchRuntime`, one file SQLite database (busy timeout 30 s, `transaction_mode=IMMEDIATE`).")
    add("")
    add("Renders and handlers are measured twice, for every block and both peers alike: **shipped** = xblock-sdk's "
        "key-value store as shipped (one SQL query per field read, two for a field that is set); **loaded once** = "
        "the same store with each of its rows (scope, scope id, user) read once per request, as the LMS's "
        "`FieldDataCache` does (`FieldDataLoadedOnce`, in the bench only).")
    add("")
    add("### The peers")
    add("")
    add("| peer | render median / p95 (ms), shipped | render median / p95 (ms), loaded once | queries per render, "
        "all (10 / 10,000), shipped; loaded once | main handler median (ms) (queries), shipped; loaded once | "
        "first view raw / gzip (KB), files |")
    add("| --- | --- | --- | --- | --- | --- |")
    for tag in peers:
        r = results[tag]
        h, ho = r.get(f"handler_{SMALL}"), r.get(f"handler_once_{SMALL}")
        handler = f"`{h['handler']}` {handler_cell(h)}; {handler_cell(ho)}" if h else "-"
        add(f"| {tag} | {r[f'render_{SMALL}']['median_ms']:.2f} / {r[f'render_{SMALL}']['p95_ms']:.2f} | "
            f"{r[f'render_once_{SMALL}']['median_ms']:.2f} / {r[f'render_once_{SMALL}']['p95_ms']:.2f} | "
            f"{r[f'render_queries_{SMALL}']['all']} / {r[f'render_queries_{LARGE}']['all']}; "
            f"{r[f'render_once_queries_{SMALL}']['all']} / {r[f'render_once_queries_{LARGE}']['all']} | {handler} | "
            f"{kb(r['weight']['raw'])} / {kb(r['weight']['gzip'])}, {r['weight']['files']} |")
    add("")
    add(f"### Our renders, and ratios ours / the faster peer of the same measurement (shipped: {fastest['']}; "
        f"loaded once: {fastest['_once']})")
    add("")
    add("| block | render median / p95 (ms), shipped, 10 / 10,000 | ratio, shipped, 10 / 10,000 | render median / p95 "
        "(ms), loaded once, 10 / 10,000 | ratio, loaded once, 10 / 10,000 | our queries per render (all: shipped; "
        "loaded once), 10 / 10,000 |")
    add("| --- | --- | --- | --- | --- | --- |")
    for tag in tags:
        r = results[tag]
        renders = []
        for suffix in KVS.values():
            small, large = r[f"render{suffix}_{SMALL}"], r[f"render{suffix}_{LARGE}"]
            peer = results[fastest[suffix]]
            renders.append(f"{small['median_ms']:.2f} / {small['p95_ms']:.2f}, {large['median_ms']:.2f} / "
                           f"{large['p95_ms']:.2f} | {ratio(small['median_ms'], peer[f'render{suffix}_{SMALL}']['median_ms'])}"
                           f" / {ratio(large['median_ms'], peer[f'render{suffix}_{LARGE}']['median_ms'])}")
        qs, ql = r[f"render_queries_{SMALL}"], r[f"render_queries_{LARGE}"]
        os_, ol = r[f"render_once_queries_{SMALL}"], r[f"render_once_queries_{LARGE}"]
        add(f"| {tag} | {renders[0]} | {renders[1]} | "
            f"{qs['ours']} ({qs['all']}; {os_['all']}) / {ql['ours']} ({ql['all']}; {ol['all']}) |")
    counting = [results[tag].get(f"counting_{size}") for tag in tags if tag == "lifelong_dashboard"
                for size in (SMALL, LARGE)]
    if counting and all(counting):
        add("")
        add("The dashboard's render shows the summary counted by a view within the last minute "
            "(`SUMMARY_MAX_AGE`, 60 s; the render above is that case). Counting it anew (the `summary` handler "
            f"as staff, the page's \"Show\" button): {counting[0]['median_ms']:.2f} ms (p95 {counting[0]['p95_ms']:.2f}, "
            f"{counting[0]['queries']['ours']} of our queries) at 10 learners, {counting[1]['median_ms']:.2f} ms "
            f"(p95 {counting[1]['p95_ms']:.2f}, {counting[1]['queries']['ours']}) at 10,000.")
    add("")
    add(f"### Our main handlers against poll's `vote`, and first-view weight against the lighter peer ({lightest})")
    add("")
    add("| block | handler | median (ms) (all queries), shipped, 10 / 10,000 | ratio to `vote`, shipped, 10 / 10,000 | "
        "median (ms) (all queries), loaded once, 10 / 10,000 | ratio to `vote`, loaded once, 10 / 10,000 | "
        "our queries per call, 10 / 10,000 | first view gzip (KB), raw (KB) | weight ratio |")
    add("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for tag in tags:
        r = results[tag]
        cells = []
        for suffix in KVS.values():
            h, hl = r.get(f"handler{suffix}_{SMALL}"), r.get(f"handler{suffix}_{LARGE}")
            if not h:
                cells.append("- | -")
                continue
            v, vl = poll.get(f"handler{suffix}_{SMALL}", {}), poll.get(f"handler{suffix}_{LARGE}", {})
            cells.append(f"{handler_cell(h)} / {handler_cell(hl)} | {ratio(h['median_ms'], v.get('median_ms'))} / "
                         f"{ratio(hl['median_ms'], vl.get('median_ms'))}")
        h, hl = r.get(f"handler_{SMALL}"), r.get(f"handler_{LARGE}")
        name = f"`{h['handler']}`" if h else "-"
        ours = f"{h['queries']['ours']} / {hl['queries']['ours']}" if h else "-"
        add(f"| {tag} | {name} | {cells[0]} | {cells[1]} | {ours} | {kb(r['weight']['gzip'])}, {kb(r['weight']['raw'])} | "
            f"{ratio(r['weight']['gzip'], results[lightest]['weight']['gzip'])} |")
    add("")
    add("### 30 learners at the same moment")
    add("")
    add("| what | accepted | recorded | lost |")
    add("| --- | --- | --- | --- |")
    for name, b in results["_burst"].items():
        add(f"| {name} | {b['accepted']} | {b['recorded']} | {b['lost']} |")
    outside = {tag: results[tag]["weight"]["outside"] for tag in tags if results[tag]["weight"]["outside"]}
    add("")
    add("Requests to other hosts in our first views: " + (json.dumps(outside) if outside else "none") + ".")
    return "\n".join(lines)


SECTION = "## Blocks against peers (`make bench`)"


def write_section(body, path=ROOT / "docs" / "benchmarks.md"):
    """Replace only the results part of our section (between the markers), keep everything else."""
    from doc_sections import replace_results  # noqa: PLC0415 (bench/ is the script's folder)
    replace_results(path, SECTION, "blocks-bench", body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--renders", type=int, default=200, help="timed renders per block and size")
    parser.add_argument("--handler-calls", type=int, default=60, help="timed handler calls per block and size")
    parser.add_argument("--only", nargs="*", help="these tags (and the peers) only")
    parser.add_argument("--profile", help="print a pyinstrument profile of this block's renders at 10,000")
    parser.add_argument("--profile-kvs", choices=[*KVS, "handler"], default="shipped",
                        help="profile the renders with this key-value store (once: rows loaded once per render), "
                             "or (handler) the block's main handler calls")
    parser.add_argument("--sql", action="store_true", help="print our queries of each render at 10,000")
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument("--table-from", help="print the table of a --json file (no measuring)")
    args = parser.parse_args()
    if args.table_from:
        saved = json.loads(Path(args.table_from).read_text())
        print(table(saved["results"], saved["machine"]))
        return
    setup()
    tags = installed_tags()
    if args.only:
        tags = [t for t in tags if t in args.only or t in PEERS]
    missing = [peer for peer in PEERS if peer not in tags]
    if missing:
        sys.exit(f"install the peers first ({', '.join(missing)}): make bench")
    results = measure(tags, args.renders, args.handler_calls, (args.profile, args.profile_kvs) if args.profile else None)
    info = machine()
    body = table(results, info)
    print(body)
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "results": results}, indent=1, default=str))
    if args.write:
        write_section(body)


if __name__ == "__main__":
    main()
