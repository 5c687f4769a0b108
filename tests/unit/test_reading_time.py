"""The minimum time before "I have finished reading" is believed."""
from lifelong_xblocks.classroom import reading


def test_an_empty_text_still_needs_the_minimum():
    assert reading.minimum_seconds("") == reading.MINIMUM_SECONDS


def test_chinese_text_is_counted_by_characters():
    text = "学" * 510   # two minutes at 255 characters a minute
    assert reading.expected_seconds(text) == 120
    assert reading.minimum_seconds(text) == 60


def test_english_text_is_counted_by_words_and_markup_is_ignored():
    text = "<p>" + " ".join(["word"] * 228) + "</p><script>ignored ignored</script>"
    assert 59 <= reading.expected_seconds(text) <= 61


def test_mixed_text_adds_both():
    assert reading.expected_seconds("学" * 255 + " word" * 228) == 120
