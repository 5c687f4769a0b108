"""Handlers with a declared access policy, decided on the server.

Open edX routes any handler of a block to anyone who can load the block, so each handler
says who may call it; the decorator checks before the handler body runs and turns the
domain's typed errors into ``JsonHandlerError`` answers (JSON ``{"error": ...}``).
Every handler of every block carries ``access_policy`` (tests/security/test_authorization_matrix.py
fails for one without); docs/security.md lists them all.
"""
import functools
import json
import logging

from django.db import DatabaseError, connections
from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from lifelong_xblocks.errors import LifelongError, NotAllowed, Unavailable
from lifelong_xblocks.i18n import gettext as _

LOG = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5

ANYONE = "anyone"      # also anonymous visitors (read-only data)
LEARNER = "learner"    # any signed-in user who can see the block
OWNER = "owner"        # a signed-in user acting on their own object; the body checks with require_owner
STAFF = "staff"        # course staff and instructors only
STUDIO = "studio"      # content/settings writes: Studio checks author access; refused to LMS learners
POLICIES = (ANYONE, LEARNER, OWNER, STAFF, STUDIO)


def check_policy(block, policy):
    """Raise :class:`NotAllowed` unless the current user satisfies ``policy``.

    ``OWNER`` is checked here as far as it can be (signed in); which object is theirs only the
    handler knows, and it asks :func:`lifelong_xblocks.identity.require_owner`, the one ownership check.
    ``STUDIO``: Studio routes ``submit_studio_edits`` only after checking course author access, and
    its user service names no course role; the LMS names one for everybody and cannot persist
    content or settings fields anyway, so an LMS learner (role ``student``) is refused outright.
    """
    if policy == ANYONE:
        return
    person = block.person
    if not person.is_authenticated:
        raise NotAllowed(_("Please sign in to do this."))
    if policy == STAFF and not person.is_staff:
        raise NotAllowed(_("Only course staff can do this."))
    if policy == STUDIO and not person.is_staff and person.role == "student":
        raise NotAllowed(_("Only course authors can change this block."))


def _require_json_object(data):
    if not isinstance(data, dict):
        raise LifelongError(_("The request must be a JSON object."))


def _with_policy(policy, xblock_decorator, check_payload=None, methods=("POST",)):
    """Wrap a handler so ``policy`` is checked first and typed refusals answer JSON errors.

    ``methods`` are the HTTP methods it is meant for (docs/security.md lists them with the policy)."""
    if policy not in POLICIES:
        raise ValueError(f"Unknown access policy {policy!r}")

    def decorate(func):
        @xblock_decorator
        @functools.wraps(func)
        def handler(self, payload, suffix=""):
            try:
                check_policy(self, policy)
                if check_payload:
                    check_payload(payload)
                return func(self, payload, suffix)
            except LifelongError as error:
                return error_response(error)
            except DatabaseError:
                LOG.exception("Database failure in %s.%s", type(self).__name__, func.__name__)
                return database_failure()

        handler.access_policy = policy
        handler.http_methods = tuple(methods)
        return handler

    return decorate


def database_failure():
    """The answer when the database failed mid-request (connection dropped, server gone, lock wait
    timeout): 503 with a translated message and ``Retry-After``.  The transaction it happened in was
    rolled back, so nothing is half-written, and the state-changing handlers are idempotent, so a
    retry (a mobile client's, or the learner's) is safe; a connection left unusable is closed so
    the retry gets a fresh one (docs/security.md, "Faults")."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
    return error_response(Unavailable(_("The server could not finish this just now. Please try again in a moment.")))


def error_response(error):
    """The JSON answer for a refused request: ``{"error": ...}``, plus ``"fields"`` (field -> message)
    when the error names every invalid field of a form at once (``error.fields``)."""
    fields = getattr(error, "fields", None)
    if not fields:
        response = JsonHandlerError(error.status, error.message).get_response()
    else:
        response = json_response({"error": error.message, "fields": fields}, status=error.status)
    if error.status == Unavailable.status:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def json_api(policy):
    """A JSON handler (POST only, a JSON object as body) open to ``policy``."""
    return _with_policy(policy, XBlock.json_handler, _require_json_object)


def http_api(policy, methods=("GET",)):
    """A plain handler (e.g. a GET download, or a multipart POST with ``methods=("POST",)``) open to
    ``policy``; refusals answer JSON too."""
    return _with_policy(policy, XBlock.handler, methods=methods)


def studio_api(func):
    """Studio's ``submit_studio_edits`` (already a ``json_handler``, so it takes the raw request)
    under ``STUDIO``: the policy is checked first, then Studio's handler answers as it always does."""
    return _with_policy(STUDIO, XBlock.handler)(func)


def json_response(data, status=200):
    """A JSON answer for plain handlers (``json_api`` handlers just return the data)."""
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json",
                    charset="utf-8")
