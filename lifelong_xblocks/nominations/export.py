"""Staff exports: every nomination as spreadsheet rows, and every material for one ZIP.

Rows are read in chunks, so a campaign of any size is exported in constant memory.  The staff
export is the one place (besides the staff detail view) with the full phone number.
"""
import re

from django.db.models import Avg, Prefetch

from lifelong_xblocks import clock
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.models.nominations import Nomination, NominationMaterial
from lifelong_xblocks.nominations import forms, states
from lifelong_xblocks.nominations.materials import describe

CHUNK = 200
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _nominations(campaign):
    return (Nomination.objects.filter(usage_key=campaign.usage_key).exclude(status=states.DRAFT)
            .select_related("user").annotate(average=Avg("scores__total"))
            .prefetch_related(Prefetch("materials", queryset=NominationMaterial.objects.select_related("stored_file")))
            .order_by("organisation", "id").iterator(chunk_size=CHUNK))


def header(campaign):
    return [_("Nomination"), _("Status"), _("Organisation"), _("Category"), _("Nominator"), _("Made by staff"),
            *[_(spec.label) for spec in forms.fields_of(campaign.category)],
            _("Consent to publication"), _("Consent for pictures"), _("Submitted at"), _("Average score"),
            _("Feedback"), _("Taken down from the showcase"), _("Materials")]


def rows(campaign):
    for nomination in _nominations(campaign):
        answers = [nomination.phone if spec.kind == "phone" else forms.shown_value(spec, nomination.form.get(spec.key))
                   for spec in forms.fields_of(campaign.category)]
        yield [nomination.pk, _(states.STATUS_LABELS.get(nomination.status, nomination.status)),
               campaign.organisation_label(nomination.organisation), nomination.category, nomination.user.username,
               _("yes") if nomination.by_staff else "", *answers,
               _("yes") if nomination.consent_publication else _("no"),
               _("yes") if nomination.consent_portrait else _("no"),
               clock.format_local(nomination.submitted_at, campaign.zone_name),
               "" if nomination.average is None else round(nomination.average, 2),
               nomination.feedback, _("yes") if nomination.taken_down else "",
               "; ".join(describe(material) for material in nomination.materials.all())]


def safe_name(text, fallback):
    """A file or folder name for the ZIP: no path separators, no control characters, not too long."""
    name = UNSAFE_IN_NAME.sub("_", str(text or "")).strip(" .")[:80]
    return name or fallback


def zip_entries(campaign):
    """``(arcname, StoredFile)`` for every material: ``organisation/number-headline/number-file``."""
    for nomination in _nominations(campaign):
        folder = "{}/{}-{}".format(safe_name(campaign.organisation_label(nomination.organisation), "organisation"),
                                   nomination.pk, safe_name(nomination.headline, "nomination"))
        for material in nomination.materials.all():
            if material.stored_file is not None:
                yield (f"{folder}/{material.pk}-{safe_name(material.stored_file.original_name, 'file')}",
                       material.stored_file)
