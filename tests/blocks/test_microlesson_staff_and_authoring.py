"""Staff figures and CSV, Studio editing with validation, OLX round trip, mobile data, search, reports."""
import json
from collections import namedtuple

import pytest
from django.db import connection
from django.utils import translation
from django.test.utils import CaptureQueriesContext
from lxml import etree

from lifelong_xblocks.models import LessonProgress, ParticipantProfile

QUESTIONS = [{"id": "q1", "kind": "single", "prompt": "Pick a", "explanation": "a is right",
              "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]}]
LESSON = ("<lifelong_microlesson display_name='手机微课' media_duration='10' questions='{}' "
          "video_sources='[{{\"url\": \"https://m.example.org/v.mp4\", \"label\": \"360p\"}}]' "
          "captions='[{{\"lang\": \"zh-CN\", \"label\": \"中文\", \"vtt\": \"WEBVTT\\n\\n00:00.000 --> 00:02.000\\n先挂断电话\\n\"}}]' "
          "lesson_text='先挂断，再核实。'/>").format(json.dumps(QUESTIONS, ensure_ascii=False))

XBlockUserState = namedtuple("XBlockUserState", "username block_key state updated scope")


def watch_all(client, clock):
    client.call("report_progress", {"intervals": [], "duration": 10})
    clock.advance(10)
    return client.call("report_progress", {"intervals": [[0, 10]], "duration": 10, "position": 10})


def test_staff_see_figures_and_learners_do_not(scenario, clock):
    as_user = scenario(LESSON)
    watch_all(as_user("student_1"), clock)
    as_user("student_2").call("submit_quick_check", {"answers": {"q1": ["a"]}})
    staff_html = as_user("staff").render().body_html()
    assert "For staff" in staff_html and "<svg" in staff_html and "download_csv" in staff_html
    assert "For staff" not in as_user("student_1").render().body_html()


def test_learners_cannot_download_the_csv(scenario):
    status, payload = scenario(LESSON)("student_1").call("download_csv", method="GET")
    assert status == 403 and payload["error"]


def test_staff_csv_is_utf8_with_bom_and_lists_each_learner(scenario, clock):
    as_user = scenario(LESSON)
    watch_all(as_user("=cmd"), clock)
    status, body = as_user("staff").call("download_csv", method="GET")
    assert status == 200
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=cmd,100.0" in text, "formula-like usernames are neutralised"


def test_studio_refuses_bad_values_and_saves_nothing(scenario):
    author = scenario(LESSON)("staff")
    status, answer = author.call("submit_studio_edits", {"values": {
        "completion_threshold": 0.2, "video_sources": [{"url": "javascript:alert(1)", "label": "x"}],
        "questions": [{"id": "q1", "prompt": "?", "choices": []}]}, "defaults": []})
    assert status == 400
    messages = json.dumps(answer)
    assert "completion threshold" in messages and "Video quality 1" in messages and "Question 1" in messages
    block = author.fresh().block
    assert block.completion_threshold == 0.9 and block.video_sources[0]["url"].startswith("https://")


@pytest.mark.parametrize("body", [b"[]", b'{"values": "x"}', b'{"values": {"weight": "heavy"}, "defaults": []}'])
def test_studio_answers_malformed_saves_with_400(scenario, body):
    assert scenario(LESSON)("staff").call("submit_studio_edits", body=body)[0] == 400


def test_studio_sanitises_html_on_save(scenario):
    author = scenario(LESSON)("staff")
    status, _answer = author.call("submit_studio_edits", {"values": {
        "text_format": "html", "lesson_text": "<p onclick='x()'>Hi<script>alert(1)</script></p>"}, "defaults": []})
    assert status == 200
    assert author.fresh().block.lesson_text == "<p>Hi</p>"


def test_olx_round_trip_keeps_every_authored_field(scenario):
    block = scenario(LESSON)("staff").block
    node = etree.Element("lifelong_microlesson")
    block.add_xml_to_node(node)
    xml = etree.tostring(node, encoding="unicode")
    copy = scenario(xml)("staff").block
    for name in block.editable_fields:
        assert getattr(copy, name) == getattr(block, name), name


def test_mobile_data_has_content_and_no_answers(scenario):
    data = scenario(LESSON)("student_1").block.student_view_data()
    assert data["title"] == "手机微课" and data["kind"] == "video"
    assert data["quick_check"]["questions"][0]["choices"] == [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]
    assert "a is right" not in json.dumps(data, ensure_ascii=False)


def test_student_view_supports_multi_device():
    from lifelong_xblocks.blocks.microlesson import MicroLessonBlock
    assert MicroLessonBlock.supports("student_view", "multi_device") if hasattr(MicroLessonBlock, "supports") \
        else getattr(MicroLessonBlock.student_view, "_supports", None)


def test_search_index_has_title_text_and_transcript(scenario):
    index = scenario(LESSON)("staff").block.index_dictionary()
    assert index["content"]["display_name"] == "手机微课"
    assert "再核实" in index["content"]["text"] and "先挂断电话" in index["content"]["transcript"]


def test_captions_are_served_as_webvtt(scenario):
    learner = scenario(LESSON)("student_1")
    status, body = learner.call("caption_track", method="GET", suffix="zh-CN")
    assert status == 200 and body.decode().startswith("WEBVTT")
    assert learner.call("caption_track", method="GET", suffix="fr")[0] == 400


def test_report_rows_come_from_our_models_and_honour_the_limit(scenario, clock):
    as_user = scenario(LESSON)
    watch_all(as_user("student_1"), clock)
    as_user("student_2").call("submit_quick_check", {"answers": {"q1": ["a"]}})
    block = as_user("staff").block
    states = [XBlockUserState(name, block.scope_ids.usage_id, {}, None, "user_state")
              for name in ("student_1", "student_2", "nobody")]
    rows = dict(block.generate_report_data(iter(states)))
    assert rows["student_1"]["completion"] == 1.0 and rows["student_1"]["coverage"] == 1.0
    assert rows["student_2"]["score"] == 1.0 and rows["student_2"]["attempts"] == 1
    assert "nobody" not in rows
    assert "email" not in json.dumps(rows)
    assert len(list(block.generate_report_data(iter(states), limit_responses=1))) == 1


def test_the_profile_is_asked_once_across_blocks(scenario):
    learner = scenario(LESSON)("student_1")
    assert 'data-ll-profile="ask"' in learner.render().body_html()
    status, answer = learner.call("save_profile", {"consented": True, "audience_group": "veteran",
                                                   "region": "sichuan"})
    assert status == 200 and answer["region"] == "sichuan"
    other_block = scenario("<lifelong_microlesson display_name='Second'/>")("student_1").render().body_html()
    assert 'data-ll-profile="ask"' not in other_block
    assert 'data-ll-profile="edit"' in other_block and '<option value="sichuan" selected>' in other_block


def test_profile_answers_can_be_changed_and_withdrawn_later(scenario):
    learner = scenario(LESSON)("student_1")
    learner.call("save_profile", {"consented": True, "audience_group": "veteran", "region": "sichuan"})
    learner.call("save_profile", {"consented": True, "audience_group": "older_adult", "region": "gansu"})
    assert ParticipantProfile.objects.get().region == "gansu"
    learner.call("save_profile", {"consented": False})
    profile = ParticipantProfile.objects.get()
    assert (profile.consented, profile.audience_group, profile.region) == (False, "", "")


def test_declining_the_profile_stores_nothing_but_the_refusal(scenario):
    learner = scenario(LESSON)("student_1")
    status, _answer = learner.call("save_profile", {"consented": False, "audience_group": "veteran"})
    assert status == 200
    profile = ParticipantProfile.objects.get()
    assert (profile.consented, profile.audience_group, profile.region) == (False, "", "")


@pytest.mark.parametrize("body", [{"consented": "yes"}, {"consented": True, "audience_group": "king", "region": "beijing"},
                                  {"consented": True, "audience_group": "veteran", "region": "atlantis"}])
def test_bad_profile_answers_are_refused(scenario, body):
    assert scenario(LESSON)("student_1").call("save_profile", body)[0] == 400
    assert not ParticipantProfile.objects.exists()


def our_queries(render):
    """Queries our code makes while rendering (the workbench's own key-value store is not ours)."""
    with CaptureQueriesContext(connection) as captured:
        render()
    return [q["sql"] for q in captured.captured_queries if "lifelong_xblocks_" in q["sql"] or "auth_user" in q["sql"]]


def test_rendering_does_not_query_more_with_more_learners(scenario, clock):
    as_user = scenario(LESSON)
    watch_all(as_user("learner_0"), clock)
    as_user("student_1").render(), as_user("staff").render()  # the workbench creates their users on first sight
    few_learner, few_staff = our_queries(as_user("student_1").render), our_queries(as_user("staff").render)
    for number in range(1, 40):
        watch_all(as_user(f"learner_{number}"), clock)
    assert LessonProgress.objects.count() == 40
    many_learner, many_staff = our_queries(as_user("student_1").render), our_queries(as_user("staff").render)
    assert len(many_learner) == len(few_learner) <= 3
    assert len(many_staff) == len(few_staff) <= 8


HOSTILE_OLX = """<lifelong_microlesson display_name="Imported"
  video_sources='[{"url": "javascript:alert(1)", "label": "x"}, {"url": "https://m.example.org/ok.mp4", "label": "ok"}]'
  audio_url="javascript:alert(2)" poster_url="data:image/svg+xml,&lt;svg onload=alert(3)&gt;"
  resources='[{"title": "bad", "url": "javascript:alert(4)"}, {"title": "good", "url": "/static/demo/handout.pdf"}]'/>"""


def test_urls_from_imported_olx_are_checked_again_at_render(scenario):
    learner = scenario(HOSTILE_OLX)("student_1")
    html = learner.render().body_html()
    data = json.dumps(learner.block.student_view_data())
    for shown in (html, data):
        assert "javascript:" not in shown and "data:image" not in shown
        assert "ok.mp4" in shown and "handout.pdf" in shown


def test_the_reading_clock_is_only_for_text_lessons(scenario):
    xml = "<lifelong_microlesson audio_url='https://m.example.org/a.mp3'/>"
    assert scenario(xml)("student_1").call("start_reading", {})[0] == 400


def test_the_js_config_cannot_end_its_script_element(scenario):
    xml = ("<lifelong_microlesson display_name='&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;' "
           "video_sources='[{\"url\": \"https://m.example.org/v.mp4\", \"label\": \"&lt;/script&gt;&lt;b&gt;\"}]'/>")
    html = scenario(xml)("student_1").render().body_html()
    config = html[html.index('-config" type="application/json">'):]
    config = config[:config.index("</script>")]
    assert "<" not in config.split(">", 1)[1]
    assert "<img src=x" not in html


def test_staff_trying_the_lesson_out_are_left_out_of_the_figures(scenario, clock):
    as_user = scenario(LESSON)
    watch_all(as_user("staff"), clock)
    as_user("staff").call("submit_quick_check", {"answers": {"q1": ["a"]}})
    watch_all(as_user("student_1"), clock)
    summary = as_user("staff").block.staff_context()["summary"]
    assert summary["started"] == 1 and summary["completed"] == 1
    assert sum(summary["score_distribution"]) == 0
    status, body = as_user("staff").call("download_csv", method="GET")
    lines = body.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[1].startswith("staff,") and lines[1].endswith(",yes")


def test_the_content_language_marks_authored_text_for_screen_readers(scenario):
    html = scenario("<lifelong_microlesson content_language='zh-CN' lesson_text='先挂断'/>")("student_1").render().body_html()
    assert '<div class="ll-text" lang="zh-CN">' in html
    author = scenario("<lifelong_microlesson/>")("staff")
    status, answer = author.call("submit_studio_edits", {"values": {"content_language": "\" onmouseover=x"},
                                                         "defaults": []})
    assert status == 400 and "content language" in json.dumps(answer)


def test_studio_offers_a_form_for_the_quick_check(scenario):
    with translation.override("zh-hans"):
        fragment = scenario(LESSON)("staff").block.studio_view({})
    html = fragment.body_html()
    assert fragment.js_init_fn == "LifelongStudioEditor"
    assert "studio_editors.js" in json.dumps([r.data for r in fragment.resources])
    config = html[html.index('-studio-config" type="application/json">'):].split(">", 1)[1].split("</script>")[0]
    assert json.loads(config)["strings"]["add_question"] == "添加题目"
    assert 'data-field-name="questions"' in html
