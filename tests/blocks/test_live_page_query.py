"""The live session page's one query (seats.page_state, SQL compiled once per connection) reads the
same state, registration and replay progress as the plain ORM reads."""
import datetime

import pytest

from lifelong_xblocks.live import seats
from lifelong_xblocks.models.classroom import LessonProgress
from lifelong_xblocks.models.live import LiveRegistration, LiveSessionState

UTC = datetime.timezone.utc
USAGE = "block-v1:OU+L+2026+type@lifelong_live_session+block@page"


@pytest.fixture
def learners(django_user_model):
    return [django_user_model.objects.create(username=f"page-{n}") for n in range(3)]


def test_without_a_state_row_nothing_is_read_and_progress_is_left_to_read(db, learners):
    assert seats.page_state(USAGE, learners[0].pk) == (None, None, None, False)


def test_state_registration_and_progress_as_the_orm_reads_them(db, learners):
    moment = datetime.datetime(2026, 12, 1, 11, 30, 15, 123000, tzinfo=UTC)
    LiveSessionState.objects.create(course_key="c", usage_key=USAGE, start_override=moment,
                                    end_override=moment + datetime.timedelta(hours=1),
                                    overrides_start="20261201T113000Z/20261201T123000Z", cancelled=True,
                                    cancel_reason="雨", sequence=3)
    for n, learner in enumerate(learners[:2]):
        seats.sign_up("c", USAGE, learner.pk, capacity=1, now=moment + datetime.timedelta(minutes=n))
    LiveRegistration.objects.filter(user=learners[0]).update(checked_in_at=moment, check_in_method="qr")
    LessonProgress.objects.create(course_key="c", usage_key=USAGE, user=learners[0], coverage=0.25, position=12.5)

    state, registration, lesson, read = seats.page_state(USAGE, learners[0].pk, count_seats=True)
    row = LiveSessionState.objects.get(usage_key=USAGE)
    for name in seats.STATE_FIELDS:
        assert getattr(state, name) == getattr(row, name), name
    assert state.seats_taken == 1 and read
    stored = LiveRegistration.objects.get(usage_key=USAGE, user=learners[0])
    for name in seats.OWN_FIELDS:
        assert getattr(registration, name) == getattr(stored, name), name
    assert (lesson.coverage, lesson.position) == (0.25, 12.5)

    state, registration, lesson, read = seats.page_state(USAGE, learners[1].pk, count_seats=False)
    assert registration.status == seats.WAITING and lesson is None and read
    assert not hasattr(state, "seats_taken") or state.seats_taken is None
    assert seats.page_state(USAGE, learners[2].pk)[1:] == (None, None, True)
