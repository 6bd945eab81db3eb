"""Reads of mock assessments: the places a sample is drawn from, the marks of a mock, its page."""

from __future__ import annotations

from datetime import date

from apps.organization.choices import UnitStatus
from apps.organization.models import Jurisdiction, Unit

from .. import scoring
from ..filters.assessment import MockFilterSet
from ..models import Campaign, EvidenceLink, MockAssessment
from .assessment import as_item
from .ledger import campaign_items

CLOSED_CASES = "cases.closed"
# The places an assessor walks through: communities/villages and 小区/自然村 (not grids or buildings).
PLACE_LEVELS = ("community", "estate")


def _point(lat, lng) -> dict:
    return {"lat": float(lat), "lng": float(lng)} if lat is not None and lng is not None else {}


def sample_candidates(*, campaign: Campaign, jurisdiction: Jurisdiction, since: date) -> dict[str, list[dict]]:
    """The places a mock assessment may visit inside `jurisdiction`, by kind: active units (from
    the map), the jurisdictions below it (communities, 小区), and the places of cases closed since
    `since` that the campaign's ledger holds (title and link only: the cases app is not read)."""
    path = jurisdiction.path
    units = [
        {
            "kind": "unit",
            "id": unit.pk,
            "name": unit.name,
            **_point(unit.lat, unit.lng),
            "why": unit.unit_type.name,
        }
        for unit in Unit.objects.filter(
            jurisdiction__path__startswith=path, status=UnitStatus.OPERATING
        ).select_related("unit_type")
    ]
    places = [
        {
            "kind": "place",
            "id": place.pk,
            "name": place.name,
            **_point(place.center_lat, place.center_lng),
            "why": place.level.name,
        }
        for place in Jurisdiction.objects.filter(path__startswith=path, level__code__in=PLACE_LEVELS)
        .exclude(pk=jurisdiction.pk)
        .select_related("level")
    ]
    seen, cases = set(), []
    links = EvidenceLink.objects.filter(
        campaign=campaign,
        source=CLOSED_CASES,
        is_active=True,
        jurisdiction_path__startswith=path,
        occurred_on__gte=since,
    ).order_by("object_id", "id")
    for link in links.values("object_id", "title", "url", "occurred_on"):
        if link["object_id"] in seen:
            continue
        seen.add(link["object_id"])
        cases.append(
            {
                "kind": "case",
                "id": link["object_id"],
                "name": link["title"],
                "url": link["url"],
                "why": link["occurred_on"].isoformat(),
            }
        )
    return {"unit": units, "place": places, "case": cases}


def mock_marks(mock: MockAssessment) -> list[scoring.Mark]:
    """Every item of the standard with the mock's result and score (None where not scored yet)."""
    scores = {s.item_id: s for s in mock.scores.all()}
    marks = []
    for item in campaign_items(mock.campaign):
        row = scores.get(item.pk)
        marks.append(scoring.Mark(as_item(item), row.result if row else None, row.score if row else None))
    return marks


def mock_list(*, user, campaign: Campaign, filters=None):
    qs = MockAssessment.objects.restrict(user, "view").filter(campaign=campaign).select_related("jurisdiction")
    return MockFilterSet.apply(qs, filters, user=user).select_related("assessor").order_by("-conducted_on", "-id")


def mock_overview(mock: MockAssessment) -> dict:
    """The mock's page: items (prerequisites first) with their scores, the live projection and
    the weakest items."""
    items = list(campaign_items(mock.campaign))
    scores = {s.item_id: s for s in mock.scores.all()}
    marks = {m.item.id: m for m in mock_marks(mock)}
    rows = [{"item": item, "score": scores.get(item.pk), "mark": marks[item.pk]} for item in items]
    rows.sort(key=lambda row: not row["item"].is_prerequisite)
    totals = scoring.totals(list(marks.values()))
    by_id = {item.pk: item for item in items}
    weakest = [
        {"item": by_id[m.item.id], "mark": m, "score": scores.get(m.item.id)}
        for m in scoring.weakest(list(marks.values()), 10)
    ]
    return {"rows": rows, "totals": totals, "weakest": weakest}
