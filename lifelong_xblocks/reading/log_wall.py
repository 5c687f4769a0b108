"""The reading log's club wall: reflections learners chose to share, reported by learners and
moderated by staff through the shared moderation log (``lifelong_xblocks.moderation``).

Two choices put a reflection on the wall: the learner joined the wall (``ReadingWallMember``,
off until they opt in) and shared that day's reflection.  Leaving the wall takes every one of
the learner's reflections off it at once, and they stay off if the learner joins again.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef

from lifelong_xblocks import moderation
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.compiled_query import CompiledQuery, CompiledUnion
from lifelong_xblocks.models.moderation import ContentFlag
from lifelong_xblocks.models.reading_log import ReadingCheckIn, ReadingWallMember
from lifelong_xblocks.models.rows import ensure_row

WALL_SIZE = 20
QUEUE_SIZE = 30
NOTE_MAX = 500



def is_member(usage_key, user_id):
    """Whether the learner takes part in the club wall (one query)."""
    if user_id is None:
        return False
    return ReadingWallMember.objects.filter(usage_key=usage_key, user_id=user_id, sharing=True).exists()


def set_sharing(course_key, usage_key, user_id, sharing, by_staff=False):
    """Join the club wall (``sharing`` True) or leave it; leaving un-shares all the learner's
    reflections in the same transaction.  Returns the new state.

    Locks the membership row, then the learner's check-ins: the same order as ``check_in``.
    """
    if not isinstance(sharing, bool):
        raise InvalidInput(_("Sharing must be on or off."), field="sharing")
    lookup = {"usage_key": usage_key, "user_id": user_id}
    ensure_row(ReadingWallMember, {"course_key": course_key, "by_staff": by_staff}, **lookup)
    with transaction.atomic():
        member = ReadingWallMember.objects.select_for_update().get(**lookup)
        if member.sharing != sharing:
            member.sharing = sharing
            member.save(update_fields=["sharing", "modified"])
        if not sharing:
            ReadingCheckIn.objects.filter(**lookup, shared=True).update(shared=False)
    return sharing


def _members(usage_key):
    """The learners on the wall, as a subquery (no query of its own)."""
    return ReadingWallMember.objects.filter(usage_key=usage_key, sharing=True).values("user_id")


def on_the_wall(usage_key):
    """Check-ins shown on the wall: shared by a member, not hidden, with a reflection."""
    # ``__in=[...]``: Django writes ``shared=True`` as a bare ``shared`` and ``hidden=False`` as ``NOT
    # hidden``, which kept SQLite off the (usage_key, shared, hidden, day) index (4 ms at 10,000).
    return (ReadingCheckIn.objects.filter(usage_key=usage_key, shared__in=[True], hidden__in=[False],
                                          user_id__in=_members(usage_key)).exclude(reflection=""))


WALL_FIELDS = ("id", "user__username", "day", "book_title", "minutes", "pages", "reflection", "reported")


def wall_query(usage_key, viewer_id, size=WALL_SIZE):
    """Others' most recent reflections on the wall as a ``.values()`` queryset of :data:`WALL_FIELDS`."""
    reported = ContentFlag.objects.filter(reporter_id=viewer_id, subject_type=moderation.subject_type(ReadingCheckIn),
                                          subject_id=OuterRef("pk"))
    return (on_the_wall(usage_key).exclude(user_id=viewer_id).annotate(reported=Exists(reported))
            .order_by("-day", "-modified", "-id").values(*WALL_FIELDS)[:size])


# The wall of a signed-in learner: SQL compiled once per database connection (Django took longer to
# build and compile the query than the database to answer it), run with each render's values.
_WALL = CompiledQuery(wall_query, usage_key=str, viewer_id=int)


def wall(usage_key, viewer_id, size=WALL_SIZE):
    """Others' most recent reflections on the wall, at most ``size``, in one query (read as plain
    values: no model instances).

    Each entry says whether the viewer has already reported it.
    """
    if viewer_id is None or size != WALL_SIZE:
        rows = wall_query(usage_key, viewer_id, size)
    else:
        rows = _WALL.dicts(usage_key=str(usage_key), viewer_id=viewer_id)
    return [_wall_entry_shown(row) for row in rows]


# ---- the learner's own log and the wall in one statement ------------------------------------------
# Both parts read the same columns of ReadingCheckIn (annotations last, so that Django 4.2 and 5.2 put
# them in the same order); ``member`` rides on every row, so the learner's membership is known whenever
# either part has a row.
LOG_AND_WALL_FIELDS = ("id", "day", "minutes", "pages", "book_id", "book_title", "reflection", "shared", "hidden",
                       "modified", "user_id", "user__username", "reported", "member")


def _log_and_wall_columns(queryset, usage_key, viewer_id):
    reported = ContentFlag.objects.filter(reporter_id=viewer_id, subject_type=moderation.subject_type(ReadingCheckIn),
                                          subject_id=OuterRef("pk"))
    member = ReadingWallMember.objects.filter(usage_key=usage_key, user_id=viewer_id, sharing=True)
    return queryset.annotate(reported=Exists(reported), member=Exists(member)).values(*LOG_AND_WALL_FIELDS)


def own_log_part(usage_key, viewer_id):
    """Every check-in of the viewer in the block (their days and today's entry)."""
    return _log_and_wall_columns(ReadingCheckIn.objects.filter(usage_key=usage_key, user_id=viewer_id),
                                 usage_key, viewer_id).order_by()


def wall_part(usage_key, viewer_id, size=WALL_SIZE):
    """Others' latest ``size`` reflections on the wall (what :func:`wall` shows)."""
    return _log_and_wall_columns(on_the_wall(usage_key).exclude(user_id=viewer_id), usage_key, viewer_id) \
        .order_by("-day", "-modified", "-id")[:size]


_USER_ID_COLUMN = LOG_AND_WALL_FIELDS.index("user_id")
_LOG_AND_WALL = CompiledUnion(
    (own_log_part, wall_part), lambda row, usage_key, viewer_id: 0 if row[_USER_ID_COLUMN] == viewer_id else 1,
    LOG_AND_WALL_FIELDS, usage_key=str, viewer_id=int)


def log_and_wall(usage_key, viewer_id):
    """``(own rows, wall, member)`` in ONE query for a signed-in learner's page: their check-ins (dicts of
    :data:`LOG_AND_WALL_FIELDS`, oldest day first), :func:`wall` (the same entries), and whether they
    take part in the wall (``None`` when neither part has a row: ask :func:`is_member` then)."""
    own, others = _LOG_AND_WALL.dicts(usage_key=str(usage_key), viewer_id=viewer_id)
    own.sort(key=lambda row: row["day"])
    others.sort(key=lambda row: (row["day"], row["modified"], row["id"]), reverse=True)
    member = bool((own or others)[0]["member"]) if own or others else None
    return own, [_wall_entry_shown(row) for row in others], member


def _wall_entry_shown(row):
    return {"id": row["id"], "username": row["user__username"], "day": row["day"].isoformat(),
            "book_title": row["book_title"], "minutes": row["minutes"], "pages": row["pages"],
            "reflection": row["reflection"], "reported": bool(row["reported"])}


def _wall_entry(usage_key, entry_id, for_staff=False):
    """The entry a learner reports (it must be on the wall), or that staff moderate, locked: any
    check-in of the block with a reflection (reported, then taken off the wall by its author, it
    still has reports to close)."""
    if isinstance(entry_id, bool) or not isinstance(entry_id, int):
        raise InvalidInput(_("Say which entry you mean."), field="entry_id")
    if for_staff:
        query = ReadingCheckIn.objects.select_for_update().filter(usage_key=usage_key).exclude(reflection="")
    else:
        query = on_the_wall(usage_key)
    entry = query.filter(pk=entry_id).first()
    if entry is None:
        raise InvalidInput(_("That entry is not on the club wall."), field="entry_id")
    return entry


def report(usage_key, entry_id, reporter_id, reason=""):
    """A learner reports a wall entry; reporting it again changes nothing.  True when new."""
    entry = _wall_entry(usage_key, entry_id)
    if entry.user_id == reporter_id:
        raise InvalidInput(_("You cannot report your own entry."), field="entry_id")
    return moderation.flag(entry, reporter=reporter_id, reason=reason)


def _note(note, required):
    note = " ".join(str(note or "").split()) if isinstance(note, (str, type(None))) else None
    if note is None:
        raise InvalidInput(_("The note must be text."), field="note")
    if required and not note:
        raise InvalidInput(_("Write a short note saying why the entry is hidden."), field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("The note can be at most {limit} characters long.").format(limit=NOTE_MAX), field="note")
    return note


def moderate(usage_key, entry_id, actor_id, action, note=""):
    """Staff: ``hide`` (a note is required), ``show`` again, or ``dismiss`` the reports.

    The entry's state, the moderation record and the closing of its open reports change in one
    transaction, so the log and what learners see never disagree.
    """
    if action not in ("hide", "show", "dismiss"):
        raise InvalidInput(_("Unknown moderation action."), field="action")
    note = _note(note, required=action == "hide")
    actor = actor_id
    with transaction.atomic():
        entry = _wall_entry(usage_key, entry_id, for_staff=True)
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
    recent = list(ReadingCheckIn.objects.filter(usage_key=usage_key, shared=True, user_id__in=_members(usage_key))
                  .exclude(reflection="").exclude(pk__in=reported_ids).select_related("user").order_by("-day", "-modified", "-id")[:size])
    entries = [reported[pk] for pk in reported_ids if pk in reported] + recent
    return [{"id": entry.pk, "username": entry.user.username, "day": entry.day.isoformat(),
             "book_title": entry.book_title, "reflection": entry.reflection, "hidden": entry.hidden,
             "open_reports": open_reports.get(entry.pk, 0)} for entry in entries]
