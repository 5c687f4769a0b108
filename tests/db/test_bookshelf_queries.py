"""Rendering a page of the shelf costs the same number of queries for 10 books as for 10,000."""
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifelong_xblocks.models.bookshelf import Book, BookRecommendation, BookVote
from lifelong_xblocks.reading.book_keys import match_key

SHELF = "<lifelong_bookshelf display_name='Shelf' min_recommendations='1' min_votes='1'/>"


def fill(usage_key, count):
    """``count`` books with votes, reasons and reports, inserted in bulk."""
    course = "workbench"
    user_model = get_user_model()
    readers = user_model.objects.bulk_create([user_model(username=f"bulk{count}-{i}") for i in range(5)])
    readers = list(user_model.objects.filter(username__startswith=f"bulk{count}-"))
    books = Book.objects.bulk_create([
        Book(course_key=course, usage_key=usage_key, title=f"Book {i}", author=f"Author {i % 97}",
             match_key=match_key(f"Book {i}", f"Author {i % 97}"), vote_count=i % 50, recommender_count=1,
             featured=i % 100 == 0, tags=["tag"]) for i in range(count)], batch_size=1000)
    books = list(Book.objects.filter(usage_key=usage_key).order_by("id"))
    BookRecommendation.objects.bulk_create([
        BookRecommendation(course_key=course, usage_key=usage_key, user=readers[i % 5], book=book, reason=f"why {i}")
        for i, book in enumerate(books)], batch_size=1000)
    BookVote.objects.bulk_create([
        BookVote(course_key=course, usage_key=usage_key, user=readers[j], book=book)
        for book in books[-40:] for j in range(5)], batch_size=1000)


def queries_to(callable_):
    """Our own queries: the workbench's field storage (cached per request in the LMS) left out."""
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len([query for query in captured.captured_queries if "workbench_xblockstate" not in query["sql"]])


def measure(scenario, count):
    as_user = scenario(SHELF)
    learner, staff = as_user("student_1"), as_user("staff")
    learner.render()    # creates the workbench users outside the measurement
    staff.render()
    fill(learner.block.usage_key, count)
    return {
        "learner view": queries_to(lambda: learner.fresh().render()),
        "staff view": queries_to(lambda: staff.fresh().render()),
        "votes page 3": queries_to(lambda: learner.call("list_books", {"sort": "votes", "page": 3})),
        "newest last page": queries_to(lambda: learner.call("list_books", {"sort": "newest", "page": 10**6})),
        "picks": queries_to(lambda: staff.call("list_books", {"sort": "picks", "page": 2})),
        "search": queries_to(lambda: learner.call("list_books", {"search": "Author 5", "page": 2})),
        "vote": queries_to(lambda: learner.call("vote", {"book": Book.objects.filter(
            usage_key=learner.block.usage_key).order_by("-id").values_list("id", flat=True).first()})),
        "mobile state": queries_to(lambda: learner.fresh().call("student_view_user_state", method="GET")),
    }


@pytest.mark.django_db
def test_queries_per_page_do_not_grow_with_the_shelf(scenario):
    small = measure(scenario, 10)
    large = measure(scenario, 10_000)
    print("queries (10 books, 10,000 books):", {name: (small[name], large[name]) for name in small})
    assert large == small
    # the user with the learner's settings, the page (with the count and the learner's votes and
    # counts as subqueries), the reasons
    assert large["learner view"] <= 3
    assert large["staff view"] <= 9
    assert large["votes page 3"] <= 3


@pytest.mark.django_db
def test_a_page_lists_twenty_books_in_vote_order(scenario):
    as_user = scenario(SHELF)
    learner = as_user("student_1")
    fill(learner.block.usage_key, 60)
    _status, answer = learner.call("list_books", {"sort": "votes", "page": 1})
    votes = [book["votes"] for book in answer["books"]]
    assert len(votes) == 20 and votes == sorted(votes, reverse=True)
