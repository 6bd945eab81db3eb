from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from apps.core.personal import MaskedPersonalFieldsMixin
from apps.core.readable import qualified
from apps.core.roles import ASSIGNABLE_ROLES, Role
from apps.organization.models import Unit
from apps.organization.selectors import jurisdiction_choices

from .models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django sets the length after building the field, so no validator checks it: an
        # over-long name would reach authenticate() and axes' 255-character column.
        limit = self.fields["username"].max_length or User._meta.get_field("username").max_length
        self.fields["username"].validators.append(MaxLengthValidator(limit))


def password_policy_text() -> str:
    """The password policy as one line of text (the validators' own help texts)."""
    return " ".join(str(text) for text in password_validators_help_texts() if text)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the policy shown as text under the new password.

    The old password is checked through `authenticate()`, so a wrong one counts towards the
    account's lockout (django-axes) and is audited as a failed sign-in, like at the login page:
    an unattended session cannot be used to guess it without limit.
    """

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_policy_text()

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=old)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old


class UserForm(MaskedPersonalFieldsMixin, forms.ModelForm):
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
    )

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "phone", "role", "jurisdiction", "unit", "is_active"]

    def __init__(self, *args, user, **kwargs):
        self.actor = user  # before the bases: MaskedPersonalFieldsMixin reads it (one's own phone in full)
        super().__init__(*args, **kwargs)
        allowed = ASSIGNABLE_ROLES.get(user.role, [])
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in allowed]
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user)
        self.fields["jurisdiction"].label_from_instance = lambda j: "　" * j.depth + qualified(j.name, j.level)
        self.fields["unit"].queryset = Unit.objects.restrict(user).order_by("name")
        if self.instance.pk:
            del self.fields["username"]
            self.fields["password"].label = _("新密码")
            self.fields["password"].help_text = _("{policy} 留空表示不修改；修改后该账号的 API 令牌全部失效。").format(
                policy=password_policy_text()
            )
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = password_policy_text()

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("password", "username")}


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100, help_text=_("例如：数据对接脚本。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"] = forms.IntegerField(
            label=_("有效天数"),
            min_value=1,
            max_value=settings.API_TOKEN_MAX_DAYS,
            initial=settings.API_TOKEN_DEFAULT_DAYS,
            help_text=_("最长 {n} 天。").format(n=settings.API_TOKEN_MAX_DAYS),
        )
