"""Issue 9 review: the seams between lockout, sessions, tokens and the input guard."""

import pytest
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import ApiToken, User
from apps.core.models import AuditEvent
from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db(transaction=False)

LOGIN = reverse("accounts:login")


def test_an_over_long_username_is_a_form_error_not_a_database_error(client, org):
    # axes stores the username it is given in a 255-character column: 300 used to answer 500 on PostgreSQL.
    response = client.post(LOGIN, {"username": "u" * 300, "password": "x"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors["username"]


def test_a_forged_session_cookie_is_no_session(client, org):
    # A NUL in the cookie reached PostgreSQL (which cannot compare it) on every page, the error page too.
    client.cookies["sessionid"] = "\x00abcdefghijklmnopqrstuvwxyz01234"
    assert client.get("/public/report/").status_code == 200
    client.cookies["sessionid"] = "../../etc/passwd"
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_a_password_set_on_any_path_revokes_the_tokens(org):
    _token, _key = services.api_token_issue(actor=None, owner=org.grid, name="脚本")
    user = User.objects.get(pk=org.grid.pk)
    user.set_password("Another#Pass2026")  # as `manage.py changepassword` or the shell would
    user.save()
    assert not ApiToken.objects.filter(user=org.grid, revoked_at__isnull=True).exists()
    revoked = AuditEvent.objects.get(action="accounts.apitoken.revoked")
    assert revoked.actor is None and revoked.data["cause"] == "密码已修改"


def test_the_admin_reset_revokes_as_the_admin(org):
    services.api_token_issue(actor=None, owner=org.grid, name="脚本")
    services.user_set_password(actor=org.admin, user=org.grid, password="Another#Pass2026")
    assert AuditEvent.objects.get(action="accounts.apitoken.revoked").actor == org.admin


def test_wrong_old_passwords_count_towards_the_lockout(client, org, settings):
    client.force_login(org.grid)
    url = reverse("accounts:password_change")
    for _ in range(settings.LOCKOUT_ACCOUNT_FAILURES):
        response = client.post(
            url, {"old_password": "wrong", "new_password1": "Another#Pass2026", "new_password2": "Another#Pass2026"}
        )
        assert response.status_code in (200, 429)
    failures = AuditEvent.objects.filter(action="accounts.user.login_failed", object_repr__contains=org.grid.username)
    assert failures.count() >= settings.LOCKOUT_ACCOUNT_FAILURES - 1
    # The account is now locked: even the right password does not sign in.
    fresh = client.__class__()
    fresh.post(LOGIN, {"username": org.grid.username, "password": PASSWORD})
    assert "_auth_user_id" not in fresh.session
