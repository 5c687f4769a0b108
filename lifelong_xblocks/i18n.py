"""Translations: one catalog for Python, templates and the strings handed to JavaScript.

The catalog ships where Open edX looks for an XBlock's own translations
(``lifelong_xblocks/translations/<locale>/LC_MESSAGES/text.mo``); a catalog pulled with
openedx-atlas (``conf/plugins-locale/xblock.v1/lifelong_xblocks``) takes precedence, as in Open edX.  The language is
whatever Django has activated for the request (the LMS sets it from the learner's
preference; the workbench from ``Accept-Language``), so the same calls work in the
LMS, in Studio, in Celery tasks and in the workbench.
"""
import contextlib
import functools
import gettext as gettext_module
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

PACKAGE = "lifelong_xblocks"
DOMAIN = "text"
LOCALE_DIR = Path(__file__).resolve().parent / "translations"
SOURCE_LANGUAGE = "en"


SIMPLIFIED_CHINESE = {"zh", "zh-cn", "zh-hans", "zh-hans-cn", "zh-sg", "zh-hans-sg"}


def locale_for(language):
    """Map a Django language code (``zh-hans``, ``zh-cn``, ``zh``) to a catalog folder (``zh_CN``).

    Traditional Chinese (``zh-hant``, ``zh-tw``, ``zh-hk``) is not mapped onto the Simplified catalog.
    """
    language = (language or SOURCE_LANGUAGE).lower()
    if language in SIMPLIFIED_CHINESE:
        return "zh_CN"
    return translation.to_locale(language)


def _atlas_dir():
    """Where ``pull_xblock_translations`` puts catalogs fetched with openedx-atlas, if anywhere."""
    repo_root = getattr(settings, "REPO_ROOT", None)
    if not repo_root:
        return None
    return Path(str(repo_root)) / "conf" / "plugins-locale" / "xblock.v1" / PACKAGE


@functools.lru_cache(maxsize=32)
def catalogs(language):
    """Our catalogs for a language, lowest priority first: the shipped one, then atlas's."""
    locale = locale_for(language)
    found = [gettext_module.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[locale], fallback=True)]
    atlas = _atlas_dir()
    if atlas is not None and atlas.is_dir():
        pulled = gettext_module.translation("django", localedir=str(atlas), languages=[locale], fallback=True)
        if isinstance(pulled, gettext_module.GNUTranslations):
            found.append(pulled)
    return tuple(found)


@functools.lru_cache(maxsize=32)
def catalog(language):
    """The catalog to translate with: atlas's strings first, then the shipped ones, then English."""
    chain = catalogs(language)
    top = chain[-1]
    if len(chain) > 1:
        top.add_fallback(chain[0])
    return top


def gettext(message):
    """Translate ``message`` into the active language."""
    return catalog(translation.get_language()).gettext(message)


def ngettext(singular, plural, number):
    """Translate a message with a plural form into the active language."""
    return catalog(translation.get_language()).ngettext(singular, plural, number)


def gettext_noop(message):
    """Mark a string for extraction; it is translated where it is shown (field labels, choices)."""
    return message


_ = gettext


@functools.lru_cache(maxsize=32)
def _merged_translation(language):
    """Django's translation for ``language`` with our catalog laid over it.

    Built once per language and activated only while one of our templates renders,
    so ``{% trans %}`` in them finds our strings without touching Django's global catalogs.
    """
    merged = trans_real.DjangoTranslation(language)  # a new object, not Django's cached one
    for ours in catalogs(language):
        merged.merge(ours)
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
