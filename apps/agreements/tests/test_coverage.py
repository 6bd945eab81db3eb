"""Coverage by hand: who is required, who counts as signed, and that nothing is counted twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.agreements.choices import AgreementStatus
from apps.agreements.coverage import Cell, area_coverage, coverage_rate
from apps.agreements.evidence import figures
from apps.agreements.models import Agreement
from apps.agreements.services.agreements import (
    agreement_refuse,
    agreement_renew,
    agreement_sign,
    agreements_expire_and_remind,
)
from apps.agreements.tests.factories import add_shops, agreements_of, generate, jpeg

pytestmark = pytest.mark.django_db


def _sign(o, agreement, day=None):
    return agreement_sign(
        actor=o.community,
        agreement=agreement,
        signatory_name="王五",
        signatory_phone="13900000002",
        signed_on=day or timezone.localdate(),
        photos=[jpeg()],
    )


@pytest.fixture
def world(org):
    """甲一社区: 甲一面馆 (catering) + 4 shops = 5 required; 甲二社区: 甲二超市 + 2 shops = 3."""
    o = org
    add_shops(o, o.comm_a1, 4)
    add_shops(o, o.comm_a2, 2)
    today = timezone.localdate()
    o.job = generate(o.street, "frontage3", o.comm_a1, starts_on=today - timedelta(days=40))
    a, b, c, d, e = agreements_of(o.job)
    _sign(o, a)
    _sign(o, b)
    agreement_refuse(actor=o.community, agreement=c, reason="不同意")
    Agreement.objects.filter(pk=d.pk).update(created_at=timezone.now() - timedelta(days=2))  # generated before
    d.refresh_from_db()
    d = _sign(o, d, today - timedelta(days=1))
    Agreement.objects.filter(pk=d.pk).update(ends_on=today - timedelta(days=1))  # its term ended yesterday
    agreements_expire_and_remind(today=today)
    e = _sign(o, e)
    o.renewal = agreement_renew(
        actor=o.street, agreement=e, starts_on=today, ends_on=today + timedelta(days=365), expected_version=e.version
    )
    o.a, o.b, o.c, o.d, o.e = a, b, c, d, e
    return o


def test_hand_computed_community(world):
    cell = area_coverage(world.comm_a1, by_child=False).totals["frontage3"]
    # a, b signed; c refused; d expired; e superseded (not counted) and its renewal pending.
    assert (cell.required, cell.signed, cell.refused, cell.expired, cell.pending) == (5, 2, 1, 1, 1)
    assert cell.rate == Decimal("40.0")
    assert Agreement.objects.get(pk=world.d.pk).status == AgreementStatus.EXPIRED
    assert Agreement.objects.get(pk=world.e.pk).status == AgreementStatus.SUPERSEDED


def test_street_rows_and_total(world):
    result = area_coverage(world.street_a)
    total = result.totals["frontage3"]
    assert (total.required, total.signed) == (8, 2)
    assert total.rate == Decimal("25.0")
    rows = {path: cells["frontage3"] for path, cells in result.rows.items() if "frontage3" in cells}
    assert (rows[world.comm_a1.path].required, rows[world.comm_a1.path].signed) == (5, 2)
    assert (rows[world.comm_a2.path].required, rows[world.comm_a2.path].signed) == (3, 0)
    # The street counts each party once: the sum of its communities equals its total here.
    assert sum(c.signed for c in rows.values()) == total.signed


def test_a_closed_shop_leaves_both_sides_and_the_rate_stays_within_100(world):
    world.b.party_unit.status = "suspended"
    world.b.party_unit.save(update_fields=["status"])
    cell = area_coverage(world.comm_a1, by_child=False).totals["frontage3"]
    assert (cell.required, cell.signed) == (4, 1)
    assert cell.rate == Decimal("25.0")


def test_expired_on_the_day_asked_is_not_signed(world):
    later = world.a.ends_on + timedelta(days=1)
    cell = area_coverage(world.comm_a1, as_of=later, by_child=False).totals["frontage3"]
    assert cell.signed == 0  # a and b both ended (not yet marked by the beat: still not counted)
    assert cell.expired == 3


def test_a_second_generation_counts_each_party_once(world):
    job = generate(world.street, "frontage3", world.comm_a1)
    # Only d (expired) gets a new one; a, b (signed), c (refused) and e's renewal (pending) are current.
    assert (job.created_count, job.skipped_count) == (1, 4)
    new = Agreement.objects.get(job=job)
    assert new.renews_id == world.d.pk
    cell = area_coverage(world.comm_a1, by_child=False).totals["frontage3"]
    assert (cell.required, cell.signed, cell.expired, cell.pending) == (5, 2, 0, 2)
    assert Agreement.objects.filter(party_unit=world.d.party_unit, is_latest=True).count() == 1


def test_rate_arithmetic():
    assert coverage_rate(0, 0) is None
    assert coverage_rate(1, 3) == Decimal("33.3")
    assert coverage_rate(2, 3) == Decimal("66.7")
    assert coverage_rate(5, 2) == Decimal("100.0")  # never above 100 %
    assert Cell(required=0).rate is None


def test_figures_match_the_page(world):
    by_key = {f.key: f for f in figures()}
    value = by_key["agreements.coverage_rate.frontage3"].compute(world.street_a.path, None, None)
    assert value.value == Decimal("25.0")
    assert (value.numerator, value.denominator) == (2, 8)
    assert "coverage" in value.url
    signed = by_key["agreements.signed"].compute(world.street_a.path, None, None)
    assert signed.value == 2 and f"jurisdiction={world.street_a.pk}" in signed.url
    assert by_key["agreements.refused"].compute(world.comm_a1.path, None, None).value == 1
    assert by_key["agreements.expired"].compute(world.comm_a1.path, None, None).value == 1
    overall = by_key["agreements.coverage_rate"].compute(world.comm_b1.path, None, None)
    assert overall.value is None or overall.value <= 100
    assert set(by_key) >= {
        "agreements.required",
        "agreements.coverage_rate",
        *(f"agreements.coverage_rate.{c}" for c in ("frontage3", "frontage5", "partner", "target", "pledge")),
    }


def test_target_letters_cascade(org):
    """The district signs with its streets, each street with its communities: every jurisdiction of
    those levels below the district is required once, in its own subtree."""
    today = timezone.localdate()
    district_job = generate(org.office, "target", org.district, starts_on=today)
    assert district_job.created_count == 2  # 甲街道, 乙街道
    street_job = generate(org.street, "target", org.street_a, starts_on=today)
    assert street_job.created_count == 2  # 甲一社区, 甲二社区
    street_letter = Agreement.objects.get(job=district_job, party_jurisdiction=org.street_a)
    assert all(a.parent_id == street_letter.pk for a in Agreement.objects.filter(job=street_job))
    _sign(org, Agreement.objects.get(job=street_job, party_jurisdiction=org.comm_a1))
    cell = area_coverage(org.street_a, by_child=False).totals["target"]
    assert (cell.required, cell.signed) == (3, 1)  # the street itself and its two communities
    district = area_coverage(org.district, by_child=False).totals["target"]
    assert (district.required, district.signed) == (6, 1)  # itself (with the city), two streets, three communities


def test_frontage5_is_counted_on_request_so_shops_are_not_required_twice(world):
    """Every shop must hold a 门前三包 agreement; 门前五包 counts only where given (README), so the
    overall rate of 甲一社区 is not diluted by the 五包 agreements nobody was given."""
    result = area_coverage(world.comm_a1, by_child=False)
    assert result.totals["frontage5"].required == 0
    # 5 shops for 三包 + the community's own target letter with the street (no shop counted twice).
    assert (result.overall.required, result.overall.signed) == (6, 2)
    assert result.overall.rate == Decimal("33.3")
