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
}


def get(name):
    """One setting of the package, falling back to its default."""
    configured = getattr(settings, "LIFELONG_XBLOCKS", None) or {}
    return configured.get(name, DEFAULTS[name])
