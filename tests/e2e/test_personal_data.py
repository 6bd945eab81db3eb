"""Personal data in the browser: a dispatcher takes a 12345 call, the case page shows the caller's
number masked, 显示 shows it in full (HTMX, no inline script), and the audit log records who
looked; the leader reads the same case masked, without a 显示."""

import re

from apps.cases.models import Case
from apps.core.models import AuditEvent

from .conftest import login, shot


def test_a_dispatcher_reveals_a_callers_number_and_the_audit_log_shows_it(new_page, demo):
    page = new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, "dongyuan")
    page.goto("/cases/hotline/")
    page.fill("#id_hotline_ticket", "12345-20261130-0042")
    page.fill("#id_received_at", "2026-11-20T09:30")
    page.fill("#id_reporter_phone", "13912345678")
    page.fill("#id_reporter_name", "钱小来")
    page.select_option("#id_category", label="占道经营")
    page.fill("#id_address", "人民路与文化路口")
    page.select_option("#id_jurisdiction", label=page.locator("#id_jurisdiction option").nth(1).inner_text())
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(hotline_ticket="12345-20261130-0042")

    reporter = page.get_by_test_id("reporter")
    assert "139****5678" in reporter.inner_text() and "钱*来" in reporter.inner_text()
    assert "13912345678" not in page.content()
    shot(page, "personal-masked")

    phone = page.get_by_test_id("reporter-phone")
    phone.get_by_role("button", name="显示").click()
    phone.locator(".personal.revealed").wait_for()
    assert "13912345678" in phone.inner_text()
    assert phone.locator("a[href='tel:13912345678']").count() == 1
    assert "钱*来" in reporter.inner_text()  # only what was asked for is shown
    shot(page, "personal-revealed")
    event = AuditEvent.objects.get(action="personal.reveal", object_id=str(case.pk))
    assert event.actor.username == "dongyuan"

    page.goto("/audit/?action=personal.reveal")
    row = page.get_by_test_id("audit-table").locator("tr").nth(1)
    assert "查看个人信息" in row.inner_text() and case.code in row.inner_text()
    assert "联系电话" in row.inner_text() and "12345来电人" in row.inner_text()
    shot(page, "personal-audit-log")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors

    # Unit contacts' phones in the units list: masked, each with its 显示.
    page.goto("/org/units/")
    phones = page.locator("td .personal[data-personal='contact_phone']")
    assert phones.count() > 0 and "****" in phones.first.inner_text()
    assert phones.first.get_by_role("button", name="显示").count() == 1
    shot(page, "personal-unit-list")

    leader = new_page()
    login(leader, "leader")
    leader.goto(f"/cases/{case.pk}/")
    text = leader.get_by_test_id("reporter").inner_text()
    assert "139****5678" in text and "显示" not in text
    shot(leader, "personal-leader-masked")
