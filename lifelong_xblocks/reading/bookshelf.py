"""The bookshelf: recommending books, voting for them, listing them (no XBlock imports).

Concurrency: every write locks the book row first (``select_for_update``) and only then inserts
or deletes the vote or recommendation row and moves the book's counter with ``F()``, all in one
transaction.  One lock order everywhere (book, then its rows) keeps InnoDB free of deadlocks:
inserting a row with a foreign key takes a shared lock on the book, which would otherwise meet
another transaction's exclusive lock from the counter update.
"""
import json

from django.db import IntegrityError, connections, transaction
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import RowNumber

from lifelong_xblocks.compiled_query import LIKE, CompiledQueries, CompiledQuery
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.inputs import page_number
from lifelong_xblocks.models.bookshelf import (AUTHOR_MAX, PUBLISHER_MAX, REASON_MAX, TITLE_MAX, Book,
                                               BookRecommendation, BookVote)
from lifelong_xblocks.models.rows import insert_ignore
from lifelong_xblocks.reading.book_keys import clean_line, match_key
from lifelong_xblocks.reading.isbn import format_isbn, normalise_isbn

PAGE_SIZE = 20
SORTS = ("votes", "newest", "picks")
ORDERINGS = {
    "votes": ("-vote_count", "-id"),
    "newest": ("-id",),
    "picks": ("-featured", "-vote_count", "-id"),
}
MAX_TAGS = 5            # per recommendation
MAX_BOOK_TAGS = 12      # kept on a book from all its recommendations
TAG_MAX = 30
REASONS_SHOWN = 3       # latest reasons shown under a book
YEAR_MIN, YEAR_MAX = 1000, 2100
SEARCH_MAX = 100        # characters of a search


# ---- input ------------------------------------------------------------------------------------
def _text(data, name, limit, label, required=False):
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, (str, int)):
        raise InvalidInput(_("{field} must be text.").format(field=label), field=name)
    value = clean_line(value)
    if required and not value:
        raise InvalidInput(_("Please enter the {field}.").format(field=label), field=name)
    if len(value) > limit:
        raise InvalidInput(_("The {field} can be at most {limit} characters long.").format(field=label, limit=limit),
                           field=name)
    return value


def clean_reason(value):
    """Plain text up to ``REASON_MAX`` characters; line breaks kept, other control characters dropped."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("The reason must be text."), field="reason")
    lines = [clean_line(line) for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    if len(text) > REASON_MAX:
        raise InvalidInput(_("The reason can be at most {limit} characters long.").format(limit=REASON_MAX),
                           field="reason")
    return text


def clean_tags(value):
    """A list of up to ``MAX_TAGS`` distinct short tags, from a list or a comma-separated string."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").split(",")
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise InvalidInput(_("Tags must be words separated by commas."), field="tags")
    tags = []
    for tag in value:
        tag = clean_line(tag).lstrip("#")
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise InvalidInput(_("A tag can be at most {limit} characters long.").format(limit=TAG_MAX), field="tags")
        if tag.casefold() not in {known.casefold() for known in tags}:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidInput(_("At most {count} tags, please.").format(count=MAX_TAGS), field="tags")
    return tags


def clean_year(value):
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError) as error:
        raise InvalidInput(_("The year must be a number such as 2019."), field="year") from error
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidInput(_("The year must be between {low} and {high}.").format(low=YEAR_MIN, high=YEAR_MAX),
                           field="year")
    return year


def clean_recommendation(data):
    """The recommendation form, checked field by field.

    Every invalid field is named at once: the :class:`InvalidInput` raised carries the first
    message and ``fields`` (field name -> message) for the form to show beside each field.
    """
    if not isinstance(data, dict):
        raise InvalidInput(_("The request must be a JSON object."))
    checks = {
        "title": lambda: _text(data, "title", TITLE_MAX, _("title"), required=True),
        "author": lambda: _text(data, "author", AUTHOR_MAX, _("author"), required=True),
        "isbn": lambda: normalise_isbn(_text(data, "isbn", 40, _("ISBN"))),
        "publisher": lambda: _text(data, "publisher", PUBLISHER_MAX, _("publisher")),
        "year": lambda: clean_year(data.get("year")),
        "reason": lambda: clean_reason(data.get("reason")),
        "tags": lambda: clean_tags(data.get("tags")),
    }
    cleaned, problems = {}, {}
    for name, check in checks.items():
        try:
            cleaned[name] = check()
        except InvalidInput as error:
            problems[name] = error.message
    if problems:
        raise InvalidInput.for_fields(problems)
    return cleaned


def merged_tags(existing, new):
    tags = list(existing or [])
    for tag in new:
        if tag.casefold() not in {known.casefold() for known in tags}:
            tags.append(tag)
    return tags[:MAX_BOOK_TAGS]


# ---- finding books ------------------------------------------------------------------------------
def _kept(book):
    """Follow merges to the entry that is kept (merges are flattened, so one hop is usual)."""
    seen = set()
    while book is not None and book.merged_into_id and book.pk not in seen:
        seen.add(book.pk)
        book = Book.objects.filter(pk=book.merged_into_id).first()
    return book


def find_duplicate(usage_key, isbn, key):
    """The book of this bookshelf with the same ISBN, else the same title and author (or ``None``)."""
    book = None
    if isbn:
        book = Book.objects.filter(usage_key=usage_key, isbn=isbn).first()
    if book is None:
        book = Book.objects.filter(usage_key=usage_key, match_key=key).first()
    return _kept(book)


def get_book(usage_key, book_id, include_hidden=False):
    """A book of this bookshelf by id, following merges; :class:`InvalidInput` when there is none."""
    try:
        if isinstance(book_id, (bool, float)):   # true would be book 1, 1.9 book 1
            raise TypeError(book_id)
        book_id = int(book_id)
    except (TypeError, ValueError) as error:
        raise InvalidInput(_("Please choose a book.")) from error
    book = _kept(Book.objects.filter(usage_key=usage_key, pk=book_id).first())
    if book is None or (book.hidden and not include_hidden):
        raise InvalidInput(_("This book is not on the shelf."))
    return book


def _locked(book_id):
    """The book row locked, after following merges (the kept row is the one locked)."""
    book = Book.objects.select_for_update().get(pk=book_id)
    while book.merged_into_id:
        book = Book.objects.select_for_update().get(pk=book.merged_into_id)
    return book


# ---- recommending and voting ------------------------------------------------------------------
def recommend(course_key, usage_key, user_id, data, by_staff=False):
    """Put a book on the shelf, or join the entry already there.  Returns ``(book, joined, new)``.

    ``joined``: the book was already on the shelf (another recommender, or the same learner);
    ``new``: this learner had not recommended it before.

    The book is created by an insert that ignores a conflict on the unique keys, in a statement
    of its own (see ``models.rows``); whoever loses that race joins the winner's entry.
    """
    fields = clean_recommendation(data)
    key = match_key(fields["title"], fields["author"])
    book = find_duplicate(usage_key, fields["isbn"], key)
    created_here = False
    if book is None:
        candidate = Book(course_key=course_key, usage_key=usage_key, title=fields["title"], author=fields["author"],
                         isbn=fields["isbn"], publisher=fields["publisher"], year=fields["year"], tags=[],
                         match_key=key, recommended_by_id=user_id, by_staff=by_staff)
        insert_ignore(candidate, connections[Book.objects.db])   # two unique keys: retried on a deadlock
        book = find_duplicate(usage_key, fields["isbn"], key)
        created_here = book is not None and book.recommended_by_id == user_id and book.recommender_count == 0
    with transaction.atomic():
        book = _locked(book.pk)
        if book.hidden:
            raise Conflict(_("Staff have taken this book off the shelf, so it cannot be recommended here."))
        try:
            with transaction.atomic():
                BookRecommendation.objects.create(course_key=book.course_key, usage_key=usage_key, user_id=user_id,
                                                  book=book, reason=fields["reason"], tags=fields["tags"],
                                                  by_staff=by_staff)
            new = True
        except IntegrityError:
            new = False
            _update_own_recommendation(book, user_id, fields)
        updates = {"tags": merged_tags(book.tags, fields["tags"])}
        if new:
            updates["recommender_count"] = F("recommender_count") + 1
        for name in ("publisher", "year"):   # a later recommender may fill what the first left out
            if not getattr(book, name) and fields[name]:
                updates[name] = fields[name]
        Book.objects.filter(pk=book.pk).update(**updates)
    book.refresh_from_db()
    return book, not created_here, new


def _update_own_recommendation(book, user_id, fields):
    """Recommending a book again updates one's own reason and tags (when given)."""
    changes = {}
    if fields["reason"]:
        changes["reason"] = fields["reason"]
    if fields["tags"]:
        changes["tags"] = fields["tags"]
    if changes:
        BookRecommendation.objects.filter(book=book, user_id=user_id).update(**changes)


def vote(usage_key, user_id, book_id, by_staff=False):
    """Vote for a book; voting again changes nothing.  Returns ``(book, changed)``."""
    target = get_book(usage_key, book_id)
    with transaction.atomic():
        book = _locked(target.pk)
        if book.hidden:
            raise Conflict(_("This book is not on the shelf."))
        try:
            with transaction.atomic():
                BookVote.objects.create(course_key=book.course_key, usage_key=usage_key, user_id=user_id, book=book,
                                        by_staff=by_staff)
        except IntegrityError:
            return book, False
        Book.objects.filter(pk=book.pk).update(vote_count=F("vote_count") + 1)
        book.vote_count += 1          # read under the book's lock: the count this vote made
    return book, True


def unvote(usage_key, user_id, book_id):
    """Take one's vote back; taking it back again changes nothing.  Returns ``(book, changed)``."""
    target = get_book(usage_key, book_id, include_hidden=True)
    with transaction.atomic():
        book = _locked(target.pk)
        deleted, _rows = BookVote.objects.filter(book=book, user_id=user_id).delete()
        if deleted:
            Book.objects.filter(pk=book.pk).update(vote_count=F("vote_count") - 1)
            book.vote_count -= 1      # read under the book's lock
    return book, bool(deleted)


# ---- reading ------------------------------------------------------------------------------------
def learner_counts(usage_key, user_id):
    """``(books recommended, books voted for)`` by one learner in one bookshelf, in one query."""
    if user_id is None:
        return 0, 0
    def per_kind(model, kind):
        return (model.objects.filter(usage_key=usage_key, user_id=user_id).values("user_id")
                .annotate(kind=Value(kind), n=Count("id")).values_list("kind", "n"))
    counts = dict(per_kind(BookRecommendation, "recommended").union(per_kind(BookVote, "voted"), all=True))
    return counts.get("recommended", 0), counts.get("voted", 0)


def learner_book_ids(usage_key, user_id):
    """``(ids recommended, ids voted for)`` by one learner (their own activity only)."""
    if user_id is None:
        return [], []
    return (list(BookRecommendation.objects.filter(usage_key=usage_key, user_id=user_id)
                 .values_list("book_id", flat=True)),
            list(BookVote.objects.filter(usage_key=usage_key, user_id=user_id).values_list("book_id", flat=True)))


def clean_sort(sort):
    return sort if sort in SORTS else "votes"


def clean_page(page):
    return page_number(page)


def clean_search(text):
    """The search words: one line, at most ``SEARCH_MAX`` characters (longer is cut, never an error)."""
    if not isinstance(text, str):
        return ""
    return clean_line(text)[:SEARCH_MAX]


def matching(books, search):
    """Books whose title or author contains ``search``, or with a tag equal to it (any case).

    Tags are stored as JSON text (Django escapes non-ASCII letters: ``"\\u79d1"``), so a tag is
    matched whole, quotes included, in that spelling: a piece of an escape never matches.
    """
    if not search:
        return books
    return books.filter(Q(title__icontains=search) | Q(author__icontains=search)
                        | Q(tags__icontains=json.dumps(search)))


def _counted(rows):
    """``rows`` as ``SELECT COUNT(*) FROM ... WHERE ...``: one row, 0 when nothing matches.

    Not ``Count()``, an aggregate, which brings a ``GROUP BY``: SQLite then counted the 10,000
    index entries of a shelf in 0.87 ms instead of 0.37 ms."""
    return rows.order_by().annotate(n=Func(template="COUNT(*)", output_field=IntegerField())).values("n")


def _count_of(rows):
    """``COUNT(*)`` of ``rows`` (all in one bookshelf) as a scalar subquery: SQLite and MySQL run it once."""
    return Subquery(_counted(rows))


# ---- the page's queries, compiled once per connection ----------------------------------------------
# Building and compiling the page's query (a dozen annotations and subqueries) cost Django several
# times what SQLite takes to answer it.  Each shape of the list's queries (sort, signed in or not,
# a search or not, with names or not, how many books) is a ``CompiledQuery`` (compiled once per
# database connection); its rows pass through the ORM's own converters (booleans, JSON), so they read
# as ``values_list`` gives them.
# The columns of a book on the page, in book_view's order (``hidden`` is always false there).
PAGE_COLUMNS = ("id", "title", "author", "isbn", "publisher", "year", "tags", "vote_count", "recommender_count",
                "featured", "hidden")
def _visible(usage_key, search):
    return matching(Book.objects.filter(usage_key=usage_key, hidden__in=[False], merged_into__isnull=True), search)


def _page_query(sort, signed_in, searching):
    """One page of visible books (the caller adds the page's LIMIT) with the total and, for a signed-in
    learner, their own vote and recommendation of each book and their own counts."""
    def build(usage_key, user_id=None, search=""):
        visible = _visible(usage_key, search)
        listed = visible.order_by(*ORDERINGS[sort]).annotate(total=_count_of(visible))
        columns = (*PAGE_COLUMNS, "total")
        if signed_in:
            listed = listed.annotate(
                voted=Exists(BookVote.objects.filter(book=OuterRef("pk"), user_id=user_id)),
                recommended=Exists(BookRecommendation.objects.filter(book=OuterRef("pk"), user_id=user_id)),
                own_recommended=_count_of(BookRecommendation.objects.filter(usage_key=usage_key, user_id=user_id)),
                own_voted=_count_of(BookVote.objects.filter(usage_key=usage_key, user_id=user_id)))
            columns += ("voted", "recommended", "own_recommended", "own_voted")
        return listed.values_list(*columns)
    return CompiledQuery(build, usage_key=str, **({"user_id": int} if signed_in else {}),
                         **({"search": LIKE} if searching else {}))


def _count_query(searching):
    return CompiledQuery(lambda usage_key, search="": _counted(_visible(usage_key, search)).values_list("n"),
                         usage_key=str, **({"search": LIKE} if searching else {}))


def _reasons_query(count, with_names):
    """The latest ``REASONS_SHOWN`` reasons of each of ``count`` books (a window function)."""
    def build(**ids):
        return (BookRecommendation.objects.filter(book_id__in=list(ids.values())).exclude(reason="")
                .annotate(rank=Window(RowNumber(), partition_by=[F("book_id")], order_by=[F("id").desc()]))
                .filter(rank__lte=REASONS_SHOWN).order_by("book_id", "-id")
                .values_list("book_id", "reason", "by_staff", *(("user__username",) if with_names else ())))
    return CompiledQuery(build, **{f"book{n}": int for n in range(count)})


_PAGES = CompiledQueries(_page_query)
_COUNTS = CompiledQueries(_count_query)
_REASONS = CompiledQueries(_reasons_query)


def shelf_page(usage_key, sort="votes", page=1, user_id=None, with_names=False, search=""):
    """One page of the visible books (those matching ``search``, when given), with the learner's
    own votes and the latest reasons.

    Two queries whatever the shelf's size (three for a page after the first): the page (one indexed
    query on the denormalised counters, with the learner's own vote and recommendation as ``EXISTS``
    subqueries, and the total and the learner's own counts as scalar subqueries that run once), and
    the latest reasons of those 20 (a window function keeps ``REASONS_SHOWN`` per book), both
    compiled once per connection and shape (``compiled_query``).  ``learner_counts`` is
    ``(recommended, voted)``, or ``None`` when the page is empty (ask :func:`learner_counts`).
    """
    sort, page, search = clean_sort(sort), clean_page(page), clean_search(search)
    signed_in = user_id is not None
    values = {"usage_key": usage_key, **({"user_id": user_id} if signed_in else {}),
              **({"search": search} if search else {})}
    if page > 1:     # a later page (from the list's buttons): counted first, so a page past the end shows the last
        counted = _COUNTS(bool(search)).rows(
            usage_key=usage_key, **({"search": search} if search else {}))
        page = min(page, max(1, -(-(counted[0][0] if counted else 0) // PAGE_SIZE)))
    rows = _PAGES(sort, signed_in, bool(search)).rows(
        suffix=connections["default"].ops.limit_offset_sql((page - 1) * PAGE_SIZE, page * PAGE_SIZE), **values)
    total = rows[0][len(PAGE_COLUMNS)] if rows else 0
    reasons = {row[0]: [] for row in rows}
    if rows:
        for row in _REASONS(len(rows), with_names).rows(**{f"book{n}": book_id for n, book_id in enumerate(reasons)}):
            reasons[row[0]].append({"text": row[1], "by_staff": row[2], "username": row[3] if with_names else ""})
    books = []
    for row in rows:
        book_id, title, author, isbn, publisher, year, tags, votes, recommenders, featured, hidden = \
            row[:len(PAGE_COLUMNS)]
        books.append({
            "id": book_id, "title": title, "author": author, "isbn": format_isbn(isbn), "publisher": publisher,
            "year": year, "tags": list(tags or []), "votes": votes, "recommenders": recommenders,
            "featured": featured, "hidden": hidden, "voted": signed_in and row[-4],
            "recommended": signed_in and row[-3], "reasons": reasons[book_id]})
    return {
        "sort": sort, "search": search, "page": page, "pages": max(1, -(-total // PAGE_SIZE)), "total": total,
        "page_size": PAGE_SIZE, "learner_counts": (rows[0][-2], rows[0][-1]) if rows and signed_in else None,
        "first": (page - 1) * PAGE_SIZE + 1, "books": books,
    }


def book_view(book, voted=False, recommended=False, reasons=()):
    """What the list, the mobile app and the handlers show of a book."""
    return {
        "id": book.pk, "title": book.title, "author": book.author, "isbn": format_isbn(book.isbn),
        "publisher": book.publisher, "year": book.year, "tags": list(book.tags or []),
        "votes": book.vote_count, "recommenders": book.recommender_count, "featured": book.featured,
        "hidden": book.hidden, "voted": voted, "recommended": recommended, "reasons": list(reasons),
    }


COURSE_BOOKS_LIMIT = 100


_COURSE_BOOKS = CompiledQueries(lambda limit: CompiledQuery(
    lambda course_key: Book.objects.filter(course_key=course_key, hidden__in=[False], merged_into__isnull=True)
    .order_by("title", "id").values("id", "title", "author")[:limit], course_key=str))


def course_books(course_key, limit=COURSE_BOOKS_LIMIT):
    """Visible, unmerged books of every bookshelf in the course, ordered by title: the first
    ``limit`` (an indexed read; a course with 10,000 books took 0.4 s a render to list them all).

    Other blocks (the reading log) offer these for a learner to pick, beside a field for any
    other title: dicts of ``id``, ``title`` and ``author``, by SQL compiled once per connection.
    """
    return _COURSE_BOOKS(limit).dicts(course_key=str(course_key))
