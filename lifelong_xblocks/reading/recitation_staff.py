"""Staff work on recitations: feature or hide with a comment, figures, the list, exports, the ZIP.

Every decision is recorded in the shared moderation log (who, when, what, comment) in the same
transaction as the recitation's own state changes.
"""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from lifelong_xblocks import moderation
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop
from lifelong_xblocks.models.moderation import ContentFlag
from lifelong_xblocks.models.recitation import Recitation
from lifelong_xblocks.reading.recitation_gallery import IN_GALLERY

COMMENT_MAX = 1000
STAFF_LIST_SIZE = 50
ACTIONS = ("feature", "unfeature", "hide", "unhide")
# Recording lengths for the staff chart: (label, upper bound in seconds, exclusive).
DURATION_BANDS = ((gettext_noop("under 30 s"), 30), (gettext_noop("30-60 s"), 60), (gettext_noop("1-2 min"), 120),
                  (gettext_noop("2-3 min"), 180), (gettext_noop("3 min or more"), None))


def moderate(usage_key, value, *, actor_id, action, comment=""):
    """Apply a staff ``action`` with an optional comment (shown to the learner); returns the recitation."""
    if action not in ACTIONS:
        raise InvalidInput(_("Choose feature, unfeature, hide or unhide."), field="action")
    comment = str(comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(_("The comment can be at most {limit} characters long.").format(limit=COMMENT_MAX),
                           field="comment")
    if isinstance(value, bool) or not str(value).isdigit():
        raise InvalidInput(_("Choose a recording."), field="recitation")
    actor = get_user_model().objects.get(pk=actor_id)
    with transaction.atomic():
        recitation = Recitation.objects.select_for_update().filter(usage_key=usage_key, pk=int(value)).first()
        if recitation is None or recitation.recording_id is None:
            raise Conflict(_("There is no such recording."))
        if action == "feature":
            recitation.featured, recitation.hidden = True, False
            recitation.featured_at = timezone.now()
        elif action == "unfeature":
            recitation.featured, recitation.featured_at = False, None
        elif action == "hide":
            recitation.featured, recitation.featured_at, recitation.hidden = False, None, True
        else:
            recitation.hidden = False
        if comment:
            recitation.staff_comment = comment
        recitation.save(update_fields=["featured", "featured_at", "hidden", "staff_comment", "modified"])
        moderation.record_action(recitation, actor=actor, action=action, note=comment)
        if action == "hide":
            moderation.resolve_flags(recitation, actor=actor)
    return recitation


def summary(usage_key):
    """Figures for the staff view; learners only (staff trying the block out are left out)."""
    learners = Recitation.objects.filter(usage_key=usage_key, by_staff=False, recording__isnull=False)
    figures = learners.aggregate(
        submitted=Count("id"),
        consented=Count("id", filter=Q(gallery_consent=True)),
        in_gallery=Count("id", filter=IN_GALLERY),
        hidden=Count("id", filter=Q(hidden=True)),
        plays=Sum("play_count"),
        likes=Sum("like_count"),
        **{f"band_{index}": Count("id", filter=_band(index)) for index in range(len(DURATION_BANDS))},
    )
    figures["plays"] = figures["plays"] or 0
    figures["likes"] = figures["likes"] or 0
    figures["open_reports"] = ContentFlag.objects.filter(usage_key=usage_key, subject_type="recitation",
                                                         resolved_at__isnull=True).count()
    figures["duration_bands"] = [figures.pop(f"band_{index}") for index in range(len(DURATION_BANDS))]
    return figures


def _band(index):
    """Recordings in one length band; unknown lengths count in the first."""
    lower = DURATION_BANDS[index - 1][1] if index else None
    upper = DURATION_BANDS[index][1]
    if lower is None:
        return Q(recording__duration__lt=upper) | Q(recording__duration__isnull=True)
    if upper is None:
        return Q(recording__duration__gte=lower)
    return Q(recording__duration__gte=lower, recording__duration__lt=upper)


def duration_labels():
    return [_(label) for label, _upper in DURATION_BANDS]


def staff_list(usage_key, limit=STAFF_LIST_SIZE):
    """The newest submissions with their open report counts (a fixed number of queries)."""
    entries = list(Recitation.objects.filter(usage_key=usage_key, recording__isnull=False)
                   .select_related("recording", "user").order_by("-submitted_at", "-id")[:limit])
    flags = moderation.open_flag_counts(usage_key, Recitation)
    for entry in entries:
        entry.open_reports = flags.get(entry.pk, 0)
    return entries


def submission_rows(usage_key, usernames=None):
    """Every submission of a block, streamed: ``(recitation, recording, username)`` per learner."""
    entries = (Recitation.objects.filter(usage_key=usage_key, recording__isnull=False)
               .select_related("recording", "user").order_by("id"))
    if usernames is not None:
        entries = entries.filter(user__username__in=list(usernames))
    for entry in entries.iterator(chunk_size=500):
        yield entry


def archive_entries(usage_key):
    """``(path in the ZIP, StoredFile)`` for every current recording: ``<username>-<id>.<ext>``."""
    for entry in submission_rows(usage_key):
        extension = entry.recording.original_name.rsplit(".", 1)[-1] if "." in entry.recording.original_name \
            else "audio"
        yield f"{entry.user.username}-{entry.pk}.{extension}", entry.recording
