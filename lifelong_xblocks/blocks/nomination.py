"""``lifelong_nomination``: one nomination campaign of one category.

Nominators choose their organisation, fill the form (saved as a draft while they type), attach
materials and submit within the deadline and their organisation's quota; reviewers (course
staff, checked on the server) move nominations through the review; recognised nominations
with consent appear in the showcase.  The domain is in ``lifelong_xblocks.nominations``.
"""
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String

from lifelong_xblocks import conf
from lifelong_xblocks.blocks.base import LifelongBlockMixin
from lifelong_xblocks.blocks.handlers import ANYONE, LEARNER, OWNER, STAFF, http_api, json_api
from lifelong_xblocks.blocks.nomination_views import NominationViewsMixin
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.exports import csv_response, xlsx_response
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.identity import require_owner
from lifelong_xblocks.models.nominations import Nomination
from lifelong_xblocks.nominations import campaign as campaigns
from lifelong_xblocks.nominations import export, materials, nominating, review, showcase, states
from lifelong_xblocks.workbench import scenarios_for

SETTING_FIELDS = (
    "nomination_category", "opens_at", "closes_at", "time_zone", "organisations", "quota_min", "quota_max", "who_may_nominate",
    "nominator_usernames", "required_fields", "allow_video_links", "rubric",
    *[f"{kind}_max_{what}" for kind in campaigns.MATERIAL_KINDS for what in ("mb", "count")],
)


LIMIT_LABELS = {   # kind: (size field label, count field label)
    "document": (N_("Documents: largest file (MB)"), N_("Documents: files per nomination")),
    "image": (N_("Pictures: largest file (MB)"), N_("Pictures: files per nomination")),
    "video": (N_("Video: largest file (MB)"), N_("Video: files per nomination")),
    "teaching": (N_("Teaching resources: largest file (MB)"), N_("Teaching resources: files per nomination")),
}


def _size_field(kind):
    return Float(display_name=LIMIT_LABELS[kind][0],
                 help=N_("Decimal megabytes, at most Open edX's per-file limit (STUDENT_FILEUPLOAD_MAX_SIZE, "
                         "4 MB by default; the operator can raise it)."),
                 scope=Scope.settings, default=float(campaigns.DEFAULT_MATERIAL_LIMITS[kind][0]), enforce_type=True)


def _count_field(kind):
    return Integer(display_name=LIMIT_LABELS[kind][1], help=N_("0 turns this kind of material off."),
                   scope=Scope.settings, default=campaigns.DEFAULT_MATERIAL_LIMITS[kind][1], enforce_type=True)


class _SettingsReader:
    """The block's campaign settings by the domain's names, each field read when first asked for."""

    __slots__ = ("block",)

    def __init__(self, block):
        self.block = block

    def get(self, name, default=None):
        if name == "category":
            return self.block.nomination_category
        return getattr(self.block, name) if name in SETTING_FIELDS else default


@XBlock.wants("completion")
class NominationBlock(NominationViewsMixin, LifelongBlockMixin, XBlock):
    """A nomination campaign: quotas, deadline, materials, review, showcase and exports."""

    has_custom_completion = True
    icon_class = "problem"
    block_css = ("static/css/nomination.css",)
    block_js = ("static/js/nomination.js",)
    js_class = "LifelongNomination"

    editable_fields = ("display_name", "intro", *SETTING_FIELDS)

    display_name = String(display_name=N_("Display name"), help=N_("The campaign's title."),
                          scope=Scope.settings, default=N_("Nominations"), enforce_type=True)
    intro = String(display_name=N_("Instructions"),
                   help=N_("Plain text shown above the form: who is sought, how materials are judged."),
                   scope=Scope.content, default="", multiline_editor=True, enforce_type=True)
    # Not "category": Open edX's runtime gives every block a ``category`` attribute (its type).
    nomination_category = String(display_name=N_("Category"), help=N_("What this campaign collects; sets the form."),
                      scope=Scope.settings, default="learning_star", enforce_type=True,
                      values=[{"display_name": label, "value": key} for key, label in campaigns.CATEGORIES.items()])
    opens_at = String(display_name=N_("Opens at"),
                      help=N_("Date and time in the campaign's time zone, like 2026-11-01 08:00. Empty: open now."),
                      scope=Scope.settings, default="", enforce_type=True)
    closes_at = String(display_name=N_("Closes at"),
                       help=N_("Date and time in the campaign's time zone, like 2026-12-01 18:00. After it nothing "
                               "can be submitted or changed. Empty: no deadline."),
                       scope=Scope.settings, default="", enforce_type=True)
    time_zone = String(display_name=N_("Time zone"),
                       help=N_("IANA name such as Asia/Shanghai; empty uses the site's zone."),
                       scope=Scope.settings, default="", enforce_type=True)
    organisations = List(display_name=N_("Organisations"),
                         help=N_("The organisations that nominate, each with a short code (kept in the data; do not "
                                 "change it once nominations exist) and its name. Empty: the 31 provincial-level units of the mainland "
                                 "and the Xinjiang Production and Construction Corps."),
                         scope=Scope.settings, default=[], enforce_type=True)
    quota_min = Integer(display_name=N_("Quota: minimum per organisation"),
                        help=N_("Staff see organisations below it."), scope=Scope.settings, default=3,
                        enforce_type=True)
    quota_max = Integer(display_name=N_("Quota: maximum per organisation"),
                        help=N_("Submissions beyond it are refused."), scope=Scope.settings, default=5,
                        enforce_type=True)
    who_may_nominate = String(display_name=N_("Who may nominate"), scope=Scope.settings, default="enrolled",
                              enforce_type=True, help=N_("Enrolled learners, staff only, or the usernames listed."),
                              values=[{"display_name": label, "value": key}
                                      for key, label in campaigns.WHO_MAY_NOMINATE.items()])
    nominator_usernames = List(display_name=N_("Usernames who may nominate"),
                               help=N_('Used with "Only the usernames listed": ["alice", "bob"].'),
                               scope=Scope.settings, default=[], enforce_type=True)
    required_fields = List(display_name=N_("Required fields"),
                           help=N_('Keys of the fields that must be filled, e.g. ["name", "story", "materials"]. '
                                   "Empty: the category's defaults."),
                           scope=Scope.settings, default=[], enforce_type=True)
    allow_video_links = Boolean(display_name=N_("Video links allowed"),
                                help=N_("Nominators may give an https video link instead of a video file."),
                                scope=Scope.settings, default=True, enforce_type=True)
    rubric = List(display_name=N_("Rubric"),
                  help=N_('Optional weighted criteria scored 0-10 by each reviewer: [{"key": "story", "label": '
                          '"Inspiring story", "weight": 40}]. Empty: no scoring.'),
                  scope=Scope.settings, default=[], enforce_type=True)
    document_max_mb, document_max_count = _size_field("document"), _count_field("document")
    image_max_mb, image_max_count = _size_field("image"), _count_field("image")
    video_max_mb, video_max_count = _size_field("video"), _count_field("video")
    teaching_max_mb, teaching_max_count = _size_field("teaching"), _count_field("teaching")

    studio_lists = {
        "organisations": {
            "item": N_("Organisation {number}"), "add": N_("Add an organisation"),
            "remove": N_("Remove this organisation"), "max": campaigns.MAX_ORGANISATIONS,
            "fields": [{"key": "code", "label": N_("Short code, used once")},
                       {"key": "name", "label": N_("Name of the organisation")}],
        },
        "rubric": {
            "item": N_("Criterion {number}"), "add": N_("Add a criterion"), "remove": N_("Remove this criterion"),
            "max": campaigns.MAX_CRITERIA,
            "fields": [{"key": "key", "label": N_("Key (letters, no spaces)")},
                       {"key": "label", "label": N_("Name")},
                       {"key": "weight", "label": N_("Weight"), "number": True}],
        },
    }

    def studio_extra_config(self):
        """An empty organisation list offers the built-in one, to edit (e.g. to add units) instead of retyping."""
        return {"starters": {"organisations": {
            "label": _("Start from the provincial-level units"),
            "items": [{"code": code, "name": label} for code, label in campaigns.default_organisations(shown=True)]}}}

    # ---- the campaign ---------------------------------------------------------------------------
    @staticmethod
    def setting_values_of(source):
        """The campaign's settings by the names the domain uses, read from the block or Studio's preview."""
        values = {name: getattr(source, name) for name in SETTING_FIELDS}
        values["category"] = values.pop("nomination_category")
        return values

    def setting_values(self):
        return self.setting_values_of(self)

    @property
    def campaign(self):
        """The campaign, each setting read from the block's fields only when a view or handler needs it."""
        return campaigns.build(self.course_key, self.usage_key, _SettingsReader(self))

    def validate_field_data(self, validation, data):
        for problem in campaigns.problems(self.setting_values_of(data)):
            self.add_error(validation, problem)

    # ---- nominator handlers -----------------------------------------------------------------------
    def _nominator_answer(self, message="", status=None, **extra):
        """The nominator's section after a change, and the message.  ``status``: the learner moved a
        nomination to it, noted in the activity ledger with their count of nominations (read from
        the section's own list: no query of its own)."""
        campaign = self.campaign
        own = nominating.own_and_shown(campaign, self.person.user_id)[0]
        if status is not None:
            self.note_learner_activity(nominations=len(own), last_status=status)
        return {"html": self.nominator_html(campaign, own), "message": message, **extra}

    @json_api(LEARNER)
    def start_nomination(self, data, suffix=""):
        """Start a draft for the organisation chosen."""
        nomination = nominating.start(self.campaign, self.person, str(data.get("organisation", "")))
        return self._nominator_answer(_("Draft started. It is saved as you type."), nomination.status,
                                      id=nomination.pk)

    @json_api(OWNER)
    def save_draft(self, data, suffix=""):
        """Autosave of the form: ``{id, version, answers, organisation, consent_*}`` (see docs/api.md)."""
        nomination = nominating.save_draft(self.campaign, self.person, data.get("id"), data)
        return {"id": nomination.pk, "version": nomination.version,
                "problems": nominating.problems_of(self.campaign, nomination)}

    @json_api(OWNER)
    def submit_nomination(self, data, suffix=""):
        """Submit a draft (or resubmit one returned for changes); completion on the first submission."""
        campaign = self.campaign
        current = nominating.get_own(campaign, self.person, data.get("id"))
        if current.status == states.RESUBMITTED:
            nomination = current      # a retried resubmission: nothing changes, the same answer
        elif current.status == states.RETURNED:
            nomination = nominating.resubmit(campaign, self.person, current.pk)
        else:
            nomination = nominating.submit(campaign, self.person, current.pk, read=current)
            self.publish_completion(1.0)
        return self._nominator_answer(_("Submitted. The reviewers will look at it; you can follow its status here."),
                                      nomination.status)

    @json_api(OWNER)
    def withdraw_nomination(self, data, suffix=""):
        nomination = nominating.withdraw(self.campaign, self.person, data.get("id"))
        return self._nominator_answer(_("Withdrawn. Its seat is free again."), nomination.status)

    @json_api(OWNER)
    def delete_nomination(self, data, suffix=""):
        """Delete one's own draft or withdrawn nomination with its files."""
        nominating.delete_own(self.campaign, self.person, data.get("id"))
        return self._nominator_answer(_("Deleted, with its files."))

    @http_api(OWNER, methods=("POST",), one_transaction=False)  # an upload: uploads.store
    def upload_material(self, request, suffix=""):
        """Multipart upload of one material: fields ``nomination``, ``kind`` and ``file``."""
        from lifelong_xblocks.uploads import read_upload, save_upload  # noqa: PLC0415
        from lifelong_xblocks.blocks.handlers import json_response  # noqa: PLC0415

        if request.method != "POST":
            raise InvalidInput(_("Send the file with POST."))
        kind = str(request.POST.get("kind", ""))
        person = self.person
        upload = read_upload(request)

        def store(rules, already):
            return save_upload(upload, rules, course_key=self.course_key, usage_key=self.usage_key,
                               user=person.user_id,
                               by_staff=person.is_staff, purpose=materials.PURPOSE, already_stored=already)

        materials.add_file(self.campaign, person, request.POST.get("nomination"), kind, store)
        return json_response(self._nominator_answer(_("Attached.")))

    @json_api(OWNER)
    def add_video_link(self, data, suffix=""):
        materials.add_link(self.campaign, self.person, data.get("id"), data.get("link"))
        return self._nominator_answer(_("Video link added."))

    @json_api(OWNER)
    def remove_material(self, data, suffix=""):
        materials.remove(self.campaign, self.person, data.get("id"), data.get("material"))
        return self._nominator_answer(_("Removed."))

    @http_api(ANYONE)
    def material(self, request, suffix=""):
        """One material's file (``.../material/<id>``): for staff, its nominator, or when in the showcase."""
        from lifelong_xblocks.uploads import file_response  # noqa: PLC0415

        found = materials.material_of(self.usage_key, suffix)
        if found is None or found.stored_file is None:
            raise InvalidInput(_("Unknown material."))
        require_owner(self.person, found.nomination.user_id, _("This file is not public."), staff_too=True,
                      public=showcase.may_show_material(found))
        return file_response(found.stored_file, request)

    # ---- staff handlers ---------------------------------------------------------------------------
    @json_api(STAFF, one_transaction=False)   # reads only
    def review_list(self, data, suffix=""):
        """One page of the review list for the filters given."""
        return {"html": self.review_list_html(data)}

    @json_api(STAFF, one_transaction=False)   # reads only
    def review_detail(self, data, suffix=""):
        return {"html": self.review_detail_html(data.get("id"))}

    @json_api(STAFF)
    def review_action(self, data, suffix=""):
        """A review transition (start_review, return, recommend, recognise, not_select) with a note."""
        action = str(data.get("action", ""))
        if action not in states.STAFF_ACTIONS:
            raise InvalidInput(_("Unknown action."))
        nomination = review.act(self.campaign, self.person, data.get("id"), action, data.get("note", ""))
        return {"html": self.review_detail_html(nomination.pk), "message": _("Done.")}

    @json_api(STAFF)
    def review_comment(self, data, suffix=""):
        comment = review.add_comment(self.campaign, self.person, data.get("id"), data.get("text", ""))
        return {"html": self.review_detail_html(comment.nomination_id), "message": _("Comment added.")}

    @json_api(STAFF)
    def review_score(self, data, suffix=""):
        result = review.score(self.campaign, self.person, data.get("id"), data.get("scores"))
        return {"html": self.review_detail_html(data.get("id")), "message": _("Scores saved."), **result}

    @json_api(STAFF)
    def review_reassign(self, data, suffix=""):
        nomination = review.reassign(self.campaign, self.person, data.get("id"), str(data.get("organisation", "")))
        return {"html": self.review_detail_html(nomination.pk), "message": _("Organisation changed.")}

    @json_api(STAFF)
    def showcase_take_down(self, data, suffix=""):
        """Take an entry off the showcase (``taken_down: true``) or show it again."""
        nomination = review.set_taken_down(self.campaign, self.person, data.get("id"), bool(data.get("taken_down")),
                                           data.get("note", ""))
        return {"html": self.review_detail_html(nomination.pk), "message": _("Saved.")}

    @json_api(STAFF)
    def review_delete(self, data, suffix=""):
        """Delete a withdrawn nomination with its files (a nominator's draft is theirs, not the reviewers')."""
        nominating.delete(review.get(self.campaign, data.get("id")), allowed=(states.WITHDRAWN,))
        return {"html": "", "message": _("Deleted, with its files.")}

    @http_api(STAFF)
    def export_csv(self, request, suffix=""):
        campaign = self.campaign
        return csv_response("nominations.csv", export.header(campaign), export.rows(campaign))

    @http_api(STAFF)
    def export_xlsx(self, request, suffix=""):
        campaign = self.campaign
        return xlsx_response("nominations.xlsx", _("Nominations"), export.header(campaign), export.rows(campaign))

    @http_api(STAFF)
    def export_materials(self, request, suffix=""):
        """Every material in one ZIP, by organisation and nomination, streamed."""
        from lifelong_xblocks.uploads import zip_response  # noqa: PLC0415

        return zip_response("nomination-materials.zip", export.zip_entries(self.campaign))

    # ---- reports ------------------------------------------------------------------------------------

    def report_rows(self, usernames):
        rows = {}
        for nomination in (Nomination.objects.filter(usage_key=self.usage_key, user__username__in=usernames)
                           .select_related("user").order_by("id")):
            rows.setdefault(nomination.user.username, []).append(nomination)
        return {username: [
            ("nominations", len(found)),
            ("submitted", sum(1 for n in found if n.submitted_at)),
            ("statuses", ", ".join(f"{n.pk}:{n.status}" for n in found)),
            ("completion", 1.0 if any(n.submitted_at for n in found) else 0.0),
        ] for username, found in rows.items()}

    @classmethod
    def workbench_scenarios(cls):
        return scenarios_for("lifelong_nomination", conf.get("WORKBENCH_SCENARIOS_DIR"))
