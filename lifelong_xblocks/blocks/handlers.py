"""Handlers with a declared access policy, decided on the server.

Open edX routes any handler of a block to anyone who can load the block, so each handler
says who may call it; the decorator checks before the handler body runs and turns the
domain's typed errors into ``JsonHandlerError`` answers (JSON ``{"error": ...}``).
"""
import functools
import json

from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from lifelong_xblocks.errors import LifelongError, NotAllowed
from lifelong_xblocks.i18n import gettext as _

ANYONE = "anyone"      # also anonymous visitors (read-only data)
LEARNER = "learner"    # any signed-in user who can see the block
STAFF = "staff"        # course staff and instructors only
POLICIES = (ANYONE, LEARNER, STAFF)


def check_policy(block, policy):
    """Raise :class:`NotAllowed` unless the current user satisfies ``policy``."""
    if policy == ANYONE:
        return
    person = block.person
    if not person.is_authenticated:
        raise NotAllowed(_("Please sign in to do this."))
    if policy == STAFF and not person.is_staff:
        raise NotAllowed(_("Only course staff can do this."))


def json_api(policy):
    """A JSON handler (POST only, JSON body) open to ``policy``."""
    assert policy in POLICIES

    def decorate(func):
        @XBlock.json_handler
        @functools.wraps(func)
        def wrapper(self, data, suffix=""):
            try:
                check_policy(self, policy)
                if not isinstance(data, dict):
                    raise LifelongError(_("The request must be a JSON object."))
                return func(self, data, suffix)
            except LifelongError as error:
                raise JsonHandlerError(error.status, error.message) from error

        wrapper.access_policy = policy
        return wrapper

    return decorate


def http_api(policy):
    """A plain handler (e.g. a GET download) open to ``policy``; refusals answer JSON too."""
    assert policy in POLICIES

    def decorate(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(self, request, suffix=""):
            try:
                check_policy(self, policy)
                return func(self, request, suffix)
            except LifelongError as error:
                return Response(json.dumps({"error": error.message}), status=error.status,
                                content_type="application/json", charset="utf-8")

        wrapper.access_policy = policy
        return wrapper

    return decorate
