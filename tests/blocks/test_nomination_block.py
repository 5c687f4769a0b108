"""The nomination block through its views and handlers, as nominators and reviewers use it."""
import datetime
import io
import json
import zipfile
from collections import namedtuple

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from PIL import Image
from webob import Request

from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.models.moderation import ModerationAction
from lifelong_xblocks.models.nominations import Nomination, NominationMaterial

UTC = datetime.timezone.utc
STORY = "张阿姨六十五岁开始在社区老年大学学习智能手机，如今她是社区数字助老志愿队的骨干，教会了两百多位老人网上挂号。"
STORY = STORY * 2
ANSWERS = {"name": "张桂兰", "gender": "female", "age_band": "60_69", "region": "zhejiang",
           "occupation": "退休职工", "phone": "138 0013 8000", "story": STORY, "achievements": "2025年市级优秀志愿者"}
BLOCK = ("<lifelong_nomination display_name='学习之星' nomination_category='learning_star' opens_at='2026-11-01 08:00' "
         "closes_at='2026-12-01 18:00' quota_min='1' quota_max='2' image_max_mb='0.05' image_max_count='2' "
         "document_max_mb='0.01' "
         "rubric='[{\"key\": \"story\", \"label\": \"Story\", \"weight\": 1}]'/>")
XBlockUserState = namedtuple("XBlockUserState", "username block_key state updated scope")


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "nomination_test": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.LIFELONG_XBLOCKS = {**getattr(settings, "LIFELONG_XBLOCKS", {}), "STORAGE": "nomination_test"}
    return tmp_path


@pytest.fixture
def campaign(scenario, clock):
    clock.now = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    return scenario(BLOCK)


def files_in(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def png(size=(30, 20)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, nomination_id, kind, name, data):
    request = Request.blank("/", POST={"nomination": str(nomination_id), "kind": kind, "file": (name, data)})
    response = client.runtime.handle(client.block, "upload_material", request, "")
    return response.status_code, json.loads(response.body.decode("utf-8"))


def start(client, organisation="zhejiang"):
    status, answer = client.call("start_nomination", {"organisation": organisation})
    assert status == 200, answer
    return answer["id"]


def fill(client, nomination_id, **answers):
    version = Nomination.objects.get(pk=nomination_id).version
    status, answer = client.call("save_draft", {"id": nomination_id, "version": version,
                                                "answers": {**ANSWERS, **answers}, "consent_publication": True})
    assert status == 200, answer
    return answer


def ready(client, organisation="zhejiang"):
    nomination_id = start(client, organisation)
    fill(client, nomination_id)
    assert upload(client, nomination_id, "document", "推荐表.pdf", PDF)[0] == 200
    return nomination_id


def test_a_nominator_fills_uploads_and_submits_and_completes(campaign):
    alice = campaign("alice")
    nomination_id = start(alice)
    answer = fill(alice, nomination_id)
    assert set(answer["problems"]) == {"materials"}
    status, answer = upload(alice, nomination_id, "document", "推荐表.pdf", PDF)
    assert status == 200 and "推荐表.pdf" in answer["html"]
    status, answer = alice.call("submit_nomination", {"id": nomination_id})
    assert status == 200, answer
    assert Nomination.objects.get(pk=nomination_id).status == "submitted"
    assert alice.events("completion") == [{"completion": 1.0}]
    html = alice.fresh().render().body_html()
    assert "Submitted" in html and "138****8000" in html and "13800138000" not in html


def test_every_invalid_field_is_answered_at_once_and_nothing_is_saved(campaign):
    alice = campaign("alice")
    nomination_id = start(alice)
    status, answer = alice.call("save_draft", {"id": nomination_id, "version": 1, "answers": {
        "name": "x" * 51, "gender": "robot", "achievements": "110105194912310021"}})
    assert status == 400 and set(answer["fields"]) == {"name", "gender", "achievements"}
    assert "ID-card" in answer["fields"]["achievements"]
    assert Nomination.objects.get(pk=nomination_id).form == {}


def test_submitting_an_incomplete_nomination_names_the_fields(campaign):
    alice = campaign("alice")
    nomination_id = start(alice)
    fill(alice, nomination_id, phone="12345", story="太短")
    status, answer = alice.call("submit_nomination", {"id": nomination_id})
    assert status == 400 and {"phone", "story", "materials"} <= set(answer["fields"])
    assert Nomination.objects.get(pk=nomination_id).status == "draft"


def test_quota_reached_answers_409_and_keeps_the_draft(campaign):
    for user in ("alice", "bob"):
        assert campaign(user).call("submit_nomination", {"id": ready(campaign(user))})[0] == 200
    carol = campaign("carol")
    nomination_id = ready(carol)
    status, answer = carol.call("submit_nomination", {"id": nomination_id})
    assert status == 409 and "Quota reached" in answer["error"]
    assert Nomination.objects.get(pk=nomination_id).status == "draft"


def test_after_closing_nothing_is_submitted_or_edited_and_drafts_stay(campaign, clock):
    alice = campaign("alice")
    nomination_id = ready(alice)
    clock.now = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert alice.call("submit_nomination", {"id": nomination_id})[0] == 400
    assert alice.call("save_draft", {"id": nomination_id, "version": 5, "answers": {"name": "x"}})[0] == 400
    assert upload(alice, nomination_id, "image", "a.png", png())[0] == 400
    html = alice.fresh().render().body_html()
    assert "Nominations are closed" in html and "张桂兰" in html


# ---- upload attacks, through the handler --------------------------------------------------------------
@pytest.mark.parametrize("name, data, kind", [
    ("../../x.png", b"<html><script>alert(1)</script></html>", "image"),
    ("cat.png", b"<!DOCTYPE html><html><body onload=alert(1)>", "image"),
    ("cat.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image"),
    ("poly.png", png()[:40] + b"<html><script>alert(1)</script></html>" + png()[40:], "image"),
    ("big.pdf", PDF + b" " * (int(0.01 * 1000 * 1000) - len(PDF) + 1), "document"),
    ("x.exe", b"MZ\x90\x00" + b"\x00" * 100, "document"),
    ("a.pdf", PDF, "spreadsheet"),
])
def test_upload_attacks_are_refused_and_nothing_is_stored(campaign, upload_storage, name, data, kind):
    alice = campaign("alice")
    nomination_id = start(alice)
    status, answer = upload(alice, nomination_id, kind, name, data)
    assert status == 400 and answer["error"]
    assert files_in(upload_storage) == [] and not StoredFile.objects.exists()
    assert not NominationMaterial.objects.exists()


def test_one_byte_under_the_limit_is_accepted_and_the_name_is_cleaned(campaign, upload_storage):
    alice = campaign("alice")
    nomination_id = start(alice)
    data = PDF + b" " * (int(0.01 * 1000 * 1000) - len(PDF))
    status, answer = upload(alice, nomination_id, "document", "../../x.pdf", data)
    assert status == 200, answer
    assert StoredFile.objects.get().original_name == "x.pdf"


def test_too_many_files_are_refused(campaign, upload_storage):
    alice = campaign("alice")
    nomination_id = start(alice)
    assert upload(alice, nomination_id, "image", "1.png", png())[0] == 200
    assert upload(alice, nomination_id, "image", "2.png", png())[0] == 200
    status, answer = upload(alice, nomination_id, "image", "3.png", png())
    assert status == 400 and answer["error"]
    assert StoredFile.objects.count() == 2 and len(files_in(upload_storage)) == 2


def test_nobody_uploads_to_anothers_nomination(campaign, upload_storage):
    nomination_id = start(campaign("alice"))
    status, _answer = upload(campaign("mallory"), nomination_id, "image", "1.png", png())
    assert status == 403 and files_in(upload_storage) == []


def test_materials_are_served_to_owner_and_staff_only_with_nosniff(campaign):
    alice = campaign("alice")
    nomination_id = start(alice)
    upload(alice, nomination_id, "image", "me.png", png())
    material_id = NominationMaterial.objects.get().pk
    for user, expected in (("alice", 200), ("staff", 200), ("mallory", 403)):
        client = campaign(user)
        response = client.runtime.handle(client.block, "material", Request.blank("/"), str(material_id))
        assert response.status_code == expected
        if expected == 200:
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Content-Disposition"].startswith("attachment")


# ---- staff only ---------------------------------------------------------------------------------------
STAFF_JSON = ["review_list", "review_detail", "review_action", "review_comment", "review_score", "review_reassign",
              "showcase_take_down", "review_delete"]
STAFF_GET = ["export_csv", "export_xlsx", "export_materials"]


def test_a_learner_calling_any_review_or_export_handler_gets_403_and_nothing_changes(campaign):
    alice = campaign("alice")
    nomination_id = ready(alice)
    alice.call("submit_nomination", {"id": nomination_id})
    before = (ModerationAction.objects.count(), list(Nomination.objects.values_list("status", "organisation",
                                                                                     "taken_down")))
    mallory = campaign("mallory")
    for handler in STAFF_JSON:
        status, answer = mallory.call(handler, {"id": nomination_id, "action": "recognise", "note": "x",
                                                "text": "x", "scores": {"story": 10}, "organisation": "beijing",
                                                "taken_down": True})
        assert status == 403, handler
    for handler in STAFF_GET:
        assert mallory.call(handler, method="GET")[0] == 403, handler
    after = (ModerationAction.objects.count(), list(Nomination.objects.values_list("status", "organisation",
                                                                                    "taken_down")))
    assert after == before
    assert "For reviewers" not in mallory.render().body_html()


def review_to_recognised(staff, nomination_id):
    for action in ("start_review", "recommend", "recognise"):
        status, answer = staff.call("review_action", {"id": nomination_id, "action": action})
        assert status == 200, answer


def test_review_return_resubmit_recognise_and_the_showcase_has_no_contact_data(campaign):
    alice, staff = campaign("alice"), campaign("staff")
    nomination_id = ready(alice)
    upload(alice, nomination_id, "image", "portrait.png", png())
    alice.call("save_draft", {"id": nomination_id, "version": Nomination.objects.get(pk=nomination_id).version,
                              "consent_portrait": True})
    assert alice.call("submit_nomination", {"id": nomination_id})[0] == 200
    status, answer = staff.call("review_action", {"id": nomination_id, "action": "return", "note": "请补充照片说明"})
    assert status == 200 and "请补充照片说明" in answer["html"] and "13800138000" in answer["html"]
    assert "请补充照片说明" in alice.fresh().render().body_html()
    fill(alice, nomination_id, achievements="2025年市级优秀志愿者，2026年省级学习之星")
    assert alice.call("submit_nomination", {"id": nomination_id})[0] == 200
    assert Nomination.objects.get(pk=nomination_id).status == "resubmitted"
    review_to_recognised(staff, nomination_id)
    page = campaign("visitor").render().body_html()
    data = json.dumps(campaign("visitor").block.student_view_data(), ensure_ascii=False)
    for shown in (page, data):
        assert "张桂兰" in shown and "2026年省级学习之星" in shown
        assert "13800138000" not in shown and "8000" not in shown and "138****" not in shown
    picture = NominationMaterial.objects.get(kind="image").pk
    visitor = campaign("visitor")
    assert visitor.runtime.handle(visitor.block, "material", Request.blank("/"), str(picture)).status_code == 200
    document = NominationMaterial.objects.get(kind="document").pk
    assert visitor.runtime.handle(visitor.block, "material", Request.blank("/"), str(document)).status_code == 403
    status, answer = staff.call("showcase_take_down", {"id": nomination_id, "taken_down": True})
    assert status == 200
    assert "张桂兰" not in campaign("visitor").render().body_html()
    assert visitor.runtime.handle(visitor.block, "material", Request.blank("/"), str(picture)).status_code == 403
    detail = staff.call("review_detail", {"id": nomination_id})[1]["html"]
    for label in ("Submitted", "Returned for changes", "Resubmitted", "Recognised", "Taken down from the showcase"):
        assert label in detail
    assert "staff" in detail and "alice" in detail


def test_rubric_scores_are_averaged_and_refused_when_out_of_range(campaign):
    alice = campaign("alice")
    nomination_id = ready(alice)
    alice.call("submit_nomination", {"id": nomination_id})
    assert campaign("staff").call("review_score", {"id": nomination_id, "scores": {"story": 8}})[1]["average"] == 80
    status, answer = campaign("staff").call("review_score", {"id": nomination_id, "scores": {"story": 12}})
    assert status == 400 and "story" in answer["fields"]


def test_staff_list_filters_and_shows_organisations_below_minimum(campaign):
    alice = campaign("alice")
    nomination_id = ready(alice)
    alice.call("submit_nomination", {"id": nomination_id})
    staff = campaign("staff")
    html = staff.render().body_html()
    assert "For reviewers" in html and "<svg" in html
    assert "31 of 32 organisations have submitted fewer than 1:" in html and "Beijing: 0 of 1" in html
    assert "Zhejiang: " not in html
    assert "张桂兰" in staff.call("review_list", {"search": "桂兰"})[1]["html"]
    assert "张桂兰" not in staff.call("review_list", {"status": "recognised"})[1]["html"]


def test_exports_list_materials_with_full_phone_and_neutralised_cells(campaign):
    alice = campaign("alice")
    nomination_id = start(alice)
    fill(alice, nomination_id, name="=HYPERLINK(\"http://x\")")
    upload(alice, nomination_id, "document", "推荐表.pdf", PDF)
    alice.call("submit_nomination", {"id": nomination_id})
    staff = campaign("staff")
    status, body = staff.call("export_csv", method="GET")
    text = body.decode("utf-8")
    assert status == 200 and text.startswith("\ufeff")
    assert "'=HYPERLINK" in text and "13800138000" in text and "推荐表.pdf" in text
    status, body = staff.call("export_xlsx", method="GET")
    assert status == 200 and body[:2] == b"PK"
    status, body = staff.call("export_materials", method="GET")
    assert status == 200
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert len(names) == 1 and names[0].startswith("Zhejiang/") and names[0].endswith("推荐表.pdf")


def test_deleting_a_withdrawn_nomination_deletes_its_files(campaign, upload_storage,
                                                           django_capture_on_commit_callbacks):
    alice = campaign("alice")
    nomination_id = ready(alice)
    alice.call("submit_nomination", {"id": nomination_id})
    assert alice.call("delete_nomination", {"id": nomination_id})[0] == 409
    assert alice.call("withdraw_nomination", {"id": nomination_id})[0] == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert alice.call("delete_nomination", {"id": nomination_id})[0] == 200
    assert files_in(upload_storage) == [] and not StoredFile.objects.exists()


# ---- Studio, OLX, mobile, reports -----------------------------------------------------------------------
def test_studio_refuses_bad_settings_and_saves_nothing(campaign):
    staff = campaign("staff")
    status, answer = staff.call("submit_studio_edits", {"values": {
        "closes_at": "2026-10-01 08:00", "quota_min": 9, "required_fields": ["id_card"]}, "defaults": []})
    assert status == 400
    text = json.dumps(answer)
    assert "closing time" in text and "quota" in text and "id_card" in text
    assert staff.fresh().block.quota_min == 1


def test_olx_round_trip_keeps_every_setting(campaign):
    block = campaign("staff").block
    node = etree.Element("root")
    block.add_xml_to_node(node)
    xml = etree.tostring(node[0] if len(node) else node, encoding="unicode")
    assert "rubric" in xml and "2026-12-01 18:00" in xml and "learning_star" in xml


def test_mobile_state_masks_the_phone(campaign):
    alice = campaign("alice")
    ready(alice)
    status, state = alice.call("student_view_user_state", method="GET")
    assert status == 200 and state["phase"] == "open"
    assert state["nominations"][0]["phone"] == "138****8000"
    assert "13800138000" not in json.dumps(state)


def test_report_rows(campaign):
    alice = campaign("alice")
    alice.call("submit_nomination", {"id": ready(alice)})
    rows = dict(campaign("staff").block.generate_report_data(
        iter([XBlockUserState("alice", None, {}, None, None), XBlockUserState("nobody", None, {}, None, None)])))
    assert dict(rows["alice"])["submitted"] == 1 and "nobody" not in rows


def test_queries_per_render_do_not_grow_with_the_data(campaign):
    alice = campaign("alice")
    alice.call("submit_nomination", {"id": ready(alice)})

    def count(user):
        """Our own queries (the workbench's field storage left out)."""
        with CaptureQueriesContext(connection) as queries:
            campaign(user).render()
        return sum(1 for query in queries.captured_queries if "lifelong_xblocks_" in query["sql"])

    learner_before, staff_before = count("alice"), count("staff")
    for _ in range(3):
        upload(alice, start(alice), "image", "x.png", png())
    assert count("alice") == learner_before <= 3
    assert count("staff") == staff_before <= 8


def test_studio_view_offers_a_form_for_the_rubric_and_saves_good_settings(campaign):
    staff = campaign("staff")
    fragment = staff.block.render("studio_view")
    assert "rubric" in fragment.body_html()
    assert any("studio_editors.js" in resource.data for resource in fragment.resources)
    status, answer = staff.call("submit_studio_edits", {"values": {
        "closes_at": "2026-12-15 18:00", "quota_max": 6, "organisations": [["ou-bj", "北京开放大学"]],
        "required_fields": ["name", "story"]}, "defaults": []})
    assert status == 200, answer
    block = staff.fresh().block
    assert block.campaign.organisations == (("ou-bj", "北京开放大学"),)
    assert block.campaign.required == {"name", "story"}


def test_the_learner_view_is_translated(campaign):
    from django.utils import translation  # noqa: PLC0415

    with translation.override("zh-hans"):
        html = campaign("alice").render().body_html()
    assert "我的推荐" in html and "展示区" in html and "开始填写推荐" in html


def test_reviewers_find_nominations_by_any_answer_in_chinese_or_english(campaign):
    alice, staff = campaign("alice"), campaign("staff")
    nomination_id = ready(alice)
    alice.call("submit_nomination", {"id": nomination_id})

    def found(words):
        return "张桂兰" in staff.call("review_list", {"search": words})[1]["html"]

    # story words, occupation, achievements, region and organisation in either language, full-width letters
    for words in ("社区老年大学", "退休职工", "优秀志愿者", "浙江", "Zhejiang", "ＺＨＥＪＩＡＮＧ", "60-69", "alice"):
        assert found(words), words
    assert not found("8000") and not found("四川")          # the phone is not searched
    assert staff.call("review_reassign", {"id": nomination_id, "organisation": "sichuan"})[0] == 200
    assert found("四川") and found("Sichuan")


def test_the_default_organisations_are_the_mainland_units_in_the_readers_language(campaign):
    from django.utils import translation  # noqa: PLC0415

    with translation.override("zh-hans"):
        html = campaign("alice").render().body_html()
    assert ">浙江</option>" in html and ">新疆生产建设兵团</option>" in html
    for outside in ("taiwan", "hong_kong", "macao", "other"):
        assert f'value="{outside}"' not in html
    with translation.override("zh-hans"):
        assert campaign("alice").call("start_nomination", {"organisation": "taiwan"})[0] == 400


def test_a_resubmitted_nomination_no_longer_shows_the_answered_request(campaign):
    alice, staff = campaign("alice"), campaign("staff")
    nomination_id = ready(alice)
    assert "Zhejiang has submitted 0 of at most 2 nominations." in alice.render().body_html()
    alice.call("submit_nomination", {"id": nomination_id})
    staff.call("review_action", {"id": nomination_id, "action": "return", "note": "请补充证书扫描件"})
    page = alice.fresh().render().body_html()
    assert "请补充证书扫描件" in page and "Zhejiang has submitted 1 of at most 2 nominations." in page
    assert alice.call("submit_nomination", {"id": nomination_id})[0] == 200
    assert "请补充证书扫描件" not in alice.fresh().render().body_html()
    assert "请补充证书扫描件" in staff.call("review_detail", {"id": nomination_id})[1]["html"]   # in the history


@pytest.mark.parametrize("contact", ["欢迎联系：139 1234 5678", "电话 0571-88886666", "邮箱 zhang.guilan@example.cn"])
def test_contact_data_is_kept_out_of_answers_that_may_be_published(campaign, contact):
    alice = campaign("alice")
    nomination_id = start(alice)
    before = Nomination.objects.get(pk=nomination_id)
    status, answer = alice.call("save_draft", {"id": nomination_id, "version": before.version,
                                               "answers": {**ANSWERS, "achievements": "社区志愿者。" + contact}})
    assert status == 400 and set(answer["fields"]) == {"achievements"}
    assert "e-mail" in answer["fields"]["achievements"]
    assert Nomination.objects.get(pk=nomination_id).form == before.form
    # The same words are fine in the reviewers' eyes only: nowhere else to put them, so nothing else is refused.
    assert fill(alice, nomination_id, achievements="2025年市级优秀志愿者，服务时长 1300 小时")


def test_reviewers_delete_withdrawn_nominations_but_never_a_nominators_draft(campaign):
    alice, staff = campaign("alice"), campaign("staff")
    draft = start(alice)
    status, answer = staff.call("review_delete", {"id": draft})
    assert status == 409 and Nomination.objects.filter(pk=draft).exists()
    nomination_id = ready(alice)
    alice.call("submit_nomination", {"id": nomination_id})
    alice.call("withdraw_nomination", {"id": nomination_id})
    assert staff.call("review_delete", {"id": nomination_id})[0] == 200
    assert not Nomination.objects.filter(pk=nomination_id).exists()


@pytest.mark.parametrize("bad", [True, 1.9, "²", 10 ** 30])
def test_odd_nomination_ids_are_refused_and_change_nothing(campaign, bad):
    nominator = campaign("office_zj")
    nomination_id = start(nominator)
    fill(nominator, nomination_id)
    for handler in ("submit_nomination", "withdraw_nomination"):
        status, answer = nominator.call(handler, {"id": bad})
        assert status == 400, (handler, bad, answer)
    staff = campaign("staff")
    assert staff.call("review_detail", {"id": bad})[0] == 400
    assert Nomination.objects.get(pk=nomination_id).status == "draft"
