"""The course-wide activity ledger: one row per learner per block, one row per learner per day.

Every block feeds it through the shared hooks of ``blocks/base.py`` (``note_learner_activity``,
``publish_completion``, ``publish_grade``, ``publish_completion_for``), so a new block appears in
the course report without report code of its own.  Written by ``lifelong_xblocks.reports.ledger``;
read by ``reports.rows`` and ``reports.summary``.
"""
from django.conf import settings
from django.db import models

from lifelong_xblocks.models.keys import KEY_LENGTH


class LearnerBlockActivity(models.Model):
    """What one learner did in one block: first and last activity, completion, score, key figures."""

    course_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    usage_key = models.CharField(max_length=KEY_LENGTH)
    block_type = models.CharField(max_length=64)
    title = models.CharField(max_length=255, blank=True, default="")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Course staff trying a block out: kept, but left out of the course report and its summary.
    by_staff = models.BooleanField(default=False)
    first_activity = models.DateTimeField()
    last_activity = models.DateTimeField()
    # The highest completion published so far (Open edX completion never goes back).
    completion = models.FloatField(default=0.0)
    completed_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    # The block's own key figures, as its last note_learner_activity gave them.
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_key", "user"], name="lifelong_activity_block_user")]

    def __str__(self):
        return f"activity of user {self.user_id} in {self.usage_key}"


class LearnerActivityDay(models.Model):
    """A learner was active in a block type of the course on ``day`` (in the block's zone)."""

    course_key = models.CharField(max_length=KEY_LENGTH)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    block_type = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course_key", "day", "block_type", "user"],
                                               name="lifelong_activity_day")]

    def __str__(self):
        return f"user {self.user_id} active in {self.course_key} on {self.day}"
