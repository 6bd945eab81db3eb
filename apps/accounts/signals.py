"""Sign-in events into the audit log: Django's login signals and axes' lockout signal.

Connected in `AccountsConfig.ready()`, after axes' own receivers (axes is installed before
the project's apps), so a failure has already been counted when it is recorded here.
"""

import time

from axes.helpers import get_client_username
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from . import services
from .lockout import lock_reasons
from .middleware import SESSION_SEEN, SESSION_STARTED
from .models import password_set


def on_logged_in(sender, request, user, **kwargs):
    if request is None:
        return
    if hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now
    services.auth_logged_in(user=user, request=request)


def on_logged_out(sender, request, user, **kwargs):
    if user is None or not getattr(user, "pk", None):
        return
    services.auth_logged_out(user=user, request=request, cause=getattr(request, "logout_cause", ""))


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = get_client_username(request, credentials) if request is not None else credentials.get("username")
    services.auth_login_failed(
        username=username or "",
        request=request,
        refused_locked=bool(getattr(request, "lockout_refused", False)),
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    reasons = lock_reasons(request)
    if reasons["account"] or reasons["address"]:
        services.auth_locked(
            username=username or "",
            address=ip_address or "",
            account_locked=reasons["account"],
            address_locked=reasons["address"],
            request=request,
        )


def on_password_set(sender, user, **kwargs):
    # Services that know who acted revoke first; this catches every other path (the shell,
    # `manage.py changepassword`) as the system.
    services.api_tokens_revoke_all(actor=None, user=user, cause=services.CAUSE_PASSWORD)


def connect() -> None:
    password_set.connect(on_password_set, dispatch_uid="accounts.tokens.password_set")
    user_logged_in.connect(on_logged_in, dispatch_uid="accounts.audit.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="accounts.audit.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="accounts.audit.locked_out")
