"""病媒生物监测 in a browser: the inspector records a 粉迹法 survey on a phone from raw counts and
sees the computed rate and its grade; the office edits the rat standard's version, which has
already graded surveys, so a NEW version is made; the survey page and the grade page show the
regrade while the observations stay as recorded."""

from datetime import date

import pytest

from apps.accounts.models import User
from apps.pestcontrol.models import ControlThreshold, ControlVersion, Survey

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _grade(page, row_testid, column) -> str:
    cell = page.get_by_test_id(row_testid).get_by_test_id(f"grade-{column}")
    return cell.locator("[data-grade]").get_attribute("data-grade")


def test_surveyor_records_powder_survey_and_office_regrades(new_page, demo):
    community = User.objects.get(username="dongyuan").jurisdiction
    phone = new_page(viewport=PHONE)
    login(phone, "inspector")
    phone.goto("/pestcontrol/surveys/")
    phone.get_by_test_id("survey-new").click()
    phone.get_by_test_id("method-rat_powder").click()
    phone.select_option("#id_jurisdiction", label=community.name)
    phone.select_option("#id_place_type", "market")
    phone.fill("#id_place_name", "东园农贸市场")
    # A positive count above the patches laid is refused with a message, nothing saved.
    phone.fill("#id_c_patches_valid", "100")
    phone.fill("#id_c_patches_positive", "120")
    phone.get_by_test_id("survey-save").click()
    assert "不能大于" in phone.get_by_test_id("survey-errors").inner_text()
    phone.fill("#id_c_patches_positive", "2")
    shot(phone, "pestcontrol-survey-form-phone")
    phone.get_by_test_id("survey-save").click()
    phone.wait_for_url("**/pestcontrol/surveys/*/")
    row = phone.get_by_test_id("index-rat_powder_rate")
    assert row.get_by_test_id("value").inner_text() == "2.00"
    assert "%" in row.inner_text()
    assert phone.get_by_test_id("survey-grade").locator("[data-grade]").get_attribute("data-grade") == "B"
    assert phone.get_by_test_id("example-badge").count() >= 1
    assert_no_horizontal_overflow(phone)
    shot(phone, "pestcontrol-survey-detail-phone")
    survey = Survey.objects.get(place_name="东园农贸市场")
    counts = dict(survey.counts)

    desk = new_page()
    login(desk, "cwb")
    grades_url = f"/pestcontrol/grades/?jurisdiction={community.pk}&period=year&on={date.today().isoformat()}"
    desk.goto(grades_url)
    assert _grade(desk, "type-row-market", 0) == "B"  # rat is the first pest column
    shot(desk, "pestcontrol-grades-before")

    old = ControlVersion.objects.get(standard__pest="rat", label="2011")
    desk.goto(f"/pestcontrol/levels/versions/{old.pk}/")
    assert desk.get_by_test_id("example-badge").count() >= 1
    shot(desk, "pestcontrol-version-detail")
    desk.get_by_test_id("version-edit").click()
    assert desk.get_by_test_id("makes-new-version").is_visible()
    desk.fill("#id_t__rat_powder_rate__all__A", "2")
    desk.fill("#id_effective_from", f"{date.today().year}-01-01")
    shot(desk, "pestcontrol-version-edit")
    desk.get_by_test_id("threshold-save").click()
    desk.wait_for_url("**/pestcontrol/levels/versions/*/")
    new = ControlVersion.objects.get(standard__pest="rat", effective_from=date(date.today().year, 1, 1))
    assert new.pk != old.pk and str(new.pk) in desk.url
    assert ControlThreshold.objects.get(version=old, index="rat_powder_rate", place_type="", level="A").limit == 1

    desk.goto(grades_url)
    assert _grade(desk, "type-row-market", 0) == "A"
    assert new.label in desk.get_by_test_id("versions-in-use").inner_text()
    shot(desk, "pestcontrol-grades-after")
    # Comparing with the old version shows the old grade again.
    desk.goto(f"{grades_url}&version={old.pk}")
    assert _grade(desk, "type-row-market", 0) == "B"

    phone.reload()
    assert phone.get_by_test_id("survey-grade").locator("[data-grade]").get_attribute("data-grade") == "A"
    assert Survey.objects.get(pk=survey.pk).counts == counts
    assert not new_page.csp_violations


def test_desk_pages_list_settings_standards_and_efficacy(new_page, demo):
    from apps.pestcontrol.models import PestCampaign

    desk = new_page()
    login(desk, "cwb")
    desk.goto("/pestcontrol/surveys/")
    assert desk.get_by_test_id("survey-table").locator("tr").count() > 5
    shot(desk, "pestcontrol-survey-list")
    desk.goto("/pestcontrol/surveys/?below=1")
    assert desk.get_by_test_id("below-minimum").count() >= 1
    desk.goto("/pestcontrol/surveys/methods/")
    desk.get_by_test_id("min-rat_powder").fill("80")
    desk.get_by_test_id("method-rat_powder").get_by_role("button").click()
    assert desk.get_by_test_id("min-rat_powder").input_value() == "80"
    shot(desk, "pestcontrol-method-settings")
    desk.goto("/pestcontrol/levels/")
    assert desk.get_by_test_id("example-badge").count() >= 5  # every shipped version is badged
    assert desk.get_by_test_id("standard-fly").locator("tr").count() == 3  # 2011 and 2025
    shot(desk, "pestcontrol-standards")
    campaign = PestCampaign.objects.filter(surveys__phase="after").distinct().get()
    desk.goto(f"/pestcontrol/campaigns/{campaign.pk}/efficacy/")
    efficacy = desk.get_by_test_id("efficacy-rat_powder_rate").get_by_test_id("efficacy").inner_text()
    assert efficacy.endswith("%") and float(efficacy.rstrip("%")) > 0
    shot(desk, "pestcontrol-campaign-efficacy")
    phone = new_page(viewport=PHONE)
    login(phone, "leader")
    phone.goto("/pestcontrol/grades/")
    assert_no_horizontal_overflow(phone)
    shot(phone, "pestcontrol-grades-phone")
    assert not new_page.csp_violations
