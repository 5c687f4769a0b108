"""Every block's queries per render and per main handler, with little and with much data.

Our own queries are those on ``lifelong_xblocks_*`` tables and ``auth_user`` (the workbench's field
storage, one query per field read, is the runtime's).  For each block: the learner's render costs
the same with 5 or 300 other learners/items, and at most ``LEARNER_RENDER`` of our queries (one of
them the learner's settings, shared by every block: profiles.api.learner_settings); the staff
render and the block's main learner handler cost the same whatever the data.  ``make bench``
measures the same at 10,000 (docs/benchmarks.md); this is the part that runs in CI.
"""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from test_recitation_support import featured, upload_storage_fixture  # noqa: F401

from lifelong_xblocks.models.bookshelf import Book, BookRecommendation
from lifelong_xblocks.models.classroom import LessonProgress
from lifelong_xblocks.models.live import LiveRegistration
from lifelong_xblocks.models.nominations import Nomination
from lifelong_xblocks.models.reading_log import ReadingCheckIn, ReadingWallMember
from lifelong_xblocks.models.recitation import Recitation

UTC = datetime.timezone.utc
SMALL, LARGE = 5, 300
STORY = "张阿姨六十五岁开始在社区老年大学学习智能手机，如今她是社区数字助老志愿队的骨干，教会了两百多位老人网上挂号。" * 2
ANSWERS = {"name": "张桂兰", "gender": "female", "age_band": "60_69", "region": "zhejiang",
           "occupation": "退休职工", "phone": "138 0013 8000", "story": STORY, "achievements": "2025年市级优秀志愿者"}

# The most of our queries a learner's render may make, per block (the goal of issue 7: 3).
LEARNER_RENDER = {
    "microlesson": 3, "live_session": 3, "bookshelf": 3, "reading_log": 3, "recitation": 3, "nomination": 3,
}


def ours(work):
    """Our queries while ``work()`` runs (savepoints left out: they are not reads or writes)."""
    with CaptureQueriesContext(connection) as captured:
        work()
    return [q["sql"] for q in captured.captured_queries
            if ("lifelong_xblocks_" in q["sql"] or "auth_user" in q["sql"]) and "SAVEPOINT" not in q["sql"]]


def users(prefix, count):
    model = get_user_model()
    model.objects.bulk_create([model(username=f"{prefix}{n}") for n in range(count)])
    return list(model.objects.filter(username__startswith=prefix).order_by("pk").values_list("pk", flat=True))


def copies(model, template, user_ids, **changes):
    """Rows like ``template`` for each user (bulk: the data a big course has)."""
    rows = []
    for n, user_id in enumerate(user_ids):
        row = model.objects.get(pk=template.pk)
        row.pk, row.user_id = None, user_id
        for name, value in changes.items():
            setattr(row, name, value(n) if callable(value) else value)
        rows.append(row)
    model.objects.bulk_create(rows, batch_size=500)


# ---- the blocks: OLX, the learner's first action, more data, the main handler -------------------
class Microlesson:
    olx = ("<lifelong_microlesson display_name='微课' media_duration='100' "
           "video_sources='[{\"url\": \"/static/demo/lesson-360.webm\", \"label\": \"360p\"}]' "
           "questions='[{\"id\": \"q1\", \"prompt\": \"Q\", \"kind\": \"single\", \"choices\": "
           "[{\"id\": \"a\", \"text\": \"A\", \"correct\": true}, {\"id\": \"b\", \"text\": \"B\"}]}]'/>")
    handler = "report_progress"

    def act(self, client):
        assert client.call("report_progress", {"intervals": [], "position": 0, "duration": 100})[0] == 200

    def grow(self, as_user, prefix, count):
        template = LessonProgress.objects.filter(usage_key=as_user().block.usage_key).first()
        copies(LessonProgress, template, users(prefix, count))

    def handler_data(self, as_user, name):
        return {"intervals": [], "position": 0, "duration": 100}


class LiveSession:
    olx = ("<lifelong_live_session start_time='2030-12-05T11:30:00Z' end_time='2030-12-05T13:00:00Z' "
           "join_url='https://meet.example.org/j/1' capacity='0'/>")
    handler = "sign_up"

    def act(self, client):
        assert client.call("sign_up")[0] == 200

    def grow(self, as_user, prefix, count):
        template = LiveRegistration.objects.filter(usage_key=as_user().block.usage_key).first()
        start = LiveRegistration.objects.count()
        copies(LiveRegistration, template, users(prefix, count), queue_number=lambda n: start + n + 1)

    def handler_data(self, as_user, name):
        return {}


class Bookshelf:
    olx = "<lifelong_bookshelf display_name='Shelf' min_recommendations='1' min_votes='1'/>"
    handler = "vote"

    def act(self, client):
        assert client.call("recommend", {"title": "平凡的世界", "author": "路遥", "reason": "好书"})[0] == 200

    def grow(self, as_user, prefix, count):
        usage_key = as_user().block.usage_key
        user_ids = users(prefix, count)
        book = Book.objects.filter(usage_key=usage_key).first()
        rows = []
        for n, user_id in enumerate(user_ids):
            row = Book.objects.get(pk=book.pk)
            row.pk, row.title, row.match_key, row.recommended_by_id = None, f"{prefix} {n}", f"{prefix}-{n}", user_id
            rows.append(row)
        Book.objects.bulk_create(rows, batch_size=500)
        made = dict(Book.objects.filter(usage_key=usage_key, match_key__startswith=f"{prefix}-")
                    .values_list("recommended_by_id", "pk"))
        template = BookRecommendation.objects.filter(usage_key=usage_key).first()
        copies(BookRecommendation, template, user_ids, book_id=lambda n: made[user_ids[n]])

    def handler_data(self, as_user, name):
        return {"book": Book.objects.filter(usage_key=as_user().block.usage_key).order_by("pk").first().pk}


class ReadingLog:
    olx = "<lifelong_reading_log goal_days='5'/>"
    handler = "check_in"

    def act(self, client):
        assert client.call("check_in", {"book_title": "平凡的世界", "minutes": 20, "reflection": "很感动",
                                        "shared": True})[0] == 200

    def grow(self, as_user, prefix, count):
        usage_key = as_user().block.usage_key
        user_ids = users(prefix, count)
        copies(ReadingCheckIn, ReadingCheckIn.objects.filter(usage_key=usage_key).first(), user_ids)
        member = ReadingWallMember.objects.filter(usage_key=usage_key).first()
        if member:
            copies(ReadingWallMember, member, user_ids)

    def handler_data(self, as_user, name):
        return {"book_title": "平凡的世界", "minutes": 15}


class RecitationCase:
    olx = ("<lifelong_recitation display_name='朗读' passage='床前明月光，疑是地上霜。' content_language='zh-CN' "
           "max_size_mb='0.2' max_seconds='30'/>")
    handler = "like"
    needs_storage = True

    def act(self, client):
        featured(lambda name: type(client)(client.usage_id, name), client.student)

    def grow(self, as_user, prefix, count):
        template = Recitation.objects.filter(usage_key=as_user().block.usage_key).first()
        copies(Recitation, template, users(prefix, count), featured=lambda n: n % 50 == 0)

    def handler_data(self, as_user, name):
        recitation = Recitation.objects.filter(usage_key=as_user().block.usage_key, featured=True).first()
        return {"recitation": recitation.pk, "liked": True}


class NominationCase:
    olx = ("<lifelong_nomination display_name='学习之星' nomination_category='learning_star' "
           "opens_at='2026-11-01 08:00' closes_at='2026-12-01 18:00' quota_min='1' quota_max='100000'/>")
    handler = "submit_nomination"

    def act(self, client):
        assert client.call("submit_nomination", self.handler_data(lambda _name: client, client.student))[0] == 200

    def grow(self, as_user, prefix, count):
        template = Nomination.objects.filter(usage_key=as_user().block.usage_key).first()
        copies(Nomination, template, users(prefix, count))

    def handler_data(self, as_user, name):
        client = as_user(name)
        status, answer = client.call("start_nomination", {"organisation": "zhejiang"})
        assert status == 200, answer
        nomination_id = answer["id"]
        assert client.call("save_draft", {"id": nomination_id, "version": 1, "answers": ANSWERS,
                                          "consent_publication": True})[0] == 200
        assert client.call("add_video_link", {"id": nomination_id, "link": "https://v.example.org/1"})[0] == 200
        return {"id": nomination_id}


BLOCKS = {"microlesson": Microlesson(), "live_session": LiveSession(), "bookshelf": Bookshelf(),
          "reading_log": ReadingLog(), "recitation": RecitationCase(), "nomination": NominationCase()}


@pytest.fixture
def fixed_now(clock):
    clock.now = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=UTC)   # within the nomination campaign
    return clock


@pytest.mark.parametrize("name", list(BLOCKS))
def test_renders_and_the_main_handler_cost_the_same_queries_with_5_or_300_learners(name, scenario, fixed_now,
                                                                                   upload_storage):
    case = BLOCKS[name]
    as_user = scenario(case.olx)
    case.act(as_user("student_1"))
    as_user("staff").render()                                 # the workbench creates users on first sight

    def measure(size, prefix):
        case.grow(as_user, prefix, size)
        caller = f"caller-{prefix}"
        as_user(caller).render()
        data = case.handler_data(as_user, caller)
        client = as_user(caller)

        def handle():
            status, answer = client.call(case.handler, data)
            assert status == 200, answer
        return {"learner": ours(as_user("student_1").render), "staff": ours(as_user("staff").render),
                "handler": ours(handle)}

    few, many = measure(SMALL, "few"), measure(LARGE, "many")
    for what in ("learner", "staff", "handler"):
        assert len(many[what]) == len(few[what]), (name, what, few[what], many[what])
    assert len(many["learner"]) <= LEARNER_RENDER[name], (name, many["learner"])
