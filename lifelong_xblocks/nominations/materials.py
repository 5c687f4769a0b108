"""Materials of a nomination: files stored by the shared upload mechanism, and video links.

The upload is checked and stored first (outside any lock, by ``store``), then linked to the
nomination under its row lock after checking again that it may still change; if it may not
(submitted meanwhile, too many files from two tabs at once), the stored file is deleted again.
"""
from urllib.parse import urlsplit

from django.db import transaction

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.inputs import whole_number
from lifelong_xblocks.models.nominations import NominationMaterial
from lifelong_xblocks.nominations import campaign as campaigns
from lifelong_xblocks.nominations.nominating import get_own, require_editable, require_nominator

PURPOSE = "nomination"


def _rules(campaign, kind):
    rules = campaign.rules_for(kind)
    if rules is None:
        raise InvalidInput(_("This campaign does not take that kind of material."), field="file")
    return rules


def add_file(campaign, person, nomination_id, kind, store):
    """Store an upload with ``store(rules, already_stored)`` and attach it; returns the material."""
    from lifelong_xblocks.uploads import delete_stored  # noqa: PLC0415

    require_nominator(campaign, person)
    nomination = get_own(campaign, person, nomination_id)
    require_editable(campaign, nomination)
    rules = _rules(campaign, kind)
    already = nomination.materials.filter(kind=kind).count()
    if already >= rules.max_count:
        raise InvalidInput(_("At most {count} files of this kind.").format(count=rules.max_count), field="file")
    stored = store(rules, already)
    try:
        with transaction.atomic():
            nomination = get_own(campaign, person, nomination_id, lock=True)
            require_editable(campaign, nomination)
            if nomination.materials.filter(kind=kind).count() >= rules.max_count:
                raise InvalidInput(_("At most {count} files of this kind.").format(count=rules.max_count),
                                   field="file")
            return NominationMaterial.objects.create(nomination=nomination, kind=kind, stored_file=stored)
    except BaseException:
        delete_stored(stored)    # refused, or the database failed: the new file goes (a retry is safe)
        raise


def add_link(campaign, person, nomination_id, url):
    """A video link (https) instead of a video file."""
    require_nominator(campaign, person)
    if not campaign.video_links:
        raise InvalidInput(_("This campaign does not take video links."), field="link")
    url = str(url or "").strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or len(url) > 500 or any(c.isspace() for c in url):
        raise InvalidInput(_("Enter a video link starting with https://."), field="link")
    with transaction.atomic():
        nomination = get_own(campaign, person, nomination_id, lock=True)
        require_editable(campaign, nomination)
        if nomination.materials.exclude(link="").count() >= campaigns.MAX_VIDEO_LINKS:
            raise InvalidInput(_("At most {count} video links.").format(count=campaigns.MAX_VIDEO_LINKS),
                               field="link")
        return NominationMaterial.objects.create(nomination=nomination, kind="video", link=url)


def remove(campaign, person, nomination_id, material_id):
    """Remove one material (and its file) from a nomination that may still change."""
    from lifelong_xblocks.uploads import delete_stored  # noqa: PLC0415

    with transaction.atomic():
        nomination = get_own(campaign, person, nomination_id, lock=True)
        require_editable(campaign, nomination)
        material_id = whole_number(material_id, _("Unknown material."), "material")
        material = nomination.materials.select_related("stored_file").filter(pk=material_id).first()
        if material is None:
            raise InvalidInput(_("Unknown material."))
        stored = material.stored_file
        material.delete()
    if stored is not None:
        delete_stored(stored)


def material_of(usage_key, material_id):
    """The material ``material_id`` of this campaign with its nomination, or None."""
    try:
        material_id = whole_number(material_id, "")
    except InvalidInput:     # not ASCII digits ("١", "²", "-1") or too large for the database
        return None
    return (NominationMaterial.objects.select_related("nomination", "stored_file")
            .filter(pk=material_id, nomination__usage_key=usage_key).first())


def describe(material):
    """``image: photo.jpg (1.2 MB)`` or ``video: https://...``, for lists and exports."""
    from lifelong_xblocks.uploads.rules import size_label  # noqa: PLC0415

    if material.stored_file is None:
        return f"{material.kind}: {material.link}"
    stored = material.stored_file
    return f"{material.kind}: {stored.original_name} ({size_label(stored.size)})"
