"""Accepting an upload: read it, check it, clean it, store it; or refuse it and store nothing."""
import hashlib
import logging
import tempfile
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.db import transaction

from lifelong_xblocks import conf
from lifelong_xblocks.errors import InvalidInput, Unavailable
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import ngettext
from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.models.keys import user_id_of
from lifelong_xblocks.uploads import images, media
from lifelong_xblocks.uploads.kinds import FILE_KINDS, TIMED_KINDS
from lifelong_xblocks.uploads.names import display_name, storage_name
from lifelong_xblocks.uploads.rules import size_label
from lifelong_xblocks.uploads.sniff import HEAD_BYTES, looks_like_markup, sniff

CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 1024 * 1024
DURATION_SLACK = 0.5     # seconds: containers round the last frame
LOG = logging.getLogger(__name__)


@dataclass
class Upload:
    """A file as it arrived: the name the uploader's system gave it and its bytes."""

    name: str
    file: IO


def storage():
    """The Django storage uploads go to: ``LIFELONG_XBLOCKS["STORAGE"]`` or the default one."""
    name = conf.get("STORAGE")
    return storages[name] if name else default_storage


def read_upload(request, field="file"):
    """The file posted as ``field`` of a multipart request (webob, as XBlock handlers get it)."""
    value = request.POST.get(field) if request.method == "POST" else None
    if value is None or not hasattr(value, "file"):
        raise InvalidInput(_("Choose a file to upload."), field=field)
    return Upload(name=getattr(value, "filename", "") or "", file=value.file)


def _spool(upload, max_bytes):
    """Copy the upload (at most ``max_bytes + 1`` bytes) into a temporary file; hash it."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned
    digest = hashlib.sha256()
    size = 0
    source = upload.file
    if hasattr(source, "seek"):
        source.seek(0)
    while size <= max_bytes:
        chunk = source.read(min(CHUNK, max_bytes + 1 - size))
        if not chunk:
            break
        spool.write(chunk)
        digest.update(chunk)
        size += len(chunk)
    spool.seek(0)
    return spool, size, digest


def _measure(spool):
    """``(size, sha256)`` of a spooled file changed in place."""
    digest = hashlib.sha256()
    spool.seek(0)
    for chunk in iter(lambda: spool.read(CHUNK), b""):
        digest.update(chunk)
    size = spool.tell()
    spool.seek(0)
    return size, digest


def _refuse_kind(rules):
    allowed = ", ".join(f".{ext}" for kind in rules.kinds for ext in FILE_KINDS[kind].extensions)
    return InvalidInput(_("This kind of file is not accepted here. Allowed: {allowed}.").format(allowed=allowed),
                        field="file")


def save_upload(upload, rules, *, course_key, usage_key, user, by_staff, purpose, already_stored=0):
    """Check ``upload`` against ``rules`` and store it for ``user`` (a user or a user id); returns the
    new :class:`StoredFile`.

    Raises :class:`InvalidInput` (translated, ``field="file"``) and stores nothing when the file
    is empty, too large, of a kind not allowed (sniffed from the bytes), markup in disguise, too
    long, unreadable, or one too many.
    """
    if already_stored >= rules.max_count:
        raise InvalidInput(ngettext("You can upload at most %(count)s file here.",
                                    "You can upload at most %(count)s files here.",
                                    rules.max_count) % {"count": rules.max_count}, field="file")
    spool, size, digest = _spool(upload, rules.max_bytes)
    with spool:
        if size == 0:
            raise InvalidInput(_("The file is empty."), field="file")
        if size > rules.max_bytes:
            raise InvalidInput(_("The file is larger than {limit}.").format(limit=size_label(rules.max_bytes)),
                               field="file")
        head = spool.read(HEAD_BYTES)
        spool.seek(0)
        if looks_like_markup(head):
            raise _refuse_kind(rules)
        match = rules.kind_for(sniff(head))
        if match is None:
            raise _refuse_kind(rules)
        kind, content_type, extension = match
        details = {"duration": None, "width": None, "height": None}
        body = spool
        if kind == "image":
            body, details["width"], details["height"] = images.reencode(spool, content_type)
            size = body.getbuffer().nbytes
            digest = hashlib.sha256(body.getvalue())
        if kind in TIMED_KINDS:
            if media.strip_tags(spool):
                size, digest = _measure(spool)
            details["duration"] = media.duration_seconds(spool, content_type)
            if rules.max_seconds:
                if details["duration"] is None:
                    raise InvalidInput(_("The length of this recording could not be read; try another file."),
                                       field="file")
                if details["duration"] > rules.max_seconds + DURATION_SLACK:
                    raise InvalidInput(_("The recording is too long: at most {seconds} seconds.").format(
                        seconds=int(rules.max_seconds)), field="file")
        target = storage()
        try:
            saved_name = target.save(storage_name(purpose, extension), File(body))
        except Exception as error:  # noqa: BLE001 - any storage backend's failure (disk, S3, network)
            LOG.exception("The upload storage %r failed to save a file", target)
            raise Unavailable(_("The file could not be stored just now, so nothing was saved. "
                                "Please try again in a moment."), field="file") from error
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                course_key=course_key, usage_key=usage_key, user_id=user_id_of(user), by_staff=by_staff, purpose=purpose,
                kind=kind, storage_name=saved_name, original_name=display_name(upload.name, extension),
                content_type=content_type, size=size, sha256=digest.hexdigest(), **details)
    except BaseException:
        delete_file(saved_name)
        raise


def delete_file(name):
    """Remove a stored file by its storage name; a storage failing here is logged (the file is left
    behind as an orphan, no row points at it) and never undoes or hides what the database already
    did, nor the error that made the caller clean up."""
    try:
        storage().delete(name)
    except Exception:  # noqa: BLE001 - any storage backend's failure
        LOG.exception("The upload storage failed to delete %r; the file is left behind without a row", name)


def delete_stored(stored):
    """Remove the row now and the file once the transaction commits (never a row without file)."""
    name = stored.storage_name
    stored.delete()
    transaction.on_commit(lambda: delete_file(name))
