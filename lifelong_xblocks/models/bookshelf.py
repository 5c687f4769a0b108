"""Books on a course's bookshelf, who recommended them and who voted for them.

Duplicates are kept out by the database, not by a look-up before the insert: each book carries a
``match_key`` (a digest of its normalised title and author) and its ISBN-13, both unique per
bookshelf block, so two learners recommending the same book at the same moment end on one entry.
A book without an ISBN stores NULL, which unique indexes do not compare (SQLite and MariaDB alike).

``vote_count`` and ``recommender_count`` are kept next to the book and changed with ``F()`` in the
same transaction as the vote or recommendation row, so listing 10,000 books by votes is one indexed
query and never a count per book; the shelf's number of visible books is counted from an index
(``lifelong_book_visible_newest``) without reading the books' rows.
"""
from django.conf import settings
from django.db import models

from lifelong_xblocks.models.keys import KEY_LENGTH, BlockRecord

TITLE_MAX = 300
AUTHOR_MAX = 200
PUBLISHER_MAX = 200
REASON_MAX = 500


class Book(models.Model):
    """One book on one bookshelf block; merged duplicates stay as rows pointing to the kept one."""

    course_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    usage_key = models.CharField(max_length=KEY_LENGTH)
    title = models.CharField(max_length=TITLE_MAX)
    author = models.CharField(max_length=AUTHOR_MAX)
    isbn = models.CharField(max_length=13, null=True, blank=True)   # ISBN-13, digits only; NULL when none
    publisher = models.CharField(max_length=PUBLISHER_MAX, blank=True, default="")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)
    match_key = models.CharField(max_length=64)                      # sha256 of normalised title + author
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    by_staff = models.BooleanField(default=False)                    # first recommended by course staff
    vote_count = models.PositiveIntegerField(default=0)
    recommender_count = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    featured = models.BooleanField(default=False)                    # the editor's pick
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged_books")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["usage_key", "match_key"], name="lifelong_book_once_by_title"),
            models.UniqueConstraint(fields=["usage_key", "isbn"], name="lifelong_book_once_by_isbn"),
        ]
        indexes = [
            models.Index(fields=["usage_key", "hidden", "vote_count", "id"], name="lifelong_book_by_votes"),
            models.Index(fields=["usage_key", "hidden", "featured", "vote_count", "id"],
                         name="lifelong_book_by_picks"),
            # Newest first, and the count of a shelf's visible books read from this index alone.
            models.Index(fields=["usage_key", "hidden", "merged_into", "id"], name="lifelong_book_visible_newest"),
            models.Index(fields=["course_key", "hidden", "title"], name="lifelong_book_course_titles"),
        ]

    def __str__(self):
        return f"{self.title} / {self.author}"


class BookRecommendation(BlockRecord):
    """A learner's (or staff member's) recommendation of a book, with their reason."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="recommendations")
    reason = models.CharField(max_length=REASON_MAX, blank=True, default="")
    tags = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["book", "user"], name="lifelong_recommend_once")]
        indexes = [models.Index(fields=["usage_key", "user"], name="lifelong_recommend_by_user")]

    def __str__(self):
        return f"recommendation of book {self.book_id} by user {self.user_id}"


class BookVote(BlockRecord):
    """One learner's vote for one book."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="votes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["book", "user"], name="lifelong_vote_once")]
        indexes = [models.Index(fields=["usage_key", "user"], name="lifelong_vote_by_user")]

    def __str__(self):
        return f"vote for book {self.book_id} by user {self.user_id}"
