"""Recitations: a learner's recording of the passage, replaced on re-submission, and their consent.

The file itself goes through :mod:`lifelong_xblocks.uploads` (sniffed, measured, stored under a
server-made name).  Here: linking it to the learner's row, replacing the previous one without
losing data, and the learner's gallery consent.
"""
from django.db import transaction
from django.utils import timezone

from lifelong_xblocks import uploads
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.compiled_query import CompiledQuery
from lifelong_xblocks.models.recitation import Recitation
from lifelong_xblocks.models.rows import ensure_row

PURPOSE = "recitation"


def get_recitation(usage_key, user_id):
    """The learner's recitation row (with its recording), or ``None`` before they submit."""
    if user_id is None:
        return None
    return Recitation.objects.select_related("recording").filter(usage_key=usage_key, user_id=user_id).first()


def parse_consent(value):
    """The consent box of the submission form: ``"1"``/``"0"`` (multipart) or a JSON boolean."""
    if isinstance(value, bool):
        return value
    if value in ("1", "true", "on"):
        return True
    if value in (None, "", "0", "false", "off"):
        return False
    raise InvalidInput(_("The gallery consent must be yes or no."), field="consent")


def submit(upload, rules, *, course_key, usage_key, user_id, by_staff, consent, now=None):
    """Store ``upload`` as the learner's recording, replacing the previous one.

    The new file is checked and stored first (outside any lock); only when it is accepted is it
    linked to the learner's row, and only after that is committed is the old file deleted.  A
    refused upload therefore changes nothing, and a failure after storing removes the new file.
    A new recording goes back to review: it leaves the gallery until staff feature it again,
    and its plays start from zero (likes stay with the learner's entry).  The same bytes sent again
    with the same consent (a phone retrying an upload whose answer it lost) change nothing: the
    copy just stored is removed and the recording keeps its place in the gallery and its plays.
    """
    now = now or timezone.now()
    stored = uploads.save_upload(upload, rules, course_key=course_key, usage_key=usage_key, user=user_id,
                                 by_staff=by_staff, purpose=PURPOSE)
    try:
        ensure_row(Recitation, {"course_key": course_key, "by_staff": by_staff}, usage_key=usage_key,
                   user_id=user_id)
        with transaction.atomic():
            recitation = Recitation.objects.select_for_update().get(usage_key=usage_key, user_id=user_id)
            previous_id = recitation.recording_id
            retried = previous_id is not None and consent == recitation.gallery_consent and type(stored).objects \
                .filter(pk=previous_id, sha256=stored.sha256).exists()
            if not retried:
                recitation.recording = stored
                recitation.submitted_at = now
                recitation.submissions += 1
                if consent != recitation.gallery_consent:
                    recitation.gallery_consent = consent
                    recitation.consent_changed_at = now
                recitation.featured, recitation.featured_at, recitation.hidden = False, None, False
                recitation.play_count = 0
                recitation.save()
    except BaseException:
        uploads.delete_stored(stored)
        raise
    if retried:
        uploads.delete_stored(stored)
    elif previous_id is not None and previous_id != stored.pk:
        previous = type(stored).objects.filter(pk=previous_id).first()
        if previous is not None:
            uploads.delete_stored(previous)   # its plays go with it (cascade)
    return recitation


def set_consent(usage_key, user_id, consent, now=None):
    """Give or withdraw gallery consent; withdrawing takes the recording out of the gallery at once."""
    if not isinstance(consent, bool):
        raise InvalidInput(_("The gallery consent must be yes or no."), field="consent")
    changed = Recitation.objects.filter(usage_key=usage_key, user_id=user_id, recording__isnull=False).update(
        gallery_consent=consent, consent_changed_at=now or timezone.now())
    if not changed:
        raise Conflict(_("Submit a recording first."))
    return get_recitation(usage_key, user_id)


def learner_summary(recitation):
    """The learner's own state, as the page, the mobile app and the handlers report it."""
    if recitation is None or recitation.recording_id is None:
        return _summary(None)
    recording = recitation.recording
    return _summary({
        "recording_id": recitation.recording_id, "submitted_at": recitation.submitted_at,
        "submissions": recitation.submissions, "recording__duration": recording.duration,
        "recording__size": recording.size, "recording__content_type": recording.content_type,
        "gallery_consent": recitation.gallery_consent, "featured": recitation.featured, "hidden": recitation.hidden,
        "staff_comment": recitation.staff_comment, "play_count": recitation.play_count,
        "like_count": recitation.like_count,
    })


def _summary(row):
    """:func:`learner_summary` of a recitation read as values (:data:`OWN_FIELDS`), ``None`` when there is none."""
    if row is None or row["recording_id"] is None:
        return {"submitted": False, "submitted_at": None, "submissions": 0, "duration": None, "size": None,
                "content_type": None, "consent": False, "featured": False, "in_gallery": False,
                "staff_comment": "", "plays": 0, "likes": 0}
    duration = row["recording__duration"]
    return {
        "submitted": True,
        "submitted_at": row["submitted_at"].isoformat() if row["submitted_at"] else None,
        "submissions": row["submissions"],
        "duration": round(duration, 1) if duration is not None else None,
        "size": row["recording__size"],
        "content_type": row["recording__content_type"],
        "consent": row["gallery_consent"],
        "featured": row["featured"],
        "in_gallery": Recitation.is_shown(row["recording_id"], row["featured"], row["gallery_consent"], row["hidden"]),
        "staff_comment": row["staff_comment"],
        "plays": row["play_count"],
        "likes": row["like_count"],
    }


# What the learner's page reads of their recitation and its recording.
OWN_FIELDS = ("id", "recording_id", "submitted_at", "submissions", "recording__duration", "recording__size",
              "recording__content_type", "gallery_consent", "featured", "hidden", "staff_comment", "play_count",
              "like_count")


def own_query(usage_key, user_id):
    """The learner's recitation with its recording, as a ``.values()`` queryset of :data:`OWN_FIELDS`."""
    return Recitation.objects.filter(usage_key=usage_key, user_id=user_id).values(*OWN_FIELDS).order_by("id")[:1]


# SQL compiled once per database connection, run with each render's values (building the query took
# Django longer than the database took to answer it).
_OWN = CompiledQuery(own_query, usage_key=str, user_id=int)


def own_recitation(usage_key, user_id):
    """``(summary, id)`` for the learner's page in one query, read as values: :func:`learner_summary`
    of their recitation, and its id when it has a recording (else ``None``)."""
    if user_id is None:
        return _summary(None), None
    rows = _OWN.dicts(usage_key=str(usage_key), user_id=user_id)
    row = rows[0] if rows else None
    return _summary(row), (row["id"] if row is not None and row["recording_id"] is not None else None)
