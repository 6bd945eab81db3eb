from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy

from apps.core.views_base import FilteredListView, ServiceFormView

from . import services
from .forms import LoginForm, UserForm
from .models import User
from .selectors import user_list


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user)
        messages.success(self.request, gettext_lazy("密码已修改。"))
        return response


class UserListView(FilteredListView):
    model = User
    template_name = "accounts/user_list.html"
    export_source = "users"

    def get_rows(self):
        return user_list(user=self.request.user, filters=self.get_filters())


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
    title = gettext_lazy("编辑账号")
    success_message = gettext_lazy("账号已保存。")

    def perform(self, form, data):
        user = services.user_update(actor=self.request.user, user=self.get_object(), changes=form.changes())
        if data.get("password"):
            services.user_set_password(actor=self.request.user, user=user, password=data["password"])
        return user

    def success_url(self, result):
        return reverse_lazy("accounts:user_list")

    def cancel_url(self):
        return reverse_lazy("accounts:user_list")
