"""The package's settings, read from ``settings.LIFELONG_XBLOCKS`` at call time (never at import),
so the blocks import cleanly outside Open edX and tests can override them."""
from django.conf import settings

DEFAULTS = {
    # Zone in which "today", deadlines and times are shown unless a block says otherwise.
    "TIME_ZONE": "Asia/Shanghai",
    # Name of a Django storage in settings.STORAGES (Django >= 4.2); None -> default_storage.
    "STORAGE": None,
    # Workbench only: student ids (``?student=``) that act as course staff.  Ignored in Open edX,
    # where the user service says who is staff.
    "WORKBENCH_STAFF_IDS": [],
    # Workbench only: folder of demo scenario XML files named ``<block tag>*.xml``.
    "WORKBENCH_SCENARIOS_DIR": None,
    # Regions offered in the participant profile; None -> the built-in list.
    "REGIONS": None,
    # Dashboard reports: False -> a Celery task on the platform's workers (Open edX);
    # True -> produced in the web process right away (the workbench, which runs no worker).
    "REPORTS_IN_PROCESS": False,
    # A report still queued or running after this many minutes is taken as lost (a worker died)
    # and marked failed, so its requester may ask again.
    "REPORT_TIMEOUT_MINUTES": 120,
    # How many of a course's reports the dashboard lists (newest first).
    "REPORTS_LISTED": 20,
    # The dashboard's course summary is kept this many seconds in a Django cache (per course,
    # filters and language) and shown with the time it was counted; its "Show" button and the
    # summary handler always count anew.  0: counted on every view.
    "SUMMARY_MAX_AGE": 60,
    # Which cache of settings.CACHES keeps it.
    "SUMMARY_CACHE": "default",
}


def get(name):
    """One setting of the package, falling back to its default."""
    configured = getattr(settings, "LIFELONG_XBLOCKS", None) or {}
    return configured.get(name, DEFAULTS[name])
