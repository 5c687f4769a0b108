"""One campaign's settings as the domain needs them, built from the block's fields.

The block keeps what authors type (strings, lists); :class:`Campaign` is the checked,
typed view of it, and :func:`problems` lists what is wrong with it for Studio.
"""
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from lifelong_xblocks import clock
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.profiles.regions import regions
from lifelong_xblocks.uploads.rules import UploadRules, megabytes, site_max_bytes, size_label

CATEGORIES = {
    "learning_star": N_("Learning star"),
    "brand_project": N_("Lifelong-learning brand project"),
    "activity_case": N_("Typical activity case"),
}

ENROLLED, STAFF_ONLY, LISTED = "enrolled", "staff", "listed"
WHO_MAY_NOMINATE = {
    ENROLLED: N_("Any enrolled learner"),
    STAFF_ONLY: N_("Course staff only"),
    LISTED: N_("Only the usernames listed"),
}

MATERIAL_KINDS = ("document", "image", "video", "teaching")
MATERIAL_LABELS = {
    "document": N_("Documents (PDF, DOCX, ODT)"),
    "image": N_("Pictures (JPEG, PNG, WebP)"),
    "video": N_("Video (MP4)"),
    "teaching": N_("Teaching resources (PDF, PPTX, DOCX)"),
}
# Authors' defaults: (decimal megabytes per file, files per nomination).  4 MB is Open edX's own
# per-file limit (STUDENT_FILEUPLOAD_MAX_SIZE): the LMS refuses anything larger before a block sees it.
DEFAULT_MATERIAL_LIMITS = {"document": (4, 5), "image": (4, 9), "video": (4, 1), "teaching": (4, 5)}
MAX_VIDEO_LINKS = 3
MAX_ORGANISATIONS = 200
MAX_CRITERIA = 10


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    weight: float


class Campaign:
    """What one block instance asks for and allows, read from the authored ``values`` (the same
    names as :func:`problems`; any object with ``get(name, default)``).

    Each part is computed when first asked for and kept: a view reads only the settings it shows
    (a learner's page never needs the rubric or the material limits of a form it does not show),
    which matters where every field read is a database query.  Values Studio would refuse but
    imported OLX may hold are read on the safe side: an unreadable time keeps the campaign
    closed, unknown required fields are ignored.
    """

    def __init__(self, course_key, usage_key, values):
        self.course_key, self.usage_key, self._values = course_key, usage_key, values

    def __repr__(self):
        return f"Campaign({self.course_key!r}, {self.usage_key!r})"

    @cached_property
    def category(self):
        category = self._values.get("category")
        return category if category in CATEGORIES else "learning_star"

    @cached_property
    def zone_name(self):
        return self._values.get("time_zone") or ""

    @cached_property
    def opens_at(self):
        """Aware datetime (UTC) or None: open from the start."""
        return _time_or(self._values.get("opens_at"), self.zone_name, datetime(9999, 1, 1, tzinfo=clock.UTC))

    @cached_property
    def closes_at(self):
        """Aware datetime (UTC) or None: never closes."""
        return _time_or(self._values.get("closes_at"), self.zone_name, datetime(2000, 1, 1, tzinfo=clock.UTC))

    @cached_property
    def _authored_organisations(self):
        return self._values.get("organisations")

    @cached_property
    def organisations(self):
        """``((code, label), ...)``."""
        return tuple(pair for pair in organisation_pairs(self._authored_organisations) if pair[0])

    @cached_property
    def _labels(self):
        return dict(self.organisations)

    @cached_property
    def default_organisations(self):
        """The built-in list: its labels are translated when shown."""
        return not self._authored_organisations

    @cached_property
    def quota_min(self):
        return max(0, int(self._values.get("quota_min", 3) or 0))

    @cached_property
    def quota_max(self):
        return max(0, int(self._values.get("quota_max", 5) or 0))

    @cached_property
    def who(self):
        who = self._values.get("who_may_nominate")
        return who if who in WHO_MAY_NOMINATE else STAFF_ONLY

    @cached_property
    def listed_usernames(self):
        return frozenset(str(name).strip() for name in self._values.get("nominator_usernames") or ())

    @cached_property
    def required(self):
        from lifelong_xblocks.nominations import forms  # noqa: PLC0415 (forms imports this module)

        known = set(forms.field_keys(self.category)) | {"materials"}
        return frozenset(key for key in self._values.get("required_fields") or ()
                         if isinstance(key, str) and key in known) or forms.default_required(self.category)

    @cached_property
    def material_rules(self):
        """kind -> UploadRules."""
        limits = {kind: (self._values.get(f"{kind}_max_mb") or DEFAULT_MATERIAL_LIMITS[kind][0],
                         self._values.get(f"{kind}_max_count", DEFAULT_MATERIAL_LIMITS[kind][1]))
                  for kind in MATERIAL_KINDS}
        return material_rules({kind: (max(0.001, float(mb)), max(0, min(20, int(count or 0))))
                               for kind, (mb, count) in limits.items()})

    @cached_property
    def video_links(self):
        return bool(self._values.get("allow_video_links", True))

    @cached_property
    def rubric(self):
        """(Criterion, ...)."""
        return tuple(c for c in rubric_criteria(self._values.get("rubric")) if c.weight > 0)

    # ---- time window ----------------------------------------------------------------------
    def phase(self, at=None):
        """``"not_open"``, ``"open"`` or ``"closed"`` at ``at`` (server time by default)."""
        moment = at or clock.now()
        if self.opens_at and moment < self.opens_at:
            return "not_open"
        if self.closes_at and moment >= self.closes_at:
            return "closed"
        return "open"

    def require_open(self, at=None):
        phase = self.phase(at)
        if phase == "not_open":
            raise InvalidInput(_("Nominations open on {time}.").format(
                time=clock.format_local(self.opens_at, self.zone_name)))
        if phase == "closed":
            raise InvalidInput(_("Nominations closed on {time}. Drafts are kept but can no longer be "
                                 "changed or submitted.").format(time=clock.format_local(self.closes_at, self.zone_name)))

    # ---- organisations and people -----------------------------------------------------------
    def organisation_label(self, code):
        label = self._labels.get(code, code)
        return _(label) if self.default_organisations and label != code else label

    def organisation_choices(self):
        """``[(code, label as shown), ...]``: the built-in list in the reader's language, authors' as typed."""
        return [(code, self.organisation_label(code)) for code, _label in self.organisations]

    def check_organisation(self, code):
        if code not in dict(self.organisations):
            raise InvalidInput(_("Choose an organisation from the list."), field="organisation")
        return code

    def may_nominate(self, person):
        if not person.is_authenticated:
            return False
        if self.who == STAFF_ONLY:
            return person.is_staff
        if self.who == LISTED:
            return person.is_staff or person.username in self.listed_usernames
        return True

    def rules_for(self, kind):
        return self.material_rules.get(kind)


# The built-in nominating organisations: the 31 provincial-level divisions of the mainland (as the
# profile's default region list has them) and the Xinjiang Production and Construction Corps, the
# units a national campaign invites.  Labels are gettext_noop'd and translated when shown.
NOT_NOMINATING_REGIONS = frozenset({"other", "hong_kong", "macao", "taiwan"})
XPCC = ("xpcc", N_("Xinjiang Production and Construction Corps"))


def default_organisations(shown=False):
    """The provincial-level units of the mainland (from the region list) and the XPCC; with ``shown``,
    labels in the reader's language."""
    pairs = (*((code, label) for code, label in regions() if code not in NOT_NOMINATING_REGIONS), XPCC)
    return tuple((code, _(label)) for code, label in pairs) if shown else pairs


def organisation_pairs(value):
    """``[[code, label], ...]`` or ``[]`` (default list) -> ``((code, label), ...)`` (labels as typed)."""
    if not value:
        return default_organisations()
    pairs = []
    for item in value:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            pairs.append((str(item[0]).strip(), str(item[1]).strip()))
        elif isinstance(item, dict):
            pairs.append((str(item.get("code", "")).strip(), str(item.get("name", "")).strip()))
        else:
            pairs.append(("", ""))
    return tuple(pairs)


def material_rules(limits):
    """``{kind: (megabytes, count)}`` -> ``{kind: UploadRules}``; a count of 0 turns the kind off."""
    rules = {}
    for kind in MATERIAL_KINDS:
        size, count = limits.get(kind, DEFAULT_MATERIAL_LIMITS[kind])
        if count:
            rules[kind] = UploadRules(kinds=(kind,), max_bytes=min(megabytes(size), site_max_bytes()),
                                      max_count=int(count))
    return rules


def rubric_criteria(value):
    criteria = []
    for number, item in enumerate(value or (), start=1):
        item = item if isinstance(item, dict) else {}
        try:
            weight = float(item.get("weight", 0))
        except (TypeError, ValueError):
            weight = 0.0
        criteria.append(Criterion(str(item.get("key") or f"c{number}"), str(item.get("label") or ""), weight))
    return tuple(criteria)


def parse_time(text, zone_name, field_name):
    """An authored local date-time, or None when left empty."""
    if not str(text or "").strip():
        return None
    return clock.parse_local(text, zone_name, field=field_name)


def problems(values):
    """Translated messages about authored settings (Studio's validation); empty when all is well.

    ``values``: the block's field values by name (opens_at, closes_at, time_zone, organisations,
    quota_min, quota_max, who_may_nominate, nominator_usernames, category, required_fields,
    rubric and the material limits).
    """
    from lifelong_xblocks.nominations import forms  # noqa: PLC0415 (forms imports this module)

    found = []
    if values.get("category") not in CATEGORIES:
        found.append(_("Choose the category: learning star, brand project or activity case."))
    zone_name = values.get("time_zone") or ""
    if zone_name and not clock.is_zone_name(zone_name):
        found.append(_("The time zone must be an IANA name such as Asia/Shanghai."))
    times = {}
    for name, label in (("opens_at", _("Opening time")), ("closes_at", _("Closing time"))):
        try:
            times[name] = parse_time(values.get(name), zone_name, name)
        except InvalidInput:
            found.append(_("{label}: enter a date and time like 2026-12-01 19:30.").format(label=label))
    if times.get("opens_at") and times.get("closes_at") and times["closes_at"] <= times["opens_at"]:
        found.append(_("The closing time must be after the opening time."))
    pairs = organisation_pairs(values.get("organisations"))
    codes = [code for code, _label in pairs]
    if not pairs or len(pairs) > MAX_ORGANISATIONS or not all(code and label for code, label in pairs) \
            or len(set(codes)) != len(codes) or any(len(code) > 64 for code in codes):
        found.append(_("Organisations: 1-{limit}, each with a name and a code of at most 64 characters "
                       "that no other organisation uses.").format(limit=MAX_ORGANISATIONS))
    quota_min, quota_max = values.get("quota_min"), values.get("quota_max")
    if not isinstance(quota_min, int) or not isinstance(quota_max, int) or quota_min < 0 or quota_max < 1 \
            or quota_min > quota_max or quota_max > 100:
        found.append(_("The quota must be 0 <= minimum <= maximum, and the maximum 1-100."))
    if values.get("who_may_nominate") not in WHO_MAY_NOMINATE:
        found.append(_("Choose who may nominate: enrolled learners, staff only or listed usernames."))
    if values.get("who_may_nominate") == LISTED and not values.get("nominator_usernames"):
        found.append(_("List at least one username who may nominate."))
    category = values.get("category")
    if category in CATEGORIES:
        known = set(forms.field_keys(category)) | {"materials"}
        unknown = [key for key in values.get("required_fields") or () if key not in known]
        if unknown:
            found.append(_("Required fields: unknown field(s) {fields}; choose from {known}.").format(
                fields=", ".join(map(str, unknown)), known=", ".join(sorted(known))))
    for kind in MATERIAL_KINDS:
        size = values.get(f"{kind}_max_mb")
        count = values.get(f"{kind}_max_count")
        if not isinstance(size, (int, float)) or isinstance(size, bool) or not isinstance(count, int) \
                or count < 0 or count > 20 or size <= 0:
            found.append(_("{kind}: the size must be more than 0 MB and the number of files 0-20.").format(
                kind=_(MATERIAL_LABELS[kind])))
        elif megabytes(size) > site_max_bytes():
            found.append(_("{kind}: files can be at most {size}: the site refuses larger uploads "
                           "(STUDENT_FILEUPLOAD_MAX_SIZE). Ask the operator to raise it first.").format(
                kind=_(MATERIAL_LABELS[kind]), size=size_label(site_max_bytes())))
    criteria = rubric_criteria(values.get("rubric"))
    if len(criteria) > MAX_CRITERIA:
        found.append(_("The rubric can have at most {limit} criteria.").format(limit=MAX_CRITERIA))
    for number, criterion in enumerate(criteria, start=1):
        if not criterion.label or not criterion.weight > 0:
            found.append(_("Rubric criterion {number} needs a name and a positive weight.").format(number=number))
    if len({criterion.key for criterion in criteria}) != len(criteria):
        found.append(_("Each rubric criterion needs its own key."))
    return found


def _time_or(text, zone_name, fallback):
    try:
        return parse_time(text, zone_name, None)
    except InvalidInput:
        return fallback


def build(course_key, usage_key, values):
    """The :class:`Campaign` for the authored ``values`` (the same names as :func:`problems`; a
    mapping, or any object with ``get(name, default)`` that reads a setting when asked)."""
    return Campaign(course_key, usage_key, values)
