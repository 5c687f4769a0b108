"""The shared upload mechanism: what is accepted, what is refused (and leaves nothing), how files
are served and zipped.  Blocks test their own handlers on top of this."""
import io
import struct
import wave
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from PIL import Image, PngImagePlugin
from webob import Request

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.uploads import (UploadRules, Upload, delete_stored, file_response, read_upload,
                                      save_upload, storage, zip_response)
from lifelong_xblocks.uploads.media import webm_duration
from lifelong_xblocks.uploads.names import archive_path, display_name

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "lifelong_test": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.LIFELONG_XBLOCKS = {**getattr(settings, "LIFELONG_XBLOCKS", {}), "STORAGE": "lifelong_test"}
    return tmp_path


@pytest.fixture
def user():
    return get_user_model().objects.create(username="uploader")


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def save(user, data, name, rules, already=0):
    return save_upload(Upload(name=name, file=io.BytesIO(data)), rules, course_key="course-v1:X+Y+Z",
                       usage_key="block-v1:X+Y+Z+type@t+block@b", user=user, by_staff=False, purpose="test",
                       already_stored=already)


def wav_bytes(seconds, rate=8000):
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(1)
        writer.setframerate(rate)
        writer.writeframes(b"\x80" * int(seconds * rate))
    return out.getvalue()


def png_bytes(text_chunk=None, size=(20, 10)):
    out = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    if text_chunk:
        info.add_text("Comment", text_chunk)
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def ebml(element_id, payload, unknown_size=False):
    """One EBML element (id given with its marker bits)."""
    ident = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    if unknown_size:
        return ident + b"\x01\xff\xff\xff\xff\xff\xff\xff" + payload
    if len(payload) < 127:
        return ident + bytes([0x80 | len(payload)]) + payload
    return ident + (0x10000000 | len(payload)).to_bytes(4, "big") + payload


def webm_recording(seconds):
    """A WebM as MediaRecorder writes it: unknown-size segment and clusters, no Duration."""
    header = ebml(0x1A45DFA3, ebml(0x4282, b"webm"))
    info = ebml(0x1549A966, ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big")))
    tracks = ebml(0x1654AE6B, ebml(0xAE, ebml(0x86, b"A_OPUS")))
    clusters = b""
    for start in range(0, int(seconds * 1000), 30000):
        blocks = b"".join(ebml(0xA3, b"\x81" + struct.pack(">h", rel) + b"\x80" + b"\x00" * 10)
                          for rel in range(0, min(30000, int(seconds * 1000) - start) + 1, 20))
        clusters += ebml(0x1F43B675, ebml(0xE7, start.to_bytes(4, "big")) + blocks, unknown_size=True)
    return header + ebml(0x18538067, info + tracks + clusters, unknown_size=True)


AUDIO = UploadRules(kinds=("audio",), max_bytes=100_000, max_count=1, max_seconds=60)


def test_a_real_recording_is_stored_under_a_server_name(user, upload_storage):
    stored = save(user, wav_bytes(2), "../../我的朗读.mp3", AUDIO)
    assert stored.kind == "audio" and stored.content_type == "audio/wav"
    assert stored.original_name == "我的朗读.wav"          # real type, no path
    assert stored.storage_name.startswith("lifelong/test/") and "朗读" not in stored.storage_name
    assert abs(stored.duration - 2.0) < 0.01
    assert stored_files(upload_storage) == [stored.storage_name]


@pytest.mark.parametrize("data, name", [
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "song.mp3"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "voice.ogg"),
    (b"\xef\xbb\xbf  <html><body>hi</body></html>", "a.wav"),
    (b"plain text pretending", "a.webm"),
    (b"", "empty.wav"),
])
def test_disguised_or_empty_files_are_refused_and_nothing_is_stored(user, upload_storage, data, name):
    with pytest.raises(InvalidInput) as refused:
        save(user, data, name, AUDIO)
    assert refused.value.field == "file" and refused.value.message
    assert stored_files(upload_storage) == [] and not StoredFile.objects.exists()


def test_size_limit_is_exact(user, upload_storage):
    data = wav_bytes(1)
    rules = UploadRules(kinds=("audio",), max_bytes=len(data), max_count=1)
    assert save(user, data, "ok.wav", rules).size == len(data)
    over = UploadRules(kinds=("audio",), max_bytes=len(data) - 1, max_count=1)
    with pytest.raises(InvalidInput, match="larger than"):
        save(user, data, "over.wav", over)
    assert StoredFile.objects.count() == 1 and len(stored_files(upload_storage)) == 1


def test_count_and_length_limits(user, upload_storage):
    with pytest.raises(InvalidInput, match="at most 1 file"):
        save(user, wav_bytes(1), "a.wav", AUDIO, already=1)
    with pytest.raises(InvalidInput, match="too long"):
        save(user, wav_bytes(61, rate=1000), "long.wav", UploadRules(kinds=("audio",), max_bytes=10**6,
                                                                     max_seconds=60))
    assert stored_files(upload_storage) == [] and not StoredFile.objects.exists()


def test_webm_length_is_read_from_the_blocks_when_the_header_has_none():
    assert webm_duration(io.BytesIO(webm_recording(45))) == pytest.approx(45.0, abs=0.05)


def test_webm_recording_is_accepted_as_audio_and_its_length_checked(user):
    stored = save(user, webm_recording(5), "recording", AUDIO)
    assert (stored.content_type, stored.original_name) == ("audio/webm", "recording.webm")
    assert stored.duration == pytest.approx(5.0, abs=0.05)
    with pytest.raises(InvalidInput, match="too long"):
        save(user, webm_recording(90), "long.webm", UploadRules(kinds=("audio",), max_bytes=10**6, max_seconds=60))


def test_images_are_reencoded_without_metadata(user, upload_storage):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}          # GPS position
    source = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 120, 10)).save(source, "JPEG", exif=exif)
    assert b"Camera maker" in source.getvalue()
    stored = save(user, source.getvalue(), "photo.jpeg", UploadRules(kinds=("image",), max_bytes=10**6, max_count=3))
    data = (upload_storage / stored.storage_name).read_bytes()
    assert b"Camera maker" not in data and not Image.open(io.BytesIO(data)).getexif()
    assert (stored.width, stored.height, stored.size) == (40, 20, len(data))


def test_image_polyglot_with_markup_is_refused(user, upload_storage):
    rules = UploadRules(kinds=("image",), max_bytes=10**6, max_count=3)
    with pytest.raises(InvalidInput):
        save(user, png_bytes("<html><script>alert(1)</script></html>"), "cat.png", rules)
    with pytest.raises(InvalidInput):
        save(user, b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "cat.png", rules)
    assert stored_files(upload_storage) == []


@pytest.mark.parametrize("claimed, real", [
    ("../../etc/passwd", "passwd.png"),
    ("C:\\Users\\x\\photo.jpg", "photo.png"),
    ("evil\u202egnp.exe", "evilgnp.png"),
    ("nul\x00byte.png", "nulbyte.png"),
    ("...", "file.png"),
])
def test_display_names_are_cleaned(claimed, real):
    assert display_name(claimed, "png") == real


def test_archive_paths_cannot_climb():
    assert archive_path("..", "../../x", "a/b.png") == "_/_.._x/a_b.png"


def test_downloads_are_attachments_with_nosniff_and_ranges(user):
    stored = save(user, wav_bytes(1), "读书.wav", AUDIO)
    whole = file_response(stored, Request.blank("/"))
    body = b"".join(whole.app_iter)
    assert whole.status_int == 200 and len(body) == stored.size == whole.content_length
    assert whole.headers["X-Content-Type-Options"] == "nosniff"
    assert whole.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E8%AF%BB%E4%B9%A6.wav" in whole.headers["Content-Disposition"]
    part = file_response(stored, Request.blank("/", headers={"Range": "bytes=10-19"}))
    assert part.status_int == 206 and b"".join(part.app_iter) == body[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{stored.size}"
    beyond = file_response(stored, Request.blank("/", headers={"Range": f"bytes={stored.size + 5}-"}))
    assert beyond.status_int == 416


def test_zip_streams_every_file_with_clean_unique_names(user):
    first = save(user, wav_bytes(1), "a.wav", UploadRules(kinds=("audio",), max_bytes=10**6, max_count=5))
    second = save(user, png_bytes(), "b.png", UploadRules(kinds=("image",), max_bytes=10**6, max_count=5))
    response = zip_response("材料.zip", iter([("北京/../提名 1/a.wav", first), ("北京/../提名 1/a.wav", second)]))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.app_iter)))
    assert archive.namelist() == ["北京/_/提名 1/a.wav", "北京/_/提名 1/a (2).wav"]
    assert archive.read("北京/_/提名 1/a.wav") == storage().open(first.storage_name).read()


def test_delete_removes_row_and_file(user, upload_storage):
    stored = save(user, wav_bytes(1), "a.wav", AUDIO)
    delete_stored(stored)
    assert not StoredFile.objects.exists() and stored_files(upload_storage) == []


def test_read_upload_needs_a_file_field():
    request = Request.blank("/", POST={"file": "not a file"})
    with pytest.raises(InvalidInput, match="Choose a file"):
        read_upload(request)
    request = Request.blank("/", POST={"file": ("x.wav", wav_bytes(1))})
    assert read_upload(request).name == "x.wav"


def test_rules_problems_for_studio():
    assert UploadRules().problems() == []
    assert len(UploadRules(kinds=("exe",), max_bytes=0, max_count=0, max_seconds=-1).problems()) == 4


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def ffmpeg_aac(seconds, fragmented):
    """An AAC .m4a made by ffmpeg (scripts/system-deps.sh installs it): plain or fragmented."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder, "a.m4a")
        flags = ["-movflags", "frag_keyframe+empty_moov"] if fragmented else []
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                        "-c:a", "aac", "-b:a", "32k", *flags, "-f", "mp4", str(target)], check=True)
        return target.read_bytes()


@pytest.mark.parametrize("fragmented", [False, True])
def test_mp4_audio_length_plain_and_fragmented(user, fragmented):
    rules = UploadRules(kinds=("audio",), max_bytes=10**6, max_seconds=60)
    stored = save(user, ffmpeg_aac(7, fragmented), "voice.m4a", rules)
    assert stored.content_type == "audio/mp4" and stored.duration == pytest.approx(7.0, abs=0.1)
    with pytest.raises(InvalidInput, match="too long"):
        save(user, ffmpeg_aac(75, fragmented), "long.m4a", rules)


def test_chromium_mediarecorder_mp4_is_measured_from_its_fragments(user):
    """Chromium's audio/mp4 recording (Opus in fragmented MP4) says 0 s in its header."""
    data = (FIXTURES / "chromium_recording_opus_fmp4_4s.m4a").read_bytes()
    stored = save(user, data, "recording.m4a", AUDIO)
    assert stored.duration == pytest.approx(3.98, abs=0.05)
