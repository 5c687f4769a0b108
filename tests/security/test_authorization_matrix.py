"""The authorization matrix: every handler of every installed block of the package (read from the
classes, so a block or handler added later is covered), called as an anonymous visitor, a learner,
another learner (on the first learner's objects) and staff, with a valid request each.

Allowed callers get an answer (2xx, or the state-dependent refusal the table names); refused callers
get 403 with a JSON ``{"error"}`` and nothing in the database changes.
"""
from pathlib import Path

import pytest

from lifelong_xblocks.blocks.access import access_table_markdown
from lifelong_xblocks.blocks.handlers import ANYONE, LEARNER, OWNER, POLICIES, STAFF, STUDIO
from security_support import (ANONYMOUS, OTHER, ROLES, all_handlers, build_world, rolled_back, snapshot,
                              spec_for)
from security_support import OWNER as THE_OWNER
from security_support import STAFF as STAFF_USER

HANDLERS = all_handlers()
IDS = [f"{tag}.{name}" for tag, name, _handler in HANDLERS]
ADMITTED = {
    ANYONE: ROLES,
    LEARNER: (THE_OWNER, OTHER, STAFF_USER),
    OWNER: (THE_OWNER,),
    STAFF: (STAFF_USER,),
    STUDIO: (STAFF_USER,),        # in the workbench the staff ids are the authors
}
DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_the_package_has_blocks_and_handlers():
    tags = {tag for tag, _name, _handler in HANDLERS}
    assert {"lifelong_bookshelf", "lifelong_nomination", "lifelong_recitation"} <= tags
    assert len(HANDLERS) > 50


@pytest.mark.parametrize("tag, name, handler", HANDLERS, ids=IDS)
def test_every_handler_declares_a_policy_and_has_a_request_in_the_table(tag, name, handler):
    assert getattr(handler, "access_policy", None) in POLICIES, (
        f"{tag}.{name} has no access policy: decorate it with json_api(POLICY) / http_api(POLICY)")
    assert spec_for(tag, name) is not None, (
        f"{tag}.{name} has no valid request in tests/security/security_support.py REQUESTS")


@pytest.mark.parametrize("tag, name, handler", HANDLERS, ids=IDS)
def test_each_caller_is_allowed_or_refused_with_403_and_nothing_changes(scenario, clock, upload_storage, tag, name,
                                                                       handler):
    policy = getattr(handler, "access_policy", None)
    spec = spec_for(tag, name)
    assert policy in POLICIES and spec is not None, "see the test above"
    world = build_world(scenario, clock, tag, spec.variant)
    admitted = spec.allowed if spec.allowed is not None else ADMITTED[policy]
    for role in ROLES:
        with rolled_back():
            before = snapshot()
            status, answer = world.handle(role, name, spec.make(world.ids))
            if role in admitted:
                assert status in spec.ok, (role, status, answer)
            else:
                assert status == 403, (role, status, answer)
                assert isinstance(answer, dict) and answer.get("error"), (role, answer)
                assert snapshot() == before, f"{role} was refused but something changed"


def test_the_who_may_call_table_in_docs_matches_the_classes():
    """docs/security.md shows the table scripts/security_table.py writes from the classes."""
    text = DOC.read_text(encoding="utf-8")
    assert access_table_markdown() in text, "run: .venv/bin/python scripts/security_table.py"


def test_anonymous_role_is_really_anonymous(scenario, clock):
    world = build_world(scenario, clock, "lifelong_bookshelf")
    assert not world.as_user(ANONYMOUS).block.person.is_authenticated


class _User:
    def __init__(self, **attrs):
        self.opt_attrs = attrs


class _UserService:
    def __init__(self, **attrs):
        self.user = _User(**attrs)

    def get_current_user(self):
        return self.user


class _Block:
    def __init__(self, person):
        self.person = person


@pytest.mark.parametrize("attrs, allowed", [
    ({"edx-platform.user_id": 7, "edx-platform.user_role": "student"}, False),          # an LMS learner
    ({"edx-platform.user_id": 7, "edx-platform.user_role": "staff",
      "edx-platform.user_is_staff": True}, True),                                          # LMS course staff
    ({"edx-platform.user_id": 7, "edx-platform.user_role": None}, True),                 # Studio: no course role
    ({"edx-platform.user_id": None}, False),                                              # anonymous
])
def test_the_studio_policy_in_open_edx_terms(attrs, allowed):
    """Studio's user service names no course role (Studio checked author access before routing);
    the LMS names one for everybody, and a ``student`` may not save content or settings."""
    from lifelong_xblocks.blocks.handlers import check_policy  # noqa: PLC0415
    from lifelong_xblocks.errors import NotAllowed  # noqa: PLC0415
    from lifelong_xblocks.identity import person_from_user_service  # noqa: PLC0415

    block = _Block(person_from_user_service(_UserService(**attrs)))
    if allowed:
        check_policy(block, STUDIO)
    else:
        with pytest.raises(NotAllowed):
            check_policy(block, STUDIO)
