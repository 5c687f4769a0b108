"""The public showcase: recognised nominations whose nominee consented to publication.

Only the answers marked public are shown (never the phone, never gender or age band), and
pictures only with the consent of the people shown.  Staff can take an entry down.
"""
from django.db.models import Prefetch, Q

from lifelong_xblocks.models.nominations import Nomination, NominationMaterial
from lifelong_xblocks.nominations import forms, states

MAX_ENTRIES = 100
SHOWN = Q(status=states.RECOGNISED, consent_publication=True, taken_down=False)
SHOWCASE_ORDER = ("status_changed_at", "id")


def is_shown(nomination):
    return nomination.status == states.RECOGNISED and nomination.consent_publication and not nomination.taken_down


def shown(usage_key):
    """The nominations the showcase may show, oldest recognition first."""
    return (Nomination.objects.filter(SHOWN, usage_key=usage_key)
            .prefetch_related(Prefetch("materials", queryset=NominationMaterial.objects.select_related("stored_file")))
            .order_by(*SHOWCASE_ORDER)[:MAX_ENTRIES])


def materials_of(nomination):
    """A nomination's materials (with their files), as read with it for the page (see
    nominating.own_and_shown), else by its related manager."""
    loaded = getattr(nomination, "loaded_materials", None)
    return list(loaded) if loaded is not None else list(nomination.materials.all())


def may_show_material(material):
    """True when ``material`` appears in the showcase (anybody may then fetch it)."""
    nomination = material.nomination
    if nomination.status != states.RECOGNISED or not nomination.consent_publication or nomination.taken_down:
        return False
    if material.kind == "image":
        return nomination.consent_portrait
    return material.kind == "video"


def entries(campaign, region_label, nominations=None):
    """Showcase entries as plain data: no contact details of any kind (of ``nominations`` when the
    caller read them already, see nominating.own_and_shown)."""
    found = []
    for nomination in shown(campaign.usage_key) if nominations is None else nominations:
        answers = nomination.form
        skip = {forms.HEADLINE[nomination.category], forms.STORY[nomination.category], "region"}
        public = [(spec.label, forms.shown_value(spec, answers.get(spec.key)))
                  for spec in forms.fields_of(nomination.category)
                  if spec.public and spec.kind != "phone" and spec.key not in skip and answers.get(spec.key)]
        materials = materials_of(nomination)
        found.append({
            "id": nomination.pk,
            "headline": answers.get(forms.HEADLINE[nomination.category], ""),
            "organisation": campaign.organisation_label(nomination.organisation),
            "region": region_label(answers.get("region", "")),
            "story": answers.get(forms.STORY[nomination.category], ""),
            "answers": public,
            "pictures": [m for m in materials if m.kind == "image" and m.stored_file and nomination.consent_portrait],
            "videos": [m for m in materials if m.kind == "video" and m.stored_file],
            "video_links": [m.link for m in materials if m.kind == "video" and m.link],
        })
    return found
