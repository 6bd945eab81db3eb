"""The cases' part of the access-matrix world: one case dispatched to unit A1, overdue and supervised."""

from datetime import timedelta

from django.utils import timezone

from apps.cases import services
from apps.cases.categories import ensure_categories
from apps.cases.models import Case, Category
from apps.cases.tests.conftest import jpeg


def extend(o) -> None:
    ensure_categories()
    case = services.case_report(
        actor=o.grid,
        category=Category.objects.get(code="exposed_garbage"),
        jurisdiction=o.grid_a1,
        photos=[jpeg()],
        address="人民路1号",
    )
    case = services.case_register(actor=o.community, case=case)
    case = services.case_dispatch(actor=o.community, case=case, unit=o.unit_a1)
    Case.objects.filter(pk=case.pk).update(escalation_level=2, deadline_at=timezone.now() - timedelta(hours=30))
    case.refresh_from_db()
    o.case = case
