"""Personal data: whose name and phone a role may read, masked by default, shown in full on request.

One policy for every page, API, export, document and audit record. A person's name or phone
held by some app is declared once, in that app's `entries.py` (`personal_data=[PersonalField(…)]`),
with the kind of person it belongs to:

- 居民/上报群众 (`resident`): whoever reports on the public page or through Open311;
- 12345来电人 (`hotline`): a caller of the city hotline, registered by a dispatcher;
- 志愿者 (`volunteer`), 签约人/责任人 (`signatory`): for the volunteer and 门前三包 apps;
- 工作人员/单位联系人 (`staff`): staff, accounts and the contacts of the units.

`POLICY` says, per kind and role, what the role gets of the name and of the phone:

- `none`: nothing (the API answers null, pages a dash);
- `masked`: `139****5678`, `张*明`, never more;
- `reveal`: masked, with a 显示 button that shows the full value on request and records
  `personal.reveal` in the audit log (which field of which object, by whom);
- `full`: in full. Only staff names among staff: they act in their office, and the case
  timelines, assignments and notices are unreadable without them.

Files (exports, .docx) never carry more than the masked value, whoever downloads them: a file
leaves the application and its audit log. People always read their own data in full (`owner`).

An app's own rule comes first and composes with the policy: a case's reporter is unknown to the
unit and the assignee the case is about (apps/cases/privacy.py), who read a neutral label instead,
not even the masked name (`visible` / `stand_in`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps as django_apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import registry
from .roles import Role


class PersonKind(models.TextChoices):
    RESIDENT = "resident", _("居民/上报群众")
    HOTLINE = "hotline", _("12345来电人")
    VOLUNTEER = "volunteer", _("志愿者")
    SIGNATORY = "signatory", _("签约人/责任人")
    STAFF = "staff", _("工作人员/单位联系人")


class Part(models.TextChoices):
    NAME = "name", _("姓名")
    PHONE = "phone", _("电话")


class Level(models.IntegerChoices):
    """What a role gets of one part of a person's data, from least to most."""

    NONE = 0, _("不可见")
    MASKED = 1, _("脱敏显示")
    REVEAL = 2, _("脱敏显示，可查看完整信息（留痕）")
    FULL = 3, _("完整显示")


N, M, R, F = Level.NONE, Level.MASKED, Level.REVEAL, Level.FULL
DESK = (Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY)


def _row(desk, leader, inspector, grid, unit_contact) -> dict[str, tuple[Level, Level]]:
    """(name, phone) per role: the desk roles (who dispatch and call back), then the readers."""
    row = dict.fromkeys(DESK, desk)
    row.update({Role.LEADER: leader, Role.INSPECTOR: inspector, Role.GRID: grid, Role.UNIT_CONTACT: unit_contact})
    return row


# kind -> role -> (name, phone). Desk roles call residents and callers back (回访) and may see
# the number on request; leaders and field workers read a case without calling anyone: masked.
# Units never learn who reported them. Staff phones: the desk calls units and staff to dispatch.
POLICY: dict[str, dict[str, tuple[Level, Level]]] = {
    PersonKind.RESIDENT: _row((R, R), (M, M), (M, M), (M, M), (N, N)),
    PersonKind.HOTLINE: _row((R, R), (M, M), (M, M), (M, M), (N, N)),
    PersonKind.VOLUNTEER: _row((R, R), (M, M), (M, N), (M, M), (N, N)),
    PersonKind.SIGNATORY: _row((R, R), (M, M), (M, M), (M, M), (N, N)),
    PersonKind.STAFF: _row((F, R), (F, M), (F, M), (F, M), (F, N)),
}


def level(role: str | None, kind: str, part: str) -> Level:
    """What `role` gets of `part` ("name"/"phone") of a person of `kind` (NONE for no role)."""
    pair = POLICY.get(kind, {}).get(role or "")
    if pair is None:
        return Level.NONE
    return pair[0] if part == Part.NAME else pair[1]


# Masking -------------------------------------------------------------------------------------

MASK = "*"
_DIGIT = re.compile(r"\d")


def mask_phone(value: str) -> str:
    """`13912345678` -> `139****5678` (also after `+86`); any other number keeps its last 4
    digits (`0816-2345678` -> `****-***5678`), a short one its last 2 (`12345` -> `***45`),
    up to 4 digits none. Separators stay where they were."""
    value = (value or "").strip()
    count = len(_DIGIT.findall(value))
    if not count:
        return value
    digits = "".join(_DIGIT.findall(value))
    if count == 11 and digits.startswith("1"):
        head, tail = 3, 4
    elif count == 13 and digits.startswith("861") and value.startswith("+"):
        head, tail = 5, 4
    else:
        head, tail = 0, (4 if count >= 7 else 2 if count >= 5 else 0)
    out, seen = [], 0
    for char in value:
        if char.isdigit():
            seen += 1
            out.append(char if seen <= head or seen > count - tail else MASK)
        else:
            out.append(char)
    return "".join(out)


def mask_name(value: str) -> str:
    """`张三` -> `张*`, `张小明` -> `张*明`, `欧阳明` -> `欧阳*`, `欧阳小明` -> `欧阳**`;
    a Latin name keeps its first letter (`Alice Li` -> `A*******`)."""
    value = (value or "").strip()
    if not value:
        return value
    if len(value) == 1:
        return MASK
    if len(value) == 2:
        return value[0] + MASK
    if len(value) == 3:
        # Compound surnames (欧阳, 司马 …) keep both characters and hide the given name.
        return value[:2] + MASK if value[:2] in COMPOUND_SURNAMES else value[0] + MASK + value[-1]
    if value[:2] in COMPOUND_SURNAMES or len(value) > 4:
        head = 2 if value[:2] in COMPOUND_SURNAMES else 1
        return value[:head] + MASK * (len(value) - head)
    return value[0] + MASK * (len(value) - 2) + value[-1]


# The commonest two-character surnames (复姓).
_COMPOUND = "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 百里"
COMPOUND_SURNAMES = frozenset(_COMPOUND.split(" "))


def mask(part: str, value: str) -> str:
    return mask_phone(value) if part == Part.PHONE else mask_name(value)


def is_masked(value: str) -> bool:
    return MASK in (value or "")


# Declarations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalField:
    """One field of a model that holds a person's name or phone.

    `kind` is a `PersonKind`, or a function of the object giving it (a case's reporter is a
    resident, a caller or staff, by its source); then `kinds` lists the kinds it may give.
    `visible(user, obj)` is the app's own rule before the policy (False: the viewer reads
    `stand_in(obj)`, or nothing); `owner(user, obj)` tells whether the viewer is the person
    (then always in full); `queryset(user)` the objects the viewer may open for a 显示 (the
    model's `restrict(user, "view")` when not given).
    """

    model: str
    field: str
    part: str
    kind: str | Callable[[Any], str]
    kinds: tuple[str, ...] = ()
    visible: Callable[[Any, Any], bool] | None = None
    stand_in: Callable[[Any], str] | None = None
    owner: Callable[[Any, Any], bool] | None = None
    queryset: Callable[[Any], Any] | None = None

    def kind_of(self, obj) -> str:
        return self.kind(obj) if callable(self.kind) else self.kind

    def possible_kinds(self) -> tuple[str, ...]:
        return self.kinds if callable(self.kind) else (self.kind,)

    @property
    def model_class(self):
        return django_apps.get_model(self.model)

    @property
    def label(self) -> str:
        return str(self.model_class._meta.get_field(self.field).verbose_name)

    def objects_for(self, user):
        if self.queryset is not None:
            return self.queryset(user)
        return self.model_class.objects.restrict(user, "view")

    def may_ever_reveal(self, role: str | None) -> bool:
        """Whether `role` may see this field in full for some object (else a 显示 answers 403)."""
        return any(level(role, kind, self.part) >= Level.REVEAL for kind in self.possible_kinds())

    def always_full(self) -> bool:
        """Whether every kind that may hold it is shown in full to every role (staff names)."""
        index = 0 if self.part == Part.NAME else 1
        return all(
            all(pair[index] == Level.FULL for pair in POLICY.get(kind, {}).values()) for kind in self.possible_kinds()
        )

    def in_records(self, value: str) -> str:
        """The value as audit records and files show it: masked, unless `always_full`."""
        if not value or self.always_full():
            return value
        return mask(self.part, value)


def field_for(model_label: str, field: str) -> PersonalField | None:
    return registry.personal_fields().get((model_label, field))


def _lookup(obj, field: str) -> PersonalField:
    declared = field_for(obj._meta.label_lower, field)
    if declared is None:
        raise LookupError(f"{obj._meta.label_lower}.{field} is not declared as personal data")
    return declared


# Reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A personal value as one viewer may read it.

    `text` is what to print ("" for nothing); `withheld` is True when the viewer gets none of
    the value (policy `none`, or the app's rule: then `text` may be a neutral stand-in);
    `revealable` when a 显示 may show it in full; `full` when `text` is the value itself.
    """

    text: str
    withheld: bool = False
    revealable: bool = False
    full: bool = False


def viewer_level(user, obj, field: str) -> tuple[PersonalField, Level | None]:
    """The field's declaration and the viewer's level for `obj`; None when the app's own rule
    withholds it (the neutral stand-in)."""
    declared = _lookup(obj, field)
    if user is None or not getattr(user, "is_authenticated", False):
        return declared, Level.NONE
    if declared.owner is not None and declared.owner(user, obj):
        return declared, Level.FULL
    if declared.visible is not None and not declared.visible(user, obj):
        return declared, None
    return declared, level(user.role, declared.kind_of(obj), declared.part)


def shown(user, obj, field: str) -> Shown:
    """What `user` reads of `obj.<field>` on a page."""
    declared, grant = viewer_level(user, obj, field)
    value = getattr(obj, field) or ""
    if grant is None:
        return Shown(declared.stand_in(obj) if declared.stand_in else "", withheld=True)
    if grant == Level.NONE:
        return Shown("", withheld=True)
    if grant == Level.FULL or not value:
        return Shown(value, full=True)
    masked = mask(declared.part, value)
    return Shown(masked, revealable=grant == Level.REVEAL and is_masked(masked))


def api_value(user, obj, field: str) -> str | None:
    """The value in an API response: masked or full as on the page (never revealed: a 显示 is a
    separate, audited request), null when the viewer may not have it."""
    result = shown(user, obj, field)
    return None if result.withheld else result.text


def in_records(obj, field: str) -> str:
    """The value for a file that leaves the application (export, document): masked."""
    return _lookup(obj, field).in_records(getattr(obj, field) or "")


def record_value(model_label: str, key: str, value):
    """A value stored in an audit row, as the audit trail shows it: personal fields masked."""
    declared = field_for(model_label, key)
    if declared is None or not isinstance(value, str):
        return value
    return declared.in_records(value)


def record_data(model_label: str, data: dict) -> dict:
    """An audit row's data with the personal fields of its model masked (changes and snapshots)."""

    def walk(value, key=None):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        return record_value(model_label, key, value) if key else value

    return walk(data)


# Revealing -----------------------------------------------------------------------------------


class RevealRefused(Exception):
    """The viewer may not see this value in full (403). The 显示 itself, audited, is
    `apps.core.services.personal_reveal`."""


REVEAL_ACTION = "personal.reveal"


# Forms ---------------------------------------------------------------------------------------


class MaskedPersonalFieldsMixin:
    """An edit form that shows the personal fields of its instance masked, like the page.

    Whoever edits a unit or an account sees `139****5678` in the phone field; left as it is,
    the stored value is kept, typed over, the new one is saved. Editing therefore never shows
    a number that the page would mask. Put before the ModelForm in the bases.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._masked_initial = {}
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return
        label = instance._meta.label_lower
        editor = getattr(self, "user", None) or getattr(self, "actor", None)
        for name in self.fields:
            declared = field_for(label, name)
            value = getattr(instance, name, "") or ""
            if declared is None or not value:
                continue
            if editor is not None and declared.owner is not None and declared.owner(editor, instance):
                continue  # one's own number, in full
            masked = declared.in_records(value)
            if masked != value:
                self._masked_initial[name] = masked
                self.initial[name] = masked

    def _clean_fields(self):
        super()._clean_fields()
        for name, masked in self._masked_initial.items():
            if self.cleaned_data.get(name) == masked:
                self.cleaned_data[name] = getattr(self.instance, name)
            elif is_masked(self.cleaned_data.get(name, "")):
                self.add_error(name, _("请填写完整信息，不能包含 *。"))


def keep_unchanged_masked(instance, field: str, value):
    """For an API write: a value equal to the masked one the caller was shown means unchanged
    (a client that reads an object and writes it back), any other `*` is refused."""
    if not value or not is_masked(value):
        return value
    if instance is not None:
        current = getattr(instance, field) or ""
        if value == _lookup(instance, field).in_records(current):
            return current
    raise ValueError(field)


class MaskedPersonalFieldsSerializerMixin:
    """A ModelSerializer whose declared personal fields read as the page shows them (masked, or
    empty when withheld) and whose writes keep a masked value sent back unchanged.

    For the JSON API (DRF); the request's user decides. A value containing `*` other than the
    masked current one is refused: a masked number must never be stored as the number.
    """

    def _personal_names(self) -> list[str]:
        label = self.Meta.model._meta.label_lower
        return [name for name in self.fields if field_for(label, name) is not None]

    def _viewer(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self._viewer()
        for name in self._personal_names():
            if name in data:
                value = api_value(user, instance, name)
                data[name] = value if value is not None or self.fields[name].allow_null else ""
        return data

    def validate(self, attrs):
        from rest_framework.exceptions import ValidationError

        attrs = super().validate(attrs)
        for name in self._personal_names():
            if name in attrs:
                try:
                    attrs[name] = keep_unchanged_masked(self.instance, name, attrs[name])
                except ValueError:
                    raise ValidationError({name: [_("请填写完整信息，不能包含 *。")]}) from None
        return attrs
