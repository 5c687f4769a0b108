"""Many learners voting and recommending at the same moment, on MariaDB's row locks.

Marked ``mariadb``: SQLite serialises all writers, so it cannot show lost updates or deadlocks.
"""
import pytest
from django.contrib.auth import get_user_model

from lifelong_xblocks.models.bookshelf import Book, BookRecommendation, BookVote
from lifelong_xblocks.reading import book_moderation
from lifelong_xblocks.reading import bookshelf as shelf

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]

COURSE = "course-v1:OU+READ+2026"
USAGE = "block-v1:OU+READ+2026+type@lifelong_bookshelf+block@shelf"
THREADS = 50


@pytest.fixture
def learners():
    return [get_user_model().objects.create(username=f"reader{i}") for i in range(THREADS)]


def _book(learner):
    book, _joined, _new = shelf.recommend(COURSE, USAGE, learner.pk, {"title": "三体", "author": "刘慈欣"})
    return book


def test_fifty_learners_voting_at_once_count_exactly_fifty(learners, concurrently):
    book = _book(learners[0])
    results, errors = concurrently(lambda i: shelf.vote(USAGE, learners[i].pk, book.pk), THREADS)
    assert errors == []
    assert all(changed for _i, (_book_, changed) in results)
    # each answer shows the count its own vote made: 1 to 50, each once
    assert sorted(shown.vote_count for _i, (shown, _changed) in results) == list(range(1, 51))
    book.refresh_from_db()
    assert book.vote_count == 50 == BookVote.objects.filter(book=book).count()


def test_one_learner_voting_fifty_times_at_once_counts_once(learners, concurrently):
    book = _book(learners[0])
    results, errors = concurrently(lambda _i: shelf.vote(USAGE, learners[1].pk, book.pk)[1], THREADS)
    assert errors == []
    assert sum(changed for _i, changed in results) == 1
    book.refresh_from_db()
    assert book.vote_count == 1 == BookVote.objects.filter(book=book).count()


def test_votes_and_unvotes_at_once_keep_the_counter_true(learners, concurrently):
    book = _book(learners[0])
    for learner in learners[:25]:
        shelf.vote(USAGE, learner.pk, book.pk)

    def flip(i):
        if i < 25:
            return shelf.unvote(USAGE, learners[i].pk, book.pk)[1]
        return shelf.vote(USAGE, learners[i].pk, book.pk)[1]

    _results, errors = concurrently(flip, THREADS)
    assert errors == []
    book.refresh_from_db()
    assert book.vote_count == 25 == BookVote.objects.filter(book=book).count()


def test_the_same_new_book_recommended_at_once_makes_one_entry(learners, concurrently):
    titles = ["三体", "《三体》", "三体 ", "三  体"]

    def recommend(i):
        return shelf.recommend(COURSE, USAGE, learners[i].pk,
                               {"title": titles[i % len(titles)], "author": "刘慈欣", "reason": f"#{i}"})[0].pk

    results, errors = concurrently(recommend, THREADS)
    assert errors == []
    assert len({pk for _i, pk in results}) == 1
    assert Book.objects.count() == 1
    book = Book.objects.get()
    assert book.recommender_count == 50 == BookRecommendation.objects.filter(book=book).count()


def test_the_same_isbn_recommended_at_once_makes_one_entry(learners, concurrently):
    def recommend(i):
        isbn = "9787536692930" if i % 2 else "7-5366-9293-5"
        return shelf.recommend(COURSE, USAGE, learners[i].pk,
                               {"title": f"Three Body {i % 2}", "author": "Liu", "isbn": isbn})[0].pk

    results, errors = concurrently(recommend, 20)
    assert errors == []
    assert len({pk for _i, pk in results}) == 1 and Book.objects.count() == 1


def test_votes_during_a_merge_are_neither_lost_nor_doubled(learners, concurrently):
    kept = _book(learners[0])
    duplicate, _joined, _new = shelf.recommend(COURSE, USAGE, learners[1].pk, {"title": "Three Body", "author": "Liu"})
    staff = get_user_model().objects.create(username="staff")

    def act(i):
        if i == 0:
            return book_moderation.merge(USAGE, kept.pk, duplicate.pk, staff.pk).pk
        return shelf.vote(USAGE, learners[i].pk, duplicate.pk if i % 2 else kept.pk)[0].pk

    _results, errors = concurrently(act, 30)
    assert errors == []
    kept.refresh_from_db()
    assert kept.vote_count == 29 == BookVote.objects.filter(book=kept).count()
    assert BookVote.objects.filter(book=duplicate).count() == 0
