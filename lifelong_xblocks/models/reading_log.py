"""Daily reading check-ins of the reading log (``lifelong_reading_log``)."""
from django.db import models

from lifelong_xblocks.models.keys import BlockRecord

TITLE_MAX = 300   # as long as a bookshelf title, so a chosen book's title always fits
REFLECTION_MAX = 500


class ReadingCheckIn(BlockRecord):
    """One learner's reading on one calendar day (in the block's zone) in one reading log.

    ``day`` is decided by the server when the check-in is made; the unique constraint makes a
    second check-in of the same day an edit of the first, also when requests race.
    ``book_title`` is a snapshot of the title at check-in time, so the log still reads right
    when a bookshelf entry is later hidden or merged.
    """

    day = models.DateField()
    # The bookshelf entry chosen, if any; the title is copied, so free text and hidden, merged or
    # deleted books all read the same in the log.
    book = models.ForeignKey("lifelong_xblocks.Book", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    book_title = models.CharField(max_length=TITLE_MAX)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    reflection = models.CharField(max_length=REFLECTION_MAX, blank=True, default="")
    # The learner's choice, per check-in, to show the reflection on the club wall (off by default);
    # it shows only while the learner is a member of the wall (ReadingWallMember.sharing).
    shared = models.BooleanField(default=False)
    # Staff moderation of the wall (who and why is in moderation.ModerationAction).
    hidden = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_key", "user", "day"],
                                               name="lifelong_checkin_once_a_day")]
        indexes = [models.Index(fields=["usage_key", "day"], name="lifelong_checkin_block_day"),
                   models.Index(fields=["usage_key", "shared", "hidden", "day"], name="lifelong_checkin_wall")]
        ordering = ["day"]

    def __str__(self):
        return f"check-in of user {self.user_id} on {self.day} in {self.usage_key}"


class ReadingWallMember(BlockRecord):
    """A learner's choice to take part in one reading log's club wall.

    Only members' shared reflections appear on the wall; a learner who withdraws keeps the row
    (``sharing`` off, ``modified`` says when) and their reflections leave the wall at once.
    """

    sharing = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_key", "user"], name="lifelong_wall_member_once")]
        indexes = [models.Index(fields=["usage_key", "sharing"], name="lifelong_wall_member_sharing")]

    def __str__(self):
        return f"club wall {'member' if self.sharing else 'non-member'}: user {self.user_id} in {self.usage_key}"
