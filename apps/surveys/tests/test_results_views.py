"""The results page and the answers export, against the hand-computed survey of world_results."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.surveys.choices import SurveyStatus
from apps.surveys.results import snapshot
from apps.surveys.tests.world_results import results_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(org):
    return results_survey(org.street_a, org.comm_a1, org.comm_a2)


def _get(client, user, survey, **params):
    client.force_login(user)
    return client.get(reverse("surveys:questionnaire_results", args=[survey.pk]), params)


def test_the_page_shows_rates_intervals_and_warnings(client, org, survey):
    response = _get(client, org.leader, survey)
    assert response.status_code == 200
    html = response.content.decode()
    assert "77.8%" in html and "45.3%–93.7%" in html
    assert "66.7%" in html and "35.4%–87.9%" in html
    assert "75.0%" in html and "40.9%–92.9%" in html
    assert "样本量不足：已答 9 / 计划 50" in html
    assert "样本量不足：已答 9 / 计划 40" in html  # 甲一社区
    assert "样本量不足：已答 0 / 计划 10" in html  # 甲二社区: no answers, no rate
    assert 'data-testid="rate-empty"' in html


def test_group_by_age_and_a_refused_group(client, org, survey):
    html = _get(client, org.community, survey, group="age_group").content.decode()
    assert "样本量不足：已答 5 / 计划 20" in html
    assert "计划 4" not in html  # 25–34 met its quota
    bad = _get(client, org.community, survey, group="sql")
    assert bad.status_code == 400
    assert "「分组」的值无效" in bad.content.decode()


def test_a_closed_survey_shows_its_frozen_results(client, org, survey):
    frozen = snapshot(survey)
    frozen["overall"]["n"] = 4242  # marks the snapshot: the page must not recompute
    survey.frozen_results = frozen
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["frozen_results", "status"])
    html = _get(client, org.street, survey).content.decode()
    assert 'data-testid="frozen-note"' in html
    assert ">4242<" in html


def test_the_export_holds_no_device_hash(client, org, survey):
    client.force_login(org.street)
    response = client.get(reverse("surveys:questionnaire_export", args=[survey.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 10  # header + 9 responses
    header = rows[0]
    assert "v1 第1题 吸烟有害健康吗？" in header
    flat = " ".join(str(c) for row in rows for c in row if c is not None)
    assert "results-device" not in flat
    assert "设备" not in " ".join(header) and "调查员" not in " ".join(header)
    first = dict(zip(header, rows[1], strict=True))
    assert first["v1 第2题 病媒生物包括哪些？"] == "老鼠；蚊子"
    assert first["知晓"] == "是"


def test_a_community_reads_the_streets_results_but_takes_no_rows_away(client, org, survey):
    """The street's survey covers every community of the street: a community reads the results
    page (no export link) and is refused the respondents' rows (403)."""
    page = _get(client, org.community, survey)
    assert page.status_code == 200
    assert b'data-testid="export-link"' not in page.content
    assert client.get(reverse("surveys:questionnaire_export", args=[survey.pk])).status_code == 403
    street = _get(client, org.street, survey)
    assert b'data-testid="export-link"' in street.content


def test_rates_are_held_against_the_standards_targets(client, org, survey):
    """The survey's standard sets 知晓率 ≥ 85% (77.8%: 未达标) and 满意率 ≥ 70% (75.0%: 达标);
    behaviour has no indicator."""
    from apps.standards.models import Standard, StandardIndicator, StandardItem, StandardSection, StandardVersion

    standard = Standard.objects.create(code="test-std", name="测试标准")
    version = StandardVersion.objects.create(standard=standard, number=1)
    standard.current_version = version
    standard.save(update_fields=["current_version"])
    section = StandardSection.objects.create(version=version, code="2", name="健康教育")
    item = StandardItem.objects.create(version=version, section=section, code="2.4", text="居民掌握健康知识")
    StandardIndicator.objects.create(item=item, name="知晓率", threshold="85", figure_key="surveys.awareness")
    StandardIndicator.objects.create(item=item, name="满意率", threshold="70", figure_key="surveys.satisfaction")
    survey.standard = standard
    survey.save(update_fields=["standard"])
    response = _get(client, org.street, survey)
    cards = {card["key"]: card for card in response.context["cards"]}
    assert (cards["awareness"]["meets"], cards["satisfaction"]["meets"], cards["behaviour"]["meets"]) == (
        False,
        True,
        None,
    )
    html = response.content.decode()
    assert "目标 85%（测试标准）" in html and "未达标" in html and "达标" in html
