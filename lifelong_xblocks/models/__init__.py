"""Everything learners and staff produce, keyed by course, block usage and user.

Never kept in XBlock ``user_state_summary``: shared counters there lose concurrent updates.
"""
from lifelong_xblocks.models.classroom import LessonProgress, QuickCheckAttempt
from lifelong_xblocks.models.participants import ComfortSettings, ParticipantProfile

__all__ = ["ComfortSettings", "LessonProgress", "ParticipantProfile", "QuickCheckAttempt"]
