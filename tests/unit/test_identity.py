"""One identity helper for the LMS (edx-platform.* attributes) and the workbench (?student=)."""
import pytest
from xblock.reference.user_service import UserService, XBlockUser

from lifelong_xblocks.identity import person_from_user_service


class FixedUserService(UserService):
    def get_current_user(self):
        return self._user


def service(**attrs):
    user = XBlockUser(is_current_user=True)
    user.opt_attrs.update(attrs)
    return FixedUserService(user=user)


def test_an_lms_learner():
    person = person_from_user_service(service(**{
        "edx-platform.user_id": 42, "edx-platform.username": "li_lei", "edx-platform.is_authenticated": True,
        "edx-platform.anonymous_user_id": "abc", "edx-platform.user_role": "student",
        "edx-platform.user_is_staff": False}))
    assert (person.user_id, person.username, person.anonymous_id, person.is_staff) == (42, "li_lei", "abc", False)


@pytest.mark.parametrize("role, global_staff", [("staff", False), ("instructor", False), ("student", True)])
def test_course_staff_and_global_staff_are_staff(role, global_staff):
    person = person_from_user_service(service(**{
        "edx-platform.user_id": 7, "edx-platform.user_role": role, "edx-platform.user_is_staff": global_staff}))
    assert person.is_staff


def test_an_anonymous_lms_visitor_is_not_signed_in():
    person = person_from_user_service(service(**{"edx-platform.user_id": None,
                                                 "edx-platform.is_authenticated": False}))
    assert not person.is_authenticated and not person.is_staff


def test_no_user_service_means_anonymous():
    assert not person_from_user_service(None).is_authenticated


@pytest.mark.django_db
def test_a_workbench_student_becomes_a_django_user_and_staff_ids_are_staff(settings):
    settings.LIFELONG_XBLOCKS = {"WORKBENCH_STAFF_IDS": ["teacher"]}
    learner = person_from_user_service(service(**{"xblock-workbench.user_id": "student_1"}))
    teacher = person_from_user_service(service(**{"xblock-workbench.user_id": "teacher"}))
    again = person_from_user_service(service(**{"xblock-workbench.user_id": "student_1"}))
    assert learner.user_id == again.user_id and learner.username == "student_1" and not learner.is_staff
    assert teacher.is_staff


@pytest.mark.django_db
def test_the_workbench_unauthenticated_handler_user_is_anonymous():
    assert not person_from_user_service(service(**{"xblock-workbench.user_id": "none"})).is_authenticated
