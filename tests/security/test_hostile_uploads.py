"""Hostile uploads to every block that accepts files, through the blocks' handlers (workbench runtime).

``UPLOADERS`` has one entry per block that reads an upload (a block whose code calls ``read_upload``
without an entry fails ``test_every_block_that_takes_files_is_attacked``).  For each:

* refused with a clear, translated message (checked in English and in Chinese), and nothing stored
  (no ``StoredFile`` or block row, no file in the storage folder): HTML/SVG disguised as media or
  images, polyglots whose markup a browser would sniff, other files renamed, zero bytes, one byte
  over the limit, one file too many;
* accepted, because the bytes are what they claim: exactly the limit, and hostile *names* (path
  traversal, absolute and Windows paths, NUL, right-to-left override, a very long name).  A name is
  only ever shown: it is cleaned (last path part, no control or bidi characters, at most 100
  characters, the real extension) and the file is stored under a name the server makes;
* whatever is stored is served only as an attachment, with ``nosniff`` and a sandboxing CSP, and
  images are re-encoded (nothing glued to them survives).
"""
import datetime
import inspect
import io
import json
import re
import wave
from dataclasses import dataclass

import pytest
from django.utils import translation
from PIL import Image
from webob import Request

from lifelong_xblocks.i18n import gettext
from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.models.nominations import Nomination, NominationMaterial
from lifelong_xblocks.models.recitation import Recitation

UTC = datetime.timezone.utc
CSP = "default-src 'none'; sandbox"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GIF_JS = b"GIF89a/*\x01\x00\x01\x00\x00\xff\xff*/=1;alert(document.domain);/*" + b"\x00" * 64 + b"*/"


def wav(seconds=1.0, total_size=None):
    frames = int(seconds * 8000) if total_size is None else total_size - 44
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(1)
        writer.setframerate(8000)
        writer.writeframes(b"\x80" * frames)
    data = out.getvalue()
    assert total_size is None or len(data) == total_size
    return data


def image(fmt="PNG", size=(30, 20)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def photo(size=(120, 90)):
    """A JPEG of noise, a few kilobytes long (its markup-free opening is longer than the sniffing window)."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, bytes((n * 7919) % 251 for n in range(size[0] * size[1] * 3))).save(out, "JPEG")
    return out.getvalue()


def mp3_frames(count=40):
    """MPEG-1 layer III frames (128 kbit/s, 44.1 kHz) of silence: what ``filetype`` and mutagen read as MP3."""
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    return frame * count


def pdf(total_size):
    return PDF + b" " * (total_size - len(PDF))


# ---- the blocks that take files ------------------------------------------------------------------------
@dataclass
class Uploader:
    """How to attack one upload field: ``post(client, name, data, **fields)`` -> (status, JSON)."""

    tag: str
    xml: str
    handler: str
    kinds: dict          # kind -> (a good file, its limit in bytes, the limit's file made exactly that big)
    max_count: dict      # kind -> files allowed

    def fields(self, client, kind):
        return {}


class RecitationUploader(Uploader):
    def fields(self, client, kind):
        return {"consent": "1"}

    def rows(self):
        return Recitation.objects.exclude(recording=None).count()


class NominationUploader(Uploader):
    def fields(self, client, kind):
        existing = Nomination.objects.filter(user__username=client.student).first()
        if existing is None:
            status, answer = client.call("start_nomination", {"organisation": "zhejiang"})
            assert status == 200, answer
            existing = Nomination.objects.get(pk=answer["id"])
        return {"nomination": str(existing.pk), "kind": kind}

    def rows(self):
        return NominationMaterial.objects.count()


LIMIT = 20_000     # 0.02 MB in every upload field below
UPLOADERS = {
    "lifelong_recitation": RecitationUploader(
        "lifelong_recitation",
        "<lifelong_recitation display_name='朗读' passage='床前明月光' max_size_mb='0.02' max_seconds='30'/>",
        "submit_recording", {"audio": (wav(), lambda: wav(total_size=LIMIT))}, {"audio": 1}),
    "lifelong_nomination": NominationUploader(
        "lifelong_nomination",
        "<lifelong_nomination display_name='学习之星' nomination_category='learning_star' opens_at='2026-11-01 08:00' "
        "closes_at='2026-12-01 18:00' quota_min='1' quota_max='5' image_max_mb='0.02' image_max_count='2' "
        "document_max_mb='0.02' document_max_count='2' video_max_mb='0.02' video_max_count='1' "
        "teaching_max_mb='0.02' teaching_max_count='1'/>",
        "upload_material", {"image": (image(), None), "document": (PDF, lambda: pdf(LIMIT)),
                            "teaching": (PDF, lambda: pdf(LIMIT))},
        {"image": 2, "document": 2, "teaching": 1}),
}


@pytest.fixture
def attack(scenario, clock, upload_storage):
    """``attack(tag)`` -> ``(uploader, as_user)`` with the campaign open (server time fixed)."""
    clock.now = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=UTC)

    def build(tag):
        uploader = UPLOADERS[tag]
        return uploader, scenario(uploader.xml)

    return build


def post(uploader, client, name, data, kind, files=None, language=None):
    fields = dict(uploader.fields(client, kind))
    fields["file"] = (name, data)
    request = Request.blank("/", POST=fields if files is None else [*fields.items(), *files])
    if language:
        request.headers["Accept-Language"] = language
    with translation.override(language or "en"):
        response = client.runtime.handle(client.block, uploader.handler, request, "")
    return response.status_code, json.loads(response.body.decode("utf-8"))


def stored_paths(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def nothing_stored(uploader, root):
    assert not StoredFile.objects.exists(), "a StoredFile row was left"
    assert uploader.rows() == 0, "a block row points at a file"
    assert stored_paths(root) == [], "a file was left in storage"


def test_every_block_that_takes_files_is_attacked():
    from importlib.metadata import entry_points  # noqa: PLC0415
    takers = set()
    for point in entry_points(group="xblock.v1"):
        if point.name.startswith("lifelong_"):
            cls = point.load()
            source = "".join(inspect.getsource(klass) for klass in cls.__mro__
                             if klass.__module__.startswith("lifelong_xblocks"))
            if "read_upload" in source:
                takers.add(point.name)
    assert takers and takers <= set(UPLOADERS), f"blocks taking files without upload attacks: {takers - set(UPLOADERS)}"


# ---- refused, with a clear translated message, and nothing stored ------------------------------------
MP3_HEADER = mp3_frames(1)
DISGUISES = {
    "html as media": ("reading.mp3", HTML, "not accepted"),
    "svg as media": ("reading.wav", SVG, "not accepted"),
    "html as image": ("photo.jpg", HTML, "not accepted"),
    "svg as image": ("photo.png", SVG, "not accepted"),
    "html with a bom and spaces": ("photo.png", b"\xef\xbb\xbf \n\t" + HTML, "not accepted"),
    "gif with javascript": ("photo.gif", GIF_JS, "not accepted"),
    "gif named png": ("photo.png", GIF_JS, "not accepted"),
    "png with html in its first bytes": ("photo.png", image()[:33] + HTML + image()[33:], "not accepted"),
    "mp3 with html after its header": ("reading.mp3", MP3_HEADER + HTML + mp3_frames(10), "not accepted"),
    "mp3 with html a kilobyte in": ("reading.mp3", mp3_frames(2) + b"\x00" * 300 + HTML + mp3_frames(5),
                                    "not accepted"),
    "small jpeg with html appended": ("photo.jpg", image("JPEG") + HTML, "not accepted"),
    "pdf with html": ("form.pdf", PDF[:9] + HTML + PDF[9:], "not accepted"),
    "windows program": ("form.pdf", b"MZ\x90\x00" + b"\x00" * 400, "not accepted"),
    "zip named docx": ("form.docx", b"PK\x03\x04" + b"\x00" * 400, "not accepted"),
    "zero bytes": ("empty.wav", b"", "empty"),
}
# Which kind of field each disguise is tried on, per block (the field's own kind for media and images).
TARGET_KIND = {"lifelong_recitation": lambda disguise: "audio",
               "lifelong_nomination": lambda disguise: "document" if "pdf" in disguise or "program" in disguise
               or "docx" in disguise else "image"}


@pytest.mark.parametrize("disguise", sorted(DISGUISES))
@pytest.mark.parametrize("tag", sorted(UPLOADERS))
def test_disguised_files_are_refused_with_a_clear_message_and_nothing_is_stored(attack, upload_storage, tag,
                                                                               disguise):
    uploader, as_user = attack(tag)
    name, data, says = DISGUISES[disguise]
    status, answer = post(uploader, as_user("alice"), name, data, TARGET_KIND[tag](disguise))
    assert status == 400 and says in answer["error"], answer
    assert answer.get("fields", {}).get("file") or "file" in json.dumps(answer), answer
    nothing_stored(uploader, upload_storage)


@pytest.mark.parametrize("tag", sorted(UPLOADERS))
def test_the_refusal_is_in_the_learners_language(attack, upload_storage, tag):
    uploader, as_user = attack(tag)
    kind = next(iter(uploader.kinds))
    status, answer = post(uploader, as_user("alice"), "x.html", HTML, kind, language="zh-cn")
    assert status == 400
    with translation.override("zh-cn"):
        expected = gettext("This kind of file is not accepted here. Allowed: {allowed}.").split("{")[0]
    assert re.search(r"[\u4e00-\u9fff]", answer["error"]) and answer["error"].startswith(expected), answer
    status, answer = post(uploader, as_user("alice"), "x.wav", b"", kind, language="zh-cn")
    assert status == 400 and re.search(r"[\u4e00-\u9fff]", answer["error"]), answer
    nothing_stored(uploader, upload_storage)


@pytest.mark.parametrize("tag", sorted(UPLOADERS))
def test_exactly_the_limit_is_accepted_and_one_byte_over_is_refused(attack, upload_storage, tag):
    uploader, as_user = attack(tag)
    kind, (_good, at_limit) = next((kind, spec) for kind, spec in uploader.kinds.items() if spec[1])
    data = at_limit()
    assert len(data) == LIMIT
    status, answer = post(uploader, as_user("alice"), "over.bin", data + b"\x80", kind)
    assert status == 400 and "larger than 20 KB" in answer["error"], answer
    nothing_stored(uploader, upload_storage)
    status, answer = post(uploader, as_user("alice"), "limit.bin", data, kind)
    assert status == 200, answer
    assert StoredFile.objects.get().size == LIMIT


@pytest.mark.parametrize("tag", sorted(UPLOADERS))
def test_one_file_too_many_is_refused_and_nothing_more_is_stored(attack, upload_storage, tag,
                                                                 django_capture_on_commit_callbacks):
    uploader, as_user = attack(tag)
    for kind, (good, _limit) in uploader.kinds.items():
        before = StoredFile.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(uploader.max_count[kind]):
                assert post(uploader, as_user("alice"), f"{number}.x", good, kind)[0] == 200
            status, answer = post(uploader, as_user("alice"), "one-too-many.x", good, kind)
        if tag == "lifelong_recitation":
            # one recording per learner: a new one replaces the old (never two files kept)
            assert status == 200 and StoredFile.objects.count() == 1, answer
        else:
            assert status == 400 and "At most" in answer["error"], answer
            assert StoredFile.objects.count() == before + uploader.max_count[kind]
        assert len(stored_paths(upload_storage)) == StoredFile.objects.count()


@pytest.mark.parametrize("tag", sorted(UPLOADERS))
def test_many_files_in_one_request_store_at_most_one(attack, upload_storage, tag):
    uploader, as_user = attack(tag)
    kind, (good, _limit) = next(iter(uploader.kinds.items()))
    extra = [("file", (f"{n}.x", good)) for n in range(25)]
    status, _answer = post(uploader, as_user("alice"), "first.x", good, kind, files=extra)
    assert status in (200, 400)
    assert StoredFile.objects.count() <= 1 and len(stored_paths(upload_storage)) == StoredFile.objects.count()


# ---- hostile names: the file is stored under the server's name, the shown name is cleaned ---------------
NAMES = {
    "../../../../etc/passwd.mp3": "passwd",
    "..\\..\\windows\\win.ini.mp3": "win.ini",
    "/var/www/html/index.php.mp3": "index.php",
    "C:\\Users\\x\\voice.mp3": "voice",
    "voice\x00.html.mp3": "voice.html",
    "evil\u202egpj.mp3": "evilgpj",
    "\u200bzero\u2066width\u2069.mp3": "zerowidth",
    "<img src=x onerror=alert(1)>.mp3": "<img src=x onerror=alert(1)>",
    "..": "file",
    " . ": "file",
    "长" * 600 + ".mp3": "长" * 10,
}


@pytest.mark.parametrize("claimed", sorted(NAMES))
@pytest.mark.parametrize("tag", sorted(UPLOADERS))
def test_hostile_names_are_cleaned_and_never_used_for_storage(attack, upload_storage, tag, claimed):
    uploader, as_user = attack(tag)
    kind, (good, _limit) = next(iter(uploader.kinds.items()))
    status, answer = post(uploader, as_user("alice"), claimed, good, kind)
    assert status == 200, answer
    stored = StoredFile.objects.get()
    shown = stored.original_name
    assert NAMES[claimed] in shown
    assert not set(shown) & {"/", "\\", "\x00", "\u202e", "\u200b", "\u2066", "\u2069"}, shown
    assert len(shown) <= 100 and shown.rsplit(".", 1)[1] in ("wav", "png"), shown
    assert re.fullmatch(r"lifelong/[a-z-]+/\d{4}/\d{2}/[0-9a-f]{32}\.(wav|png)", stored.storage_name), stored.storage_name
    assert stored_paths(upload_storage) == [stored.storage_name], "stored inside the storage folder, under its name"


# ---- served only as attachments -----------------------------------------------------------------------
def served(client, handler, suffix):
    response = client.runtime.handle(client.block, handler, Request.blank("/", method="GET"), suffix)
    assert response.status_code == 200, response.body[:200]
    return response


def assert_attachment(response, label):
    headers = response.headers
    assert headers["Content-Disposition"].startswith("attachment;"), label
    assert headers["X-Content-Type-Options"] == "nosniff", label
    assert headers["Content-Security-Policy"] == CSP, label
    assert "html" not in headers["Content-Type"] and "svg" not in headers["Content-Type"], label
    assert "\n" not in headers["Content-Disposition"] and "\r" not in headers["Content-Disposition"], label


def test_recordings_and_their_zip_are_served_as_attachments_only(attack, upload_storage):
    uploader, as_user = attack("lifelong_recitation")
    assert post(uploader, as_user("alice"), "a\"\r\nX-Injected: 1\r\n.wav", wav(), "audio")[0] == 200
    recitation = Recitation.objects.get()
    response = served(as_user("alice"), "recording", str(recitation.pk))
    assert_attachment(response, "recording")
    assert "X-Injected" not in response.headers
    assert_attachment(served(as_user("staff"), "download_zip", ""), "recitations.zip")


def test_materials_and_their_zip_are_served_as_attachments_and_images_lose_what_was_glued_on(attack,
                                                                                             upload_storage):
    uploader, as_user = attack("lifelong_nomination")
    glued = photo() + b"<html><script>alert(1)</script></html>"
    assert len(photo()) > 1445
    assert post(uploader, as_user("alice"), "me.jpg", glued, "image")[0] == 200
    assert post(uploader, as_user("alice"), "form.pdf", PDF, "document")[0] == 200
    for material in NominationMaterial.objects.all():
        for user in ("alice", "staff"):
            response = served(as_user(user), "material", str(material.pk))
            assert_attachment(response, f"material {material.kind} for {user}")
            assert b"<script" not in b"".join(response.app_iter)
    assert_attachment(served(as_user("staff"), "export_materials", ""), "nomination-materials.zip")


def test_tags_naming_the_person_are_removed_from_recordings_before_anyone_hears_them(attack, upload_storage):
    from mutagen.id3 import COMM, ID3, TPE1  # noqa: PLC0415
    uploader, as_user = attack("lifelong_recitation")
    tagged = io.BytesIO(mp3_frames(40))
    tags = ID3()
    tags.add(TPE1(encoding=3, text="张桂兰 13800138000"))
    tags.add(COMM(encoding=3, lang="chi", desc="", text="杭州市西湖区文三路 88 号"))
    tags.save(tagged)
    assert "张桂兰".encode() in tagged.getvalue()
    status, answer = post(uploader, as_user("alice"), "朗读.mp3", tagged.getvalue(), "audio")
    assert status == 200 and answer["duration"] > 0.9, answer
    stored = StoredFile.objects.get()
    kept = (upload_storage / stored.storage_name).read_bytes()
    assert "张桂兰".encode() not in kept and b"13800138000" not in kept and "文三路".encode() not in kept
    assert stored.size == len(kept) and stored.content_type == "audio/mpeg"
    served_bytes = b"".join(served(as_user("alice"), "recording", str(Recitation.objects.get().pk)).app_iter)
    assert served_bytes == kept
