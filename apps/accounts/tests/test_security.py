"""Issue 9, authentication: lockout, sign-in audit, password policy, session lifetimes, API tokens."""

import io
from datetime import timedelta
from itertools import pairwise

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts import services
from apps.accounts.demo import DEMO_PASSWORD
from apps.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from apps.accounts.models import ApiToken, PasswordHistory, User
from apps.core.models import AuditEvent
from apps.core.ratelimit import client_address
from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
HOME = reverse("core:home")
API = "/api/v1/units/"


def attempt(client, username, password, address="198.51.100.7", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters).order_by("id")


# Lockout ----------------------------------------------------------------------------------------


def test_the_31st_wrong_password_from_one_address_is_locked_even_with_the_right_password(client, org):
    """30 wrong passwords in a row from one address (an office NAT: many names, one each) lock
    the address; the 31st attempt is refused with our page even with a correct password."""
    for i in range(29):
        response = attempt(client, f"guess{i}", "wrong")
        assert response.status_code == 200, i  # the ordinary "wrong password" form, no lock yet
        assert "用户名或密码不正确" in response.content.decode()
    response = attempt(client, "guess29", "wrong")  # the 30th failure reaches the address limit
    assert response.status_code == 429
    response = attempt(client, "guess30", "wrong")  # the 31st wrong password
    assert response.status_code == 429
    response = attempt(client, org.grid.username, PASSWORD)  # right password, same address
    assert response.status_code == 429
    assert not signed_in(client)
    html = response.content.decode()
    assert "登录已锁定" in html and "系统管理员" in html and "Traceback" not in html
    assert int(response["Retry-After"]) > 25 * 60
    # Another address is not affected.
    assert attempt(client, org.grid.username, PASSWORD, address="192.0.2.44").status_code == 302
    locked = events("accounts.address.locked")
    assert locked.count() == 1
    assert locked.get().object_repr == "198.51.100.7" and locked.get().object_id == ""


def test_the_31st_wrong_password_on_one_account_is_locked(client, org):
    """The security test's case: 30 wrong passwords in a row on one account, then the 31st."""
    statuses = [attempt(client, org.grid.username, f"wrong-{i}").status_code for i in range(31)]
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}  # locked from the 5th
    assert attempt(client, org.grid.username, PASSWORD).status_code == 429
    assert not signed_in(client)


def test_an_account_locks_after_five_wrong_passwords_from_anywhere(client, org):
    for i in range(4):
        assert attempt(client, org.grid.username, "wrong", address=f"192.0.2.{i + 1}").status_code == 200
    response = attempt(client, org.grid.username, "wrong", address="192.0.2.9")
    assert response.status_code == 429
    assert "该账号已暂时锁定" in response.content.decode()
    response = attempt(client, org.grid.username, PASSWORD, address="192.0.2.10")
    assert response.status_code == 429 and not signed_in(client)
    # Other accounts at those addresses still sign in.
    assert attempt(client, org.community.username, PASSWORD, address="192.0.2.9").status_code == 302
    assert events("accounts.user.locked", object_id=str(org.grid.pk)).count() == 1
    causes = [e.data["cause"] for e in events("accounts.user.login_failed", object_id=str(org.grid.pk))]
    assert causes == ["密码错误"] * 5 + ["已锁定，拒绝登录"]


def test_a_correct_password_clears_the_account_count_but_not_the_address(client, org):
    for _ in range(4):
        attempt(client, org.grid.username, "wrong")
    assert attempt(client, org.grid.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, org.grid.username, "wrong").status_code == 200  # counting from 0 again


def test_administrator_unlocks_the_account_and_it_is_audited(client, org):
    for _ in range(5):
        attempt(client, org.grid.username, "wrong")
    manager = client.__class__()
    manager.force_login(org.street)
    html = manager.get(reverse("accounts:user_list")).content.decode()
    assert 'data-testid="locked-badge"' in html
    html = manager.get(reverse("accounts:user_update", args=[org.grid.pk])).content.decode()
    assert "已锁定" in html and "解除锁定" in html
    response = manager.post(reverse("accounts:user_unlock", args=[org.grid.pk]))
    assert response.status_code == 302
    assert attempt(client, org.grid.username, PASSWORD).status_code == 302
    event = events("accounts.user.unlocked", object_id=str(org.grid.pk)).get()
    assert event.actor == org.street and event.data["failures"] == 5
    assert "未锁定" in manager.get(reverse("accounts:user_update", args=[org.grid.pk])).content.decode()


def test_a_street_manager_cannot_unlock_an_account_of_another_street(client, org):
    for _ in range(5):
        attempt(client, org.community_b.username, "wrong")
    client.force_login(org.street)
    assert client.post(reverse("accounts:user_unlock", args=[org.community_b.pk])).status_code == 404
    assert not events("accounts.user.unlocked").exists()


def test_only_a_system_administrator_unlocks_an_address(client, org):
    for i in range(30):
        attempt(client, f"nobody{i}", "wrong", address="203.0.113.5")
    manager = client.__class__()
    manager.force_login(org.street)
    assert 'data-testid="locked-addresses"' not in manager.get(reverse("accounts:user_list")).content.decode()
    assert manager.post(reverse("accounts:address_unlock"), {"address": "203.0.113.5"}).status_code == 403
    manager.force_login(org.admin)
    html = manager.get(reverse("accounts:user_list")).content.decode()
    assert 'data-testid="locked-addresses"' in html and "203.0.113.5" in html
    assert manager.post(reverse("accounts:address_unlock"), {"address": "203.0.113.5"}).status_code == 302
    assert attempt(client, org.grid.username, PASSWORD, address="203.0.113.5").status_code == 302
    assert events("accounts.address.unlocked").get().actor == org.admin
    response = manager.post(reverse("accounts:address_unlock"), {"address": "not-an-address"}, follow=True)
    assert response.status_code == 200 and "网络地址无效。" in response.content.decode()


def test_addresses_come_from_remote_addr_unless_proxies_are_configured(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.2")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    assert client_address(request) == "10.0.0.1"  # a forged header changes nothing
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_address(request) == "198.51.100.2"  # the address our one proxy saw
    forged = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(forged) == "10.0.0.1"


def test_a_forged_forwarded_header_does_not_escape_the_address_lock(client, org):
    for i in range(30):
        attempt(client, f"x{i}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert attempt(client, org.grid.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


# Audit of sign-in events -----------------------------------------------------------------------


def test_login_failure_logout_are_audited_with_address_and_browser(client, org):
    agent = "Mozilla/5.0 " + "x" * 400
    attempt(client, org.grid.username, "wrong", HTTP_USER_AGENT=agent)
    attempt(client, "ghost", "wrong", HTTP_USER_AGENT=agent)
    attempt(client, org.grid.username, PASSWORD, HTTP_USER_AGENT=agent)
    client.post(reverse("accounts:logout"), REMOTE_ADDR="198.51.100.7")
    failed = list(events("accounts.user.login_failed"))
    assert [(e.object_id, e.object_repr, e.data["cause"]) for e in failed] == [
        (str(org.grid.pk), org.grid.display_name, "密码错误"),
        ("", "ghost", "账号不存在"),
    ]
    assert failed[0].actor is None and failed[0].jurisdiction_path == org.grid_a1.path
    assert failed[1].jurisdiction_path == ""  # unknown names: only system administrators read them
    login = events("accounts.user.logged_in").get()
    assert login.actor == org.grid
    assert login.data["client_address"] == "198.51.100.7"
    assert login.data["client_agent"] == agent[:200]
    assert events("accounts.user.logged_out").get().actor == org.grid


def test_an_inactive_account_failure_says_so(client, org):
    User.objects.filter(pk=org.grid.pk).update(is_active=False)
    attempt(client, org.grid.username, PASSWORD)
    assert events("accounts.user.login_failed").get().data["cause"] == "账号已停用"


def test_sign_in_events_read_well_in_the_audit_log(client, org):
    attempt(client, org.grid.username, "wrong")
    attempt(client, "ghost", "wrong")
    client.force_login(org.admin)
    html = client.get(reverse("core:audit_list"), {"q": "登录失败"}).content.decode()
    table = html.split('data-testid="audit-table"')[1].split("</table>")[0]
    assert "账号 · 登录失败" in table and "ghost" in table and "账号不存在" in table and "网络地址" in table
    assert "accounts.user" not in table
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("core:audit_list"), {"action": "accounts.user.login_failed"}).content.decode()
    table = html.split('data-testid="audit-table"')[1].split("</table>")[0]
    assert "Sign-in failed" in table and "No such account" in table and "Wrong password" in table
    # A street manager sees the failures of their accounts, not the unknown names.
    client.force_login(org.street)
    rows = client.get(reverse("core:audit_list"), {"action": "accounts.user.login_failed"}).context["rows"]
    assert [e.object_repr for e in rows] == [org.grid.display_name]


# Password policy -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "zh", "en"),
    [
        ("Ab1!", "密码太短，至少需要 8 个字符。", "The password is too short: at least 8 characters."),
        (
            "lowercaseonly",
            "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。",
            "The password must use at least 3 of: upper-case letters, lower-case letters, digits, symbols.",
        ),
    ],
)
def test_policy_messages_in_chinese_and_english(org, password, zh, en):
    with pytest.raises(ValidationError) as error:
        validate_password(password, org.grid)
    assert zh in error.value.messages
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_password(password, org.grid)
    assert en in error.value.messages


def test_the_demo_password_satisfies_the_policy(org):
    validate_password(DEMO_PASSWORD, User(username="someone"))


def test_a_password_of_the_last_five_is_refused(client, org):
    client.force_login(org.grid)
    passwords = [PASSWORD] + [f"Rotate-{i}-pass" for i in range(5)]
    for old, new in pairwise(passwords):
        response = client.post(
            reverse("accounts:password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 302, new
    current = passwords[-1]
    for reused in passwords[-5:]:  # the current one and the four before it
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": current, "new_password1": reused, "new_password2": reused},
        )
        assert response.status_code == 200
        assert "不能使用最近 5 次用过的密码。" in response.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": current, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 302  # six passwords ago is allowed again
    assert PasswordHistory.objects.filter(user=org.grid).count() == 5


def test_an_administrator_reset_follows_the_policy(org):
    with pytest.raises(ValidationError):
        services.user_set_password(actor=org.street, user=org.grid, password="abcdefgh")
    with pytest.raises(ValidationError):
        services.user_set_password(actor=org.street, user=org.grid, password=PASSWORD)  # the current one
    with pytest.raises(ValidationError):
        services.user_create(actor=org.street, username="weak2", password="alllowercase", role="grid")


def test_the_password_form_shows_the_policy(client, org):
    client.force_login(org.grid)
    html = client.get(reverse("accounts:password_change")).content.decode()
    assert "至少 8 个字符。" in html and "至少 3 类" in html and "最近 5 次" in html


def test_an_expired_password_sends_the_user_to_the_change_page_until_changed(client, org, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=org.grid.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    assert attempt(client, org.grid.username, PASSWORD).status_code == 302
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("accounts:user_list")).status_code == 302
    response = client.get(HOME, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Fresh-pass-2027", "new_password2": "Fresh-pass-2027"},
    )
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200


# Sessions --------------------------------------------------------------------------------------


def _age_session(client, *, started=0, seen=0):
    session = client.session
    session[SESSION_STARTED] -= started
    session[SESSION_SEEN] -= seen
    session.save()


def test_an_idle_session_ends_with_a_message(client, org):
    client.force_login(org.grid)
    assert client.get(HOME).status_code == 200
    _age_session(client, seen=31 * 60)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not signed_in(client)
    html = client.get(response["Location"]).content.decode()
    assert "登录已超时，请重新登录" in html
    assert events("accounts.user.logged_out").get().data["cause"] == "空闲超时"


def test_a_session_within_the_idle_time_goes_on(client, org):
    client.force_login(org.grid)
    _age_session(client, seen=29 * 60)
    aged = client.session[SESSION_SEEN]
    assert client.get(HOME).status_code == 200
    assert client.session[SESSION_SEEN] >= aged + 29 * 60  # activity noted


def test_a_session_ends_after_its_absolute_lifetime_however_active(client, org):
    client.force_login(org.grid)
    _age_session(client, started=12 * 3600 + 60)
    response = client.get(HOME, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == LOGIN
    assert events("accounts.user.logged_out").get().data["cause"] == "超过最长登录时长"


def test_an_api_call_on_an_expired_session_answers_401(client, org):
    client.force_login(org.street)
    assert client.get(API).status_code == 200
    _age_session(client, seen=31 * 60)
    response = client.get(API)
    assert response.status_code == 401
    assert response.json() == {"detail": "登录已超时，请重新登录", "code": "session_expired"}


def test_session_settings_follow_the_environment(settings):
    assert settings.SESSION_IDLE_MINUTES == 30 and settings.SESSION_MAX_HOURS == 12
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


# API tokens ------------------------------------------------------------------------------------


def _auth(key):
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_a_token_works_until_revoked(client, org):
    token, key = services.api_token_issue(actor=org.street, owner=org.street, name="脚本")
    assert ApiToken.objects.get(pk=token.pk).key_hash != key and key not in str(ApiToken.objects.values().get())
    assert client.get(API, **_auth(key)).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    services.api_token_revoke(actor=org.street, token=token)
    response = client.get(API, **_auth(key))
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌已被撤销。"
    assert events("accounts.apitoken.issued").get().actor == org.street
    assert events("accounts.apitoken.revoked").get().data["cause"] == "本人撤销"


def test_an_expired_token_is_refused(client, org):
    token, key = services.api_token_issue(actor=org.street, owner=org.street, name="脚本", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(API, **_auth(key))
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌已过期。"
    assert "Token" in response["WWW-Authenticate"]
    assert client.get(API, **_auth("not-a-key")).status_code == 401


def test_token_lifetime_is_bounded(org, settings):
    settings.API_TOKEN_MAX_DAYS = 30
    with pytest.raises(Exception, match="1 到 30 天"):
        services.api_token_issue(actor=org.grid, owner=org.grid, name="x", days=31)
    token, _key = services.api_token_issue(actor=org.grid, owner=org.grid, name="x")
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)  # the default, capped
    settings.API_TOKEN_MAX_DAYS = 365
    token, _key = services.api_token_issue(actor=org.grid, owner=org.grid, name="x")
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)


def test_tokens_are_revoked_when_the_password_changes(client, org):
    _token, key = services.api_token_issue(actor=org.street, owner=org.street, name="脚本")
    client.force_login(org.street)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Brand-new-77", "new_password2": "Brand-new-77"},
    )
    client.logout()
    assert client.get(API, **_auth(key)).status_code == 401
    assert events("accounts.apitoken.revoked").get().data["cause"] == "密码已修改"


def test_tokens_are_revoked_by_an_admin_reset_and_by_deactivation(client, org):
    _t1, key1 = services.api_token_issue(actor=org.community, owner=org.community, name="a")
    services.user_set_password(actor=org.street, user=org.community, password="Reset-by-admin-9")
    assert client.get(API, **_auth(key1)).status_code == 401
    _t2, key2 = services.api_token_issue(actor=org.community, owner=org.community, name="b")
    services.user_update(actor=org.street, user=org.community, changes={"is_active": False})
    assert client.get(API, **_auth(key2)).status_code == 401
    assert [e.data["cause"] for e in events("accounts.apitoken.revoked")] == ["密码已修改", "账号已停用"]


def test_my_tokens_page_shows_the_key_once_and_revokes(client, org):
    client.force_login(org.grid)
    url = reverse("accounts:token_list")
    response = client.post(url, {"name": "巡查脚本", "days": "30"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    assert key not in client.get(url).content.decode()
    token = ApiToken.objects.get(user=org.grid)
    assert token.prefix == key[:8] and token.name == "巡查脚本"
    assert client.get("/api/v1/cases/", **_auth(key)).status_code == 200
    response = client.post(url, {"name": "", "days": "9999"})
    assert response.status_code == 400
    # Someone else's token: 404, nothing revoked.
    other, _k = services.api_token_issue(actor=org.community, owner=org.community, name="c")
    assert client.post(reverse("accounts:token_revoke", args=[other.pk])).status_code == 404
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_by == org.grid
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None


def test_an_account_manager_lists_and_revokes_a_users_tokens(client, org):
    token, _key = services.api_token_issue(actor=org.community, owner=org.community, name="对接")
    client.force_login(org.street)
    html = client.get(reverse("accounts:user_update", args=[org.community.pk])).content.decode()
    assert "对接" in html and token.prefix in html
    response = client.post(reverse("accounts:user_token_revoke", args=[org.community.pk, token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == org.street
    assert events("accounts.apitoken.revoked").get().data["cause"] == "管理员撤销"
    # The token must belong to the account in the URL.
    mine, _k = services.api_token_issue(actor=org.grid, owner=org.grid, name="g")
    response = client.post(reverse("accounts:user_token_revoke", args=[org.community.pk, mine.pk]))
    assert response.status_code == 404


def test_issue_api_token_command_prints_only_the_key(client, org):
    out = io.StringIO()
    call_command("issue_api_token", org.street.username, "--days", "7", "--name", "CI", stdout=out)
    key = out.getvalue().strip()
    assert "\n" not in key and len(key) == 40
    assert client.get(API, **_auth(key)).status_code == 200
    token = ApiToken.objects.get(user=org.street)
    assert token.name == "CI" and token.expires_at - timezone.now() <= timedelta(days=7)


def test_the_schema_documents_the_token_scheme(client, org):
    client.force_login(org.street)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}
    assert "Token <key>" in scheme["description"]


def test_the_test_clients_login_still_works_and_the_login_page_still_locks(client, org):
    assert client.login(username=org.grid.username, password=PASSWORD)
    client.logout()
    for _ in range(5):
        attempt(client, org.grid.username, "wrong")
    assert attempt(client, org.grid.username, PASSWORD).status_code == 429


def test_a_nul_byte_in_the_login_form_is_refused_not_a_crash(client, org):
    response = attempt(client, "gr\x00id", "wrong\x00")
    # The control-character guard answers before the form or authenticate() sees it.
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
    assert not events("accounts.user.login_failed").exists()


def test_the_lockout_page_speaks_english(client, org, settings):
    import re

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(5):
        response = attempt(client, org.grid.username, "wrong")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many wrong passwords" in html and "ask a system administrator" in html
    body = html.split("<main", 1)[1].split('class="lang-switch"')[0]
    assert not re.search(r"[\u4e00-\u9fff]", body), body
