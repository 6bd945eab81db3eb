"""API tokens: the key format, its hash, and the DRF authentication that checks them.

A client sends `Authorization: Token <key>`. The key is 40 random URL-safe characters; only
its SHA-256 hash is stored (`ApiToken.key_hash`), with the first 8 characters as a visible
prefix. An unknown, expired or revoked key, or a key of a deactivated account, answers 401.
"""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import ApiToken

# last_used_at is written at most this often per token, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def new_key() -> str:
    return secrets.token_urlsafe(30)  # 40 characters, 240 bits


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against `ApiToken`: refuses unknown, expired and revoked keys."""

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user", "user__jurisdiction").filter(key_hash=key_hash(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"), code="token_invalid")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("令牌已被撤销。"), code="token_revoked")
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("令牌已过期。"), code="token_expired")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用。"), code="account_inactive")
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents the scheme in the OpenAPI schema as `Authorization: Token <key>`."""

    target_class = "apps.accounts.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "API token: send `Authorization: Token <key>`. Issued on the page 我的API令牌 (My API tokens) "
                "or with `manage.py issue_api_token`; an unknown, expired or revoked token answers 401."
            ),
        }
