"""A mobile client on a slow link retries a request whose answer it lost.  Every state-changing
handler it may retry, called twice with the same body, answers 2xx again (or 409 where a repeat
is a conflict by design) and leaves the same end state as one call: no second vote, like,
registration, check-in, submission, attempt or progress row, no counter moved twice."""
import pytest

from security_support import OWNER, STAFF, Call, build_world, rolled_back, snapshot, wav_bytes

# (block, handler, scenario variant, request (ids -> Call), who calls, before (world -> None) or None)
RETRIED = [
    ("lifelong_bookshelf", "vote", lambda ids: Call({"book": ids["other_book"]}), OWNER, None),
    ("lifelong_bookshelf", "unvote", lambda ids: Call({"book": ids["other_book"]}), OWNER,
     lambda world: world.handle(OWNER, "vote", Call({"book": world.ids["other_book"]}))),
    ("lifelong_recitation", "like", lambda ids: Call({"recitation": ids["shown"], "liked": True}), OWNER, None),
    ("lifelong_recitation", "submit_recording",
     lambda ids: Call(form={"file": ("again.wav", RECORDING), "consent": "1"}), OWNER, None),
    ("lifelong_live_session", "sign_up", lambda ids: Call({}), "dora", None),
    ("lifelong_live_session", "check_in", lambda ids: Call({}), OWNER, "join_window"),
    ("lifelong_reading_log", "check_in", lambda ids: Call({"book_title": "围城", "minutes": 15}), OWNER, None),
    ("lifelong_nomination", "submit_nomination", lambda ids: Call({"id": ids["draft"]}), OWNER, "complete_draft"),
    ("lifelong_microlesson", "report_progress",
     lambda ids: Call({"intervals": [[0, 10]], "position": 10, "duration": 100}), OWNER, "played"),
    ("lifelong_microlesson", "submit_quick_check", lambda ids: Call({"answers": {"q1": ["b"]}}), OWNER, None),
]
RECORDING = wav_bytes(1.5)


def prepare(world, clock, before):
    from lifelong_xblocks.models.nominations import Nomination  # noqa: PLC0415
    if before == "join_window":
        clock.now = clock.now.replace(day=30, hour=2, minute=55)          # 5 minutes before the start
    elif before == "complete_draft":
        draft = world.ids["draft"]
        world.handle(OWNER, "save_draft", Call({"id": draft, "version": Nomination.objects.get(pk=draft).version,
                                                "consent_portrait": True}))
    elif before == "played":
        world.handle(OWNER, "report_progress", Call({"intervals": [], "position": 0, "duration": 100}))
        clock.advance(10)
    elif callable(before):
        before(world)


@pytest.mark.parametrize("tag, handler, make, role, before", RETRIED, ids=[f"{t}.{h}" for t, h, *_ in RETRIED])
def test_a_retried_request_answers_again_and_changes_nothing_more(scenario, clock, upload_storage, tag, handler,
                                                                  make, role, before):
    world = build_world(scenario, clock, tag)
    world.as_user("dora").block.person  # noqa: B018  (a learner not registered yet)
    prepare(world, clock, before)
    with rolled_back():
        first_status, first = world.handle(role, handler, make(world.ids))
        assert 200 <= first_status < 300, (first_status, first)
        after_one = snapshot()
        status, again = world.handle(role, handler, make(world.ids))
        assert 200 <= status < 300 or status == 409, (status, again)
        if status == 409:
            assert isinstance(again, dict) and again.get("error")
        assert snapshot() == after_one, "the retry changed the database again"


def test_staff_actions_retried_change_nothing_more(scenario, clock, upload_storage):
    """Staff on a phone retry too: a repeated moderation decision is recorded once."""
    world = build_world(scenario, clock, "lifelong_bookshelf")
    call = Call({"book": world.ids["book"], "action": "hide", "note": "广告"})
    assert world.handle(STAFF, "moderate", call)[0] == 200
    after_one = snapshot()
    assert world.handle(STAFF, "moderate", call)[0] in (200, 409)
    assert snapshot() == after_one
