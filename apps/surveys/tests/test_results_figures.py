"""Figures, evidence and the home panel of survey results (the world_results survey: 知晓率
7 / 9 = 77.8% [45.3%, 93.7%], plan 50)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from apps.core.evidence import EvidenceQuery, figures
from apps.surveys.choices import SurveyStatus
from apps.surveys.evidence.results import result_records
from apps.surveys.results import snapshot
from apps.surveys.tests.world_results import results_survey
from apps.surveys.widgets.results import open_surveys

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(org):
    return results_survey(org.street_a, org.comm_a1, org.comm_a2)


def _close(survey, when):
    survey.frozen_results = snapshot(survey)
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = when
    survey.save(update_fields=["frozen_results", "status", "closed_at"])


def test_a_community_reads_its_streets_open_survey(survey, org):
    value = figures()["surveys.awareness"].compute(org.comm_a1.path, None, None)
    assert (value.value, value.numerator, value.denominator) == (Decimal("77.8"), 7, 9)
    assert "n = 9" in value.note and "45.3%–93.7%" in value.note and "调查进行中" in value.note
    satisfaction = figures()["surveys.satisfaction"].compute(org.comm_a1.path, None, None)
    assert (satisfaction.value, satisfaction.denominator) == (Decimal("75.0"), 8)


def test_the_latest_closed_survey_wins_and_other_streets_get_none(survey, org):
    closed = timezone.now() - timedelta(days=1)
    _close(survey, closed)
    results_survey(org.street_a, org.comm_a1, org.comm_a2, title="第二轮", answers=False)  # open, no answers
    value = figures()["surveys.behaviour"].compute(org.street_a.path, None, None)
    assert value.value == Decimal("66.7") and "结束于" in value.note
    assert figures()["surveys.behaviour"].compute(org.street_b.path, None, None).value is None
    # A period ending before the close: the open second round (no answers) → None.
    before = figures()["surveys.behaviour"].compute(org.street_a.path, None, (closed - timedelta(days=2)).date())
    assert before.value is None


def test_evidence_lists_closed_surveys_with_their_rates(survey, org):
    assert list(result_records(EvidenceQuery(jurisdiction_path=org.street_a.path))) == []
    _close(survey, timezone.now())
    (record,) = list(result_records(EvidenceQuery(jurisdiction_path=org.district.path)))
    assert record.title == survey.title
    assert record.summary == "n = 9；知晓率 77.8%，健康行为形成率 66.7%，满意率 75.0%"


def test_the_home_panel_shows_open_surveys_against_the_plan(survey, org):
    request = RequestFactory().get("/")
    request.user = org.street
    (row,) = open_surveys(request)["rows"]
    assert (row["answers"], row["planned"], row["percent"]) == (9, 50, 18)
    request.user = org.street_other
    assert open_surveys(request) is None
