"""Staff moderation and learners' reports, shared by every block that shows what people wrote.

The thing moderated (a book, a check-in, a recording, a nomination) keeps its own state (e.g.
``hidden``); these tables keep *who did what when*, so every staff action can be traced.
Subjects are named by ``(subject_type, subject_id)``: the model name and primary key.
"""
from django.conf import settings
from django.db import models

from lifelong_xblocks.models.keys import KEY_LENGTH


class ModerationAction(models.Model):
    """One staff action on one subject: hide, feature, merge, approve, return ..."""

    course_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    usage_key = models.CharField(max_length=KEY_LENGTH)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    subject_type = models.CharField(max_length=40)
    subject_id = models.PositiveBigIntegerField()
    note = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="lifelong_modaction_subject")]
        ordering = ["created", "id"]


class ContentFlag(models.Model):
    """A learner's report that something shown to others is inappropriate: one per reporter and subject."""

    course_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    usage_key = models.CharField(max_length=KEY_LENGTH)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject_type = models.CharField(max_length=40)
    subject_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=500, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reporter", "subject_type", "subject_id"],
                                               name="lifelong_flag_once_per_reporter")]
        indexes = [models.Index(fields=["usage_key", "subject_type", "resolved_at"], name="lifelong_flag_open")]
