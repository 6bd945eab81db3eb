from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q
from apps.core.roles import Role

# Sent after a saved account got a new password, whatever path set it (`User.save`).
password_set = Signal()


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
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)

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

    def set_password(self, raw_password):
        """Also notes when, for the optional password expiry (`PASSWORD_MAX_AGE_DAYS`)."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def save(self, *args, **kwargs):
        # Whatever path set a new password (a page, an administrator, `manage.py changepassword`,
        # the shell), the API tokens issued under the old one stop working. The services revoke
        # them first where they know who acted; this catches every other path.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            password_set.send(sender=type(self), user=self)  # signals.py revokes the tokens

    def can(self, model_label: str, action: str = "view") -> bool:
        from apps.core.roles import role_allows

        return self.is_active and role_allows(self.role, model_label, action)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path if self.jurisdiction_id else "", "unit_id": self.unit_id}

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction", unit_field="unit")


class PasswordHistory(models.Model):
    """A password an account has had, as its hash: a new password may not repeat the last few
    (`PASSWORD_HISTORY`). Written whenever a password is saved (`passwords.HistoryValidator`)."""

    user = models.ForeignKey(User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A key for the API (`Authorization: Token <key>`), issued to one account.

    Only a SHA-256 hash of the key is stored (the key is random, so a fast hash is enough): the
    key is shown once, when it is issued. A token works until it expires or is revoked; changing
    the owner's password or deactivating the account revokes all of their tokens.
    """

    user = models.ForeignKey(User, verbose_name=_("所属账号"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("令牌前缀"), max_length=8, editable=False)
    key_hash = models.CharField(_("令牌哈希"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name=_("签发人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("有效期至"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user.username} · {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return str(_("已撤销"))
        if self.expires_at <= timezone.now():
            return str(_("已过期"))
        return str(_("有效"))

    def audit_scope(self) -> dict:
        return self.user.audit_scope()
