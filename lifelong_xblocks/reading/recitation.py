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
        return {"submitted": False, "submitted_at": None, "submissions": 0, "duration": None, "size": None,
                "content_type": None, "consent": False, "featured": False, "in_gallery": False,
                "staff_comment": "", "plays": 0, "likes": 0}
    recording = recitation.recording
    return {
        "submitted": True,
        "submitted_at": recitation.submitted_at.isoformat() if recitation.submitted_at else None,
        "submissions": recitation.submissions,
        "duration": round(recording.duration, 1) if recording.duration is not None else None,
        "size": recording.size,
        "content_type": recording.content_type,
        "consent": recitation.gallery_consent,
        "featured": recitation.featured,
        "in_gallery": recitation.in_gallery,
        "staff_comment": recitation.staff_comment,
        "plays": recitation.play_count,
        "likes": recitation.like_count,
    }
