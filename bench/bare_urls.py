"""The project's URLs plus one bare baseline view, mounted only for the benchmarks.

``POST /bench/bare-case/`` (token auth, the same DRF authentication and permission classes as the
API) inserts one ``Case`` row with the minimal valid fields (category, jurisdiction = the caller's,
a unique code and tracking code, reporter = the caller) and answers 201 ``{"id": …}``: no
validation, no place lookup, no recurrence check, no event or audit row. ``cases_scale.py`` drives it
through the same gunicorn as ``POST /api/v1/cases/`` to show what the framework alone costs.
"""

import secrets

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cases.models import Case
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401  (same error pages)
from config.urls import urlpatterns as project_urlpatterns


class BareCase(APIView):
    def post(self, request):
        case = Case.objects.create(
            category_id=int(request.data["category"]),
            jurisdiction_id=request.user.jurisdiction_id,
            code="BENCH" + secrets.token_hex(8),
            reporter=request.user,
        )
        return Response({"id": case.pk}, status=201)


urlpatterns = [path("bench/bare-case/", BareCase.as_view(), name="bench_bare_case"), *project_urlpatterns]
