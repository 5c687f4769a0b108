"""The Celery task that produces a dashboard report on the Open edX platform's own workers.

Open edX discovers ``tasks`` modules of installed apps (``lifelong_xblocks`` is a plugin app),
so its LMS workers run this task; the dashboard's handler only queues it (``.delay``).
"""
from celery import shared_task

from lifelong_xblocks.reports.files import produce_report


@shared_task(name="lifelong_xblocks.reports.tasks.produce_report_task", ignore_result=True, acks_late=True)
def produce_report_task(report_id):
    """Produce report ``report_id`` (a repeated delivery finds it claimed and does nothing)."""
    report = produce_report(report_id)
    return report.status if report is not None else None
