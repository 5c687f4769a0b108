"""Nominations of learning stars, brand projects and activity cases, their materials and reviews.

The status history is the shared moderation log (``lifelong_xblocks.moderation``): every
transition is recorded there with its actor and time, in the same transaction as the change.
"""
from django.conf import settings
from django.db import models

from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.models.keys import KEY_LENGTH, BlockRecord


class Nomination(BlockRecord):
    """One nomination in one campaign (a block), made by ``user`` for ``organisation``.

    The contact phone is kept apart from the form data so that no view can hand it on by
    accident with the rest of the answers; it is shown masked except to staff in the detail
    view and the staff export.
    """

    organisation = models.CharField(max_length=64)
    category = models.CharField(max_length=20)
    status = models.CharField(max_length=24, default="draft")
    form = models.JSONField(default=dict)
    headline = models.CharField(max_length=100, blank=True, default="")   # name / project / title, for lists
    # Every answer as plain normalised text for the reviewers' search (nominations.search).
    search_text = models.TextField(blank=True, default="")
    phone = models.CharField(max_length=20, blank=True, default="")
    consent_publication = models.BooleanField(default=False)
    consent_portrait = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)     # first submission
    status_changed_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True, default="")           # the reviewers' word to the nominator
    taken_down = models.BooleanField(default=False)               # kept out of the showcase by staff
    # Optimistic editing: a save names the version it started from; a stale one is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["usage_key", "organisation", "status"], name="lifelong_nom_quota"),
                   models.Index(fields=["usage_key", "user"], name="lifelong_nom_user"),
                   models.Index(fields=["usage_key", "status"], name="lifelong_nom_status")]
        ordering = ["id"]

    def __str__(self):
        return f"nomination {self.pk} ({self.status}) in {self.usage_key}"


class NominationQuota(models.Model):
    """One row per campaign and organisation, locked while a submission is counted against the quota.

    The seats themselves are counted from :class:`Nomination` rows under this lock, so the count
    and the nominations can never disagree.
    """

    usage_key = models.CharField(max_length=KEY_LENGTH)
    organisation = models.CharField(max_length=64)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_key", "organisation"],
                                               name="lifelong_nom_quota_once")]

    def __str__(self):
        return f"quota of {self.organisation} in {self.usage_key}"


class NominationMaterial(models.Model):
    """A file (or a video link) attached to a nomination."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=20)            # document / image / video / teaching
    stored_file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    link = models.URLField(max_length=500, blank=True, default="")   # a video link instead of a file
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.kind} of nomination {self.nomination_id}"


class NominationScore(models.Model):
    """One reviewer's rubric scores for one nomination; several reviewers are averaged."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=dict)           # criterion key -> points (0-10)
    total = models.FloatField()                       # weighted, 0-100
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "reviewer"], name="lifelong_nom_score_once")]

    def __str__(self):
        return f"score of nomination {self.nomination_id} by {self.reviewer_id}"


class NominationComment(models.Model):
    """A reviewer's comment on a nomination, seen by staff only."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"comment on nomination {self.nomination_id}"
