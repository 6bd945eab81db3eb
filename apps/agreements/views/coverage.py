"""The coverage page (签订率): one jurisdiction's rows of child jurisdictions by type — required,
signed, refused, expired, rate — each count linking to its records, a drill-down to the level
below (the cascade), and the parties still lacking one."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from apps.core.filters import InvalidFilters
from apps.core.roles import Role
from apps.core.views_base import requires
from apps.organization.models import Jurisdiction

from ..coverage import area_coverage, lacking_jurisdictions, lacking_units
from ..filters import CoverageFilterSet
from ..models import Agreement, AgreementType

AGREEMENT = "agreements.agreement"


def list_url(jurisdiction_id: int, code: str, standing: str = "", as_of=None) -> str:
    query = {"jurisdiction": jurisdiction_id, "type": code}
    if standing:
        query["standing"] = standing
        if as_of and as_of != timezone.localdate():
            query["as_of"] = as_of.isoformat()
    return reverse("agreements:agreement_list") + "?" + urlencode(query)


def _cells(coverage, bucket_cells: dict, jurisdiction_id: int) -> list[dict]:
    cells = []
    for agreement_type in coverage.types:
        cell = bucket_cells.get(agreement_type.code)
        links = {
            name: list_url(jurisdiction_id, agreement_type.code, name, coverage.as_of)
            for name in ("signed", "refused", "expired", "pending")
        }
        cells.append({"type": agreement_type, "cell": cell, "links": links})
    return cells


def _outside_scope_is_404(request) -> None:
    """Another jurisdiction's coverage answers 404, like its records (not the filter's 400)."""
    raw = request.GET.get("jurisdiction", "")
    visible = Jurisdiction.objects.restrict(request.user, "view")
    if raw.isdigit() and len(raw) < 12 and not visible.filter(pk=int(raw)).exists():
        raise Http404


def _area_and_day(request):
    """The area asked (or the user's own) and the day, or the 400 page of bad filters."""
    if request.user.role == Role.UNIT_CONTACT:
        raise PermissionDenied
    _outside_scope_is_404(request)
    form = CoverageFilterSet(request.GET, Agreement.objects.none(), request=request)
    try:
        params = form.params()
    except InvalidFilters as error:
        page = TemplateResponse(request, "agreements/coverage.html", {"filter_errors": error.messages}, status=400)
        return None, None, page
    area = params.get("jurisdiction") or request.user.jurisdiction
    if area is None:
        area = Jurisdiction.objects.restrict(request.user, "view").order_by("depth", "path").first()
    if area is None:
        raise PermissionDenied
    return area, params.get("as_of") or timezone.localdate(), None


@requires(AGREEMENT)
def coverage(request):
    area, as_of, error_page = _area_and_day(request)
    if error_page is not None:
        return error_page
    result = area_coverage(area, as_of=as_of)
    children = {c.path: c for c in Jurisdiction.objects.filter(parent=area).order_by("path")}
    rows = []
    for path, child in children.items():
        rows.append({"jurisdiction": child, "cells": _cells(result, result.rows.get(path, {}), child.pk), "own": False})
    if area.path in result.rows:
        rows.append({"jurisdiction": area, "cells": _cells(result, result.rows[area.path], area.pk), "own": True})
    lacking = []
    for agreement_type in result.types:
        missing = result.totals[agreement_type.code].lacking  # required − signed: no count query
        if not missing:
            continue
        places, _count = lacking_jurisdictions(agreement_type, area, as_of)
        units, _none = lacking_units(agreement_type, area.path, as_of, limit=max(20 - len(places), 0), count=False)
        if units or places:
            lacking.append({"type": agreement_type, "units": units, "places": places, "count": missing})
    parent = (
        area.parent
        if area.parent_id and Jurisdiction.objects.restrict(request.user).filter(pk=area.parent_id).exists()
        else None
    )
    context = {
        "area": area,
        "parent": parent,
        "as_of": as_of,
        "result": result,
        "totals": _cells(result, result.totals, area.pk),
        "overall": result.overall,
        "rows": rows,
        "lacking": lacking,
    }
    return TemplateResponse(request, "agreements/coverage.html", context)


@requires(AGREEMENT)
def coverage_lacking(request):
    """Every party still lacking a signed agreement in term in the area, of the type asked (or of
    every type): the coverage page lists only the first 20."""
    area, as_of, error_page = _area_and_day(request)
    if error_page is not None:
        return error_page
    types = AgreementType.objects.all()
    if request.GET.get("type"):
        types = types.filter(code=request.GET["type"])
        if not types.exists():
            raise Http404
    blocks = []
    for agreement_type in types:
        places, _count = lacking_jurisdictions(agreement_type, area, as_of, limit=None)
        units, _none = lacking_units(agreement_type, area.path, as_of, limit=None, count=False)
        blocks.append({"type": agreement_type, "places": places, "units": units, "count": len(places) + len(units)})
    context = {"area": area, "as_of": as_of, "blocks": blocks}
    return TemplateResponse(request, "agreements/coverage_lacking.html", context)
