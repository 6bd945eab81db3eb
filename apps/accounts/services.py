"""Account writes: creation, role/scope changes and password changes, all audited."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.roles import ASSIGNABLE_ROLES

from .models import User

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
    before = {k: str(getattr(locked, k) or "") for k in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["password"])
    locked.save(update_fields=list(changes) + (["jurisdiction"] if "unit" in changes else []))
    after = {k: str(getattr(locked, k) or "") for k in changes}
    delta = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
    if delta:
        audit_record(actor=actor, obj=locked, action="accounts.user.updated", data={"changes": delta})
    return locked


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """Record that the user changed their own password (the hash itself is never logged)."""
    audit_record(actor=user, obj=user, action="accounts.user.password_changed", data={})


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    ensure_in_scope(actor, user, "change")
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, obj=user, action="accounts.user.password_reset", data={})
