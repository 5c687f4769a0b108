"""The zh_CN catalog covers the current source, compiles to the shipped .mo, keeps placeholders,
and is what learners see when Django's language is Chinese.

The extraction is the one of ``scripts/translations.py`` (xgettext over the package, Django's
``templatize`` over the templates), run into a temporary file and compared with the shipped .po.
When a test here fails after a code change: ``make translations``, translate what
``python scripts/translations.py check`` lists in lifelong_xblocks/translations/zh_CN/LC_MESSAGES/text.po,
then ``python scripts/translations.py compile``.
"""
import importlib.util
import json
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.utils import translation

REPO = Path(__file__).resolve().parents[2]
LOCALE = "zh_CN"
HOW_TO_FIX = ("run `make translations`, translate the entries listed in "
              "lifelong_xblocks/translations/zh_CN/LC_MESSAGES/text.po, then "
              "`python scripts/translations.py compile`")


def _load_script():
    spec = importlib.util.spec_from_file_location("lifelong_translations_script", REPO / "scripts" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tools = _load_script()


@pytest.fixture(scope="module")
def pot(tmp_path_factory):
    missing = [tool for tool in ("xgettext", "msgfmt") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"GNU gettext is needed to check the catalog ({', '.join(missing)} missing): make system-deps")
    return tools.extract_pot(tmp_path_factory.mktemp("i18n") / "text.pot")


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(tools.po_path(LOCALE)))


# ---- the catalog -------------------------------------------------------------------------------
def test_extraction_finds_python_template_and_js_strings(pot):
    msgids = {entry.msgid for entry in pot}
    assert "Large text" in msgids                       # {% trans %} in a template
    assert "Played: %(percent)s%%" in msgids            # {% blocktrans with %}, % doubled as Django does
    assert "About %(minutes)s minute" in msgids         # {% blocktrans count %} ... {% plural %}
    plural = next(entry for entry in pot if entry.msgid == "About %(minutes)s minute")
    assert plural.msgid_plural == "About %(minutes)s minutes"
    assert "Micro-lesson" in msgids                     # N_ on a field default
    assert "Inner Mongolia" in msgids                   # gettext_noop imported as _
    assert "Played: {percent}%" in msgids               # js_strings handed to JavaScript


def test_every_source_string_is_translated(pot):
    problems = tools.catalog_problems(pot, LOCALE)
    gaps = [problem for problem in problems if problem.split(":", 1)[0] in ("missing", "untranslated", "fuzzy")]
    assert not gaps, f"{len(gaps)} strings lack a zh_CN translation ({HOW_TO_FIX}):\n" + "\n".join(gaps)


def test_marked_strings_are_extractable(pot):
    problems = tools.literal_problems(pot)
    assert not problems, "translatable strings that extraction cannot see:\n" + "\n".join(problems)


def test_header(po):
    assert po.metadata["Language"] == "zh_CN"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in po.metadata["Content-Type"]


def test_mo_is_compiled_from_the_current_po():
    problems = tools.mo_problems(LOCALE)
    assert not problems, "\n".join(problems)


def test_placeholders_of_translations_match_their_msgids(po):
    problems = [problem for entry in po.translated_entries() for problem in tools.placeholder_problems(entry)]
    assert not problems, "\n".join(problems)


def test_every_blocktrans_translation_formats_like_django_will(po):
    """Django %-formats blocktrans results and falls back to English when that fails."""
    for entry in po.translated_entries():
        if "python-format" not in entry.flags or not any(path.startswith("templates/") for path, _ in entry.occurrences):
            continue
        names = {name for name, _ in tools.percent_fields(entry.msgid_plural or entry.msgid) if name}
        for text in (entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]):
            formatted = text % {name: "7" for name in names}
            assert "%(" not in formatted, (entry.msgid, text)


@pytest.mark.parametrize("msgid, msgstr, flags", [
    ("Give at most {count} video qualities.", "最多 {number} 种。", ["python-brace-format"]),
    ("Give at most {count} video qualities.", "最多几种。", ["python-brace-format"]),
    ("Played: %(percent)s%%", "已播放：%(percent)s%", ["python-format"]),
    ("Played: %(percent)s%%", "已播放：%(percents)s%%", ["python-format"]),
])
def test_placeholder_check_catches_mistakes(msgid, msgstr, flags):
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags)
    assert tools.placeholder_problems(entry)


def test_placeholder_check_accepts_good_translations():
    assert not tools.placeholder_problems(polib.POEntry(
        msgid="Question {number} needs between 2 and {most} choices.",
        msgstr="第 {number} 题需要 2 到 {most} 个选项。", flags=["python-brace-format"]))
    assert not tools.placeholder_problems(polib.POEntry(
        msgid="About %(minutes)s minute", msgid_plural="About %(minutes)s minutes",
        msgstr_plural={0: "约 %(minutes)s 分钟"}, flags=["python-format"]))


# ---- what learners see -------------------------------------------------------------------------
LESSON = """
<lifelong_microlesson display_name="Lesson" estimated_minutes="5" media_duration="30"
  video_sources='[{"url": "https://example.org/360.mp4", "label": "360p", "height": 360, "type": "video/mp4"}]'
  audio_url="https://example.org/lesson.mp3"
  questions='[{"id": "q1", "kind": "single", "prompt": "Pick a", "choices": [{"id": "a", "text": "A", "correct": true}, {"id": "b", "text": "B"}]}]'
/>
"""


def js_config(html):
    """The block's JS config, handed over as a json_script element in the rendered block."""
    match = re.search(r'<script id="[^"]*-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no JS config in the rendered block"
    return json.loads(match.group(1))


@pytest.mark.parametrize("language", ["zh-hans", "zh-cn"])
def test_microlesson_in_chinese(scenario, language):
    client = scenario(LESSON)("student_1")
    with translation.override(language):
        fragment = client.render()
        html = fragment.content
        assert "大字模式" in html
        assert "省流量模式" in html
        assert "随堂小测" in html
        assert "约 5 分钟" in html            # blocktrans count/plural
        assert "已播放：0%" in html           # blocktrans with, %% restored to %
        for english in ("Large text", "Save data", "Quick check", "About 5 minutes", "Played:"):
            assert english not in html
        assert js_config(html)["strings"]["completed"] == "已完成"   # strings handed to JavaScript
        block = client.block
        assert block.ugettext(block.fields["display_name"].display_name) == "显示名称"   # Studio labels


def test_microlesson_in_english(scenario):
    client = scenario(LESSON)("student_1")
    with translation.override("en"):
        fragment = client.render()
        html = fragment.content
        for english in ("Large text", "Save data", "Quick check", "About 5 minutes", "Played: 0%"):
            assert english in html
        assert "大字模式" not in html
        assert js_config(html)["strings"]["completed"] == "Completed"
