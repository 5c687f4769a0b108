"""Celery tasks of the app, where Open edX's Celery looks for them (``autodiscover_tasks`` imports
``<app>.tasks`` of every installed app, and ``lifelong_xblocks`` is a plugin app of the LMS)."""
from lifelong_xblocks.reports.tasks import produce_report_task

__all__ = ["produce_report_task"]
