"""xblock-sdk workbench settings for developing and demonstrating lifelong_xblocks.

Put this folder on ``sys.path`` (it has no ``__init__.py``: xblock-sdk owns the ``workbench``
package name) and use ``DJANGO_SETTINGS_MODULE=lifelong_settings``.

Databases: SQLite under ``var/`` by default; ``LIFELONG_DB=mariadb`` uses the local MariaDB
(127.0.0.1:3306, root, no password, database ``test``, utf8mb4) as Open edX runs MySQL.
"""
import os
from pathlib import Path

import django

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LIFELONG_VAR_DIR", REPO_ROOT / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# django-pyfs is optional in xblock-sdk and none of our blocks uses the fs service.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "djpyfs"] + ["lifelong_xblocks"]  # noqa: F405
WORKBENCH = {**WORKBENCH, "services": {"settings": "workbench.services.SettingsService"}}  # noqa: F405

if os.environ.get("LIFELONG_DB", "sqlite") == "mariadb":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("LIFELONG_MYSQL_DB", "test"),
            "USER": os.environ.get("LIFELONG_MYSQL_USER", "root"),
            "PASSWORD": os.environ.get("LIFELONG_MYSQL_PASSWORD", ""),
            "HOST": os.environ.get("LIFELONG_MYSQL_HOST", "127.0.0.1"),
            "PORT": os.environ.get("LIFELONG_MYSQL_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'"},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("LIFELONG_SQLITE", str(VAR_DIR / "workbench.db")),
            "OPTIONS": {"timeout": 30},
        }
    }
    if django.VERSION >= (5, 1):
        # Every transaction takes SQLite's write lock when it begins, waiting up to the timeout for it:
        # a deferred one that reads and then writes (select, then update) fails at once with "database
        # is locked" when another request writes meanwhile (two requests of one learner, e.g. a text
        # lesson's page and its reading clock), which the handlers answer with a 503.
        DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

LOGGING["handlers"]["logfile"]["filename"] = str(VAR_DIR / "workbench.log")  # noqa: F405

# Language: picked from the browser's Accept-Language (zh-CN -> Simplified Chinese).
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
                  "django.middleware.locale.LocaleMiddleware")
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
TIME_ZONE = "UTC"
USE_TZ = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(VAR_DIR / "media")}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LIFELONG_XBLOCKS = {
    "TIME_ZONE": "Asia/Shanghai",
    "WORKBENCH_STAFF_IDS": ["staff", "teacher"],
    # The workbench runs no Celery worker: dashboard reports are produced in the web process.
    "REPORTS_IN_PROCESS": True,
    # Tests point this at generated scenarios (e.g. XSS payloads in every field).
    "WORKBENCH_SCENARIOS_DIR": os.environ.get("LIFELONG_SCENARIOS_DIR",
                                              str(Path(__file__).resolve().parent / "scenarios")),
}

# Only our blocks in the demo list (the sample blocks of xblock-sdk stay out of the way).
EXCLUDED_XBLOCKS = {
    "allscopes_demo", "attempts_scoreboard_demo", "equality_demo", "filethumbs", "helloworld_demo",
    "html_demo", "problem_demo", "sidebar_demo", "slider_demo", "textinput_demo", "thumbs",
    "view_counter_demo",
}

# Demo media for the scenarios, served at /static/demo/ (nothing is loaded from outside).
STATICFILES_DIRS = [("demo", str(Path(__file__).resolve().parent / "demo_media"))]
