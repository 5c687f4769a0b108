"""What nominators do: start a nomination, save drafts, submit, resubmit, withdraw, delete.

Every status change is recorded in the shared moderation log with its actor and time, in the
same transaction as the change.  Server time decides the deadline.
"""
from django.db import router, transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from lifelong_xblocks import moderation
from lifelong_xblocks.errors import Conflict, InvalidInput, NotAllowed
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.identity import require_owner
from lifelong_xblocks.inputs import whole_number
from lifelong_xblocks.compiled_query import CompiledQuery
from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.models.nominations import Nomination, NominationMaterial
from lifelong_xblocks.nominations import forms, quota, search, showcase, states

MAX_NOMINATIONS_PER_PERSON = 20


class FormInvalid(InvalidInput):
    """Several fields are wrong: ``fields`` maps each to its translated message."""

    def __init__(self, fields, message=None):
        fields = dict(fields)
        super().__init__(message or _("Please correct the marked fields."), field=next(iter(fields), None),
                         fields=fields)


def _wanted(usage_key, user_id):
    # The block's key inside each branch of the OR: SQLite then reads each branch by its own index
    # (user; status) instead of scanning the block's nominations (24 ms at 10,000).
    shown = Q(showcase.SHOWN, usage_key=usage_key)
    return Q(usage_key=usage_key, user_id=user_id) | shown if user_id is not None else shown


def _in_model_order(model, names):
    """``names`` in the order of ``model``'s fields, as ``Model.from_db`` takes the values."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


# What the page reads of a nomination (not its search text) and of a material and its file.
PAGE_FIELDS = tuple(f.attname for f in Nomination._meta.concrete_fields if f.attname != "search_text")
MATERIAL_FIELDS = _in_model_order(NominationMaterial, {"id", "nomination_id", "kind", "stored_file_id", "link",
                                                       "created"})
FILE_FIELDS = _in_model_order(StoredFile, {"id", "original_name", "size", "content_type"})


def _page_nominations(usage_key, user_id):
    seats = (Nomination.objects.filter(usage_key=OuterRef("usage_key"), organisation=OuterRef("organisation"),
                                       status__in=states.HOLDS_SEAT)
             .values("organisation").annotate(taken=Count("id")).values("taken"))
    return (Nomination.objects.filter(_wanted(usage_key, user_id))
            .annotate(seats_taken=Case(When(status__in=states.EDITABLE, then=Coalesce(Subquery(seats), 0)),
                                       default=Value(0)))
            .order_by(*showcase.SHOWCASE_ORDER).values(*PAGE_FIELDS, "seats_taken"))


def _page_materials(usage_key, user_id):
    return (NominationMaterial.objects
            .filter(nomination__in=Nomination.objects.filter(_wanted(usage_key, user_id)).values("id"))
            .order_by("id").values(*MATERIAL_FIELDS, *(f"stored_file__{name}" for name in FILE_FIELDS if name != "id")))


PAGE_QUERIES = (CompiledQuery(_page_nominations, usage_key=str, user_id=int),
                CompiledQuery(_page_materials, usage_key=str, user_id=int))


def own_and_shown(campaign, user_id):
    """``(the user's nominations, the showcase's)`` for the page, in two queries whatever the data:
    one for both sets, one for their materials (each nomination's in ``showcase.materials_of``),
    both compiled once per database connection (see ``compiled_query``).  The showcase holds
    recognised nominations only, which the quotas bound.

    Each of the user's editable nominations (a draft, or returned for changes) carries
    ``seats_taken`` of its organisation, the figure its form shows; the others carry 0 without
    counting (a submitted nomination's page shows no figure, and counting an organisation's seats
    reads each of them)."""
    if user_id is None:      # the anonymous showcase: compiled once more, for its own shape
        rows, materials = list(_page_nominations(campaign.usage_key, None)), \
            list(_page_materials(campaign.usage_key, None))
    else:
        rows, materials = (query.dicts(usage_key=campaign.usage_key, user_id=user_id) for query in PAGE_QUERIES)
    db = router.db_for_read(Nomination)
    found = {}
    for row in rows:
        nomination = Nomination.from_db(db, PAGE_FIELDS, [row[name] for name in PAGE_FIELDS])
        nomination.seats_taken = row["seats_taken"]
        nomination.loaded_materials = []
        found[nomination.pk] = nomination
    for row in materials:
        material = NominationMaterial.from_db(db, MATERIAL_FIELDS, [row[name] for name in MATERIAL_FIELDS])
        if row["stored_file_id"] is not None:
            material.stored_file = StoredFile.from_db(db, FILE_FIELDS, [
                row["stored_file_id"] if name == "id" else row[f"stored_file__{name}"] for name in FILE_FIELDS])
        else:
            material.stored_file = None
        nomination = found.get(row["nomination_id"])
        if nomination is not None:
            material.nomination = nomination
            nomination.loaded_materials.append(material)
    ordered = list(found.values())
    own = sorted((row for row in ordered if user_id is not None and row.user_id == user_id), key=lambda row: row.pk)
    return own, [row for row in ordered if showcase.is_shown(row)][:showcase.MAX_ENTRIES]


# A nomination by id (locked, inside a transaction, for a change): SQL compiled once per connection.
_OWN = CompiledQuery(lambda nomination_id, usage_key: Nomination.objects.filter(
    pk=nomination_id, usage_key=usage_key)[:1], nomination_id=int, usage_key=str)
_OWN_LOCKED = CompiledQuery(lambda nomination_id, usage_key: Nomination.objects.select_for_update().filter(
    pk=nomination_id, usage_key=usage_key)[:1], nomination_id=int, usage_key=str)


def get_own(campaign, person, nomination_id, *, lock=False):
    """The user's own nomination ``nomination_id``; anybody else's (or a missing one) is refused the
    same way (403 "Unknown nomination."), by the package's one ownership check."""
    nomination_id = whole_number(nomination_id, _("Unknown nomination."))
    nomination = (_OWN_LOCKED if lock else _OWN).first(nomination_id=nomination_id, usage_key=campaign.usage_key)
    require_owner(person, nomination and nomination.user_id, _("Unknown nomination."))
    return nomination


def require_nominator(campaign, person):
    if not campaign.may_nominate(person):
        raise NotAllowed(_("You are not among those who may nominate in this campaign."))


def start(campaign, person, organisation):
    """A new draft for ``organisation`` (while the campaign is open)."""
    require_nominator(campaign, person)
    campaign.require_open()
    campaign.check_organisation(organisation)
    if Nomination.objects.filter(usage_key=campaign.usage_key, user_id=person.user_id) \
            .exclude(status=states.WITHDRAWN).count() >= MAX_NOMINATIONS_PER_PERSON:
        raise Conflict(_("You can have at most {limit} nominations here.").format(limit=MAX_NOMINATIONS_PER_PERSON))
    return Nomination.objects.create(course_key=campaign.course_key, usage_key=campaign.usage_key,
                                     user_id=person.user_id, by_staff=person.is_staff, organisation=organisation,
                                     category=campaign.category,
                                     search_text=search.text_of(campaign, campaign.category, organisation, {}))


def require_editable(campaign, nomination):
    campaign.require_open()
    if nomination.status not in states.EDITABLE:
        raise Conflict(_("A submitted nomination cannot be changed unless it is returned for changes."))


def headline_of(category, answers):
    return str(answers.get(forms.HEADLINE[category], ""))[:100]


def save_draft(campaign, person, nomination_id, data):
    """Save what the nominator typed so far (autosave).  All or nothing; stale versions are refused.

    ``data``: ``{"version": n, "answers": {...}, "organisation": code, "consent_publication": bool,
    "consent_portrait": bool}`` (all but ``version`` optional).  Returns the saved nomination.
    """
    nomination = get_own(campaign, person, nomination_id)
    require_editable(campaign, nomination)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput(_("The request must say which version it changes."))
    answers, phone, errors = forms.clean_answers(nomination.category, data.get("answers") or {})
    changes = {}
    organisation = data.get("organisation")
    if organisation is not None and organisation != nomination.organisation:
        if nomination.submitted_at is not None:
            errors["organisation"] = _("The organisation is fixed after the first submission; "
                                       "ask the reviewers to reassign it.")
        elif organisation not in dict(campaign.organisations):
            errors["organisation"] = _("Choose an organisation from the list.")
        else:
            changes["organisation"] = organisation
    if errors:
        raise FormInvalid(errors)
    merged = {**nomination.form, **answers}
    changes.update(form=merged, headline=headline_of(nomination.category, merged),
                   search_text=search.text_of(campaign, nomination.category,
                                              changes.get("organisation", nomination.organisation), merged))
    if phone is not None:
        changes["phone"] = phone
    for consent in ("consent_publication", "consent_portrait"):
        if consent in data:
            changes[consent] = bool(data[consent])
    updated = Nomination.objects.filter(pk=nomination.pk, version=version, status__in=states.EDITABLE).update(
        version=F("version") + 1, modified=timezone.now(), **changes)
    if not updated:
        raise Conflict(_("This nomination was changed in another window. Reload to see the latest version."))
    return Nomination.objects.get(pk=nomination.pk)


def problems_of(campaign, nomination):
    """``{field: message}`` of what still keeps ``nomination`` from being submitted."""
    kinds = list(nomination.materials.values_list("kind", flat=True))
    return forms.submission_errors(
        nomination.category, nomination.form, nomination.phone, campaign.required, materials=kinds,
        consent_publication=nomination.consent_publication, consent_portrait=nomination.consent_portrait,
        has_images="image" in kinds)



def move(nomination, transition, actor, note=""):
    """Apply ``transition`` to a locked ``nomination`` and record it (inside the caller's transaction)."""
    now = timezone.now()
    nomination.status = transition.target
    nomination.status_changed_at = now
    if transition.action == "submit" and nomination.submitted_at is None:
        nomination.submitted_at = now
    nomination.version += 1
    nomination.save(update_fields=["status", "status_changed_at", "submitted_at", "version", "feedback",
                                   "organisation", "modified"])
    moderation.record_action(nomination, actor=actor, action=transition.action, note=note)
    return nomination


def submit(campaign, person, nomination_id, read=None):
    """Submit a draft: checked in full, then counted against its organisation's quota under a lock.

    Refused submissions (quota reached, closed, incomplete) change nothing: the draft stays.
    Submitting again what is already submitted (a phone retrying a request whose answer it lost)
    changes nothing either and answers as the first submission did.  ``read``: the nomination as
    the caller read it (by :func:`get_own`, unlocked), to know which quota row to lock first.
    """
    require_nominator(campaign, person)
    organisation = (read or get_own(campaign, person, nomination_id)).organisation
    actor = person.user_id
    with quota.organisations_locked(campaign.usage_key, organisation):
        nomination = get_own(campaign, person, nomination_id, lock=True)
        if nomination.status == states.SUBMITTED:
            return nomination
        transition = states.transition("submit", nomination.status, states.NOMINATOR)
        campaign.require_open()
        if nomination.organisation != organisation:
            raise Conflict(_("The organisation changed meanwhile. Please try again."))
        campaign.check_organisation(organisation)
        require_complete(campaign, nomination)
        if quota.seats_taken(campaign.usage_key, organisation) >= campaign.quota_max:
            raise Conflict(_("Quota reached: {organisation} has already submitted {count} nominations, the "
                             "most allowed. Your draft is kept.").format(
                organisation=campaign.organisation_label(organisation), count=campaign.quota_max))
        return move(nomination, transition, actor)


def require_complete(campaign, nomination):
    errors = problems_of(campaign, nomination)
    if errors:
        raise FormInvalid(errors, _("The nomination is not complete yet; see the marked fields."))


def _own_move(campaign, person, nomination_id, action, before=None):
    """Take the nominator's ``action`` on their locked nomination while the campaign is open."""
    actor = person.user_id
    with transaction.atomic():
        nomination = get_own(campaign, person, nomination_id, lock=True)
        transition = states.transition(action, nomination.status, states.NOMINATOR)
        campaign.require_open()
        if before:
            before(nomination)
        return move(nomination, transition, actor)


def resubmit(campaign, person, nomination_id):
    """Send a nomination returned for changes back to the reviewers (it keeps its seat)."""
    def answered(nomination):
        require_complete(campaign, nomination)
        nomination.feedback = ""      # answered; the request stays in the history

    return _own_move(campaign, person, nomination_id, "resubmit", answered)


def withdraw(campaign, person, nomination_id):
    """Withdraw before the deadline; the seat is free again."""
    return _own_move(campaign, person, nomination_id, "withdraw")


def delete(nomination, allowed=states.DELETABLE):
    """Delete a draft or a withdrawn nomination (statuses ``allowed``) together with its files."""
    from lifelong_xblocks.uploads import delete_stored  # noqa: PLC0415 (storage only when deleting)

    with transaction.atomic():
        locked = Nomination.objects.select_for_update().filter(pk=nomination.pk).first()
        if locked is None:
            return
        if locked.status not in allowed:
            raise Conflict(_("Only drafts and withdrawn nominations can be deleted.") if allowed == states.DELETABLE
                           else _("Only withdrawn nominations can be deleted."))
        files = [m.stored_file for m in locked.materials.select_related("stored_file") if m.stored_file]
        locked.delete()
    for stored in files:
        delete_stored(stored)


def delete_own(campaign, person, nomination_id):
    delete(get_own(campaign, person, nomination_id))
