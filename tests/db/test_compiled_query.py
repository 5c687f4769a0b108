"""CompiledQuery gives exactly what the ORM gives, on SQLite and MariaDB, with the SQL compiled once."""
import datetime as dt
import gc
import threading
import weakref

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from lifelong_xblocks.compiled_query import LIKE, CompiledQueries, CompiledQuery, CompiledUnion
from lifelong_xblocks.models import ComfortSettings, ParticipantProfile, QuickCheckAttempt
from lifelong_xblocks.profiles.api import SETTINGS_RELATIONS

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()


def settings_query(username):
    return User.objects.select_related(*SETTINGS_RELATIONS).filter(username=username)[:1]


def attempts_query(usage_key, user_id):
    return QuickCheckAttempt.objects.filter(usage_key=usage_key, user_id=user_id)


@pytest.fixture
def people():
    ana = User.objects.create(username="ana")
    ben = User.objects.create(username="ben")
    ParticipantProfile.objects.create(user=ana, consented=True, audience_group="older_adult", region="zhejiang",
                                      answered_at=dt.datetime(2026, 11, 3, 8, 30, tzinfo=dt.timezone.utc))
    ComfortSettings.objects.create(user=ana, large_text=True, playback_rate=1.25)
    return ana, ben


def test_select_related_rows_match_the_orm_also_when_relations_are_missing(people):
    query = CompiledQuery(settings_query, username=str)
    for name in ("ana", "ben", "nobody"):
        ours, orm = query.first(username=name), next(iter(settings_query(name)), None)
        if orm is None:
            assert ours is None
            continue
        assert (ours.pk, ours.username, ours.is_staff) == (orm.pk, orm.username, orm.is_staff)
        for relation in SETTINGS_RELATIONS:
            assert getattr(type(ours), relation).is_cached(ours)
            mine, theirs = getattr(ours, relation, None), getattr(orm, relation, None)
            assert (mine and [getattr(mine, f.attname) for f in mine._meta.concrete_fields]) == \
                   (theirs and [getattr(theirs, f.attname) for f in theirs._meta.concrete_fields])
    ana = query.first(username="ana")
    assert ana.lifelong_comfort.large_text is True          # a boolean, not SQLite's 1
    assert ana.lifelong_profile.answered_at == dt.datetime(2026, 11, 3, 8, 30, tzinfo=dt.timezone.utc)


def test_a_primary_key_parameter_compiles_on_every_database(people):
    """An id compared with the primary key itself (Django checks the value against the column's range
    on MySQL: a 64-bit sentinel made it refuse the query)."""
    ana, ben = people
    query = CompiledQuery(lambda user_id: User.objects.select_related(*SETTINGS_RELATIONS).filter(pk=user_id)[:1],
                          user_id=int)
    assert query.first(user_id=ana.pk).lifelong_comfort.large_text is True
    assert query.first(user_id=ben.pk).username == "ben"
    assert query.first(user_id=ben.pk + 1000) is None


def test_model_rows_with_json_and_datetimes_match_the_orm(people):
    ana, ben = people
    for number, score in ((1, 0.5), (2, 1.0)):
        QuickCheckAttempt.objects.create(course_key="c", usage_key="lesson", user=ana, number=number, score=score,
                                         passed=score == 1.0, answers={"q1": ["a", "b"], "名": "答"})
    query = CompiledQuery(attempts_query, usage_key=str, user_id=int)
    ours, orm = query.objects(usage_key="lesson", user_id=ana.pk), list(attempts_query("lesson", ana.pk))
    assert [[getattr(a, f.attname) for f in a._meta.concrete_fields] for a in ours] == \
           [[getattr(a, f.attname) for f in a._meta.concrete_fields] for a in orm]
    assert ours[0].answers == {"q1": ["a", "b"], "名": "答"} and ours[1].passed is True
    assert query.objects(usage_key="lesson", user_id=ben.pk) == []
    assert query.objects(usage_key="other", user_id=ana.pk) == []


def test_values_list_rows_and_one_query_each_time(people):
    query = CompiledQuery(lambda username: User.objects.filter(username=username).values_list("pk", "is_staff"),
                          username=str)
    ana, _ben = people
    with CaptureQueriesContext(connection) as captured:
        assert query.rows(username="ana") == [(ana.pk, False)]
        assert query.rows(username="ben") == [(people[1].pk, False)]
        assert query.rows(username="x'; DROP TABLE auth_user; --") == []
    assert len(captured) == 3
    assert User.objects.count() == 2
    as_dicts = CompiledQuery(lambda username: User.objects.filter(username=username).values("is_staff", "pk"),
                             username=str)
    assert as_dicts.dicts(username="ana") == list(User.objects.filter(username="ana").values("is_staff", "pk"))


def test_a_parameter_the_sql_transforms_is_refused_when_compiled():
    query = CompiledQuery(lambda title: User.objects.filter(username__startswith=title), title=str)
    with pytest.raises(ValueError, match="title"):
        query.objects(title="a")
    with pytest.raises(TypeError):
        CompiledQuery(lambda day: User.objects.filter(date_joined__date=day), day=dt.date)


@pytest.mark.parametrize("search", ["a", "%", "_", "b_c", "100%", "\\", "张"])
def test_a_like_parameter_matches_what_the_orm_finds(search):
    for name in ("ana", "b_c", "bxc", "100%", "50", "back\\slash", "张三"):
        User.objects.create(username=name)
    query = CompiledQuery(lambda q: User.objects.filter(username__icontains=q).order_by("username")
                          .values_list("username", flat=False), q=LIKE)
    assert query.rows(q=search) == list(User.objects.filter(username__icontains=search).order_by("username")
                                         .values_list("username"))


def test_a_suffix_pages_the_rows_and_a_union_runs_its_parts_in_one_statement(people):
    for n in range(5):
        User.objects.create(username=f"reader{n}", is_staff=n % 2 == 0)
    ordered = CompiledQuery(lambda prefix: User.objects.filter(username__startswith="reader", is_staff=False)
                            .exclude(username=prefix).order_by("username").values_list("username"), prefix=str)
    assert ordered.rows(prefix="reader1", suffix=connection.ops.limit_offset_sql(0, 1)) == [("reader3",)]

    def part(staff):
        return lambda prefix: User.objects.filter(username__startswith="reader", is_staff=staff).exclude(
            username=prefix).order_by("-username").values("username", "is_staff")[:2]
    union = CompiledUnion((part(True), part(False)), lambda row, prefix: 0 if row[1] else 1, ("username", "is_staff"),
                          prefix=str)
    with CaptureQueriesContext(connection) as captured:
        staff, others = union.dicts(prefix="reader4")
    assert len(captured) == 1
    assert sorted(row["username"] for row in staff) == ["reader0", "reader2"]
    assert sorted(row["username"] for row in others) == ["reader1", "reader3"]
    assert all(row["is_staff"] is True for row in staff)


def test_a_thread_that_ends_leaves_no_compiled_query_behind(people):
    """Compiled once per connection, and each thread has its own: when a thread (a request of a
    threaded server) ends, its connection and its compiled SQL go with it."""
    query = CompiledQuery(settings_query, username=str)
    found, gone = [], []

    def request():
        found.append(query.first(username="ana").username)
        gone.append(weakref.ref(connections["default"]))
        connections.close_all()
    for _ in range(3):
        worker = threading.Thread(target=request)
        worker.start()
        worker.join()
    gc.collect()
    assert found == ["ana"] * 3
    assert [ref() for ref in gone] == [None] * 3
    assert query.first(username="ben").username == "ben"
    assert query in connections["default"].__dict__["lifelong_compiled_queries"]


def test_compiled_queries_makes_each_shape_once(people):
    made = []

    def make(staff):
        made.append(staff)
        return CompiledQuery(lambda username: User.objects.filter(username=username, is_staff=staff)
                             .values_list("username"), username=str)
    queries = CompiledQueries(make)
    assert queries(False).rows(username="ana") == [("ana",)] and queries(True).rows(username="ana") == []
    assert queries(False) is queries(False) and made == [False, True]
