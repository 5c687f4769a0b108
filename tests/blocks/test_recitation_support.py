"""Shared pieces of the recitation block tests: scenarios, real audio made here, multipart calls.

(Named ``test_*`` so it sits with the recitation tests; it holds no tests itself.)
"""
import io
import json
import wave

import pytest
from webob import Request

from lifelong_xblocks.models.recitation import Recitation

PASSAGE = "床前明月光，疑是地上霜。"
OLX = (f"<lifelong_recitation display_name='朗读' passage='{PASSAGE}' content_language='zh-CN' "
       "max_size_mb='0.2' max_seconds='30'/>")
STAFF = "staff"


def wav_bytes(seconds=2.0, rate=8000, total_size=None):
    """A real WAV (8-bit mono); with ``total_size`` exactly that many bytes long."""
    frames = int(seconds * rate) if total_size is None else total_size - 44
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(1)
        writer.setframerate(rate)
        writer.writeframes(b"\x80" * frames)
    data = out.getvalue()
    assert total_size is None or len(data) == total_size
    return data


def submit(client, data, name="reading.wav", consent="1"):
    """POST the recording form the way the browser does (multipart); returns (status, JSON)."""
    fields = {"file": (name, data)}
    if consent is not None:
        fields["consent"] = consent
    request = Request.blank("/", POST=fields)
    response = client.runtime.handle(client.block, "submit_recording", request, "")
    return response.status_code, json.loads(response.body.decode("utf-8"))


def get(client, handler, suffix=""):
    """A GET of a plain handler; returns the webob response."""
    return client.runtime.handle(client.block, handler, Request.blank("/", method="GET"), suffix)


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def recitation_of(username):
    return Recitation.objects.select_related("recording").get(user__username=username)


@pytest.fixture(name="upload_storage")
def upload_storage_fixture(settings, tmp_path):
    """Recordings go to a storage of this test's own (the configurable storage setting)."""
    settings.STORAGES = {**settings.STORAGES, "recitation_test": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "STORAGE": "recitation_test"}
    return tmp_path


def featured(as_user, username, consent="1"):
    """``username`` submits with ``consent``; staff feature it.  Returns the recitation id."""
    assert submit(as_user(username), wav_bytes(), consent=consent)[0] == 200
    pk = recitation_of(username).pk
    status, answer = as_user(STAFF).call("moderate", {"recitation": pk, "action": "feature", "comment": "好"})
    assert status == 200, answer
    return pk
