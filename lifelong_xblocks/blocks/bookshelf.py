"""``lifelong_bookshelf``: a course's bookshelf of recommended books, with votes and moderation.

Learners and staff recommend books (duplicates join one entry), vote once per book, and report
entries; staff hide, pick and merge.  The block is thin: the shelf lives in
:mod:`lifelong_xblocks.reading.bookshelf` and its moderation in ``reading.book_moderation``.
"""
import functools
from html import escape

from django.utils import translation
from django.utils.safestring import mark_safe
from xblock.core import XBlock
from xblock.fields import Boolean, Integer, Scope, String

from lifelong_xblocks import charts, conf
from lifelong_xblocks.blocks.base import LifelongBlockMixin
from lifelong_xblocks.blocks.handlers import ANYONE, LEARNER, STAFF, http_api, json_api
from lifelong_xblocks.errors import InvalidInput, NotAllowed
from lifelong_xblocks.exports import csv_response, xlsx_response
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.i18n import ngettext
from lifelong_xblocks.profiles import api as profiles
from lifelong_xblocks.reading import book_figures, book_moderation
from lifelong_xblocks.reading import bookshelf as shelf
from lifelong_xblocks.resources import loader
from lifelong_xblocks.workbench import scenarios_for

MAX_RULE = 100
INSTRUCTIONS_MAX = 2000
LIMITS = {"title": shelf.TITLE_MAX, "author": shelf.AUTHOR_MAX, "publisher": shelf.PUBLISHER_MAX,
          "reason": shelf.REASON_MAX, "tags": shelf.MAX_TAGS, "year_min": shelf.YEAR_MIN, "year_max": shelf.YEAR_MAX,
          "search": shelf.SEARCH_MAX}


@functools.lru_cache(maxsize=256)
def recommend_form(block_id, language):
    """The recommendation form of one block in one language (``language`` is the active one: it
    keys the cache).  It holds fixed texts, the block's id and the limits only, so a process renders
    it once instead of some twenty ``{% trans %}`` on every learner's render."""
    return mark_safe(loader.render_django_template(  # noqa: S308 (a rendered, autoescaped template)
        "reading/bookshelf_form.html", {"block_id": block_id, "limits": LIMITS}))


def list_html(page, sorts, block_id, signed_in, is_staff):
    """One page of the shelf: the sort buttons, the number of books (found), the books and the
    page buttons.  Shown in the view and by the ``list_books`` handler.

    Written in Python, not a template (the template's loop over 20 books was a third of a learner's
    render), with f-strings: every text and number is escaped with ``html.escape``, which is what
    Django's ``escape`` and the templates' autoescape do; translations are escaped too, and the
    values put into them are escaped before (as ``{% blocktrans %}`` escapes its variables).
    """
    number, page_no, pages, total = page["first"], int(page["page"]), int(page["pages"]), int(page["total"])
    # Translated outside the f-strings below: xgettext does not look into them.
    sort_label, show_all, empty = escape(_("Sort books")), escape(_("Show all books")), escape(
        _("No books yet. Be the first to recommend one!"))
    pages_label, previous, following = escape(_("Pages of books")), escape(_("Previous")), escape(_("Next"))
    page_label = escape(_("Page %(page)s of %(pages)s")) % {"page": page_no, "pages": pages}
    sort_buttons = "".join(
        f'<button type="button" class="ll-toggle" data-ll-sort="{escape(value)}" '
        f'aria-pressed="{"true" if page["sort"] == value else "false"}">{escape(label)}</button>'
        for value, label in sorts)
    if page["search"]:
        found = escape(ngettext("%(total)s book matches “%(search)s”.", "%(total)s books match “%(search)s”.",
                                total)) % {"total": total, "search": escape(page["search"])}
        found = (f'<p class="ll-help ll-search-result">{found}\n  <button type="button" class="ll-button '
                 f'll-button-quiet" data-ll-clear-search>{show_all}</button></p>')
    else:
        found = escape(ngettext("%(total)s book", "%(total)s books", total)) % {"total": total}
        found = f'<p class="ll-help">{found}</p>'
    if page["books"]:
        books = (f'<ol class="ll-books" start="{int(number)}" data-page="{page_no}" aria-label="{page_label}">\n'
                 f"{books_html(page['books'], block_id, signed_in, is_staff)}\n</ol>")
    else:
        books = f"<p>{empty}</p>"
    nav = ""
    if pages > 1:
        nav = (f'\n<nav class="ll-pages" aria-label="{pages_label}">\n'
               f'  <button type="button" class="ll-button ll-button-quiet" data-ll-page="{page_no - 1}" '
               f'{"disabled" if page_no <= 1 else ""}>{previous}</button>\n'
               f"  <span>{page_label}</span>\n"
               f'  <button type="button" class="ll-button ll-button-quiet" data-ll-page="{page_no + 1}" '
               f'{"disabled" if page_no >= pages else ""}>{following}</button>\n</nav>')
    return mark_safe(  # noqa: S308 (every text escaped above, numbers as int)
        f'\n<div class="ll-sort" role="group" aria-label="{sort_label}">\n  {sort_buttons}\n</div>\n'
        f"{found}\n{books}{nav}\n")


def books_html(books, block_id, signed_in, is_staff):
    """The ``<li>`` of each book of a page of the list (see :func:`list_html`); the fixed texts
    translated once per list, the votes once per number."""
    t = {name: escape(_(text)) for name, text in (
        ("pick", N_("Editor's pick")), ("yours", N_("You recommended this")), ("staff", N_("staff")),
        ("voted", N_("Voted")), ("vote", N_("Vote")), ("report", N_("Report")),
        ("wrong", N_("What is wrong with this entry? (optional)")), ("send", N_("Send report")))}
    if is_staff:
        t.update((name, escape(_(text))) for name, text in (
            ("actions", N_("Staff actions")), ("resolve", N_("Keep, close reports")),
            ("unfeature", N_("Remove editor's pick")), ("feature", N_("Make editor's pick")), ("hide", N_("Hide")),
            ("history", N_("History")), ("merge", N_("Choose for merging"))))
    tagged = _("Books tagged %(tag)s")     # interpolated first, then escaped with the tag in it
    block = escape(block_id)
    votes_labels = {}
    items = []
    for book in books:
        book_id, votes, featured = int(book["id"]), book["votes"], book["featured"]
        if votes not in votes_labels:
            votes_labels[votes] = escape(ngettext("%(votes)s vote", "%(votes)s votes", votes) % {"votes": votes})
        meta = "".join((f'\n<span>{escape(book["publisher"])}</span>' if book["publisher"] else "",
                        f'\n<span>{int(book["year"])}</span>' if book["year"] else "",
                        f'\n<span>ISBN {escape(book["isbn"])}</span>' if book["isbn"] else "",
                        f"\n<span>#{book_id}</span>" if is_staff else ""))
        marks = "".join((f'<span class="ll-badge ll-pick">{t["pick"]}</span>\n' if featured else "",
                         f'<span class="ll-tag">{t["yours"]}</span>\n' if book["recommended"] else "",
                         *(f'<button type="button" class="ll-tag" data-ll-tag="{escape(tag)}" '
                           f'aria-label="{escape(tagged % {"tag": tag})}">{escape(tag)}</button>'
                           for tag in book["tags"])))
        reasons = ""
        if book["reasons"]:
            reasons = "".join(f"<li>{_lines(reason['text'])}{_reason_by(reason, is_staff, t)}</li>"
                              for reason in book["reasons"])
            reasons = f'<ul class="ll-reasons">\n{reasons}\n</ul>'
        actions = ""
        if signed_in:
            voted = book["voted"]
            actions = (f'<button type="button" class="ll-button{"" if voted else " ll-button-quiet"}" data-ll-vote '
                       f'aria-pressed="{"true" if voted else "false"}" aria-describedby="{block}-book-{book_id}">'
                       f'{t["voted"] if voted else t["vote"]}</button>')
            if not is_staff:
                actions += (f'\n<details class="ll-report"><summary>{t["report"]}</summary>\n<form data-ll-report>\n'
                            f'<label for="{block}-report-{book_id}">{t["wrong"]}</label>\n'
                            f'<input type="text" id="{block}-report-{book_id}" name="reason" maxlength="500">\n'
                            f'<button type="submit" class="ll-button ll-button-quiet">{t["send"]}</button>\n'
                            "</form>\n</details>")
        items.append(
            f'<li class="ll-book{" ll-book-pick" if featured else ""}" data-book="{book_id}">\n'
            f'<article aria-labelledby="{block}-book-{book_id}">\n'
            f'<h4 class="ll-book-title" id="{block}-book-{book_id}" tabindex="-1">{escape(book["title"])}</h4>\n'
            f'<p class="ll-book-meta">\n<span>{escape(book["author"])}</span>{meta}\n</p>\n'
            f'<p class="ll-book-tags">\n{marks}\n</p>\n{reasons}\n'
            f'<div class="ll-book-actions">\n<span class="ll-votes" data-ll-votes>{votes_labels[votes]}</span>\n'
            f'{actions}\n</div>\n{_staff_actions(book, t) if is_staff else ""}\n</article>\n</li>')
    return mark_safe("\n".join(items))  # noqa: S308 (every text escaped above, numbers as int)


def _lines(text):
    """A reason as ``|linebreaksbr`` shows it: escaped, each line break (``\\r\\n``, ``\\r``, ``\\n``) a ``<br>``."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _reason_by(reason, is_staff, t):
    if is_staff and reason["username"]:
        return f' <span class="ll-help">— {escape(reason["username"])}</span>'
    if reason["by_staff"]:
        return f' <span class="ll-help">— {t["staff"]}</span>'
    return ""


def _staff_actions(book, t):
    reports = ""
    if book.get("reports"):
        count = int(book["reports"])
        reports = escape(ngettext("%(count)s open report", "%(count)s open reports", count) % {"count": count})
        reports = (f'<span class="ll-badge ll-reported">{reports}</span>\n'
                   f'<button type="button" class="ll-button ll-button-quiet" data-ll-moderate="resolve">{t["resolve"]}'
                   "</button>")
    featured = book["featured"]
    return (f'<div class="ll-book-staff" role="group" aria-label="{t["actions"]}">\n{reports}\n'
            f'<button type="button" class="ll-button ll-button-quiet" data-ll-moderate='
            f'"{"unfeature" if featured else "feature"}">{t["unfeature"] if featured else t["feature"]}</button>\n'
            f'<button type="button" class="ll-button ll-button-quiet" data-ll-moderate="hide">{t["hide"]}</button>\n'
            f'<button type="button" class="ll-button ll-button-quiet" data-ll-history>{t["history"]}</button>\n'
            f'<button type="button" class="ll-button ll-button-quiet" data-ll-merge-pick>{t["merge"]}</button>\n'
            '<ul class="ll-history" data-ll-history-list hidden></ul>\n</div>')


@XBlock.wants("completion")
class BookshelfBlock(LifelongBlockMixin, XBlock):
    """Book recommendations with one vote per learner per book, editor's picks and moderation."""

    has_custom_completion = True
    icon_class = "other"
    block_css = ("static/css/bookshelf.css",)
    block_js = ("static/js/bookshelf.js",)
    js_class = "LifelongBookshelf"

    editable_fields = ("display_name", "instructions", "learners_may_recommend", "min_recommendations",
                       "min_votes")

    display_name = String(
        display_name=N_("Display name"), help=N_("The bookshelf's title."),
        scope=Scope.settings, default=N_("Bookshelf"), enforce_type=True,
    )
    instructions = String(
        display_name=N_("Instructions"),
        help=N_("Plain text shown above the shelf, e.g. which kind of books to recommend."),
        scope=Scope.content, default="", multiline_editor=True, enforce_type=True,
    )
    learners_may_recommend = Boolean(
        display_name=N_("Learners may recommend books"),
        help=N_("When off, only staff add books and learners vote."),
        scope=Scope.settings, default=True, enforce_type=True,
    )
    min_recommendations = Integer(
        display_name=N_("Books to recommend for completion"),
        help=N_("The block is complete when the learner has recommended this many books (0: this rule is off)."),
        scope=Scope.settings, default=1, enforce_type=True,
    )
    min_votes = Integer(
        display_name=N_("Votes for completion"),
        help=N_("... or has voted for this many books (0: this rule is off)."),
        scope=Scope.settings, default=3, enforce_type=True,
    )

    completion_earned = Boolean(
        help=N_("Whether this learner's completion was published (it is not taken back by an unvote)."),
        scope=Scope.user_state, default=False, enforce_type=True,
    )

    js_strings = {
        "recommended": N_("Thank you! The book is on the shelf."),
        "joined": N_("This book is already on the shelf: your recommendation was added to it."),
        "voted": N_("Your vote was counted."),
        "unvoted": N_("Your vote was taken back."),
        "progress_recommended": N_("Recommended: {done} of {goal}"),
        "progress_voted": N_("Votes: {done} of {goal}"),
        "page_shown": N_("Page {page} of {pages}"),
        "merge_kept": N_("Keep: {title}"),
        "merge_duplicate": N_("Merge: {title}"),
        "reported": N_("Thank you. Staff will look at this entry."),
        "done": N_("Done."),
        "completed": N_("Completed"),
        "confirm_merge": N_("Merge book #{duplicate} into book #{kept}? This cannot be undone."),
        "confirm_merge_titles": N_("Merge “{duplicate}” into “{kept}”? This cannot be undone."),
        "history_empty": N_("No staff actions yet."),
        "loading": N_("Loading…"),
        "vote_label": N_("Vote"),
        "voted_label": N_("Voted"),
        "one_vote": N_("{count} vote"),
        "votes": N_("{count} votes"),
        "action_hide": N_("hidden"),
        "action_show": N_("shown again"),
        "action_feature": N_("made an editor's pick"),
        "action_unfeature": N_("editor's pick removed"),
        "action_merge": N_("a duplicate merged into it"),
        "action_merged_into": N_("merged into another entry"),
        "action_resolve_reports": N_("reports closed"),
    }

    # ---- authoring ----------------------------------------------------------------------------
    def validate_field_data(self, validation, data):
        for name, label in (("min_recommendations", _("Books to recommend for completion")),
                            ("min_votes", _("Votes for completion"))):
            value = getattr(data, name)
            if not isinstance(value, int) or not 0 <= value <= MAX_RULE:
                self.add_error(validation, _("{field} must be a whole number from 0 to {high}.")
                               .format(field=label, high=MAX_RULE))
        if data.min_recommendations == 0 and data.min_votes == 0:
            self.add_error(validation, _("Set at least one completion rule above 0."))
        if data.min_recommendations > 0 and not data.learners_may_recommend and data.min_votes == 0:
            self.add_error(validation, _("Learners cannot recommend books, so completion must come from votes."))
        if len(data.instructions or "") > INSTRUCTIONS_MAX:
            self.add_error(validation, _("The instructions can be at most {limit} characters long.")
                           .format(limit=INSTRUCTIONS_MAX))

    # ---- learner state ------------------------------------------------------------------------
    def rules(self):
        return {"min_recommendations": self.min_recommendations, "min_votes": self.min_votes}

    def learner_state(self, counts=None):
        """The learner's counts and completion.  Completion is monotonic, as Open edX expects:
        once published it stays, also when a vote is taken back later.  ``counts``: the learner's
        ``(recommended, voted)`` when the shelf's page read them already."""
        recommended, voted = counts or shelf.learner_counts(self.usage_key, self.person.user_id)
        meets_rule = book_figures.is_complete(recommended, voted, self.min_recommendations, self.min_votes)
        return {"recommended": recommended, "voted": voted, "completed": meets_rule or self.completion_earned}

    def user_state_for_mobile(self):
        recommended_ids, voted_ids = shelf.learner_book_ids(self.usage_key, self.person.user_id)
        return {**self.learner_state(), **self.rules(), "recommended_books": recommended_ids,
                "voted_books": voted_ids,
                "comfort": profiles.comfort_as_dict(self.comfort_settings())}

    def _after_activity(self):
        """Publish completion once a rule is met (from the server's own counts) and note the activity."""
        state = self.learner_state()
        if state["completed"]:
            self.publish_completion(1.0)   # idempotent in edx-completion
            self.completion_earned = True
        self.note_learner_activity(recommended=state["recommended"], voted=state["voted"],
                                   completed=state["completed"])
        return state

    def progress_shown(self, state):
        """Progress towards each rule as shown (``3 of 3``, never ``5 of 3``)."""
        return {"recommended": min(state["recommended"], self.min_recommendations),
                "voted": min(state["voted"], self.min_votes)}

    def may_recommend(self):
        # Staff first: their renders then skip reading the field (a query or two in some runtimes).
        return self.person.is_authenticated and (self.person.is_staff or self.learners_may_recommend)

    # ---- views --------------------------------------------------------------------------------
    def list_context(self, sort="votes", page=1, search=""):
        person = self.person
        page_data = shelf.shelf_page(self.usage_key, sort, page, user_id=person.user_id, with_names=person.is_staff,
                                     search=search)
        report_counts = {}
        if person.is_staff:
            report_counts = book_moderation.open_report_counts(self.usage_key)
            for book in page_data["books"]:
                book["reports"] = report_counts.get(book["id"], 0)
        return {"shelf": page_data, "report_counts": report_counts, "signed_in": person.is_authenticated,
                "is_staff": person.is_staff,
                "sorts": [("votes", _("Most votes")), ("newest", _("Newest")), ("picks", _("Editor's picks first"))]}

    def render_list(self, sort="votes", page=1, search=""):
        context = self.list_context(sort, page, search)
        return list_html(context["shelf"], context["sorts"], self.dom_id, context["signed_in"],
                         context["is_staff"]), context

    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        context = context or {}
        preview = bool(context.get("author_preview"))
        person = self.person
        signed_in = person.is_authenticated and not preview
        comfort = self.comfort_settings(signed_in)
        list_html, list_context = self.render_list()
        page_data = list_context["shelf"]
        state = self.learner_state(page_data["learner_counts"]) if signed_in else {
            "recommended": 0, "voted": 0, "completed": False}
        rules = self.rules()
        may_recommend = signed_in and self.may_recommend()
        language = translation.get_language()
        template_context = {
            "title": self.shown_title, "instructions": self.instructions, "state": state, "rules": rules,
            "progress": self.progress_shown(state),
            "signed_in": signed_in, "preview": preview, "may_recommend": may_recommend,
            "recommend_form": recommend_form(self.dom_id, language) if may_recommend else "",
            "list_html": list_html, "comfort": comfort, "limits": LIMITS,
            **({"profile_html": ""} if preview else self.profile_context()),
        }
        template_context["staff"] = (self.staff_context(list_context["report_counts"])
                                     if person.is_staff and not preview else None)
        return self.fragment_for("reading/bookshelf.html", template_context, js_config={
            "signed_in": signed_in, "sort": page_data["sort"], "page": page_data["page"], "rules": rules,
            "comfort": profiles.comfort_as_dict(comfort), "is_staff": person.is_staff and not preview,
        })

    def staff_context(self, report_counts=None):
        figures = book_figures.summary(self.usage_key, self.min_recommendations, self.min_votes)
        return {
            "figures": figures,
            "chart": charts.bar_chart(f"{self.dom_id}-votes", _("Books by number of votes"),
                                      book_figures.vote_range_labels(), figures["vote_ranges"],
                                      _("How many visible books have each number of votes.")),
            "reported": book_moderation.reported_books(self.usage_key, counts=report_counts),
            "hidden": book_moderation.hidden_books(self.usage_key),
            "csv_url": self.runtime.handler_url(self, "download_books", "csv"),
            "xlsx_url": self.runtime.handler_url(self, "download_books", "xlsx"),
        }

    def student_view_data(self, context=None):
        """Content for the mobile app (collected with no user): the block's texts and rules only."""
        return {"title": self.shown_title, "instructions": self.instructions,
                "learners_may_recommend": self.learners_may_recommend, **self.rules(),
                "page_size": shelf.PAGE_SIZE, "sorts": list(shelf.SORTS),
                "limits": {"title": shelf.TITLE_MAX, "author": shelf.AUTHOR_MAX, "publisher": shelf.PUBLISHER_MAX,
                           "reason": shelf.REASON_MAX, "tags": shelf.MAX_TAGS, "tag_length": shelf.TAG_MAX,
                           "search": shelf.SEARCH_MAX}}

    # ---- learner handlers ---------------------------------------------------------------------
    @json_api(ANYONE, one_transaction=False)   # reads only
    def list_books(self, data, suffix=""):
        """One page of the shelf: ``{"sort": "votes"|"newest"|"picks", "page": n, "search": "...",
        "html": false}`` (see docs/api.md); native apps ask without the HTML."""
        if data.get("html") is False:
            return self.list_context(data.get("sort"), data.get("page"), data.get("search"))["shelf"]
        html, context = self.render_list(data.get("sort"), data.get("page"), data.get("search"))
        return {"html": html, **context["shelf"]}

    @json_api(LEARNER, one_transaction=False)   # reading.bookshelf.recommend commits step by step
    def recommend(self, data, suffix=""):
        """Recommend a book; a duplicate joins the entry already on the shelf."""
        if not self.may_recommend():
            raise NotAllowed(_("In this bookshelf only staff add books; you can vote for them."))
        book, joined, _new = shelf.recommend(self.course_key, self.usage_key, self.person.user_id, data,
                                             by_staff=self.person.is_staff)
        state = self._after_activity()
        return {"book": shelf.book_view(book, recommended=True), "joined": joined, "progress": state}

    @json_api(LEARNER)
    def vote(self, data, suffix=""):
        """Vote for a book (``{"book": id}``); voting twice counts once."""
        book, changed = shelf.vote(self.usage_key, self.person.user_id, data.get("book"), by_staff=self.person.is_staff)
        state = self._after_activity()
        return {"book": book.pk, "votes": book.vote_count, "voted": True, "changed": changed, "progress": state}

    @json_api(LEARNER)
    def unvote(self, data, suffix=""):
        """Take a vote back (``{"book": id}``); a completion already earned stays."""
        book, changed = shelf.unvote(self.usage_key, self.person.user_id, data.get("book"))
        state = self._after_activity()
        return {"book": book.pk, "votes": book.vote_count, "voted": False, "changed": changed, "progress": state}

    @json_api(LEARNER)
    def report_book(self, data, suffix=""):
        """Report an entry to staff (``{"book": id, "reason": "..."}``); reporting twice is a no-op."""
        new = book_moderation.report(self.usage_key, data.get("book"), self.person.user_id, data.get("reason"))
        return {"reported": True, "new": new}

    # ---- staff handlers -----------------------------------------------------------------------
    @json_api(STAFF)
    def moderate(self, data, suffix=""):
        """``{"book": id, "action": "hide"|"show"|"feature"|"unfeature"|"resolve", "note": "..."}``."""
        action, book_id, note, actor = data.get("action"), data.get("book"), data.get("note"), self.person.user_id
        if action in ("hide", "show"):
            book = book_moderation.set_hidden(self.usage_key, book_id, actor, action == "hide", note)
        elif action in ("feature", "unfeature"):
            book = book_moderation.set_featured(self.usage_key, book_id, actor, action == "feature", note)
        elif action == "resolve":
            book_moderation.resolve_reports(self.usage_key, book_id, actor)
            book = shelf.get_book(self.usage_key, book_id, include_hidden=True)
        else:
            raise InvalidInput(_("Unknown moderation action."), field="action")
        return {"book": shelf.book_view(book)}

    @json_api(STAFF)
    def merge_books(self, data, suffix=""):
        """``{"kept": id, "duplicate": id}``: votes and recommenders move to the kept book."""
        kept = book_moderation.merge(self.usage_key, data.get("kept"), data.get("duplicate"), self.person.user_id,
                                     data.get("note"))
        return {"book": shelf.book_view(kept)}

    @json_api(STAFF, one_transaction=False)   # reads only
    def book_history(self, data, suffix=""):
        """Who did what to one book and when (``{"book": id}``)."""
        entries = book_moderation.book_history(self.usage_key, data.get("book"))
        return {"history": [dict(entry, at=entry["at"].isoformat()) for entry in entries]}

    @http_api(STAFF)
    def download_books(self, request, suffix=""):
        """Every book of the shelf as ``.../download_books/csv`` or ``.../download_books/xlsx``."""
        header = [_("Book"), _("Title"), _("Author"), _("ISBN"), _("Publisher"), _("Year"), _("Tags"), _("Votes"),
                  _("Recommenders"), _("Editor's pick"), _("Hidden"), _("Merged into"), _("First recommended by"),
                  _("Added at (UTC)")]
        rows = book_figures.book_rows(self.usage_key)
        if suffix == "xlsx":
            return xlsx_response("bookshelf.xlsx", _("Bookshelf"), header, rows)
        if suffix in ("", "csv"):
            return csv_response("bookshelf.csv", header, rows)
        raise InvalidInput(_("Choose csv or xlsx."))

    # ---- reports ------------------------------------------------------------------------------
    def report_rows(self, usernames):
        rows = {}
        for username, (recommended, voted, titles, complete) in book_figures.learner_report(
                self.usage_key, usernames, self.min_recommendations, self.min_votes).items():
            rows[username] = [("completion", 1.0 if complete else 0.0), ("books_recommended", recommended),
                              ("votes", voted), ("titles", " | ".join(titles))]
        return rows

    def index_dictionary(self):
        index = super().index_dictionary() if hasattr(super(), "index_dictionary") else {}
        index.setdefault("content", {})
        index["content"].update({"display_name": self.display_name, "text": self.instructions})
        index["content_type"] = "Bookshelf"
        return index

    @classmethod
    def workbench_scenarios(cls):
        return scenarios_for("lifelong_bookshelf", conf.get("WORKBENCH_SCENARIOS_DIR"))
