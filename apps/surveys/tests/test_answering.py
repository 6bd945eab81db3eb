"""The answering part: the public page (device window, rate limit, bot stamp, closed survey,
required items), the interviewer's endpoints (idempotent resend, kept version, scope) and the
channels page's counts, all hand-counted."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.core.public import HONEYPOT, form_stamp
from apps.surveys.choices import Channel, QuestionRole, RefusalReason, SurveyStatus
from apps.surveys.models import Option, Question, QuestionnaireVersion, Refusal, Response
from apps.surveys.services.responses import AlreadyAnswered, response_submit

from .world_answering import full_answers, open_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(org):
    return open_survey(org.street_a)


def _url(q):
    return reverse("surveys:answer", args=[q.public_token])


def _post_data(q, chosen=None, **extra):
    chosen = full_answers(q) if chosen is None else chosen
    data = {"stamp": form_stamp(f"survey:{q.pk}")}
    for qid, options in chosen.items():
        data[f"q{qid}"] = [str(o) for o in options]
    data.update(extra)
    return data


def _refusals(q):
    return {r.reason: r.count for r in Refusal.objects.filter(questionnaire=q)}


# The public page ------------------------------------------------------------------------------


def test_a_resident_answers_once_and_a_second_try_from_the_phone_is_refused_and_counted(survey):
    phone = Client()
    page = phone.get(_url(survey))
    assert page.status_code == 200
    assert "吸烟有害健康吗？" in page.content.decode()
    first = phone.post(_url(survey), _post_data(survey))
    assert first.status_code == 302
    assert first["Location"] == reverse("surveys:answer_thanks", args=[survey.public_token])
    stored = Response.objects.get(questionnaire=survey)
    assert stored.channel == Channel.PUBLIC
    assert len(stored.device_hash) == 64
    assert stored.interviewer is None
    # 1 single + 2 of the multiple + 1 scale + 1 age group = 5 answer rows; age group from its code.
    assert stored.answers.count() == 5
    assert stored.age_group == "25-34"
    # Knowledge: 有害 (correct) and 老鼠+蚊子 (both correct) -> 2 of 2; scale 1 < 4: not satisfied.
    assert (stored.knowledge_correct, stored.knowledge_total, stored.aware) == (2, 2, True)
    assert (stored.satisfaction_positive, stored.satisfaction_total) == (0, 1)
    # Opening the link again: told, not counted (nothing was sent).
    again = phone.get(_url(survey))
    assert "您已参与过本次调查" in again.content.decode()
    assert _refusals(survey) == {}
    # Sending again (a page kept open): refused and counted once.
    second = phone.post(_url(survey), _post_data(survey))
    assert second.status_code == 409
    assert "您已参与过本次调查" in second.content.decode()
    assert Response.objects.filter(questionnaire=survey).count() == 1
    assert _refusals(survey) == {RefusalReason.DUPLICATE: 1}
    # Another phone answers.
    assert Client().post(_url(survey), _post_data(survey)).status_code == 302
    assert Response.objects.filter(questionnaire=survey).count() == 2


def test_the_device_window_ends(survey):
    phone = Client()
    phone.post(_url(survey), _post_data(survey))
    Response.objects.filter(questionnaire=survey).update(
        answered_at=timezone.now() - timedelta(hours=survey.device_window_hours, minutes=1)
    )
    assert phone.post(_url(survey), _post_data(survey)).status_code == 302
    assert Response.objects.filter(questionnaire=survey).count() == 2


def test_required_items_are_asked_for_in_the_page_and_nothing_is_saved(survey):
    chosen = full_answers(survey)
    first, *_rest, last = list(chosen)
    del chosen[first]
    del chosen[last]
    response = Client().post(_url(survey), _post_data(survey, chosen))
    assert response.status_code == 400
    text = response.content.decode()
    assert "请回答第1题。" in text and "请回答第4题。" in text
    # What was chosen stays chosen.
    kept = chosen[next(iter(chosen))][0]
    assert f'value="{kept}" checked' in text
    assert not Response.objects.exists()
    assert _refusals(survey) == {}


def test_two_answers_to_a_single_choice_item_are_refused_in_the_page(survey):
    chosen = full_answers(survey)
    single = survey.current_version.questions.get(sort=1)
    chosen[single.pk] = list(single.options.values_list("pk", flat=True))
    response = Client().post(_url(survey), _post_data(survey, chosen))
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_an_option_of_another_question_is_refused(survey):
    chosen = full_answers(survey)
    first, second = list(chosen)[:2]
    chosen[first] = [chosen[second][0]]
    response = Client().post(_url(survey), _post_data(survey, chosen))
    assert response.status_code == 400
    assert "第1题的选项无效" in response.content.decode()
    assert not Response.objects.exists()


def test_bots_are_refused_and_counted(survey):
    honeypot = Client().post(_url(survey), _post_data(survey, **{HONEYPOT: "http://spam"}))
    forged = Client().post(_url(survey), _post_data(survey, stamp="not-a-stamp"))
    missing = Client().post(_url(survey), {k: v for k, v in _post_data(survey).items() if k != "stamp"})
    other_survey = Client().post(_url(survey), _post_data(survey, stamp=form_stamp("survey:0")))
    assert [r.status_code for r in (honeypot, forged, missing, other_survey)] == [400, 400, 400, 400]
    assert not Response.objects.exists()
    assert _refusals(survey) == {RefusalReason.BOT: 4}


def test_a_stamp_sent_too_fast_is_a_bot(survey, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 60
    assert Client().post(_url(survey), _post_data(survey)).status_code == 400
    assert _refusals(survey) == {RefusalReason.BOT: 1}


def test_a_flood_from_one_address_is_refused_and_counted(survey, settings):
    settings.SURVEY_ANSWERS_PER_HOUR = 3
    # Seven phones behind one address (a new cookie each): 3 stored, 4 refused.
    statuses = [Client().post(_url(survey), _post_data(survey)).status_code for _ in range(7)]
    assert statuses == [302, 302, 302, 429, 429, 429, 429]
    assert Response.objects.filter(questionnaire=survey).count() == 3
    assert _refusals(survey) == {RefusalReason.RATE: 4}
    # Another address still answers.
    assert Client(REMOTE_ADDR="10.0.0.9").post(_url(survey), _post_data(survey)).status_code == 302


def test_a_closed_survey_says_so_and_counts_a_late_answer(survey):
    phone = Client()
    phone.get(_url(survey))
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status"])
    assert "本次调查已结束" in phone.get(_url(survey)).content.decode()
    late = phone.post(_url(survey), _post_data(survey))
    assert late.status_code == 409
    assert "调查已结束，答卷未被接收" in late.content.decode()
    assert not Response.objects.exists()
    assert _refusals(survey) == {RefusalReason.CLOSED: 1}


def test_a_draft_survey_is_not_answered(survey):
    survey.status = SurveyStatus.DRAFT
    survey.save(update_fields=["status"])
    page = Client().get(_url(survey))
    assert "调查尚未开始" in page.content.decode()
    assert 'data-testid="answer-form"' not in page.content.decode()


def test_a_survey_without_public_answering_or_an_unknown_token_is_404(survey):
    assert Client().get(reverse("surveys:answer", args=["nope"])).status_code == 404
    survey.public_enabled = False
    survey.save(update_fields=["public_enabled"])
    assert Client().get(_url(survey)).status_code == 404


def test_the_page_stores_no_personal_data_and_the_thanks_page_shows_no_answers(survey):
    phone = Client()
    response = phone.post(_url(survey), _post_data(survey), follow=True)
    text = response.content.decode()
    assert "提交成功" in text
    assert "有害" not in text and "老鼠" not in text
    stored = Response.objects.get()
    assert stored.interviewer is None and stored.client_uuid is None
    # The stored device hash is not the cookie's value.
    assert all(stored.device_hash not in c.value for c in phone.cookies.values())


def test_response_submit_refuses_a_device_inside_its_window(survey):
    since = timezone.now() - timedelta(hours=1)
    kwargs = {"questionnaire": survey, "chosen": full_answers(survey), "channel": Channel.PUBLIC}
    response_submit(**kwargs, device_hash="a" * 64, device_since=since)
    with pytest.raises(AlreadyAnswered):
        response_submit(**kwargs, device_hash="a" * 64, device_since=since)
    response_submit(**kwargs, device_hash="b" * 64, device_since=since)
    assert Response.objects.count() == 2


# The interviewer ------------------------------------------------------------------------------


def _submit(client, q, *, client_uuid=None, version=None, answers=None):
    body = {
        "client_uuid": client_uuid or str(uuid.uuid4()),
        "version": version or q.current_version_id,
        "answers": {str(k): v for k, v in (answers or full_answers(q)).items()},
    }
    return client.post(
        reverse("surveys:interview_submit", args=[q.pk]), json.dumps(body), content_type="application/json"
    )


def test_a_grid_worker_interviews_for_the_street_and_a_resend_is_stored_once(client, org, survey):
    client.force_login(org.grid)
    key = str(uuid.uuid4())
    first = _submit(client, survey, client_uuid=key)
    assert first.status_code == 200
    assert first.json()["created"] is True and first.json()["count"] == 1
    again = _submit(client, survey, client_uuid=key)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["created"] is False
    stored = Response.objects.get()
    assert (stored.channel, stored.interviewer, str(stored.client_uuid)) == (Channel.INTERVIEW, org.grid, key)
    # No community item: counted for the grid's community (幸福网格 < 幸福小区 < 甲一社区).
    assert stored.community == org.comm_a1


def test_a_street_interviewer_answer_has_no_community(client, org, survey):
    client.force_login(org.street)
    assert _submit(client, survey).status_code == 200
    assert Response.objects.get().community is None


def test_the_form_payload_carries_the_version_and_no_correct_answers(client, org, survey):
    client.force_login(org.grid)
    data = client.get(reverse("surveys:interview_form", args=[survey.pk])).json()
    assert data["version"] == survey.current_version_id
    assert [len(q["options"]) for q in data["questions"]] == [2, 3, 5, 2]
    assert [q["kind"] for q in data["questions"]] == ["single", "multiple", "scale", "single"]
    assert "is_correct" not in json.dumps(data) and "score" not in json.dumps(data)


def test_an_answer_to_a_previous_version_is_kept_for_it_while_open(client, org, survey):
    old = survey.current_version
    answers = full_answers(survey)
    new = QuestionnaireVersion.objects.create(questionnaire=survey, number=2)
    q = Question.objects.create(version=new, sort=1, text="新题", role=QuestionRole.GENERAL)
    Option.objects.create(question=q, text="是")
    survey.current_version = new
    survey.save(update_fields=["current_version"])
    client.force_login(org.community)
    response = _submit(client, survey, version=old.pk, answers=answers)
    assert response.status_code == 200
    assert Response.objects.get().version == old


def test_a_late_interview_answer_is_refused_with_a_message(client, org, survey):
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status"])
    client.force_login(org.grid)
    response = _submit(client, survey)
    assert response.status_code == 409
    assert response.json()["error"] == "调查已结束，不再接收答卷。"
    assert not Response.objects.exists()


def test_wrong_scope_and_wrong_role_and_bad_bodies(client, org, survey):
    client.force_login(org.community_b)  # another street's community
    assert _submit(client, survey).status_code == 404
    client.force_login(org.leader)  # reads the survey, does not interview
    assert _submit(client, survey).status_code == 403
    client.force_login(org.grid)
    url = reverse("surveys:interview_submit", args=[survey.pk])
    assert client.post(url, "{bad", content_type="application/json").status_code == 400
    assert _submit(client, survey, client_uuid="not-a-uuid").status_code == 400
    assert _submit(client, survey, version=999999).status_code == 400
    # Numbers no id can be: past the database's integer range, JSON's Infinity and NaN.
    assert _submit(client, survey, version=10**30).status_code == 400
    assert (
        client.post(url, '{"client_uuid": "x", "version": Infinity, "answers": {}}', "application/json").status_code
        == 400
    )
    huge = {q: [10**30] for q in full_answers(survey)}
    assert _submit(client, survey, answers=huge).status_code == 400
    missing = {k: v for k, v in full_answers(survey).items()}
    missing.pop(next(iter(missing)))
    refused = _submit(client, survey, answers=missing)
    assert refused.status_code == 400 and refused.json()["error"] == "请回答第1题。"
    assert not Response.objects.exists()


# The channels page ----------------------------------------------------------------------------


def test_the_channels_page_counts_answers_by_channel_and_refusals(client, org, survey, settings):
    Client().post(_url(survey), _post_data(survey))
    Client().post(_url(survey), _post_data(survey))
    Client().post(_url(survey), _post_data(survey, **{HONEYPOT: "x"}))
    client.force_login(org.grid)
    _submit(client, survey)
    client.force_login(org.community)  # the street's survey, seen from a community
    page = client.get(reverse("surveys:questionnaire_channels", args=[survey.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and survey.public_token in text
    counts = [c for c in page.context["channels"]]
    assert counts == [("扫码自填", 2), ("入户/拦截访问", 1)]
    refusals = page.context["refusals"]
    assert refusals["total"] == 1
    assert refusals["totals"] == [0, 0, 1, 0]  # duplicate, rate, bot, closed
    assert reverse("surveys:interview", args=[survey.pk]) in text


def test_the_qr_code_png_and_the_poster(client, org, survey):
    client.force_login(org.street)
    png = client.get(reverse("surveys:questionnaire_qr", args=[survey.pk]))
    assert png["Content-Type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    poster = client.get(reverse("surveys:questionnaire_poster", args=[survey.pk])).content.decode()
    assert survey.title in poster and "为了解居民健康知识知晓情况" in poster and "<svg" in poster


def test_a_leader_sees_the_channels_without_the_interviewer_link(client, org, survey):
    client.force_login(org.leader)
    page = client.get(reverse("surveys:questionnaire_channels", args=[survey.pk])).content.decode()
    assert reverse("surveys:interview", args=[survey.pk]) not in page
