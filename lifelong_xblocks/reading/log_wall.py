"""The reading log's club wall: reflections learners chose to share, reported by learners and
moderated by staff through the shared moderation log (``lifelong_xblocks.moderation``)."""
from django.contrib.auth import get_user_model
from django.db import transaction

from lifelong_xblocks import moderation
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.models.moderation import ContentFlag
from lifelong_xblocks.models.reading_log import ReadingCheckIn
from lifelong_xblocks.reading.reading_log import field_error

WALL_SIZE = 20
QUEUE_SIZE = 30
NOTE_MAX = 500


def _user(user_id):
    """A user instance for foreign keys, without loading the row."""
    return get_user_model()(pk=user_id)


def wall(usage_key, viewer_id, size=WALL_SIZE):
    """Others' most recent shared reflections that staff have not hidden (two queries at most).

    Each entry says whether the viewer has already reported it.
    """
    entries = list(ReadingCheckIn.objects.filter(usage_key=usage_key, shared=True, hidden=False)
                   .exclude(reflection="").exclude(user_id=viewer_id)
                   .select_related("user").order_by("-day", "-modified", "-id")[:size])
    reported = set()
    if viewer_id is not None and entries:
        reported = set(ContentFlag.objects.filter(
            reporter_id=viewer_id, subject_type=moderation.subject_type(entries[0]),
            subject_id__in=[entry.pk for entry in entries]).values_list("subject_id", flat=True))
    return [{"id": entry.pk, "username": entry.user.username, "day": entry.day.isoformat(),
             "book_title": entry.book_title, "minutes": entry.minutes, "pages": entry.pages,
             "reflection": entry.reflection, "reported": entry.pk in reported} for entry in entries]


def _wall_entry(usage_key, entry_id, lock=False):
    if isinstance(entry_id, bool) or not isinstance(entry_id, int):
        raise field_error(_("Say which entry you mean."), "entry_id")
    query = ReadingCheckIn.objects.filter(pk=entry_id, usage_key=usage_key, shared=True)
    entry = (query.select_for_update() if lock else query).first()
    if entry is None:
        raise field_error(_("That entry is not on the club wall."), "entry_id")
    return entry


def report(usage_key, entry_id, reporter_id, reason=""):
    """A learner reports a wall entry; reporting it again changes nothing.  True when new."""
    entry = _wall_entry(usage_key, entry_id)
    if entry.user_id == reporter_id:
        raise field_error(_("You cannot report your own entry."), "entry_id")
    return moderation.flag(entry, reporter=_user(reporter_id), reason=reason)


def _note(note, required):
    note = " ".join(str(note or "").split()) if isinstance(note, (str, type(None))) else None
    if note is None:
        raise field_error(_("The note must be text."), "note")
    if required and not note:
        raise field_error(_("Write a short note saying why the entry is hidden."), "note")
    if len(note) > NOTE_MAX:
        raise field_error(_("The note can be at most {limit} characters long.").format(limit=NOTE_MAX), "note")
    return note


def moderate(usage_key, entry_id, actor_id, action, note=""):
    """Staff: ``hide`` (a note is required), ``show`` again, or ``dismiss`` the reports.

    The entry's state, the moderation record and the closing of its open reports change in one
    transaction, so the log and what learners see never disagree.
    """
    if action not in ("hide", "show", "dismiss"):
        raise field_error(_("Unknown moderation action."), "action")
    note = _note(note, required=action == "hide")
    actor = _user(actor_id)
    with transaction.atomic():
        entry = _wall_entry(usage_key, entry_id, lock=True)
        if action in ("hide", "show"):
            entry.hidden = action == "hide"
            entry.save(update_fields=["hidden"])  # not "modified": moderation does not bump the entry
        moderation.record_action(entry, actor=actor, action=action, note=note)
        if action in ("hide", "dismiss"):
            moderation.resolve_flags(entry, actor=actor)
    return entry


def staff_queue(usage_key, size=QUEUE_SIZE):
    """What staff moderate: entries with open reports first, then the most recent shared ones.

    A fixed number of queries whatever the size of the wall.
    """
    open_reports = moderation.open_flag_counts(usage_key, ReadingCheckIn)
    reported_ids = sorted(open_reports, key=lambda pk: (-open_reports[pk], -pk))[:size]
    reported = {entry.pk: entry for entry in ReadingCheckIn.objects.filter(pk__in=reported_ids, usage_key=usage_key)
                .select_related("user")}
    recent = list(ReadingCheckIn.objects.filter(usage_key=usage_key, shared=True).exclude(reflection="")
                  .exclude(pk__in=reported_ids).select_related("user").order_by("-day", "-modified", "-id")[:size])
    entries = [reported[pk] for pk in reported_ids if pk in reported] + recent
    return [{"id": entry.pk, "username": entry.user.username, "day": entry.day.isoformat(),
             "book_title": entry.book_title, "reflection": entry.reflection, "hidden": entry.hidden,
             "open_reports": open_reports.get(entry.pk, 0)} for entry in entries]
