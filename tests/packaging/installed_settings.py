"""Django settings for the installed wheel, modelled on workbench/lifelong_settings.py but
without anything from the checkout: copied next to installed_check.py into a temporary folder."""
import os
from pathlib import Path

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

HERE = Path(__file__).resolve().parent
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "djpyfs"] + ["lifelong_xblocks"]  # noqa: F405
WORKBENCH = {**WORKBENCH, "services": {"settings": "workbench.services.SettingsService"}}  # noqa: F405
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(HERE / "installed.db"),
                         "OPTIONS": {"timeout": 30}}}
LOGGING["handlers"]["logfile"]["filename"] = str(HERE / "workbench.log")  # noqa: F405
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
TIME_ZONE = "UTC"
USE_TZ = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(HERE / "media")}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LIFELONG_XBLOCKS = {"TIME_ZONE": "Asia/Shanghai", "WORKBENCH_STAFF_IDS": ["staff"]}
os.makedirs(HERE / "media", exist_ok=True)
