"""Staff removing registrations while learners sign up (MariaDB row locks): seats are never exceeded,
the waiting list keeps its order, every removal is logged once."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from lifelong_xblocks import clock
from lifelong_xblocks.live import seats, staff_attendance
from lifelong_xblocks.live.schedule import Schedule
from lifelong_xblocks.models.live import LiveRegistration
from lifelong_xblocks.models.moderation import ModerationAction

COURSE = "course-v1:OU+LL101+2025"
USAGE = "block-v1:OU+LL101+2025+type@lifelong_live_session+block@meetup1"
CAPACITY = 20


def _users(count, prefix):
    model = get_user_model()
    model.objects.bulk_create([model(username=f"{prefix}{i:02d}") for i in range(count)])
    return list(model.objects.filter(username__startswith=prefix).order_by("id"))


def _schedule():
    start = clock.now() + timedelta(days=1)
    return Schedule(start=start, end=start + timedelta(hours=1), zone_name="Asia/Shanghai", join_window_minutes=15)


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_ten_staff_removals_while_ten_learners_sign_up(concurrently):
    staff = get_user_model().objects.create(username="organiser")
    first = _users(25, "early")                 # 20 seats taken, 5 waiting
    for user in first:
        seats.sign_up(COURSE, USAGE, user.pk, capacity=CAPACITY)
    waiting_before = list(LiveRegistration.objects.filter(usage_key=USAGE, status="waiting")
                          .order_by("queue_number").values_list("user_id", flat=True))
    removed = first[:10]
    newcomers = _users(10, "late")
    schedule = _schedule()

    def act(i):
        if i % 2:
            return seats.sign_up(COURSE, USAGE, newcomers[i // 2].pk, capacity=CAPACITY).status
        return staff_attendance.remove_registration(COURSE, USAGE, removed[i // 2], staff.pk, CAPACITY,
                                                    schedule)[0].status

    results, errors = concurrently(act, 20)
    assert errors == []
    assert sorted(status for i, status in results if i % 2 == 0) == ["cancelled"] * 10
    rows = LiveRegistration.objects.filter(usage_key=USAGE)
    registered = rows.filter(status="registered")
    waiting = rows.filter(status="waiting")
    assert registered.count() == CAPACITY and waiting.count() == 5 and rows.filter(status="cancelled").count() == 10
    # Everyone waiting before got a seat; nobody waiting came before anybody seated (first come, first served).
    assert set(waiting_before) <= set(registered.values_list("user_id", flat=True))
    assert min(waiting.values_list("queue_number", flat=True)) > max(registered.values_list("queue_number", flat=True))
    assert sorted(rows.values_list("queue_number", flat=True)) == list(range(1, 36))
    actions = ModerationAction.objects.filter(usage_key=USAGE, action="remove_registration")
    assert actions.count() == 10 and set(actions.values_list("subject_id", flat=True)) == set(
        rows.filter(user__in=removed).values_list("id", flat=True))


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_the_same_removal_from_many_tabs_frees_one_seat(concurrently):
    staff = get_user_model().objects.create(username="organiser")
    users = _users(4, "learner")
    for user in users:
        seats.sign_up(COURSE, USAGE, user.pk, capacity=2)
    schedule = _schedule()
    results, errors = concurrently(
        lambda _i: staff_attendance.remove_registration(COURSE, USAGE, users[0], staff.pk, 2, schedule)[2], 8)
    assert errors == [] and sorted(changed for _i, changed in results) == [False] * 7 + [True]
    rows = LiveRegistration.objects.filter(usage_key=USAGE)
    assert list(rows.filter(status="registered").order_by("queue_number").values_list("user_id", flat=True)) == [
        users[1].pk, users[2].pk]
    assert ModerationAction.objects.filter(action="remove_registration").count() == 1


@pytest.mark.django_db
def test_removal_and_staff_check_in_on_any_database():
    staff = get_user_model().objects.create(username="organiser")
    users = _users(3, "learner")
    for user in users:
        seats.sign_up(COURSE, USAGE, user.pk, capacity=1)
    schedule = _schedule()
    _registration, promoted, changed = staff_attendance.remove_registration(COURSE, USAGE, users[0], staff.pk, 1,
                                                                             schedule)
    assert changed and [row.user_id for row in promoted] == [users[1].pk]
    open_at = schedule.start - timedelta(minutes=5)
    registration, changed = staff_attendance.staff_check_in(COURSE, USAGE, users[1], staff.pk, schedule, now=open_at)
    assert changed and registration.check_in_method == "staff" and registration.checked_in_at == open_at
    assert staff_attendance.staff_check_in(COURSE, USAGE, users[1], staff.pk, schedule, now=open_at)[1] is False
    late = schedule.end + timedelta(hours=staff_attendance.HOURS_AFTER_END)
    assert not staff_attendance.attendance_open(schedule, late)
    assert staff_attendance.attendance_open(schedule, late - timedelta(seconds=1))
