"""The password policy (等保 practice), as Django password validators and the expiry rule.

Configured in settings (`AUTH_PASSWORD_VALIDATORS`, `PASSWORD_*`, from `CHUANGWEI_PASSWORD_*`):
a minimum length (8), at least three of four character classes (upper case, lower case,
digits, symbols), none of the last five passwords, and an optional maximum age. Every path
that sets a password validates it (`services.user_create`, `user_set_password`, the password
change form); `HistoryValidator.password_changed` records each new hash whenever one is saved.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class LengthValidator:
    """At least `min_length` characters."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "密码太短，至少需要 {n} 个字符。",
                    "密码太短，至少需要 {n} 个字符。",
                    self.min_length,
                ).format(n=self.min_length),
                code="password_too_short",
            )

    def get_help_text(self):
        return ngettext("至少 {n} 个字符。", "至少 {n} 个字符。", self.min_length).format(n=self.min_length)


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols (anything else) the password uses."""
    upper = any(c.isascii() and c.isupper() for c in password)
    lower = any(c.isascii() and c.islower() for c in password)
    digit = any(c.isascii() and c.isdigit() for c in password)
    other = any(not (c.isascii() and c.isalnum()) for c in password)
    return upper + lower + digit + other


class CharacterClassValidator:
    """At least `min_classes` of the four character classes."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = max(1, min(4, min_classes))

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 {n} 类。").format(n=self.min_classes),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("包含大写字母、小写字母、数字、符号中的至少 {n} 类。").format(n=self.min_classes)


class HistoryValidator:
    """Not the current password nor any of the last `count` (their hashes in `PasswordHistory`)."""

    def __init__(self, count: int = 5):
        self.count = count

    def _recent_hashes(self, user) -> list[str]:
        from .models import PasswordHistory

        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        if user.password and user.has_usable_password() and user.password not in hashes:
            hashes.insert(0, user.password)
        return hashes

    def validate(self, password, user=None):
        if self.count <= 0 or user is None or not getattr(user, "pk", None):
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(
                ngettext(
                    "不能使用最近 {n} 次用过的密码。",
                    "不能使用最近 {n} 次用过的密码。",
                    self.count,
                ).format(n=self.count),
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        """Called by `User.save()` when a new password was set: remember its hash, keep `count`."""
        from .models import PasswordHistory

        if user is None or not user.pk or not user.has_usable_password():
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[: max(self.count, 1)]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self):
        if self.count <= 0:
            return ""
        return ngettext("不能与最近 {n} 次用过的密码相同。", "不能与最近 {n} 次用过的密码相同。", self.count).format(
            n=self.count
        )


def password_expires_at(user):
    """When the user's password expires, or None (no maximum age, or no recorded change)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0 or user.password_changed_at is None:
        return None
    return user.password_changed_at + timedelta(days=days)


def password_expired(user) -> bool:
    expires = password_expires_at(user)
    return expires is not None and expires <= timezone.now()
