"""The quick check: graded on the server, attempts limited, answers kept secret until the end."""
import json

import pytest

from lifelong_xblocks.models import QuickCheckAttempt

QUESTIONS = [
    {"id": "q1", "kind": "single", "prompt": "Safe place to book?", "explanation": "Official channels only.",
     "choices": [{"id": "a", "text": "Official app", "correct": True}, {"id": "b", "text": "SMS link"}]},
    {"id": "q2", "kind": "multiple", "prompt": "Bring what?",
     "choices": [{"id": "a", "text": "Insurance card", "correct": True}, {"id": "b", "text": "PIN on paper"},
                 {"id": "c", "text": "Booking code", "correct": True}]},
]


def lesson(**attributes):
    attrs = {"display_name": "Quiz lesson", "max_attempts": "2", "pass_score": "1.0", "weight": "2",
             "questions": json.dumps(QUESTIONS), **attributes}
    rendered = " ".join(f"{name}='{value}'" for name, value in attrs.items())
    return f"<lifelong_microlesson {rendered}/>"


RIGHT = {"q1": ["a"], "q2": ["a", "c"]}
WRONG = {"q1": ["b"], "q2": ["a"]}


def test_correct_answers_never_reach_the_browser_before_submitting(scenario):
    learner = scenario(lesson())("student_1")
    html = learner.render().body_html()
    assert "Official channels only." not in html
    assert '"correct"' not in html and "correct&quot;" not in html
    data = json.dumps(learner.block.student_view_data())
    assert '"correct"' not in data and "Official channels only." not in data


def test_a_wrong_submission_shows_explanations_but_not_the_answers(scenario):
    learner = scenario(lesson())("student_1")
    status, answer = learner.call("submit_quick_check", {"answers": WRONG})
    assert status == 200
    assert answer["score"] == 0 and answer["passed"] is False and answer["attempts_left"] == 1
    assert answer["feedback"][0]["explanation"] == "Official channels only."
    assert all(item["correct_choices"] is None for item in answer["feedback"])
    assert learner.events("grade") == [{"value": 0.0, "max_value": 2.0}]


def test_answers_are_revealed_when_no_attempt_is_left(scenario):
    learner = scenario(lesson())("student_1")
    learner.call("submit_quick_check", {"answers": WRONG})
    status, answer = learner.call("submit_quick_check", {"answers": {"q1": ["a"], "q2": ["b"]}})
    assert status == 200 and answer["attempts_left"] == 0
    assert answer["feedback"][1]["correct_choices"] == ["a", "c"]
    status, answer = learner.call("submit_quick_check", {"answers": RIGHT})
    assert status == 409 and "attempts" in answer["error"]
    assert QuickCheckAttempt.objects.count() == 2


def test_passing_publishes_the_best_score_as_grade(scenario):
    learner = scenario(lesson())("student_1")
    learner.call("submit_quick_check", {"answers": WRONG})
    status, answer = learner.call("submit_quick_check", {"answers": RIGHT})
    assert status == 200 and answer["passed"] is True and answer["score"] == 1.0
    assert learner.events("grade")[-1] == {"value": 2.0, "max_value": 2.0}
    assert learner.block.max_score() == 2.0


def test_max_score_is_known_without_a_user(scenario):
    block = scenario(lesson())("none").block
    assert block.has_score and block.max_score() == 2.0


@pytest.mark.parametrize("answers", [None, "a", {"q1": ["z"], "q2": ["a"]}, {"q1": ["a"]}, {"q1": ["a", "b"], "q2": ["a"]}])
def test_malformed_answers_are_refused_without_using_an_attempt(scenario, answers):
    learner = scenario(lesson())("student_1")
    status, answer = learner.call("submit_quick_check", {"answers": answers})
    assert status == 400 and answer["error"]
    assert not QuickCheckAttempt.objects.exists()


def test_a_lesson_that_needs_a_pass_completes_only_after_passing(scenario, clock):
    learner = scenario(lesson(require_quick_check="true", media_duration="20",
                              video_sources='[{"url": "https://m.example.org/v.mp4", "label": "360p"}]'))("student_1")
    learner.call("report_progress", {"intervals": [], "duration": 20})
    clock.advance(20)
    status, answer = learner.call("report_progress", {"intervals": [[0, 20]], "duration": 20, "position": 20})
    assert status == 200 and answer["coverage"] == 1.0 and answer["completed"] is False
    learner.call("submit_quick_check", {"answers": WRONG})
    assert learner.events("completion") == []
    status, answer = learner.call("submit_quick_check", {"answers": RIGHT})
    assert answer["completed"] is True
    assert learner.events("completion") == [{"completion": 1.0}]


def test_a_lesson_without_questions_has_no_quick_check(scenario):
    learner = scenario("<lifelong_microlesson display_name='Plain'/>")("student_1")
    status, _answer = learner.call("submit_quick_check", {"answers": {}})
    assert status == 409
    assert learner.block.max_score() == 0
