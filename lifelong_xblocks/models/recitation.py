"""Recitations: a learner reading a passage aloud, the gallery's plays and likes.

One ``Recitation`` row per learner and block holds the learner's current recording (a
:class:`StoredFile`), their gallery consent and the staff's decision.  Plays and likes are rows
with unique constraints, and the counters beside them move only with ``F()`` updates, so
concurrent requests neither double-count nor lose counts.
"""
from django.conf import settings
from django.db import models

from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.models.keys import BlockRecord


class Recitation(BlockRecord):
    """A learner's current recording in one recitation block, and what happened to it."""

    # PROTECT: a stored file is deleted only through the replacement path, which relinks first.
    recording = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submissions = models.PositiveIntegerField(default=0)       # how many recordings were accepted
    # The learner's consent to be shown in the gallery: asked at submission, withdrawable.
    gallery_consent = models.BooleanField(default=False)
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    # Staff decision (the who/when is in the shared moderation log).
    featured = models.BooleanField(default=False)
    featured_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    staff_comment = models.TextField(blank=True, default="")   # the latest, shown to the learner
    play_count = models.PositiveIntegerField(default=0)        # plays of the current recording
    like_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_key", "user"], name="lifelong_recitation_once")]
        # The gallery: featured, consented, not hidden, newest featured first (read in index order, no sort).
        indexes = [models.Index(fields=["usage_key", "featured", "gallery_consent", "hidden", "featured_at"],
                                name="lifelong_recit_gallery_newest")]

    def __str__(self):
        return f"recitation of user {self.user_id} in {self.usage_key}"

    @property
    def in_gallery(self):
        return self.is_shown(self.recording_id, self.featured, self.gallery_consent, self.hidden)

    @staticmethod
    def is_shown(recording_id, featured, gallery_consent, hidden):
        """Shown to other learners: featured by staff, consented by the learner, not hidden (also for a
        recitation read as values)."""
        return bool(recording_id and featured and gallery_consent and not hidden)


class RecitationLike(models.Model):
    """One learner's like of one recitation: at most one, by constraint."""

    recitation = models.ForeignKey(Recitation, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recitation", "user"], name="lifelong_recitation_like_once")]


class RecitationPlay(models.Model):
    """A learner played a recording: counted once per learner and recording.

    Tied to the stored file, so a new recording starts with its own plays (the old file's
    rows go with it).
    """

    recitation = models.ForeignKey(Recitation, on_delete=models.CASCADE, related_name="plays")
    recording = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recording", "user"], name="lifelong_recitation_play_once")]
