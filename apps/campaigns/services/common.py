"""Checks every campaign service shares."""

from apps.core.exceptions import OutsideJurisdiction
from apps.core.permissions import ensure_role_allows

from ..areas import ensure_area
from ..models import Campaign

__all__ = ["ensure_area", "ensure_manages", "ensure_sees"]


def ensure_manages(actor, campaign: Campaign, model=Campaign, action: str = "change") -> None:
    """Raise unless `actor` may `action` `model` rows and `campaign` lies in their own subtree
    (a community reads its district's campaign but changes only its own)."""
    if actor is None:
        return
    ensure_role_allows(actor, model, action)
    if not Campaign.objects.filter(Campaign.manage_q(actor), pk=campaign.pk).exists():
        raise OutsideJurisdiction()


def ensure_sees(actor, campaign: Campaign, model, action: str) -> None:
    """Raise unless `actor` may `action` `model` rows and sees `campaign` (their own or one above)."""
    if actor is None:
        return
    ensure_role_allows(actor, model, action)
    if not Campaign.objects.restrict(actor, "view").filter(pk=campaign.pk).exists():
        raise OutsideJurisdiction()
