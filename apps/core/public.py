"""What public pages (no login) need to tell one phone from another without knowing who holds
it: an anonymous device cookie, a per-purpose hash of it, and a signed form stamp that tells a
person filling a form from a script posting it.

- `device_hash(request, scope)` is what a page stores ("one answer per device"): a SHA-256 of
  the secret key, the scope (e.g. "survey:12") and the cookie's random id, so the stored value
  links nothing across surveys and cannot be turned back into the cookie.
- `remember_device(request, response)` sets the cookie when the request brought none (a year,
  HttpOnly, SameSite=Lax, Secure with the other cookies).
- `form_stamp(scope)` goes into the form as a hidden field; `stamp_problem(value, scope)` says
  what is wrong with it on submit: missing or forged, older than PUBLIC_FORM_MAX_AGE, or sent
  sooner than PUBLIC_FORM_MIN_SECONDS after the page was served (no person answers that fast).
  Pages add a honeypot field too (`HONEYPOT`, hidden from people: a filled one is a bot).

Clearing the cookie gets a new device: the address's rate limit (apps/core/ratelimit.py) is what
stops a flood, and the pages count what they refuse.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing

DEVICE_COOKIE = "cw_device"
DEVICE_MAX_AGE = 365 * 24 * 3600
HONEYPOT = "website"
_SALT = "chuangwei.public.stamp"


def device_id(request) -> str:
    """The request's anonymous device id: the signed cookie's, or a new one (kept on the request
    for `remember_device`)."""
    cached = getattr(request, "_cw_device", None)
    if cached:
        return cached
    value = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=_SALT)
    if not value:
        value = secrets.token_urlsafe(18)
        request._cw_device_new = True
    request._cw_device = value
    return value


def device_hash(request, scope: str) -> str:
    raw = f"{settings.SECRET_KEY}|{scope}|{device_id(request)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def remember_device(request, response):
    """Set the device cookie on `response` when this request made a new id."""
    if getattr(request, "_cw_device_new", False):
        response.set_signed_cookie(
            DEVICE_COOKIE,
            request._cw_device,
            salt=_SALT,
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def form_stamp(scope: str) -> str:
    return signing.dumps({"s": scope, "t": time.time()}, salt=_SALT)


def stamp_problem(value: str, scope: str, *, now: float | None = None) -> str | None:
    """None when the stamp is good; otherwise "forged", "expired" or "too_fast"."""
    now = time.time() if now is None else now
    try:
        data = signing.loads(value or "", salt=_SALT)
    except signing.BadSignature:
        return "forged"
    if not isinstance(data, dict) or data.get("s") != scope:
        return "forged"
    issued = float(data.get("t", 0))
    if now - issued > settings.PUBLIC_FORM_MAX_AGE:
        return "expired"
    if now - issued < settings.PUBLIC_FORM_MIN_SECONDS:
        return "too_fast"
    return None
