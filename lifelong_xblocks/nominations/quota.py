"""Seats per organisation, counted in the database under a lock.

A submission locks its organisation's :class:`NominationQuota` row, counts the nominations that
hold a seat and only then takes one, all in one transaction: with 5 seats left and 20 submissions
at once, exactly 5 get through.  The row is made to exist first (``ensure_row``; see
``models.rows`` for its first creators racing).
"""
import contextlib

from django.db import transaction
from django.db.models import Count

from lifelong_xblocks.compiled_query import CompiledQuery
from lifelong_xblocks.models.nominations import Nomination, NominationQuota
from lifelong_xblocks.models.rows import ensure_row
from lifelong_xblocks.nominations.states import HOLDS_SEAT


@contextlib.contextmanager
def organisations_locked(usage_key, *organisations):
    """A transaction holding the quota rows of ``organisations`` (locked in a fixed order)."""
    codes = sorted(set(organisations))
    for code in codes:
        ensure_row(NominationQuota, usage_key=usage_key, organisation=code)
    with transaction.atomic():
        list(NominationQuota.objects.select_for_update().filter(usage_key=usage_key, organisation__in=codes)
             .order_by("organisation").values_list("id", flat=True))
        yield


# Asked on every submission and every nominator's page: SQL compiled once per connection.
_SEATS_TAKEN = CompiledQuery(lambda usage_key, organisation: Nomination.objects.filter(
    usage_key=usage_key, organisation=organisation, status__in=HOLDS_SEAT).order_by().values("usage_key")
    .annotate(n=Count("id")).values_list("n"), usage_key=str, organisation=str)
_SEATS_BY_ORGANISATION = CompiledQuery(lambda usage_key: Nomination.objects.filter(
    usage_key=usage_key, status__in=HOLDS_SEAT).order_by().values("organisation").annotate(count=Count("id"))
    .values_list("organisation", "count"), usage_key=str)


def seats_taken(usage_key, organisation):
    rows = _SEATS_TAKEN.rows(usage_key=usage_key, organisation=organisation)
    return rows[0][0] if rows else 0


def seats_by_organisation(usage_key):
    """``{organisation: seats taken}`` in one query."""
    return dict(_SEATS_BY_ORGANISATION.rows(usage_key=usage_key))


def overview(campaign):
    """Every organisation with its seats taken, and whether it is below the minimum or full."""
    taken = seats_by_organisation(campaign.usage_key)
    return [{"code": code, "label": label, "taken": taken.get(code, 0),
             "below_minimum": taken.get(code, 0) < campaign.quota_min,
             "full": taken.get(code, 0) >= campaign.quota_max}
            for code, label in campaign.organisation_choices()]
