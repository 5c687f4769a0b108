"""Text-only lessons complete on "I have finished reading", after a minimum reading time."""
from lifelong_xblocks.models import LessonProgress

TEXT = "<lifelong_microlesson display_name='Balcony vegetables' lesson_text='{}'/>".format("学" * 510)


def test_finishing_right_after_opening_is_refused_with_the_time_left(scenario, clock):
    learner = scenario(TEXT)("student_1")
    status, answer = learner.call("start_reading", {})
    assert status == 200 and answer["minimum_seconds"] == 60
    clock.advance(10)
    status, answer = learner.call("finish_reading", {})
    assert status == 409 and "50" in answer["error"]
    assert learner.events("completion") == []


def test_finishing_after_the_minimum_time_completes(scenario, clock):
    learner = scenario(TEXT)("student_1")
    learner.call("start_reading", {})
    clock.advance(61)
    status, answer = learner.call("finish_reading", {})
    assert status == 200 and answer["completed"] is True
    assert learner.events("completion") == [{"completion": 1.0}]
    assert learner.fresh().call("student_view_user_state", method="GET")[1]["finished_reading"] is True


def test_reopening_does_not_restart_the_clock(scenario, clock):
    learner = scenario(TEXT)("student_1")
    learner.call("start_reading", {})
    clock.advance(61)
    learner.fresh().call("start_reading", {})
    assert learner.call("finish_reading", {})[0] == 200


def test_finishing_without_opening_is_refused(scenario):
    status, answer = scenario(TEXT)("student_1").call("finish_reading", {})
    assert status == 409 and answer["error"]
    assert not LessonProgress.objects.exists(), "a refusal changes nothing"


def test_media_lessons_cannot_be_finished_by_reading(scenario):
    xml = "<lifelong_microlesson audio_url='https://m.example.org/a.mp3'/>"
    assert scenario(xml)("student_1").call("finish_reading", {})[0] == 400


def test_the_learner_record_lists_the_learner_for_open_edx_reports(scenario, clock):
    learner = scenario(TEXT)("student_1")
    learner.call("start_reading", {})
    clock.advance(61)
    learner.call("finish_reading", {})
    assert learner.block.learner_record == {"coverage": 1.0, "completed": True}
