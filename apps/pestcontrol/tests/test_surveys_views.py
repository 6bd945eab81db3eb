"""Pages, the API, the .xlsx export and the figures of 病媒生物监测."""

import io
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.evidence import EvidenceQuery, figures, sources
from apps.pestcontrol import builtin_levels
from apps.pestcontrol.models import ControlVersion, PestCampaign, Survey
from apps.pestcontrol.services.surveys import survey_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def levels():
    builtin_levels.ensure()


def powder(org, valid, positive, jurisdiction=None, actor=None, **extra):
    return survey_create(
        actor=actor or org.community,
        method="rat_powder",
        jurisdiction=jurisdiction or org.comm_a1,
        place_type=extra.pop("place_type", "residential"),
        surveyed_on=extra.pop("surveyed_on", timezone.localdate() - timedelta(days=1)),
        counts={"patches_valid": valid, "patches_positive": positive},
        **extra,
    )


def test_inspector_records_a_survey_from_raw_counts(client, org):
    client.force_login(org.inspector)
    assert "method-rat_powder" in client.get(reverse("pestcontrol:survey_create")).content.decode()
    form = client.get(reverse("pestcontrol:survey_create") + "?method=rat_powder").content.decode()
    assert "c_patches_valid" in form and "rat_powder_rate" not in form
    response = client.post(
        reverse("pestcontrol:survey_create"),
        {
            "method": "rat_powder",
            "jurisdiction": org.comm_a1.pk,
            "place_type": "catering",
            "place_name": "美食街",
            "surveyed_on": timezone.localdate().isoformat(),
            "c_patches_valid": "120",
            "c_patches_positive": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "2.50" in page and 'data-grade="fail"' in page  # catering C ≤ 2 (example values)
    assert "示例值" in page and survey.counts == {"patches_valid": 120, "patches_positive": 3}


def test_positive_above_inspected_is_a_message_not_500(client, org):
    client.force_login(org.community)
    response = client.post(
        reverse("pestcontrol:survey_create"),
        {
            "method": "rat_powder",
            "jurisdiction": org.comm_a1.pk,
            "place_type": "residential",
            "surveyed_on": timezone.localdate().isoformat(),
            "c_patches_valid": "10",
            "c_patches_positive": "12",
        },
    )
    assert response.status_code == 400 and "不能大于" in response.content.decode()
    assert not Survey.objects.exists()
    assert client.get(reverse("pestcontrol:survey_create") + "?method=mosquito_household").status_code == 404
    assert client.get(reverse("pestcontrol:survey_list") + "?start=yesterday").status_code == 400
    assert client.get(reverse("pestcontrol:survey_list") + "?method=nope").status_code == 400
    assert client.get(reverse("pestcontrol:grades") + "?jurisdiction=999999").status_code == 400
    assert client.get(reverse("pestcontrol:grades") + "?period=week").status_code == 400


def test_list_flags_below_minimum_and_exports(client, org):
    small = powder(org, 60, 1)
    powder(org, 150, 1)
    client.force_login(org.street)
    page = client.get(reverse("pestcontrol:survey_list")).content.decode()
    assert page.count('data-testid="below-minimum"') == 1 and f"survey-row-{small.pk}" in page
    detail = client.get(reverse("pestcontrol:survey_detail", args=[small.pk])).content.decode()
    assert "样本量不足" in detail
    response = client.get(reverse("pestcontrol:survey_list") + "?below=1&export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    values = [str(c.value) for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row]
    assert "粉迹阳性率 1.67%" in " ".join(values) and "是" in values and str(small.pk) in values


def test_survey_edit_page_corrects_counts(client, org):
    survey = powder(org, 100, 2)
    client.force_login(org.community)
    url = reverse("pestcontrol:survey_edit", args=[survey.pk])
    assert client.get(url).status_code == 200
    data = {
        "place_type": "residential",
        "surveyed_on": survey.surveyed_on.isoformat(),
        "c_patches_valid": "100",
        "c_patches_positive": "1",
        "version": survey.version,
    }
    assert client.post(url, data).status_code == 302
    assert Survey.objects.get().indices()["rat_powder_rate"] == D("1.00")
    stale = client.post(url, {**data, "c_patches_positive": "5"})
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()


def test_method_settings_page(client, org):
    client.force_login(org.office)
    response = client.post(reverse("pestcontrol:method_settings"), {"method": "rat_powder", "min_sample": "50"})
    assert response.status_code == 302
    assert 'value="50"' in client.get(reverse("pestcontrol:method_settings")).content.decode()
    client.force_login(org.street)
    assert (
        client.post(reverse("pestcontrol:method_settings"), {"method": "rat_powder", "min_sample": "5"}).status_code
        == 403
    )


def test_levels_pages_badge_examples_and_a_used_version_makes_a_new_one(client, org):
    rat = ControlVersion.objects.get(standard__pest="rat")
    powder(org, 100, 2)
    client.force_login(org.office)
    assert "示例值" in client.get(reverse("pestcontrol:standard_list")).content.decode()
    detail = client.get(reverse("pestcontrol:version_detail", args=[rat.pk])).content.decode()
    assert "示例值" in detail and "limit-rat_powder_rate-catering" in detail
    url = reverse("pestcontrol:version_edit", args=[rat.pk])
    form = client.get(url).content.decode()
    assert "makes-new-version" in form
    data = {"t__rat_powder_rate__all__A": "2", "t__rat_powder_rate__all__B": "3", "t__rat_powder_rate__all__C": "5"}
    for index, place_type, a, b, c in [
        ("rat_room_rate", "all", "1", "3", "5"),
        ("rat_room_rate", "catering", "0.5", "1", "2"),
        ("rat_path_index", "all", "1", "3", "5"),
        ("rat_proofing_rate", "all", "98", "95", "90"),
        ("rat_proofing_rate", "catering", "99", "97", "95"),
        ("rat_powder_rate", "catering", "0.5", "1", "2"),
    ]:
        data.update(
            {f"t__{index}__{place_type}__A": a, f"t__{index}__{place_type}__B": b, f"t__{index}__{place_type}__C": c}
        )
    data.update({"is_example": "on", "version": rat.version})
    refused = client.post(url, data)
    assert refused.status_code == 400 and "实施日期" in refused.content.decode()
    data["effective_from"] = (timezone.localdate() - timedelta(days=5)).isoformat()
    response = client.post(url, data)
    assert response.status_code == 302
    assert ControlVersion.objects.filter(standard__pest="rat").count() == 2


def test_grade_page_is_a_handful_of_queries(client, org):
    for n in range(30):
        powder(org, 100, n % 7, jurisdiction=[org.comm_a1, org.comm_a2][n % 2], actor=org.street)
    client.force_login(org.office)
    url = reverse("pestcontrol:grades") + f"?jurisdiction={org.street_a.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    powder(org, 100, 1, actor=org.street)
    for _n in range(30):
        powder(org, 100, 1, jurisdiction=org.comm_a2, actor=org.street, place_type="catering")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert page.status_code == 200 and len(many) == len(few) and len(few) < 25, len(few)
    html = page.content.decode()
    assert f'grade-row-{org.comm_a1.pk}"' in html and f"?jurisdiction={org.comm_a1.pk}" in html
    assert client.get(reverse("pestcontrol:grades") + "?period=month").status_code == 200
    other = ControlVersion.objects.get(standard__pest="fly", label="2011")
    assert client.get(reverse("pestcontrol:grades") + f"?version={other.pk}&period=quarter").status_code == 200


def test_campaign_efficacy_page(client, org):
    campaign = PestCampaign.objects.create(
        jurisdiction=org.comm_a1,
        kind="spring_rat",
        title="春季灭鼠",
        pests=["rat"],
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 15),
    )
    powder(org, 100, 8, campaign=campaign, phase="before")
    powder(org, 100, 2, campaign=campaign, phase="after")
    client.force_login(org.community)
    page = client.get(reverse("pestcontrol:campaign_efficacy", args=[campaign.pk])).content.decode()
    assert "75.00%" in page and "8.00" in page and "2.00" in page


def test_api_lists_counts_indices_and_grade(client, org):
    survey = powder(org, 100, 2)
    powder(org, 100, 1, jurisdiction=org.comm_b1, actor=org.office)
    client.force_login(org.community)
    data = client.get("/api/v1/vector-surveys/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["id"] for r in rows] == [survey.pk]
    row = rows[0]
    assert row["counts"] == {"patches_valid": 100, "patches_positive": 2}
    assert row["indices"][0]["key"] == "rat_powder_rate" and D(row["indices"][0]["value"]) == D("2.00")
    assert row["grade"] == "B" and row["below_minimum"] is False
    assert client.get("/api/v1/vector-surveys/?pest=bird").status_code == 400


def test_figures_pool_and_grade_ordinal(org):
    powder(org, 100, 1)
    powder(org, 100, 5, jurisdiction=org.comm_a2, actor=org.street)  # 6/200 = 3.00 → B; A2 alone 5% → C
    day = timezone.localdate()
    start, end = date(day.year, 1, 1), date(day.year, 12, 31)
    found = figures()
    rate = found["pestcontrol.index.rat_powder_rate"].compute(org.street_a.path, start, end)
    assert rate.value == D("3.00") and rate.numerator == 6 and rate.denominator == 200
    assert f"jurisdiction={org.street_a.pk}" in rate.url
    grade = found["pestcontrol.grade.rat"].compute(org.street_a.path, start, end)
    assert grade.value == D(3) and grade.note.startswith("C级")  # worst place: A2 at 5% → C
    assert found["pestcontrol.grade.fly"].compute(org.street_a.path, start, end).value is None
    records = list(sources()["pestcontrol.surveys"].records(EvidenceQuery(org.comm_a1.path, start, end)))
    assert len(records) == 1 and "粉迹阳性率 1.00%" in records[0].summary


def test_household_survey_edit_keeps_its_visits_date_and_place(client, org):
    """A household survey's visits copy its date when recorded: its edit page offers neither date,
    place type nor unit, and the service refuses a change of them."""
    from apps.core.exceptions import DomainError
    from apps.pestcontrol.services.aedes import household_survey_open
    from apps.pestcontrol.services.surveys import survey_update

    day = timezone.localdate() - timedelta(days=1)
    survey = household_survey_open(actor=org.community, jurisdiction=org.comm_a1, surveyed_on=day)
    client.force_login(org.community)
    url = reverse("pestcontrol:survey_edit", args=[survey.pk])
    page = client.get(url).content.decode()
    assert 'name="surveyed_on"' not in page and 'name="place_type"' not in page and 'name="unit"' not in page
    response = client.post(
        url,
        {
            "surveyed_on": (day - timedelta(days=5)).isoformat(),
            "place_type": "market",
            "place_name": "东区",
            "version": 1,
        },
    )
    assert response.status_code == 302
    saved = Survey.objects.get(pk=survey.pk)
    assert saved.surveyed_on == day and saved.place_type == "residential" and saved.place_name == "东区"
    for changes in ({"surveyed_on": day - timedelta(days=3)}, {"place_type": "market"}):
        with pytest.raises(DomainError, match="逐户记录"):
            survey_update(actor=org.community, survey=saved, expected_version=None, changes=changes)
    # An unchanged value passes.
    survey_update(actor=org.community, survey=saved, expected_version=None, changes={"surveyed_on": day})


def test_a_grade_from_example_limits_says_so(org):
    powder(org, 100, 2)
    day = timezone.localdate()
    start, end = date(day.year, 1, 1), date(day.year, 12, 31)
    grade = figures()["pestcontrol.grade.rat"].compute(org.comm_a1.path, start, end)
    assert grade.value == D(2) and "控制水平限值为示例值" in grade.note
    ControlVersion.objects.filter(standard__pest="rat").update(is_example=False)
    grade = figures()["pestcontrol.grade.rat"].compute(org.comm_a1.path, start, end)
    assert grade.value == D(2) and "示例值" not in grade.note
