"""What the security tests share: a seeded world per block (one learner's objects, another learner,
staff, an anonymous visitor), a valid request for every handler of every block, and a snapshot of
the package's tables that shows whether a refused request changed anything.

(Not named ``test_*``: it holds no tests.)
"""
import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from PIL import Image
from webob import Request

from lifelong_xblocks.blocks.access import block_classes, handlers_of
from tests.blocks.test_recitation_support import wav_bytes  # noqa: F401  (re-exported for the security tests)

UTC = datetime.timezone.utc
ANONYMOUS, OWNER, OTHER, STAFF = "none", "alice", "bob", "staff"
ROLES = (ANONYMOUS, OWNER, OTHER, STAFF)
CAROL = "carol"       # a third learner, whose recording is in the gallery

# ---- scenarios ---------------------------------------------------------------------------------------
CAPTIONS = ("captions='[{\"lang\": \"zh-CN\", \"label\": \"中文\", "
            "\"vtt\": \"WEBVTT\\n\\n00:00.000 --> 00:02.000\\n先挂断电话\\n\"}]'")
QUESTIONS = json.dumps([{"id": "q1", "kind": "single", "prompt": "Safe?", "explanation": "Yes.",
                         "choices": [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "No"}]}])
SCENARIOS = {
    "lifelong_bookshelf": {"default": "<lifelong_bookshelf display_name='书架' min_recommendations='0' "
                                      "min_votes='1'/>"},
    "lifelong_live_session": {"default": (
        "<lifelong_live_session display_name='Lecture' start_time='2026-11-30T03:00:00Z' "
        "end_time='2026-11-30T04:00:00Z' time_zone='Asia/Shanghai' join_url='https://meet.example.org/j/1' "
        "capacity='5' attendance_mode='online' completion_rule='either' media_duration='100' "
        "video_sources='[{\"url\": \"https://cdn.example.org/replay.mp4\", \"label\": \"360p\", \"height\": 360}]' "
        f"{CAPTIONS}/>")},
    "lifelong_microlesson": {
        "default": (f"<lifelong_microlesson display_name='Lesson' media_duration='100' {CAPTIONS} "
                    "video_sources='[{\"url\": \"https://media.example.org/a.mp4\", \"label\": \"360p\", "
                    f"\"height\": 360}}]' max_attempts='5' questions='{QUESTIONS}'/>"),
        "text": "<lifelong_microlesson display_name='Text' lesson_text='{}'/>".format("学" * 20),
    },
    "lifelong_nomination": {"default": (
        "<lifelong_nomination display_name='学习之星' nomination_category='learning_star' "
        "opens_at='2026-11-01 08:00' closes_at='2026-12-01 18:00' quota_min='1' quota_max='5' "
        "allow_video_links='true' rubric='[{\"key\": \"story\", \"label\": \"Story\", \"weight\": 1}]'/>")},
    "lifelong_dashboard": {"default": "<lifelong_dashboard display_name='看板'/>"},
    "lifelong_reading_log": {"default": "<lifelong_reading_log display_name='读书打卡' goal_days='2'/>"},
    "lifelong_recitation": {"default": ("<lifelong_recitation display_name='朗读' passage='床前明月光' "
                                        "content_language='zh-CN' max_size_mb='0.2' max_seconds='30'/>")},
}
STORY = "张阿姨六十五岁开始在社区老年大学学习智能手机，如今她是社区数字助老志愿队的骨干，教会了两百多位老人网上挂号。" * 2
ANSWERS = {"name": "张桂兰", "gender": "female", "age_band": "60_69", "region": "zhejiang",
           "occupation": "退休职工", "phone": "138 0013 8000", "story": STORY, "achievements": "2025年市级优秀志愿者"}


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


# ---- calls -------------------------------------------------------------------------------------------
@dataclass
class Call:
    """One request to a handler: a JSON body (POST), a GET, a form or a multipart POST."""

    data: object = None
    method: str = "POST"
    suffix: str = ""
    form: dict = None          # multipart / urlencoded fields (webob Request.blank POST=)
    body: bytes = None         # raw body (POST), overrides ``data``

    def request(self):
        if self.form is not None:
            return Request.blank("/", POST=self.form)
        request = Request.blank("/", method=self.method)
        if self.method == "POST":
            request.body = self.body if self.body is not None else json.dumps(
                self.data if self.data is not None else {}).encode()
            request.content_type = "application/json"
        return request


def answer_of(response):
    try:
        return json.loads(response.body.decode("utf-8")) if response.body else None
    except ValueError:
        return response.body


@dataclass
class World:
    """One block of ``tag`` (scenario ``variant``) with the objects seeded for the tests."""

    tag: str
    variant: str
    scenario: object           # conftest's scenario(xml) -> as_user
    as_user: object = None
    ids: dict = field(default_factory=dict)
    baseline: dict = None      # snapshot() of the world as built

    def client(self, role):
        return self.as_user(role)

    def handle(self, role, handler, call):
        """(status, answer) of ``handler`` called by ``role`` with ``call`` (a fresh runtime, like a request)."""
        client = self.as_user(role)
        response = client.runtime.handle(client.block, handler, call.request(), call.suffix)
        return response.status_code, answer_of(response)


def build_world(scenario, clock, tag, variant="default"):
    """The block, its users, and the objects each block's handlers act on (ids in ``world.ids``)."""
    clock.now = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    world = World(tag, variant, scenario)
    world.as_user = scenario(SCENARIOS[tag][variant])
    for role in (*ROLES, CAROL):             # the users exist before anything is counted
        world.as_user(role).block.person  # noqa: B018  (creates the workbench user)
    SEEDS.get(tag, lambda _world: None)(world)
    return world


def ok(status, answer, what):
    assert 200 <= status < 300, (what, status, answer)
    return answer


def seed_bookshelf(world):
    ok_answer = ok(*world.handle(OWNER, "recommend", Call({"title": "三体", "author": "刘慈欣"})), "recommend")
    world.ids["book"] = ok_answer["book"]["id"]
    other = ok(*world.handle(OTHER, "recommend", Call({"title": "活着", "author": "余华"})), "recommend")
    world.ids["other_book"] = other["book"]["id"]


def seed_live_session(world):
    ok(*world.handle(OWNER, "sign_up", Call({})), "sign_up")


def seed_nomination(world):
    draft = ok(*world.handle(OWNER, "start_nomination", Call({"organisation": "zhejiang"})), "start")["id"]
    ok(*world.handle(OWNER, "save_draft", Call({"id": draft, "version": 1, "answers": ANSWERS,
                                                "consent_publication": True})), "save_draft")
    form = {"nomination": str(draft), "kind": "document", "file": ("p.pdf", PDF)}
    ok(*world.handle(OWNER, "upload_material", Call(form=form)), "upload")
    submitted = ok(*world.handle(OWNER, "start_nomination", Call({"organisation": "zhejiang"})), "start")["id"]
    from lifelong_xblocks.models.nominations import Nomination, NominationMaterial  # noqa: PLC0415
    version = Nomination.objects.get(pk=submitted).version
    ok(*world.handle(OWNER, "save_draft", Call({"id": submitted, "version": version, "answers": ANSWERS,
                                                "consent_publication": True})), "save_draft")
    form = {"nomination": str(submitted), "kind": "document", "file": ("p.pdf", PDF)}
    ok(*world.handle(OWNER, "upload_material", Call(form=form)), "upload")
    ok(*world.handle(OWNER, "submit_nomination", Call({"id": submitted})), "submit")
    world.ids.update(draft=draft, submitted=submitted, material=NominationMaterial.objects.filter(nomination_id=draft).get().pk,
                     version=Nomination.objects.get(pk=draft).version)


def seed_reading_log(world):
    from lifelong_xblocks.models.reading_log import ReadingCheckIn  # noqa: PLC0415
    ok(*world.handle(CAROL, "set_wall_sharing", Call({"sharing": True})), "sharing")
    ok(*world.handle(CAROL, "check_in", Call({"book_title": "红楼梦", "minutes": 20, "reflection": "好书",
                                              "shared": True})), "check_in")
    world.ids["entry"] = ReadingCheckIn.objects.get().pk


def seed_recitation(world):
    ok(*world.handle(OWNER, "submit_recording", Call(form={"file": ("r.wav", wav_bytes()), "consent": "0"})),
       "submit")
    ok(*world.handle(CAROL, "submit_recording", Call(form={"file": ("r.wav", wav_bytes()), "consent": "1"})),
       "submit")
    from lifelong_xblocks.models.recitation import Recitation  # noqa: PLC0415
    own = Recitation.objects.get(user__username=OWNER).pk
    shown = Recitation.objects.get(user__username=CAROL).pk
    ok(*world.handle(STAFF, "moderate", Call({"recitation": shown, "action": "feature"})), "feature")
    world.ids.update(own=own, shown=shown)


def seed_dashboard(world):
    from django.test import TestCase  # noqa: PLC0415
    with TestCase.captureOnCommitCallbacks(execute=True):      # the report is produced on commit
        answer = ok(*world.handle(STAFF, "request_report", Call({"format": "csv"})), "report")
    world.ids["report"] = answer["report"]["id"]


SEEDS = {"lifelong_dashboard": seed_dashboard, "lifelong_bookshelf": seed_bookshelf, "lifelong_live_session": seed_live_session,
         "lifelong_nomination": seed_nomination, "lifelong_reading_log": seed_reading_log,
         "lifelong_recitation": seed_recitation}


# ---- a valid request for every handler ----------------------------------------------------------------
@dataclass
class Spec:
    """How to call one handler validly: ``make(ids) -> Call``; ``variant`` names the scenario;
    ``ok`` the statuses an allowed caller may get (state-dependent refusals such as 409 for a
    repeat); ``allowed`` overrides the roles the policy admits (an ``anyone`` file that is private)."""

    make: object
    variant: str = "default"
    ok: tuple = (200,)
    allowed: tuple = None


def post(data=None, **kw):
    return lambda ids: Call(data if not callable(data) else data(ids), **kw)


GET = Spec(lambda ids: Call(method="GET"))
COMMON = {
    "save_comfort": Spec(post({"large_text": True})),
    "save_profile": Spec(post({"consented": True, "audience_group": "veteran", "region": "sichuan"})),
    "student_view_user_state": GET,
    # Studio saves a setting; the staff id acts as the author in the workbench.
    "submit_studio_edits": Spec(post({"values": {"display_name": "Renamed"}, "defaults": []})),
}
REQUESTS = {
    "lifelong_dashboard": {
        "summary": Spec(post({})),
        "request_report": Spec(post({"format": "xlsx"})),
        "report_status": Spec(post({})),
        "download_report": Spec(lambda ids: Call(method="GET", suffix=str(ids["report"]))),
    },
    "lifelong_bookshelf": {
        "list_books": Spec(post({})),
        "recommend": Spec(post({"title": "平凡的世界", "author": "路遥"})),
        "vote": Spec(post(lambda ids: {"book": ids["book"]})),
        "unvote": Spec(post(lambda ids: {"book": ids["book"]})),
        "report_book": Spec(post(lambda ids: {"book": ids["book"], "reason": "广告"})),
        "moderate": Spec(post(lambda ids: {"book": ids["book"], "action": "hide", "note": "x"})),
        "merge_books": Spec(post(lambda ids: {"kept": ids["book"], "duplicate": ids["other_book"]})),
        "book_history": Spec(post(lambda ids: {"book": ids["book"]})),
        "download_books": GET,
    },
    "lifelong_live_session": {
        "sign_up": Spec(post({})),
        "cancel_registration": Spec(post({}), ok=(200, 409)),   # nothing to cancel for some callers
        "check_in": Spec(post({}), ok=(200, 409)),              # before the join window: 409
        "report_progress": Spec(post({"intervals": [], "position": 0, "duration": 100}), ok=(200, 409)),
        "calendar": GET,
        "caption_track": Spec(lambda ids: Call(method="GET", suffix="zh-CN")),
        "qr_checkin": GET,
        "reschedule": Spec(post({"start": "2026-12-01 10:00", "end": "2026-12-01 11:00"})),
        "cancel_session": Spec(post({"reason": "Speaker ill"})),
        "reinstate_session": Spec(post({}), ok=(200, 409)),     # not cancelled: 409
        "staff_check_in": Spec(post({"user": OWNER}), ok=(200, 409)),
        "undo_check_in": Spec(post({"user": OWNER}), ok=(200, 409)),
        "remove_registration": Spec(post({"user": OWNER})),
        "checkin_code": GET,
        "download_csv": GET,
        "download_xlsx": GET,
    },
    "lifelong_microlesson": {
        "report_progress": Spec(post({"intervals": [], "position": 0, "duration": 100})),
        "start_reading": Spec(post({}), variant="text"),
        "finish_reading": Spec(post({}), variant="text", ok=(200, 409)),   # too early: 409
        "submit_quick_check": Spec(post({"answers": {"q1": ["a"]}})),
        "caption_track": Spec(lambda ids: Call(method="GET", suffix="zh-CN")),
        "download_csv": GET,
    },
    "lifelong_nomination": {
        "start_nomination": Spec(post({"organisation": "zhejiang"})),
        "save_draft": Spec(post(lambda ids: {"id": ids["draft"], "version": ids["version"],
                                             "answers": {**ANSWERS, "occupation": "志愿者"}})),
        "submit_nomination": Spec(post(lambda ids: {"id": ids["draft"]})),
        "withdraw_nomination": Spec(post(lambda ids: {"id": ids["submitted"]})),
        "delete_nomination": Spec(post(lambda ids: {"id": ids["draft"]})),
        "upload_material": Spec(lambda ids: Call(form={"nomination": str(ids["draft"]), "kind": "image",
                                                       "file": ("q.png", png_bytes())})),
        "add_video_link": Spec(post(lambda ids: {"id": ids["draft"], "link": "https://v.example.org/1"})),
        "remove_material": Spec(post(lambda ids: {"id": ids["draft"], "material": ids["material"]})),
        # ``anyone`` may ask; a file not in the showcase goes only to its nominator and staff.
        "material": Spec(lambda ids: Call(method="GET", suffix=str(ids["material"])), allowed=(OWNER, STAFF)),
        "review_list": Spec(post({})),
        "review_detail": Spec(post(lambda ids: {"id": ids["submitted"]})),
        "review_action": Spec(post(lambda ids: {"id": ids["submitted"], "action": "start_review", "note": "x"})),
        "review_comment": Spec(post(lambda ids: {"id": ids["submitted"], "text": "好"})),
        "review_score": Spec(post(lambda ids: {"id": ids["submitted"], "scores": {"story": 8}})),
        "review_reassign": Spec(post(lambda ids: {"id": ids["submitted"], "organisation": "sichuan"})),
        "showcase_take_down": Spec(post(lambda ids: {"id": ids["submitted"], "taken_down": True})),
        "review_delete": Spec(post(lambda ids: {"id": ids["submitted"]}), ok=(200, 409)),  # not withdrawn
        "export_csv": GET,
        "export_xlsx": GET,
        "export_materials": GET,
    },
    "lifelong_reading_log": {
        "check_in": Spec(post({"book_title": "围城", "minutes": 15})),
        "set_wall_sharing": Spec(post({"sharing": True})),
        "report_entry": Spec(post(lambda ids: {"entry_id": ids["entry"]})),
        "moderate": Spec(post(lambda ids: {"entry_id": ids["entry"], "action": "dismiss"})),
        "download_csv": GET,
        "download_xlsx": GET,
    },
    "lifelong_recitation": {
        "submit_recording": Spec(lambda ids: Call(form={"file": ("s.wav", wav_bytes()), "consent": "1"})),
        "set_consent": Spec(post({"consent": True}), ok=(200, 409)),          # staff have no recording
        "like": Spec(post(lambda ids: {"recitation": ids["shown"], "liked": True})),
        "count_play": Spec(post(lambda ids: {"recitation": ids["shown"]})),
        "report": Spec(post(lambda ids: {"recitation": ids["shown"], "reason": "x"})),
        "recording": Spec(lambda ids: Call(method="GET", suffix=str(ids["own"])), allowed=(OWNER, STAFF)),
        "gallery_entries": GET,
        "moderate": Spec(post(lambda ids: {"recitation": ids["own"], "action": "hide"})),
        "staff_panel": Spec(post({"page": 1})),
        "download_zip": GET,
        "download_csv": GET,
        "download_xlsx": GET,
    },
}


def spec_for(tag, handler):
    """The table entry for ``handler`` of ``tag`` (``None`` when the table lacks it)."""
    return REQUESTS.get(tag, {}).get(handler) or COMMON.get(handler)


def all_handlers():
    """``[(tag, handler name, handler)]`` of every installed block of the package."""
    return [(tag, name, handler) for tag, cls in block_classes() for name, handler in handlers_of(cls)]


# ---- did anything change? -----------------------------------------------------------------------------
def snapshot():
    """Row count and a checksum of every row of the package's tables and the workbench's field data
    (where content, settings and user_state fields live)."""
    models = list(apps.get_app_config("lifelong_xblocks").get_models())
    models.append(apps.get_model("workbench", "XBlockState"))
    state = {}
    for model in models:
        rows = list(model.objects.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()[:16]
        state[model._meta.label] = (len(rows), digest)
    return state


class rolled_back:  # noqa: N801  (used as a context manager, like transaction.atomic)
    """Everything inside runs in a savepoint that is rolled back: each caller meets the same world."""

    def __enter__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        return self

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        return self.atomic.__exit__(*exc)
