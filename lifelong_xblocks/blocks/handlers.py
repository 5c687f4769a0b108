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

from django.db import DatabaseError, connections, transaction
from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from lifelong_xblocks.errors import InvalidInput, LifelongError, NotAllowed, Unavailable
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.models.rows import lock_learner

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


MAX_JSON_DEPTH = 20      # the deepest legitimate body (quick-check answers) is 3 levels


def _refuse_constant(name):
    raise ValueError(name)   # NaN, Infinity, -Infinity: not JSON, though Python's json reads them


def parse_json_body(body):
    """A request body as JSON, or :class:`InvalidInput` (400): invalid UTF-8 or JSON, NaN/Infinity,
    nesting deeper than ``MAX_JSON_DEPTH`` (which made ``json.loads`` raise RecursionError, a 500),
    or text holding NUL or unpaired surrogates (which no database column stores: a 500 on save)."""
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise InvalidInput(_("The request is not valid JSON.")) from error
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise InvalidInput(_("The request is nested too deeply."))
        if isinstance(value, dict):
            pending.extend((key, depth + 1) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and ("\x00" in value or any("\ud800" <= char <= "\udfff" for char in value)):
            raise InvalidInput(_("The request holds characters that cannot be stored (NUL or a lone surrogate)."))
    return data


def json_handler(func):
    """``XBlock.json_handler``'s contract (POST only, else 405; a JSON body, else 400; returns are
    sent as JSON; ``JsonHandlerError`` answers its status), with the body read by
    :func:`parse_json_body` and refusals translated."""
    @XBlock.handler
    @functools.wraps(func)
    def wrapper(self, request, suffix=""):
        if request.method != "POST":
            return JsonHandlerError(405, _("Please send this with POST.")).get_response(allow=["POST"])
        try:
            data = parse_json_body(request.body)
        except LifelongError as error:
            return error_response(error)
        try:
            response = func(self, data, suffix)
        except JsonHandlerError as error:
            return error.get_response()
        if isinstance(response, Response):
            return response
        return Response(json.dumps(response), content_type="application/json", charset="utf8")

    wrapper.json_body = True
    return wrapper


def _require_readable_form(request):
    """A POST to a plain handler (uploads, the room-code form) must be a form webob can read: a
    multipart body without a boundary made ``request.POST`` raise ValueError, a 500, in every one."""
    if request.method == "POST":
        try:
            request.POST  # noqa: B018  (parsed once here; webob keeps the result for the handler)
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidInput(_("The form could not be read. Please send it again.")) from error


def _require_json_object(data):
    if not isinstance(data, dict):
        raise LifelongError(_("The request must be a JSON object."))


def _with_policy(policy, xblock_decorator, check_payload=None, methods=("POST",), one_transaction=True):
    """Wrap a handler so ``policy`` is checked first and typed refusals answer JSON errors.

    ``methods`` are the HTTP methods it is meant for (docs/security.md lists them with the policy).
    A handler meant for POST runs in one transaction (:func:`_run_and_save`), unless it says
    ``one_transaction=False``: it only reads (a page of a list), or it commits step by step
    itself (an upload; an insert retried when InnoDB ends it in a deadlock, which inside a longer
    transaction would undo everything before it)."""
    if policy not in POLICIES:
        raise ValueError(f"Unknown access policy {policy!r}")
    writes = "POST" in methods and one_transaction

    def decorate(func):
        @xblock_decorator
        @functools.wraps(func)
        def handler(self, payload, suffix=""):
            try:
                check_policy(self, policy)
                if check_payload:
                    check_payload(payload)
                if not writes:
                    return _run_and_save(self, func, payload, suffix)
                with transaction.atomic():
                    lock_learner(self.person.user_id)   # one request of a learner at a time (models/rows.py)
                    return _run_and_save(self, func, payload, suffix)
            except LifelongError as error:
                return error_response(error)
            except DatabaseError:
                LOG.exception("Database failure in %s.%s", type(self).__name__, func.__name__)
                self.discard_unsaved()
                return database_failure()

        handler.access_policy = policy
        handler.http_methods = tuple(methods)
        handler.json_body = xblock_decorator is json_handler or getattr(func, "json_body", False)
        return handler

    return decorate


def _run_and_save(block, func, payload, suffix):
    """A handler's body and the save of what it changed.

    For a state-changing handler, in one transaction a request (``_with_policy`` opens it): the
    domain's writes, the activity ledger and the block's fields commit once, where they used to
    commit one after the other (each commit is most of a small handler's time, and the LMS runs
    handlers outside a request transaction: ``transaction.non_atomic_requests``).
    The domain's own ``transaction.atomic`` blocks become savepoints: a refusal raised inside one
    still undoes that block's writes.  A refusal (:class:`LifelongError`) keeps what the handler
    wrote before it, as separate commits did; a database failure undoes the whole request.
    The runtime saves changed fields (e.g. ``learner_record``) again after the handler returns,
    outside the decorator: a database failure there was a 500; saved here, it is a 503.
    """
    try:
        answer = func(block, payload, suffix)
    except LifelongError as error:
        return error_response(error)
    block.save()
    return answer


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


def json_api(policy, one_transaction=True):
    """A JSON handler (POST only, a JSON object as body) open to ``policy``, in one transaction
    unless ``one_transaction=False`` (see :func:`_with_policy`)."""
    return _with_policy(policy, json_handler, _require_json_object, one_transaction=one_transaction)


def http_api(policy, methods=("GET",), one_transaction=True):
    """A plain handler (e.g. a GET download, or a multipart POST with ``methods=("POST",)``) open to
    ``policy``; refusals answer JSON too.  An upload says ``one_transaction=False``: its file is
    checked and stored before its row is written, which must not happen inside an open transaction
    (SQLite's write lock held through the checks; a rollback would leave the file without its row)."""
    return _with_policy(policy, XBlock.handler, _require_readable_form, methods=methods,
                        one_transaction=one_transaction)


def studio_api(func):
    """Studio's ``submit_studio_edits`` (already a :func:`json_handler`, so it takes the raw request)
    under ``STUDIO``: the policy is checked first, then Studio's handler answers as it always does."""
    return _with_policy(STUDIO, XBlock.handler)(func)


def json_response(data, status=200):
    """A JSON answer for plain handlers (``json_api`` handlers just return the data)."""
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json",
                    charset="utf-8")
