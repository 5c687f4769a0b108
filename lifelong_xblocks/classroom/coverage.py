"""Honest playback coverage: merge the intervals a player really played.

A player reports ``[start, end]`` pairs in media seconds.  The server keeps their union,
clamped to the media duration, so replaying a part never counts twice and seeking to
the end counts only what was played after the seek.  A report may not claim more new
playback than the wall-clock time since the previous report allows at the fastest
speed the player offers (2x), plus a little slack for network jitter.
"""
import math

MAX_PLAYBACK_RATE = 2.0
# Reports travel over slow mobile links: allow this much wall-clock slack, in seconds.
CLOCK_SLACK_SECONDS = 5.0
MAX_INTERVALS_PER_REPORT = 100
MAX_MEDIA_SECONDS = 24 * 3600


def merge(intervals):
    """The union of ``[start, end]`` intervals as a sorted list of disjoint intervals."""
    merged = []
    for start, end in sorted((float(s), float(e)) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def clamp(intervals, duration):
    """Cut intervals to ``[0, duration]`` and drop the empty ones."""
    clamped = []
    for start, end in intervals:
        start, end = max(0.0, start), min(float(duration), end)
        if end > start:
            clamped.append([start, end])
    return clamped


def total(intervals):
    """Seconds covered by disjoint intervals."""
    return sum(end - start for start, end in intervals)


def coverage(intervals, duration):
    """Share of the media covered, 0.0-1.0."""
    if duration <= 0:
        return 0.0
    return min(1.0, total(merge(clamp(intervals, duration))) / duration)


def is_plausible(claimed_seconds, elapsed_seconds):
    """Could a player have played ``claimed_seconds`` of media in ``elapsed_seconds`` of real time?"""
    return claimed_seconds <= MAX_PLAYBACK_RATE * max(0.0, elapsed_seconds) + CLOCK_SLACK_SECONDS


def parse_intervals(raw):
    """Validate a report's intervals; return them as floats or raise ``ValueError``."""
    if not isinstance(raw, list) or len(raw) > MAX_INTERVALS_PER_REPORT:
        raise ValueError("intervals must be a list of at most %d pairs" % MAX_INTERVALS_PER_REPORT)
    parsed = []
    for pair in raw:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError("each interval is a [start, end] pair")
        start, end = pair
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) for v in (start, end)):
            raise ValueError("interval bounds are finite numbers")
        if start < 0 or end < start or end > MAX_MEDIA_SECONDS:
            raise ValueError("an interval lies within the media and ends after it starts")
        parsed.append([float(start), float(end)])
    return parsed


def new_playback(known, reported, duration):
    """Seconds of ``reported`` not already in ``known`` (both clamped to duration)."""
    reported = merge(clamp(reported, duration))
    return total(merge(clamp(known, duration) + reported)) - total(merge(clamp(known, duration)))
