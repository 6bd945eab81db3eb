"""One workflow engine for every app: a status field moved only by declared transitions.

An app declares its lifecycle as data, a `Workflow` of `Transition`s (name → sources,
target, who may, translated label, button style and confirmation), and calls
`Workflow.perform()` from the one service of each step. `perform` is the only code that
assigns the status field: it locks the row (`select_for_update`), checks the table, the
role and the permission predicate, the actor's scope and the optimistic `version`, saves
only the changed fields and appends an audit event (`apps.core.audit.audit_record`).

Pages and API endpoints ask the same table what to offer: `Workflow.available(obj, user)`
lists the transitions whose button to show, with the same predicate `perform` enforces, so
a button is shown exactly when the service would allow the step. An actor of None is the
system (a beat task, another service acting on the record's behalf): it skips role and
scope checks but not the table.

core imports no other app; the apps import this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .exceptions import ConcurrentEdit, DomainError, PermissionDeniedForRole
from .permissions import ensure_in_scope

Predicate = Callable[[Any, Any], bool]
NOT_FROM_HERE = _("当前状态为“{status}”，不能{action}。")


class InvalidTransition(DomainError):
    default_message = _("当前状态下不能执行该操作。")


@dataclass(frozen=True)
class Transition:
    """One step of a lifecycle.

    `roles` is who may take it at all (checked before the object is loaded, e.g. for a 403),
    with `role_denied` the message when the role may not; `allowed(obj, user)` narrows it for
    one object (the assignee only, not one's own sheet), with `denied` the message when it
    says no (a text, or a function of (obj, user) giving the reason). `label` is the verb on the button and in the
    history; `public_label` what an outsider is told (None: the step is not shown publicly).
    """

    name: str
    sources: frozenset
    target: str
    label: Any
    roles: frozenset = frozenset()
    allowed: Predicate | None = None
    denied: Any = None
    role_denied: Any = None
    style: str = ""  # "primary" for the step a page expects next
    confirm: Any = ""  # a confirmation question for an irreversible step
    public_label: Any = None
    audit_action: str = ""  # set by the Workflow: "<prefix>.<name>" unless given

    def role_allows(self, user) -> bool:
        return user is not None and getattr(user, "role", None) in self.roles

    def permits(self, obj, user) -> bool:
        """Role and predicate (not the status): may `user` take this step on `obj` in principle?"""
        return self.role_allows(user) and (self.allowed is None or self.allowed(obj, user))

    def applies_to(self, status: str) -> bool:
        return status in self.sources


def transition(
    name: str,
    sources: Iterable,
    target,
    label,
    *,
    roles: Iterable = (),
    allowed: Predicate | None = None,
    denied=None,
    role_denied=None,
    style: str = "",
    confirm="",
    public_label=None,
    audit_action: str = "",
) -> Transition:
    """A Transition with plain iterables accepted (the tables read better with sets and lists)."""
    return Transition(
        name=name,
        sources=frozenset(str(s) for s in sources),
        target=str(target),
        label=label,
        roles=frozenset(str(r) for r in roles),
        allowed=allowed,
        denied=denied,
        role_denied=role_denied,
        style=style,
        confirm=confirm,
        public_label=public_label,
        audit_action=audit_action,
    )


# Every declared table, so `manage.py check` can prove each step's audit action is labelled.
WORKFLOWS: list[Workflow] = []


@dataclass
class Workflow:
    """The transition table of one model's status field.

    `audit_prefix` names the audit actions ("cases.case" → "cases.case.register");
    `finished` the statuses in which the record's work is over (closed, rejected, …), each
    with the outcome told to whoever follows the record (or None);
    `lock_related` the relations to load with the locked row.
    """

    model: type[models.Model]
    transitions: list[Transition]
    audit_prefix: str
    status_field: str = "status"
    finished: dict = field(default_factory=dict)
    lock_related: tuple[str, ...] = ()
    invalid_message: Any = NOT_FROM_HERE
    by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self):
        table = {}
        for t in self.transitions:
            if t.name in table:
                raise ValueError(f"duplicate transition {t.name!r}")
            table[t.name] = t if t.audit_action else _with_audit(t, f"{self.audit_prefix}.{t.name}")
        self.by_name = table
        self.transitions = list(table.values())
        WORKFLOWS.append(self)
        finished = self.finished if isinstance(self.finished, dict) else dict.fromkeys(self.finished)
        self.finished = {str(s): label for s, label in finished.items()}

    # Reading the table ---------------------------------------------------------------------

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def __getitem__(self, name: str) -> Transition:
        return self.by_name[name]

    def names(self) -> list[str]:
        return list(self.by_name)

    def status_of(self, obj) -> str:
        return getattr(obj, self.status_field)

    def status_label(self, status: str) -> str:
        choices = dict(self.model._meta.get_field(self.status_field).flatchoices)
        return str(choices.get(status, status))

    def is_finished(self, status: str) -> bool:
        return str(status) in self.finished

    def outcome(self, status: str):
        """The outcome label of a finished status; None while the work goes on."""
        return self.finished.get(str(status))

    def available(self, obj, user) -> list[Transition]:
        """The steps `user` may take on `obj` now: the buttons on its page (the caller has
        already loaded `obj` through a scoped lookup, as `perform` checks the scope too)."""
        status = self.status_of(obj)
        return [t for t in self.transitions if t.applies_to(status) and t.permits(obj, user)]

    def may(self, name: str, obj, user) -> bool:
        return any(t.name == name for t in self.available(obj, user))

    # Performing one step -------------------------------------------------------------------

    def check(self, name: str, obj, actor, *, expected_version: int | None = None) -> Transition:
        """Raise unless `actor` may take step `name` on `obj` (already locked) right now."""
        t = self.by_name[name]
        if actor is not None:
            if not t.role_allows(actor):
                raise PermissionDeniedForRole(t.role_denied) if t.role_denied else PermissionDeniedForRole()
            ensure_in_scope(actor, obj, "view")
            if t.allowed is not None and not t.allowed(obj, actor):
                reason = t.denied(obj, actor) if callable(t.denied) else t.denied
                raise PermissionDeniedForRole(reason) if reason else PermissionDeniedForRole()
        if expected_version is not None and obj.version != expected_version:
            raise ConcurrentEdit()
        status = self.status_of(obj)
        if not t.applies_to(status):
            raise InvalidTransition(self.invalid_message.format(status=self.status_label(status), action=t.label))
        return t

    def perform(
        self,
        name: str,
        *,
        obj,
        actor,
        expected_version: int | None = None,
        changes: dict | Callable[[Any], dict] | None = None,
        note: str | None = None,
        data: dict | None = None,
        guard: Callable[[Any], None] | None = None,
        on_done: Callable[[Any, str], None] | None = None,
    ):
        """Lock `obj`'s row, check the step, apply `changes` and the target status, save those
        fields only, bump `version`, and audit. Returns the locked, updated instance.

        `changes` may be a function of the locked row (for values that depend on it, such as a
        deadline or a counter); `guard(locked)` runs after the table checks for app rules that
        need the locked row; `on_done(locked, from_status)` after the audit, for the app's own
        records (a case's history). Must run inside the caller's transaction (services are atomic).
        """
        queryset = self.model._default_manager.select_for_update(of=("self",))
        if self.lock_related:
            queryset = queryset.select_related(*self.lock_related)
        locked = queryset.get(pk=obj.pk)
        t = self.check(name, locked, actor, expected_version=expected_version)
        if guard is not None:
            guard(locked)
        before = self.status_of(locked)
        fields = dict(changes(locked) if callable(changes) else (changes or {}))
        fields[self.status_field] = t.target
        for attribute, value in fields.items():
            setattr(locked, attribute, value)
        locked.version += 1
        locked.save(update_fields=[*fields, "version", "updated_at"])
        record = {"changes": {self.status_field: [self.status_label(before), self.status_label(t.target)]}}
        if note is not None:
            record["note"] = note
        audit_record(actor=actor, obj=locked, action=t.audit_action, data={**record, **(data or {})})
        if on_done is not None:
            on_done(locked, before)
        return locked


def _with_audit(t: Transition, action: str) -> Transition:
    return replace(t, audit_action=action)


def step_label(model: type[models.Model], name: str):
    """The label of step `name` in `model`'s transition table, or None (read by timelines,
    which must not import the app's workflow module from its models)."""
    for workflow in WORKFLOWS:
        if workflow.model is model and name in workflow:
            return workflow[name].label
    return None
