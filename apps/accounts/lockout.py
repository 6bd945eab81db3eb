"""Login lockout with django-axes: one limit per account, a higher one per client address.

Axes counts failed logins per user name and per client address (`AXES_LOCKOUT_PARAMETERS`)
but compares both with one `AXES_FAILURE_LIMIT`. Offices reach the app through one NAT
address, so the address needs a higher limit than an account: as the axes maintainers advise
for this (jazzband/django-axes#661), a handler of our own counts both and scales the address
count to the account limit (`LockoutHandler.get_failures`). With the defaults an account locks
after 5 wrong passwords, an address after 30 across all accounts, each for 30 minutes after
the failure that locked it (attempts refused during a lockout do not extend it), or until an
administrator unlocks it (`services.user_unlock`, `services.address_unlock`).

This module also answers "what is locked now" for the account pages, and renders our own
lockout page (429, in the user's language, with the time to try again).
"""

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone


def _cool_off():
    return get_cool_off()


def _recent():
    """Failed attempts still counting: within the cool-off after their last failure."""
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - _cool_off())


def _count(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def recent_failures(*, username: str | None = None, address: str | None = None) -> int:
    """Failed logins still counting against an account name or an address."""
    rows = _recent()
    if username is not None:
        rows = rows.filter(username=username)
    if address is not None:
        rows = rows.filter(ip_address=address)
    return _count(rows)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with separate limits for the account and the client address."""

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        recent = AccessAttempt.objects.filter(attempt_time__gte=request.axes_attempt_time - _cool_off())
        account = _count(recent.filter(username=username)) if username else 0
        address = _count(recent.filter(ip_address=request.axes_ip_address))
        request.lockout_counts = {"account": account, "address": address}
        account_limit = max(settings.LOCKOUT_ACCOUNT_FAILURES, 1)
        address_limit = max(settings.LOCKOUT_ADDRESS_FAILURES, 1)
        # The address count in account units: reaches the account limit exactly when the
        # address reaches its own limit (integer division, so never a failure early).
        return max(account, address * account_limit // address_limit)

    def is_locked(self, request, credentials=None) -> bool:
        locked = super().is_locked(request, credentials)
        if locked:
            request.lockout_refused = True  # refused before the password was checked
        return locked

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a correct password only the account's count starts again: a valid login must
        not wipe the failures of the address that others are guessing from."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def lock_reasons(request) -> dict:
    """After a failure: whether it just locked the account and/or the address (exactly reached)."""
    counts = getattr(request, "lockout_counts", None) or {}
    if getattr(request, "lockout_refused", False):
        return {"account": False, "address": False}
    return {
        "account": counts.get("account") == settings.LOCKOUT_ACCOUNT_FAILURES,
        "address": counts.get("address") == settings.LOCKOUT_ADDRESS_FAILURES,
    }


@dataclass(frozen=True)
class Lock:
    """A lock in force: on an account name or an address, with its failures and its end."""

    key: str
    failures: int
    until: datetime


def _locks(field: str, limit: int, values=None) -> list[Lock]:
    rows = _recent()
    if values is not None:
        rows = rows.filter(**{f"{field}__in": list(values)})
    grouped = (
        rows.exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-last")
    )
    return [Lock(row[field], row["failures"], row["last"] + _cool_off()) for row in grouped]


def locked_accounts(usernames=None) -> dict[str, Lock]:
    """Locked account names (all, or of `usernames`), with when each lock ends."""
    return {lock.key: lock for lock in _locks("username", settings.LOCKOUT_ACCOUNT_FAILURES, usernames)}


def locked_addresses() -> list[Lock]:
    return _locks("ip_address", settings.LOCKOUT_ADDRESS_FAILURES)


def lockout_response(request, original_response=None, credentials=None):
    """Our lockout page (AXES_LOCKOUT_CALLABLE): 429, when to try again, whom to ask."""
    username = get_client_username(request, credentials) or ""
    account = locked_accounts([username]).get(username) if username else None
    address = next((lock for lock in locked_addresses() if lock.key == request.axes_ip_address), None)
    ends = [lock.until for lock in (account, address) if lock is not None]
    until = max(ends) if ends else timezone.now() + _cool_off()
    response = render(
        request,
        "accounts/locked.html",
        {"until": until, "account_locked": account is not None, "address_locked": address is not None},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(max(int((until - timezone.now()).total_seconds()), 1))
    return response
