"""Staff moderation of a bookshelf: hide, editor's pick, merge duplicates; learners' reports.

Each change of a book's state and its entry in the shared moderation log
(:mod:`lifelong_xblocks.moderation`) happen in one transaction, so the log says who did what
when for every state a book has been in.
"""
from django.db import transaction

from lifelong_xblocks import moderation
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.inputs import whole_number
from lifelong_xblocks.models.bookshelf import Book, BookRecommendation, BookVote
from lifelong_xblocks.reading.bookshelf import book_view, merged_tags

NOTE_MAX = 500



def _book_id(value, field="book"):
    if isinstance(value, str):
        value = value.strip().lstrip("#")       # staff type "#12" as the list shows it
    return whole_number(value, _("Please enter a book number, such as 12."), field)


def _note(value):
    note = str(value or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("The note can be at most {limit} characters long.").format(limit=NOTE_MAX), field="note")
    return note


def _locked_book(usage_key, book_id):
    book = Book.objects.select_for_update().filter(pk=_book_id(book_id)).first()   # a point lock by key
    if book is None or book.usage_key != usage_key:
        raise InvalidInput(_("This book is not on the shelf."), field="book")
    return book


def set_hidden(usage_key, book_id, actor_id, hidden, note=""):
    """Hide a book from learners (or show it again); hiding also closes its open reports."""
    note, actor = _note(note), actor_id
    with transaction.atomic():
        book = _locked_book(usage_key, book_id)
        if book.merged_into_id:
            raise Conflict(_("This book was merged into another entry."))
        if book.hidden != bool(hidden):
            book.hidden = bool(hidden)
            book.save(update_fields=["hidden"])
            moderation.record_action(book, actor=actor, action="hide" if hidden else "show", note=note)
        if hidden:
            moderation.resolve_flags(book, actor=actor)
    return book


def set_featured(usage_key, book_id, actor_id, featured, note=""):
    """Mark a book as an editor's pick (or take the mark away)."""
    note, actor = _note(note), actor_id
    with transaction.atomic():
        book = _locked_book(usage_key, book_id)
        if book.merged_into_id:
            raise Conflict(_("This book was merged into another entry."))
        if book.featured != bool(featured):
            book.featured = bool(featured)
            book.save(update_fields=["featured"])
            moderation.record_action(book, actor=actor, action="feature" if featured else "unfeature", note=note)
    return book


def merge(usage_key, kept_id, duplicate_id, actor_id, note=""):
    """Merge ``duplicate_id`` into ``kept_id``: its votes and recommenders move, none counted twice.

    A learner who voted for both keeps one vote.  The duplicate stays as a row pointing to the kept
    entry, so later recommendations of it (same ISBN or title) join the kept one.
    """
    kept_id, duplicate_id = _book_id(kept_id, "kept"), _book_id(duplicate_id, "duplicate")
    if kept_id == duplicate_id:
        raise InvalidInput(_("Choose two different books to merge."), field="duplicate")
    note, actor = _note(note), actor_id
    with transaction.atomic():
        # Point locks by primary key, lowest first: a range scan of a secondary index would also
        # lock its gaps, where concurrent votes move their counter's index entries (a deadlock).
        locked = {}
        for pk in sorted((kept_id, duplicate_id)):
            book = Book.objects.select_for_update().filter(pk=pk).first()
            if book is not None and book.usage_key == usage_key:
                locked[pk] = book
        if kept_id not in locked:
            raise InvalidInput(_("The book to keep is not on this shelf."), field="kept")
        if duplicate_id not in locked:
            raise InvalidInput(_("The duplicate is not on this shelf."), field="duplicate")
        kept, duplicate = locked[kept_id], locked[duplicate_id]
        if kept.merged_into_id or duplicate.merged_into_id:
            raise Conflict(_("One of these books was already merged into another entry."))
        for model in (BookVote, BookRecommendation):
            # A list, not a subquery: MariaDB refuses an UPDATE that reads its own table (error 1093).
            already = list(model.objects.filter(book=kept).values_list("user_id", flat=True))
            model.objects.filter(book=duplicate).exclude(user_id__in=already).update(book=kept)
            model.objects.filter(book=duplicate).delete()
        kept.vote_count = BookVote.objects.filter(book=kept).count()
        kept.recommender_count = BookRecommendation.objects.filter(book=kept).count()
        kept.tags = merged_tags(kept.tags, duplicate.tags)
        kept.featured = kept.featured or duplicate.featured
        kept.publisher = kept.publisher or duplicate.publisher
        kept.year = kept.year or duplicate.year
        kept.save(update_fields=["vote_count", "recommender_count", "tags", "featured", "publisher", "year"])
        duplicate.merged_into = kept
        duplicate.vote_count = duplicate.recommender_count = 0
        duplicate.featured = False
        duplicate.save(update_fields=["merged_into", "vote_count", "recommender_count", "featured"])
        Book.objects.filter(merged_into=duplicate).update(merged_into=kept)   # keep merges one hop
        moderation.record_action(kept, actor=actor, action="merge", note=note or f"#{duplicate.pk}")
        moderation.record_action(duplicate, actor=actor, action="merged_into", note=note or f"#{kept.pk}")
        moderation.resolve_flags(duplicate, actor=actor)
    return kept


def report(usage_key, book_id, reporter_id, reason=""):
    """A learner reports a book as inappropriate; reporting twice is a no-op.  True when new."""
    book = Book.objects.filter(usage_key=usage_key, pk=_book_id(book_id), hidden=False,
                               merged_into__isnull=True).first()
    if book is None:
        raise InvalidInput(_("This book is not on the shelf."), field="book")
    return moderation.flag(book, reporter=reporter_id, reason=reason)


def resolve_reports(usage_key, book_id, actor_id):
    """Staff looked at the reports of a book and keep it: close them.  Returns how many."""
    actor = actor_id
    with transaction.atomic():
        book = _locked_book(usage_key, book_id)
        closed = moderation.resolve_flags(book, actor=actor)
        if closed:
            moderation.record_action(book, actor=actor, action="resolve_reports", note=str(closed))
    return closed


def reported_books(usage_key, limit=50, counts=None):
    """Books with open reports, most reported first: ``[(book view, open report count)]``.

    ``counts``: the shelf's :func:`open_report_counts` when the caller already has them.
    """
    counts = open_report_counts(usage_key) if counts is None else counts
    if not counts:
        return []
    books = Book.objects.filter(usage_key=usage_key, pk__in=list(counts), merged_into__isnull=True)
    ranked = sorted(books, key=lambda book: (-counts[book.pk], book.pk))[:limit]
    return [dict(book_view(book), reports=counts[book.pk]) for book in ranked]


def hidden_books(usage_key, limit=50):
    """The latest hidden books (they can be shown again)."""
    books = Book.objects.filter(usage_key=usage_key, hidden=True, merged_into__isnull=True).order_by("-id")[:limit]
    return [book_view(book) for book in books]


def book_history(usage_key, book_id):
    """Who did what to one book, and when, oldest first."""
    book = Book.objects.filter(usage_key=usage_key, pk=_book_id(book_id)).first()
    if book is None:
        raise InvalidInput(_("This book is not on the shelf."), field="book")
    return [{"action": entry.action, "actor": entry.actor.username, "note": entry.note, "at": entry.created}
            for entry in moderation.history(book)]


def open_report_counts(usage_key):
    """``{book id: open reports}`` of the shelf (only reported books appear)."""
    return moderation.open_flag_counts(usage_key, Book)
