"""Reading-log check-ins racing on a real database: one row a day, nothing lost.

The constraint tests run on SQLite and MariaDB; the ones marked ``mariadb`` use real threads on
separate connections with InnoDB's row locks (``LIFELONG_DB=mariadb``).
"""
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from lifelong_xblocks.models.moderation import ContentFlag
from lifelong_xblocks.models.reading_log import ReadingCheckIn, ReadingWallMember
from lifelong_xblocks.reading import log_wall, reading_log

COURSE = "course-v1:OU+READ+2026"
USAGE = "block-v1:OU+READ+2026+type@lifelong_reading_log+block@log"
THREADS = 20


def test_the_database_allows_one_check_in_per_learner_block_and_day(make_user):
    ann, bob = make_user("ann"), make_user("bob")
    row = {"course_key": COURSE, "usage_key": USAGE, "day": date(2026, 12, 1), "book_title": "x", "minutes": 5}
    ReadingCheckIn.objects.create(user=ann, **row)
    ReadingCheckIn.objects.create(user=bob, **row)
    ReadingCheckIn.objects.create(user=ann, **{**row, "day": date(2026, 12, 2)})
    ReadingCheckIn.objects.create(user=ann, **{**row, "usage_key": USAGE + "2"})
    with pytest.raises(IntegrityError), transaction.atomic():
        ReadingCheckIn.objects.create(user=ann, **row)
    assert ReadingCheckIn.objects.filter(user=ann, usage_key=USAGE).count() == 2


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_twenty_check_ins_of_one_learner_at_once_leave_one_row(make_user, concurrently, clock):
    learner = make_user("reader")

    def send(i):
        entry = reading_log.check_in(COURSE, USAGE, learner.pk,
                                     {"book_title": f"book {i}", "minutes": i + 1, "reflection": f"r{i}"},
                                     "Asia/Shanghai")
        return entry.minutes

    results, errors = concurrently(send, THREADS)
    assert [(i, repr(error)) for i, error in errors] == []
    assert len(results) == THREADS, "every request was answered with its own saved values"
    rows = list(ReadingCheckIn.objects.filter(usage_key=USAGE, user=learner))
    assert len(rows) == 1
    row = rows[0]
    # the row holds one request's values, whole: no mix of two requests
    assert row.book_title == f"book {row.minutes - 1}" and row.reflection == f"r{row.minutes - 1}"
    assert {minutes for _i, minutes in results} == set(range(1, THREADS + 1))


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_twenty_learners_checking_in_at_once_each_get_their_row(make_user, concurrently, clock):
    learners = [make_user(f"reader{i}") for i in range(THREADS)]

    def send(i):
        return reading_log.check_in(COURSE, USAGE, learners[i].pk, {"book_title": "同一本书", "pages": 3},
                                    "Asia/Shanghai").pk

    results, errors = concurrently(send, THREADS)
    assert errors == [] and len({pk for _i, pk in results}) == THREADS
    assert ReadingCheckIn.objects.filter(usage_key=USAGE).count() == THREADS


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_reports_of_one_entry_at_once_are_all_kept_once(make_user, concurrently, clock):
    author = make_user("author")
    reporters = [make_user(f"reporter{i}") for i in range(THREADS)]
    log_wall.set_sharing(COURSE, USAGE, author.pk, True)
    entry = reading_log.check_in(COURSE, USAGE, author.pk, {"book_title": "x", "minutes": 5, "reflection": "hi",
                                                             "shared": True}, "Asia/Shanghai")

    def report(i):
        first = log_wall.report(USAGE, entry.pk, reporters[i // 2].pk)   # each reporter twice
        return first

    results, errors = concurrently(report, THREADS)
    assert errors == []
    assert sum(1 for _i, new in results if new) == THREADS // 2
    assert ContentFlag.objects.filter(subject_id=entry.pk).count() == THREADS // 2


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_leaving_the_wall_while_checking_in_never_leaves_a_reflection_shared(make_user, concurrently, clock):
    """Half the requests edit today's check-in with "show on the wall", half leave the wall: once
    the learner has left, nothing of theirs may stay shared, whatever the order (and no deadlock)."""
    learner = make_user("sharer")
    log_wall.set_sharing(COURSE, USAGE, learner.pk, True)

    def send(i):
        if i % 2:
            return log_wall.set_sharing(COURSE, USAGE, learner.pk, False)
        return reading_log.check_in(COURSE, USAGE, learner.pk, {"book_title": "x", "minutes": i + 1,
                                                                "reflection": f"r{i}", "shared": True},
                                    "Asia/Shanghai").shared

    results, errors = concurrently(send, THREADS)
    assert [(i, repr(error)) for i, error in errors] == []
    assert len(results) == THREADS
    assert not ReadingWallMember.objects.get(user=learner).sharing
    assert not ReadingCheckIn.objects.filter(user=learner, shared=True).exists()
    assert log_wall.wall(USAGE, None) == []
