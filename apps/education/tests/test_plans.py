"""Plans: one per jurisdiction and year, the grid saved as one versioned edit, bad numbers refused
with a message (nothing half-saved), 开课率 on the plan page as computed by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.education.models import EducationPlan, PlanTarget
from apps.education.selectors import activities as selectors
from apps.education.services import activities as services
from apps.education.services import plans as plan_services

pytestmark = pytest.mark.django_db


def _plan(org, **targets):
    return plan_services.plan_create(
        actor=org.community, jurisdiction=org.comm_a1, year=2026, title="计划", targets=targets or {("lecture", 3): 9}
    )


def _held(org, kind, day, n=1):
    for _i in range(n):
        a = services.activity_create(
            actor=org.community, jurisdiction=org.comm_a1, kind=kind, topic="讲座", held_on=day
        )
        services.activity_transition(actor=org.community, activity=a, name="hold")


def test_plan_create_once_a_year_and_audited(org):
    plan = _plan(org)
    assert list(plan.targets.values_list("kind", "month", "planned")) == [("lecture", 3, 9)]
    assert AuditEvent.objects.filter(action="education.educationplan.created").count() == 1
    with pytest.raises(DomainError):
        _plan(org)
    assert EducationPlan.objects.count() == 1


def test_plan_scope_and_role(org):
    with pytest.raises(OutsideJurisdiction):
        plan_services.plan_create(actor=org.community, jurisdiction=org.comm_a2, year=2026, title="x")
    with pytest.raises(PermissionDeniedForRole):
        plan_services.plan_create(actor=org.grid, jurisdiction=org.grid_a1, year=2026, title="x")
    street_plan = plan_services.plan_create(actor=org.street, jurisdiction=org.street_a, year=2026, title="街道")
    with pytest.raises(OutsideJurisdiction):  # the community reads the street's plan, never changes it
        plan_services.plan_update(
            actor=org.community, plan=street_plan, expected_version=street_plan.version, changes={}, targets={}
        )


def test_plan_update_versioned_and_bad_number_saves_nothing(org):
    plan = _plan(org)
    plan = plan_services.plan_update(
        actor=org.community,
        plan=plan,
        expected_version=plan.version,
        changes={"title": "新计划"},
        targets={("lecture", 3): 0, ("training", 4): 2},
    )
    assert plan.title == "新计划" and plan.version == 2
    assert list(PlanTarget.objects.values_list("kind", "month", "planned")) == [("training", 4, 2)]
    with pytest.raises(ConcurrentEdit):
        plan_services.plan_update(actor=org.community, plan=plan, expected_version=1, changes={}, targets={})
    with pytest.raises(DomainError):
        plan_services.plan_update(
            actor=org.community,
            plan=plan,
            expected_version=plan.version,
            changes={"title": "半途"},
            targets={("training", 4): 5, ("lecture", 5): 501},
        )
    plan.refresh_from_db()
    assert plan.title == "新计划" and PlanTarget.objects.get().planned == 2


def test_plan_form_refuses_bad_numbers_with_a_message(client, org):
    client.force_login(org.community)
    data = {"jurisdiction": org.comm_a1.pk, "year": 2026, "title": "计划", "t_lecture_1": "-1", "t_training_2": "abc"}
    response = client.post(reverse("education:plan_create"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "「健康讲座」1月：不能为负数。" in body and "「健康培训班」2月：请输入整数。" in body
    assert not EducationPlan.objects.exists()
    data.update({"t_lecture_1": "2", "t_training_2": "1"})
    response = client.post(reverse("education:plan_create"), data)
    assert response.status_code == 302
    plan = EducationPlan.objects.get()
    assert sorted(plan.targets.values_list("kind", "month", "planned")) == [("lecture", 1, 2), ("training", 2, 1)]


def test_plan_page_shows_rates_by_hand(client, org):
    # March: 9 lectures planned, 7 held → 77.8 %; Q1 the same; April: 2 classes planned, 3 held
    # plus 1 unplanned clinic → 100 %, 超额 1 + 1; the year: counted 7 + 2 of 11 → 81.8 %.
    plan = plan_services.plan_create(
        actor=org.community,
        jurisdiction=org.comm_a1,
        year=2026,
        title="计划",
        targets={("lecture", 3): 9, ("training", 4): 2},
    )
    _held(org, "lecture", date(2026, 3, 10), 7)
    _held(org, "training", date(2026, 4, 2), 3)
    _held(org, "clinic", date(2026, 4, 20))
    table = selectors.rate_table(user=org.community, node=org.comm_a1, year=2026)
    assert table["months"][2][1].percent == Decimal("77.8")
    assert table["quarters"][0][1].percent == Decimal("77.8")
    q2 = table["quarters"][1][1]
    assert (q2.percent, q2.surplus) == (Decimal("100.0"), 2)
    assert (table["year"].counted, table["year"].planned, table["year"].percent) == (9, 11, Decimal("81.8"))
    assert table["months"][0][1] is None  # January: no plan, no rate
    # The street's view adds its subtree: the same numbers (no street plan of its own).
    assert selectors.rate_table(user=org.street, node=org.street_a, year=2026)["year"].percent == Decimal("81.8")
    client.force_login(org.community)
    body = client.get(reverse("education:plan_detail", args=[plan.pk])).content.decode()
    assert "77.8%" in body and "81.8%" in body and "7/9" in body


def test_a_plan_page_counts_what_its_plan_covers(org):
    # The street plans 2 lectures in May; community A1 has its own plan, A2 has none. Held in May:
    # 1 lecture by the street, 1 in A1, 1 in A2. The street's plan page counts the street's and
    # A2's (2 of 2 → 100 %), not A1's, which counts against A1's own plan (1 of 3 → 33.3 %).
    street_plan = plan_services.plan_create(
        actor=org.street, jurisdiction=org.street_a, year=2026, title="街道", targets={("lecture", 5): 2}
    )
    a1_plan = plan_services.plan_create(
        actor=org.community, jurisdiction=org.comm_a1, year=2026, title="甲一", targets={("lecture", 5): 3}
    )
    for actor, place in ((org.street, org.street_a), (org.community, org.comm_a1), (org.community_other, org.comm_a2)):
        a = services.activity_create(
            actor=actor, jurisdiction=place, kind="lecture", topic="讲座", held_on=date(2026, 5, 6)
        )
        services.activity_transition(actor=actor, activity=a, name="hold")
    from apps.education import course_rate

    street = course_rate.period_rate(
        plan_services.targets_of(street_plan), selectors.plan_held_counts(plan=street_plan, user=org.street), [5]
    )
    a1 = course_rate.period_rate(
        plan_services.targets_of(a1_plan), selectors.plan_held_counts(plan=a1_plan, user=org.street), [5]
    )
    assert (street.counted, street.planned, street.percent) == (2, 2, Decimal("100.0"))
    assert (a1.counted, a1.planned, a1.percent) == (1, 3, Decimal("33.3"))
    # The street's home adds the plans up: 2 of 2 and 1 of 3 → 3 of 5 = 60.0 % (A1's gap shows).
    table = selectors.rate_table(user=org.street, node=org.street_a, year=2026)
    assert (table["year"].counted, table["year"].planned, table["year"].percent) == (3, 5, Decimal("60.0"))
