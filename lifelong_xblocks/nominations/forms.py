"""The form of each category and its validation.

No ID-card numbers are ever collected: there is no such field, and any answer that looks like
one (15 or 18 digits, also with spaces or hyphens between them) is refused.  The contact phone
is checked as a mainland mobile number and kept apart from the other answers.
"""
import re
from dataclasses import dataclass
from datetime import date

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.profiles.regions import regions


@dataclass(frozen=True)
class FormField:
    key: str
    label: str                 # gettext_noop'd
    kind: str = "text"         # text, textarea, choice, phone, date
    required: bool = True      # by default; authors may choose other required fields
    max_length: int = 100
    min_length: int = 0        # checked at submission only: drafts may be short
    choices: str = ""          # name of a choice list, see choices_for()
    help: str = ""             # gettext_noop'd
    public: bool = False       # may appear in the showcase


GENDERS = (("female", N_("Female")), ("male", N_("Male")), ("unspecified", N_("Prefer not to say")))
AGE_BANDS = (("under_30", N_("Under 30")), ("30_44", N_("30-44")), ("45_59", N_("45-59")),
             ("60_69", N_("60-69")), ("70_plus", N_("70 or older")))

FORMS = {
    "learning_star": (
        FormField("name", N_("Name of the nominee"), max_length=50, public=True),
        FormField("gender", N_("Gender"), "choice", required=False, choices="gender"),
        FormField("age_band", N_("Age band"), "choice", choices="age_band"),
        FormField("region", N_("Region"), "choice", choices="region", public=True),
        FormField("occupation", N_("Occupation or audience group"), max_length=100, public=True,
                  help=N_("For example: community resident, retired teacher, new-type farmer.")),
        FormField("phone", N_("Contact phone (mobile)"), "phone", max_length=20,
                  help=N_("A mainland mobile number, such as 138 0013 8000. Seen by the reviewers only.")),
        FormField("story", N_("Learning story"), "textarea", max_length=3000, min_length=100, public=True,
                  help=N_("100-3000 characters: how and what the nominee learned, and what changed.")),
        FormField("achievements", N_("Achievements"), "textarea", required=False, max_length=2000, public=True),
    ),
    "brand_project": (
        FormField("project_name", N_("Project name"), max_length=100, public=True),
        FormField("running_organisation", N_("Running organisation"), max_length=100, public=True),
        FormField("region", N_("Region"), "choice", choices="region", public=True),
        FormField("description", N_("Description"), "textarea", max_length=3000, min_length=100, public=True,
                  help=N_("100-3000 characters: what the project does, how, and since when.")),
        FormField("beneficiaries", N_("Beneficiaries"), "textarea", max_length=500, public=True,
                  help=N_("Who takes part and how many people it reaches.")),
        FormField("period", N_("Period"), max_length=100, public=True, help=N_("For example: 2019 to now.")),
    ),
    "activity_case": (
        FormField("title", N_("Title"), max_length=100, public=True),
        FormField("organisation_name", N_("Organisation"), max_length=100, public=True),
        FormField("date", N_("Date"), "date", max_length=10, public=True, help=N_("Like 2026-11-20.")),
        FormField("summary", N_("Summary"), "textarea", max_length=2000, min_length=50, public=True,
                  help=N_("50-2000 characters: what happened and who took part.")),
        FormField("results", N_("Results"), "textarea", max_length=2000, public=True),
    ),
}

# What the showcase calls the entry and shows as its story, per category.
HEADLINE = {"learning_star": "name", "brand_project": "project_name", "activity_case": "title"}
STORY = {"learning_star": "story", "brand_project": "description", "activity_case": "summary"}

PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
PHONE_SEPARATORS = re.compile(r"[\s\-()]+")
# Runs of digits with spaces or hyphens between them are joined before looking for ID numbers.
DIGIT_GAPS = re.compile(r"(?<=\d)[\s\-]+(?=\d)")
ID_NUMBER = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?![\dXx])")
# Contact data kept out of the answers that may be published: mobile and landline numbers (after
# joining digit groups), e-mail addresses.
CONTACT_NUMBER = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{9,11})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def fields_of(category):
    return FORMS.get(category, FORMS["learning_star"])


def field_keys(category):
    return [spec.key for spec in fields_of(category)]


def default_required(category):
    return frozenset([spec.key for spec in fields_of(category) if spec.required] + ["materials"])


def _choice_pairs(name):
    """``(value, untranslated label)`` pairs of a choice list."""
    if name == "gender":
        return GENDERS
    if name == "age_band":
        return AGE_BANDS
    if name == "region":
        return regions()
    return ()


def choices_for(name):
    """``(value, label)`` pairs of a choice list, labels translated."""
    return [(value, _(label)) for value, label in _choice_pairs(name)]


def shown_value(spec, value):
    """An answer as people read it: the label of a choice, else the text (only the chosen label
    is translated: a page shows many answers, the region list has 35 entries)."""
    if spec.kind == "choice":
        for choice, label in _choice_pairs(spec.choices):
            if choice == value:
                return _(label)
        return value
    return value or ""


def normalise_phone(text):
    """``+86 138-0013-8000`` -> ``13800138000`` (not checked)."""
    value = PHONE_SEPARATORS.sub("", str(text or ""))
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    if value.startswith("86") and len(value) == 13:
        value = value[2:]
    return value


def is_mobile_number(text):
    """A mainland China mobile number: 11 digits, ``1`` then ``3``-``9`` (python-stdnum has no check for it)."""
    return bool(PHONE_PATTERN.match(normalise_phone(text)))


def mask_phone(phone):
    """``138****8000``: enough for a nominator to recognise their number, useless to anyone else."""
    phone = str(phone or "")
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def looks_like_id_number(text):
    return bool(ID_NUMBER.search(DIGIT_GAPS.sub("", str(text or ""))))


def has_contact_data(text):
    """True when ``text`` holds a phone number or an e-mail address."""
    text = str(text or "")
    return bool(CONTACT_NUMBER.search(DIGIT_GAPS.sub("", text.replace("+86", " "))) or EMAIL.search(text))


def _length_message(spec, limit, longer):
    if longer:
        return _("{label}: at most {limit} characters.").format(label=_(spec.label), limit=limit)
    return _("{label}: at least {limit} characters.").format(label=_(spec.label), limit=limit)


def clean_answers(category, data):
    """Check what a nominator typed, as for a draft: every answer stored must be safe to keep.

    Returns ``(answers, phone, errors)``: the answers by key (phone excluded, normalised text),
    the phone as typed (normalised) or ``None`` when not sent, and ``{key: message}`` for values
    that cannot be stored even in a draft (too long, an unknown choice, an ID-card number).
    Required answers and minimum lengths are checked at submission by :func:`submission_errors`.
    """
    if not isinstance(data, dict):
        raise InvalidInput(_("The answers must be sent as an object."))
    answers, errors, phone = {}, {}, None
    for spec in fields_of(category):
        if spec.key not in data:
            continue
        raw = data[spec.key]
        if raw is None:
            raw = ""
        if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
            errors[spec.key] = _("{label}: enter text.").format(label=_(spec.label))
            continue
        value = str(raw).replace("\r\n", "\n").strip()
        if spec.kind != "textarea":
            value = " ".join(value.split())
        if looks_like_id_number(value):
            errors[spec.key] = _("{label}: do not enter ID-card numbers; they are never collected.").format(
                label=_(spec.label))
            continue
        if spec.public and spec.kind in ("text", "textarea") and has_contact_data(value):
            errors[spec.key] = _("{label}: this may be published, so leave out phone numbers and e-mail "
                                 "addresses (the contact phone has its own field).").format(label=_(spec.label))
            continue
        if len(value) > spec.max_length:
            errors[spec.key] = _length_message(spec, spec.max_length, longer=True)
            continue
        if spec.kind == "choice" and value and value not in dict(choices_for(spec.choices)):
            errors[spec.key] = _("{label}: choose one of the options.").format(label=_(spec.label))
            continue
        if spec.kind == "phone":
            phone = normalise_phone(value)[:20] if value else None
            continue
        answers[spec.key] = value
    return answers, phone, errors


def submission_errors(category, answers, phone, required, *, materials, consent_publication,
                      consent_portrait, has_images):
    """Everything that keeps a nomination from being submitted, as ``{field: message}``."""
    errors = {}
    for spec in fields_of(category):
        value = phone if spec.kind == "phone" else answers.get(spec.key, "")
        if not value:
            if spec.key in required:
                errors[spec.key] = _("{label}: this is required.").format(label=_(spec.label))
            continue
        if spec.min_length and len(value) < spec.min_length:
            errors[spec.key] = _length_message(spec, spec.min_length, longer=False)
        elif spec.kind == "phone" and not is_mobile_number(value):
            errors[spec.key] = _("{label}: enter a mainland mobile number of 11 digits starting with 1, "
                                 "such as 138 0013 8000.").format(label=_(spec.label))
        elif spec.kind == "date" and not _is_date(value):
            errors[spec.key] = _("{label}: enter a date like 2026-11-20.").format(label=_(spec.label))
    if "materials" in required and not materials:
        errors["materials"] = _("Attach at least one material.")
    if not consent_publication:
        errors["consent_publication"] = _("The nominee's consent to publication is required.")
    if has_images and not consent_portrait:
        errors["consent_portrait"] = _("Pictures are attached: the consent of the people shown is required.")
    return errors


def _is_date(value):
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
