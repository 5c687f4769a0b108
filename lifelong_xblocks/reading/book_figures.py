"""Figures, exports and report rows of a bookshelf, for staff (staff tries left out of figures)."""
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from lifelong_xblocks.models.bookshelf import Book, BookRecommendation, BookVote
from lifelong_xblocks.reading.isbn import format_isbn

# Books by number of votes: the chart's ranges (lowest, highest or None).
VOTE_RANGES = ((0, 0), (1, 1), (2, 4), (5, 9), (10, 19), (20, None))


def vote_range_labels():
    return [f"{low}+" if high is None else (str(low) if low == high else f"{low}-{high}") for low, high in VOTE_RANGES]


def summary(usage_key, min_recommendations, min_votes):
    """The staff panel's figures: a handful of aggregate queries, whatever the shelf's size."""
    books = Book.objects.filter(usage_key=usage_key, merged_into__isnull=True).aggregate(
        n_shelf=Count("id", filter=Q(hidden=False)), n_hidden=Count("id", filter=Q(hidden=True)),
        n_picks=Count("id", filter=Q(hidden=False, featured=True)),
        **{f"range_{index}": Count("id", filter=Q(hidden=False, vote_count__gte=low)
                                   & (Q() if high is None else Q(vote_count__lte=high)))
           for index, (low, high) in enumerate(VOTE_RANGES)})
    recommenders = BookRecommendation.objects.filter(usage_key=usage_key, by_staff=False).aggregate(
        people=Count("user_id", distinct=True))
    votes = BookVote.objects.filter(usage_key=usage_key, by_staff=False).aggregate(
        people=Count("user_id", distinct=True), votes=Count("id"))
    return {
        "books": books["n_shelf"], "hidden": books["n_hidden"], "picks": books["n_picks"],
        "recommenders": recommenders["people"], "voters": votes["people"], "votes": votes["votes"],
        "completed": completed_learner_count(usage_key, min_recommendations, min_votes),
        "vote_ranges": [books[f"range_{index}"] for index in range(len(VOTE_RANGES))],
    }


def _users_with_at_least(queryset, minimum):
    if minimum <= 0:
        return None
    return queryset.values("user_id").annotate(n=Count("id")).filter(n__gte=minimum).values("user_id")


def completed_learner_count(usage_key, min_recommendations, min_votes):
    """Learners (not staff) who met either completion rule."""
    by_recommending = _users_with_at_least(BookRecommendation.objects.filter(usage_key=usage_key, by_staff=False),
                                           min_recommendations)
    by_voting = _users_with_at_least(BookVote.objects.filter(usage_key=usage_key, by_staff=False), min_votes)
    rule = Q(pk__in=[])
    if by_recommending is not None:
        rule |= Q(pk__in=by_recommending)
    if by_voting is not None:
        rule |= Q(pk__in=by_voting)
    return get_user_model().objects.filter(rule).count()


def is_complete(recommended, voted, min_recommendations, min_votes):
    """The completion rule: at least R books recommended or at least V voted for (0 switches a rule off)."""
    return (min_recommendations > 0 and recommended >= min_recommendations) or \
        (min_votes > 0 and voted >= min_votes)


BOOK_COLUMNS = ("id", "title", "author", "isbn", "publisher", "year", "tags", "votes", "recommenders",
                "editors_pick", "hidden", "merged_into", "first_recommender", "created")


def book_rows(usage_key):
    """Every book of the shelf (hidden and merged ones too), streamed in chunks of 500."""
    books = (Book.objects.filter(usage_key=usage_key).select_related("recommended_by").order_by("id")
             .iterator(chunk_size=500))
    for book in books:
        yield (book.pk, book.title, book.author, format_isbn(book.isbn), book.publisher, book.year,
               ", ".join(book.tags or []), book.vote_count, book.recommender_count, book.featured, book.hidden,
               book.merged_into_id, book.recommended_by.username if book.recommended_by else "",
               book.created.isoformat())


def learner_report(usage_key, usernames, min_recommendations, min_votes):
    """``{username: (recommended, voted, titles recommended, complete)}`` for the learners named."""
    users = dict(get_user_model().objects.filter(username__in=usernames).values_list("pk", "username"))
    if not users:
        return {}
    recommended = {}
    for user_id, title in (BookRecommendation.objects.filter(usage_key=usage_key, user_id__in=list(users))
                           .order_by("id").values_list("user_id", "book__title")):
        recommended.setdefault(user_id, []).append(title)
    voted = dict(BookVote.objects.filter(usage_key=usage_key, user_id__in=list(users)).values("user_id")
                 .annotate(n=Count("id")).values_list("user_id", "n"))
    # Everyone named acted in the shelf once (Open edX names learners with a user_state row), also
    # those whose votes are all taken back: their row says 0 and 0, in the same columns as the others.
    rows = {}
    for user_id, username in users.items():
        titles = recommended.get(user_id, [])
        votes = voted.get(user_id, 0)
        rows[username] = (len(titles), votes, titles, is_complete(len(titles), votes, min_recommendations, min_votes))
    return rows
