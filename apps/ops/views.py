"""The health endpoint: `/health/` for the load balancer, `/health/detail/` for administrators."""

import asyncio

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from health_check.views import HealthCheckView

from apps.core.roles import Role

from .health import CHECKS


class HealthView(HealthCheckView):
    """200 {"status": "ok", ...} when every check passes, 503 {"status": "unavailable", ...} when one
    fails. No login, no cache. The body names the checks and says ok/failing, nothing more: no
    host, no error text (the cause is logged, and shown to administrators on /health/detail/)."""

    checks = CHECKS

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        failing = any(result.error for result in self.results)
        return JsonResponse(
            {
                "status": "unavailable" if failing else "ok",
                "checks": {
                    type(result.check).__name__.lower(): "failing" if result.error else "ok" for result in self.results
                },
            },
            status=503 if failing else 200,
        )


class HealthDetailView(HealthCheckView):
    """The library's own page (HTML, ?format=json, text, openmetrics) with each check's message and
    timing, for administrators only; 503 instead of the library's 500 when a check fails."""

    checks = CHECKS

    async def dispatch(self, request, *args, **kwargs):
        user = await request.auser()
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.role != Role.ADMIN:
            raise PermissionDenied
        response = await super().dispatch(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response
