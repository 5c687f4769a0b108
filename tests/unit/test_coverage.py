"""Honest coverage: merging played intervals and the anti-skip rule."""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifelong_xblocks.classroom import coverage as cov

seconds = st.floats(min_value=0, max_value=600, allow_nan=False, allow_infinity=False)
interval = st.tuples(seconds, seconds).map(lambda pair: [min(pair), max(pair)])
intervals = st.lists(interval, max_size=30)


@given(intervals)
def test_merged_intervals_are_sorted_and_disjoint(raw):
    merged = cov.merge(raw)
    for (start, end), (next_start, _next_end) in zip(merged, merged[1:], strict=False):
        assert start < end < next_start


@given(intervals)
def test_merging_keeps_exactly_the_covered_points(raw):
    merged = cov.merge(raw)
    for start, end in raw:
        if end > start:
            middle = (start + end) / 2
            assert any(s <= middle <= e for s, e in merged)
    assert cov.total(merged) <= sum(max(0, e - s) for s, e in raw) + 1e-6


@given(intervals, intervals)
def test_merging_is_idempotent_and_order_free(a, b):
    assert cov.merge(cov.merge(a) + b) == cov.merge(a + b) == cov.merge(b + a)


@given(intervals, st.floats(min_value=1, max_value=600))
def test_coverage_is_a_share_clamped_to_the_duration(raw, duration):
    value = cov.coverage(raw, duration)
    assert 0.0 <= value <= 1.0


def test_replaying_the_same_part_never_counts_twice():
    assert cov.coverage([[0, 10], [0, 10], [5, 10]], 100) == pytest.approx(0.10)


def test_seeking_to_the_end_counts_only_what_was_played_after_the_seek():
    played = [[0, 5], [295, 300]]
    assert cov.coverage(played, 300) == pytest.approx(10 / 300)


def test_intervals_past_the_end_are_clamped():
    assert cov.coverage([[90, 500]], 100) == pytest.approx(0.10)


@pytest.mark.parametrize("claimed, elapsed, plausible", [
    (20, 10, True),      # 2x speed for 10 s
    (25, 10, True),      # within the network slack
    (26, 10, False),     # more than 2x plus slack
    (300, 0, False),     # a whole lesson claimed at once
    (5, 0, True),        # slack only
])
def test_a_report_may_not_claim_more_than_double_speed_allows(claimed, elapsed, plausible):
    assert cov.is_plausible(claimed, elapsed) is plausible


@given(st.floats(min_value=0, max_value=10_000), st.floats(min_value=0, max_value=10_000))
def test_plausibility_is_monotonic_in_elapsed_time(claimed, elapsed):
    if cov.is_plausible(claimed, elapsed):
        assert cov.is_plausible(claimed, elapsed + 1)


@pytest.mark.parametrize("raw", [
    "0-10", [[0]], [[1, "2"]], [[5, 1]], [[-1, 2]], [[0, math.inf]], [[0, math.nan]], [[True, 2]],
    [[0, 1]] * (cov.MAX_INTERVALS_PER_REPORT + 1), [{"start": 0, "end": 1}],
])
def test_malformed_reports_are_refused(raw):
    with pytest.raises(ValueError):
        cov.parse_intervals(raw)


def test_new_playback_is_what_the_known_intervals_did_not_cover():
    assert cov.new_playback([[0, 10]], [[5, 15]], 100) == pytest.approx(5)
