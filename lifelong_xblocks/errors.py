"""Typed errors of the domain layer.  Blocks turn them into ``JsonHandlerError`` answers.

Messages are already translated when raised, so the learner reads them as they are.
"""


class LifelongError(Exception):
    """A refused request: nothing was changed."""

    status = 400

    def __init__(self, message, field=None, fields=None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        # Field -> message for forms: answered as ``{"error": ..., "fields": {...}}`` so the page
        # (or a native app) can show each message beside its field.
        self.fields = {key: str(value) for key, value in (fields or {}).items()} or (
            {field: self.message} if field else {})


class InvalidInput(LifelongError):
    """The request is malformed or a value is out of range (400)."""

    @classmethod
    def for_fields(cls, problems, message=None):
        """One refusal naming every invalid field of a form (``{field: message}``) at once."""
        first = next(iter(problems))
        return cls(message or problems[first], field=first, fields=problems)


class NotAllowed(LifelongError):
    """The user may not do this (403)."""

    status = 403


class Conflict(LifelongError):
    """The request is valid but the current state forbids it, e.g. no attempts left (409)."""

    status = 409


class Unavailable(LifelongError):
    """The database or the file storage failed while serving the request (503): what the request
    changed was rolled back, so the client may send it again (answered with ``Retry-After``)."""

    status = 503
