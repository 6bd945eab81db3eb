"""The health endpoint: `/health/` for the load balancer, `/health/detail/` for administrators."""

import asyncio

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from health_check.views import HealthCheckView

from apps.core.roles import Role

from .health import CHECKS


def _check_name(check) -> str:
    """ "cache" for the default cache, "cache_shared" for the rate limits' cache, else the class."""
    name = type(check).__name__.lower()
    alias = getattr(check, "alias", "default")
    return name if alias == "default" else f"{name}_{alias}"


async def _run(view: HealthCheckView) -> list:
    """Run the view's checks concurrently (the library's way: sync checks in the executor)."""
    with view.get_executor() as executor:
        return await asyncio.gather(*(check.get_result(executor) for check in view.get_checks()))


class HealthView(HealthCheckView):
    """200 {"status": "ok", ...} when every check passes, 503 {"status": "unavailable", ...} when one
    fails. No login, no cache. The body names the checks and says ok/failing, nothing more: no
    host, no error text (the cause is logged, and shown to administrators on /health/detail/)."""

    checks = CHECKS

    async def get(self, request, *args, **kwargs):
        self.results = await _run(self)
        failing = any(result.error for result in self.results)
        return JsonResponse(
            {
                "status": "unavailable" if failing else "ok",
                "checks": {_check_name(result.check): "failing" if result.error else "ok" for result in self.results},
            },
            status=503 if failing else 200,
        )


class HealthDetailView(HealthCheckView):
    """Each check's message and timing, for administrators only: JSON (the default), `?format=text`
    or `?format=openmetrics` (Prometheus), from the library's renderers; 503 when a check fails.
    No HTML page: the library's is English-only, and operators read this with curl or a scraper."""

    checks = CHECKS

    async def dispatch(self, request, *args, **kwargs):
        user = await request.auser()
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.role != Role.ADMIN:
            raise PermissionDenied
        return await super().dispatch(request, *args, **kwargs)

    async def get(self, request, *args, **kwargs):
        self.results = await _run(self)
        status = 503 if any(result.error for result in self.results) else 200
        match request.GET.get("format"):
            case "text":
                return self.render_to_response_text(status)
            case "openmetrics":
                return self.render_to_response_openmetrics()
        return self.render_to_response_json(status)
