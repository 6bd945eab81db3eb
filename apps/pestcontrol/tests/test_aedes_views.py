"""The Aedes pages: the week's BI table with the grade and the risk, the map JSON, the phone
page's save endpoint (multipart, replay, refusals as JSON), submission, the survey page, the
trend, the setting; the home widget."""

import json
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.cases.categories import ensure_categories
from apps.cases.tests.conftest import jpeg
from apps.pestcontrol.choices import SurveyStatus
from apps.pestcontrol.models import ControlStandard, ControlThreshold, ControlVersion, HouseholdVisit
from apps.pestcontrol.services import aedes as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(org):
    return services.household_survey_open(actor=org.grid, jurisdiction=org.grid_a1, surveyed_on=date.today())


def _save(client, survey, photo=None, **body):
    body.setdefault("client_id", str(uuid.uuid4()))
    body.setdefault("address", "1号")
    data = {"data": json.dumps(body)}
    if photo is not None:
        data["photo"] = photo
    return client.post(reverse("pestcontrol:aedes_visit_save", args=[survey.pk]), data)


def test_open_a_survey_from_the_page(client, org):
    client.force_login(org.grid)
    page = client.get(reverse("pestcontrol:aedes_survey_new"))
    assert page.status_code == 200
    response = client.post(
        reverse("pestcontrol:aedes_survey_new"), {"jurisdiction": org.grid_a1.pk, "surveyed_on": date.today()}
    )
    assert response.status_code == 302
    fill = client.get(response.url)
    assert fill.status_code == 200 and "outbox.js" in fill.content.decode()


def test_save_replay_and_refusals_answer_json(client, org, survey, settings, tmp_path):
    ensure_categories()
    client.force_login(org.grid)
    key = str(uuid.uuid4())
    first = _save(
        client, survey, client_id=key, containers={"jar": {"wet": 2, "positive": 1}}, lat="31.4671", lng="104.6831"
    )
    assert first.status_code == 200 and first.json()["created"]
    assert first.json()["counts"]["households"] == 1 and first.json()["breteau_index"] == "100.00"
    again = _save(client, survey, client_id=key, containers={"jar": {"wet": 2, "positive": 1}})
    assert again.status_code == 200 and not again.json()["created"]
    bad = _save(client, survey, containers={"jar": {"wet": 1, "positive": 2}})
    assert bad.status_code == 400 and "不能大于积水容器数" in bad.json()["error"]
    garbage = client.post(reverse("pestcontrol:aedes_visit_save", args=[survey.pk]), {"data": "{"})
    assert garbage.status_code == 400
    with_photo = _save(client, survey, containers={"tyre": {"wet": 1, "positive": 1}}, photo=jpeg())
    assert with_photo.json()["case"].startswith("AJ")
    assert HouseholdVisit.objects.filter(survey=survey).count() == 2


def test_submit_freezes_and_the_community_sees_bi_grade_and_map(client, org, survey):
    standard = ControlStandard.objects.get_or_create(pest="mosquito", defaults={"code": "GB/T 27771", "title": "蚊"})[0]
    # Later than the shipped example versions, so this one is in force.
    version = ControlVersion.objects.create(standard=standard, label="示例", effective_from=date(2020, 1, 1))
    for level, limit in (("A", 3), ("B", 5), ("C", 20)):
        ControlThreshold.objects.create(version=version, index="breteau_index", level=level, limit=Decimal(limit))
    client.force_login(org.grid)
    for i in range(10):
        _save(
            client,
            survey,
            address=f"{i}号",
            containers={"jar": {"wet": 1, "positive": 1 if i < 1 else 0}},
            lat="31.4671",
            lng="104.6831",
        )
    response = client.post(reverse("pestcontrol:aedes_survey_submit", args=[survey.pk]), {"version": survey.version})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SUBMITTED
    assert _save(client, survey).status_code == 409
    client.force_login(org.community)
    home = client.get(reverse("pestcontrol:aedes_home")).content.decode()
    assert "10.00" in home and "C级" in home and "高风险" in home and "示例值" in home
    points = client.get(reverse("pestcontrol:aedes_map_data")).json()["points"]
    assert len(points) == 10 and sum(1 for p in points if p["positive"]) == 1
    detail = client.get(reverse("pestcontrol:aedes_survey", args=[survey.pk])).content.decode()
    assert "样本量不足" in detail
    trend = client.get(reverse("pestcontrol:aedes_trend", args=[org.comm_a1.pk]))
    assert trend.status_code == 200 and trend.context["points"][-1]["bi"] == 10.0
    client.force_login(org.community_other)
    assert client.get(reverse("pestcontrol:aedes_map_data")).json()["points"] == []


def test_the_setting_page(client, org):
    client.force_login(org.office)
    page = client.get(reverse("pestcontrol:aedes_setting"))
    assert page.status_code == 200 and "示例值" in page.content.decode()
    response = client.post(
        reverse("pestcontrol:aedes_setting"),
        {"medium_from": "4", "high_from": "3", "severe_from": "20", "alert_level": "medium", "version": 1},
    )
    assert response.status_code == 200  # refused, with the form again
    response = client.post(
        reverse("pestcontrol:aedes_setting"),
        {"medium_from": "4", "high_from": "9", "severe_from": "20", "alert_level": "high", "version": 1},
    )
    assert response.status_code == 302
    assert services.aedes_setting().medium_from == Decimal("4")
    client.force_login(org.street)
    assert client.post(reverse("pestcontrol:aedes_setting"), {"medium_from": "1"}).status_code == 403


def test_the_home_widget(client, org, survey):
    client.force_login(org.community)
    services.visit_record(
        actor=org.grid,
        survey=survey,
        client_id=uuid.uuid4(),
        address="1号",
        containers={"jar": {"wet": 1, "positive": 1}},
    )
    home = client.get("/").content.decode()
    assert 'data-widget="pestcontrol.aedes_week"' in home and "甲一社区" in home


@pytest.mark.parametrize(
    "body",
    [
        {"containers": {"jar": 5}},
        {"containers": {"jar": [1, 2]}},
        {"containers": {"jar": {"wet": 1}}, "lat": "NaN", "lng": "NaN"},
        {"containers": {"jar": {"wet": {"x": 1}}}},
    ],
)
def test_malformed_bodies_answer_400_with_a_message(client, org, survey, body):
    client.force_login(org.grid)
    response = _save(client, survey, **body)
    assert response.status_code == 400 and response.json()["error"]
    assert not HouseholdVisit.objects.filter(survey=survey).exists()


def test_a_bad_version_on_submit_is_a_400_page(client, org, survey):
    client.force_login(org.grid)
    _save(client, survey, containers={"jar": {"wet": 1}})
    response = client.post(reverse("pestcontrol:aedes_survey_submit", args=[survey.pk]), {"version": "abc"})
    assert response.status_code == 400 and "提交的数据格式不正确" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN


def test_a_failing_case_step_answers_the_saved_visit_not_a_500(client, org, survey, monkeypatch):
    from django.core.exceptions import ValidationError

    from apps.pestcontrol.services import case_link

    ensure_categories()

    def fail(**kwargs):
        raise ValidationError("bad case")

    monkeypatch.setattr(case_link, "case_report", fail)
    client.force_login(org.grid)
    response = _save(client, survey, containers={"tyre": {"wet": 1, "positive": 1}}, photo=jpeg())
    assert response.status_code == 200 and response.json()["case"] == ""
    visit = HouseholdVisit.objects.get(survey=survey)
    retry = client.post(reverse("pestcontrol:aedes_visit_case", args=[visit.pk]))
    assert retry.status_code == 302
    visit.refresh_from_db()
    assert visit.case is None


def test_the_aedes_pages_label_their_grade_as_the_breteau_index_grade(client, org, survey):
    client.force_login(org.grid)
    _save(client, survey, containers={"jar": {"wet": 2, "positive": 1, "treated": 1}, "tyre": {"wet": 1}})
    home = client.get(reverse("pestcontrol:aedes_home")).content.decode()
    assert "布雷图指数级别" in home
    detail = client.get(reverse("pestcontrol:aedes_survey", args=[survey.pk])).content.decode()
    assert "布雷图指数级别" in detail and "积水容器" in detail
