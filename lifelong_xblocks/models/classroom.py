"""Progress in cloud-classroom lessons (micro-lessons and live-session replays)."""
from django.db import models

from lifelong_xblocks.models.keys import BlockRecord


class LessonProgress(BlockRecord):
    """What a learner actually played or read of one lesson, as verified by the server."""

    played = models.JSONField(default=list)           # merged [start, end] seconds, clamped to duration
    duration = models.FloatField(default=0.0)          # seconds; the authored one, else the first reported
    coverage = models.FloatField(default=0.0)          # 0.0-1.0 of duration
    position = models.FloatField(default=0.0)          # resume point, seconds
    last_report_at = models.DateTimeField(null=True)   # server time of the last accepted report
    reading_started_at = models.DateTimeField(null=True)
    finished_reading_at = models.DateTimeField(null=True)
    completed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_key", "user"], name="lifelong_progress_once")]

    def __str__(self):
        return f"progress of user {self.user_id} in {self.usage_key}"


class QuickCheckAttempt(BlockRecord):
    """One graded submission of a lesson's quick check."""

    number = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)      # question id -> list of chosen choice ids
    score = models.FloatField()                   # 0.0-1.0
    passed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_key", "user", "number"],
                                               name="lifelong_attempt_once")]
        ordering = ["number"]

    def __str__(self):
        return f"attempt {self.number} of user {self.user_id} in {self.usage_key}"
