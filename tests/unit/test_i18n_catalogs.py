"""Which catalog translates: atlas-pulled first, then the shipped one; Traditional Chinese is not Simplified."""
import polib
import pytest
from django.utils import translation

from lifelong_xblocks import i18n


def clear_caches():
    i18n.catalogs.cache_clear()
    i18n.catalog.cache_clear()
    i18n._merged_translation.cache_clear()  # pylint: disable=protected-access


@pytest.fixture
def atlas_root(tmp_path, settings):
    folder = tmp_path / "conf/plugins-locale/xblock.v1/lifelong_xblocks/zh_CN/LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "zh_CN"}
    catalog.append(polib.POEntry(msgid="Large text", msgstr="大字（社区翻译）"))
    catalog.save_as_mofile(str(folder / "django.mo"))
    settings.REPO_ROOT = tmp_path
    clear_caches()
    yield
    clear_caches()


def test_atlas_strings_win_and_the_shipped_catalog_fills_the_rest(atlas_root):
    with translation.override("zh-hans"):
        assert i18n.gettext("Large text") == "大字（社区翻译）"
        assert i18n.gettext("Transcript") != "Transcript"


def test_templates_see_the_atlas_strings_too(atlas_root):
    with translation.override("zh-hans"), i18n.templates_translated():
        assert translation.gettext("Large text") == "大字（社区翻译）"


@pytest.mark.parametrize("language, locale", [
    ("zh-hans", "zh_CN"), ("zh-cn", "zh_CN"), ("zh", "zh_CN"), ("zh-hant", "zh_Hant"), ("zh-tw", "zh_TW"), ("en", "en"),
])
def test_language_codes_map_to_catalog_folders(language, locale):
    assert i18n.locale_for(language) == locale


def test_traditional_chinese_falls_back_to_english_not_simplified():
    with translation.override("zh-hant"):
        assert i18n.gettext("Transcript") == "Transcript"
