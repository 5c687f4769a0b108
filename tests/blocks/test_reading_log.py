"""The reading log through its views and handlers, as learners and staff use it.

The ``clock`` fixture starts at 2026-11-30 02:00 UTC, which is 10:00 on 30 November in Shanghai.
"""
import json

import pytest

from lifelong_xblocks.models.bookshelf import Book
from lifelong_xblocks.models.moderation import ContentFlag, ModerationAction
from lifelong_xblocks.models.reading_log import ReadingCheckIn, ReadingWallMember

LOG = "<lifelong_reading_log display_name='读书打卡' goal_days='2'/>"
HOURS = 3600


def check_in(client, **values):
    return client.call("check_in", {"book_title": "红楼梦", "minutes": 30, **values})


def test_a_check_in_counts_today_and_shows_on_the_calendar(scenario, clock):
    learner = scenario(LOG)("student_1")
    status, answer = check_in(learner, pages=12, reflection="好书")
    assert status == 200
    assert answer["entry"]["day"] == "2026-11-30" and answer["entry"]["pages"] == 12
    assert (answer["current_streak"], answer["longest_streak"], answer["days_counted"]) == (1, 1, 1)
    assert "<svg" in answer["heatmap_html"] and "2026-11-30: 30 minutes, 12 pages" in answer["heatmap_html"]
    html = learner.fresh().render().body_html()
    assert "Edit today" in html and "2026-11-30: 30 minutes, 12 pages" in html
    assert 'role="img"' in html


def test_the_calendar_says_only_what_was_read_and_has_a_legend(scenario, clock):
    learner = scenario(LOG)("student_1")
    html = check_in(learner, minutes=25)[1]["heatmap_html"]
    assert "2026-11-30: 25 minutes<" in html and "0 pages" not in html
    assert "Fewer minutes" in html and "More minutes" in html
    clock.advance(24 * HOURS)
    html = check_in(learner.fresh(), minutes=None, pages=8)[1]["heatmap_html"]
    assert "2026-12-01: 8 pages<" in html and "0 minutes" not in html


def test_editing_the_same_day_changes_the_one_check_in(scenario, clock):
    learner = scenario(LOG)("student_1")
    check_in(learner, minutes=10)
    clock.advance(5 * HOURS)
    status, answer = check_in(learner.fresh(), minutes=45, book_title="Walden", reflection="later")
    assert status == 200 and answer["entry"]["minutes"] == 45
    assert ReadingCheckIn.objects.count() == 1
    row = ReadingCheckIn.objects.get()
    assert (row.book_title, row.minutes, row.reflection) == ("Walden", 45, "later")


def test_days_turn_at_midnight_in_shanghai_not_utc(scenario, clock):
    learner = scenario(LOG)("student_1")
    clock.now = clock.now.replace(hour=15, minute=59)          # 23:59 in Shanghai, 30 November
    assert check_in(learner)[1]["entry"]["day"] == "2026-11-30"
    clock.advance(60)                                           # 00:00 in Shanghai, 1 December
    status, answer = check_in(learner.fresh())
    assert status == 200 and answer["entry"]["day"] == "2026-12-01"
    assert answer["current_streak"] == 2 and ReadingCheckIn.objects.count() == 2


def test_the_block_zone_decides_the_day(scenario, clock):
    learner = scenario("<lifelong_reading_log time_zone='America/New_York'/>")("student_1")
    assert check_in(learner)[1]["entry"]["day"] == "2026-11-29"   # 21:00 on 29 November in New York


@pytest.mark.parametrize("day, words", [("2026-11-29", "Past days cannot be filled in"),
                                        ("2026-12-01", "has not come yet")])
def test_past_and_future_days_are_refused_and_nothing_is_stored(scenario, clock, day, words):
    status, answer = check_in(scenario(LOG)("student_1"), day=day)
    assert status == 409 and words in answer["error"]
    assert not ReadingCheckIn.objects.exists()


def test_a_page_left_open_past_midnight_cannot_fill_in_yesterday(scenario, clock):
    learner = scenario(LOG)("student_1")
    assert check_in(learner, day="2026-11-30")[0] == 200
    clock.advance(14 * HOURS)                                   # past midnight in Shanghai
    status, answer = check_in(learner.fresh(), day="2026-11-30", minutes=90)
    assert status == 409
    assert ReadingCheckIn.objects.get().minutes == 30


@pytest.mark.parametrize("zone, first_utc_hour, last_utc_minute", [
    ("", 2, (15, 59)),                          # Shanghai: 10:00 check-in, midnight is 16:00 UTC
    ("America/New_York", 2, (4, 59)),           # New York: 21:00 the day before, midnight is 05:00 UTC
])
def test_the_check_in_can_be_edited_until_midnight_in_the_blocks_zone_and_not_after(
        scenario, clock, zone, first_utc_hour, last_utc_minute):
    learner = scenario(f"<lifelong_reading_log time_zone='{zone}'/>")("student_1")
    clock.now = clock.now.replace(hour=first_utc_hour)
    day = check_in(learner, minutes=10)[1]["entry"]["day"]
    hour, minute = last_utc_minute
    clock.now = clock.now.replace(hour=hour, minute=minute, second=59)
    status, answer = check_in(learner.fresh(), day=day, minutes=20)
    assert status == 200 and answer["entry"]["day"] == day            # one second before midnight
    clock.advance(1)
    status, answer = check_in(learner.fresh(), day=day, minutes=99)
    assert status == 409 and "Past days cannot be filled in later" in answer["error"]
    assert ReadingCheckIn.objects.get(day=day).minutes == 20
    html = learner.fresh().render().body_html()
    assert "Edit today" not in html and "Check in" in html              # the new day starts empty


@pytest.mark.parametrize("values, field", [
    ({"minutes": None, "pages": None}, "minutes"),
    ({"minutes": 0, "pages": 0}, "minutes"),
    ({"minutes": 1441}, "minutes"),
    ({"minutes": -5}, "minutes"),
    ({"minutes": "many"}, "minutes"),
    ({"minutes": True}, "minutes"),
    ({"pages": 2001, "minutes": None}, "pages"),
    ({"book_title": "  "}, "book_title"),
    ({"book_title": "x" * 301}, "book_title"),
    ({"reflection": "字" * 501}, "reflection"),
    ({"book_id": 999999}, "book_id"),
    ({"shared": "yes"}, "shared"),
])
def test_bad_check_ins_get_a_field_error_and_change_nothing(scenario, clock, values, field):
    status, answer = check_in(scenario(LOG)("student_1"), **values)
    assert status == 400 and answer["error"]
    assert field in answer["fields"]
    assert not ReadingCheckIn.objects.exists()


def test_every_bad_field_is_named_at_once(scenario, clock):
    learner = scenario(LOG)("student_1")
    status, answer = learner.call("check_in", {"book_title": "", "minutes": 9999, "reflection": "x" * 600})
    assert status == 400
    assert set(answer["fields"]) == {"book_title", "minutes", "reflection"}


def test_minutes_or_pages_alone_are_enough(scenario, clock):
    as_user = scenario(LOG)
    assert check_in(as_user("student_1"), minutes=None, pages=20)[0] == 200
    assert check_in(as_user("student_2"), minutes="25")[0] == 200


def test_a_book_from_the_bookshelf_is_kept_as_a_title_snapshot(scenario, clock):
    learner = scenario(LOG)("student_1")
    book = Book.objects.create(course_key=learner.block.course_key, usage_key="shelf", title="平凡的世界",
                               author="路遥", match_key="a")
    assert "平凡的世界 / 路遥" in learner.render().body_html()
    status, answer = check_in(learner, book_id=book.pk, book_title="ignored")
    assert status == 200 and answer["entry"]["book_title"] == "平凡的世界"
    Book.objects.filter(pk=book.pk).update(hidden=True, title="renamed")
    assert ReadingCheckIn.objects.get().book_title == "平凡的世界"
    assert check_in(learner.fresh(), book_id=book.pk)[0] == 400   # hidden books cannot be chosen any more
    book.delete()
    assert ReadingCheckIn.objects.get().book_title == "平凡的世界"


def test_the_book_picker_escapes_titles_and_selects_todays_book(scenario, clock):
    learner = scenario(LOG)("student_1")
    course = learner.block.course_key
    plain = Book.objects.create(course_key=course, usage_key="shelf", title="活着", author="", match_key="c")
    odd = Book.objects.create(course_key=course, usage_key="shelf", title='<b>"书" & 书</b>', author="A & <i>B</i>",
                              match_key="d")
    html = learner.render().body_html()
    assert f'<option value="{plain.pk}">活着</option>' in html
    assert f'<option value="{odd.pk}">&lt;b&gt;&quot;书&quot; &amp; 书&lt;/b&gt; / A &amp; &lt;i&gt;B&lt;/i&gt;</option>' in html
    assert "<i>B</i>" not in html and " selected>" not in html
    assert check_in(learner, book_id=odd.pk)[0] == 200
    assert f'<option value="{odd.pk}" selected>' in learner.fresh().render().body_html()


def test_a_book_of_another_course_cannot_be_chosen(scenario, clock):
    other = Book.objects.create(course_key="course-v1:Other+X+1", usage_key="shelf", title="Other", author="A",
                                match_key="b")
    assert check_in(scenario(LOG)("student_1"), book_id=other.pk)[0] == 400


WINDOW = "<lifelong_reading_log window_start='2026-11-29' window_end='2026-12-01' goal_days='2'/>"


def test_check_ins_only_within_the_activity_window(scenario, clock):
    as_user = scenario("<lifelong_reading_log window_start='2026-12-01' window_end='2026-12-03'/>")
    status, answer = check_in(as_user("student_1"))
    assert status == 409 and "opens on 2026-12-01" in answer["error"]
    assert "The reading log opens on 2026-12-01." in as_user("student_1").render().body_html()
    clock.now = clock.now.replace(month=12, day=3, hour=15, minute=59)     # 23:59 on the last day in Shanghai
    assert check_in(as_user("student_1").fresh())[0] == 200
    clock.advance(60)
    status, answer = check_in(as_user("student_2"))
    assert status == 409 and "closed on 2026-12-03" in answer["error"]


def test_completion_is_published_when_the_goal_is_reached(scenario, clock):
    learner = scenario(WINDOW)("student_1")
    check_in(learner)
    assert learner.events("completion") == []
    clock.advance(24 * HOURS)
    status, answer = check_in(learner.fresh())
    assert status == 200 and answer["goal_reached"] and answer["goal_percent"] == 100
    assert learner.fresh().call("student_view_user_state", method="GET")[1]["goal_reached"] is True


def test_completion_event_is_1_and_only_once_the_goal_is_reached(scenario, clock):
    as_user = scenario(WINDOW)
    first = as_user("student_1")
    check_in(first)
    assert first.events("completion") == []
    clock.advance(24 * HOURS)
    second = first.fresh()
    check_in(second)
    assert second.events("completion") == [{"completion": 1.0}]
    assert second.block.learner_record["goal_reached"] is True


def test_streak_after_the_window_is_frozen_at_its_last_day(scenario, clock):
    as_user = scenario(WINDOW)
    clock.now = clock.now.replace(month=12, day=1, hour=2)              # 1 December, the last day
    check_in(as_user("student_1"))
    clock.advance(3 * 24 * HOURS)
    state = as_user("student_1").call("student_view_user_state", method="GET")[1]
    assert (state["current_streak"], state["can_check_in"]) == (1, False)


def test_anonymous_visitors_see_the_block_but_cannot_check_in(scenario, clock):
    visitor = scenario(LOG)(None)
    html = visitor.render().body_html()
    assert "Sign in to keep a reading log." in html and "data-ll-checkin" not in html
    assert visitor.call("check_in", {"book_title": "x", "minutes": 5})[0] == 403


# ---- club wall and moderation ---------------------------------------------------------------------
def join(client, sharing=True):
    status, answer = client.call("set_wall_sharing", {"sharing": sharing})
    assert (status, answer) == (200, {"sharing": sharing})
    return client


def test_the_wall_shows_only_others_reflections_they_chose_to_share(scenario, clock):
    as_user = scenario(LOG)
    check_in(join(as_user("student_2")), reflection="分享的感想", shared=True)
    check_in(join(as_user("student_3")), reflection="私下的感想")            # not shared that day
    check_in(join(as_user("student_1")), reflection="我自己的", shared=True)
    html = as_user("student_1").render().body_html()
    assert "分享的感想" in html and "私下的感想" not in html
    assert html.count("我自己的") == 1, "only in the learner's own form, not on the wall"
    state = as_user("student_1").call("student_view_user_state", method="GET")[1]
    assert [item["reflection"] for item in state["wall"]] == ["分享的感想"]


def test_the_wall_can_be_switched_off(scenario, clock):
    as_user = scenario("<lifelong_reading_log wall_enabled='false'/>")
    status, answer = as_user("student_2").call("set_wall_sharing", {"sharing": True})
    assert status == 403 and "no club wall" in answer["error"]
    check_in(as_user("student_2"), reflection="shared", shared=True)
    html = as_user("student_1").render().body_html()
    assert "Club wall" not in html and "shared" not in html


def test_only_learners_who_joined_the_wall_appear_on_it(scenario, clock):
    as_user = scenario(LOG)
    html = as_user("student_2").render().body_html()
    assert "Join the club wall" in html and "your reflections are private" in html
    assert 'data-ll-share-choice hidden' in html                      # no per-day choice before joining
    status, answer = check_in(as_user("student_2"), reflection="not a member yet", shared=True)
    assert status == 200 and answer["entry"]["shared"] is False
    assert "not a member yet" not in as_user("student_1").render().body_html()
    assert as_user("student_1").call("student_view_user_state", method="GET")[1]["wall"] == []
    assert as_user("student_2").call("student_view_user_state", method="GET")[1]["wall_member"] is False

    join(as_user("student_2"))
    html = as_user("student_2").render().body_html()
    assert "Leave the club wall" in html and "data-ll-share-choice hidden" not in html
    assert as_user("student_2").call("student_view_user_state", method="GET")[1]["wall_member"] is True
    assert check_in(as_user("student_2"), reflection="now shared", shared=True)[1]["entry"]["shared"] is True
    assert "now shared" in as_user("student_1").render().body_html()


def test_leaving_the_wall_removes_all_the_learners_reflections_at_once(scenario, clock):
    as_user = scenario(LOG)
    writer = join(as_user("student_2"))
    for day in range(3):
        check_in(writer, reflection=f"day {day} thoughts", shared=True)
        clock.advance(24 * HOURS)
    assert as_user("student_1").render().body_html().count("thoughts") == 3
    join(writer, sharing=False)
    html = as_user("student_1").render().body_html()
    assert "thoughts" not in html
    assert not ReadingCheckIn.objects.filter(shared=True).exists()
    assert "thoughts" not in as_user("staff").render().body_html()      # not in the moderation list either
    # Joining again does not bring the old reflections back: each must be shared anew.
    join(writer)
    assert "thoughts" not in as_user("student_1").render().body_html()
    assert not ReadingCheckIn.objects.filter(shared=True).exists()


@pytest.mark.parametrize("value", ["yes", 1, None, [True]])
def test_sharing_must_be_on_or_off(scenario, clock, value):
    status, answer = scenario(LOG)("student_2").call("set_wall_sharing", {"sharing": value})
    assert status == 400 and set(answer["fields"]) == {"sharing"}
    assert not ReadingWallMember.objects.exists()


def test_a_reported_entry_whose_author_left_the_wall_can_still_be_closed_by_staff(scenario, clock):
    as_user = scenario(LOG)
    entry = shared_entry(as_user)
    as_user("student_1").call("report_entry", {"entry_id": entry})
    join(as_user("student_2"), sharing=False)
    assert as_user("student_3").call("report_entry", {"entry_id": entry})[0] == 400   # off the wall now
    assert "1 open report" in as_user("staff").render().body_html()
    assert as_user("staff").call("moderate", {"entry_id": entry, "action": "dismiss"})[0] == 200
    assert not ContentFlag.objects.filter(resolved_at__isnull=True).exists()


def shared_entry(as_user, text="shared text"):
    check_in(join(as_user("student_2")), reflection=text, shared=True)
    return ReadingCheckIn.objects.get(reflection=text).pk


def test_learners_report_an_entry_once_and_staff_see_open_reports(scenario, clock):
    as_user = scenario(LOG)
    entry = shared_entry(as_user)
    assert as_user("student_1").call("report_entry", {"entry_id": entry, "reason": "rude"}) == \
        (200, {"reported": True, "new": True})
    assert as_user("student_1").call("report_entry", {"entry_id": entry})[1]["new"] is False
    assert as_user("student_2").call("report_entry", {"entry_id": entry})[0] == 400   # not one's own
    assert ContentFlag.objects.count() == 1
    assert "You reported this entry." in as_user("student_1").render().body_html()
    assert "1 open report" in as_user("staff").render().body_html()


def test_staff_hide_an_entry_with_a_note_and_it_leaves_the_wall(scenario, clock):
    as_user = scenario(LOG)
    entry = shared_entry(as_user)
    as_user("student_1").call("report_entry", {"entry_id": entry})
    status, answer = as_user("staff").call("moderate", {"entry_id": entry, "action": "hide"})
    assert status == 400 and set(answer["fields"]) == {"note"}
    status, answer = as_user("staff").call("moderate", {"entry_id": entry, "action": "hide", "note": "personal data"})
    assert status == 200 and answer["hidden"] is True
    assert "shared text" not in as_user("student_1").render().body_html()
    action = ModerationAction.objects.get()
    assert (action.action, action.note, action.subject_type) == ("hide", "personal data", "readingcheckin")
    assert not ContentFlag.objects.filter(resolved_at__isnull=True).exists()
    staff_html = as_user("staff").render().body_html()
    assert "shared text" in staff_html and "ll-wall-hidden" in staff_html
    assert as_user("staff").call("moderate", {"entry_id": entry, "action": "show"})[1]["hidden"] is False
    assert "shared text" in as_user("student_1").render().body_html()


def test_a_hidden_entry_still_counts_for_its_author(scenario, clock):
    as_user = scenario(LOG)
    entry = shared_entry(as_user)
    as_user("staff").call("moderate", {"entry_id": entry, "action": "hide", "note": "x"})
    html = as_user("student_2").render().body_html()
    assert "Staff have hidden this reflection from the club wall." in html
    assert as_user("student_2").call("student_view_user_state", method="GET")[1]["days_counted"] == 1


def test_learners_cannot_moderate(scenario, clock):
    as_user = scenario(LOG)
    entry = shared_entry(as_user)
    assert as_user("student_1").call("moderate", {"entry_id": entry, "action": "hide", "note": "x"})[0] == 403
    assert not ReadingCheckIn.objects.get(pk=entry).hidden and not ModerationAction.objects.exists()


def test_moderating_an_entry_of_another_block_is_refused(scenario, clock):
    entry = shared_entry(scenario(LOG))
    other = scenario("<lifelong_reading_log display_name='other'/>")("staff")
    assert other.call("moderate", {"entry_id": entry, "action": "hide", "note": "x"})[0] == 400


# ---- staff, exports, Studio, mobile, reports ----------------------------------------------------------
def test_staff_see_figures_and_a_chart_without_their_own_tries(scenario, clock):
    as_user = scenario(LOG)
    check_in(as_user("student_1"))
    check_in(as_user("student_2"), minutes=50)
    check_in(as_user("staff"), minutes=500)
    html = as_user("staff").render().body_html()
    assert "For staff" in html and "Check-ins per day" in html and "download_xlsx" in html
    assert "11-30: 2;" in html, "the chart counts the two learners, not staff"
    assert "<dd>40</dd>" in html, "average minutes of learners only"
    assert "For staff" not in as_user("student_1").render().body_html()


def test_csv_and_xlsx_downloads_for_staff_only(scenario, clock):
    import io  # noqa: PLC0415

    import openpyxl  # noqa: PLC0415
    as_user = scenario(LOG)
    check_in(as_user("student_1"), book_title="=HYPERLINK(\"x\")", reflection="@SUM(1)")
    assert as_user("student_1").call("download_csv", method="GET")[0] == 403
    assert as_user("student_1").call("download_xlsx", method="GET")[0] == 403
    status, body = as_user("staff").call("download_csv", method="GET")
    text = body.decode("utf-8")
    assert status == 200 and text.startswith("\ufeff") and "'=HYPERLINK" in text and "'@SUM(1)" in text
    status, body = as_user("staff").call("download_xlsx", method="GET")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.values)
    assert rows[1][0] == "student_1" and rows[1][2].startswith("'=")


def test_studio_refuses_bad_settings_and_saves_nothing(scenario):
    author = scenario(LOG)("staff")
    status, answer = author.call("submit_studio_edits", {"values": {
        "time_zone": "Mars/Olympus", "window_start": "2026-12-05", "window_end": "2026-12-01",
        "goal_days": 0}, "defaults": []})
    assert status == 400
    text = json.dumps(answer)
    assert "Mars/Olympus" in text and "cannot end before it starts" in text and "Goal" in text
    status, answer = author.call("submit_studio_edits", {"values": {
        "window_start": "2026-12-01", "window_end": "2026-12-03", "goal_days": 5}, "defaults": []})
    assert status == 400 and "at most 3" in json.dumps(answer)
    status, answer = author.call("submit_studio_edits", {"values": {"window_start": "1 Dec"}, "defaults": []})
    assert status == 400
    block = author.fresh().block
    assert (block.time_zone, block.window_start, block.goal_days) == ("", "", 2)
    assert author.call("submit_studio_edits", {"values": {
        "time_zone": "Asia/Urumqi", "window_start": "2026-12-01", "window_end": "2026-12-07", "goal_days": 5},
        "defaults": []})[0] == 200


def test_olx_round_trip_keeps_every_authored_field(scenario):
    from lxml import etree  # noqa: PLC0415
    block = scenario("<lifelong_reading_log display_name='周' intro='读&lt;b&gt;' reflection_prompt='想到什么'"
                     " time_zone='Asia/Urumqi' window_start='2026-12-01' window_end='2026-12-07' goal_days='4'"
                     " wall_enabled='false'/>")("staff").block
    node = etree.Element("lifelong_reading_log")
    block.add_xml_to_node(node)
    copy = scenario(etree.tostring(node, encoding="unicode"))("staff").block
    for name in block.editable_fields:
        assert getattr(copy, name) == getattr(block, name), name
    assert copy.intro == "读<b>"


def test_mobile_content_has_no_learner_and_state_has_the_learner(scenario, clock):
    as_user = scenario(WINDOW)
    data = as_user("student_1").block.student_view_data()
    assert data["time_zone"] == "Asia/Shanghai" and data["window_end"] == "2026-12-01" and data["goal_days"] == 2
    check_in(as_user("student_1"), reflection="mine")
    assert "mine" not in json.dumps(as_user("student_2").block.student_view_data())
    status, state = as_user("student_1").call("student_view_user_state", method="GET")
    assert status == 200 and state["today"] == "2026-11-30" and state["entry"]["reflection"] == "mine"
    assert state["days"] == [{"day": "2026-11-30", "minutes": 30, "pages": 0}]
    assert as_user(None).call("student_view_user_state", method="GET")[0] == 403


def test_report_rows_summarise_each_learner(scenario, clock):
    from collections import namedtuple  # noqa: PLC0415
    state = namedtuple("XBlockUserState", "username block_key state updated scope")
    as_user = scenario(WINDOW)
    check_in(as_user("student_1"))
    clock.advance(24 * HOURS)
    check_in(as_user("student_1").fresh(), minutes=20)
    block = as_user("staff").block
    rows = dict(block.generate_report_data(iter([state(n, None, {}, None, "user_state")
                                                 for n in ("student_1", "nobody")])))
    assert set(rows) == {"student_1"}
    row = rows["student_1"]
    assert (row["completion"], row["days"], row["longest_streak"], row["minutes"]) == (1.0, 2, 2, 50)


def test_author_preview_shows_no_form_and_no_staff_panel(scenario, clock):
    html = scenario(LOG)("staff").render("author_view").body_html()
    assert "data-ll-checkin" not in html and "For staff" not in html and "<svg" in html


XSS = "<img src=x onerror=alert(1)></script>\"'{{ 7*7 }}"


def test_hostile_book_titles_and_reflections_are_text_in_every_view(scenario, clock):
    as_user = scenario(LOG)
    book = Book.objects.create(course_key=as_user("student_2").block.course_key, usage_key="shelf",
                               title="Book " + XSS, author="Author " + XSS, match_key="x")
    check_in(join(as_user("student_2")), book_id=book.pk, reflection="Mine " + XSS, shared=True)
    for html in (as_user("student_2").render().body_html(), as_user("student_1").render().body_html(),
                 as_user("staff").render().body_html()):
        assert "<img src=x" not in html and "</script>\"" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_studio_view_offers_every_setting(scenario):
    html = scenario(LOG)("staff").render("studio_view").body_html()
    for name in ("intro", "reflection_prompt", "time_zone", "window_start", "window_end", "goal_days", "wall_enabled"):
        assert name in html, name


def test_large_text_is_remembered_for_the_learner(scenario, clock):
    learner = scenario(LOG)("student_1")
    assert learner.call("save_comfort", {"large_text": True})[0] == 200
    assert "ll-reading-log ll-large" in learner.fresh().render().body_html()


@pytest.mark.parametrize("values", [{"minutes": "²"}, {"minutes": "١٠"}, {"pages": 10 ** 30},
                                    {"book_id": "²"}, {"book_id": 10 ** 30}])
def test_odd_numbers_are_refused_per_field_and_nothing_is_stored(scenario, clock, values):
    learner = scenario(LOG)("student_1")
    status, answer = check_in(learner, **values)
    assert status == 400 and set(answer["fields"]) == {next(iter(values))}, answer
    assert not ReadingCheckIn.objects.exists()
