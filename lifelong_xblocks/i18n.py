"""Translations: one catalog for Python, templates and the strings handed to JavaScript.

The catalog lives where Open edX looks for an XBlock's own translations
(``lifelong_xblocks/translations/<locale>/LC_MESSAGES/text.mo``).  The language is
whatever Django has activated for the request (the LMS sets it from the learner's
preference; the workbench from ``Accept-Language``), so the same calls work in the
LMS, in Studio, in Celery tasks and in the workbench.
"""
import contextlib
import functools
import gettext as gettext_module
from pathlib import Path

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import trans_real

DOMAIN = "text"
LOCALE_DIR = Path(__file__).resolve().parent / "translations"
SOURCE_LANGUAGE = "en"


def locale_for(language):
    """Map a Django language code (``zh-hans``, ``zh-cn``, ``zh``) to our catalog folder (``zh_CN``)."""
    language = (language or SOURCE_LANGUAGE).lower()
    if language.startswith("zh"):
        return "zh_CN"
    return translation.to_locale(language)


@functools.lru_cache(maxsize=32)
def catalog(language):
    """The gettext catalog for a language; the source strings when we ship none for it."""
    return gettext_module.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[locale_for(language)],
                                      fallback=True)


def gettext(message):
    """Translate ``message`` into the active language."""
    return catalog(translation.get_language()).gettext(message)


def ngettext(singular, plural, number):
    """Translate a message with a plural form into the active language."""
    return catalog(translation.get_language()).ngettext(singular, plural, number)


def gettext_noop(message):
    """Mark a string for extraction; it is translated where it is shown (field labels, choices)."""
    return message


gettext_lazy = lazy(gettext, str)
_ = gettext


@functools.lru_cache(maxsize=32)
def _merged_translation(language):
    """Django's translation for ``language`` with our catalog laid over it.

    Built once per language and activated only while one of our templates renders,
    so ``{% trans %}`` in them finds our strings without touching Django's global catalogs.
    """
    merged = trans_real.DjangoTranslation(language)  # a new object, not Django's cached one
    merged.merge(catalog(language))
    return merged


@contextlib.contextmanager
def templates_translated():
    """Make ``{% trans %}`` and Django's gettext use our catalog for the duration of a render."""
    language = translation.get_language() or SOURCE_LANGUAGE
    previous = getattr(trans_real._active, "value", None)  # pylint: disable=protected-access
    trans_real._active.value = _merged_translation(language)  # pylint: disable=protected-access
    try:
        yield language
    finally:
        if previous is None:
            del trans_real._active.value  # pylint: disable=protected-access
        else:
            trans_real._active.value = previous  # pylint: disable=protected-access
