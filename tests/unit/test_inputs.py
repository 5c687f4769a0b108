"""Numbers from clients: only JSON whole numbers or ASCII digits, within 64-bit database integers."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.inputs import page_number, whole_number


@pytest.mark.parametrize("value, number", [(0, 0), (12, 12), ("12", 12), (" 7 ", 7), ("007", 7)])
def test_whole_numbers_are_read(value, number):
    assert whole_number(value, "no") == number


@pytest.mark.parametrize("value", [True, False, 1.0, 1.9, -1, "-1", "²", "١", "1e3", "", None, [1], {"id": 1},
                                   10 ** 18, "9" * 19])
def test_anything_else_is_refused_with_the_message_given(value):
    with pytest.raises(InvalidInput) as refused:
        whole_number(value, "Choose a book.", "book")
    assert (refused.value.message, refused.value.fields) == ("Choose a book.", {"book": "Choose a book."})


def test_highest_is_a_limit():
    assert whole_number(5, "no", highest=5) == 5
    with pytest.raises(InvalidInput):
        whole_number(6, "no", highest=5)


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30)))
def test_a_page_is_always_a_page(value):
    page = page_number(value, pages=7)
    assert 1 <= page <= 7
