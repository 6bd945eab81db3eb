"""Responsibility agreements in the browser: the street generates 门前三包 agreements for every
shop of a community, two shops sign on a phone with a photo of the signed page, one refuses, and
the coverage rate changes on the street's coverage page."""

import re
from decimal import Decimal

import pytest

from apps.agreements.coverage import area_coverage
from apps.agreements.models import Agreement
from apps.organization.models import Unit

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _rate(page, community) -> str:
    row = page.locator(f"[data-testid=coverage-row][data-jurisdiction='{community.pk}']")
    return row.get_by_test_id("rate-frontage3").inner_text().strip()


def test_street_generates_signs_on_a_phone_and_sees_the_rate(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    street = demo["street"]
    community = next(c for c in demo["communities"] if c.name != "东苑社区")
    shops = Unit.objects.filter(
        jurisdiction__path__startswith=community.path,
        unit_type__code__in=["shop", "catering", "six_small"],
        status="operating",
    ).count()
    assert shops >= 3

    page = new_page()
    login(page, "street")
    page.goto(f"/agreements/coverage/?jurisdiction={street.pk}")
    before = _rate(page, community)
    assert before == "0.0%"  # shops are required, none has signed yet
    page.goto("/agreements/jobs/")
    page.select_option("#id_agreement_type", label="门前三包责任书")
    page.select_option("#id_jurisdiction", str(community.pk))
    shot(page, "agreements-generate")
    page.get_by_test_id("generate-submit").click()
    page.wait_for_url(re.compile(r"/agreements/jobs/\d+/$"))
    page.wait_for_selector("#job-progress[data-status='succeeded']", timeout=30000)
    assert f"已生成 {shops} 份" in page.get_by_test_id("job-message").inner_text()
    shot(page, "agreements-job-done")
    page.goto(f"/agreements/coverage/?jurisdiction={street.pk}")
    assert _rate(page, community) == "0.0%"

    rows = list(Agreement.objects.filter(jurisdiction=community, agreement_type__code="frontage3").order_by("pk")[:3])
    photo = tmp_path / "signed.jpg"
    from PIL import Image

    Image.new("RGB", (600, 800), (240, 240, 235)).save(photo, "JPEG")
    phone = new_page(viewport=PHONE)
    login(phone, "street")
    for n, agreement in enumerate(rows[:2]):
        phone.goto(f"/agreements/{agreement.pk}/")
        phone.get_by_test_id("step-sign").click()
        phone.fill("#id_signatory_name", f"店主{n}")
        phone.fill("#id_signatory_phone", f"1390000000{n}")
        phone.set_input_files("[data-testid=sign-photos]", str(photo))
        if n == 0:
            assert_no_horizontal_overflow(phone)
            shot(phone, "agreements-sign-phone")
        phone.get_by_test_id("sign-submit").click()
        phone.wait_for_url(f"**/agreements/{agreement.pk}/")
        assert phone.get_by_test_id("agreement-status").inner_text() == "已签订"
        assert phone.get_by_test_id("signed-photo").count() == 1
    shot(phone, "agreements-signed-phone")
    phone.goto(f"/agreements/{rows[2].pk}/")
    phone.get_by_test_id("step-refuse").click()
    phone.fill("#id_reason", "店面即将转让")
    phone.get_by_test_id("refuse-submit").click()
    phone.wait_for_url(f"**/agreements/{rows[2].pk}/")
    assert phone.get_by_test_id("agreement-status").inner_text() == "拒签"
    assert phone.get_by_test_id("refused-reason").inner_text() == "店面即将转让"

    page.goto(f"/agreements/coverage/?jurisdiction={street.pk}")
    expected = (Decimal(200) / Decimal(shops)).quantize(Decimal("0.1"))
    assert _rate(page, community) == f"{expected}%"
    cell = area_coverage(community, by_child=False).totals["frontage3"]
    assert (cell.signed, cell.refused, cell.required) == (2, 1, shops)
    shot(page, "agreements-coverage")
    # The signed count links to exactly the two signed agreements.
    row = page.locator(f"[data-testid=coverage-row][data-jurisdiction='{community.pk}']")
    row.get_by_test_id("signed-frontage3").click()
    page.wait_for_selector("[data-testid=agreement-table]")
    assert page.locator("[data-testid=agreement-table] [data-testid=status]").count() == 2
