"""Rate limits counted in the cache that every web process shares.

A limit is a fixed window: `hit("public-report:1.2.3.4", limit=20, window_seconds=3600)`
counts one attempt in the current hour and answers whether it is still within the limit.
The counter lives in `CACHES["shared"]` (Redis in production, the database cache in the
embedded setup), never in a process's memory, so N gunicorn workers accept the limit
once, not N times. `cache.add` creates the window's counter and `cache.incr` counts on
it; both are atomic on Redis and on `apps.core.cache.AtomicDatabaseCache`.

Refused attempts count too: a client hammering the form does not get a fresh allowance by
being refused. `cost` lets one request count as several (a report with photos).
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle

CACHE_ALIAS = "shared"


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or with `DJANGO_NUM_PROXIES` > 0 the address that many
    proxies back in X-Forwarded-For (as DRF's throttles read it), so a client cannot forge it.
    The one rule for rate limits and the login lockout."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = int(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidate = remote
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return remote


def _window(window_seconds: int, now: float | None = None) -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    now = time.time() if now is None else now
    number = int(now // window_seconds)
    return number, int((number + 1) * window_seconds - now) + 1


def hit(key: str, *, limit: int, window_seconds: int, cost: int = 1) -> bool:
    """Count `cost` attempts for `key`; True while the window's total stays within `limit`."""
    cache = caches[CACHE_ALIAS]
    number, left = _window(window_seconds)
    counter = f"ratelimit:{key}:{window_seconds}:{number}"
    # Kept a little past the window's end so a late incr never recreates an expired counter.
    timeout = left + 60
    for _attempt in range(3):
        if cache.add(counter, cost, timeout=timeout):
            return cost <= limit
        try:
            return cache.incr(counter, cost) <= limit
        except ValueError:  # expired (or evicted) between add and incr: start it again
            continue
    return False  # the cache keeps losing the counter: refuse rather than count nothing


def retry_after(window_seconds: int) -> int:
    """Seconds until the current window ends (for a Retry-After header)."""
    return _window(window_seconds)[1]


class SharedAnonRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, counted by `hit` in the shared cache.

    DRF's own `SimpleRateThrottle` keeps a list of timestamps with get-then-set in the
    default cache, which two workers race on; this one keeps DRF's rate strings
    ("30/hour"), scopes and client identification (`NUM_PROXIES`) and counts atomically.
    """

    cache = caches[CACHE_ALIAS]

    def get_ident(self, request):
        return client_address(request) or ""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:  # an authenticated caller
            return True
        return hit(self.key, limit=self.num_requests, window_seconds=self.duration)

    def wait(self):
        return retry_after(self.duration)
