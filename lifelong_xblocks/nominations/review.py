"""What reviewers (course staff) do: list and filter, look at one nomination, move it through the
review, comment, score with the rubric, reassign its organisation, take it off the showcase.

The block checks that the caller is staff before calling any of these.
"""
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q

from lifelong_xblocks import moderation
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.inputs import page_number, whole_number
from lifelong_xblocks.models.nominations import Nomination, NominationComment, NominationScore
from lifelong_xblocks.nominations import quota, states
from lifelong_xblocks.nominations.search import query as search_query
from lifelong_xblocks.nominations.search import text_of as search_text
from lifelong_xblocks.nominations.nominating import move

PAGE_SIZE = 20
NOTE_MAX = 2000
SCORE_MAX = 10


def get(campaign, nomination_id, *, lock=False):
    nomination_id = whole_number(nomination_id, _("Unknown nomination."))
    rows = Nomination.objects.filter(pk=nomination_id, usage_key=campaign.usage_key)
    if lock:
        rows = rows.select_for_update()
    nomination = rows.select_related("user").first() if not lock else rows.first()
    if nomination is None:
        raise InvalidInput(_("Unknown nomination."))
    return nomination


def clean_note(note, required=False):
    note = str(note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("At most {limit} characters.").format(limit=NOTE_MAX), field="note")
    if required and not note:
        raise InvalidInput(_("Tell the nominator what to change."), field="note")
    return note


def act(campaign, person, nomination_id, action, note=""):
    """Move a nomination by a staff action; ``return`` needs a note, which the nominator sees."""
    note = clean_note(note, required=action == "return")
    actor = person.user_id
    with transaction.atomic():
        nomination = get(campaign, nomination_id, lock=True)
        transition = states.transition(action, nomination.status, states.STAFF)
        if note and action in ("return", "recommend", "recognise", "not_select"):
            nomination.feedback = note
        return move(nomination, transition, actor, note)


def reassign(campaign, person, nomination_id, organisation):
    """Move a nomination to another organisation; a seat is taken there if it holds one."""
    campaign.check_organisation(organisation)
    actor = person.user_id
    current = get(campaign, nomination_id).organisation
    if current == organisation:
        return get(campaign, nomination_id)
    with quota.organisations_locked(campaign.usage_key, current, organisation):
        nomination = get(campaign, nomination_id, lock=True)
        if nomination.organisation != current:
            raise Conflict(_("The organisation changed meanwhile. Please try again."))
        if nomination.status in states.HOLDS_SEAT and \
                quota.seats_taken(campaign.usage_key, organisation) >= campaign.quota_max:
            raise Conflict(_("Quota reached: {organisation} has no seat left.").format(
                organisation=campaign.organisation_label(organisation)))
        nomination.organisation = organisation
        nomination.search_text = search_text(campaign, nomination.category, organisation, nomination.form)
        nomination.version += 1
        nomination.save(update_fields=["organisation", "search_text", "version", "modified"])
        moderation.record_action(nomination, actor=actor, action="reassign", note=_("{old} → {new}").format(
            old=campaign.organisation_label(current), new=campaign.organisation_label(organisation)))
        return nomination


def set_taken_down(campaign, person, nomination_id, taken_down, note=""):
    note = clean_note(note)
    actor = person.user_id
    with transaction.atomic():
        nomination = get(campaign, nomination_id, lock=True)
        if nomination.taken_down != bool(taken_down):
            nomination.taken_down = bool(taken_down)
            nomination.save(update_fields=["taken_down", "modified"])
            moderation.record_action(nomination, actor=actor, action="take_down" if taken_down else "restore",
                                     note=note)
        return nomination


def add_comment(campaign, person, nomination_id, text):
    text = clean_note(text)
    if not text:
        raise InvalidInput(_("Write a comment first."), field="comment")
    nomination = get(campaign, nomination_id)
    return NominationComment.objects.create(nomination=nomination, author_id=person.user_id, text=text)


def weighted_total(criteria, scores):
    """0-100 from points 0-10 per criterion, weighted."""
    weights = sum(c.weight for c in criteria)
    return round(sum(c.weight * scores[c.key] for c in criteria) / weights * (100 / SCORE_MAX), 2)


def score(campaign, person, nomination_id, scores):
    """Record (or change) this reviewer's points for each criterion of the rubric."""
    criteria = campaign.rubric
    if not criteria:
        raise Conflict(_("This campaign has no rubric."))
    if not isinstance(scores, dict):
        raise InvalidInput(_("Send a score for each criterion."))
    clean, errors = {}, {}
    for criterion in criteria:
        value = scores.get(criterion.key)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= SCORE_MAX:
            errors[criterion.key] = _("{label}: give 0-{max} points.").format(label=criterion.label, max=SCORE_MAX)
        else:
            clean[criterion.key] = value
    if errors:
        from lifelong_xblocks.nominations.nominating import FormInvalid  # noqa: PLC0415
        raise FormInvalid(errors)
    nomination = get(campaign, nomination_id)
    if nomination.status not in states.HOLDS_SEAT:
        raise Conflict(_("Only submitted nominations are scored."))
    total = weighted_total(criteria, clean)
    try:
        with transaction.atomic():
            NominationScore.objects.update_or_create(nomination=nomination, reviewer_id=person.user_id,
                                                     defaults={"scores": clean, "total": total})
    except IntegrityError:
        NominationScore.objects.filter(nomination=nomination, reviewer_id=person.user_id).update(
            scores=clean, total=total)
    return average_score(nomination)


def average_score(nomination):
    found = NominationScore.objects.filter(nomination=nomination).aggregate(avg=Avg("total"), n=Count("id"))
    return {"average": None if found["avg"] is None else round(found["avg"], 2), "reviewers": found["n"]}


def listing(campaign, *, status="", organisation="", category="", search="", page=1):
    """One page of nominations (drafts left out), filtered; returns (rows, total, pages, page)."""
    rows = Nomination.objects.filter(usage_key=campaign.usage_key).exclude(status=states.DRAFT)
    if status in states.STATUSES:
        rows = rows.filter(status=status)
    if organisation:
        rows = rows.filter(organisation=organisation)
    if category:
        rows = rows.filter(category=category)
    words = search_query(search)
    if words:
        rows = rows.filter(Q(search_text__icontains=words) | Q(user__username__icontains=words))
    total = rows.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = page_number(page, pages)
    shown = list(rows.select_related("user").annotate(average=Avg("scores__total"), reviewers=Count("scores"))
                 .order_by("-status_changed_at", "-id")[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])
    return shown, total, pages, page


def status_counts(campaign):
    rows = (Nomination.objects.filter(usage_key=campaign.usage_key).values("status").annotate(count=Count("id")))
    counts = {row["status"]: row["count"] for row in rows}
    return [(status, counts.get(status, 0)) for status in states.STATUSES]


def comments(nomination):
    return list(NominationComment.objects.filter(nomination=nomination).select_related("author"))


def scores(nomination):
    return list(NominationScore.objects.filter(nomination=nomination).select_related("reviewer"))
