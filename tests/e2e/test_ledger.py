"""The evidence ledger (台账) in a browser: a community worker uploads a document to an item and
links a closed case to another, and sees the readiness move; after 立即关联 the rules bring a
closed case and a submitted inspection sheet under their items."""

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from apps.accounts.models import User
from apps.campaigns.models import EvidenceLink, Task
from apps.campaigns.services.evidence import evidence_rules_from_standard
from apps.campaigns.tests.factories import make_campaign, make_standard
from apps.campaigns.tests.world_ledger import closed_case, pdf_bytes
from apps.inspections.models import ChecklistTemplate, Inspection

from .conftest import login, shot

pytestmark = pytest.mark.browser

LOOK_AT = Path("/tmp/shots")  # noqa: S108 - a copy for reviewers


def _sheet(where, day):
    template = ChecklistTemplate.objects.filter(current_version__isnull=False).first()
    if template is None:
        from apps.inspections.tests.factories import make_checklist

        template = make_checklist(
            User.objects.get(username="cwb"),
            "e2e-shops",
            "门店检查表",
            [("A", "项目A", "10", "fixed", "2", None, False, False)],
        )
    return Inspection.objects.create(
        checklist=template.current_version,
        target_jurisdiction=where,
        status="submitted",
        inspected_on=day,
        max_total=10,
        total=9,
        percent=90,
    )


def test_community_builds_its_ledger(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    community = User.objects.get(username="dongyuan")
    area = community.jurisdiction
    version = make_standard()
    items = version.items_by_code
    today = date.today()
    campaign = make_campaign(
        SimpleNamespace(office=User.objects.get(username="cwb")), version, area.parent, status="active"
    )
    campaign.starts_on, campaign.ends_on = today - timedelta(days=90), today + timedelta(days=90)
    campaign.save()
    for code in ("1.1", "1.2", "2.1", "2.2"):
        Task.objects.create(
            campaign=campaign, item=items[code], jurisdiction=area, title=f"任务 {code}", assignee=community
        )
    evidence_rules_from_standard(campaign=campaign, actor=None)
    case = closed_case(None, "E2E-1", today - timedelta(days=10), jurisdiction=area)
    sheet = _sheet(area, today - timedelta(days=5))
    pdf = tmp_path / "领导小组成立文件.pdf"
    pdf.write_bytes(pdf_bytes("leading group"))

    page = new_page()
    login(page, "dongyuan")
    page.goto(f"/campaigns/{campaign.pk}/ledger/")
    assert page.get_by_test_id("campaign-readiness").inner_text() == "0.0%"

    # 1.1: upload the founding document
    page.click("a:text('1.1')")
    page.fill("#id_title", "领导小组成立文件")
    page.select_option("#id_requirement", label="1.1 领导小组成立文件")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_test_id("upload-submit").click()
    page.wait_for_selector("[data-testid=item-ready]:text('已完备')")
    shot(page, "ledger-item")

    # 1.2: link the closed case by hand
    page.goto(f"/campaigns/{campaign.pk}/ledger/items/{items['1.2'].pk}/")
    page.select_option("select[name=source]", "cases.closed")
    page.get_by_test_id("link-search").click()
    page.get_by_test_id("link-record").first.click()
    page.wait_for_selector("[data-testid=item-ready]:text('已完备')")

    page.goto(f"/campaigns/{campaign.pk}/ledger/")
    assert page.get_by_test_id("campaign-readiness").inner_text() == "50.0%"

    # 立即关联 belongs to the campaign's managers (the street runs this campaign), not to a community
    # working in it: the street presses it, and the rules file the case under 2.2 and the sheet under 2.1.
    assert page.get_by_test_id("sync-now").count() == 0
    street = new_page()
    login(street, "street")
    street.goto(f"/campaigns/{campaign.pk}/ledger/")
    street.get_by_test_id("sync-now").click()
    street.wait_for_selector("[data-testid=ledger-sync][data-running='0']")
    assert EvidenceLink.objects.filter(campaign=campaign, item=items["2.2"], object_id=str(case.pk)).exists()
    assert EvidenceLink.objects.filter(campaign=campaign, item=items["2.1"], object_id=str(sheet.pk)).exists()
    page.goto(f"/campaigns/{campaign.pk}/ledger/")
    assert page.get_by_test_id("campaign-readiness").inner_text() == "75.0%"  # 2.1 needs two sheets
    shot(page, "ledger")
    page.goto(f"/campaigns/{campaign.pk}/ledger/items/{items['2.1'].pk}/")
    assert "1/2" in page.get_by_test_id("requirements").inner_text()
    LOOK_AT.mkdir(exist_ok=True)
    page.screenshot(path=str(LOOK_AT / "ledger-item-2.1.png"), full_page=True)
