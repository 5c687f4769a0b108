"""The shelf's page (``reading.bookshelf.shelf_page``), whose SQL is compiled once per connection and
run with each call's values, gives what the ORM gives for the same question: every sort, page,
search (with the characters LIKE treats specially), learner and staff."""
import itertools
import json

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q

from lifelong_xblocks.models.bookshelf import Book, BookRecommendation, BookVote
from lifelong_xblocks.reading import bookshelf as shelf
from lifelong_xblocks.reading.isbn import format_isbn

SHELF, OTHER = "block-v1:lifelong+shelf+type@lifelong_bookshelf+block@one", "block-v1:x+y+type@z+block@other"
SEARCHES = ["", "书", "作者 1", "科幻", "tag<3>", "%", "_", "\\", "a\"b'c&", "Dune", "DUNE", "\\u79d1", "1%_"]


def reference_page(usage_key, sort, page, user_id, with_names, search):
    """The page as the ORM reads it, one plain query per question (no compiled SQL)."""
    sort, page, search = shelf.clean_sort(sort), shelf.clean_page(page), shelf.clean_search(search)
    visible = Book.objects.filter(usage_key=usage_key, hidden=False, merged_into__isnull=True)
    if search:
        visible = visible.filter(Q(title__icontains=search) | Q(author__icontains=search)
                                 | Q(tags__icontains=json.dumps(search)))
    total = visible.count()
    pages = max(1, -(-total // shelf.PAGE_SIZE))
    page = min(page, pages)
    books = list(visible.order_by(*shelf.ORDERINGS[sort])[(page - 1) * shelf.PAGE_SIZE:page * shelf.PAGE_SIZE])
    shown = []
    for book in books:
        latest = (BookRecommendation.objects.filter(book=book).exclude(reason="").select_related("user")
                  .order_by("-id")[:shelf.REASONS_SHOWN])
        shown.append({
            "id": book.pk, "title": book.title, "author": book.author, "isbn": format_isbn(book.isbn),
            "publisher": book.publisher, "year": book.year, "tags": list(book.tags or []), "votes": book.vote_count,
            "recommenders": book.recommender_count, "featured": book.featured, "hidden": book.hidden,
            "voted": user_id is not None and BookVote.objects.filter(book=book, user_id=user_id).exists(),
            "recommended": user_id is not None and BookRecommendation.objects.filter(book=book,
                                                                                      user_id=user_id).exists(),
            "reasons": [{"text": r.reason, "by_staff": r.by_staff, "username": r.user.username if with_names else ""}
                        for r in latest]})
    counts = None
    if books and user_id is not None:
        counts = (BookRecommendation.objects.filter(usage_key=usage_key, user_id=user_id).count(),
                  BookVote.objects.filter(usage_key=usage_key, user_id=user_id).count())
    return {"sort": sort, "search": search, "page": page, "pages": pages, "total": total,
            "page_size": shelf.PAGE_SIZE, "learner_counts": counts, "first": (page - 1) * shelf.PAGE_SIZE + 1,
            "books": shown}


@pytest.fixture
def shelf_data(db):
    users = get_user_model().objects
    learners = [users.create(username=f"reader{n}") for n in range(4)]
    titles = ["Dune", "书 <i>1</i> & '\"", "100% pure_fun", "back\\slash", "作者的书", "科幻小说"]
    books = []
    for n in range(47):
        book = Book.objects.create(
            course_key="course", usage_key=SHELF, title=f"{titles[n % len(titles)]} {n}", author=f"作者 {n % 13}",
            isbn=f"97875366{n:05d}" if n % 4 == 0 else None, publisher="出版社" if n % 5 == 0 else "",
            year=1990 + n if n % 3 == 0 else None, match_key=f"key-{n}", vote_count=(n * 7) % 11,
            recommender_count=1, featured=n % 9 == 0, hidden=n % 17 == 5,
            tags=[["科幻", f"tag<{n}>", "a\"b'c&"], [], ["Dune", "1%_"], ["\\u79d1"]][n % 4])
        books.append(book)
    Book.objects.create(course_key="course", usage_key=OTHER, title="Dune elsewhere", author="x", match_key="other")
    books[8].merged_into = books[7]
    books[8].save()
    for n, book in enumerate(books):
        for m, learner in enumerate(learners):
            if (n + m) % 3 == 0:
                BookRecommendation.objects.create(course_key="course", usage_key=SHELF, user=learner, book=book,
                                                  reason="" if (n + m) % 2 else f"理由 {n}-{m}\n<b>", by_staff=m == 3)
            if (n * m) % 4 == 1:
                BookVote.objects.create(course_key="course", usage_key=SHELF, user=learner, book=book)
    return learners


@pytest.mark.parametrize("search", SEARCHES)
def test_every_page_and_sort_reads_as_the_orm_reads_it(shelf_data, search):
    viewers = [(None, False), (shelf_data[0].pk, False), (shelf_data[3].pk, True)]
    for sort, page, (user_id, with_names) in itertools.product([*shelf.SORTS, "bogus"], [1, 2, 99], viewers):
        got = shelf.shelf_page(SHELF, sort, page, user_id=user_id, with_names=with_names, search=search)
        assert got == reference_page(SHELF, sort, page, user_id, with_names, search), (sort, page, user_id, search)


def test_an_empty_shelf_and_another_shelf_stay_apart(shelf_data):
    page = shelf.shelf_page("block-v1:none+none+type@lifelong_bookshelf+block@empty", user_id=shelf_data[0].pk)
    assert page["books"] == [] and page["total"] == 0 and page["pages"] == 1 and page["learner_counts"] is None
    titles = [book["title"] for book in shelf.shelf_page(SHELF, search="Dune elsewhere")["books"]]
    assert titles == []


def test_the_values_keep_their_types(shelf_data):
    books = shelf.shelf_page(SHELF, user_id=shelf_data[1].pk)["books"]
    assert all(type(book[name]) is bool for book in books for name in ("featured", "hidden", "voted", "recommended"))
    assert all(isinstance(book["tags"], list) for book in books)
    assert all(type(reason["by_staff"]) is bool for book in books for reason in book["reasons"])
