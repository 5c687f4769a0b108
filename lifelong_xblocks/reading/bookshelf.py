"""The bookshelf: recommending books, voting for them, listing them (no XBlock imports)."""
from lifelong_xblocks.models.bookshelf import Book


def course_books(course_key):
    """Visible, unmerged books of every bookshelf in the course, ordered by title.

    Other blocks (the reading log) offer these for a learner to pick; they read ``id``, ``title``
    and ``author`` only.
    """
    return list(Book.objects.filter(course_key=str(course_key), hidden=False, merged_into__isnull=True)
                .only("id", "title", "author").order_by("title", "id"))
