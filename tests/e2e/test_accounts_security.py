"""Sign-in security as people use it: API tokens, unlocking a locked account, the password policy."""

import pytest

from apps.accounts.models import ApiToken, User
from apps.core.models import AuditEvent

from .conftest import DEMO_PASSWORD, PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def test_a_user_issues_a_token_sees_it_once_and_revokes_it(new_page, demo):
    page = new_page()
    login(page, "grid")
    page.get_by_test_id("tokens-link").click()
    page.wait_for_url("**/accounts/tokens/")
    page.fill("#id_name", "巡查数据对接")
    page.fill("#id_days", "30")
    page.click("button:has-text('签发')")
    key = page.get_by_test_id("new-token-key").inner_text().strip()
    assert len(key) == 40
    assert page.get_by_test_id("token-row").count() == 1
    assert "巡查数据对接" in page.get_by_test_id("token-table").inner_text()
    shot(page, "accounts-token-issued")
    # Shown once: the list no longer holds it.
    page.goto("/accounts/tokens/")
    assert page.get_by_test_id("new-token").count() == 0
    assert key not in page.content()
    assert key[:8] in page.get_by_test_id("token-table").inner_text()
    page.click("[data-testid=token-row] button:has-text('撤销')")  # the confirmation is accepted
    page.wait_for_selector("text=令牌已撤销。")
    assert "已撤销" in page.get_by_test_id("token-table").inner_text()
    shot(page, "accounts-token-revoked")
    token = ApiToken.objects.get(user__username="grid")
    assert token.revoked_at is not None and token.revoked_by.username == "grid"


def test_an_administrator_unlocks_a_locked_account(new_page, demo):
    page = new_page()
    for _ in range(5):
        page.goto("/accounts/login/")
        page.fill("#id_username", "dongyuan")
        page.fill("#id_password", "not-the-password")
        page.click("button[type=submit]")
    assert page.get_by_test_id("lockout").is_visible()
    assert "系统管理员" in page.get_by_test_id("lockout").inner_text()
    shot(page, "accounts-lockout-page")
    # The right password is refused too while the lock lasts.
    page.goto("/accounts/login/")
    page.fill("#id_username", "dongyuan")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    assert page.get_by_test_id("lockout").is_visible()

    admin = new_page()
    login(admin, "admin")
    admin.click(".mainnav a:has-text('账号')")
    admin.fill("input[name=q]", "dongyuan")
    admin.click("button:has-text('筛选')")
    assert admin.get_by_test_id("locked-badge").count() == 1
    shot(admin, "accounts-list-locked")
    admin.click("tr:has-text('dongyuan') a:has-text('编辑')")
    assert "已锁定" in admin.get_by_test_id("login-security").inner_text()
    admin.get_by_test_id("unlock").click()
    admin.wait_for_selector("text=已解除锁定")
    assert "未锁定" in admin.get_by_test_id("login-security").inner_text()
    shot(admin, "accounts-unlocked")

    login(page, "dongyuan")
    assert page.get_by_test_id("current-user").is_visible()
    user = User.objects.get(username="dongyuan")
    assert AuditEvent.objects.filter(action="accounts.user.unlocked", object_id=str(user.pk)).exists()
    assert AuditEvent.objects.filter(action="accounts.user.locked", object_id=str(user.pk)).count() == 1


def test_a_password_against_the_policy_is_refused_with_the_reasons(new_page, demo):
    page = new_page(viewport=PHONE)
    login(page, "grid")
    page.goto("/accounts/password/")
    assert "至少 3 类" in page.content()  # the policy is shown before typing
    page.fill("#id_old_password", DEMO_PASSWORD)
    page.fill("#id_new_password1", "abcdefg")
    page.fill("#id_new_password2", "abcdefg")
    page.click("button:has-text('保存')")
    errors = page.locator(".errorlist").all_inner_texts()
    text = " ".join(errors)
    assert "密码太短，至少需要 8 个字符。" in text
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。" in text
    assert_no_horizontal_overflow(page)
    shot(page, "accounts-password-policy")
    page.fill("#id_old_password", DEMO_PASSWORD)
    page.fill("#id_new_password1", DEMO_PASSWORD)
    page.fill("#id_new_password2", DEMO_PASSWORD)
    page.click("button:has-text('保存')")
    assert "不能使用最近 5 次用过的密码。" in " ".join(page.locator(".errorlist").all_inner_texts())
    page.fill("#id_old_password", DEMO_PASSWORD)
    page.fill("#id_new_password1", "Grid-Patrol-2027")
    page.fill("#id_new_password2", "Grid-Patrol-2027")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=密码已修改。")
    assert User.objects.get(username="grid").check_password("Grid-Patrol-2027")
