"""Typed errors of the domain layer.  Blocks turn them into ``JsonHandlerError`` answers.

Messages are already translated when raised, so the learner reads them as they are.
"""


class LifelongError(Exception):
    """A refused request: nothing was changed."""

    status = 400

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = str(message)
        self.field = field


class InvalidInput(LifelongError):
    """The request is malformed or a value is out of range (400)."""


class NotAllowed(LifelongError):
    """The user may not do this (403)."""

    status = 403


class Conflict(LifelongError):
    """The request is valid but the current state forbids it, e.g. no attempts left (409)."""

    status = 409
