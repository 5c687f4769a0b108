"""The quick check at the end of a micro-lesson: authored questions, their validation and grading.

Questions are authored as a list of dicts::

    {"id": "q1", "kind": "single" | "multiple", "prompt": "...",
     "choices": [{"id": "a", "text": "...", "correct": true}, ...], "explanation": "..."}

The correct flags never leave the server before a submission: :func:`public_questions`
is what views and the mobile API show.
"""
from lifelong_xblocks.i18n import gettext as _

MAX_QUESTIONS = 10
MAX_CHOICES = 8
KINDS = ("single", "multiple")


def validate_questions(questions):
    """Problems with authored questions, as translated sentences; empty when they are fine."""
    if not isinstance(questions, list):
        return [_("The quick check must be a list of questions.")]
    problems = []
    if len(questions) > MAX_QUESTIONS:
        problems.append(_("A quick check has at most {count} questions.").format(count=MAX_QUESTIONS))
    seen_ids = set()
    for number, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            problems.append(_("Question {number} must be an object.").format(number=number))
            continue
        qid = question.get("id")
        if not isinstance(qid, str) or not qid.strip():
            problems.append(_("Question {number} needs an id.").format(number=number))
        elif qid in seen_ids:
            problems.append(_("Question id {qid} is used twice.").format(qid=qid))
        seen_ids.add(qid)
        if question.get("kind", "single") not in KINDS:
            problems.append(_("Question {number}: the kind must be single or multiple.").format(number=number))
        if not isinstance(question.get("prompt"), str) or not question.get("prompt", "").strip():
            problems.append(_("Question {number} needs a prompt.").format(number=number))
        problems.extend(_choice_problems(number, question))
    return problems


def _choice_problems(number, question):
    choices = question.get("choices")
    if not isinstance(choices, list) or not 2 <= len(choices) <= MAX_CHOICES:
        return [_("Question {number} needs between 2 and {most} choices.").format(number=number, most=MAX_CHOICES)]
    problems = []
    ids = [c.get("id") if isinstance(c, dict) else None for c in choices]
    if any(not isinstance(i, str) or not i for i in ids) or len(set(ids)) != len(ids):
        problems.append(_("Question {number}: every choice needs its own id.").format(number=number))
    if any(not isinstance(c, dict) or not isinstance(c.get("text"), str) or not c["text"].strip()
           for c in choices):
        problems.append(_("Question {number}: every choice needs a text.").format(number=number))
    correct = sum(1 for c in choices if isinstance(c, dict) and c.get("correct") is True)
    if question.get("kind", "single") == "single" and correct != 1:
        problems.append(_("Question {number}: a single-choice question has exactly one correct choice.")
                        .format(number=number))
    elif correct < 1:
        problems.append(_("Question {number}: mark at least one correct choice.").format(number=number))
    return problems


def usable_questions(questions):
    """The questions a learner can answer: objects with an id, a prompt and choices (each with an id and
    a text).  Studio refuses anything else, but an OLX import skips Studio: what is malformed there is
    left out instead of breaking the lesson."""
    usable = []
    for question in questions if isinstance(questions, list) else ():
        if not isinstance(question, dict) or not all(isinstance(question.get(key), str) for key in ("id", "prompt")):
            continue
        choices = [choice for choice in question.get("choices") or () if isinstance(choice, dict)
                   and isinstance(choice.get("id"), str) and isinstance(choice.get("text"), str)]
        if choices:
            usable.append({**question, "choices": choices})
    return usable


def public_questions(questions):
    """Questions as learners see them before submitting: no correct flags, no explanations."""
    questions = usable_questions(questions)
    return [
        {
            "id": q["id"],
            "kind": q.get("kind", "single"),
            "prompt": q["prompt"],
            "choices": [{"id": c["id"], "text": c["text"]} for c in q["choices"]],
        }
        for q in questions
    ]


def parse_answers(questions, raw):
    """A submission as ``{question id: sorted choice ids}``; raises ``ValueError`` when malformed."""
    if not isinstance(raw, dict):
        raise ValueError(_("Answers must be given per question."))
    questions = usable_questions(questions)
    answers = {}
    for question in questions:
        chosen = raw.get(question["id"], [])
        if isinstance(chosen, str):
            chosen = [chosen]
        valid = {c["id"] for c in question["choices"]}
        if not isinstance(chosen, list) or not all(isinstance(c, str) and c in valid for c in chosen):
            raise ValueError(_("An answer names a choice that does not exist."))
        if question.get("kind", "single") == "single" and len(chosen) > 1:
            raise ValueError(_("Choose only one answer for a single-choice question."))
        if not chosen:
            raise ValueError(_("Answer every question before submitting."))
        answers[question["id"]] = sorted(set(chosen))
    unknown = set(raw) - {q["id"] for q in questions}
    if unknown:
        raise ValueError(_("The answers name a question that does not exist."))
    return answers


def grade(questions, answers):
    """Score 0.0-1.0 and the per-question result; a question is right when exactly the correct set is chosen."""
    questions = usable_questions(questions)
    results = {}
    for question in questions:
        correct_ids = sorted(c["id"] for c in question["choices"] if c.get("correct") is True)
        results[question["id"]] = answers.get(question["id"]) == correct_ids
    score = sum(results.values()) / len(questions) if questions else 1.0
    return score, results


def feedback(questions, results, reveal_answers):
    """What the learner sees after a submission: right or wrong, the explanation, and the
    correct choices only once no attempt is left or the check is passed."""
    questions = usable_questions(questions)
    return [
        {
            "id": q["id"],
            "correct": results.get(q["id"], False),
            "explanation": q.get("explanation", ""),
            "correct_choices": sorted(c["id"] for c in q["choices"] if c.get("correct") is True)
            if reveal_answers else None,
        }
        for q in questions
    ]
