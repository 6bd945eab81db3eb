"""Notifications about any object: stored link and title, the inbox, marking read, backends."""

import logging

import pytest
from django.urls import reverse

from apps.notifications.models import Notification
from apps.notifications.selectors import notifications_about
from apps.notifications.services import notification_mark_read, notify

pytestmark = pytest.mark.django_db


def test_notify_stores_a_generic_target_with_its_link_and_title(org):
    unit = org.unit_a1
    [row] = notify([org.unit_contact, org.unit_contact], target=unit, kind="info", message="hello")
    assert row.target == unit and row.title == str(unit)
    assert row.link == (unit.get_absolute_url() if hasattr(unit, "get_absolute_url") else "")
    assert list(notifications_about(unit)) == [row]
    assert org.unit_contact.notifications.count() == 1


def test_notify_without_target_keeps_an_explicit_link(org):
    [row] = notify([org.office], kind="appeal", message="x" * 300, link="/somewhere/", title="T")
    assert (row.target, row.link, row.title, len(row.message)) == (None, "/somewhere/", "T", 255)


def test_inbox_lists_own_messages_and_marks_them_read(client, org):
    notify([org.unit_contact], kind="info", message="mine", link="/x/", title="标题")
    notify([org.office], kind="info", message="not mine")
    client.force_login(org.unit_contact)
    assert client.get(reverse("core:home")).context["unread_notifications"] == 1
    page = client.get(reverse("notifications:list"))
    assert "mine" in page.content.decode() and "not mine" not in page.content.decode()
    assert client.post(reverse("notifications:list")).status_code == 302
    assert not Notification.objects.filter(recipient=org.unit_contact, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=org.office, read_at__isnull=True).exists()


def test_mark_read_touches_only_the_given_ids(org):
    first, second = (notify([org.office], kind="info", message=m)[0] for m in ("a", "b"))
    assert notification_mark_read(user=org.office, ids=[first.pk]) == 1
    assert notification_mark_read(user=org.unit_contact) == 0
    second.refresh_from_db()
    assert second.read_at is None


def test_backends_send_after_commit(org, settings, caplog, django_capture_on_commit_callbacks):
    settings.NOTIFY_BACKENDS = ["apps.notifications.backends.LogBackend"]
    with (
        caplog.at_level(logging.INFO, logger="apps.notifications.backends"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify([org.office], kind="info", message="短信内容")
    assert any("短信内容" in record.getMessage() for record in caplog.records)


def test_inbox_needs_login(client):
    assert client.get(reverse("notifications:list")).status_code == 302


def test_a_message_is_stored_by_key_and_read_in_each_language(org):
    from django.utils import translation
    from django.utils.translation import gettext_noop

    from apps.notifications.messages import Message

    with translation.override("en"):  # whoever writes it, the stored text is the default language's
        [row] = notify(
            [org.office],
            kind="handled",
            message=Message(gettext_noop("{code} 已反馈整改，请核查。"), code="AJ1"),
            title=Message(gettext_noop("申诉：{target} {item}"), target="幸福物业", item="1.1"),
        )
    assert (row.message, row.title) == ("AJ1 已反馈整改，请核查。", "申诉：幸福物业 1.1")
    assert (row.message_key, row.params) == ("{code} 已反馈整改，请核查。", {"code": "AJ1"})
    with translation.override("en"):
        assert "AJ1" in row.text and "已反馈" not in row.text
        assert "幸福物业 1.1" in row.title_text and "申诉" not in row.title_text
    with translation.override("zh-hans"):
        assert row.text == row.message and str(row) == row.message


def test_backends_send_the_default_language_text(org, settings, caplog, django_capture_on_commit_callbacks):
    from django.utils.translation import gettext_noop

    from apps.notifications.messages import Message

    settings.NOTIFY_BACKENDS = ["apps.notifications.backends.LogBackend"]
    with (
        caplog.at_level(logging.INFO, logger="apps.notifications.backends"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify([org.office], kind="handled", message=Message(gettext_noop("{code} 已反馈整改，请核查。"), code="AJ2"))
    assert any("AJ2 已反馈整改，请核查。" in record.getMessage() for record in caplog.records)


def test_a_message_with_a_missing_parameter_still_reads():
    from apps.notifications.messages import render

    assert render("{code} 已反馈整改，请核查。", {}) == "{code} 已反馈整改，请核查。"
    assert render("{code.x} 坏的占位符", {"code": "A1"}) == "{code.x} 坏的占位符"
