"""The summary's queries run as SQL compiled once per connection (reports.summary._rows) give
exactly the rows Django's own querysets give, for every block-type choice and for a period."""
import pytest

from lifelong_xblocks.reports import summary
from lifelong_xblocks.reports.rows import ReportFilter
from tests import report_course as fixtures

report_course = fixtures.report_course


@pytest.mark.parametrize("block_types", [None, ("lifelong_bookshelf",),
                                         ("lifelong_live_session", "lifelong_microlesson", "lifelong_nomination")])
def test_prepared_rows_are_the_querysets_rows(report_course, block_types):
    report = ReportFilter("workbench", None, None, block_types)
    for name, query in summary.QUERIES.items():
        expected = list(query(report))
        assert expected, name
        assert summary._rows(name, report) == expected
        assert summary._rows(name, report) == expected      # run again, compiled already


def test_another_course_shares_the_compiled_query_but_not_the_rows(report_course):
    other = ReportFilter("course-v1:Other+X+2026", None, None, None)
    for name in summary.QUERIES:
        summary._rows(name, ReportFilter("workbench", None, None, None))
        assert summary._rows(name, other) == []


def test_a_period_is_built_by_django_and_agrees(report_course):
    whole = summary.course_summary("workbench")
    period = summary.course_summary("workbench", since="2026-11-01", until="2026-11-30")
    assert (period["participants"], period["completions"], period["blocks"]) == \
        (whole["participants"], whole["completions"], whole["blocks"])


def test_the_report_listing_is_the_orms(db, django_user_model):
    """report_files.course_reports (compiled once) lists what the ORM's queryset lists, as the
    dashboard shows each report, with who asked for it."""
    from lifelong_xblocks.models.reports import ReportFile  # noqa: PLC0415
    from lifelong_xblocks.reports import files  # noqa: PLC0415

    ann, bob = (django_user_model.objects.create(username=name) for name in ("ann", "bob"))
    ReportFile.objects.create(course_key="workbench", usage_key="u", requested_by=ann, format="csv", status="ready",
                              unfinished=None, storage_name="a.csv", size=2048, options={"since": "2026-11-01"})
    ReportFile.objects.create(course_key="workbench", usage_key="u", requested_by=bob, format="xlsx",
                              options={"block_types": ["lifelong_bookshelf"], "anonymize": True})
    ReportFile.objects.create(course_key="other", usage_key="u", requested_by=bob, format="csv")
    listed = files.course_reports("workbench")
    expected = list(ReportFile.objects.filter(course_key="workbench").select_related("requested_by")
                    .order_by("-created", "-pk"))
    assert [r.pk for r in listed] == [r.pk for r in expected] and len(listed) == 2
    for mine, theirs in zip(listed, expected, strict=True):
        assert files.report_view(mine, "d", "s") == files.report_view(theirs, "d", "s")
        assert mine.original_name == theirs.original_name
    assert files.course_reports("nobody") == []


def test_a_lost_report_is_listed_as_failed_and_a_running_one_as_running(db, django_user_model):
    """The listing marks a report unfinished past the timeout failed before showing it (its worker
    died), as report_files.course_reports does; a report still within the timeout is left alone."""
    import datetime  # noqa: PLC0415

    from lifelong_xblocks.models.reports import ReportFile  # noqa: PLC0415
    from lifelong_xblocks.reports.files import course_reports  # noqa: PLC0415

    ann, bob = (django_user_model.objects.create(username=name) for name in ("ann", "bob"))
    lost = ReportFile.objects.create(course_key="workbench", usage_key="u", requested_by=ann, format="csv",
                                     status="running")
    ReportFile.objects.filter(pk=lost.pk).update(created=lost.created - datetime.timedelta(hours=3))
    running = ReportFile.objects.create(course_key="workbench", usage_key="u", requested_by=bob, format="csv",
                                        status="running")
    shown = {report.pk: report.status for report in course_reports("workbench")}
    assert shown == {lost.pk: "failed", running.pk: "running"}
    assert ReportFile.objects.get(pk=lost.pk).unfinished is None
    assert ReportFile.objects.get(pk=running.pk).unfinished is True
