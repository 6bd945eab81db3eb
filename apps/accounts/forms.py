from django import forms
from django.contrib.auth.forms import AuthenticationForm
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


class UserForm(MaskedPersonalFieldsMixin, forms.ModelForm):
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("至少 8 位，不能全是数字。编辑时留空表示不修改。"),
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
        else:
            self.fields["password"].required = True

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("password", "username")}
