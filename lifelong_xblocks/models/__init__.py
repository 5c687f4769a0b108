"""Everything learners and staff produce, keyed by course, block usage and user.

Never kept in XBlock ``user_state_summary``: shared counters there lose concurrent updates.
One module per concern; import models from their module (``lifelong_xblocks.models.bookshelf``).
The modules are imported here so Django registers every model of the app.
"""
from lifelong_xblocks.models import (  # noqa: F401
    activity,
    bookshelf,
    files,
    live,
    moderation,
    nominations,
    reading_log,
    recitation,
    reports,
)
from lifelong_xblocks.models.classroom import LessonProgress, QuickCheckAttempt
from lifelong_xblocks.models.participants import ComfortSettings, ParticipantProfile

__all__ = ["ComfortSettings", "LessonProgress", "ParticipantProfile", "QuickCheckAttempt"]
