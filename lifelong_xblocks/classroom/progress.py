"""Recording what a learner played, read and answered in a lesson.

Every write runs in ``transaction.atomic`` and locks the learner's progress row first,
so two tabs or a retrying phone cannot interleave their read-modify-write
(LMS handlers run outside a request transaction).
"""
import contextlib
import math
from datetime import timedelta

from django.db import transaction
from django.db.models import Avg, Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from lifelong_xblocks.classroom import coverage as cov
from lifelong_xblocks.classroom import quickcheck
from lifelong_xblocks.compiled_query import CompiledQuery
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.models import LessonProgress, QuickCheckAttempt
from lifelong_xblocks.models.rows import ensure_row



# Read on every render and report: compiled to SQL once (lifelong_xblocks.compiled_query).
_PROGRESS = CompiledQuery(lambda usage_key, user_id: LessonProgress.objects.filter(
    usage_key=usage_key, user_id=user_id)[:1], usage_key=str, user_id=int)
_ATTEMPTS = CompiledQuery(lambda usage_key, user_id: QuickCheckAttempt.objects.filter(
    usage_key=usage_key, user_id=user_id), usage_key=str, user_id=int)


def get_progress(usage_key, user_id):
    """The learner's progress in a lesson (one row per learner and lesson), or ``None`` before they start."""
    if user_id is None:
        return None
    return _PROGRESS.first(usage_key=usage_key, user_id=user_id)


@contextlib.contextmanager
def locked_progress(course_key, usage_key, user_id, by_staff=False):
    """The learner's progress row, created if missing, locked for the duration of the ``with``.

    The row is made to exist first (``models.rows.ensure_row``; in a handler, under the learner's
    lock, so two of their requests never race to create it).
    """
    ensure_row(LessonProgress, {"course_key": course_key, "by_staff": by_staff}, usage_key=usage_key,
               user_id=user_id)
    with transaction.atomic():
        yield LessonProgress.objects.select_for_update().get(usage_key=usage_key, user_id=user_id)


def record_playback(course_key, usage_key, user_id, report, authored_duration=0.0, now=None, by_staff=False):
    """Merge a player's report into the learner's progress; refuse implausible ones.

    ``report``: ``{"intervals": [[start, end], ...], "position": seconds, "duration": seconds}``.
    The first report (usually with no intervals, sent when playback starts) sets the clock.
    """
    now = now or timezone.now()
    try:
        intervals = cov.parse_intervals(report.get("intervals", []))
    except ValueError as error:
        raise InvalidInput(_("The playback report is malformed.")) from error
    position = _seconds(report.get("position", 0), _("position"))
    reported_duration = _seconds(report.get("duration", 0), _("duration"))
    claimed = cov.total(cov.merge(intervals))
    if intervals and not cov.is_plausible(claimed, 0) and get_progress(usage_key, user_id) is None:
        raise _implausible()  # refused before a progress row is created for it

    with locked_progress(course_key, usage_key, user_id, by_staff) as progress:
        duration = float(authored_duration or 0) or progress.duration or reported_duration
        elapsed = (now - progress.last_report_at).total_seconds() if progress.last_report_at else 0.0
        played = cov.merge(cov.clamp(progress.played + intervals, duration)) if duration > 0 else None
        # Only playback not verified before counts against the time since the last report: a report
        # sent again (the player retrying one whose answer it lost) claims nothing new and passes.
        new_seconds = cov.total(played) - cov.total(progress.played) if played is not None else claimed
        if intervals and not cov.is_plausible(new_seconds, elapsed):
            raise _implausible()
        progress.duration = duration
        if duration > 0:
            progress.played = played
            progress.coverage = cov.coverage(progress.played, duration)
            progress.position = min(position, duration)
        else:
            progress.position = position
        progress.last_report_at = now
        progress.save()
    return progress


def _implausible():
    return Conflict(_("This report claims more playback than the time since the last one allows; "
                      "it was not counted."))


def _seconds(value, name):
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 <= value <= cov.MAX_MEDIA_SECONDS:
        raise InvalidInput(_("The {name} must be a number of seconds.").format(name=name))
    return float(value)


def start_reading(course_key, usage_key, user_id, now=None, by_staff=False):
    """Note when the learner opened a text lesson (the first time counts)."""
    with locked_progress(course_key, usage_key, user_id, by_staff) as progress:
        if progress.reading_started_at is None:
            progress.reading_started_at = now or timezone.now()
            progress.save(update_fields=["reading_started_at", "modified"])
    return progress


def finish_reading(course_key, usage_key, user_id, minimum_seconds, now=None, by_staff=False):
    """Accept "I have finished reading" once the text has been open long enough."""
    now = now or timezone.now()
    opened = get_progress(usage_key, user_id)
    if opened is None or opened.reading_started_at is None:  # refused without creating a row
        raise Conflict(_("Open the lesson and read it first."))
    with locked_progress(course_key, usage_key, user_id, by_staff) as progress:
        if progress.finished_reading_at:
            return progress
        ready_at = progress.reading_started_at + timedelta(seconds=minimum_seconds)
        if now < ready_at:
            wait = math.ceil((ready_at - now).total_seconds())
            raise Conflict(_("Please take a little more time to read: about {seconds} seconds.")
                           .format(seconds=wait))
        progress.finished_reading_at = now
        progress.coverage = 1.0
        progress.save()
    return progress


def mark_completed(progress, now=None):
    """Remember when the lesson was first completed."""
    if progress.completed_at is None:
        progress.completed_at = now or timezone.now()
        LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True) \
            .update(completed_at=progress.completed_at)
    return progress


def attempts(usage_key, user_id):
    """The learner's quick-check attempts, oldest first."""
    if user_id is None:
        return []
    return _ATTEMPTS.objects(usage_key=usage_key, user_id=user_id)


def attempt_summary(usage_key, user_id, max_attempts):
    """Attempts used and left (``None`` when unlimited), the best score and whether any passed."""
    made = attempts(usage_key, user_id)
    return {
        "attempts_used": len(made),
        "attempts_left": None if not max_attempts else max(0, max_attempts - len(made)),
        "best_score": max((attempt.score for attempt in made), default=None),
        "passed": any(attempt.passed for attempt in made),
    }


def submit_quick_check(course_key, usage_key, user_id, questions, raw_answers, max_attempts, pass_score,
                       by_staff=False):
    """Grade a submission and store it as the next attempt; refused when no attempt is left.

    The same answers as the latest attempt are that attempt again, not a new one: a phone retrying
    a submission whose answer it lost must not use up an attempt (nor could the same answers score
    differently)."""
    try:
        answers = quickcheck.parse_answers(questions, raw_answers)
    except ValueError as error:
        raise InvalidInput(str(error)) from error
    score, results = quickcheck.grade(questions, answers)
    with locked_progress(course_key, usage_key, user_id, by_staff):  # serialises this learner's attempts
        attempts = QuickCheckAttempt.objects.filter(usage_key=usage_key, user_id=user_id)
        latest = attempts.order_by("-number").first()
        if latest is not None and latest.answers == answers and latest.score == score:
            return latest, results
        used = attempts.count()
        if max_attempts and used >= max_attempts:
            raise Conflict(_("You have used all your attempts."))
        attempt = QuickCheckAttempt.objects.create(
            course_key=course_key, usage_key=usage_key, user_id=user_id, number=used + 1, by_staff=by_staff,
            answers=answers, score=score, passed=score >= pass_score,
        )
    return attempt, results


def lesson_summary(usage_key, buckets=10):
    """Learners' figures for the staff view (staff trying the lesson out are left out): started,
    completed, average coverage, best-score distribution."""
    figures = LessonProgress.objects.filter(usage_key=usage_key, by_staff=False).aggregate(
        started=Count("id"),
        completed=Count("id", filter=Q(completed_at__isnull=False)),
        average_coverage=Avg("coverage"),
    )
    best_scores = (QuickCheckAttempt.objects.filter(usage_key=usage_key, by_staff=False).values("user_id")
                   .annotate(best=Max("score")).values_list("best", flat=True))
    distribution = [0] * buckets
    for best in best_scores:
        distribution[min(buckets - 1, int(best * buckets))] += 1
    figures["average_coverage"] = figures["average_coverage"] or 0.0
    figures["score_distribution"] = distribution
    return figures


def learner_rows(usage_key, usernames=None):
    """Per-learner progress with the best quick-check score, streamed from the database."""
    best = (QuickCheckAttempt.objects.filter(usage_key=usage_key, user_id=OuterRef("user_id"))
            .order_by("-score").values("score")[:1])
    attempts_used = (QuickCheckAttempt.objects.filter(usage_key=usage_key, user_id=OuterRef("user_id"))
                     .values("user_id").annotate(n=Count("id")).values("n")[:1])
    rows = (LessonProgress.objects.filter(usage_key=usage_key)
            .annotate(best_score=Subquery(best), attempts_used=Subquery(attempts_used))
            .values_list("user__username", "coverage", "position", "completed_at", "best_score",
                         "attempts_used", "created", "by_staff")
            .order_by("id"))
    if usernames is not None:
        rows = rows.filter(user__username__in=list(usernames))
    return rows.iterator(chunk_size=1000)
