"""Helpers shared by the inspection pages."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from apps.core.views_base import get_scoped_or_404

from ..models import (
    Inspection,
    InspectionResult,
)


def page(request, template: str, context: dict, status: int = 200):
    return TemplateResponse(request, template, context, status=status)


def scoped_sheet(user, pk, action="view") -> Inspection:
    return get_scoped_or_404(
        Inspection,
        user,
        pk,
        action,
        queryset=Inspection.objects.select_related(
            "checklist__template", "target_unit", "target_jurisdiction", "inspector", "round__plan"
        ),
    )


def json_error(message, status=400):
    return JsonResponse({"error": str(message)}, status=status)


def result_of(inspection: Inspection, result_id) -> InspectionResult:
    return get_object_or_404(InspectionResult.objects.select_related("item"), pk=result_id, inspection=inspection)
