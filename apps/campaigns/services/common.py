"""Checks every campaign service shares."""

from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError, OutsideJurisdiction
from apps.core.permissions import ensure_role_allows

from ..models import Campaign


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


def ensure_area(actor, campaign: Campaign, jurisdiction) -> None:
    """An area of a campaign lies inside the campaign's jurisdiction and the actor's own subtree."""
    if not jurisdiction.path.startswith(campaign.jurisdiction.path):
        raise DomainError(_("责任区域必须在创建项目的辖区之内。"))
    if actor is not None and actor.role != "admin":
        own = actor.jurisdiction
        if own is None or not jurisdiction.path.startswith(own.path):
            raise OutsideJurisdiction()
