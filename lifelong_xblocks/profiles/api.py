"""The participant profile and comfort settings shared by all blocks."""
import math
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lifelong_xblocks.compiled_query import CompiledQuery
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.models import ComfortSettings, ParticipantProfile
from lifelong_xblocks.models.rows import ensure_row
from lifelong_xblocks.profiles.regions import regions


# The learner's two settings rows, joined to the user (reverse one-to-one, LEFT OUTER JOIN).
SETTINGS_RELATIONS = ("lifelong_profile", "lifelong_comfort")


# Every render reads it: compiled to SQL once (lifelong_xblocks.compiled_query).
_USER_WITH_SETTINGS = CompiledQuery(lambda user_id: get_user_model().objects.select_related(
    *SETTINGS_RELATIONS).filter(pk=user_id)[:1], user_id=int)


@dataclass(frozen=True)
class LearnerSettings:
    """What every block's render needs of the learner: the profile answer and the comfort settings."""

    profile: ParticipantProfile | None     # None: never asked
    comfort: ComfortSettings               # unsaved defaults when never changed


def learner_settings(user_id, user=None):
    """The learner's profile and comfort settings in ONE query, or none when ``user`` came with them
    (loaded with ``select_related(*SETTINGS_RELATIONS)``, as the workbench identity does)."""
    if user_id is None:
        return LearnerSettings(profile=None, comfort=ComfortSettings())
    if user is None or not all(getattr(type(user), name).is_cached(user) for name in SETTINGS_RELATIONS):
        user = _USER_WITH_SETTINGS.first(user_id=int(user_id))
    return LearnerSettings(profile=_related(user, "lifelong_profile"),
                           comfort=_related(user, "lifelong_comfort") or ComfortSettings(user_id=user_id))


def _related(user, name):
    try:
        return getattr(user, name) if user is not None else None
    except (ParticipantProfile.DoesNotExist, ComfortSettings.DoesNotExist):
        return None


def audience_groups():
    """``(code, untranslated label)`` pairs of the audience groups."""
    return ParticipantProfile.AUDIENCE_GROUPS


def get_profile(user_id):
    """The learner's profile row, or ``None`` when they were never asked."""
    if user_id is None:
        return None
    return ParticipantProfile.objects.filter(user_id=user_id).first()


def save_profile(user_id, consented, audience_group="", region=""):
    """Record the learner's answer.  Declining stores the refusal and nothing else."""
    if not isinstance(consented, bool):
        raise InvalidInput(_("Say whether you agree."), field="consented")
    if consented:
        # Codes are strings: a list or object sent instead is refused, not hashed (a 500 before).
        if not isinstance(audience_group, str) or audience_group not in {code for code, _label in audience_groups()}:
            raise InvalidInput(_("Choose a group from the list."), field="audience_group")
        if not isinstance(region, str) or region not in {code for code, _label in regions()}:
            raise InvalidInput(_("Choose a region from the list."), field="region")
    else:
        audience_group, region = "", ""
    values = {"consented": consented, "audience_group": audience_group, "region": region,
              "answered_at": timezone.now()}
    ensure_row(ParticipantProfile, values, user_id=user_id)  # no deadlock when requests race
    with transaction.atomic():
        profile, _created = ParticipantProfile.objects.update_or_create(user_id=user_id, defaults=values)
    return profile


def get_comfort(user_id):
    """The learner's comfort settings (unsaved defaults when they never changed them)."""
    if user_id is None:
        return ComfortSettings()
    return ComfortSettings.objects.filter(user_id=user_id).first() or ComfortSettings(user_id=user_id)


def save_comfort(user_id, values):
    """Change some of ``low_bandwidth``, ``large_text`` and ``playback_rate``; the others are kept."""
    if not isinstance(values, dict) or not values:
        raise InvalidInput(_("Nothing to save."))
    changes = {}
    for name in ("low_bandwidth", "large_text"):
        if name in values:
            if not isinstance(values[name], bool):
                raise InvalidInput(_("This setting is on or off."), field=name)
            changes[name] = values[name]
    if "playback_rate" in values:
        rate = values["playback_rate"]
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not math.isfinite(rate) \
                or float(rate) not in ComfortSettings.PLAYBACK_RATES:
            raise InvalidInput(_("Choose a playback speed between 0.75x and 2x."), field="playback_rate")
        changes["playback_rate"] = float(rate)
    unknown = set(values) - {"low_bandwidth", "large_text", "playback_rate"}
    if unknown or not changes:
        raise InvalidInput(_("Unknown setting."))
    ensure_row(ComfortSettings, changes, user_id=user_id)  # no deadlock when requests race
    with transaction.atomic():
        comfort, _created = ComfortSettings.objects.update_or_create(user_id=user_id, defaults=changes)
    return comfort


def comfort_as_dict(comfort):
    """The settings as the front end and the mobile API receive them."""
    return {"low_bandwidth": comfort.low_bandwidth, "large_text": comfort.large_text,
            "playback_rate": comfort.playback_rate}
