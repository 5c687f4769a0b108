"""What authors set in Studio for a recitation: the passage and the recording limits.

The largest recording an author may allow is the site's own upload limit: Open edX refuses
(413) any file above ``STUDENT_FILEUPLOAD_MAX_SIZE`` (4 MB = 4,000,000 bytes by default) before
a block sees it, so a larger block limit would only promise learners what the site cannot take.
Megabytes here are the same decimal megabytes as that setting's.
"""
import re

from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.uploads.rules import megabytes, site_max_bytes
from lifelong_xblocks.uploads.rules import size_label as size_text
MIN_SECONDS, MAX_SECONDS = 5, 1800
PASSAGE_MAX = 20000
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def max_bytes(max_size_mb):
    return megabytes(max_size_mb)


def problems(data):
    """Translated messages for everything wrong in the fields about to be saved."""
    found = []
    size = getattr(data, "max_size_mb", None)
    if not isinstance(size, (int, float)) or isinstance(size, bool) or size <= 0:
        found.append(_("The largest recording must be more than 0 MB."))
    elif max_bytes(size) > site_max_bytes():
        found.append(_("The largest recording can be at most {size}: the site refuses larger uploads "
                       "(STUDENT_FILEUPLOAD_MAX_SIZE). Ask the operator to raise it first.")
                     .format(size=size_text(site_max_bytes())))
    seconds = getattr(data, "max_seconds", None)
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not MIN_SECONDS <= seconds <= MAX_SECONDS:
        found.append(_("The longest recording must be between {low} and {high} seconds.")
                     .format(low=MIN_SECONDS, high=MAX_SECONDS))
    if getattr(data, "text_format", "markdown") not in ("markdown", "html"):
        found.append(_("The passage format must be Markdown or HTML."))
    if len(getattr(data, "passage", "") or "") > PASSAGE_MAX:
        found.append(_("The passage can be at most {limit} characters long.").format(limit=PASSAGE_MAX))
    language = getattr(data, "content_language", "") or ""
    if language and not LANGUAGE_TAG.match(language):
        found.append(_("The content language must be a language code such as zh-CN or en."))
    return found
