"""Staff work on recitations: feature or hide with a comment, figures, the list, exports, the ZIP.

Every decision is recorded in the shared moderation log (who, when, what, comment) in the same
transaction as the recitation's own state changes.
"""
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from lifelong_xblocks import moderation
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop
from lifelong_xblocks.models.recitation import Recitation
from lifelong_xblocks.inputs import whole_number
from lifelong_xblocks.reading.recitation_gallery import IN_GALLERY

COMMENT_MAX = 1000
PAGE_SIZE = 20           # submissions per page of the staff list
REPORTED_SIZE = 20       # reported recordings shown at once, most reported first
ACTIONS = ("feature", "unfeature", "hide", "unhide", "dismiss")
# Recording lengths for the staff chart: (label, upper bound in seconds, exclusive).
DURATION_BANDS = ((gettext_noop("under 30 s"), 30), (gettext_noop("30-60 s"), 60), (gettext_noop("1-2 min"), 120),
                  (gettext_noop("2-3 min"), 180), (gettext_noop("3 min or more"), None))


def moderate(usage_key, value, *, actor_id, action, comment=""):
    """Apply a staff ``action`` with an optional comment (shown to the learner); returns the recitation."""
    if action not in ACTIONS:
        raise InvalidInput(_("Choose feature, unfeature, hide, unhide or dismiss."), field="action")
    if comment is not None and not isinstance(comment, str):
        raise InvalidInput(_("The comment must be text."), field="comment")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(_("The comment can be at most {limit} characters long.").format(limit=COMMENT_MAX),
                           field="comment")
    recitation_id = whole_number(value, _("Choose a recording."), "recitation")
    actor = actor_id
    with transaction.atomic():
        recitation = Recitation.objects.select_for_update().filter(usage_key=usage_key, pk=recitation_id).first()
        if recitation is None or recitation.recording_id is None:
            raise Conflict(_("There is no such recording."))
        if action == "feature":
            recitation.featured, recitation.hidden = True, False
            recitation.featured_at = timezone.now()
        elif action == "unfeature":
            recitation.featured, recitation.featured_at = False, None
        elif action == "hide":
            recitation.featured, recitation.featured_at, recitation.hidden = False, None, True
        elif action == "unhide":
            recitation.hidden = False
        if comment:
            recitation.staff_comment = comment
        recitation.save(update_fields=["featured", "featured_at", "hidden", "staff_comment", "modified"])
        moderation.record_action(recitation, actor=actor, action=action, note=comment)
        if action in ("hide", "dismiss"):       # staff looked at the reports: hidden, or kept as it is
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


def open_report_counts(usage_key):
    """``{recitation id: open reports}`` (one query; the staff page shares it)."""
    return moderation.open_flag_counts(usage_key, Recitation)


def staff_page(usage_key, page=1, report_counts=None):
    """One page of submissions, newest first, with their open report counts (a fixed number of
    queries).  ``page`` is clamped to the pages there are."""
    submitted = Recitation.objects.filter(usage_key=usage_key, recording__isnull=False)
    total = submitted.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page_number(page)), pages)
    entries = list(submitted.select_related("recording", "user").order_by("-submitted_at", "-id")
                   [(page - 1) * PAGE_SIZE:page * PAGE_SIZE])
    counts = open_report_counts(usage_key) if report_counts is None else report_counts
    for entry in entries:
        entry.open_reports, entry.reports = counts.get(entry.pk, 0), []   # reasons: in the reported list
    return {"entries": entries, "page": page, "pages": pages, "total": total,
            "first": (page - 1) * PAGE_SIZE + 1 if entries else 0, "last": (page - 1) * PAGE_SIZE + len(entries)}


def page_number(value):
    """A page number sent by the staff page (1 when it sent none)."""
    return whole_number(value, _("Choose a page."), "page")


def reported(usage_key, report_counts, limit=REPORTED_SIZE):
    """The recordings with open reports, most reported first, each with ``reports`` (reason, when)."""
    ids = sorted(report_counts, key=lambda pk: (-report_counts[pk], -pk))[:limit]
    if not ids:
        return []
    entries = {entry.pk: entry for entry in Recitation.objects.filter(usage_key=usage_key, pk__in=ids)
               .select_related("recording", "user")}
    reports = moderation.open_flags(usage_key, Recitation, ids)
    found = []
    for pk in ids:
        if pk in entries:
            entries[pk].reports = reports.get(pk, [])
            entries[pk].open_reports = len(entries[pk].reports)
            found.append(entries[pk])
    return found


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
