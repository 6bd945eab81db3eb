from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q
from apps.core.roles import Role


class UserQuerySet(RestrictedQuerySet):
    pass


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A login account. Territorial roles are bound to a jurisdiction, unit contacts to a unit."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.LEADER)
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction",
        verbose_name=_("所属辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Chinese names: family name first, no space.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role == Role.UNIT_CONTACT and not self.unit_id:
            raise ValidationError({"unit": _("责任单位联系人必须绑定一个单位。")})
        if self.role not in (Role.UNIT_CONTACT, Role.ADMIN) and not self.jurisdiction_id:
            raise ValidationError({"jurisdiction": _("该角色必须绑定一个辖区。")})
        if self.role == Role.UNIT_CONTACT and self.unit_id:
            self.jurisdiction_id = self.unit.jurisdiction_id

    def can(self, model_label: str, action: str = "view") -> bool:
        from apps.core.roles import role_allows

        return self.is_active and role_allows(self.role, model_label, action)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path if self.jurisdiction_id else "", "unit_id": self.unit_id}

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction", unit_field="unit")
