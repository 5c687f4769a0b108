"""Staff mark learners present by hand, undo it, and remove registrations: through the handlers."""
import csv
import io

from lifelong_xblocks.models.moderation import ModerationAction
from lifelong_xblocks.models.live import LiveRegistration

OLX = """<lifelong_live_session display_name="Book club"
    start_time="2026-11-30T03:00:00Z" end_time="2026-11-30T04:00:00Z" time_zone="Asia/Shanghai"
    attendance_mode="offline" venue_address="Library" venue_room="Room A" capacity="{capacity}"
    completion_rule="{rule}" media_duration="100"
    video_sources='[{{"url": "https://cdn.example.org/replay.mp4", "label": "360p", "height": 360}}]'/>"""

STAFF_HANDLERS = ("staff_check_in", "undo_check_in", "remove_registration")


def meetup(scenario, capacity=2, rule="either"):
    return scenario(OLX.format(capacity=capacity, rule=rule))


def state(client):
    status, body = client.fresh().call("student_view_user_state", method="GET")
    assert status == 200, body
    return body


def staff_call(as_user, handler, user):
    return as_user("staff").fresh().call(handler, {"user": user})


def log(action=None):
    rows = ModerationAction.objects.order_by("id")
    if action:
        rows = rows.filter(action=action)
    return [(row.action, row.actor.username, row.note) for row in rows]


def registrations():
    return list(LiveRegistration.objects.order_by("id").values_list(
        "user__username", "status", "checked_in_at", "check_in_method", "queue_number"))


class FakeCompletion:
    """edx-completion's CompletionService as far as the block uses it."""

    def __init__(self):
        self.submitted, self.stored = [], {}

    def completion_tracking_enabled(self):
        return True

    def submit_group_completion(self, block_key, completion, users=None, user_ids=None):
        self.submitted.append((str(block_key), completion, list(user_ids)))
        return []

    def get_completions(self, candidates):
        return {key: self.stored.get(key, 0.0) for key in candidates}


def test_staff_mark_a_registered_learner_present_once_and_the_learner_sees_it(scenario, clock):
    as_user = meetup(scenario)
    as_user("ann").call("sign_up")
    clock.advance(70 * 60)                      # 03:10 UTC: live
    status, answer = staff_call(as_user, "staff_check_in", "ann")
    assert status == 200 and answer["message"] == "ann is marked present."
    assert answer["completion"] == "on_next_visit"           # the workbench has no completion service
    assert "By staff" in answer["staff_html"] and "Undo the check-in of ann" in answer["staff_html"]
    assert "<details class=\"ll-live-lists\" data-ll-registrations open>" in answer["staff_html"]
    learner = state(as_user("ann"))
    assert learner["checked_in"] and learner["check_in_method"] == "staff" and learner["completed"]
    # Asking again changes nothing and records nothing.
    clock.advance(60)
    status, again = staff_call(as_user, "staff_check_in", "ann")
    assert status == 200 and "already checked in (By staff); nothing changed" in again["message"]
    assert again["completion"] == "unchanged"
    assert state(as_user("ann"))["checked_in_at"] == learner["checked_in_at"]
    assert [(action, actor) for action, actor, _note in log()] == [("check_in", "staff")]
    assert "learner ann" in log()[0][2]
    # The learner's own visit publishes the completion (staff's request could not).
    page = as_user("ann").fresh()
    content = page.render().content
    assert "You are checked in." in content and "By staff" in content
    assert page.events("completion") == [{"completion": 1.0}]


def test_a_learner_checked_in_by_qr_keeps_that_method(scenario, clock):
    as_user = meetup(scenario)
    as_user("ann").call("sign_up")
    clock.advance(70 * 60)
    registration = LiveRegistration.objects.get(user__username="ann")
    registration.checked_in_at, registration.check_in_method = clock(), "qr"
    registration.save()
    status, answer = staff_call(as_user, "staff_check_in", "ann")
    assert status == 200 and "(QR code in the room)" in answer["message"] and log() == []


def test_undo_takes_the_check_in_back_once(scenario, clock):
    as_user = meetup(scenario)
    as_user("ann").call("sign_up")
    clock.advance(70 * 60)
    staff_call(as_user, "staff_check_in", "ann")
    status, answer = staff_call(as_user, "undo_check_in", "ann")
    assert status == 200 and answer["message"] == "The check-in of ann is taken back."
    assert answer["completion"] == "kept"                    # no service: cannot take it back for them
    assert "Mark present: ann" in answer["staff_html"]
    learner = state(as_user("ann"))
    assert not learner["checked_in"] and learner["check_in_method"] == "" and learner["status"] == "registered"
    status, again = staff_call(as_user, "undo_check_in", "ann")
    assert status == 200 and "was not checked in; nothing changed" in again["message"]
    assert [action for action, _actor, _note in log()] == ["check_in", "undo_check_in"]
    assert "learner ann" in log()[1][2] and "(staff," in log()[1][2]
    # and ann can be marked again
    assert staff_call(as_user, "staff_check_in", "ann")[0] == 200
    assert state(as_user("ann"))["check_in_method"] == "staff"


def test_refusals_say_why_and_change_nothing(scenario, clock):
    as_user = meetup(scenario, capacity=1)
    as_user("ann").call("sign_up")
    as_user("bob").call("sign_up")              # waiting
    as_user("cat").call("sign_up")
    as_user("cat").fresh().call("cancel_registration")   # bob moves up, cat cancelled
    as_user("dan").call("sign_up")              # waiting
    before = registrations()
    # Before the join window (02:45 UTC = 10:45 in Shanghai).
    status, answer = staff_call(as_user, "staff_check_in", "bob")
    assert status == 409 and answer["error"] == ("Learners can be marked present from 2026-11-30 10:45 (UTC+08:00), "
                                                 "when the join window opens.")
    clock.advance(50 * 60)                      # 02:50: the window is open
    cases = [
        ({"user": "nobody"}, 400, "There is no user nobody."),
        ({"user": ""}, 400, "Say which learner: their username."),
        ({"user": ["ann"]}, 400, "Say which learner: their username."),
        ({}, 400, "Say which learner: their username."),
        ({"user": "ann"}, 409, "ann has not signed up for this session."),
        ({"user": "dan"}, 409, "dan is on the waiting list and has no seat, so cannot be marked present."),
        ({"user": "cat"}, 409, "cat cancelled their registration, so cannot be marked present."),
    ]
    as_user("ann").fresh().call("cancel_registration")   # ann cancels: dan moves up, cat stays cancelled
    cases[4] = ({"user": "eve"}, 409, "eve has not signed up for this session.")
    cases[5] = ({"user": "ann"}, 409, "ann cancelled their registration, so cannot be marked present.")
    as_user("eve")                               # a user who never signed up
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    get_user_model().objects.get_or_create(username="eve")
    before = registrations()
    for data, code, message in cases:
        status, answer = as_user("staff").fresh().call("staff_check_in", data)
        assert (status, answer["error"]) == (code, message), data
        if code == 400:
            assert answer["fields"] == {"user": message}
    status, answer = staff_call(as_user, "undo_check_in", "eve")
    assert status == 409 and answer["error"] == "eve has not signed up for this session."
    status, answer = staff_call(as_user, "remove_registration", "nobody")
    assert status == 400
    assert registrations() == before and log() == []
    # Until 12 hours after the end (04:00 UTC): 15:59 still, 16:00 no more.
    clock.now = clock.now.replace(hour=15, minute=59)
    assert staff_call(as_user, "staff_check_in", "bob")[0] == 200
    clock.now = clock.now.replace(hour=16, minute=0)
    status, answer = staff_call(as_user, "undo_check_in", "bob")
    assert status == 409 and answer["error"] == "Attendance can be changed until 12 hours after the end of the session."
    assert state(as_user("bob"))["checked_in"]


def test_a_cancelled_session_takes_no_attendance(scenario, clock):
    as_user = meetup(scenario)
    as_user("ann").call("sign_up")
    clock.advance(70 * 60)
    as_user("staff").call("cancel_session", {"reason": "Flood"})
    status, answer = staff_call(as_user, "staff_check_in", "ann")
    assert status == 409 and answer["error"] == "This session has been cancelled."
    assert not state(as_user("ann"))["checked_in"]


def test_learners_cannot_use_the_staff_attendance_handlers(scenario, clock):
    as_user = meetup(scenario)
    as_user("ann").call("sign_up")
    as_user("bob").call("sign_up")
    clock.advance(70 * 60)
    before = registrations()
    for handler in STAFF_HANDLERS:
        status, answer = as_user("bob").fresh().call(handler, {"user": "ann"})
        assert status == 403 and answer["error"] == "Only course staff can do this."
        assert as_user("none").fresh().call(handler, {"user": "ann"})[0] == 403
    assert registrations() == before and log() == []
    assert "data-ll-staff-action" not in as_user("bob").fresh().render().content


def test_removal_frees_the_seat_for_the_first_learner_waiting(scenario, clock):
    as_user = meetup(scenario, capacity=2)
    for name in ("ann", "bob", "cat", "dan", "eve"):
        as_user(name).call("sign_up")
        clock.advance(1)
    status, answer = staff_call(as_user, "remove_registration", "ann")
    assert status == 200 and answer["promoted"] == ["cat"]
    assert answer["message"] == "The registration of ann is removed; the seat went to cat, first on the waiting list."
    assert state(as_user("ann"))["status"] == "cancelled" and state(as_user("cat"))["status"] == "registered"
    assert state(as_user("dan"))["waiting_position"] == 1
    # A place on the waiting list: removed, nobody moves up, the order stays.
    status, answer = staff_call(as_user, "remove_registration", "dan")
    assert status == 200 and answer["promoted"] == [] and answer["message"] == "The registration of dan is removed."
    assert state(as_user("eve"))["waiting_position"] == 1
    status, answer = staff_call(as_user, "remove_registration", "bob")
    assert answer["promoted"] == ["eve"]
    # Again: nothing changes.
    status, again = staff_call(as_user, "remove_registration", "ann")
    assert status == 200 and "already cancelled; nothing changed" in again["message"]
    assert [row[:2] for row in log()] == [("remove_registration", "staff")] * 3
    assert "learner ann" in log()[0][2] and "was registered" in log()[0][2]
    assert "was waiting" in log()[1][2]
    # The removed learner may sign up again, at the end of the queue.
    assert as_user("ann").fresh().call("sign_up")[1]["state"]["status"] == "waiting"


def test_removal_is_refused_after_a_check_in_and_after_the_session(scenario, clock):
    as_user = meetup(scenario)
    as_user("ann").call("sign_up")
    as_user("bob").call("sign_up")
    clock.advance(70 * 60)
    staff_call(as_user, "staff_check_in", "ann")
    status, answer = staff_call(as_user, "remove_registration", "ann")
    assert status == 409 and answer["error"] == "ann has checked in; undo the check-in first."
    assert "Remove the registration of ann" not in answer.get("staff_html", html_of(as_user))
    assert "Remove the registration of bob" in html_of(as_user)
    clock.advance(60 * 60)                       # over
    status, answer = staff_call(as_user, "remove_registration", "bob")
    assert status == 409 and answer["error"] == "This session is over."
    assert state(as_user("bob"))["status"] == "registered"
    page = html_of(as_user)
    assert 'data-ll-staff-action="remove_registration"' not in page and "Undo the check-in of ann" in page


def html_of(as_user):
    return as_user("staff").fresh().render().content


def test_staff_buttons_only_while_attendance_can_be_taken(scenario, clock):
    as_user = meetup(scenario)
    as_user("ann").call("sign_up")
    page = html_of(as_user)
    assert 'data-ll-staff-action="staff_check_in"' not in page and "Remove the registration of ann" in page
    clock.advance(50 * 60)
    assert 'data-ll-staff-action="staff_check_in" data-user="ann"' in html_of(as_user)


def test_the_export_and_figures_show_attendance_by_staff(scenario, clock):
    as_user = meetup(scenario)
    as_user("ann").call("sign_up")
    as_user("bob").call("sign_up")
    clock.advance(70 * 60)
    staff_call(as_user, "staff_check_in", "ann")
    status, body = as_user("staff").fresh().call("download_csv", method="GET")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert status == 200 and rows[1][0] == "ann" and rows[1][7] == "By staff"
    assert rows[1][6] == "2026-11-30 11:10 (UTC+08:00)" and rows[2][7] == ""
    assert "Marked present by staff" in html_of(as_user)
    report = dict(as_user("staff").block.report_rows(["ann"])["ann"])
    assert report["completion"] == 1.0 and report["check_in_method"] == "staff"


def test_with_the_completion_service_staff_record_and_withdraw_the_learners_completion(scenario, clock):
    as_user = meetup(scenario)
    as_user("ann").call("sign_up")
    clock.advance(70 * 60)
    service = FakeCompletion()
    staff = as_user("staff")
    staff.runtime._services["completion"] = service   # pylint: disable=protected-access
    ann_id = LiveRegistration.objects.get(user__username="ann").user_id
    status, answer = staff.call("staff_check_in", {"user": "ann"})
    assert status == 200 and answer["completion"] == "recorded"
    assert service.submitted == [(str(staff.block.scope_ids.usage_id), 1.0, [ann_id])]
    assert staff.events("completion") == []                   # never published for staff themselves
    # The learner's visit sees the completion already stored and does not publish it again.
    learner = as_user("ann")
    learner.runtime._services["completion"] = service   # pylint: disable=protected-access
    service.stored[learner.block.scope_ids.usage_id] = 1.0
    learner.render()
    assert learner.events("completion") == []
    staff = staff.fresh()
    staff.runtime._services["completion"] = service   # pylint: disable=protected-access
    status, answer = staff.call("undo_check_in", {"user": "ann"})
    assert status == 200 and answer["completion"] == "withdrawn"
    assert service.submitted[-1] == (str(staff.block.scope_ids.usage_id), 0.0, [ann_id])


def test_a_replay_rule_is_not_met_by_attendance(scenario, clock):
    as_user = meetup(scenario, rule="replay")
    as_user("ann").call("sign_up")
    clock.advance(70 * 60)
    status, answer = staff_call(as_user, "staff_check_in", "ann")
    assert status == 200 and answer["completion"] == "not_counted"
    learner = as_user("ann")
    learner.render()
    assert learner.events("completion") == [] and not state(learner)["completed"]
