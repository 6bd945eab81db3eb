from datetime import date

import pytest

from apps.cases.categories import ensure_categories
from apps.cases.models import Case
from apps.core.exceptions import DomainError
from apps.education.services import smokefree as services

pytestmark = pytest.mark.django_db


def _place(o):
    return services.place_create(
        actor=o.community, jurisdiction=o.grid_a1, name="甲一社区卫生服务站", kind="medical", signs_required=3
    )


def test_pass_when_nothing_found(org):
    check = services.check_record(
        actor=org.grid, place=_place(org), checked_on=date(2026, 11, 20), signs_found=3, today=date(2026, 11, 30)
    )
    assert check.result == "pass" and check.case_codes == []


def test_fail_opens_one_case_per_finding(org):
    ensure_categories()
    check = services.check_record(
        actor=org.community,
        place=_place(org),
        checked_on=date(2026, 11, 20),
        signs_found=2,  # 2 < 3 required
        butts_seen=True,
        today=date(2026, 11, 30),
    )
    assert check.result == "fail"
    assert len(check.case_codes) == 2
    assert Case.objects.filter(code__in=check.case_codes).count() == 2


def test_future_date_and_wrong_role_refused(org):
    place = _place(org)
    with pytest.raises(DomainError):
        services.check_record(
            actor=org.grid, place=place, checked_on=date(2026, 12, 2), signs_found=3, today=date(2026, 12, 1)
        )
    with pytest.raises(DomainError):
        services.check_record(actor=org.leader, place=place, checked_on=date(2026, 11, 2), signs_found=3)


def test_a_refused_case_leaves_no_check_behind(org):
    """The finding category switched off: the cases app refuses, and the check is not kept
    either (a second try records it once)."""
    from apps.cases.models import Category
    from apps.education.models import SmokeFreeCheck

    ensure_categories()
    Category.objects.filter(code="inspection_finding").update(is_active=False)
    place = _place(org)
    with pytest.raises(DomainError):
        services.check_record(
            actor=org.community, place=place, checked_on=date(2026, 11, 20), signs_found=0, today=date(2026, 11, 30)
        )
    assert not SmokeFreeCheck.objects.filter(place=place).exists()
    assert not Case.objects.exists()
