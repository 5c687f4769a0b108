"""Chinese text and emoji survive a round trip through the database (utf8mb4 on MariaDB)."""
import json

import pytest
from django.db import connection

from lifelong_xblocks.classroom import progress
from lifelong_xblocks.models import LessonProgress, ParticipantProfile, QuickCheckAttempt
from lifelong_xblocks.profiles import api as profiles

COURSE = "course-v1:开放大学+终身学习+2025"
USAGE = "block-v1:开放大学+终身学习+2025+type@lifelong_microlesson+block@课程一"
CHINESE = "用智能手机看病：预约挂号 👵📱✅"


@pytest.mark.skipif(connection.vendor != "mysql", reason="MariaDB character sets only")
def test_mariadb_test_database_and_connection_are_utf8mb4(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@character_set_database, @@collation_database, @@character_set_connection")
        database_charset, collation, connection_charset = cursor.fetchone()
    assert database_charset == "utf8mb4"
    assert collation.startswith("utf8mb4_")
    assert connection_charset == "utf8mb4"


def test_quick_check_answers_keep_chinese_and_emoji(make_user):
    user = make_user("学员小王😀")
    answers = {"问题一🍎": ["甲", "乙🌾"], "q2": ["丙"]}
    QuickCheckAttempt.objects.create(course_key=COURSE, usage_key=USAGE, user=user, number=1,
                                     answers=answers, score=0.5)
    stored = QuickCheckAttempt.objects.get(usage_key=USAGE, user=user)
    assert stored.answers == answers
    assert stored.course_key == COURSE and stored.usage_key == USAGE
    assert stored.user.username == "学员小王😀"


def test_quick_check_submission_through_the_domain_keeps_chinese_ids(make_user):
    user = make_user("learner")
    questions = [{"id": "问题🙂", "kind": "multiple", "prompt": "带什么去医院？",
                  "choices": [{"id": "医保卡💳", "text": "医保卡", "correct": True},
                              {"id": "密码📝", "text": "写着密码的纸"}]}]
    attempt, results = progress.submit_quick_check(COURSE, USAGE, user.pk, questions,
                                                   {"问题🙂": ["医保卡💳"]}, max_attempts=3, pass_score=1.0)
    assert results == {"问题🙂": True} and attempt.passed
    assert QuickCheckAttempt.objects.get(pk=attempt.pk).answers == {"问题🙂": ["医保卡💳"]}


def test_emoji_fill_a_char_field_to_its_length(make_user):
    """32 four-byte characters fit a max_length=32 column (they would not in 3-byte utf8)."""
    user = make_user("farmer")
    ParticipantProfile.objects.create(user=user, consented=True, audience_group="🌾" * 32,
                                      region="新疆维吾尔自治区🐑", answered_at="2025-05-01T08:00:00Z")
    stored = ParticipantProfile.objects.get(user=user)
    assert stored.audience_group == "🌾" * 32
    assert stored.region == "新疆维吾尔自治区🐑"


def test_progress_json_keeps_chinese_and_emoji_and_can_be_filtered(make_user):
    user = make_user("older_adult")
    LessonProgress.objects.create(course_key=COURSE, usage_key=USAGE, user=user, played=[[0.0, 12.5]],
                                  duration=30.0)
    row = LessonProgress.objects.get(usage_key=USAGE, user=user)
    assert row.played == [[0.0, 12.5]] and row.course_key == COURSE
    assert list(LessonProgress.objects.filter(course_key=COURSE).values_list("usage_key", flat=True)) == [USAGE]
    assert [r[0] for r in progress.learner_rows(USAGE)] == ["older_adult"]


def test_lesson_title_and_quick_check_in_chinese_through_the_block(scenario):
    """Authored title, question and learner answers in Chinese and emoji, via the workbench runtime
    (whose field storage is also in this database)."""
    questions = [{"id": "问1", "kind": "single", "prompt": "哪里预约挂号最安全？🏥",
                  "choices": [{"id": "官方", "text": "医院官方小程序 ✅", "correct": True},
                              {"id": "短信", "text": "陌生短信里的链接 ⚠️"}],
                  "explanation": "只用官方渠道。"}]
    xml = ("<lifelong_microlesson display_name=\"云课堂：用手机看病 📱\" media_duration=\"30\" "
           "max_attempts=\"3\" pass_score=\"1\" "
           "video_sources='[{\"url\": \"/static/demo/lesson-360.webm\", \"label\": \"360p\", \"height\": 360}]' "
           f"questions='{json.dumps(questions, ensure_ascii=False)}'/>")
    as_user = scenario(xml)
    learner = as_user("学员_1")
    html = learner.render().content
    assert "云课堂：用手机看病 📱" in html
    assert "哪里预约挂号最安全？🏥" in html

    status, answer = learner.call("submit_quick_check", {"answers": {"问1": "官方"}})
    assert status == 200, answer
    assert answer["passed"] is True
    stored = QuickCheckAttempt.objects.get()
    assert stored.answers == {"问1": ["官方"]}
    assert learner.fresh().block.display_name == "云课堂：用手机看病 📱"


def test_comfort_and_profile_defaults_round_trip(make_user):
    user = make_user("社区居民🏘")
    profiles.save_comfort(user.pk, {"large_text": True, "playback_rate": 0.75})
    comfort = profiles.get_comfort(user.pk)
    assert (comfort.large_text, comfort.low_bandwidth, comfort.playback_rate) == (True, False, 0.75)
