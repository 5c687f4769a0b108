"""The forms of each category: what a draft may hold, what a submission needs, phone and ID numbers."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.nominations import campaign, forms

STORY = "她每天晚上在社区学校学习智能手机，后来教会了三十多位老人使用健康码和视频通话。" * 3


def submission(answers, phone="13800138000", **overrides):
    options = {"materials": ["document"], "consent_publication": True, "consent_portrait": False,
               "has_images": False, **overrides}
    return forms.submission_errors("learning_star", answers, phone, forms.default_required("learning_star"),
                                   **options)


COMPLETE = {"name": "王秀英", "age_band": "60_69", "region": "zhejiang", "occupation": "退休教师", "story": STORY}


@pytest.mark.parametrize("phone", ["13800138000", "+86 138 0013 8000", "138-0013-8000", "0086 19912345678",
                                   "8613800138000"])
def test_mainland_mobile_numbers_are_accepted_in_any_usual_writing(phone):
    assert forms.is_mobile_number(phone)


@pytest.mark.parametrize("phone", ["12800138000", "1380013800", "138001380001", "010-12345678", "abc", ""])
def test_other_numbers_are_not_mobile_numbers(phone):
    assert not forms.is_mobile_number(phone)


def test_phone_is_masked_to_first_three_and_last_four():
    assert forms.mask_phone("13800138000") == "138****8000"
    assert forms.mask_phone("") == ""


@pytest.mark.parametrize("text", ["11010519491231002X", "110105194912310021", "110105491231002",
                                  "身份证 110105 19491231 002x", "110105-1949-1231-0021"])
def test_answers_that_look_like_id_card_numbers_are_refused(text):
    _answers, _phone, errors = forms.clean_answers("learning_star", {"achievements": text})
    assert "ID-card" in errors["achievements"]


def test_a_phone_number_or_a_year_is_not_taken_for_an_id_number():
    _answers, phone, errors = forms.clean_answers("learning_star", {"phone": "13800138000",
                                                                    "achievements": "2019年获奖，服务 2000 小时"})
    assert errors == {} and phone == "13800138000"
    # A phone number in an answer that may be published is refused as contact data, not as an ID number.
    _answers, _phone, errors = forms.clean_answers("learning_star", {"achievements": "电话 13800138000"})
    assert "e-mail" in errors["achievements"] and "ID" not in errors["achievements"]


def test_draft_keeps_partial_answers_but_refuses_unknown_choices_and_overlong_text():
    answers, phone, errors = forms.clean_answers("learning_star", {
        "name": "  王 秀英 ", "gender": "robot", "story": "x" * 3001, "unknown": "dropped"})
    assert answers == {"name": "王 秀英"} and phone is None
    assert set(errors) == {"gender", "story"}


def test_answers_must_be_text():
    _answers, _phone, errors = forms.clean_answers("learning_star", {"name": ["x"], "occupation": True})
    assert set(errors) == {"name", "occupation"}
    with pytest.raises(InvalidInput):
        forms.clean_answers("learning_star", ["not", "an", "object"])


def test_a_complete_learning_star_has_no_submission_errors():
    assert submission(COMPLETE) == {}


def test_submission_lists_every_problem_at_once():
    errors = submission({"name": "王", "story": "太短"}, phone="12345", materials=[], consent_publication=False,
                        has_images=True)
    assert set(errors) == {"age_band", "region", "occupation", "phone", "story", "materials",
                           "consent_publication", "consent_portrait"}
    assert "at least 100" in errors["story"]


def test_portrait_consent_is_needed_only_when_pictures_are_attached():
    assert "consent_portrait" not in submission(COMPLETE, has_images=False)
    assert "consent_portrait" in submission(COMPLETE, has_images=True)
    assert submission(COMPLETE, has_images=True, consent_portrait=True) == {}


def test_activity_case_date_must_be_a_date():
    errors = forms.submission_errors("activity_case", {"date": "next week"}, "", {"date"}, materials=["document"],
                                     consent_publication=True, consent_portrait=False, has_images=False)
    assert set(errors) == {"date"}


@given(st.text(max_size=200))
def test_whatever_is_typed_a_draft_either_stores_it_safely_or_names_the_field(text):
    answers, _phone, errors = forms.clean_answers("brand_project", {"description": text})
    assert ("description" in answers) != ("description" in errors)
    if "description" in answers:
        assert not forms.looks_like_id_number(answers["description"])


def test_default_required_fields_per_category():
    assert forms.default_required("learning_star") == {"name", "age_band", "region", "occupation", "phone", "story",
                                                       "materials"}
    assert "gender" not in forms.default_required("learning_star")
    assert forms.default_required("activity_case") == {"title", "organisation_name", "date", "summary", "results",
                                                       "materials"}


SETTINGS = {"category": "learning_star", "time_zone": "", "opens_at": "2026-11-01 08:00",
            "closes_at": "2026-12-01 18:00", "organisations": [], "quota_min": 3, "quota_max": 5,
            "who_may_nominate": "enrolled", "nominator_usernames": [], "required_fields": [], "rubric": [],
            **{f"{kind}_max_mb": mb for kind, (mb, _n) in campaign.DEFAULT_MATERIAL_LIMITS.items()},
            **{f"{kind}_max_count": n for kind, (_mb, n) in campaign.DEFAULT_MATERIAL_LIMITS.items()}}


def test_default_settings_have_no_problems_and_list_the_provinces():
    assert campaign.problems(SETTINGS) == []
    built = campaign.build("c", "u", SETTINGS)
    codes = [code for code, _label in built.organisations]
    assert "beijing" in codes and "xinjiang" in codes and "other" not in codes
    assert (built.quota_min, built.quota_max) == (3, 5)
    assert set(built.material_rules) == {"document", "image", "video", "teaching"}


@pytest.mark.parametrize("change, words", [
    ({"closes_at": "2026-10-01 08:00"}, "after the opening"),
    ({"opens_at": "tomorrow"}, "Opening time"),
    ({"quota_min": 6}, "quota"),
    ({"who_may_nominate": "listed"}, "username"),
    ({"required_fields": ["id_card"]}, "unknown"),
    ({"organisations": [["a", "A"], ["a", "B"]]}, "Organisations"),
    ({"image_max_count": 50}, "Pictures"),
    ({"video_max_mb": 50}, "STUDENT_FILEUPLOAD_MAX_SIZE"),
    ({"rubric": [{"key": "s", "label": "", "weight": 0}]}, "Rubric criterion 1"),
    ({"time_zone": "Mars/Base"}, "IANA"),
])
def test_bad_settings_are_named(change, words):
    found = " ".join(campaign.problems({**SETTINGS, **change}))
    assert words in found


def test_an_unreadable_closing_time_keeps_the_campaign_closed():
    built = campaign.build("c", "u", {**SETTINGS, "closes_at": "soon"})
    assert built.phase() == "closed"
