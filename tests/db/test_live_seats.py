"""Seats of a live session under real concurrency (MariaDB row locks), and the same rules on SQLite."""
import pytest
from django.contrib.auth import get_user_model

from lifelong_xblocks.errors import Conflict
from lifelong_xblocks.live import seats
from lifelong_xblocks.models.live import LiveRegistration, LiveSessionState

COURSE = "course-v1:OU+LL101+2025"
USAGE = "block-v1:OU+LL101+2025+type@lifelong_live_session+block@lecture1"


def _users(count, prefix="learner"):
    model = get_user_model()
    model.objects.bulk_create([model(username=f"{prefix}{i}") for i in range(count)])
    return list(model.objects.filter(username__startswith=prefix).order_by("id"))


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_sixty_learners_signing_up_at_once_for_thirty_seats(concurrently):
    users = _users(60)

    def sign_up(i):
        return seats.sign_up(COURSE, USAGE, users[i].pk, capacity=30).status

    results, errors = concurrently(sign_up, 60)
    assert errors == []
    statuses = [status for _i, status in results]
    assert statuses.count("registered") == 30 and statuses.count("waiting") == 30
    rows = LiveRegistration.objects.filter(usage_key=USAGE)
    assert rows.count() == 60 and rows.values("user").distinct().count() == 60
    assert rows.filter(status="registered").count() == 30
    numbers = sorted(rows.values_list("queue_number", flat=True))
    assert numbers == list(range(1, 61))            # nobody counted twice, nobody lost
    waiting = rows.filter(status="waiting")
    assert min(waiting.values_list("queue_number", flat=True)) > max(
        rows.filter(status="registered").values_list("queue_number", flat=True))
    assert LiveSessionState.objects.filter(usage_key=USAGE).count() == 1


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_cancellations_at_once_promote_the_waiting_list_in_order(concurrently):
    users = _users(40)
    for user in users:
        seats.sign_up(COURSE, USAGE, user.pk, capacity=30)
    first_waiting = list(LiveRegistration.objects.filter(usage_key=USAGE, status="waiting")
                         .order_by("queue_number").values_list("user_id", flat=True))

    def cancel(i):
        return seats.cancel(COURSE, USAGE, users[i].pk, capacity=30)[0].status

    results, errors = concurrently(cancel, 10)
    assert errors == [] and [status for _i, status in results] == ["cancelled"] * 10
    rows = LiveRegistration.objects.filter(usage_key=USAGE)
    assert rows.filter(status="registered").count() == 30
    promoted = set(rows.filter(promoted=True).values_list("user_id", flat=True))
    assert promoted == set(first_waiting[:10])


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_one_learner_signing_up_in_many_tabs_gets_one_place(concurrently):
    user = _users(1)[0]
    results, errors = concurrently(lambda _i: seats.sign_up(COURSE, USAGE, user.pk, capacity=5).pk, 12)
    assert errors == [] and len({pk for _i, pk in results}) == 1
    assert LiveRegistration.objects.filter(usage_key=USAGE).count() == 1


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_check_ins_and_sign_ups_at_once_never_overfill(concurrently):
    users = _users(30)

    def act(i):
        if i % 2:
            return seats.check_in(COURSE, USAGE, users[i].pk, capacity=10, method="qr").status
        return seats.sign_up(COURSE, USAGE, users[i].pk, capacity=10).status

    _results, errors = concurrently(act, 30)
    assert all(isinstance(error, Conflict) for _i, error in errors)
    assert LiveRegistration.objects.filter(usage_key=USAGE, status="registered").count() == 10


@pytest.mark.django_db
def test_raised_capacity_gives_seats_to_those_waiting_first():
    users = _users(4)
    for user in users:
        seats.sign_up(COURSE, USAGE, user.pk, capacity=1)
    promoted = seats.fill_free_seats(COURSE, USAGE, capacity=3)
    assert [r.user_id for r in promoted] == [users[1].pk, users[2].pk]
    assert seats.waiting_position(USAGE, seats.get_registration(USAGE, users[3].pk)) == 1
