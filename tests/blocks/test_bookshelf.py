"""The bookshelf through its views and handlers, as learners and staff use it."""
import json
import re
from collections import namedtuple

import pytest
from lxml import etree

from lifelong_xblocks.models.bookshelf import Book, BookRecommendation, BookVote
from lifelong_xblocks.models.moderation import ModerationAction

SHELF = ("<lifelong_bookshelf display_name='读书会书架' instructions='推荐一本好书' "
         "min_recommendations='2' min_votes='2'/>")
XBlockUserState = namedtuple("XBlockUserState", "username block_key state updated scope")


def recommend(client, title="三体", author="刘慈欣", **extra):
    return client.call("recommend", {"title": title, "author": author, **extra})


@pytest.fixture
def shelf(scenario):
    return scenario(SHELF)


def test_recommending_puts_the_book_on_the_shelf(shelf):
    learner = shelf("student_1")
    status, answer = recommend(learner, isbn="978-7-5366-9293-0", reason="想象力惊人", tags="科幻, 经典")
    assert status == 200, answer
    assert answer["joined"] is False and answer["book"]["isbn"] == "978-7-5366-9293-0"
    html = learner.fresh().render().body_html()
    assert "三体" in html and "想象力惊人" in html and "科幻" in html


def test_same_book_in_full_width_joins_the_existing_entry(shelf):
    recommend(shelf("student_1"), title="Ｔｈｅ Ｈｏｂｂｉｔ", author="Ｊ．Ｒ．Ｒ． Ｔｏｌｋｉｅｎ")
    status, answer = recommend(shelf("student_2"), title="the hobbit", author="J.R.R. Tolkien", reason="Lovely")
    assert status == 200 and answer["joined"] is True
    assert Book.objects.count() == 1
    assert Book.objects.get().recommender_count == 2


def test_same_isbn_joins_even_with_another_title(shelf):
    recommend(shelf("student_1"), title="三体", author="刘慈欣", isbn="9787536692930")
    status, answer = recommend(shelf("student_2"), title="The Three-Body Problem", author="Liu Cixin",
                               isbn="7-5366-9293-5")
    assert status == 200, answer
    assert answer["joined"] is True and Book.objects.count() == 1


def test_bad_isbn_checksum_is_a_field_error_and_nothing_is_stored(shelf):
    status, answer = recommend(shelf("student_1"), isbn="978-7-5366-9293-1", year="abc")
    assert status == 400
    assert set(answer["fields"]) == {"isbn", "year"}
    assert "check digit" in answer["fields"]["isbn"]
    assert Book.objects.count() == 0 and BookRecommendation.objects.count() == 0


def test_missing_title_and_too_long_reason_are_refused(shelf):
    status, answer = recommend(shelf("student_1"), title="  ", reason="x" * 501)
    assert status == 400 and set(answer["fields"]) == {"title", "reason"}


def test_refusals_are_translated(shelf):
    from django.utils import translation  # pylint: disable=import-outside-toplevel
    with translation.override("zh-hans"):
        status, answer = recommend(shelf("student_1"), isbn="9787536692931")
    assert status == 400 and "ISBN" in answer["fields"]["isbn"]
    assert answer["fields"]["isbn"] != "This ISBN's check digit is wrong. Please copy it again from the book."


def test_vote_and_unvote_are_idempotent(shelf):
    _status, answer = recommend(shelf("student_1"))
    book = answer["book"]["id"]
    voter = shelf("student_2")
    assert voter.call("vote", {"book": book})[1]["votes"] == 1
    assert voter.call("vote", {"book": book})[1]["votes"] == 1
    assert voter.call("unvote", {"book": book})[1]["votes"] == 0
    status, answer = voter.call("unvote", {"book": book})
    assert status == 200 and answer["votes"] == 0 and answer["changed"] is False
    assert BookVote.objects.count() == 0


def test_completion_after_enough_votes(shelf):
    learner = shelf("student_1")
    books = [recommend(shelf("staff"), title=f"Book {i}", author="A")[1]["book"]["id"] for i in range(2)]
    learner.call("vote", {"book": books[0]})
    assert learner.events("completion") == []
    learner.call("vote", {"book": books[1]})
    assert learner.events("completion") == [{"completion": 1.0}]
    assert learner.block.learner_record["voted"] == 2


def test_completion_after_enough_recommendations(shelf):
    learner = shelf("student_1")
    recommend(learner, title="A", author="X")
    recommend(learner, title="A", author="X")            # the same book again does not count twice
    assert learner.events("completion") == []
    recommend(learner, title="B", author="X")
    assert learner.events("completion") == [{"completion": 1.0}]


def test_anonymous_visitors_can_list_but_not_vote(shelf):
    recommend(shelf("student_1"))
    anonymous = shelf("none")
    status, answer = anonymous.call("list_books", {"sort": "newest"})
    assert status == 200 and answer["total"] == 1
    assert anonymous.call("vote", {"book": answer["books"][0]["id"]})[0] == 403


def test_list_sorts_and_pages(shelf):
    staff = shelf("staff")
    ids = [recommend(staff, title=f"Book {i:02d}", author="A")[1]["book"]["id"] for i in range(25)]
    shelf("student_1").call("vote", {"book": ids[3]})
    status, first = staff.call("list_books", {"sort": "votes", "page": 1})
    assert status == 200 and first["pages"] == 2 and len(first["books"]) == 20
    assert first["books"][0]["id"] == ids[3]
    _status, newest = staff.call("list_books", {"sort": "newest", "page": 2})
    assert [book["id"] for book in newest["books"]] == ids[4::-1]
    _status, odd = staff.call("list_books", {"sort": "<script>", "page": "x"})
    assert odd["sort"] == "votes" and odd["page"] == 1


def test_staff_moderation_is_checked_on_the_server_and_logged(shelf):
    book = recommend(shelf("student_1"))[1]["book"]["id"]
    assert shelf("student_2").call("moderate", {"book": book, "action": "hide"})[0] == 403
    staff = shelf("staff")
    assert staff.call("moderate", {"book": book, "action": "feature"})[0] == 200
    assert staff.call("moderate", {"book": book, "action": "hide", "note": "spam"})[0] == 200
    assert "三体" not in shelf("student_2").render().body_html()
    assert shelf("student_2").call("vote", {"book": book})[0] == 400
    actions = list(ModerationAction.objects.values_list("action", "actor__username"))
    assert actions == [("feature", "staff"), ("hide", "staff")]
    _status, answer = staff.call("book_history", {"book": book})
    assert [entry["action"] for entry in answer["history"]] == ["feature", "hide"]
    assert staff.call("moderate", {"book": book, "action": "explode"})[0] == 400


def test_picks_sort_puts_editors_picks_first(shelf):
    staff = shelf("staff")
    first = recommend(staff, title="Popular", author="A")[1]["book"]["id"]
    pick = recommend(staff, title="Quiet gem", author="B")[1]["book"]["id"]
    shelf("student_1").call("vote", {"book": first})
    staff.call("moderate", {"book": pick, "action": "feature"})
    _status, answer = staff.call("list_books", {"sort": "picks"})
    assert [book["id"] for book in answer["books"]] == [pick, first]
    assert "Editor&#x27;s pick" in answer["html"] or "Editor's pick" in answer["html"]


def test_merge_moves_votes_and_recommenders_without_double_votes(shelf):
    kept = recommend(shelf("student_1"), title="Walden", author="Thoreau")[1]["book"]["id"]
    duplicate = recommend(shelf("student_2"), title="Walden; or, Life in the Woods", author="H. D. Thoreau")[1]["book"]["id"]
    for student, books in (("student_3", [kept, duplicate]), ("student_4", [duplicate]), ("student_5", [kept])):
        for book in books:
            shelf(student).call("vote", {"book": book})
    staff = shelf("staff")
    status, answer = staff.call("merge_books", {"kept": kept, "duplicate": duplicate})
    assert status == 200, answer
    assert answer["book"]["votes"] == 3 and answer["book"]["recommenders"] == 2
    assert BookVote.objects.filter(book_id=kept).count() == 3
    assert Book.objects.get(pk=duplicate).merged_into_id == kept
    # A later recommendation of the duplicate joins the kept entry; a vote for it lands there too.
    assert recommend(shelf("student_6"), title="Walden; or, Life in the Woods", author="H. D. Thoreau")[1][
        "book"]["id"] == kept
    assert shelf("student_4").call("vote", {"book": duplicate})[1]["votes"] == 3
    status, answer = staff.call("merge_books", {"kept": kept, "duplicate": "abc"})
    assert status == 400 and "duplicate" in answer["fields"]


def test_reports_are_counted_for_staff_and_resolved(shelf):
    book = recommend(shelf("student_1"))[1]["book"]["id"]
    for student in ("student_2", "student_3", "student_3"):
        assert shelf(student).call("report_book", {"book": book, "reason": "广告"})[0] == 200
    staff_html = shelf("staff").render().body_html()
    assert "2 open reports" in staff_html
    assert shelf("staff").call("moderate", {"book": book, "action": "resolve"})[0] == 200
    assert "ll-badge ll-reported" not in shelf("staff").render().body_html()


def test_staff_view_has_figures_chart_and_downloads(shelf):
    recommend(shelf("student_1"), title="=HYPERLINK(\"x\")", author="A")
    recommend(shelf("staff"), title="Staff book", author="B")
    html = shelf("staff").render().body_html()
    assert "For staff" in html and "<svg" in html and "download_books/csv" in html
    assert "For staff" not in shelf("student_1").render().body_html()
    status, body = shelf("staff").call("download_books", method="GET", suffix="csv")
    text = body.decode("utf-8")
    assert status == 200 and text.startswith("\ufeff") and "'=HYPERLINK" in text
    status, body = shelf("staff").call("download_books", method="GET", suffix="xlsx")
    assert status == 200 and body[:2] == b"PK"
    assert shelf("student_1").call("download_books", method="GET", suffix="csv")[0] == 403


def test_staff_figures_leave_staff_out(shelf):
    book = recommend(shelf("staff"))[1]["book"]["id"]
    shelf("staff").call("vote", {"book": book})
    shelf("student_1").call("vote", {"book": book})
    figures = shelf("staff").block.staff_context()["figures"]
    assert figures["voters"] == 1 and figures["votes"] == 1 and figures["recommenders"] == 0


def test_studio_validation_refuses_impossible_rules(shelf):
    status, answer = shelf("staff").call("submit_studio_edits", {"values": {
        "min_recommendations": 0, "min_votes": 0}, "defaults": []})
    assert status == 400 and "completion rule" in json.dumps(answer)
    status, answer = shelf("staff").call("submit_studio_edits", {"values": {
        "min_recommendations": -1, "min_votes": 500}, "defaults": []})
    assert status == 400
    status, _answer = shelf("staff").call("submit_studio_edits", {"values": {"min_votes": 5}, "defaults": []})
    assert status == 200


def test_learners_may_not_recommend_when_switched_off(scenario):
    as_user = scenario("<lifelong_bookshelf learners_may_recommend='false' min_recommendations='0' min_votes='1'/>")
    assert recommend(as_user("student_1"))[0] == 403
    assert recommend(as_user("staff"))[0] == 200
    assert "Recommend a book" not in as_user("student_1").render().body_html()


def test_olx_round_trip_keeps_every_authored_field(scenario):
    block = scenario(SHELF.replace("/>", " learners_may_recommend='false'/>"))("staff").block
    node = etree.Element("lifelong_bookshelf")
    block.add_xml_to_node(node)
    copy = scenario(etree.tostring(node, encoding="unicode"))("staff").block
    for name in block.editable_fields:
        assert getattr(copy, name) == getattr(block, name), name
    assert copy.learners_may_recommend is False


def test_mobile_data_has_content_only_and_user_state_has_the_learners(shelf):
    learner = shelf("student_1")
    book = recommend(learner)[1]["book"]["id"]
    learner.call("vote", {"book": book})
    data = learner.block.student_view_data()
    assert data["min_votes"] == 2 and "books" not in data and "voted" not in json.dumps(data)
    status, state = learner.fresh().call("student_view_user_state", method="GET")
    assert status == 200
    assert state["recommended"] == 1 and state["voted"] == 1 and state["voted_books"] == [book]


def test_report_rows_for_open_edx(shelf):
    learner = shelf("student_1")
    recommend(learner, title="A", author="X")
    recommend(learner, title="B", author="X")
    states = [XBlockUserState(name, None, {}, None, None) for name in ("student_1", "nobody")]
    rows = list(shelf("staff").block.generate_report_data(iter(states)))
    assert rows[0][0] == "student_1"
    assert rows[0][1]["completion"] == 1.0 and rows[0][1]["books_recommended"] == 2
    assert rows[0][1]["titles"] == "A | B"
    assert len(rows) == 1


def test_author_preview_renders_without_a_learner(shelf):
    html = shelf("staff").render("author_view").body_html()
    assert "读书会书架" in html and "For staff" not in html


def test_unvote_answers_not_voted_while_other_votes_remain(shelf):
    staff = shelf("staff")
    first, second = (recommend(staff, title=t, author="A")[1]["book"]["id"] for t in ("One", "Two"))
    voter = shelf("student_1")
    voter.call("vote", {"book": first})
    voter.call("vote", {"book": second})
    status, answer = voter.call("unvote", {"book": first})
    assert status == 200 and answer["voted"] is False and answer["progress"]["voted"] == 1


def test_completion_stays_after_a_vote_is_taken_back(shelf):
    """Open edX treats completion as monotonic: the learner's view and mobile state agree with it."""
    staff = shelf("staff")
    books = [recommend(staff, title=f"Book {i}", author="A")[1]["book"]["id"] for i in range(2)]
    learner = shelf("student_1")
    for book in books:
        learner.call("vote", {"book": book})
    status, answer = learner.call("unvote", {"book": books[0]})
    assert status == 200 and answer["progress"] == {"recommended": 0, "voted": 1, "completed": True}
    assert {"completion": 0.0} not in learner.events("completion")
    html = learner.fresh().render().body_html()
    assert re.search(r'data-ll-completed\s*>', html), "the Completed badge is shown"
    assert learner.fresh().call("student_view_user_state", method="GET")[1]["completed"] is True


def test_search_finds_books_by_title_author_or_tag(shelf):
    staff = shelf("staff")
    recommend(staff, title="三体", author="刘慈欣", tags="科幻")
    recommend(staff, title="Dune", author="Frank Herbert", tags="SciFi, classic")
    recommend(staff, title="活着", author="余华")
    learner = shelf("student_1")

    def titles(search):
        status, answer = learner.call("list_books", {"search": search, "html": False})
        assert status == 200 and "html" not in answer and answer["search"] == search.strip()
        return sorted(book["title"] for book in answer["books"])

    assert titles("科幻") == ["三体"]                   # a Chinese tag (stored JSON-escaped)
    assert titles("scifi") == ["Dune"] and titles("HERBERT") == ["Dune"]
    assert titles("余") == ["活着"] and titles("") == ["Dune", "三体", "活着"]
    assert titles("%") == [] and titles("\\u79d1") == [] and titles("7") == []   # no wildcards, no escapes
    assert titles("class") == []                        # a tag is matched whole
    _status, answer = learner.call("list_books", {"search": "科幻"})
    assert "1 book matches" in answer["html"] and "Show all books" in answer["html"]
    assert 'data-ll-tag="科幻"' in answer["html"]


def test_search_is_cut_to_its_limit_and_odd_types_are_ignored(shelf):
    recommend(shelf("staff"), title="Dune", author="Frank Herbert")
    learner = shelf("student_1")
    status, answer = learner.call("list_books", {"search": "x" * 5000, "html": False})
    assert status == 200 and len(answer["search"]) == 100 and answer["total"] == 0
    status, answer = learner.call("list_books", {"search": ["Dune"], "page": "2", "sort": "bogus", "html": False})
    assert status == 200 and answer["total"] == 1 and answer["sort"] == "votes" and answer["page"] == 1


def test_progress_is_shown_up_to_the_goal_and_staff_have_no_report_button(shelf):
    staff = shelf("staff")
    for title in ("A", "B", "C"):
        recommend(staff, title=title, author="X")
    html = staff.fresh().render().body_html()
    assert "Recommended: 2 of 2" in html and "Recommended: 3 of 2" not in html
    assert "data-ll-report" not in html and "Choose for merging" in html
    learner_html = shelf("student_1").render().body_html()
    assert "data-ll-report" in learner_html and "Choose for merging" not in learner_html


@pytest.mark.parametrize("handler", ["vote", "unvote", "report_book"])
def test_a_book_id_must_be_a_whole_number(shelf, handler):
    recommend(shelf("staff"))          # book 1 on a fresh SQLite database: what true would mean
    learner = shelf("student_1")
    for bad in (True, 1.0, [1], {"id": 1}, None, "one"):
        status, answer = learner.call(handler, {"book": bad})
        assert status == 400, (bad, answer)
    assert BookVote.objects.count() == 0


def test_staff_book_ids_must_be_whole_numbers(shelf):
    recommend(shelf("staff"), title="One", author="A")
    recommend(shelf("staff"), title="Two", author="A")
    staff = shelf("staff")
    assert staff.call("moderate", {"book": True, "action": "hide"})[0] == 400
    status, answer = staff.call("merge_books", {"kept": 2, "duplicate": 1.0})
    assert status == 400 and "duplicate" in answer["fields"]
    assert not Book.objects.filter(hidden=True).exists() and not Book.objects.filter(merged_into__isnull=False).exists()


@pytest.mark.parametrize("page", [10 ** 30, "²", -3, True])
def test_an_odd_page_number_shows_the_first_page(shelf, page):
    recommend(shelf("student_1"))
    status, answer = shelf("student_2").call("list_books", {"sort": "newest", "page": page})
    assert status == 200 and answer["page"] == 1, answer
