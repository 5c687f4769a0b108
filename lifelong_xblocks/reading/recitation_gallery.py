"""The gallery of featured recitations: who may play what, plays, likes and learners' reports.

A recitation is in the gallery only when staff featured it, its learner consented and it is not
hidden.  Counters change with ``F()`` in the same transaction as the like/play row, after the
recitation row is locked: the lock orders concurrent requests (InnoDB would otherwise deadlock
between the foreign-key check's shared lock and the counter update), the unique constraints make
a repeated like or play a no-op.
"""
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q

from lifelong_xblocks import moderation
from lifelong_xblocks.errors import Conflict, InvalidInput, NotAllowed
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.identity import owns, require_owner
from lifelong_xblocks.inputs import whole_number
from lifelong_xblocks.compiled_query import CompiledQuery
from lifelong_xblocks.models.recitation import Recitation, RecitationLike, RecitationPlay

GALLERY_SIZE = 24
# ``__in=[...]``: Django writes ``featured=True`` as a bare ``featured`` (and ``=False`` as ``NOT``),
# which keeps SQLite from using the flags of the gallery index.
IN_GALLERY = Q(featured__in=[True], gallery_consent__in=[True], hidden__in=[False], recording__isnull=False)


# What a gallery entry shows, read as plain values (no model instances: 24 recitations with their
# recording and user were a third of a learner's render).
GALLERY_FIELDS = ("id", "user_id", "user__username", "recording_id", "recording__duration", "play_count",
                  "like_count")


def gallery_query(usage_key, viewer_id=None, limit=GALLERY_SIZE):
    """The newest featured recitations as a ``.values()`` queryset of :data:`GALLERY_FIELDS`, with
    ``liked`` (whether the viewer liked each) when there is a viewer."""
    entries = Recitation.objects.filter(IN_GALLERY, usage_key=usage_key)
    fields = GALLERY_FIELDS
    if viewer_id is not None:
        entries = entries.annotate(liked=Exists(RecitationLike.objects.filter(recitation=OuterRef("pk"),
                                                                             user_id=viewer_id)))
        fields = (*GALLERY_FIELDS, "liked")
    return entries.values(*fields).order_by("-featured_at", "-id")[:limit]


# A signed-in learner's gallery: SQL compiled once per database connection, run with each render's
# values (Django took longer to build the query than the database to answer it).
_GALLERY = CompiledQuery(gallery_query, usage_key=str, viewer_id=int)


def gallery(usage_key, viewer_id=None, limit=GALLERY_SIZE):
    """The newest featured recitations (one query) as dicts of :data:`GALLERY_FIELDS`, each with
    ``liked``: whether the viewer liked it (always False without a viewer)."""
    if viewer_id is None or limit != GALLERY_SIZE:
        rows = list(gallery_query(usage_key, viewer_id, limit))
    else:
        rows = _GALLERY.dicts(usage_key=str(usage_key), viewer_id=viewer_id)
    for row in rows:
        row["liked"] = bool(row.get("liked", False))
    return rows


def gallery_count(usage_key):
    return Recitation.objects.filter(IN_GALLERY, usage_key=usage_key).count()


def _recitation_id(value):
    return whole_number(value, _("Choose a recording."), "recitation")




def playable(usage_key, value, person):
    """The recitation whose recording ``person`` asked for; the same refusal whether it is missing
    or forbidden, so nobody learns which recordings exist."""
    try:
        recitation_id = _recitation_id(value)
    except InvalidInput:
        recitation_id = None
    recitation = None
    if recitation_id is not None:
        recitation = (Recitation.objects.select_related("recording")
                      .filter(usage_key=usage_key, pk=recitation_id).first())
    if recitation is not None and recitation.recording_id is None:
        recitation = None
    # The owner, course staff, and - for gallery recitations - any signed-in learner.
    require_owner(person, recitation and recitation.user_id, _("You cannot play this recording."),
                  staff_too=recitation is not None and person.is_authenticated,
                  public=recitation is not None and person.is_authenticated and recitation.in_gallery)
    return recitation


def _locked_gallery_entry(usage_key, value):
    """Inside a transaction: the gallery recitation, row-locked; refused when not in the gallery."""
    recitation = (Recitation.objects.select_for_update()
                  .filter(usage_key=usage_key, pk=_recitation_id(value)).first())
    if recitation is None or not recitation.in_gallery:
        raise NotAllowed(_("This recording is not in the gallery."))
    return recitation


def set_like(usage_key, value, user_id, liked):
    """Like or unlike a gallery recitation; repeating either is a no-op.  Returns (liked, likes)."""
    if not isinstance(liked, bool):
        raise InvalidInput(_("Say whether you like the recording."), field="liked")
    with transaction.atomic():
        recitation = _locked_gallery_entry(usage_key, value)
        if recitation.user_id == user_id:
            raise Conflict(_("You cannot like your own recording."))
        existing = RecitationLike.objects.filter(recitation=recitation, user_id=user_id)
        if liked and not existing.exists():
            try:
                with transaction.atomic():
                    RecitationLike.objects.create(recitation=recitation, user_id=user_id)
                    Recitation.objects.filter(pk=recitation.pk).update(like_count=F("like_count") + 1)
            except IntegrityError:
                pass   # liked meanwhile (only possible without the row lock, e.g. on SQLite): the same answer
        elif not liked and existing.delete()[0]:
            Recitation.objects.filter(pk=recitation.pk).update(like_count=F("like_count") - 1)
    likes = Recitation.objects.values_list("like_count", flat=True).get(pk=recitation.pk)
    return liked, likes


def count_play(usage_key, value, person):
    """Count a play of a gallery recording: once per learner and recording, never the owner's own
    listening nor staff reviewing.  Returns (counted, plays)."""
    with transaction.atomic():
        recitation = _locked_gallery_entry(usage_key, value)
        counted = False
        if not owns(person, recitation.user_id) and not person.is_staff and not RecitationPlay.objects.filter(
                recording_id=recitation.recording_id, user_id=person.user_id).exists():
            try:
                with transaction.atomic():
                    RecitationPlay.objects.create(recitation=recitation, recording_id=recitation.recording_id,
                                                  user_id=person.user_id)
                    Recitation.objects.filter(pk=recitation.pk).update(play_count=F("play_count") + 1)
                counted = True
            except IntegrityError:
                pass
    plays = Recitation.objects.values_list("play_count", flat=True).get(pk=recitation.pk)
    return counted, plays


def report(usage_key, value, user_id, reason):
    """A learner reports a gallery recitation to staff (once per learner).  Returns True when new."""
    recitation = Recitation.objects.filter(IN_GALLERY, usage_key=usage_key, pk=_recitation_id(value)).first()
    if recitation is None:
        raise NotAllowed(_("This recording is not in the gallery."))
    if recitation.user_id == user_id:
        raise Conflict(_("You cannot report your own recording."))
    return moderation.flag(recitation, reporter=user_id, reason=reason)
