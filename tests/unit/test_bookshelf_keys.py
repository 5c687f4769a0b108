"""When two recommendations are the same book: folded title and author."""
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from lifelong_xblocks.reading.book_keys import fold, match_key


def full_width(text):
    """ASCII letters, digits and punctuation in their full-width forms, as Chinese input methods type them."""
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else ("\u3000" if char == " " else char)
                   for char in text)


def test_full_width_and_half_width_are_the_same_book():
    assert match_key("Ｔｈｅ Ｈｏｂｂｉｔ", "Ｔｏｌｋｉｅｎ") == match_key("The Hobbit", "Tolkien")


def test_case_punctuation_and_spacing_do_not_matter():
    assert match_key("《三体》", "刘慈欣") == match_key("三体", " 刘慈欣 ")
    assert match_key("三体：黑暗森林", "刘慈欣") == match_key("三体 黑暗 森林", "刘慈欣")
    assert match_key("Harry Potter: and the Stone!", "J. K. Rowling") == \
        match_key("harry   potter and the stone", "J K Rowling")


def test_different_books_stay_different():
    assert match_key("三体", "刘慈欣") != match_key("三体 II", "刘慈欣")
    assert match_key("Emma", "Jane Austen") != match_key("Emma", "Someone Else")
    assert match_key("ab", "c") != match_key("a", "bc")
    assert match_key("Now here", "A") != match_key("Nowhere", "A")   # Latin word breaks count


def test_composed_and_decomposed_accents_are_the_same():
    assert match_key("Café", "Zoë") == match_key(unicodedata.normalize("NFD", "Café"), unicodedata.normalize("NFD", "Zoë"))


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
ASCII = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


@given(TEXT)
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(ASCII, ASCII)
def test_full_width_typing_never_makes_another_book(title, author):
    assert match_key(full_width(title), full_width(author)) == match_key(title, author)


@given(TEXT, TEXT)
def test_extra_spaces_and_brackets_never_make_another_book(title, author):
    assert match_key(f"  《{title}》 ", f"{author}  ") == match_key(title, author)


@given(TEXT)
def test_folded_text_has_no_punctuation_or_double_spaces(text):
    folded = fold(text)
    assert "  " not in folded and folded == folded.strip()
    assert not any(unicodedata.category(char)[0] in "PSC" for char in folded)
