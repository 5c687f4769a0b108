"""Who is acting: one answer for the LMS, Studio, the mobile API and the workbench.

Open edX's user service puts ``edx-platform.*`` keys in ``opt_attrs``.  The xblock-sdk
workbench provides none of them, only the ``?student=NAME`` id, so there a Django user
named after the student id is used, and the ids listed in
``LIFELONG_XBLOCKS["WORKBENCH_STAFF_IDS"]`` act as staff, so staff views can be tried and tested.
"""
import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from lifelong_xblocks import conf
from lifelong_xblocks.compiled_query import CompiledQuery
from lifelong_xblocks.errors import NotAllowed

STAFF_ROLES = {"staff", "instructor", "limited_staff"}
WORKBENCH_ANONYMOUS = {"", "none", None}


@dataclass(frozen=True)
class Person:
    """The current user as the blocks need them."""

    user_id: int | None
    username: str
    anonymous_id: str
    is_staff: bool
    # The learner's own time zone from their Open edX preferences ("" when unknown).
    time_zone: str = ""
    # The course role the runtime names ("student", "staff", "instructor", ...); "" when the runtime
    # names none, as Studio's does (Studio checks author access itself before routing a handler).
    role: str = ""
    # The Django user when it was loaded anyway (the workbench), with the learner's settings joined
    # in (profiles.api.SETTINGS_RELATIONS), so a render reads them without a query of its own.
    user: object = field(default=None, compare=False, repr=False)

    @property
    def is_authenticated(self):
        return self.user_id is not None


ANONYMOUS = Person(user_id=None, username="", anonymous_id="", is_staff=False)


def person_from_user_service(user_service, scope_user_id=None):
    """Build a :class:`Person` from the runtime's user service (or ``None`` when there is none)."""
    if user_service is None:
        return ANONYMOUS
    user = user_service.get_current_user()
    attrs = getattr(user, "opt_attrs", {}) or {}
    if "edx-platform.user_id" in attrs:
        user_id = attrs.get("edx-platform.user_id")
        if not user_id or not attrs.get("edx-platform.is_authenticated", True):
            return ANONYMOUS
        role = attrs.get("edx-platform.user_role") or ""
        return Person(
            user_id=int(user_id),
            username=attrs.get("edx-platform.username") or "",
            anonymous_id=attrs.get("edx-platform.anonymous_user_id") or "",
            is_staff=bool(attrs.get("edx-platform.user_is_staff")) or role in STAFF_ROLES,
            time_zone=str((attrs.get("edx-platform.user_preferences") or {}).get("time_zone") or ""),
            role=str(role),
        )
    student_id = attrs.get("xblock-workbench.user_id", scope_user_id)
    return workbench_person(student_id)


def anonymous_id_function(course_key):
    """``anonymise(user_id, username) -> str``: learners' anonymous ids in ``course_key`` (for reports).

    In Open edX: the platform's own ``anonymous_id_for_user(user, course_key)`` (the id its other
    course reports use; it reads, or creates, the learner's ``AnonymousUserId`` row).  Elsewhere
    (the workbench, tests): a stable HMAC-SHA256 of the course and user id keyed with ``SECRET_KEY``,
    never reversible to the username.  The same learner always gets the same id in a course.
    """
    platform = _platform_anonymous_id(course_key)
    if platform is not None:
        return platform
    key = settings.SECRET_KEY.encode("utf-8")
    prefix = f"lifelong-report:{course_key}:".encode()

    def anonymise(user_id, username=""):
        return hmac.new(key, prefix + str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    return anonymise


def _platform_anonymous_id(course_key):
    try:
        from common.djangoapps.student.models import anonymous_id_for_user  # noqa: PLC0415
        from opaque_keys.edx.keys import CourseKey  # noqa: PLC0415
    except ImportError:
        return None
    try:
        key = CourseKey.from_string(str(course_key))
    except Exception:  # noqa: BLE001 (InvalidKeyError: not an Open edX course, e.g. the workbench's)
        return None
    user_model = get_user_model()

    def anonymise(user_id, username=""):
        return anonymous_id_for_user(user_model(pk=user_id, username=username), key)

    return anonymise


def _workbench_user_query(username):
    from lifelong_xblocks.profiles.api import SETTINGS_RELATIONS  # noqa: PLC0415 (profiles -> models)
    return get_user_model().objects.select_related(*SETTINGS_RELATIONS).filter(username=username)[:1]


_WORKBENCH_USER = CompiledQuery(_workbench_user_query, username=str)


def workbench_person(student_id):
    """The workbench's student id as a real Django user, so our models can refer to it."""
    if student_id in WORKBENCH_ANONYMOUS:
        return ANONYMOUS
    from lifelong_xblocks.profiles.api import SETTINGS_RELATIONS  # noqa: PLC0415 (profiles -> models)
    student_id = str(student_id)[:150]
    users = get_user_model().objects
    # One query for the user and their learner settings; created on first sight.
    user = _WORKBENCH_USER.first(username=student_id)
    if user is None:
        try:
            with transaction.atomic():
                user = users.create(username=student_id)
            for name in SETTINGS_RELATIONS:      # a new user has no settings rows yet
                getattr(type(user), name).related.set_cached_value(user, None)
        except IntegrityError:   # another request created them meanwhile
            user = users.get(username=student_id)
    is_staff = student_id in set(conf.get("WORKBENCH_STAFF_IDS") or ())
    return Person(
        user_id=user.pk,
        username=user.username,
        anonymous_id=f"workbench-{user.pk}",
        is_staff=is_staff,
        role="staff" if is_staff else "student",
        user=user,
    )


def owns(person, owner_id):
    """Whether the signed-in ``person`` is the user ``owner_id`` (never true for anonymous or no owner)."""
    return person.is_authenticated and owner_id is not None and person.user_id == owner_id


def require_owner(person, owner_id, message, *, staff_too=False, public=False):
    """The package's one ownership check, for handlers declared ``OWNER`` (and owner-or-public files).

    ``person`` may act when they own the object (``owner_id`` is ``None`` for a missing object), when
    ``staff_too`` and they are course staff, or when the object is ``public``; otherwise
    :class:`NotAllowed` (403) with ``message``: the same answer whether the object is missing or
    someone else's, so nobody learns which objects exist.
    """
    if public or (staff_too and person.is_staff) or owns(person, owner_id):
        return
    raise NotAllowed(message)
