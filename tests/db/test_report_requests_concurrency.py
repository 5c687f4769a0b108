"""Staff pressing "Produce report" many times at once: one unfinished report per person and course,
decided by the database's unique constraint (MariaDB has no partial indexes: the nullable
``unfinished`` column does it), and a finished report never blocks the next one."""
import pytest
from django.contrib.auth import get_user_model

from lifelong_xblocks.errors import Conflict
from lifelong_xblocks.models.reports import ReportFile
from lifelong_xblocks.reports import files

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]

COURSE = "course-v1:OU+REPORT+2026"
USAGE = "block-v1:OU+REPORT+2026+type@lifelong_dashboard+block@board"
THREADS = 20
NO_FILTERS = {"since": None, "until": None, "block_types": None}


@pytest.fixture(autouse=True)
def nothing_runs(settings, monkeypatch):
    """The reports stay queued (no worker): only the requests race."""
    monkeypatch.setattr(files, "dispatch", lambda report_id: None)


def ask(user_id):
    try:
        return files.request_report(COURSE, USAGE, user_id, "csv", NO_FILTERS).pk
    except Conflict:
        return None


def test_twenty_requests_of_one_person_at_once_make_one_report(concurrently):
    staff = get_user_model().objects.create(username="board_staff")
    results, errors = concurrently(lambda _i: ask(staff.pk), THREADS)
    assert errors == []
    assert len([pk for _i, pk in results if pk]) == 1
    assert ReportFile.objects.filter(unfinished=True).count() == 1


def test_each_person_may_have_one_and_finished_reports_do_not_count(concurrently):
    people = [get_user_model().objects.create(username=f"board_staff_{i}") for i in range(THREADS)]
    for person in people:
        ReportFile.objects.create(course_key=COURSE, usage_key=USAGE, requested_by=person, format="csv",
                                  status=ReportFile.READY, unfinished=None)
        ReportFile.objects.create(course_key=COURSE, usage_key=USAGE, requested_by=person, format="csv",
                                  status=ReportFile.FAILED, unfinished=None)
    results, errors = concurrently(lambda i: ask(people[i].pk), THREADS)
    assert errors == []
    assert all(pk for _i, pk in results)
    assert ReportFile.objects.filter(unfinished=True).count() == THREADS
