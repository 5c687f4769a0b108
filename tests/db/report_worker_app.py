"""A Celery app for the report worker test (Open edX has its own; this one only stands in for it).

Broker and queue come from the environment, so each test run has a queue of its own on the local
Redis; the database is whatever ``lifelong_settings`` configures (``LIFELONG_SQLITE``: a file the
test process and the worker share).
"""
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifelong_settings")
django.setup()

from celery import Celery  # noqa: E402

app = Celery("lifelong_report_test")
app.conf.update(broker_url=os.environ.get("LIFELONG_TEST_BROKER", "redis://127.0.0.1:6379/0"),
                task_default_queue=os.environ.get("LIFELONG_TEST_QUEUE", "lifelong-report-test"),
                task_ignore_result=True, worker_hijack_root_logger=False, broker_connection_retry_on_startup=True)

# As Open edX's LMS does: every installed app's ``tasks`` module (lifelong_xblocks/tasks.py here).
from django.apps import apps  # noqa: E402

app.autodiscover_tasks(lambda: [config.name for config in apps.get_app_configs()], force=True)
