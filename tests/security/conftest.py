"""Uploads and report files of the security tests go to a storage of the test's own."""
import pytest


@pytest.fixture
def upload_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "security_test": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "STORAGE": "security_test",
                                 "REPORTS_IN_PROCESS": True}
    return tmp_path
