"""Services of the operations part: kg arithmetic, banned refusal, the ledger's balance, expiry,
the race on the last packages, follow-up rates, campaigns and the 统一行动, versions and scope."""

import threading
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.notifications.models import Notification
from apps.organization.models import License
from apps.pestcontrol import methods
from apps.pestcontrol.models import OperationDrug, StockMovement
from apps.pestcontrol.selectors import operations as selectors
from apps.pestcontrol.services import drugs, operations
from apps.pestcontrol.tests.helpers_operations import bait, operation, spray, store_with

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_105_bags_of_1000_g_are_105_kg(org):
    product = bait(org)
    op = operation(org, lines=[{"product": product, "packages": 105}])
    line = op.drugs.get()
    assert (line.packages, line.package_size, line.package_unit) == (105, Decimal("1000"), "g")
    assert line.quantity == Decimal("105.000")
    totals = selectors.operation_totals(type(op).objects.filter(pk=op.pk))
    assert totals["kg"] == Decimal("105.000") and totals["litres"] == 0


def test_ml_bottles_are_litres_and_size_is_editable(org):
    product = spray(org)
    op = operation(
        org,
        pests=["mosquito"],
        lines=[{"product": product, "packages": 110}, {"product": product, "packages": 3, "package_size": "500"}],
    )
    assert [d.quantity for d in op.drugs.order_by("id")] == [Decimal("110.000"), Decimal("1.500")]
    totals = selectors.operation_totals(type(op).objects.filter(pk=op.pk))
    assert totals["litres"] == Decimal("111.500") and totals["kg"] == 0


@pytest.mark.parametrize(
    "name, ingredient",
    [
        ("毒鼠强毒饵", "毒鼠强"),
        ("灭鼠灵", "四二四"),
        ("强力鼠药", "TETS 0.1%"),
        ("强力鼠药", "t e t s"),
        ("强力鼠药", "ＴＥＴＳ"),
        ("毒 鼠 强", "x"),
        ("速效鼠药", "1080"),
        ("驱蚊剂", "DDT"),
    ],
)
def test_banned_product_refused_with_the_substance_named(org, name, ingredient):
    with pytest.raises(DomainError) as error:
        bait(org, name=name, active_ingredient=ingredient)
    assert "国家禁用药物" in str(error.value.message)


def test_banned_list_has_the_shipped_entries_with_basis(org):
    bait(org)
    from apps.pestcontrol.models import BannedSubstance

    names = set(BannedSubstance.objects.values_list("name", flat=True))
    assert {"毒鼠强", "毒鼠硅", "氟乙酰胺", "氟乙酸钠", "甘氟", "六六六", "滴滴涕", "敌枯双"} <= names
    assert "199" in BannedSubstance.objects.get(name="毒鼠强").basis
    assert "1068" in BannedSubstance.objects.get(name="甘氟").aliases


def test_product_banned_later_is_refused_on_movement_and_operation(org):
    product = bait(org, name="新鼠药", active_ingredient="某成分")
    store = store_with(org, product)
    drugs.banned_create(actor=org.office, name="某成分", basis="测试")
    with pytest.raises(DomainError, match="某成分"):
        drugs.movement_create(
            actor=org.street, store=store, kind="issue", product=product, batch_no="B1", packages=1, household_batch="x"
        )
    with pytest.raises(DomainError, match="某成分"):
        operation(org, lines=[{"product": product, "packages": 1}])


def test_banned_list_kept_by_admin_and_office_only(org):
    with pytest.raises(PermissionDeniedForRole):
        drugs.banned_create(actor=org.street, name="某物质")


def test_issue_beyond_balance_refused_and_nothing_written(org):
    product = bait(org)
    store = store_with(org, product, packages=10)
    drugs.movement_create(
        actor=org.street,
        store=store,
        kind="issue",
        product=product,
        batch_no="B1",
        packages=6,
        to_jurisdiction=org.comm_a1,
    )
    with pytest.raises(DomainError, match="库存不足"):
        drugs.movement_create(
            actor=org.street,
            store=store,
            kind="issue",
            product=product,
            batch_no="B1",
            packages=5,
            to_jurisdiction=org.comm_a1,
        )
    with pytest.raises(DomainError, match="库存不足"):
        drugs.movement_create(actor=org.street, store=store, kind="dispose", product=product, batch_no="B1", packages=5)
    assert drugs.batch_balance(store, product, "B1") == 4
    assert StockMovement.objects.filter(store=store).count() == 2


def test_operation_drawing_from_store_writes_issue_and_rolls_back_when_short(org):
    product = bait(org)
    store = store_with(org, product, packages=100)
    store.jurisdiction = org.comm_a1  # the community's own store
    store.save()
    op = operation(org, lines=[{"product": product, "packages": 60, "store": store, "batch_no": "B1"}])
    line = op.drugs.get()
    assert line.movement.kind == "issue" and line.movement.to_jurisdiction == org.comm_a1
    assert drugs.batch_balance(store, product, "B1") == 40
    before = type(op).objects.count()
    with pytest.raises(DomainError, match="库存不足"):
        operation(org, lines=[{"product": product, "packages": 41, "store": store, "batch_no": "B1"}])
    assert type(op).objects.count() == before
    assert drugs.batch_balance(store, product, "B1") == 40


def test_expired_batch_cannot_be_issued_but_can_be_disposed(org):
    product = bait(org)
    store = store_with(org, product, packages=10, expires_in=30)
    StockMovement.objects.filter(store=store).update(expires_on=TODAY() - timedelta(days=1))
    with pytest.raises(DomainError, match="过期"):
        drugs.movement_create(
            actor=org.street,
            store=store,
            kind="issue",
            product=product,
            batch_no="B1",
            packages=1,
            household_batch="一组",
        )
    drugs.movement_create(actor=org.street, store=store, kind="dispose", product=product, batch_no="B1", packages=10)
    assert drugs.batch_balance(store, product, "B1") == 0


def test_purchase_needs_expiry_and_issue_needs_recipient(org):
    product = bait(org)
    store = store_with(org, product)
    with pytest.raises(DomainError, match="有效期"):
        drugs.movement_create(
            actor=org.street, store=store, kind="purchase", product=product, batch_no="B2", packages=1
        )
    with pytest.raises(DomainError, match="发放对象"):
        drugs.movement_create(actor=org.street, store=store, kind="issue", product=product, batch_no="B1", packages=1)
    with pytest.raises(DomainError, match="下级"):
        drugs.movement_create(
            actor=org.street,
            store=store,
            kind="issue",
            product=product,
            batch_no="B1",
            packages=1,
            to_jurisdiction=org.comm_b1,
        )


def test_store_outside_scope_refused(org):
    product = bait(org)
    store = store_with(org, product)
    with pytest.raises(OutsideJurisdiction):
        drugs.movement_create(
            actor=org.street_other,
            store=store,
            kind="issue",
            product=product,
            batch_no="B1",
            packages=1,
            household_batch="x",
        )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issues_of_the_last_packages_one_refused(org):
    product = bait(org)
    store = store_with(org, product, packages=5)
    barrier = threading.Barrier(2)
    results = []

    def issue():
        try:
            barrier.wait()
            drugs.movement_create(
                actor=org.street,
                store=store,
                kind="issue",
                product=product,
                batch_no="B1",
                packages=4,
                household_batch="x",
            )
            results.append("ok")
        except DomainError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert drugs.batch_balance(store, product, "B1") == 1


def test_followup_rates_and_bounds(org, settings):
    op = operation(org)
    check = operations.followup_create(
        actor=org.community,
        operation=op,
        checked_on=TODAY(),
        households_checked=101,
        households_bought=99,
        households_retained=98,
    )
    rates = operations.followup_rates(check.households_checked, check.households_bought, check.households_retained)
    assert rates["purchase_rate"] == Decimal("98.02") and not rates["purchase_low"]
    assert rates["retention_rate"] == Decimal("97.03") and rates["retention_low"]
    assert methods.rate(0, 0) is None
    settings.PEST_FOLLOWUP_TARGET_RATE = 95
    assert not operations.followup_rates(101, 99, 98)["retention_low"]
    with pytest.raises(DomainError):
        operations.followup_create(
            actor=org.community,
            operation=op,
            checked_on=TODAY(),
            households_checked=10,
            households_bought=11,
            households_retained=1,
        )
    with pytest.raises(DomainError):
        operations.followup_create(
            actor=org.community,
            operation=op,
            checked_on=TODAY(),
            households_checked=0,
            households_bought=0,
            households_retained=0,
        )
    with pytest.raises(DomainError):
        operations.followup_create(
            actor=org.community,
            operation=op,
            checked_on=TODAY() - timedelta(days=3),
            households_checked=1,
            households_bought=1,
            households_retained=1,
        )


def test_unified_campaign_fixes_time_and_drug(org):
    product = bait(org)
    other = spray(org)
    at = timezone.make_aware(datetime.combine(TODAY(), datetime.min.time().replace(hour=19)))
    campaign = operations.campaign_create(
        actor=org.street,
        jurisdiction=org.street_a,
        kind="unified",
        title="统一灭鼠行动",
        pests=["rat"],
        start_date=TODAY(),
        end_date=TODAY(),
        unified_at=at,
        standard="每户投放 2 袋",
        product=product,
    )
    op = operations.operation_create(
        actor=org.community,
        jurisdiction=org.comm_a1,
        campaign=campaign,
        pests=["rat"],
        drugs=[{"product": product, "packages": 10}],
    )
    assert op.performed_on == TODAY() and op.started_at.hour == 19
    with pytest.raises(DomainError, match="统一药物"):
        operations.operation_create(
            actor=org.community,
            jurisdiction=org.comm_a1,
            campaign=campaign,
            pests=["rat"],
            drugs=[{"product": other, "packages": 1}],
        )
    with pytest.raises(DomainError, match="作业时间"):
        operations.operation_create(
            actor=org.community,
            jurisdiction=org.comm_a1,
            campaign=campaign,
            pests=["rat"],
            started_at=datetime.min.time().replace(hour=8),
        )
    rows = selectors.campaign_rows(user=org.street, campaign=campaign)
    by_place = {r["place"].name: r for r in rows}
    assert not by_place["甲一社区"]["missing"] and by_place["甲一社区"]["kg"] == Decimal("10.000")
    assert by_place["甲二社区"]["missing"]


def test_campaign_workflow_and_cancel_reason(org):
    campaign = operations.campaign_create(
        actor=org.street,
        jurisdiction=org.street_a,
        kind="spring_rat",
        title="春季灭鼠",
        start_date=TODAY(),
        end_date=TODAY(),
    )
    with pytest.raises(DomainError, match="原因"):
        operations.campaign_transition(actor=org.street, campaign=campaign, name="cancel")
    with pytest.raises(PermissionDeniedForRole):
        operations.campaign_transition(actor=org.community, campaign=campaign, name="hold")
    held = operations.campaign_transition(
        actor=org.street, campaign=campaign, name="hold", expected_version=campaign.version
    )
    assert held.status == "held"
    with pytest.raises(DomainError):
        operations.campaign_transition(actor=org.street, campaign=held, name="cancel", reason="雨")


def test_operation_edit_is_versioned_and_audited(org):
    product = bait(org)
    op = operation(org, lines=[{"product": product, "packages": 5}])
    line = op.drugs.get()
    updated = operations.operation_update(
        actor=org.community,
        operation=op,
        expected_version=op.version,
        changes={"households_covered": 120},
        drugs=[{"id": line.pk, "product": product, "packages": 6}],
    )
    assert updated.version == op.version + 1
    assert OperationDrug.objects.get(pk=line.pk).packages == 6
    with pytest.raises(ConcurrentEdit):
        operations.operation_update(
            actor=org.community, operation=op, expected_version=op.version, changes={"team": "x"}
        )
    from apps.core.models import AuditEvent

    event = AuditEvent.objects.filter(action="pestcontrol.operation.updated").get()
    assert "drugs" in event.data["changes"] and "households_covered" in event.data["changes"]


def test_operation_scope_and_roles(org):
    with pytest.raises(OutsideJurisdiction):
        operation(org, actor=org.community_other)
    with pytest.raises(PermissionDeniedForRole):
        operation(org, actor=org.leader)
    op = operation(org)
    with pytest.raises((OutsideJurisdiction, PermissionDeniedForRole)):
        operations.operation_update(actor=org.grid, operation=op, expected_version=None, changes={"team": "x"})
    with pytest.raises(DomainError, match="晚于今天"):
        operation(org, performed_on=TODAY() + timedelta(days=1))


def test_contractor_needs_a_licence(org):
    with pytest.raises(DomainError, match="证照"):
        operation(org, executor_kind="contractor", contractor=org.unit_a1b)
    License.objects.create(
        unit=org.unit_a1b, kind="有害生物防制资质", number="PC-1", expires_on=TODAY() + timedelta(days=90)
    )
    op = operation(org, executor_kind="contractor", contractor=org.unit_a1b)
    assert op.contractor == org.unit_a1b


def test_expiry_sweep_notifies_once_per_batch_and_window(org):
    from apps.accounts.models import User

    product = bait(org)
    store = store_with(org, product, packages=10, expires_in=10)
    sent = drugs.expiry_sweep()
    assert sent == 1
    assert Notification.objects.filter(kind=drugs.EXPIRY_KIND, recipient=org.street).count() == 1
    assert drugs.expiry_sweep() == 0  # not again the next day
    assert drugs.expiry_sweep(today=TODAY() + timedelta(days=11)) == 1  # now expired: once more
    assert drugs.expiry_sweep(today=TODAY() + timedelta(days=12)) == 0
    assert not Notification.objects.filter(kind=drugs.EXPIRY_KIND, recipient=org.community).exists()
    assert User.objects.filter(pk=org.street.pk).exists() and store.pk


def test_figures_and_evidence(org):
    from apps.core.evidence import EvidenceQuery
    from apps.pestcontrol.evidence.operations import RECORDS, figure_values

    product = bait(org)
    insecticide = spray(org)
    op = operation(
        org,
        households_covered=300,
        lines=[{"product": product, "packages": 105}, {"product": insecticide, "packages": 110}],
    )
    operations.followup_create(
        actor=org.community,
        operation=op,
        checked_on=TODAY(),
        households_checked=100,
        households_bought=98,
        households_retained=97,
    )
    campaign = operations.campaign_create(
        actor=org.street,
        jurisdiction=org.street_a,
        kind="spring_rat",
        title="春季灭鼠",
        start_date=TODAY(),
        end_date=TODAY(),
    )
    operations.campaign_transition(actor=org.street, campaign=campaign, name="hold")
    values = figure_values(org.street_a.path, TODAY(), TODAY())
    assert values["pestcontrol.operations"].value == 1
    assert values["pestcontrol.campaigns_held"].value == 1
    assert values["pestcontrol.households_covered"].value == 300
    assert values["pestcontrol.rodenticide_kg"].value == Decimal("105.000")
    assert values["pestcontrol.drug_kg"].value == Decimal("105.000")
    assert values["pestcontrol.drug_l"].value == Decimal("110.000")
    rate = values["pestcontrol.purchase_rate"]
    assert (rate.value, rate.numerator, rate.denominator) == (Decimal("98.00"), 98, 100)
    assert f"jurisdiction={org.street_a.pk}" in values["pestcontrol.operations"].url
    assert figure_values(org.street_b.path, None, None)["pestcontrol.operations"].value == 0
    found = list(RECORDS.records(EvidenceQuery(jurisdiction_path=org.street_a.path)))
    assert {r.object_id for r in found} == {f"op-{op.pk}", f"campaign-{campaign.pk}"}


def test_a_gram_product_is_not_recorded_in_millilitres(org):
    """A bait sold by weight cannot be recorded by volume (the kg and L totals would mix)."""
    product = bait(org)
    with pytest.raises(DomainError, match="规格单位不能改为其他单位"):
        operation(org, lines=[{"product": product, "packages": 2, "package_size": "500", "package_unit": "ml"}])
    assert not OperationDrug.objects.exists()


def test_an_expired_batch_cannot_be_bought_in(org):
    product = bait(org)
    store = store_with(org, product)
    with pytest.raises(DomainError, match="过期药物不能采购入库"):
        drugs.movement_create(
            actor=org.street,
            store=store,
            kind="purchase",
            product=product,
            batch_no="OLD-1",
            packages=5,
            expires_on=TODAY() - timedelta(days=1),
        )
    assert not StockMovement.objects.filter(batch_no="OLD-1").exists()


def test_a_drug_line_without_its_drug_is_refused_not_dropped(org):
    from apps.pestcontrol.forms.operations import drug_formset

    formset = drug_formset(
        {
            "drug-TOTAL_FORMS": "1",
            "drug-INITIAL_FORMS": "0",
            "drug-MIN_NUM_FORMS": "0",
            "drug-MAX_NUM_FORMS": "20",
            "drug-0-packages": "5",
        },
        user=org.community,
        extra=1,
    )
    assert not formset.is_valid()
    assert "请选择药物" in str(formset.errors)
