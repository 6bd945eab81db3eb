"""What plans and activities give the rest: the .xlsx ledger with materials, the read-only API
(scoped), the figures (开课率 by hand, held, 人次, copies) and the evidence sources."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.evidence import EvidenceQuery, figures, sources
from apps.education.services import activities as services
from apps.education.services import plans as plan_services

pytestmark = pytest.mark.django_db


def _held(org, day, kind="lecture", jurisdiction=None, attendance=0, materials=()):
    actor = org.community_other if jurisdiction == org.comm_a2 else org.community
    a = services.activity_create(
        actor=actor,
        jurisdiction=jurisdiction or org.comm_a1,
        kind=kind,
        topic="健康讲座",
        held_on=day,
        attendance=attendance,
        materials=materials,
    )
    return services.activity_transition(actor=actor, activity=a, name="hold")


@pytest.fixture
def year(org):
    # Plan: 3 lectures in May, 2 clinics in June. Held: 4 lectures in May (1 over), 1 clinic in
    # June; a lecture in community A2 (no plan) counts in the street's held figures only.
    plan_services.plan_create(
        actor=org.community,
        jurisdiction=org.comm_a1,
        year=2026,
        title="计划",
        targets={("lecture", 5): 3, ("clinic", 6): 2},
    )
    for day in (1, 8, 15, 22):
        _held(org, date(2026, 5, day), attendance=50, materials=[{"title": "健康读本", "quantity": 100, "unit": "册"}])
    _held(org, date(2026, 6, 3), kind="clinic", attendance=7, materials=[{"title": "控烟折页", "quantity": 30}])
    _held(org, date(2026, 6, 9), jurisdiction=org.comm_a2, attendance=11)


def test_figures_by_hand(org, year):
    compute = {key: f.compute for key, f in figures().items() if key.startswith("education.")}
    path, q2 = org.comm_a1.path, (date(2026, 4, 1), date(2026, 6, 30))
    rate = compute["education.course_rate"](path, *q2)
    # counted min(4, 3) + min(1, 2) = 4 of 5 → 80.0 %, 超额 1.
    assert (rate.value, rate.numerator, rate.denominator) == (Decimal("80.0"), 4, 5)
    assert "1" in rate.note
    may = compute["education.course_rate"](path, date(2026, 5, 1), date(2026, 5, 31))
    assert may.value == Decimal("100.0")
    assert compute["education.course_rate"](path, date(2026, 1, 1), date(2026, 3, 31)).value is None
    assert compute["education.activities_held"](path, *q2).value == 5
    assert compute["education.attendance"](path, *q2).value == 4 * 50 + 7
    assert compute["education.materials"](path, *q2).value == 4 * 100 + 30
    street = org.street_a.path
    assert compute["education.activities_held"](street, *q2).value == 6
    assert compute["education.attendance"](street, *q2).value == 218
    assert compute["education.course_rate"](street, *q2).value == Decimal("80.0")


def test_evidence_sources(org, year):
    found = list(sources()["education.activities"].records(EvidenceQuery(jurisdiction_path=org.comm_a1.path)))
    assert len(found) == 5 and found[0].occurred_on == date(2026, 6, 3)
    plans = list(sources()["education.plans"].records(EvidenceQuery(jurisdiction_path=org.street_a.path)))
    assert [p.occurred_on for p in plans] == [date(2026, 1, 1)]


def test_export_and_api(client, org, year):
    client.force_login(org.community)
    response = client.get(reverse("education:activity_list") + "?export=xlsx&month=6")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # header + the June clinic of A1 (A2's lecture is out of scope)
    assert rows[1][-2] == "控烟折页 30份" and rows[1][-1] == 30
    api = client.get("/api/v1/education-activities/?month=5").json()
    results = api["results"] if isinstance(api, dict) else api
    assert len(results) == 4 and results[0]["materials"] == [{"title": "健康读本", "quantity": 100, "unit": "册"}]
    assert "signin_token" not in results[0]
    assert client.get("/api/v1/education-activities/?month=13").status_code == 400


def test_overview_widget(rf, org):
    from django.utils import timezone

    from apps.education.widgets.activities import overview

    this_year = timezone.localdate().year
    plan_services.plan_create(
        actor=org.community, jurisdiction=org.comm_a1, year=this_year, title="计划", targets={("lecture", 1): 2}
    )
    _held(org, date(this_year, 1, 10), attendance=25)
    request = rf.get("/")
    request.user = org.street
    context = overview(request)
    assert context["rate"].percent == Decimal("50.0")  # 1 of 2 planned
    assert (context["totals"]["held"], context["totals"]["attendance"]) == (1, 25)
    request.user = org.community_other  # nothing planned or held in community A2
    assert overview(request) is None
