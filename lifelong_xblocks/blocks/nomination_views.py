"""Views of a nomination campaign: the learner page (showcase and the nominator's own
nominations), the reviewers' panel, the mobile data.

Parts that change after an action (the nominator's section, the review list and detail) are
rendered here and handed back by the handlers as HTML, so the page and the handlers share one
template and the JS never builds markup from data.
"""
from django.db.models import Prefetch
from xblock.core import XBlock

from lifelong_xblocks import charts, clock
from lifelong_xblocks.blocks.base import select_options
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.models.nominations import Nomination, NominationMaterial
from lifelong_xblocks.moderation import history
from lifelong_xblocks.nominations import campaign as campaigns
from lifelong_xblocks.nominations import forms, nominating, quota, review, showcase, states
from lifelong_xblocks.profiles import api as profiles
from lifelong_xblocks.profiles.regions import regions
from lifelong_xblocks.uploads.rules import size_label


def region_label(code):
    return _(dict(regions()).get(code, "")) if code else ""


class NominationViewsMixin:
    """``student_view``, the partial renders, ``student_view_data`` and the mobile state."""

    js_strings = {
        "saving": N_("Saving…"),
        "saved_draft": N_("Draft saved."),
        "uploading": N_("Uploading…"),
        "confirm_withdraw": N_("Withdraw this nomination? Its seat becomes free for others."),
        "confirm_delete": N_("Delete this nomination and its files? This cannot be undone."),
        "fix_fields": N_("Please correct the marked fields."),
    }

    # ---- shared pieces ------------------------------------------------------------------------
    def material_url(self, material):
        return self.runtime.handler_url(self, "material", str(material.pk))

    def material_context(self, material):
        stored = material.stored_file
        return {
            "id": material.pk, "kind": material.kind, "kind_label": _(campaigns.MATERIAL_LABELS[material.kind]),
            "name": stored.original_name if stored else material.link, "link": material.link,
            "size": size_label(stored.size) if stored else "", "url": self.material_url(material) if stored else "",
            "content_type": stored.content_type if stored else "",
        }

    def window_context(self, campaign):
        return {
            "phase": campaign.phase(),
            "opens": clock.format_local(campaign.opens_at, campaign.zone_name) if campaign.opens_at else "",
            "closes": clock.format_local(campaign.closes_at, campaign.zone_name) if campaign.closes_at else "",
        }

    def showcase_context(self, campaign, nominations=None):
        found = []
        for entry in showcase.entries(campaign, region_label, nominations):
            found.append({**entry,
                          "answers": [(_(label), value) for label, value in entry["answers"]],
                          "pictures": [self.material_context(m) for m in entry["pictures"]],
                          "videos": [self.material_context(m) for m in entry["videos"]]})
        return found

    # ---- the nominator's section ---------------------------------------------------------------
    def form_fields(self, campaign, nomination, errors=None):
        errors = errors or {}
        fields = []
        for spec in forms.fields_of(nomination.category):
            is_phone = spec.kind == "phone"
            fields.append({
                "key": spec.key, "label": _(spec.label), "kind": spec.kind, "help": _(spec.help) if spec.help else "",
                "required": spec.key in campaign.required, "max_length": spec.max_length,
                "min_length": spec.min_length,
                "value": "" if is_phone else nomination.form.get(spec.key, ""),
                "masked": forms.mask_phone(nomination.phone) if is_phone else "",
                "choices": forms.choices_for(spec.choices) if spec.kind == "choice" else [],
                "error": errors.get(spec.key, ""),
            })
        return fields

    def nomination_context(self, campaign, nomination, phase, seats=None):
        own_materials = showcase.materials_of(nomination)
        editable = nomination.status in states.EDITABLE and phase == "open"
        uploads = []   # the form, its uploads and the answers as text: only the part the page shows
        for kind in (campaigns.MATERIAL_KINDS if editable else ()):
            rules = campaign.rules_for(kind)
            if rules:
                uploads.append({"kind": kind, "label": _(campaigns.MATERIAL_LABELS[kind]),
                                "accept": rules.accept_attribute(), "max_count": rules.max_count,
                                "max_size": size_label(rules.max_bytes),
                                "count": sum(1 for m in own_materials if m.kind == kind and m.stored_file)})
        actions = [action for action in states.allowed_actions(nomination.status, states.NOMINATOR)
                   if phase == "open"]
        return {
            "id": nomination.pk, "version": nomination.version, "status": nomination.status,
            "status_label": _(states.STATUS_LABELS[nomination.status]), "editable": editable,
            "headline": nomination.headline, "organisation": nomination.organisation,
            "organisation_label": campaign.organisation_label(nomination.organisation),
            "organisation_fixed": nomination.submitted_at is not None,
            "organisation_options": select_options(campaign.organisation_choices(), nomination.organisation, translate=False)
            if editable and nomination.submitted_at is None else "",
            "seats_taken": (seats or {}).get(nomination.organisation, 0),
            "fields": self.form_fields(campaign, nomination) if editable else [],
            "answers": [] if editable else [
                (_(spec.label), forms.mask_phone(nomination.phone) if spec.kind == "phone"
                 else forms.shown_value(spec, nomination.form.get(spec.key)))
                for spec in forms.fields_of(nomination.category)],
            "consent_publication": nomination.consent_publication, "consent_portrait": nomination.consent_portrait,
            "materials": [self.material_context(m) for m in own_materials], "uploads": uploads,
            "video_links": editable and campaign.video_links,
            "feedback": nomination.feedback if nomination.status != states.DRAFT else "",
            "can_submit": "submit" in actions or "resubmit" in actions,
            "resubmit": "resubmit" in actions,
            "can_withdraw": "withdraw" in actions,
            "can_delete": nomination.status in states.DELETABLE,
            "submitted_at": clock.format_local(nomination.submitted_at, campaign.zone_name),
        }

    def nominator_context(self, campaign, own):
        """The nominator's section (``own``: their nominations as ``nominating.own_and_shown`` reads
        them, with ``seats_taken``, counted for the editable ones only: only their form shows it)."""
        window = self.window_context(campaign)
        seats = {nomination.organisation: nomination.seats_taken for nomination in own
                 if nomination.status in states.EDITABLE}
        return {
            "block_id": self.dom_id, "window": window, "quota_max": campaign.quota_max,
            "nominations": [self.nomination_context(campaign, n, window["phase"], seats) for n in own],
            "organisation_options": select_options(campaign.organisation_choices(), None, translate=False)
            if window["phase"] == "open" else "",
            "may_start": window["phase"] == "open",
        }

    def nominator_html(self, campaign, own):
        """The nominator's section; ``own``: their nominations as ``nominating.own_and_shown`` reads them."""
        return self.render_template("nominations/nominator.html", self.nominator_context(campaign, own))

    # ---- the page ------------------------------------------------------------------------------
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        context = context or {}
        preview = bool(context.get("author_preview"))
        person = self.person
        campaign = self.campaign
        may_nominate = campaign.may_nominate(person) and not preview
        comfort = self.comfort_settings(person.is_authenticated and not preview)
        # The learner's nominations and the showcase in one query (and one for their materials).
        own, shown = nominating.own_and_shown(campaign, person.user_id if may_nominate else None)
        template_context = {
            "title": self.shown_title, "intro": self.intro,
            "category_label": _(campaigns.CATEGORIES[campaign.category]),
            "window": self.window_context(campaign),
            "quota_min": campaign.quota_min, "quota_max": campaign.quota_max,
            "showcase": self.showcase_context(campaign, shown),
            "signed_in": person.is_authenticated and not preview,
            "may_nominate": may_nominate,
            "nominator": self.nominator_context(campaign, own) if may_nominate else None,
            "preview": preview, "comfort": comfort,
        }
        template_context["staff"] = self.staff_context(campaign) if person.is_staff and not preview else None
        return self.fragment_for("nominations/block.html", template_context, js_config={
            "signed_in": template_context["signed_in"], "comfort": profiles.comfort_as_dict(comfort)})

    # ---- staff ---------------------------------------------------------------------------------
    def staff_context(self, campaign):
        counts = review.status_counts(campaign)
        overview = quota.overview(campaign)
        shown = [(status, count) for status, count in counts if status != states.DRAFT]
        return {
            "counts": [(_(states.STATUS_LABELS[status]), count) for status, count in counts],
            "chart": charts.bar_chart(f"{self.dom_id}-statuses", _("Nominations by status"),
                                      [_(states.STATUS_LABELS[s]) for s, _c in shown], [c for _s, c in shown],
                                      _("Number of nominations in each status; drafts are not counted.")),
            # Those closest to the minimum first: whom to remind is clearer that way.
            "below_minimum": sorted((row for row in overview if row["below_minimum"]), key=lambda row: -row["taken"]),
            "organisation_count": len(overview), "quota_max": campaign.quota_max,
            "full": [row for row in overview if row["full"]],
            "quota_min": campaign.quota_min,
            "list_html": self.review_list_html({}),
            "statuses": [(s, _(states.STATUS_LABELS[s])) for s in states.STATUSES if s != states.DRAFT],
            "organisations": campaign.organisation_choices(),
            "categories": [(key, _(label)) for key, label in campaigns.CATEGORIES.items()],
            "csv_url": self.runtime.handler_url(self, "export_csv"),
            "xlsx_url": self.runtime.handler_url(self, "export_xlsx"),
            "zip_url": self.runtime.handler_url(self, "export_materials"),
        }

    def review_list_html(self, filters):
        campaign = self.campaign
        filters = filters if isinstance(filters, dict) else {}
        rows, total, pages, page = review.listing(
            campaign, status=str(filters.get("status") or ""), organisation=str(filters.get("organisation") or ""),
            category=str(filters.get("category") or ""), search=str(filters.get("search") or ""),
            page=filters.get("page") or 1)
        return self.render_template("nominations/review_list.html", {
            "block_id": self.dom_id, "total": total, "pages": pages, "page": page,
            "previous": page - 1 if page > 1 else None, "next": page + 1 if page < pages else None,
            "rows": [{"id": n.pk, "headline": n.headline, "organisation": campaign.organisation_label(n.organisation),
                      "status_label": _(states.STATUS_LABELS.get(n.status, n.status)), "nominator": n.user.username,
                      "average": None if n.average is None else round(n.average, 1), "reviewers": n.reviewers,
                      "changed": clock.format_local(n.status_changed_at, campaign.zone_name, with_offset=False)}
                     for n in rows],
        })

    def review_detail_html(self, nomination_id):
        campaign = self.campaign
        nomination = review.get(campaign, nomination_id)
        own_materials = list(NominationMaterial.objects.filter(nomination=nomination).select_related("stored_file"))
        scores = review.scores(nomination)
        mine = next((s.scores for s in scores if s.reviewer_id == self.person.user_id), {})
        return self.render_template("nominations/review_detail.html", {
            "block_id": self.dom_id, "id": nomination.pk, "headline": nomination.headline,
            "status_label": _(states.STATUS_LABELS[nomination.status]), "nominator": nomination.user.username,
            "organisation": nomination.organisation,
            "organisation_label": campaign.organisation_label(nomination.organisation),
            "organisations": campaign.organisation_choices(),
            # The one view, with the staff export, that shows the full phone number.
            "answers": [(_(spec.label), nomination.phone if spec.kind == "phone"
                         else forms.shown_value(spec, nomination.form.get(spec.key)))
                        for spec in forms.fields_of(nomination.category)],
            "consent_publication": nomination.consent_publication, "consent_portrait": nomination.consent_portrait,
            "materials": [self.material_context(m) for m in own_materials],
            "feedback": nomination.feedback, "taken_down": nomination.taken_down,
            "recognised": nomination.status == states.RECOGNISED,
            "actions": [(action, _(states.TRANSITIONS[action].label))
                        for action in states.allowed_actions(nomination.status, states.STAFF)],
            "deletable": nomination.status == states.WITHDRAWN,
            "history": [{"label": _(states.action_label(entry.action)), "actor": entry.actor.username,
                         "note": entry.note, "time": clock.format_local(entry.created, campaign.zone_name)}
                        for entry in history(nomination)],
            "comments": [{"author": c.author.username, "text": c.text,
                          "time": clock.format_local(c.created, campaign.zone_name)} for c in review.comments(nomination)],
            "rubric": [{"key": c.key, "label": c.label, "weight": f"{c.weight:g}", "mine": mine.get(c.key, "")}
                       for c in campaign.rubric],
            "scores": [{"reviewer": s.reviewer.username, "total": s.total} for s in scores],
            "average": review.average_score(nomination),
        })

    # ---- mobile ----------------------------------------------------------------------------------
    def student_view_data(self, context=None):
        """Content for the mobile app: the campaign, its form and the showcase (never contact data)."""
        campaign = self.campaign
        window = self.window_context(campaign)
        entries = []
        for entry in self.showcase_context(campaign):
            entries.append({
                "id": entry["id"], "headline": entry["headline"], "organisation": entry["organisation"],
                "region": entry["region"], "story": entry["story"],
                "details": [{"label": label, "value": value} for label, value in entry["answers"]],
                "pictures": [m["url"] for m in entry["pictures"]],
                "videos": [m["url"] for m in entry["videos"]] + entry["video_links"],
            })
        return {
            "title": self.shown_title, "intro": self.intro, "category": campaign.category,
            "opens_at": campaign.opens_at.isoformat() if campaign.opens_at else None,
            "closes_at": campaign.closes_at.isoformat() if campaign.closes_at else None,
            "opens_at_display": window["opens"], "closes_at_display": window["closes"],
            "organisations": [{"code": code, "name": label} for code, label in campaign.organisation_choices()],
            "quota": {"min": campaign.quota_min, "max": campaign.quota_max},
            "who_may_nominate": campaign.who,
            "form": [{"key": spec.key, "label": _(spec.label), "kind": spec.kind, "required": spec.key in campaign.required,
                      "max_length": spec.max_length, "min_length": spec.min_length,
                      "choices": [{"value": v, "label": label} for v, label in forms.choices_for(spec.choices)]
                      if spec.kind == "choice" else []}
                     for spec in forms.fields_of(campaign.category)],
            "materials": [{"kind": kind, "max_bytes": rules.max_bytes, "max_count": rules.max_count,
                           "accept": rules.accept_attribute()} for kind, rules in campaign.material_rules.items()],
            "video_links": campaign.video_links,
            "showcase": entries,
        }

    def user_state_for_mobile(self):
        """The learner's own nominations (phone masked), and what they may do with each."""
        campaign = self.campaign
        phase = campaign.phase()
        own = (Nomination.objects.filter(usage_key=self.usage_key, user_id=self.person.user_id)
               .prefetch_related(Prefetch("materials", queryset=NominationMaterial.objects.select_related("stored_file"))))
        nominations = []
        for nomination in own:
            context = self.nomination_context(campaign, nomination, phase)
            nominations.append({
                "id": nomination.pk, "version": nomination.version, "status": nomination.status,
                "organisation": nomination.organisation, "answers": nomination.form,
                "phone": forms.mask_phone(nomination.phone),
                "consent_publication": nomination.consent_publication,
                "consent_portrait": nomination.consent_portrait, "feedback": context["feedback"],
                "editable": context["editable"], "can_submit": context["can_submit"],
                "can_withdraw": context["can_withdraw"], "can_delete": context["can_delete"],
                "materials": [{k: m[k] for k in ("id", "kind", "name", "size", "url", "link")}
                              for m in context["materials"]],
            })
        return {"phase": phase, "may_nominate": campaign.may_nominate(self.person), "nominations": nominations}
