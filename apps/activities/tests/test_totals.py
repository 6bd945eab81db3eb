"""Hand-computed roll-up: each record counted once per node, never twice at the street."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.activities import services, totals
from apps.activities.evidence import FIGURES, activity_records
from apps.activities.tests.helpers import out
from apps.core.evidence import EvidenceQuery

pytestmark = pytest.mark.django_db


@pytest.fixture
def drives(org):
    today = timezone.localdate()
    # A1's own drive: 120 人次, 3 t, 50 处.
    a1 = services.activity_create(
        actor=org.community,
        kind="cleanup",
        title="A1 drive",
        held_on=today,
        jurisdiction=org.comm_a1,
        participants={"resident": 100, "party_cadre": 20},
        outputs=[out("garbage_t", 3), out("dead_spots", 50)],
    )
    # The street's drive covering A1 and A2: 60 人次, 2 t.
    street = services.activity_create(
        actor=org.street,
        kind="campaign",
        title="street drive",
        held_on=today,
        jurisdiction=org.street_a,
        areas=[org.comm_a1, org.comm_a2],
        participants={"unit_staff": 60},
        outputs=[out("garbage_t", 2)],
    )
    # Equipment in A2: not a drive, 10 bins.
    bins = services.activity_create(
        actor=org.community_other,
        kind="equipment",
        title="bins",
        held_on=today,
        jurisdiction=org.comm_a2,
        outputs=[out("bins", 10, location="人民路")],
    )
    # Planned (not counted) and cancelled (not counted).
    services.activity_create(
        actor=org.community,
        kind="cleanup",
        title="future",
        held_on=today + timedelta(days=3),
        jurisdiction=org.comm_a1,
        participants={"resident": 999},
        held=False,
    )
    gone = services.activity_create(
        actor=org.community,
        kind="cleanup",
        title="gone",
        held_on=today,
        jurisdiction=org.comm_a1,
        participants={"resident": 500},
    )
    services.activity_transition(actor=org.community, activity=gone, name="cancel", reason="重复登记")
    # Street B: never counted in street A.
    services.activity_create(
        actor=org.community_b,
        kind="cleanup",
        title="B",
        held_on=today,
        jurisdiction=org.comm_b1,
        participants={"resident": 7},
        outputs=[out("garbage_t", 1)],
    )
    return {"a1": a1, "street": street, "bins": bins}


def test_street_counts_a_drive_covering_two_communities_once(org, drives):
    street = totals.totals_for(totals.held_in(org.street_a.path, None, None))
    assert street.drives == 2  # A1 drive + street drive; equipment is not a drive
    assert street.activities == 3
    assert street.person_times == 120 + 60  # not 120 + 60 + 60
    assert street.outputs["garbage_t"] == Decimal(3 + 2)  # not 3 + 2 + 2
    assert street.outputs["dead_spots"] == 50
    assert street.outputs["bins"] == 10
    assert street.by_kind == {"resident": 100, "party_cadre": 20, "unit_staff": 60}


def test_each_community_counts_the_street_drive(org, drives):
    a1 = totals.totals_for(totals.held_in(org.comm_a1.path, None, None))
    a2 = totals.totals_for(totals.held_in(org.comm_a2.path, None, None))
    assert (a1.drives, a1.person_times, a1.outputs["garbage_t"]) == (2, 180, 5)
    assert (a2.drives, a2.person_times, a2.outputs["garbage_t"]) == (1, 60, 2)
    # The communities' sum exceeds the street's: the street drive is in both.
    assert a1.person_times + a2.person_times == 240 > 180


def test_district_and_period(org, drives):
    district = totals.totals_for(totals.held_in(org.district.path, None, None))
    assert district.person_times == 187 and district.outputs["garbage_t"] == 6
    yesterday = timezone.localdate() - timedelta(days=1)
    assert totals.drives(org.district.path, None, yesterday) == 0
    assert totals.person_times(org.street_a.path, date(2000, 1, 1), timezone.localdate()) == 180


def test_figures_match_the_totals_and_link_to_the_list(org, drives):
    figures = {f.key: f for f in FIGURES}
    path = org.street_a.path
    assert figures["activities.drives"].compute(path, None, None).value == 2
    assert figures["activities.person_times"].compute(path, None, None).value == 180
    value = figures["activities.output.garbage_t"].compute(path, None, None)
    assert value.value == 5
    assert f"jurisdiction={org.street_a.pk}" in value.url and "measure=garbage_t" in value.url
    assert figures["activities.output.bins"].compute(path, None, None).value == 10
    assert "activities.volunteer_hours" in figures and all(f.group and f.permission for f in FIGURES)


def test_evidence_records_once_with_kind(org, drives):
    records = list(activity_records(EvidenceQuery(jurisdiction_path=org.street_a.path)))
    assert len(records) == 3
    assert len({r.object_id for r in records}) == 3
    only = list(activity_records(EvidenceQuery(jurisdiction_path=org.comm_a2.path, category="campaign")))
    assert [r.object_id for r in only] == [str(drives["street"].pk)]


def test_list_filter_links_to_exactly_the_counted_records(org, drives, client):
    from apps.activities.selectors import activity_list, list_totals

    filters = {"jurisdiction": str(org.street_a.pk), "status": "held"}
    rows = list(activity_list(user=org.street, filters=filters))
    assert len(rows) == 3 == len({r.pk for r in rows})
    bar = list_totals(user=org.street, filters=filters)
    assert (bar.drives, bar.person_times, bar.outputs["garbage_t"]) == (2, 180, 5)
    # The community sees the street's drive that covered it (but cannot change it).
    community_rows = activity_list(user=org.community_other, filters={"status": "held"})
    assert {r.title for r in community_rows} == {"street drive", "bins"}


def test_each_figure_links_to_exactly_the_records_it_counts(org, drives, client):
    """活动次数 leaves out 设施配备 and its link must too; a measure's link lists only the
    activities whose line adds to it (a line cleared to 0 adds nothing)."""
    line = drives["a1"].outputs.get(measure__code="dead_spots")
    services.activity_update(
        actor=org.community,
        activity=drives["a1"],
        expected_version=drives["a1"].version,
        changes={},
        outputs=[{"id": line.pk, "measure": line.measure, "quantity": Decimal(0)}],
    )
    figures = {f.key: f for f in FIGURES}
    client.force_login(org.street)

    def listed(key):
        value = figures[key].compute(org.street_a.path, None, None)
        response = client.get(value.url)
        assert response.status_code == 200, value.url
        return value.value, {a.title for a in response.context["rows"]}

    assert listed("activities.drives") == (2, {"A1 drive", "street drive"})
    assert listed("activities.person_times") == (180, {"A1 drive", "street drive", "bins"})
    assert listed("activities.output.garbage_t") == (5, {"A1 drive", "street drive"})
    assert listed("activities.output.bins") == (10, {"bins"})
    assert listed("activities.output.dead_spots") == (0, set())
    # The app's own totals page links its 活动次数 the same way.
    page = client.get(reverse("activities:totals"), {"jurisdiction": org.street_a.pk})
    assert "drives=1" in page.context["rows"][0]["drives_url"]


def test_the_batch_gives_every_figure_as_computed_alone(org, drives):
    from apps.activities.evidence import figure_values

    today = timezone.localdate()
    for node, start, end in [(org.street_a, None, None), (org.comm_a2, today, today), (org.district, None, None)]:
        together = figure_values(node.path, start, end)
        assert set(together) == {f.key for f in FIGURES}
        for figure in FIGURES:
            alone = figure.compute(node.path, start, end)
            assert (together[figure.key].value, together[figure.key].url) == (alone.value, alone.url), figure.key


def test_the_totals_page_computes_the_activity_figures_in_a_few_queries(org, drives, client):
    """22 figures × 3 rows (street A, A1, A2): four aggregates per row, not one per figure."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org.street)
    url = reverse("reports:totals")
    client.get(url, {"group": "activities"}, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"group": "activities"}, HTTP_HX_REQUEST="true")
    cells = {cell.figure.key: cell for cell in response.context["section"]["rows"][0].cells}
    assert cells["activities.person_times"].value.value == 180 and cells["activities.output.garbage_t"].text == "5"
    rows = len(response.context["section"]["rows"])
    # 4 aggregates per row, each batch in a savepoint (2 more: tests run in a transaction), + the page's handful.
    assert len(queries) <= rows * (4 + 2) + 10, len(queries)
