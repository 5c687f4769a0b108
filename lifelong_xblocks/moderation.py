"""One mechanism for moderation in every block: record staff actions, take learners' reports.

Subjects are model instances (a book, a check-in, a recording ...).  The caller changes the
subject's own state (``hidden``, ``featured`` ...) in the same transaction as it records the
action here, so the log and the state never disagree::

    with transaction.atomic():
        book.hidden = True
        book.save(update_fields=["hidden"])
        moderation.record_action(book, actor=user, action="hide", note=reason)
"""
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.models.keys import user_id_of
from lifelong_xblocks.models.moderation import ContentFlag, ModerationAction

REASON_MAX = 500


def subject_type(subject):
    """The name a subject is recorded under: its model's name (``book``, ``checkin`` ...)."""
    return subject._meta.model_name  # pylint: disable=protected-access


def record_action(subject, *, actor, action, note="", course_key=None, usage_key=None):
    """Record that ``actor`` (a user or a user id) did ``action`` to ``subject``; keys default to the
    subject's own."""
    return ModerationAction.objects.create(
        course_key=course_key or subject.course_key,
        usage_key=usage_key or subject.usage_key,
        actor_id=user_id_of(actor), action=action, subject_type=subject_type(subject), subject_id=subject.pk,
        note=str(note or "")[:2000],
    )


def history(subject):
    """The actions on ``subject``, oldest first, with their actors loaded."""
    return list(ModerationAction.objects.filter(subject_type=subject_type(subject), subject_id=subject.pk)
                .select_related("actor"))


def flag(subject, *, reporter, reason=""):
    """Report ``subject`` (``reporter``: a user or a user id); reporting it again is a no-op.
    Returns True when newly reported."""
    reason = str(reason or "").strip()
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("The reason can be at most {limit} characters long.").format(limit=REASON_MAX),
                           field="reason")
    try:
        with transaction.atomic():
            ContentFlag.objects.create(course_key=subject.course_key, usage_key=subject.usage_key,
                                       reporter_id=user_id_of(reporter), subject_type=subject_type(subject),
                                       subject_id=subject.pk, reason=reason)
    except IntegrityError:
        return False
    return True


def open_flag_counts(usage_key, model):
    """``{subject_id: number of unresolved reports}`` for one block and one kind of subject."""
    rows = (ContentFlag.objects.filter(usage_key=usage_key, subject_type=model._meta.model_name,
                                       resolved_at__isnull=True)
            .values("subject_id").annotate(count=Count("id")))
    return {row["subject_id"]: row["count"] for row in rows}


def open_flags(usage_key, model, subject_ids):
    """``{subject_id: [open reports, oldest first]}`` of the given subjects of one block (one query)."""
    found = {}
    for report in (ContentFlag.objects.filter(usage_key=usage_key, subject_type=model._meta.model_name,
                                              subject_id__in=list(subject_ids), resolved_at__isnull=True)
                   .order_by("created", "id")):
        found.setdefault(report.subject_id, []).append(report)
    return found


def resolve_flags(subject, *, actor):
    """Close the open reports on ``subject`` (after staff looked at it).  Returns how many."""
    return ContentFlag.objects.filter(subject_type=subject_type(subject), subject_id=subject.pk,
                                      resolved_at__isnull=True).update(resolved_at=timezone.now(),
                                                                       resolved_by_id=user_id_of(actor))
