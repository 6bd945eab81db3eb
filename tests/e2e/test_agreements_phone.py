"""The agreement pages on a 390 px phone: an agreement (duties, the signed page's photo, the action
buttons) and a template with its version page fit the screen without sideways scrolling."""

import pytest

from apps.agreements.choices import AgreementStatus
from apps.agreements.models import Agreement, AgreementTemplate

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def test_agreement_and_template_pages_fit_a_phone(new_page, demo):
    agreement = (
        Agreement.objects.filter(status=AgreementStatus.SIGNED, photos__isnull=False, jurisdiction__depth__gte=3)
        .order_by("pk")
        .first()
    )
    assert agreement is not None
    template = AgreementTemplate.objects.filter(current_version__isnull=False).order_by("pk").first()

    page = new_page(viewport=PHONE)
    login(page, "admin")
    page.goto(f"/agreements/{agreement.pk}/")
    actions = page.get_by_test_id("agreement-actions")
    cancel = actions.get_by_test_id("step-cancel")
    docx = actions.get_by_test_id("agreement-docx")
    assert cancel.is_visible()
    assert cancel.bounding_box()["height"] == docx.bounding_box()["height"]
    # 作废 is a one-button form: no box of its own around the button, like the links beside it
    assert cancel.evaluate("b => getComputedStyle(b.closest('form')).borderTopWidth") == "0px"
    photo = page.get_by_test_id("signed-photo").first
    photo.evaluate("img => img.decode ? img.decode().catch(() => null) : null")
    card = page.locator(".card", has=photo)
    assert photo.bounding_box()["width"] <= card.bounding_box()["width"]
    assert photo.evaluate("img => getComputedStyle(img).maxWidth") == "100%"
    assert_no_horizontal_overflow(page)
    shot(page, "agreement-phone")

    for url in (
        f"/agreements/templates/{template.pk}/",
        f"/agreements/templates/{template.pk}/v/{template.current_version.number}/",
    ):
        page.goto(url)
        assert page.get_by_test_id("template-body").is_visible()
        assert_no_horizontal_overflow(page)
