"""What reviewers search for: every answer of a nomination as one normalised text, kept on the row.

The answers are stored as JSON, where the encoder writes Chinese as ``\\uXXXX`` escapes (on SQLite
and MariaDB alike), so a LIKE over them never finds a Chinese word.  ``Nomination.search_text``
holds the answers as plain text instead, with the organisation and the choices (region, age band)
in English and Chinese, NFKC-normalised and case-folded; it is written with every change of the
answers or the organisation, and a query is normalised the same way before ``icontains``.
The phone is left out: it is looked at in the detail view, not searched.
"""
import unicodedata

from django.utils import translation

from lifelong_xblocks.nominations import forms

SEARCH_LANGUAGES = ("en", "zh-hans")   # choice labels are searchable in both
MAX_QUERY = 100


def normalise(text):
    """Full-width to half-width, case folded, runs of white space made one space."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def text_of(campaign, category, organisation, answers):
    """The search text of a nomination with these answers, for this organisation."""
    parts = [organisation]
    for spec in forms.fields_of(category):
        if spec.kind not in ("choice", "phone"):
            parts.append(answers.get(spec.key, ""))
    for language in SEARCH_LANGUAGES:
        with translation.override(language):
            parts.append(campaign.organisation_label(organisation))
            parts.extend(forms.shown_value(spec, answers.get(spec.key)) for spec in forms.fields_of(category)
                         if spec.kind == "choice" and answers.get(spec.key))
    return normalise(" ".join(str(part) for part in parts if part))


def query(text):
    """A reviewer's search words, normalised like the search text (empty when nothing to look for)."""
    return normalise(str(text or "")[:MAX_QUERY])
