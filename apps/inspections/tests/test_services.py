"""Checklists, rounds, score sheets, findings, corrections, appeals and published rankings."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from apps.cases.choices import CaseSource, CaseStatus
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.inspections import rankings, services
from apps.inspections.choices import AppealStatus, InspectionStatus
from apps.inspections.models import ChecklistTemplate, FlagAward, Inspection, InspectionPlan, ScoreChange
from apps.organization import services as org_services
from apps.organization.models import UnitType

from .conftest import fill, jpeg

pytestmark = pytest.mark.django_db


def sheet_for(org, checklist, unit, inspector=None):
    return services.inspection_create(actor=inspector or org.inspector, template=checklist, unit=unit)


def submit(sheet, user, **kwargs):
    return services.inspection_submit(actor=user, inspection=sheet, **kwargs)


# Checklists -------------------------------------------------------------------------------------


def test_starter_templates_are_installed_with_100_points_and_marked_as_examples(db):
    templates = ChecklistTemplate.objects.filter(is_example=True)
    assert {t.code for t in templates} >= {
        "residential",
        "frontage",
        "catering",
        "market",
        "institution",
        "toilet",
        "health_board",
        "construction",
    }
    for template in templates:
        assert template.current_version.max_total == D(100)


def test_editing_a_version_in_use_creates_a_new_version_and_past_sheets_keep_theirs(org, checklist):
    version_1 = checklist.current_version
    sheet = sheet_for(org, checklist, org.unit_a1)
    fill(sheet, org.inspector, {"B": 1})
    submit(sheet, org.inspector)
    item_b = checklist.items["B"]
    services.checklist_item_save(
        actor=org.office,
        template=checklist,
        item=item_b,
        data={
            "section": item_b.section,
            "code": "B",
            "text": "项目B",
            "max_score": D(8),
            "rule": "fixed",
            "deduction": D(4),
            "cap": None,
            "photo_required": False,
            "veto": False,
            "category": None,
        },
    )
    checklist.refresh_from_db()
    assert checklist.current_version.number == 2
    assert checklist.current_version.max_total == D(23)
    sheet.refresh_from_db()
    assert sheet.checklist_id == version_1.pk and sheet.max_total == D(20) and sheet.total == D(17)
    assert version_1.items.get(code="B").max_score == D(5)
    # a second edit goes to version 2 in place (nobody used it yet)
    services.checklist_section_add(actor=org.office, template=checklist, name="二、台账")
    checklist.refresh_from_db()
    assert checklist.current_version.number == 2


def test_only_the_office_edits_checklists(org, checklist):
    with pytest.raises(PermissionDeniedForRole):
        services.checklist_section_add(actor=org.street, template=checklist, name="x")


# Plans, rounds and sampling ---------------------------------------------------------------------


def make_plan(org, checklist, **extra):
    data = {
        "name": "月度联合检查",
        "jurisdiction": org.street_a,
        "template": checklist,
        "kind": "monthly_joint",
        "sample_mode": "all",
        "is_active": True,
        "inspectors": [org.inspector],
        **extra,
    }
    return services.plan_create(actor=org.street, data=data)


def open_round(org, plan, start, end, seed=None):
    """A round of `plan` opened by the street, due on its last day."""
    return services.round_open(actor=org.street, plan=plan, period_start=start, period_end=end, deadline=end, seed=seed)


def test_sampling_is_reproducible_with_the_recorded_seed(org, checklist):
    shops = UnitType.objects.get(code="shop")
    for n in range(10):
        org_services.unit_create(actor=None, unit_type=shops, name=f"门店{n}", jurisdiction=org.comm_a2)
    plan = make_plan(org, checklist, sample_mode="count", sample_count=3, unit_types=[shops])
    first = open_round(org, plan, date(2026, 11, 1), date(2026, 11, 30), seed=42)
    second = open_round(org, plan, date(2026, 12, 1), date(2026, 12, 31), seed=42)
    third = open_round(org, plan, date(2027, 1, 1), date(2027, 1, 31), seed=7)

    def targets(round_):
        return sorted(round_.inspections.values_list("target_unit_id", flat=True))

    assert len(targets(first)) == 3 and targets(first) == targets(second)
    assert targets(third) != targets(first)  # another seed, another draw (11 shops: 165 possible draws)
    assert first.sampling == [{"group": "商户/门店", "candidates": 11, "drawn": 3}]
    assert second.seed == 42 and first.number == 1 and second.number == 2
    # the street_b shop lies outside the plan's street
    assert org.unit_b1.pk not in targets(first) + targets(third)


def test_share_sampling_and_all_targets(org, checklist):
    plan = make_plan(org, checklist)  # all shops, property and catering units of street A
    round_ = open_round(org, plan, date(2026, 11, 1), date(2026, 11, 30))
    assert set(round_.inspections.values_list("target_unit_id", flat=True)) == {
        org.unit_a1.pk,
        org.unit_a1b.pk,
        org.unit_a2.pk,
    }
    assert round_.seed is not None
    assert AuditEvent.objects.filter(action="inspections.inspectionround.created", object_id=str(round_.pk)).exists()


def test_an_inspector_is_never_assigned_to_their_own_unit(org, checklist):
    org.inspector.unit = org.unit_a1  # e.g. a property company's staff member lent to the inspection team
    org.inspector.save()
    other = services_user(org)
    plan = make_plan(org, checklist, inspectors=[org.inspector, other])
    round_ = open_round(org, plan, date(2026, 11, 1), date(2026, 11, 30))
    assert round_.inspections.get(target_unit=org.unit_a1).inspector == other
    sheet = round_.inspections.get(target_unit=org.unit_a1)
    with pytest.raises(PermissionDeniedForRole):
        services.inspection_save_item(
            actor=org.inspector, inspection=sheet, item_id=checklist.items["B"].pk, occurrences=1
        )
    with pytest.raises(PermissionDeniedForRole):
        services.inspection_create(actor=org.inspector, template=checklist, unit=org.unit_a1)


def services_user(org):
    from apps.core.roles import Role
    from tests.builders import make_user

    return make_user("t_insp2", Role.INSPECTOR, org.street_a)


def test_rounds_open_by_themselves_after_the_first(org, checklist):
    plan = make_plan(org, checklist, kind="daily")
    assert services.rounds_open_due(today=date(2026, 11, 2)) == 0  # a person opens the first round
    open_round(org, plan, date(2026, 11, 1), date(2026, 11, 1))
    assert services.rounds_open_due(today=date(2026, 11, 2)) == 1
    assert services.rounds_open_due(today=date(2026, 11, 2)) == 0
    latest = plan.rounds.order_by("-number").first()
    assert (latest.number, latest.period_start) == (2, date(2026, 11, 2))


# Filling in and submitting ----------------------------------------------------------------------


def test_saving_items_keeps_a_running_total_and_ignores_older_replays(org, checklist):
    sheet = sheet_for(org, checklist, org.unit_a2)
    item_a = checklist.items["A"]
    _r, sheet, applied = services.inspection_save_item(
        actor=org.inspector, inspection=sheet, item_id=item_a.pk, occurrences=2, note="两处垃圾", stamp=2000
    )
    assert applied and sheet.total == D(16) and sheet.status == InspectionStatus.IN_PROGRESS
    # the same item entered earlier on the phone arrives late (it was queued offline): ignored
    result, sheet, applied = services.inspection_save_item(
        actor=org.inspector, inspection=sheet, item_id=item_a.pk, occurrences=5, note="旧", stamp=1000
    )
    assert not applied and result.occurrences == 2 and sheet.total == D(16)
    _r, sheet, _a = services.inspection_save_item(
        actor=org.inspector, inspection=sheet, item_id=checklist.items["C"].pk, passed=False, stamp=3000
    )
    assert sheet.total == D(11) and sheet.vetoed and sheet.percent == D("55.0")


def test_a_photo_upload_retried_with_the_same_key_is_stored_once(org, checklist):
    sheet = sheet_for(org, checklist, org.unit_a2)
    item = checklist.items["A"]
    first = services.inspection_add_photo(
        actor=org.inspector, inspection=sheet, item_id=item.pk, upload=jpeg(), client_key="k1"
    )
    again = services.inspection_add_photo(
        actor=org.inspector, inspection=sheet, item_id=item.pk, upload=jpeg(), client_key="k1"
    )
    assert first.pk == again.pk


def test_submission_needs_a_note_per_deduction_and_the_required_photos(org, checklist):
    sheet = sheet_for(org, checklist, org.unit_a2)
    fill(sheet, org.inspector, {"A": 1, "B": 1}, notes=False)
    with pytest.raises(DomainError) as error:
        submit(sheet, org.inspector)
    assert "A 扣分须填写说明" in str(error.value.message)
    assert "A 扣分须拍照" in str(error.value.message)
    assert "B 扣分须拍照" not in str(error.value.message)
    sheet.refresh_from_db()
    assert sheet.status == InspectionStatus.IN_PROGRESS  # nothing half-saved


def test_submitting_freezes_the_sheet_and_opens_dispatched_cases(org, checklist, django_capture_on_commit_callbacks):
    sheet = sheet_for(org, checklist, org.unit_a2)
    fill(sheet, org.inspector, {"A": 2, "B": 1}, photos=["A"])
    with django_capture_on_commit_callbacks(execute=True):
        sheet = submit(sheet, org.inspector, representative_name="王店长", representative_confirmed=True)
    assert (sheet.total, sheet.original_total, sheet.percent) == (D(13), D(13), D("65.0"))  # 20 − 2×2 − 3
    assert sheet.inspected_on == timezone.localdate()
    assert sheet.appeal_until == sheet.inspected_on + timedelta(days=3)
    results = {r.item.code: r for r in sheet.results.select_related("case", "item")}
    for code in ("A", "B"):
        case = results[code].case
        assert case.source == CaseSource.INSPECTION
        assert case.status == CaseStatus.DISPATCHED and case.assignee_unit == org.unit_a2
        assert case.inspection_finding == results[code]
    assert results["A"].case.photos.count() == 1
    assert results["B"].case.category.code == "inspection_finding"
    with pytest.raises(DomainError):
        services.inspection_save_item(actor=org.inspector, inspection=sheet, item_id=checklist.items["A"].pk)
    assert AuditEvent.objects.filter(action="inspections.inspection.submitted", object_id=str(sheet.pk)).exists()


def test_a_unit_sees_its_sheets_only_once_submitted(org, checklist):
    sheet = sheet_for(org, checklist, org.unit_a1)
    visible = Inspection.objects.restrict(org.unit_contact)
    assert not visible.filter(pk=sheet.pk).exists()
    fill(sheet, org.inspector, {"B": 1})
    submit(sheet, org.inspector, open_cases=False)
    assert visible.filter(pk=sheet.pk).exists()
    assert not Inspection.objects.restrict(org.street_other).filter(pk=sheet.pk).exists()


def test_a_correction_needs_a_reason_and_keeps_the_original(org, checklist):
    sheet = sheet_for(org, checklist, org.unit_a2)
    fill(sheet, org.inspector, {"B": 1})
    sheet = submit(sheet, org.inspector, open_cases=False)
    result = sheet.results.get(item__code="B")
    with pytest.raises(DomainError):
        services.inspection_correct(
            actor=org.street, inspection=sheet, item=result.item, occurrences=0, passed=True, reason=" "
        )
    with pytest.raises(PermissionDeniedForRole):
        services.inspection_correct(
            actor=org.community_other, inspection=sheet, item=result.item, occurrences=0, passed=True, reason="x"
        )
    services.inspection_correct(
        actor=org.street, inspection=sheet, item=result.item, occurrences=0, passed=True, reason="误记"
    )
    sheet.refresh_from_db()
    assert (sheet.total, sheet.original_total) == (D(20), D(17))
    change = ScoreChange.objects.get(inspection=sheet)
    assert (change.total_before, change.total_after, change.reason) == (D(17), D(20), "误记")


# Appeals and published rankings -----------------------------------------------------------------


def test_an_upheld_appeal_changes_nothing_and_appeals_are_once_per_item(org, checklist):
    sheet = sheet_for(org, checklist, org.unit_a1)
    fill(sheet, org.inspector, {"B": 1})
    sheet = submit(sheet, org.inspector, open_cases=False)
    result = sheet.results.get(item__code="B")
    with pytest.raises(PermissionDeniedForRole):
        services.appeal_submit(actor=org.community, result=result, reason="不服")
    appeal = services.appeal_submit(actor=org.unit_contact, result=result, reason="当天已清理", photos=[jpeg()])
    assert appeal.photos.count() == 1
    with pytest.raises(DomainError):
        services.appeal_submit(actor=org.unit_contact, result=result, reason="再申诉")
    with pytest.raises(PermissionDeniedForRole):  # the inspector may not judge their own sheet
        services.appeal_decide(actor=org.inspector, appeal=appeal, overturn=True, note="x")
    appeal = services.appeal_decide(actor=org.street, appeal=appeal, overturn=False, note="照片显示问题属实")
    sheet.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD and sheet.total == D(17)


def test_appeals_close_after_the_window(org, checklist):
    sheet = sheet_for(org, checklist, org.unit_a1)
    fill(sheet, org.inspector, {"B": 1})
    sheet = submit(sheet, org.inspector, open_cases=False)
    Inspection.objects.filter(pk=sheet.pk).update(appeal_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(DomainError) as error:
        services.appeal_submit(actor=org.unit_contact, result=sheet.results.get(item__code="B"), reason="迟到")
    assert "申诉期限已过" in str(error.value.message)


def test_an_overturned_appeal_recalculates_the_published_ranking_and_moves_the_red_flag(org, checklist):
    """幸福物业 17 vs 甲一面馆 19 → the restaurant leads; the property company's appeal restores
    its 3 points (20), so it takes first place and the red flag; the old flag stays, revoked."""
    property_type = UnitType.objects.get(code="property")
    org_services.unit_create(
        actor=None, unit_type=property_type, name="第二物业", jurisdiction=org.comm_a1
    )  # not inspected
    first = sheet_for(org, checklist, org.unit_a1)
    fill(first, org.inspector, {"B": 1})
    first = submit(first, org.inspector, open_cases=False)
    second_unit = org_services.unit_create(
        actor=None, unit_type=property_type, name="第三物业", jurisdiction=org.comm_a2
    )
    second = sheet_for(org, checklist, second_unit)
    fill(second, org.inspector, {"A": 1}, photos=["A"])
    submit(second, org.inspector, open_cases=False)
    published = services.ranking_publish(
        actor=org.street,
        node=org.street_a,
        period_kind="month",
        day=timezone.localdate(),
        level_key="unit:property",
        title="",
        issuer="甲街道创卫办",
    )
    rows = {row["label"]: row for row in published.rows}
    assert (rows["第三物业"]["rank"], rows["第三物业"]["flag"]) == (1, "red")
    assert rows["幸福物业"]["rank"] == 2 and rows["幸福物业"]["flag"] == "yellow"
    appeal = services.appeal_submit(actor=org.unit_contact, result=first.results.get(item__code="B"), reason="已整改")
    services.appeal_decide(actor=org.street, appeal=appeal, overturn=True, note="证据属实，撤销扣分")
    published.refresh_from_db()
    rows = {row["label"]: row for row in published.rows}
    assert (rows["幸福物业"]["rank"], rows["幸福物业"]["composite"], rows["幸福物业"]["flag"]) == (1, "100.0", "red")
    assert rows["第三物业"]["rank"] == 2
    assert published.revision == 1
    flags = FlagAward.objects.filter(ranking=published, kind="red")
    current = {f.target_label for f in flags if f.revoked_at is None}
    revoked = {f.target_label for f in flags if f.revoked_at is not None}
    assert current == {"幸福物业"} and revoked == {"第三物业"}
    first.refresh_from_db()
    assert (first.total, first.original_total) == (D(20), D(17))
    assert AuditEvent.objects.filter(action="inspections.publishedranking.recalculated").exists()


def test_jurisdiction_rankings_fold_unit_sheets_and_cases_into_communities(org, checklist):
    a1 = sheet_for(org, checklist, org.unit_a1)  # in 幸福小区, inside 甲一社区
    fill(a1, org.inspector, {"B": 1})
    submit(a1, org.inspector, open_cases=False)  # 85 %
    a2 = sheet_for(org, checklist, org.unit_a2)  # 甲二社区
    fill(a2, org.inspector, {"A": 1}, photos=["A"])
    submit(a2, org.inspector, open_cases=False)  # 90 %
    result = rankings.ranking_compute(
        node=org.street_a, period_kind="quarter", day=timezone.localdate(), level_key="level:community"
    )
    assert [(r.label, r.rank, r.inspection) for r in result.rows] == [
        ("甲二社区", 1, D("90.0")),
        ("甲一社区", 2, D("85.0")),
    ]


def test_publishing_needs_inspections_and_is_scoped(org, checklist):
    with pytest.raises(DomainError):
        services.ranking_publish(
            actor=org.street,
            node=org.street_a,
            period_kind="month",
            day=timezone.localdate(),
            level_key="unit:shop",
            title="",
            issuer="",
        )
    from apps.core.exceptions import OutsideJurisdiction

    with pytest.raises(OutsideJurisdiction):
        services.ranking_publish(
            actor=org.street_other,
            node=org.street_a,
            period_kind="month",
            day=timezone.localdate(),
            level_key="unit:shop",
            title="",
            issuer="",
        )


def test_plans_are_scoped_to_the_street(org, checklist):
    plan = make_plan(org, checklist)
    assert InspectionPlan.objects.restrict(org.street_other).filter(pk=plan.pk).count() == 0
    from apps.core.exceptions import OutsideJurisdiction

    with pytest.raises(OutsideJurisdiction):
        make_plan_as(org.street_other, org, checklist)


def make_plan_as(user, org, checklist):
    return services.plan_create(
        actor=user,
        data={
            "name": "x",
            "jurisdiction": org.street_a,
            "template": checklist,
            "kind": "daily",
            "sample_mode": "all",
            "is_active": True,
            "inspectors": [],
        },
    )


def test_a_finding_without_photo_falls_back_to_a_category_that_needs_none(org, checklist):
    from apps.cases.models import Category

    item_b = checklist.items["B"]  # no photo required on the sheet
    services.checklist_item_save(
        actor=org.office,
        template=checklist,
        item=item_b,
        data={"category": Category.objects.get(code="clutter")},  # 乱堆乱放 wants a photo
    )
    sheet = sheet_for(org, checklist, org.unit_a2)
    fill(sheet, org.inspector, {"B": 1})
    sheet = submit(sheet, org.inspector)
    case = sheet.results.get(item__code="B").case
    assert case.category.code == "inspection_finding" and case.status == CaseStatus.DISPATCHED


def test_two_people_editing_a_checklist_cannot_overwrite_each_other(org, checklist):
    from apps.core.exceptions import ConcurrentEdit

    seen = checklist.version
    item_a = checklist.items["A"]
    services.checklist_item_save(
        actor=org.office, template=checklist, item=item_a, data={"text": "甲改", "version": seen}
    )
    with pytest.raises(ConcurrentEdit):
        services.checklist_item_save(
            actor=org.office, template=checklist, item=item_a, data={"text": "乙改", "version": seen}
        )
    item_a.refresh_from_db()
    assert item_a.text == "甲改"


def test_recalculation_keeps_the_published_weights_and_refreshes_the_next_periods_movement(org, checklist):
    """Published in October with 0.6/0.3/0.1, then the weights change: an October appeal re-ranks
    October with the old weights, and November's movement column follows."""
    from apps.inspections.models import RankingScheme

    october = date(2026, 10, 15)
    sheets = {}
    for unit, findings in ((org.unit_a1, {"B": 1}), (org.unit_a2, {"A": 1})):
        sheet = sheet_for(org, checklist, unit)
        fill(sheet, org.inspector, findings, photos=["A"] if "A" in findings else [])
        sheets[unit.pk] = submit(sheet, org.inspector, open_cases=False)
    Inspection.objects.update(inspected_on=october, appeal_until=date(2099, 1, 1))
    november = sheet_for(org, checklist, org.unit_a1)
    submit(november, org.inspector, open_cases=False)
    Inspection.objects.filter(pk=november.pk).update(inspected_on=date(2026, 11, 10))
    org.unit_a2.unit_type = org.unit_a1.unit_type  # both property companies: one list
    org.unit_a2.save()
    publish = {"actor": org.street, "node": org.street_a, "period_kind": "month", "level_key": "unit:property"}
    oct_ranking = services.ranking_publish(day=october, title="", issuer="甲街道", **publish)
    nov_ranking = services.ranking_publish(day=date(2026, 11, 10), title="", issuer="甲街道", **publish)
    assert [r["movement"] for r in nov_ranking.rows] == [1]  # 幸福物业: 2nd in October, 1st in November
    RankingScheme.objects.create(jurisdiction=org.street_a, weight_inspection=D("0.1"), red_flags=2)

    appeal = services.appeal_submit(
        actor=org.unit_contact, result=sheets[org.unit_a1.pk].results.get(), reason="已清理"
    )
    services.appeal_decide(actor=org.street, appeal=appeal, overturn=True, note="撤销")
    oct_ranking.refresh_from_db()
    nov_ranking.refresh_from_db()
    assert [(r["label"], r["rank"], r["flag"]) for r in oct_ranking.rows] == [
        ("幸福物业", 1, "red"),
        ("甲二超市", 2, "yellow"),
    ]
    assert oct_ranking.weights == {"inspection": "0.6", "closure": "0.3", "recurrence": "0.1"}
    assert [r["movement"] for r in nov_ranking.rows] == [0] and nov_ranking.revision == 1


def test_an_appealed_item_is_corrected_only_by_a_reviewer(org, checklist):
    sheet = sheet_for(org, checklist, org.unit_a1)
    fill(sheet, org.inspector, {"B": 1})
    sheet = submit(sheet, org.inspector, open_cases=False)
    result = sheet.results.get()
    services.appeal_submit(actor=org.unit_contact, result=result, reason="不服")
    with pytest.raises(PermissionDeniedForRole):
        services.inspection_correct(
            actor=org.inspector, inspection=sheet, item=result.item, occurrences=2, passed=False, reason="补记"
        )
    services.inspection_correct(
        actor=org.street, inspection=sheet, item=result.item, occurrences=0, passed=True, reason="核实"
    )


def test_community_staff_do_not_score_their_own_community(org):
    services.install_starter_templates()
    residential = ChecklistTemplate.objects.get(code="residential")
    with pytest.raises(PermissionDeniedForRole):
        services.inspection_create(actor=org.community, template=residential, jurisdiction=org.estate_a1)
    sheet = services.inspection_create(actor=org.street, template=residential, jurisdiction=org.estate_a1)
    assert sheet.target_jurisdiction == org.estate_a1 and sheet.target_unit is None


def test_starter_data_files_follow_the_scoring_rules():
    from apps.inspections.starters import starter_templates, validate_starters

    validate_starters()
    assert starter_templates()[0]["code"] == "residential"
