"""Playing a micro-lesson: only verified playback counts towards completion."""
import pytest

from lifelong_xblocks.models import LessonProgress

VIDEO = """<lifelong_microlesson display_name="Lesson" media_duration="100" completion_threshold="0.9"
  video_sources='[{"url": "https://media.example.org/a.mp4", "label": "360p", "height": 360},
                  {"url": "https://media.example.org/a-180.mp4", "label": "180p", "height": 180}]'
  audio_url="https://media.example.org/a.m4a"/>"""


def play(learner, clock, intervals, seconds, position=None):
    clock.advance(seconds)
    return learner.call("report_progress", {"intervals": intervals, "duration": 100,
                                            "position": position if position is not None else intervals[-1][1]})


@pytest.fixture
def learner(scenario, clock):
    client = scenario(VIDEO)("student_1")
    status, _answer = client.call("report_progress", {"intervals": [], "position": 0, "duration": 100})
    assert status == 200
    return client


def test_watching_the_whole_lesson_completes_it_once(learner, clock):
    for start in range(0, 100, 10):
        status, answer = play(learner, clock, [[start, start + 10]], 10)
        assert status == 200, answer
    assert answer["completed"] is True and answer["coverage"] == pytest.approx(1.0)
    assert learner.events("completion") == [{"completion": 1.0}]
    status, answer = play(learner, clock, [[0, 10]], 10)
    assert learner.events("completion") == [{"completion": 1.0}], "completion is published once"


def test_seeking_to_the_end_does_not_complete(learner, clock):
    play(learner, clock, [[0, 3]], 3)
    status, answer = play(learner, clock, [[97, 100]], 3)
    assert status == 200
    assert answer["completed"] is False
    assert answer["coverage"] == pytest.approx(0.06)
    assert learner.events("completion") == []


def test_a_report_claiming_more_than_double_speed_is_refused_and_changes_nothing(learner, clock):
    play(learner, clock, [[0, 10]], 10)
    status, answer = play(learner, clock, [[10, 100]], 10)
    assert status == 409
    assert "not counted" in answer["error"]
    progress = LessonProgress.objects.get()
    assert progress.played == [[0.0, 10.0]]
    assert learner.events("completion") == []


def test_double_speed_playback_is_accepted(learner, clock):
    status, answer = play(learner, clock, [[0, 40]], 20)
    assert status == 200 and answer["coverage"] == pytest.approx(0.4)


def test_the_first_report_cannot_claim_playback_without_a_starting_clock(scenario, clock):
    fresh = scenario(VIDEO)("student_2")
    status, _answer = fresh.call("report_progress", {"intervals": [[0, 95]], "position": 95, "duration": 100})
    assert status == 409
    assert not LessonProgress.objects.filter(user__username="student_2").exists(), "a refusal changes nothing"


def test_the_authored_duration_wins_over_a_shorter_reported_one(learner, clock):
    clock.advance(5)
    status, answer = learner.call("report_progress", {"intervals": [[0, 5]], "position": 5, "duration": 5})
    assert status == 200
    assert answer["coverage"] == pytest.approx(0.05)


def test_the_resume_position_is_remembered(learner, clock):
    play(learner, clock, [[0, 20]], 20, position=20)
    status, state = learner.fresh().call("student_view_user_state", method="GET")
    assert status == 200 and state["position"] == 20 and state["completed"] is False


@pytest.mark.parametrize("body", [
    {"intervals": "all"}, {"intervals": [[0, 1]], "position": -5}, {"intervals": [[0, 1]], "duration": "long"},
    {"intervals": [[5, 1]]}, {"intervals": [[0, 1e300]]},
])
def test_malformed_reports_are_answered_400(learner, clock, body):
    clock.advance(30)
    status, answer = learner.call("report_progress", body)
    assert status == 400 and answer["error"]


def test_a_non_json_body_is_answered_400_and_get_405(learner):
    assert learner.call("report_progress", body=b"{not json")[0] == 400
    assert learner.call("report_progress", method="GET")[0] == 405


def test_anonymous_visitors_cannot_report(scenario):
    anonymous = scenario(VIDEO)("none")
    status, answer = anonymous.call("report_progress", {"intervals": []})
    assert status == 403 and answer["error"]
    assert not LessonProgress.objects.exists()


def test_learners_do_not_share_progress(scenario, clock):
    as_user = scenario(VIDEO)
    first, second = as_user("student_1"), as_user("student_2")
    for client in (first, second):
        client.call("report_progress", {"intervals": [], "duration": 100})
    clock.advance(10)
    first.call("report_progress", {"intervals": [[0, 10]], "duration": 100, "position": 10})
    assert second.fresh().call("student_view_user_state", method="GET")[1]["coverage"] == 0


def test_save_data_mode_is_remembered_and_plays_the_audio(scenario):
    as_user = scenario(VIDEO)
    learner = as_user("student_1")
    assert learner.call("save_comfort", {"low_bandwidth": True})[0] == 200
    html = learner.fresh().render().body_html()
    assert "a.m4a" in html and "<audio" in html
    other = as_user("student_2").render().body_html()
    assert "<video" in other


@pytest.mark.parametrize("body", [{"playback_rate": 3}, {"large_text": "yes"}, {"volume": 1}, {}])
def test_bad_comfort_settings_are_refused(scenario, body):
    status, answer = scenario(VIDEO)("student_1").call("save_comfort", body)
    assert status == 400 and answer["error"]


def test_anonymous_visitors_get_no_user_state(scenario):
    status, answer = scenario(VIDEO)("none").call("student_view_user_state", method="GET")
    assert status == 403 and answer["error"]
