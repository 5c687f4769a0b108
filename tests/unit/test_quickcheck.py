"""Authored quick-check questions: validation, what learners see, grading."""
import pytest

from lifelong_xblocks.classroom import quickcheck

QUESTIONS = [
    {"id": "q1", "kind": "single", "prompt": "2 + 2?", "explanation": "Count.",
     "choices": [{"id": "a", "text": "4", "correct": True}, {"id": "b", "text": "5"}]},
    {"id": "q2", "kind": "multiple", "prompt": "Even numbers?",
     "choices": [{"id": "a", "text": "2", "correct": True}, {"id": "b", "text": "3"},
                 {"id": "c", "text": "4", "correct": True}]},
]


def test_good_questions_have_no_problems():
    assert quickcheck.validate_questions(QUESTIONS) == []


@pytest.mark.parametrize("questions", [
    "not a list",
    [{"id": "q1", "prompt": "?", "choices": [{"id": "a", "text": "x", "correct": True}]}],      # one choice
    [{"id": "q1", "prompt": "?", "choices": [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]}],  # none correct
    [{"id": "q1", "kind": "single", "prompt": "?", "choices": [
        {"id": "a", "text": "x", "correct": True}, {"id": "b", "text": "y", "correct": True}]}],  # two correct
    [QUESTIONS[0], QUESTIONS[0]],                                                                  # duplicate id
    [dict(QUESTIONS[0], kind="essay")],
    [dict(QUESTIONS[0], prompt="  ")],
    [QUESTIONS[0]] * 11,
])
def test_bad_questions_are_reported(questions):
    assert quickcheck.validate_questions(questions)


def test_learners_never_see_correct_flags_or_explanations():
    public = quickcheck.public_questions(QUESTIONS)
    assert "correct" not in repr(public)
    assert "Count." not in repr(public)


def test_exactly_the_correct_set_is_right():
    answers = quickcheck.parse_answers(QUESTIONS, {"q1": ["a"], "q2": ["c", "a"]})
    score, results = quickcheck.grade(QUESTIONS, answers)
    assert score == 1.0 and all(results.values())
    score, results = quickcheck.grade(QUESTIONS, quickcheck.parse_answers(QUESTIONS, {"q1": "a", "q2": ["a"]}))
    assert score == 0.5 and results == {"q1": True, "q2": False}


@pytest.mark.parametrize("raw", [
    [], {"q1": ["z"], "q2": ["a"]}, {"q1": ["a", "b"], "q2": ["a"]}, {"q1": ["a"]},
    {"q1": ["a"], "q2": ["a"], "q3": ["a"]}, {"q1": [1], "q2": ["a"]},
])
def test_malformed_answers_are_refused(raw):
    with pytest.raises(ValueError):
        quickcheck.parse_answers(QUESTIONS, raw)


def test_feedback_reveals_answers_only_when_asked():
    _score, results = quickcheck.grade(QUESTIONS, {"q1": ["b"], "q2": ["a"]})
    hidden = quickcheck.feedback(QUESTIONS, results, reveal_answers=False)
    shown = quickcheck.feedback(QUESTIONS, results, reveal_answers=True)
    assert all(item["correct_choices"] is None for item in hidden)
    assert hidden[0]["explanation"] == "Count."
    assert shown[1]["correct_choices"] == ["a", "c"]
