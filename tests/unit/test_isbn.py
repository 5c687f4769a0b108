"""ISBNs as learners type them: checked with python-stdnum, stored as ISBN-13."""
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import isbn as stdnum_isbn

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.reading.isbn import format_isbn, normalise_isbn


@pytest.mark.parametrize("typed", [
    "9787536692930", "978-7-5366-9293-0", "978 7 5366 9293 0", "7536692935", "7-5366-9293-5",
    "ISBN 978-7-5366-9293-0", "ISBN-10: 7536692935", "９７８７５３６６９２９３０", "  978－7－5366－9293－0 ",
])
def test_every_way_of_typing_one_book_gives_the_same_isbn13(typed):
    assert normalise_isbn(typed) == "9787536692930"


def test_isbn10_with_x_check_digit():
    assert normalise_isbn("0-8044-2957-X") == "9780804429573"
    assert normalise_isbn("080442957x") == "9780804429573"


@pytest.mark.parametrize("empty", [None, "", "   ", "ISBN"])
def test_empty_means_no_isbn(empty):
    assert normalise_isbn(empty) is None


def test_wrong_check_digit_is_a_clear_field_error():
    with pytest.raises(InvalidInput) as refused:
        normalise_isbn("978-7-5366-9293-1")
    assert refused.value.field == "isbn" and "check digit" in refused.value.message


@pytest.mark.parametrize("junk", ["12345", "978753669293", "abcdefghij", "97875366929301", "<script>"])
def test_wrong_length_or_letters_are_refused(junk):
    with pytest.raises(InvalidInput) as refused:
        normalise_isbn(junk)
    assert refused.value.field == "isbn"


def test_display_form_has_hyphens():
    assert format_isbn("9787536692930") == "978-7-5366-9293-0"
    assert format_isbn(None) == ""


def isbn10_check(body):
    check = (11 - sum((10 - i) * int(d) for i, d in enumerate(body)) % 11) % 11
    return "X" if check == 10 else str(check)


def isbn13_check(body):
    return str((10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body)) % 10) % 10)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_any_valid_isbn10_and_its_isbn13_are_the_same_book(body):
    isbn10 = body + isbn10_check(body)
    assert normalise_isbn(isbn10) == normalise_isbn(stdnum_isbn.to_isbn13(isbn10))
    assert len(normalise_isbn(isbn10)) == 13


@given(st.sampled_from(["978", "979"]), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_changing_the_check_digit_of_a_valid_isbn13_is_refused(prefix, rest):
    body = prefix + rest
    valid = body + isbn13_check(body)
    if prefix == "978":
        assert normalise_isbn(valid) == valid
    wrong = body + str((int(valid[-1]) + 1) % 10)
    with pytest.raises(InvalidInput):
        normalise_isbn(wrong)
