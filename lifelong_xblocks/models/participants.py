"""Who the learner is, for aggregate reports only, and how they like to learn."""
from django.conf import settings
from django.db import models

from lifelong_xblocks.i18n import gettext_noop as _


class ParticipantProfile(models.Model):
    """Audience group and region, asked at most once across all blocks, with consent.

    A row with ``consented=False`` means the learner declined: we do not ask again and
    store nothing else.  Used only for aggregate figures, never shown per person.
    """

    AUDIENCE_GROUPS = (
        ("enterprise_employee", _("Enterprise employee")),
        ("service_worker", _("Modern-service worker")),
        ("migrant_worker", _("Migrant worker")),
        ("veteran", _("Veteran")),
        ("new_farmer", _("New-type farmer")),
        ("community_resident", _("Community resident")),
        ("older_adult", _("Older adult")),
        ("adult_educator", _("Adult-education worker")),
        ("other", _("Other")),
    )

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="lifelong_profile")
    consented = models.BooleanField(default=False)
    audience_group = models.CharField(max_length=32, blank=True, default="")
    region = models.CharField(max_length=32, blank=True, default="")
    answered_at = models.DateTimeField()
    modified = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"profile of user {self.user_id}"


class ComfortSettings(models.Model):
    """Reading and playback preferences, remembered per learner across every block."""

    PLAYBACK_RATES = (0.75, 1.0, 1.25, 1.5, 2.0)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="lifelong_comfort")
    low_bandwidth = models.BooleanField(default=False)
    large_text = models.BooleanField(default=False)
    playback_rate = models.FloatField(default=1.0)
    modified = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"comfort settings of user {self.user_id}"
