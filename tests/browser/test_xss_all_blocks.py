"""Stored XSS, for every block of the package, in Chromium.

The whole corpus (xss_scenarios.CORPUS / URL_CORPUS) goes into every author-writable field of every
block (by OLX, which skips Studio's validation) and into every learner-writable field (through the
blocks' handlers, as learners, a learner whose username is itself hostile, and staff).  Fields with a
length limit get as much of the corpus as fits, over the entries made.  Then every view that shows
them is opened: learner, staff (with its lazily loaded parts), showcase/gallery/wall, nomination
review and showcase, Studio's editor and preview, the room-code check-in page.  In none of them may
a payload run (``window.__xss``, a dialog), an injected element or event handler or script URL
appear, anything be requested from a host other than 127.0.0.1, or template syntax be evaluated.

``BLOCKS`` has one entry per block; a block in the ``xblock.v1`` entry points (``lifelong_*``)
without one, or an authored text field an entry leaves out, fails ``test_every_block_and_field_...``.
"""
import base64
import io
from datetime import datetime, timedelta, timezone
from importlib.metadata import entry_points
from urllib.parse import quote, urlsplit

import pytest
from PIL import Image
from playwright.sync_api import expect

from pages import BLOCK_READY, BlockPage, new_student, scenario_server
from test_recitation_browser import wav
from workbench_server import STAFF_STUDENT
from xss_scenarios import (CORPUS, OUTSIDE_HOST, SHORT_PAYLOAD, TEMPLATE_LITERALS, URL_CORPUS, attribute,
                           everything, lesson_fields, pieces)

pytestmark = pytest.mark.browser

TEXT = everything()
URLS = list(URL_CORPUS.values())
# A learner whose username is itself hostile (staff lists show usernames).
HOSTILE_USER = "u\"'><img src=x onerror=window.__xss=1>"
# Settings that are a choice, a number, a date or a flag: given valid values (a hostile one is a
# validation matter, tested by the OLX and fuzzing suites), all other content/settings fields get payloads.
NOT_TEXT = {"text_format", "content_language", "estimated_minutes", "max_attempts", "media_duration", "pass_score",
            "completion_threshold", "require_quick_check", "weight", "learners_may_recommend", "min_recommendations",
            "min_votes", "goal_days", "time_zone", "wall_enabled", "window_end", "window_start", "max_seconds",
            "max_size_mb", "attendance_mode", "capacity", "completion_rule", "end_time", "start_time",
            "join_window_minutes", "schedule_revision", "session_kind", "allow_video_links", "closes_at", "opens_at",
            "nomination_category", "quota_max", "quota_min", "who_may_nominate", "required_fields",
            "document_max_count", "document_max_mb", "image_max_count", "image_max_mb", "video_max_count",
            "video_max_mb", "teaching_max_count", "teaching_max_mb"}
NOW = datetime.now(timezone.utc).replace(second=0, microsecond=0)

MULTIPART = """async ([tag, handler, fields, files]) => {
  const block = document.querySelector("[data-block-type=" + tag + "]");
  const student = new URLSearchParams(location.search).get("student");
  const token = (document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/) || [])[1] || "";
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) { form.append(name, value); }
  for (const [name, [filename, type, data]] of Object.entries(files)) {
    const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
    form.append(name, new Blob([bytes], {type: type}), filename);
  }
  const response = await fetch("/handler/" + block.dataset.usage + "/" + handler + "/?student=" + encodeURIComponent(student),
    {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": token}, body: form});
  return {status: response.status, body: await response.text()};
}"""


def utc(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def wav_data():
    return base64.b64encode(bytes(wav())).decode()


def jpeg_data():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 160)).save(out, "JPEG")
    return base64.b64encode(out.getvalue()).decode()


PDF_DATA = base64.b64encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").decode()


def spread(limit, count):
    """``count`` values of at most ``limit`` characters carrying the corpus between them."""
    packed = pieces(limit)
    return [packed[i % len(packed)] for i in range(count)]


class WholePage(BlockPage):
    """A page of its own (the room-code check-in page): checked as a whole."""

    @property
    def root(self):
        return "body"


class Visit:
    """One Chromium page for the whole run: it records dialogs and every request that leaves the host."""

    def __init__(self, page, server):
        self.page, self.server = page, server
        self.dialogs, self.outside = [], []
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.context.route(lambda url: urlsplit(url).hostname not in ("127.0.0.1", None), self._refuse)

    def _refuse(self, route):
        self.outside.append(route.request.url)
        route.abort()

    def block(self, tag, index=0):
        return BlockPage(self.page, self.server, tag, index)

    def open(self, tag, student, view="", index=0):
        """Open a view (``""``: the learner view; ``studio_view``, ``author_view``) as ``student``."""
        block = self.block(tag, index)
        if view:
            self.page.goto(self.server.url(f"/view/{tag}.{index}/{view}/", student=quote(student, safe="")))
            self.page.wait_for_function(BLOCK_READY)
        else:
            block.open(quote(student, safe=""))
        return block

    def check(self, block, label, literal=True):
        """Nothing ran, got in or went out; template syntax in the view shown as written."""
        self.page.wait_for_timeout(150)   # deliberate: time for a payload's load/error handler to run, if one got in
        assert self.page.locator(block.root).count() >= 1, f"{label}: nothing found at {block.root}"
        block.assert_inert(label, self.outside)
        assert self.dialogs == [], f"{label}: dialogs {self.dialogs}"
        if literal:
            text = self.page.locator(block.root).first.inner_text()
            values = " ".join(self.page.eval_on_selector_all(
                f"{block.root} input, {block.root} textarea", "ns => ns.map(n => n.value)"))
            for marker in TEMPLATE_LITERALS:
                assert marker in text + values, f"{label}: {marker!r} not shown as written"

    def views(self, tag, label, index=0, learner_sees=(), staff_sees=()):
        """The views every block has: learner (fresh learner), staff, Studio editor and preview; what
        learners wrote is shown there as text (``learner_sees`` / ``staff_sees``)."""
        for student, view in ((new_student("viewer"), ""), (HOSTILE_USER, ""), (STAFF_STUDENT, ""),
                              (STAFF_STUDENT, "studio_view"), (STAFF_STUDENT, "author_view")):
            block = self.open(tag, student, view, index)
            self.check(block, f"{label} {view or 'student_view'} as {student}")
            shown = {"": learner_sees, STAFF_STUDENT: staff_sees}[student if student == STAFF_STUDENT else ""]
            for text in shown if not view else ():
                expect(self.page.locator(block.root).first, f"{label} as {student}").to_contain_text(text)


def ok(answer, what):
    status, body = answer
    assert status == 200, f"{what}: {status} {body}"
    return body


# ---- one entry per block -----------------------------------------------------------------------------
class MicroLesson:
    tag = "lifelong_microlesson"

    def author(self):
        fields = lesson_fields(TEXT, URLS[0], "video", "html")
        fields["lesson_text"] = (f"<h2>{TEXT}</h2><p>{TEXT}</p>"
                                 + "".join(f"<a href=\"{u}\">l</a><img src=\"{u}\" alt=\"a\">" for u in URLS))
        fields["resources"] = [{"title": TEXT, "url": u, "size": TEXT} for u in URLS]
        fields["video_sources"] = [{"url": u, "label": TEXT, "height": 360, "type": "video/webm"} for u in URLS]
        fields["poster_url"] = URL_CORPUS["data_svg"]
        fields["audio_url"] = URL_CORPUS["js_entity"]
        return [fields, {**lesson_fields(TEXT, URL_CORPUS["js_tab"], "audio", "markdown"),
                         "lesson_text": f"# {TEXT}\n\n" + "\n\n".join(f"[l]({u}) ![i]({u})" for u in URLS)}]

    def learn(self, visit):
        block = visit.open(self.tag, HOSTILE_USER)
        ok(block.call("start_reading"), "start_reading")
        # the participant profile (every block asks it): only codes from the lists are kept
        for answer in ({"consented": True, "audience_group": TEXT, "region": "zhejiang"},
                       {"consented": True, "audience_group": "older_adult", "region": CORPUS["attr"]}):
            status, body = block.call("save_profile", answer)
            assert status == 400 and "error" in body, body
        ok(block.call("save_profile", {"consented": True, "audience_group": "older_adult", "region": "zhejiang"}),
           "save_profile")
        block.call("submit_quick_check", {"answers": {"q1": ["a"], "q2": [TEXT[:50]]}})

    def show(self, visit):
        for index in (0, 1):
            visit.views(self.tag, f"micro-lesson {index}", index, learner_sees=[TEXT[:60]])


class Bookshelf:
    tag = "lifelong_bookshelf"

    def author(self):
        return [{"display_name": TEXT, "instructions": TEXT, "learners_may_recommend": "true",
                 "min_recommendations": "1", "min_votes": "1"}]

    def learn(self, visit):
        block = visit.open(self.tag, HOSTILE_USER)
        titles, authors, publishers = spread(300, 4), spread(200, 6), spread(200, 6)
        reasons, tags = spread(500, 3), pieces(30)
        books = []
        for number, title in enumerate(titles):
            answer = ok(block.call("recommend", {
                "title": title, "author": authors[number], "publisher": publishers[number],
                "reason": reasons[number % len(reasons)], "tags": tags[number * 5:number * 5 + 5]}), "recommend")
            books.append(answer["book"]["id"])
        reporter = visit.open(self.tag, new_student("reporter"))
        for number, reason in enumerate(spread(500, 3)):
            ok(reporter.call("report_book", {"book": books[number], "reason": reason}), "report_book")
        staff = visit.open(self.tag, STAFF_STUDENT)
        ok(staff.call("merge_books", {"kept": books[0], "duplicate": books[3], "note": spread(500, 1)[0]}), "merge")
        ok(staff.call("moderate", {"action": "hide", "book": books[2], "note": spread(500, 2)[1]}), "moderate")
        self.books = books

    def show(self, visit):
        visit.views(self.tag, "bookshelf", learner_sees=[pieces(300)[0][:60]], staff_sees=[pieces(500)[0][:60]])
        block = visit.open(self.tag, new_student("searcher"))
        shelf = visit.page.locator(block.root)
        search = shelf.locator("input[type=search]").first
        with visit.page.expect_response(lambda r: "/list_books/" in r.url):
            search.fill(CORPUS["img"][:30])
            search.press("Enter")
        visit.check(block, "bookshelf search", literal=False)
        staff = visit.open(self.tag, STAFF_STUDENT)
        ok(staff.call("book_history", {"book": self.books[2]}), "book_history")
        history = visit.page.locator(f"{staff.root} [data-ll-history]").first
        if history.count():
            with visit.page.expect_response(lambda r: "/book_history/" in r.url):
                history.click()
        visit.check(staff, "bookshelf staff history", literal=False)


class ReadingLog:
    tag = "lifelong_reading_log"

    def author(self):
        return [{"display_name": TEXT, "intro": TEXT, "reflection_prompt": TEXT, "goal_days": "1",
                 "wall_enabled": "true"}]

    def learn(self, visit):
        for student, title, reflection in zip((HOSTILE_USER, new_student("reader"), new_student("reporter")),
                                              spread(300, 3), spread(500, 3), strict=True):
            block = visit.open(self.tag, student)
            ok(block.call("set_wall_sharing", {"sharing": True}), "set_wall_sharing")
            ok(block.call("check_in", {"book_title": title, "minutes": 20, "reflection": reflection, "shared": True}),
               "check_in")
        wall = ok(block.call("student_view_user_state", method="GET"), "state")["wall"]
        others = [entry["id"] for entry in wall if entry["username"] != student]
        assert len(others) == 2, wall
        ok(block.call("report_entry", {"entry_id": others[0], "reason": spread(500, 1)[0]}), "report_entry")
        staff = visit.open(self.tag, STAFF_STUDENT)
        ok(staff.call("moderate", {"entry_id": others[1], "action": "hide", "note": spread(500, 2)[1]}), "moderate")

    def show(self, visit):
        visit.views(self.tag, "reading log", staff_sees=[HOSTILE_USER])


class Recitation:
    tag = "lifelong_recitation"

    def author(self):
        return [{"display_name": TEXT, "passage": f"<h2>{TEXT}</h2><p>{TEXT}</p>"
                 + "".join(f"<a href=\"{u}\">l</a><img src=\"{u}\">" for u in URLS), "text_format": "html"},
                {"display_name": TEXT, "passage": f"# {TEXT}\n\n" + "\n\n".join(f"[l]({u})" for u in URLS),
                 "text_format": "markdown", "content_language": CORPUS["attr"]}]

    def learn(self, visit):
        for index in (0, 1):
            readers = (HOSTILE_USER, new_student("reader"))
            for reader in readers:
                visit.open(self.tag, reader, index=index)
                answer = visit.page.evaluate(MULTIPART, [self.tag, "submit_recording", {"consent": "1"},
                                                         {"file": [TEXT[:90] + ".wav", "audio/wav", wav_data()]}])
                assert answer["status"] == 200, answer
            staff = visit.open(self.tag, STAFF_STUDENT, index=index)
            rows = visit.page.locator("[data-ll-review]")
            ids = sorted({int(rows.nth(n).get_attribute("data-ll-review")) for n in range(rows.count())})
            assert len(ids) == 2, ids
            for pk, comment in zip(ids, spread(1000, 2), strict=True):
                ok(staff.call("moderate", {"recitation": pk, "action": "feature", "comment": comment}), "feature")
            viewer = visit.open(self.tag, new_student("viewer"), index=index)
            for pk, reason in zip(ids, spread(500, 2), strict=True):
                ok(viewer.call("report", {"recitation": pk, "reason": reason}), "report")

    def show(self, visit):
        for index in (0, 1):
            visit.views(self.tag, f"recitation {index}", index, learner_sees=[pieces(1000)[0][:60]],
                        staff_sees=[HOSTILE_USER, TEXT[:60]])
            staff = visit.open(self.tag, STAFF_STUDENT, index=index)
            button = visit.page.get_by_role("button", name="Keep it, close the reports").first
            with visit.page.expect_response(lambda r: "/moderate/" in r.url):
                button.click()
            visit.check(staff, f"recitation {index} staff part re-rendered", literal=False)


def nomination_answers(category):
    """Every field of each nomination form, carrying as much of the corpus as its length allows."""
    lead = "她在社区学校学会了用手机，又教会了邻居们。" * 3
    if category == "learning_star":
        return {"name": SHORT_PAYLOAD[:50], "gender": "female", "age_band": "60_69", "region": "zhejiang",
                "occupation": spread(100, 1)[0], "phone": "13800138000", "story": (lead + TEXT)[:3000],
                "achievements": spread(2000, 1)[0]}
    if category == "brand_project":
        return {"project_name": spread(100, 1)[0], "running_organisation": spread(100, 2)[1], "region": "zhejiang",
                "description": (lead + TEXT)[:3000], "beneficiaries": spread(500, 1)[0],
                "period": spread(100, 3)[2]}
    return {"title": spread(100, 1)[0], "organisation_name": spread(100, 2)[1], "date": "2026-11-20",
            "summary": (lead + TEXT)[:2000], "results": spread(2000, 1)[0]}


class Nomination:
    tag = "lifelong_nomination"
    categories = ("learning_star", "brand_project", "activity_case")

    def author(self):
        organisations = [["zj", TEXT], ["sc", "四川 " + CORPUS["attr"]]]
        return [{"display_name": TEXT, "intro": TEXT, "nomination_category": category,
                 "opens_at": "2020-01-01 08:00", "closes_at": "2099-12-31 18:00", "quota_min": "1", "quota_max": "10",
                 "organisations": organisations, "allow_video_links": "true",
                 "rubric": [{"key": "impact", "label": TEXT, "weight": 1}],
                 "nominator_usernames": [HOSTILE_USER, TEXT[:150]]} for category in self.categories]

    def learn(self, visit):
        for index, category in enumerate(self.categories):
            self.nominate(visit, index, category)

    def nominate(self, visit, index, category):
        block = visit.open(self.tag, HOSTILE_USER, index=index)
        nomination = ok(block.call("start_nomination", {"organisation": "zj"}), "start")["id"]
        state = ok(block.call("student_view_user_state", method="GET"), "state")
        version = next(n["version"] for n in state["nominations"] if n["id"] == nomination)
        ok(block.call("save_draft", {"id": nomination, "version": version, "answers": nomination_answers(category),
                                     "consent_publication": True, "consent_portrait": True}), "save_draft")
        for kind, name, mime, data in (("image", TEXT[:90] + ".jpg", "image/jpeg", jpeg_data()),
                                       ("document", CORPUS["squote"] + ".pdf", "application/pdf", PDF_DATA)):
            answer = visit.page.evaluate(MULTIPART, [self.tag, "upload_material", {"nomination": str(nomination),
                                                                                    "kind": kind},
                                                     {"file": [name, mime, data]}])
            assert answer["status"] == 200, answer
        ok(block.call("add_video_link", {"id": nomination, "link": "https://example.org/\"><svg/onload=window.__xss=1>"}),
           "video link")
        ok(block.call("submit_nomination", {"id": nomination}), f"submit {category}")
        staff = visit.open(self.tag, STAFF_STUDENT, index=index)
        ok(staff.call("review_comment", {"id": nomination, "text": spread(2000, 1)[0]}), "comment")
        for action in ("start_review", "recommend", "recognise"):
            ok(staff.call("review_action", {"id": nomination, "action": action, "note": spread(2000, 1)[0]}), action)
        ok(staff.call("review_score", {"id": nomination, "scores": {"impact": 9}}), "score")

    def show(self, visit):
        for index, category in enumerate(self.categories):
            self.review(visit, index, category)

    def review(self, visit, index, category):
        visit.views(self.tag, f"nomination {category}", index, learner_sees=[TEXT[:60]])
        staff = visit.open(self.tag, STAFF_STUDENT, index=index)
        root = visit.page.locator(staff.root)
        search = root.locator("[data-ll-filters] input[type=search], [data-ll-filters] input[name=q]").first
        with visit.page.expect_response(lambda r: "/review_list/" in r.url):
            search.fill(CORPUS["img"][:40])
            root.locator("[data-ll-filters] button[type=submit]").click()
        visit.check(staff, f"nomination {category} review search", literal=False)
        with visit.page.expect_response(lambda r: "/review_list/" in r.url):
            search.fill("")
            root.locator("[data-ll-filters] button[type=submit]").click()
        with visit.page.expect_response(lambda r: "/review_detail/" in r.url):
            root.locator("[data-ll-open]").first.click()
        expect(root.locator("[data-ll-detail]")).to_contain_text("{{ 7*7 }}")
        visit.check(staff, f"nomination {category} review detail")
        showcase = visit.open(self.tag, new_student("visitor"), index=index)
        expect(visit.page.locator(".ll-showcase-entry").first).to_contain_text("{{ 7*7 }}")
        visit.check(showcase, f"nomination {category} showcase")


class LiveSession:
    tag = "lifelong_live_session"

    def author(self):
        return [{"display_name": TEXT, "description": f"## {TEXT}\n\n{TEXT}\n\n" + " ".join(f"[l]({u})" for u in URLS),
                 "speakers": [{"name": TEXT, "bio": TEXT}, {"name": CORPUS["attr"], "bio": CORPUS["closer"]}],
                 "start_time": utc(NOW - timedelta(minutes=10)), "end_time": utc(NOW + timedelta(hours=2)),
                 "time_zone": "Asia/Shanghai", "attendance_mode": "hybrid", "join_url": URL_CORPUS["js_space"],
                 "passcode": TEXT, "venue_address": TEXT, "venue_room": TEXT, "capacity": "1",
                 "audio_url": URL_CORPUS["data"], "poster_url": URL_CORPUS["js_hex_entity"],
                 "video_sources": [{"url": u, "label": TEXT, "height": 360, "type": "video/webm"} for u in URLS],
                 "captions": [{"lang": "en", "label": TEXT, "vtt": f"WEBVTT\n\n00:00.000 --> 00:05.000\n{TEXT}\n"}],
                 "media_duration": "30"}]

    def learn(self, visit):
        for student in (HOSTILE_USER, new_student("waiting")):
            block = visit.open(self.tag, student)
            ok(block.call("sign_up"), "sign_up")
        ok(visit.open(self.tag, STAFF_STUDENT).call("staff_check_in", {"user": HOSTILE_USER}), "staff_check_in")

    def show(self, visit):
        visit.views(self.tag, "live session", learner_sees=[TEXT[:60]], staff_sees=[HOSTILE_USER])
        block = visit.open(self.tag, new_student("phone"))
        usage = visit.page.locator(block.root).get_attribute("data-usage")
        for code in (TEXT[:400], URL_CORPUS["js"]):
            visit.page.goto(visit.server.url(f"/handler/{usage}/qr_checkin/?code={quote(code)}&student=phone"))
            expect(visit.page.locator("body")).to_contain_text("{{ 7*7 }}")
            visit.check(WholePage(visit.page, visit.server, "body"), "room-code check-in page", literal=False)
        staff = visit.open(self.tag, STAFF_STUDENT)
        ok(staff.call("cancel_session", {"reason": spread(500, 1)[0]}), "cancel")
        visit.check(visit.open(self.tag, new_student("after")), "cancelled session")
        visit.check(visit.open(self.tag, STAFF_STUDENT), "cancelled session, staff")


class Dashboard:
    """Staff only; its summary and reports read what learners did in every other block of the course,
    so it runs last (the hostile usernames and titles are in the data by then)."""
    tag = "lifelong_dashboard"

    def author(self):
        return [{"display_name": TEXT, "default_since": TEXT, "default_until": CORPUS["attr"],
                 "block_types": [TEXT, "lifelong_bookshelf"]}]

    def learn(self, visit):
        staff = visit.open(self.tag, STAFF_STUDENT)
        ok(staff.call("summary", {"since": "2020-01-01", "until": NOW.date().isoformat()}), "summary")
        ok(staff.call("request_report", {"format": "csv"}), "request_report")

    def show(self, visit):
        for student, view in ((new_student("viewer"), ""), (HOSTILE_USER, ""), (STAFF_STUDENT, ""),
                              (STAFF_STUDENT, "studio_view"), (STAFF_STUDENT, "author_view")):
            block = visit.open(self.tag, student, view)
            visit.check(block, f"dashboard {view or 'student_view'} as {student}")
            if student == STAFF_STUDENT and not view:   # the other blocks' hostile titles, in the summary
                expect(visit.page.locator(block.root)).to_contain_text(TEXT[:60])


# In the order the tests run: the dashboard last, when every other block has hostile data.
BLOCKS = {entry.tag: entry for entry in (MicroLesson(), Bookshelf(), ReadingLog(), Recitation(), Nomination(),
                                         LiveSession(), Dashboard())}


def package_blocks():
    return {point.name: point.load() for point in entry_points(group="xblock.v1") if point.name.startswith("lifelong_")}


def test_every_block_and_every_authored_text_field_is_in_the_corpus_table():
    blocks = package_blocks()
    assert set(blocks) - set(BLOCKS) == set(), "blocks without XSS corpus coverage in BLOCKS"
    from xblock.fields import Scope  # noqa: PLC0415
    for tag, cls in blocks.items():
        written = set().union(*(fields.keys() for fields in BLOCKS[tag].author()))
        text_fields = {name for name, field in cls.fields.items() if field.scope in (Scope.content, Scope.settings)
                       and name in getattr(cls, "editable_fields", ()) and name not in NOT_TEXT}
        assert text_fields - written == set(), f"{tag}: authored fields the corpus never reaches"


@pytest.fixture(scope="module")
def hostile_server():
    scenarios = {}
    for tag, entry in BLOCKS.items():
        for index, fields in enumerate(entry.author()):
            attrs = "\n  ".join(f"{name}={attribute(value)}" for name, value in fields.items())
            scenarios[f"{tag}_{index}"] = f"<{tag}\n  {attrs}\n/>"
    with scenario_server(scenarios, prefix="lifelong-xss-all-") as running:
        yield running


@pytest.mark.parametrize("tag", list(BLOCKS))
def test_hostile_text_stays_inert_in_every_view(hostile_server, open_page, tag):
    visit = Visit(open_page(), hostile_server)
    BLOCKS[tag].learn(visit)
    BLOCKS[tag].show(visit)
    assert visit.outside == [], f"requests that left 127.0.0.1 (e.g. to {OUTSIDE_HOST}): {visit.outside}"
    assert visit.dialogs == []
