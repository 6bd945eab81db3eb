"""The demo's self-assessment and mock assessment: for every demo campaign, part of the items
self-assessed by a manager of its area (a prerequisite met, the rest mixed), and, for the first
campaign a street assessor can reach, one submitted mock assessment with tasks from its weakest
items. Works with whatever campaigns the other demo builders made (none: nothing to do)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.core.roles import Role

from .models import Campaign, ItemAssessment, MockAssessment
from .selectors.ledger import campaign_items
from .services.assessment import item_assess
from .services.mock import mock_create, mock_score, mock_submit, mock_tasks_create

# Cycled over the items: (result, share of the points), so the demo shows every result.
PATTERN = [("met", Decimal(1)), ("partly", Decimal("0.6")), ("met", Decimal(1)), ("unmet", Decimal(0))]
MOCK_PATTERN = [("met", Decimal(1)), ("partly", Decimal("0.5")), ("unmet", Decimal(0)), ("partly", Decimal("0.8"))]


def manager_of(campaign: Campaign, roles=(Role.STREET, Role.OFFICE, Role.ADMIN)) -> User | None:
    """An active user of one of `roles` whose area contains the campaign's jurisdiction."""
    path = campaign.jurisdiction.path
    for role in roles:
        for user in User.objects.filter(role=role, is_active=True).select_related("jurisdiction").order_by("pk"):
            if role == Role.ADMIN or (user.jurisdiction and path.startswith(user.jurisdiction.path)):
                return user
    return None


def _score(item, share):
    if not item.points:
        return None
    return (item.points * share).quantize(Decimal("0.1"))


def build(demo) -> None:
    campaigns = list(Campaign.objects.select_related("jurisdiction").order_by("pk"))
    mock_done = False
    for campaign in campaigns:
        actor = manager_of(campaign, (Role.STREET, Role.COMMUNITY, Role.OFFICE, Role.ADMIN))
        if actor is None:
            continue
        items = list(campaign_items(campaign))
        done = set(ItemAssessment.objects.filter(campaign=campaign).values_list("item_id", flat=True))
        # About two thirds of the items, prerequisites met (the pattern starts with 达标).
        for n, item in enumerate(items[: max(1, len(items) * 2 // 3)]):
            if item.pk in done:
                continue
            result, share = ("met", Decimal(1)) if item.is_prerequisite else PATTERN[n % len(PATTERN)]
            item_assess(actor=actor, campaign=campaign, item=item, result=result, score=_score(item, share), note="")
        if mock_done or MockAssessment.objects.filter(campaign=campaign).exists():
            mock_done = True
            continue
        assessor = manager_of(campaign, (Role.STREET, Role.OFFICE, Role.ADMIN))
        if assessor is None:
            continue
        scope = campaign.jurisdiction
        if assessor.role != Role.ADMIN and not scope.path.startswith(assessor.jurisdiction.path):
            continue
        mock = mock_create(
            actor=assessor,
            campaign=campaign,
            jurisdiction=scope,
            conducted_on=timezone.localdate() - timedelta(days=3),
            sample_size=6,
            seed=2026,
            note="",
        )
        for n, item in enumerate(items):
            result, share = MOCK_PATTERN[n % len(MOCK_PATTERN)]
            if item.is_prerequisite:
                result, share = "met", Decimal(1)
            mock_score(actor=assessor, mock=mock, item=item, result=result, score=_score(item, share))
        mock = mock_submit(actor=assessor, mock=MockAssessment.objects.get(pk=mock.pk))
        mock_tasks_create(actor=assessor, mock=mock, count=3, deadline=timezone.localdate() + timedelta(days=30))
        mock_done = True
