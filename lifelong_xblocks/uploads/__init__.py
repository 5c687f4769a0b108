"""The one upload mechanism of the package: every block that accepts files goes through it.

* :func:`read_upload` takes the file out of a handler's multipart request;
* :func:`save_upload` checks it against :class:`UploadRules` (type sniffed from the bytes, size,
  count, length), re-encodes images without metadata, stores it in Django's configured storage
  under a generated name and returns a :class:`~lifelong_xblocks.models.files.StoredFile`; a
  refused file raises ``InvalidInput`` and leaves nothing behind;
* :func:`file_response` / :func:`zip_response` serve stored files as downloads with ``nosniff``;
* :func:`delete_stored` removes a file and its row.
"""
from lifelong_xblocks.uploads.archive import zip_response
from lifelong_xblocks.uploads.kinds import FILE_KINDS, FileKind
from lifelong_xblocks.uploads.rules import UploadRules, size_label
from lifelong_xblocks.uploads.serve import file_response
from lifelong_xblocks.uploads.store import Upload, delete_stored, read_upload, save_upload, storage

__all__ = ["FILE_KINDS", "FileKind", "Upload", "UploadRules", "delete_stored", "file_response", "read_upload",
           "save_upload", "size_label", "storage", "zip_response"]
