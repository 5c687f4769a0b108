"""Columns every per-block record shares: which course, which block, whose."""
from django.conf import settings
from django.db import models

KEY_LENGTH = 255


def user_id_of(user):
    """The id of ``user``, given as a user instance or already as its id (callers often hold only the id)."""
    return getattr(user, "pk", user)


class BlockRecord(models.Model):
    """A learner's record in one block.  Keys are the opaque-key strings of Open edX."""

    course_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    usage_key = models.CharField(max_length=KEY_LENGTH)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Course staff trying a block out: kept, but left out of the learners' figures and reports.
    by_staff = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
