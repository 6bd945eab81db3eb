from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.roles import Role
from apps.core.views_base import FilteredListView, ServiceFormView, get_scoped_or_404, requires, submit_form

from . import lockout, services
from .forms import ApiTokenForm, LoginForm, PasswordChangeForm, UserForm
from .models import ApiToken, User
from .selectors import api_tokens_of, user_list


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("core:home")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        with transaction.atomic():
            # Tokens revoked with the user as the actor, before the save (which would do it as "system").
            services.user_password_changed(user=self.request.user, request=self.request)
            response = super().form_valid(form)
        messages.success(self.request, gettext_lazy("密码已修改。"))
        return response


class UserListView(FilteredListView):
    model = User
    template_name = "accounts/user_list.html"
    export_source = "users"

    def get_rows(self):
        return user_list(user=self.request.user, filters=self.get_filters())

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if isinstance(response, TemplateResponse):
            rows = response.context_data["rows"]
            locks = lockout.locked_accounts([u.username for u in rows])
            for account in rows:
                account.lock = locks.get(account.username)
        return response

    def get_extra_context(self) -> dict:
        is_admin = self.request.user.role == Role.ADMIN
        return {"locked_addresses": lockout.locked_addresses() if is_admin else []}


class UserCreateView(ServiceFormView):
    model = User
    action = "add"
    form_class = UserForm
    title = gettext_lazy("新增账号")
    success_message = gettext_lazy("账号已创建。")

    def perform(self, form, data):
        return services.user_create(
            actor=self.request.user, username=data["username"], password=data["password"], **form.changes()
        )

    def success_url(self, result):
        return reverse_lazy("accounts:user_list")


class UserUpdateView(ServiceFormView):
    model = User
    action = "change"
    form_class = UserForm
    template_name = "accounts/user_form.html"
    title = gettext_lazy("编辑账号")
    success_message = gettext_lazy("账号已保存。")

    def perform(self, form, data):
        user = services.user_update(actor=self.request.user, user=self.get_object(), changes=form.changes())
        if data.get("password"):
            services.user_set_password(actor=self.request.user, user=user, password=data["password"])
        return user

    def get_context(self, form) -> dict:
        context = super().get_context(form)
        account = self.get_object()
        context["lock"] = lockout.locked_accounts([account.username]).get(account.username)
        context["tokens"] = api_tokens_of(user=account)
        return context

    def success_url(self, result):
        return reverse_lazy("accounts:user_list")

    def cancel_url(self):
        return reverse_lazy("accounts:user_list")


@require_POST
@requires("accounts.user", "change")
def user_unlock(request, pk):
    """解除锁定: clear an account's failed logins (account managers, in their scope)."""
    account = get_scoped_or_404(User, request.user, pk, "change")
    services.user_unlock(actor=request.user, user=account)
    messages.success(request, gettext("已解除锁定：{name}").format(name=account.display_name))
    if request.POST.get("back") == "list":
        return redirect("accounts:user_list")
    return redirect("accounts:user_update", pk=account.pk)


@require_POST
@requires("accounts.user", "change")
def address_unlock(request):
    """Clear a client address's failed logins: system administrators only (addresses are shared)."""
    if request.user.role != Role.ADMIN:
        raise PermissionDenied
    address = (request.POST.get("address") or "").strip()[:45]
    try:
        services.address_unlock(actor=request.user, address=address)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, gettext("已解除锁定：{name}").format(name=address))
    return redirect("accounts:user_list")


@require_POST
@requires("accounts.user", "change")
def user_token_revoke(request, pk, token_pk):
    """An account manager revokes one of the account's API tokens."""
    account = get_scoped_or_404(User, request.user, pk, "change")
    token = ApiToken.objects.filter(user=account, pk=token_pk).first()
    if token is None:
        raise Http404
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, gettext("令牌已撤销。"))
    return redirect("accounts:user_update", pk=account.pk)


@requires()
def token_list(request):
    """我的API令牌: the signed-in user's tokens; issuing one shows its key once, on this response."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":

        def issue(data):
            return services.api_token_issue(
                actor=request.user, owner=request.user, name=data["name"], days=data["days"]
            )

        result = submit_form(form, issue)
        if result is None:
            status = 400
        else:
            _token, new_key = result
            form = ApiTokenForm()
    context = {"form": form, "tokens": api_tokens_of(user=request.user), "new_key": new_key}
    return TemplateResponse(request, "accounts/token_list.html", context, status=status)


@require_POST
@requires()
def token_revoke(request, pk):
    """Revoke one of one's own tokens (another's answers 404, like a missing one)."""
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    try:
        services.api_token_revoke(actor=request.user, token=token)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, gettext("令牌已撤销。"))
    return redirect("accounts:token_list")
