"""A small course with every block of the package, filled through the blocks' own handlers, for the
report tests (tests/blocks/test_report_data.py, tests/unit/test_report_*.py, tests/db/test_report_*.py).

Use the fixture in a test module with ``report_course = fixtures.report_course`` (``from tests import report_course as fixtures``).
"""
import datetime
import json
from collections import namedtuple

import pytest
from webob import Request

from lifelong_xblocks.models.participants import ParticipantProfile
from tests.blocks.test_recitation_support import wav_bytes

XBlockUserState = namedtuple("XBlockUserState", "username block_key state updated scope")
UTC = datetime.timezone.utc
START = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=UTC)   # 10:00 in Beijing

QUESTIONS = [{"id": "q1", "kind": "single", "prompt": "Safe place to book?",
              "choices": [{"id": "a", "text": "Official app", "correct": True}, {"id": "b", "text": "SMS link"}]}]
OLX = {
    "lifelong_microlesson": ("<lifelong_microlesson display_name='=Lesson' media_duration='100' "
                             "completion_threshold='0.9' weight='2' max_attempts='2' pass_score='1.0' "
                             "require_quick_check='true' questions='{questions}' "
                             "video_sources='[{{\"url\": \"https://media.example.org/a.mp4\", \"label\": \"360p\", "
                             "\"height\": 360}}]'/>").format(questions=json.dumps(QUESTIONS)),
    "lifelong_live_session": ("<lifelong_live_session display_name='Book club' start_time='2026-11-20T03:00:00Z' "
                              "end_time='2026-11-20T04:00:00Z' time_zone='Asia/Shanghai' attendance_mode='offline' "
                              "venue_address='Library' venue_room='Room A' capacity='5' completion_rule='either' "
                              "media_duration='100'/>"),
    "lifelong_bookshelf": ("<lifelong_bookshelf display_name='读书会书架' min_recommendations='1' "
                           "min_votes='1'/>"),
    "lifelong_reading_log": "<lifelong_reading_log display_name='Reading log' goal_days='1'/>",
    "lifelong_recitation": ("<lifelong_recitation display_name='朗读' passage='床前明月光' content_language='zh-CN' "
                            "max_size_mb='0.2' max_seconds='30'/>"),
    "lifelong_nomination": ("<lifelong_nomination display_name='学习之星' nomination_category='learning_star' "
                            "opens_at='2026-11-01 08:00' closes_at='2026-12-01 18:00' quota_min='1' quota_max='2' "
                            "document_max_mb='0.01'/>"),
}
STORY = "张阿姨六十五岁开始在社区老年大学学习智能手机，如今她是社区数字助老志愿队的骨干，教会了两百多位老人网上挂号。" * 2
ANSWERS = {"name": "张桂兰", "gender": "female", "age_band": "60_69", "region": "zhejiang",
           "occupation": "退休职工", "phone": "138 0013 8000", "story": STORY, "achievements": "2025年市级优秀志愿者"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Who does what (see build): ann completes everything, "-bob" (a username a spreadsheet would take
# for a formula) starts everything and completes nothing, staff try blocks out.
LEARNERS = ("ann", "-bob")


def multipart(client, handler, fields):
    response = client.runtime.handle(client.block, handler, Request.blank("/", POST=fields), "")
    return response.status_code, json.loads(response.body.decode("utf-8"))


def ok(result):
    status, answer = result
    assert status == 200, answer
    return answer


class Course:
    """The blocks (``as_user`` per block type) and what was done in them."""

    def __init__(self, scenario):
        self.blocks = {tag: scenario(xml) for tag, xml in OLX.items()}

    def client(self, tag, username):
        return self.blocks[tag](username)

    def usage_key(self, tag):
        return self.client(tag, "staff").block.usage_key

    def report_data(self, tag, usernames, limit_responses=None):
        """``generate_report_data`` as Open edX calls it: a block bound to no user, XBlockUserState items."""
        block = self.blocks[tag](None).block
        states = [XBlockUserState(name, block.scope_ids.usage_id, {"learner_record": {}},
                                  START, "user_state") for name in usernames]
        return list(block.generate_report_data(iter(states), limit_responses=limit_responses))


def build(scenario, clock):
    """Activity in every block type.  Returns the :class:`Course`."""
    clock.now = START
    course = Course(scenario)
    for name in LEARNERS:
        ok(course.client("lifelong_bookshelf", name).call(
            "save_profile", {"consented": name == "ann", "audience_group": "older_adult", "region": "zhejiang"}))
    # micro-lesson: ann plays it all and passes the quick check; -bob plays a little and fails
    ann = course.client("lifelong_microlesson", "ann")
    ok(ann.call("report_progress", {"intervals": [], "position": 0, "duration": 100}))
    clock.advance(100)
    ok(ann.fresh().call("report_progress", {"intervals": [[0, 100]], "position": 100, "duration": 100}))
    ok(ann.fresh().call("submit_quick_check", {"answers": {"q1": ["a"]}}))
    bob = course.client("lifelong_microlesson", "-bob")
    ok(bob.call("report_progress", {"intervals": [], "position": 0, "duration": 100}))
    ok(bob.fresh().call("submit_quick_check", {"answers": {"q1": ["b"]}}))
    # live session: both sign up; staff mark ann present during the session
    for name in LEARNERS:
        ok(course.client("lifelong_live_session", name).call("sign_up"))
    clock.now = START + datetime.timedelta(minutes=70)
    ok(course.client("lifelong_live_session", "staff").call("staff_check_in", {"user": "ann"}))
    # the next day (Beijing): bookshelf, reading log, recitation, nomination
    clock.now = START + datetime.timedelta(days=1)
    book = ok(course.client("lifelong_bookshelf", "ann").call("recommend", {"title": "三体", "author": "刘慈欣"}))
    ok(course.client("lifelong_bookshelf", "ann").call("vote", {"book": book["book"]["id"]}))
    ok(course.client("lifelong_bookshelf", "-bob").call("vote", {"book": book["book"]["id"]}))
    ok(course.client("lifelong_bookshelf", "-bob").call("unvote", {"book": book["book"]["id"]}))
    ok(course.client("lifelong_reading_log", "ann").call("check_in", {"book_title": "三体", "minutes": 30}))
    ok(multipart(course.client("lifelong_recitation", "ann"), "submit_recording",
                 {"file": ("reading.wav", wav_bytes()), "consent": "1"}))
    nominator = course.client("lifelong_nomination", "ann")
    draft = ok(nominator.call("start_nomination", {"organisation": "zhejiang"}))["id"]
    from lifelong_xblocks.models.nominations import Nomination  # noqa: PLC0415

    ok(nominator.fresh().call("save_draft", {"id": draft, "version": Nomination.objects.get(pk=draft).version,
                                             "answers": ANSWERS, "consent_publication": True}))
    ok(multipart(nominator.fresh(), "upload_material",
                 {"nomination": str(draft), "kind": "document", "file": ("推荐表.pdf", PDF)}))
    ok(nominator.fresh().call("submit_nomination", {"id": draft}))
    ok(course.client("lifelong_nomination", "-bob").call("start_nomination", {"organisation": "zhejiang"}))
    # staff trying the reading log out: in the ledger, not in the report
    ok(course.client("lifelong_reading_log", "staff").call("check_in", {"book_title": "x", "minutes": 1}))
    assert ParticipantProfile.objects.filter(consented=True).count() == 1
    return course


@pytest.fixture
def report_course(scenario, clock, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "report_test": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "STORAGE": "report_test"}
    return build(scenario, clock)
