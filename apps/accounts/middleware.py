"""Session lifetimes and password expiry, checked on every request of a signed-in user.

A small middleware of our own rather than a library: django-session-security and the like
need JavaScript on every page and do not give an absolute lifetime; this needs two timestamps
in the session (written at login by `signals.on_logged_in`) and nothing else.

- idle timeout (`CHUANGWEI_SESSION_IDLE_MINUTES`, 30): no request for that long ends the session;
  the "last seen" stamp is written at most once a minute, so a page view costs no extra write;
- absolute lifetime (`CHUANGWEI_SESSION_MAX_HOURS`, 12) after login, whatever the activity.

An ended session is logged out (audited, with the cause) and the browser goes to the login page
with "登录已超时，请重新登录" (an HTMX request gets `HX-Redirect`); an API call on the session
answers 401 in the API's JSON error shape.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.api import api_error_response, is_api_request

from . import services
from .passwords import password_expired

SESSION_STARTED = "auth_started"  # epoch seconds of the login
SESSION_SEEN = "auth_seen"  # epoch seconds of the last request, to the minute
SEEN_PRECISION = 60


def _go(request, url: str):
    """Send the browser to `url`: a redirect, or for HTMX an `HX-Redirect` it follows."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def session_end_cause(session, now: int) -> str | None:
    """Why this session has ended ("idle" or "max_age"), or None; marks it seen if still alive."""
    started, seen = session.get(SESSION_STARTED), session.get(SESSION_SEEN)
    if started is None or seen is None:  # a session from before these rules: they start now
        session[SESSION_STARTED] = session[SESSION_SEEN] = now
        return None
    if now - started > settings.SESSION_MAX_HOURS * 3600:
        return "max_age"
    if now - seen > settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - seen >= SEEN_PRECISION:
        session[SESSION_SEEN] = now
    return None


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            cause = session_end_cause(request.session, int(time.time()))
            if cause is not None:
                return self.end(request, cause)
        return self.get_response(request)

    def end(self, request, cause: str):
        request.logout_cause = services.CAUSE_IDLE if cause == "idle" else services.CAUSE_MAX_AGE
        logout(request)
        message = _("登录已超时，请重新登录")
        if is_api_request(request):
            if request.headers.get("Authorization"):
                return self.get_response(request)  # the token decides, not the old session
            response = api_error_response(401, message, "session_expired", request=request)
            response["WWW-Authenticate"] = 'Token realm="api"'
            return response
        messages.warning(request, message)
        if request.headers.get("HX-Request"):
            return _go(request, resolve_url(settings.LOGIN_URL))
        return redirect_to_login(request.get_full_path() if request.method == "GET" else request.path)


class PasswordExpiryMiddleware:
    """With `CHUANGWEI_PASSWORD_MAX_AGE_DAYS` set, a user whose password is older goes to the
    password change page (and nowhere else) until they change it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PASSWORD_MAX_AGE_DAYS > 0:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and password_expired(user) and not self.exempt(request):
                message = _("您的密码已过期，请先修改密码。")
                if is_api_request(request):
                    return api_error_response(403, message, "password_expired", request=request)
                if request.method == "GET" and not request.headers.get("HX-Request"):
                    messages.warning(request, message)
                return _go(request, reverse("accounts:password_change"))
        return self.get_response(request)

    @staticmethod
    def exempt(request) -> bool:
        allowed = (
            reverse("accounts:password_change"),
            reverse("accounts:logout"),
            reverse("accounts:login"),
            reverse("set_language"),
            settings.STATIC_URL,
        )
        return any(request.path.startswith(path) for path in allowed)
