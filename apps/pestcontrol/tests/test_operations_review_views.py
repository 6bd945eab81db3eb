"""Pages of the operations part after review: bad input is a message, never a 500."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.exceptions import ConcurrentEdit, DomainError
from apps.pestcontrol.forms.operations import drug_formset
from apps.pestcontrol.models import Operation
from apps.pestcontrol.services import drugs
from apps.pestcontrol.services import operations as services
from apps.pestcontrol.tests.helpers_operations import bait, operation, store_with
from apps.pestcontrol.tests.test_operations_views import _form

pytestmark = pytest.mark.django_db


def test_area_beyond_the_model_limit_is_a_form_error(client, org):
    product = bait(org)
    client.force_login(org.community)
    response = client.post(reverse("pestcontrol:operation_create"), _form(org, product, area_m2="200000000"))
    assert response.status_code == 400
    assert not Operation.objects.exists()


def test_package_size_zero_is_refused_not_replaced(client, org):
    product = bait(org)
    client.force_login(org.community)
    response = client.post(reverse("pestcontrol:operation_create"), _form(org, product, **{"drug-0-package_size": "0"}))
    assert response.status_code == 400
    assert not Operation.objects.exists()
    with pytest.raises(DomainError, match="规格"):
        operation(org, lines=[{"product": product, "packages": 1, "package_size": Decimal("0")}])
    op = operation(org, lines=[{"product": product, "packages": 1, "package_size": None}])
    assert op.drugs.get().package_size == product.package_size


def test_model_validation_error_in_the_service_is_shown_on_the_form(client, org, monkeypatch):
    product = bait(org)
    op = operation(org)

    def invalid(**kwargs):
        raise ValidationError({"area_m2": ["面积太大"]})

    monkeypatch.setattr(services, "operation_create", invalid)
    monkeypatch.setattr(services, "operation_update", invalid)
    client.force_login(org.community)
    response = client.post(reverse("pestcontrol:operation_create"), _form(org, product))
    assert response.status_code == 400 and "面积太大" in response.content.decode()
    response = client.post(reverse("pestcontrol:operation_edit", args=[op.pk]), _form(org, product, version=op.version))
    assert response.status_code == 400 and "面积太大" in response.content.decode()


def test_odd_campaign_parameter_is_ignored(client, org):
    client.force_login(org.community)
    for value in ("²", "99999999999999999999999", "x"):
        assert client.get(reverse("pestcontrol:operation_create"), {"campaign": value}).status_code == 200


def _check(o):
    op = operation(o, performed_on=timezone.localdate() - timedelta(days=2))
    return services.followup_create(
        actor=o.community,
        operation=op,
        checked_on=timezone.localdate(),
        households_checked=10,
        households_bought=9,
        households_retained=8,
    )


def test_followup_edit_is_versioned_and_rechecks_the_date(org):
    check = _check(org)
    today = timezone.localdate()
    with pytest.raises(DomainError, match="早于作业日期"):
        services.followup_update(
            actor=org.community, check=check, changes={"checked_on": today - timedelta(days=5)}, expected_version=None
        )
    with pytest.raises(DomainError, match="晚于今天"):
        services.followup_update(
            actor=org.community, check=check, changes={"checked_on": today + timedelta(days=1)}, expected_version=None
        )
    services.followup_update(actor=org.community, check=check, changes={"notes": "甲"}, expected_version=check.version)
    with pytest.raises(ConcurrentEdit):
        services.followup_update(
            actor=org.community, check=check, changes={"notes": "乙"}, expected_version=check.version
        )


def test_followup_edit_page_refuses_a_stale_version(client, org):
    check = _check(org)
    client.force_login(org.community)
    url = reverse("pestcontrol:followup_edit", args=[check.pk])
    page = client.get(url).content.decode()
    assert 'name="version"' in page
    data = {
        "checked_on": timezone.localdate().isoformat(),
        "households_checked": "10",
        "households_bought": "9",
        "households_retained": "7",
        "version": str(check.version),
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "households_retained": "6"})
    assert response.status_code == 400 and "他人修改" in response.content.decode()


def test_draw_from_store_lists_only_stores_the_user_may_move_stock_of(org):
    product = bait(org)
    street_store = store_with(org, product)  # the street's store
    own = drugs.store_create(actor=org.community, jurisdiction=org.comm_a1, name="甲一社区药品库")
    form = drug_formset(user=org.community).forms[0]
    stores = set(form.fields["store"].queryset)
    assert own in stores and street_store not in stores
    for user in (org.grid, org.inspector, org.leader):
        assert "store" not in drug_formset(user=user).forms[0].fields


def test_campaign_dates_cannot_leave_its_operations_outside(org):
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=org.community,
        jurisdiction=org.comm_a1,
        kind="spring_rat",
        title="春季灭鼠",
        pests=["rat"],
        start_date=today - timedelta(days=3),
        end_date=today + timedelta(days=10),
    )
    operation(org, campaign=campaign, kind="campaign", performed_on=today - timedelta(days=2))
    with pytest.raises(DomainError, match="起止日期应包含"):
        services.campaign_update(
            actor=org.community, campaign=campaign, changes={"start_date": today}, expected_version=None
        )
    services.campaign_update(
        actor=org.community, campaign=campaign, changes={"end_date": today + timedelta(days=5)}, expected_version=None
    )


def test_package_name_is_shown_in_the_reader_language(org):
    from django.utils import translation

    product = bait(org)
    with translation.override("en"):
        assert drugs.package_name_text(product) == "bag"
