"""Account writes: creation, role/scope changes, passwords, sign-in events, lockouts and API
tokens, all audited."""

import ipaddress
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.ratelimit import client_address
from apps.core.roles import ASSIGNABLE_ROLES, Role

from . import tokens
from .lockout import recent_failures
from .models import ApiToken, User

# Causes recorded in audit data, in the source language (read back through the catalogue).
CAUSE_WRONG_PASSWORD = gettext_noop("密码错误")
CAUSE_UNKNOWN_ACCOUNT = gettext_noop("账号不存在")
CAUSE_INACTIVE = gettext_noop("账号已停用")
CAUSE_LOCKED = gettext_noop("已锁定，拒绝登录")
CAUSE_IDLE = gettext_noop("空闲超时")
CAUSE_MAX_AGE = gettext_noop("超过最长登录时长")
CAUSE_OWNER = gettext_noop("本人撤销")
CAUSE_ADMIN = gettext_noop("管理员撤销")
CAUSE_PASSWORD = gettext_noop("密码已修改")
CAUSE_DEACTIVATED = gettext_noop("账号已停用")

USER_FIELDS = ["username", "last_name", "first_name", "role", "jurisdiction", "unit", "phone", "is_active"]


def _check_assignment(actor, role, jurisdiction, unit) -> None:
    """An account manager hands out only roles below theirs, inside their own subtree."""
    if actor is None:
        return
    if role not in ASSIGNABLE_ROLES.get(actor.role, []):
        raise DomainError(_("您无权授予该角色。"))
    if jurisdiction is not None:
        ensure_jurisdiction_in_scope(actor, jurisdiction)
    if unit is not None:
        ensure_jurisdiction_in_scope(actor, unit.jurisdiction)


@transaction.atomic
def user_create(*, actor, username: str, password: str, role: str, jurisdiction=None, unit=None, **fields) -> User:
    ensure_role_allows(actor, User, "add")
    _check_assignment(actor, role, jurisdiction, unit)
    user = User(username=username, role=role, jurisdiction=jurisdiction, unit=unit, **fields)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        obj=user,
        action="accounts.user.created",
        data={
            "after": {
                "username": username,
                "role": user.get_role_display(),
                "jurisdiction": str(jurisdiction or ""),
                "unit": str(unit or ""),
            }
        },
    )
    return user


@transaction.atomic
def user_update(*, actor, user: User, changes: dict, expected_version: int | None = None) -> User:
    ensure_in_scope(actor, user, "change")
    _check_assignment(actor, changes.get("role", user.role), changes.get("jurisdiction"), changes.get("unit"))
    locked = User.objects.select_for_update().get(pk=user.pk)
    was_active = locked.is_active
    before = {k: str(getattr(locked, k) or "") for k in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["password"])
    locked.save(update_fields=list(changes) + (["jurisdiction"] if "unit" in changes else []))
    after = {k: str(getattr(locked, k) or "") for k in changes}
    delta = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
    if delta:
        audit_record(actor=actor, obj=locked, action="accounts.user.updated", data={"changes": delta})
    if was_active and not locked.is_active:
        api_tokens_revoke_all(actor=actor, user=locked, cause=CAUSE_DEACTIVATED)
    return locked


def _client(request) -> dict:
    """Where a request came from, for the audit data: address and (truncated) browser."""
    if request is None:
        return {}
    return {
        "client_address": client_address(request) or "",
        "client_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }


@transaction.atomic
def user_password_changed(*, user: User, request=None) -> None:
    """Record that the user changed their own password (the hash itself is never logged) and
    revoke their API tokens: whoever held the old password may have issued one."""
    audit_record(actor=user, obj=user, action="accounts.user.password_changed", data=_client(request))
    api_tokens_revoke_all(actor=user, user=user, cause=CAUSE_PASSWORD)


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    """An account manager sets a new password (validated by the policy); the user's tokens go."""
    ensure_in_scope(actor, user, "change")
    validate_password(password, user)
    # Revoked before the save, which would otherwise revoke them as "system" (User.save).
    api_tokens_revoke_all(actor=actor, user=user, cause=CAUSE_PASSWORD)
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(actor=actor, obj=user, action="accounts.user.password_reset", data={})


# Sign-in events (called by the receivers in signals.py) ---------------------------------------


def _unstored(text: str) -> User:
    """The audit object for a sign-in event that concerns no stored account: an account name
    nobody has, or a client address. Recorded under 账号 with an empty object id and `text` as
    the object (see `audit_record`); with no jurisdiction, only system administrators read it."""
    return User(username=(text or "?")[:150])


def _account(username: str) -> User:
    """The stored account of that name, or the stand-in for a name nobody has."""
    user = User.objects.select_related("jurisdiction").filter(username=username).first()
    return user if user is not None else _unstored(username)


@transaction.atomic
def auth_logged_in(*, user: User, request) -> None:
    audit_record(actor=user, obj=user, action="accounts.user.logged_in", data=_client(request))


@transaction.atomic
def auth_logged_out(*, user: User, request, cause: str = "") -> None:
    data = _client(request)
    if cause:
        data["cause"] = cause
    audit_record(actor=user, obj=user, action="accounts.user.logged_out", data=data)


@transaction.atomic
def auth_login_failed(*, username: str, request, refused_locked: bool = False) -> None:
    """A failed sign-in, against the account when it exists (else under the name typed)."""
    account = _account(username)
    if refused_locked:
        cause = CAUSE_LOCKED
    elif account.pk is None:
        cause = CAUSE_UNKNOWN_ACCOUNT
    elif not account.is_active:
        cause = CAUSE_INACTIVE
    else:
        cause = CAUSE_WRONG_PASSWORD
    audit_record(
        actor=None, obj=account, action="accounts.user.login_failed", data={"cause": cause, **_client(request)}
    )


@transaction.atomic
def auth_locked(*, username: str, address: str, account_locked: bool, address_locked: bool, request) -> None:
    """The failure that reached a limit: the account and/or the client address is now locked."""
    until = (timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)).isoformat()
    if account_locked:
        data = {"failures": settings.LOCKOUT_ACCOUNT_FAILURES, "locked_until": until, **_client(request)}
        audit_record(actor=None, obj=_account(username), action="accounts.user.locked", data=data)
    if address_locked:
        data = {"failures": settings.LOCKOUT_ADDRESS_FAILURES, "locked_until": until, **_client(request)}
        audit_record(actor=None, obj=_unstored(address), action="accounts.address.locked", data=data)


@transaction.atomic
def user_unlock(*, actor, user: User) -> int:
    """Clear the account's failed logins (axes' reset), so it may sign in again at once."""
    ensure_in_scope(actor, user, "change")
    failures = recent_failures(username=user.username)
    axes_reset(username=user.username)
    audit_record(actor=actor, obj=user, action="accounts.user.unlocked", data={"failures": failures})
    return failures


@transaction.atomic
def address_unlock(*, actor, address: str) -> int:
    """Clear a client address's failed logins. Only a system administrator: an address is shared
    by everyone behind it, whatever their jurisdiction."""
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDeniedForRole()
    try:
        address = str(ipaddress.ip_address(address.strip()))
    except ValueError:
        raise DomainError(_("网络地址无效。")) from None
    failures = recent_failures(address=address)
    axes_reset(ip=address)
    audit_record(actor=actor, obj=_unstored(address), action="accounts.address.unlocked", data={"failures": failures})
    return failures


# API tokens ------------------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, actor, owner: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a token to `owner` (themself, or `actor=None` for the management command).

    Returns the token and its key; the key is not stored and cannot be shown again.
    """
    if actor is not None and actor.pk != owner.pk:
        raise PermissionDeniedForRole()
    if not owner.is_active:
        raise DomainError(_("账号已停用，不能签发令牌。"))
    if days is None:
        days = min(settings.API_TOKEN_DEFAULT_DAYS, settings.API_TOKEN_MAX_DAYS)
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise DomainError(_("有效期须在 1 到 {n} 天之间。").format(n=settings.API_TOKEN_MAX_DAYS))
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写令牌用途。"))
    key = tokens.new_key()
    token = ApiToken(
        user=owner,
        name=name[:100],
        prefix=key[:8],
        key_hash=tokens.key_hash(key),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        obj=token,
        action="accounts.apitoken.issued",
        data={"user": owner.username, "name": token.name, "expires_at": token.expires_at.isoformat()},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke one token: its owner may, and whoever may change the owner's account."""
    if actor is None or actor.pk != token.user_id:
        ensure_in_scope(actor, token.user, "change")
    cause = CAUSE_OWNER if actor is not None and actor.pk == token.user_id else CAUSE_ADMIN
    return _revoke(token=token, actor=actor, cause=cause)


def _revoke(*, token: ApiToken, actor, cause: str) -> ApiToken:
    """Lock the row, mark it revoked, audit. Callers have checked the actor's right."""
    locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        obj=locked,
        action="accounts.apitoken.revoked",
        data={"user": locked.user.username, "name": locked.name, "cause": cause},
    )
    return locked


@transaction.atomic
def api_tokens_revoke_all(*, actor, user: User, cause: str) -> int:
    """Revoke every token of `user` still in force (password changed, account deactivated).
    Called by services that have already checked the actor's right over the account."""
    live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()))
    for token in live:
        _revoke(token=token, actor=actor, cause=cause)
    return len(live)
