"""Submitting a recitation through the block's handler: what is accepted, what is refused (and
leaves nothing behind), replacement, consent and completion."""
import pytest

from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.models.recitation import Recitation
from test_recitation_support import (OLX, recitation_of, stored_files, submit, upload_storage_fixture,  # noqa: F401
                                     wav_bytes)

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
LIMIT = 200_000   # max_size_mb='0.2' in decimal megabytes, as Open edX counts them


def test_a_real_recording_is_accepted_stored_and_completes_the_block(scenario, upload_storage):
    learner = scenario(OLX)("student_1")
    status, answer = submit(learner, wav_bytes(3), name="我的朗读.wav")
    assert status == 200, answer
    assert answer["submitted"] and answer["content_type"] == "audio/wav" and answer["duration"] == 3.0
    assert learner.events("completion") == [{"completion": 1.0}]
    stored = StoredFile.objects.get()
    assert stored.purpose == "recitation" and stored.original_name == "我的朗读.wav"
    assert "我的朗读" not in stored.storage_name, "the server names the stored file"
    assert stored_files(upload_storage) == [stored.storage_name]
    assert learner.fresh().block.learner_record["submitted"] is True


@pytest.mark.parametrize("data, name", [(SVG, "reading.mp3"), (HTML, "reading.mp3"), (HTML, "reading.wav"),
                                        (b"MZ\x90\x00" + b"\x00" * 400, "reading.m4a")])
def test_markup_or_other_files_renamed_as_audio_are_refused_and_nothing_is_stored(scenario, upload_storage,
                                                                                   data, name):
    learner = scenario(OLX)("student_1")
    status, answer = submit(learner, data, name=name)
    assert status == 400 and "not accepted" in answer["error"]
    assert not StoredFile.objects.exists() and not Recitation.objects.exists()
    assert stored_files(upload_storage) == []
    assert learner.events("completion") == []


def test_exactly_the_limit_is_accepted_and_one_byte_over_is_refused_with_a_clear_message(scenario,
                                                                                          upload_storage):
    as_user = scenario(OLX.replace("max_seconds='30'", "max_seconds='60'"))
    status, answer = submit(as_user("student_1"), wav_bytes(total_size=LIMIT + 1))
    assert status == 400 and "larger than" in answer["error"]
    assert not StoredFile.objects.exists() and stored_files(upload_storage) == []
    assert submit(as_user("student_2"), wav_bytes(total_size=LIMIT))[0] == 200


def test_a_recording_longer_than_the_limit_is_refused(scenario, upload_storage):
    learner = scenario(OLX.replace("max_size_mb='0.2'", "max_size_mb='1'"))("student_1")
    status, answer = submit(learner, wav_bytes(31))
    assert status == 400 and "too long" in answer["error"] and "30" in answer["error"]
    assert not StoredFile.objects.exists() and stored_files(upload_storage) == []


def test_a_request_without_a_file_is_refused(scenario, upload_storage):
    learner = scenario(OLX)("student_1")
    from webob import Request
    response = learner.runtime.handle(learner.block, "submit_recording", Request.blank("/", POST={"consent": "1"}))
    assert response.status_code == 400
    assert learner.call("submit_recording", method="GET")[0] == 400
    assert not Recitation.objects.exists()


def test_resubmitting_replaces_the_recording_and_keeps_exactly_one(scenario, upload_storage,
                                                                  django_capture_on_commit_callbacks):
    learner = scenario(OLX)("student_1")
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(learner, wav_bytes(2))[0] == 200
        first = recitation_of("student_1").recording
        status, answer = submit(learner.fresh(), wav_bytes(4))
    assert status == 200 and answer["duration"] == 4.0 and answer["submissions"] == 2
    recitation = recitation_of("student_1")
    assert StoredFile.objects.count() == 1 and recitation.recording_id != first.pk
    assert stored_files(upload_storage) == [recitation.recording.storage_name]


def test_a_refused_resubmission_keeps_the_previous_recording(scenario, upload_storage):
    learner = scenario(OLX)("student_1")
    submit(learner, wav_bytes(2))
    before = stored_files(upload_storage)
    status, _answer = submit(learner.fresh(), SVG, name="new.mp3")
    assert status == 400
    recitation = recitation_of("student_1")
    assert recitation.submissions == 1 and recitation.recording.duration == 2.0
    assert stored_files(upload_storage) == before and StoredFile.objects.count() == 1


def test_a_new_recording_leaves_the_gallery_until_featured_again(scenario, upload_storage):
    as_user = scenario(OLX)
    submit(as_user("student_1"), wav_bytes(2))
    pk = recitation_of("student_1").pk
    as_user("staff").call("moderate", {"recitation": pk, "action": "feature"})
    assert recitation_of("student_1").in_gallery
    submit(as_user("student_1"), wav_bytes(3))
    assert not recitation_of("student_1").in_gallery


def test_consent_is_asked_at_submission_and_can_be_withdrawn(scenario, upload_storage):
    learner = scenario(OLX)("student_1")
    assert learner.call("set_consent", {"consent": True})[0] == 409, "nothing to consent for yet"
    submit(learner, wav_bytes(), consent="0")
    assert recitation_of("student_1").gallery_consent is False
    status, answer = learner.call("set_consent", {"consent": True})
    assert status == 200 and answer["consent"] is True
    assert learner.call("set_consent", {"consent": "yes"})[0] == 400
    status, answer = learner.call("set_consent", {"consent": False})
    assert status == 200 and recitation_of("student_1").gallery_consent is False
    assert submit(learner, wav_bytes(), consent="maybe")[0] == 400


def test_anonymous_visitors_cannot_submit(scenario, upload_storage):
    anonymous = scenario(OLX)("none")
    assert submit(anonymous, wav_bytes())[0] == 403
    assert not StoredFile.objects.exists()


def test_the_learner_state_for_mobile_reports_the_submission(scenario, upload_storage):
    learner = scenario(OLX)("student_1")
    status, state = learner.call("student_view_user_state", method="GET")
    assert status == 200 and state["submitted"] is False and state["recording_url"] is None
    submit(learner, wav_bytes(2))
    status, state = learner.fresh().call("student_view_user_state", method="GET")
    assert state["submitted"] and state["duration"] == 2.0 and state["consent"] is True
    assert "/recording/" in state["recording_url"]


def test_the_answer_brings_the_learners_part_rerendered_so_the_page_need_not_reload(scenario, upload_storage):
    learner = scenario(OLX)("student_1")
    first_page = learner.render().body_html()
    assert "data-ll-learner" in first_page and "data-ll-own-audio" not in first_page
    status, answer = submit(learner, wav_bytes(3), name="<img src=x onerror=alert(1)>.wav", consent="1")
    assert status == 200 and answer["message"] == "Your recording was submitted."
    panel = answer["panel_html"]
    assert "data-ll-own-audio" in panel and answer["recording_url"].replace("&", "&amp;") in panel
    assert "3.0 s" in panel and "data-ll-consent-now" in panel and "checked" in panel
    assert "Record a new version" in panel and "<img" not in panel
    assert panel.count("Staff may show my recording") == 1, "one consent box once submitted, not two"
