"""Reads of agreements, always restricted to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from .filters import AgreementFilterSet
from .models import Agreement, AgreementTemplate, GenerationJob


def agreement_list(*, user, filters=None) -> QuerySet[Agreement]:
    rows = Agreement.objects.restrict(user, "view").select_related("agreement_type", "jurisdiction")
    return AgreementFilterSet.apply(rows, filters, user=user).order_by("-created_at", "-id")


def agreement_detail_queryset():
    return Agreement.objects.select_related(
        "agreement_type",
        "template_version",
        "jurisdiction",
        "party_unit__unit_type",
        "party_jurisdiction",
        "zone",
        "parent",
        "renews",
        "job",
    )


def job_list(*, user) -> QuerySet[GenerationJob]:
    return (
        GenerationJob.objects.restrict(user, "view")
        .select_related("agreement_type", "jurisdiction", "created_by")
        .order_by("-created_at", "-id")
    )


def template_list(*, user) -> QuerySet[AgreementTemplate]:
    return AgreementTemplate.objects.restrict(user, "view").select_related("agreement_type", "current_version")


def issue_candidates(*, user, query: str = "", limit: int = 20) -> dict:
    """Who the user may issue one agreement to: units of its area matching `query` (first
    `limit`), and the child jurisdictions of its own (target letters)."""
    from apps.organization.choices import UnitStatus
    from apps.organization.models import Jurisdiction, Unit

    units = []
    if query:
        units = list(
            Unit.objects.restrict(user, "view")
            .filter(name__icontains=query, status=UnitStatus.OPERATING)
            .select_related("jurisdiction", "unit_type")
            .order_by("jurisdiction__path", "name", "pk")[:limit]
        )
    children = []
    if user.jurisdiction_id:
        children = list(
            Jurisdiction.objects.restrict(user, "view").filter(parent_id=user.jurisdiction_id).order_by("path")
        )
    return {"units": units, "children": children}
