"""The audit table refuses UPDATE, DELETE (and TRUNCATE) in the database itself, not only in save()."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.core import audit_guard
from apps.core.exceptions import DomainError
from apps.core.models import AuditEvent
from apps.core.services import audit_purge

pytestmark = pytest.mark.django_db


def _refused(statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        statement()


def test_the_database_refuses_queryset_update_and_delete(org):
    assert audit_guard.installed(connection)
    before = list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "object_repr"))
    assert before
    _refused(lambda: AuditEvent.objects.update(action="tampered"))
    _refused(lambda: AuditEvent.objects.filter(pk=before[0][0]).update(object_repr="forged"))
    _refused(lambda: AuditEvent.objects.all().delete())
    _refused(lambda: AuditEvent.objects.filter(pk=before[-1][0]).delete())
    assert list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "object_repr")) == before


def test_plain_sql_is_refused_too(org):
    with connection.cursor() as cursor:
        _refused(lambda: cursor.execute("UPDATE core_auditevent SET action = 'x'"))
        _refused(lambda: cursor.execute("DELETE FROM core_auditevent"))
    assert not AuditEvent.objects.filter(action="x").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
@pytest.mark.django_db(transaction=True)  # no pending FK checks of rows inserted in this transaction
def test_truncate_is_refused_on_postgresql_and_flush_still_resets(org):
    count = AuditEvent.objects.count()
    with connection.cursor() as cursor:
        _refused(lambda: cursor.execute("TRUNCATE core_auditevent CASCADE"))
    assert AuditEvent.objects.count() == count
    call_command("flush", interactive=False, verbosity=0)  # what pytest-django does between such tests
    assert AuditEvent.objects.count() == 0
    assert audit_guard.installed(connection)


def test_inserts_still_work_and_the_switch_closes_with_its_transaction(org):
    event = AuditEvent.objects.first()
    with audit_guard.audit_maintenance():
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="fixed by a data migration")
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "fixed by a data migration"
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(object_repr="again"))
    with pytest.raises(RuntimeError), audit_guard.audit_maintenance():
        raise RuntimeError
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(object_repr="again"))


def _event_at(org, days_ago: int, action: str) -> AuditEvent:
    template = AuditEvent.objects.filter(jurisdiction_path__startswith=org.city.path).first()
    return AuditEvent.objects.create(
        occurred_at=timezone.now() - timedelta(days=days_ago),
        actor_name="t",
        action=action,
        content_type=template.content_type,
        object_id=template.object_id,
        object_repr="old",
        jurisdiction_path=template.jurisdiction_path,
    )


def test_purge_refuses_the_retention_period_and_records_itself(org, settings):
    settings.AUDIT_RETENTION_DAYS = 30  # under the floor: 180 days still hold
    old = _event_at(org, 400, "organization.unit.updated")
    kept = _event_at(org, 170, "organization.unit.updated")
    today = timezone.localdate()
    with pytest.raises(DomainError, match="180"):
        audit_purge(before=today - timedelta(days=179))
    with pytest.raises(CommandError, match="180"):
        call_command("purge_audit", "--before", (today - timedelta(days=100)).isoformat())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("purge_audit", "--before", "tomorrow")
    assert AuditEvent.objects.filter(pk__in=[old.pk, kept.pk]).count() == 2

    call_command("purge_audit", "--before", (today - timedelta(days=180)).isoformat())
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    purge = AuditEvent.objects.get(action="core.auditevent.purged")
    assert purge.data == {
        "purged_before": (today - timedelta(days=180)).isoformat(),
        "deleted": 1,
        "retention_days": 180,
    }
    assert purge.jurisdiction_path == org.city.path.split("/")[0] + "/"
    # And the purge's own record is as protected as the rest.
    _refused(lambda: AuditEvent.objects.filter(pk=purge.pk).delete())


def test_a_longer_retention_setting_is_honoured(org, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    with pytest.raises(DomainError, match="365"):
        audit_purge(before=timezone.localdate() - timedelta(days=200))


def test_the_purge_reads_in_the_audit_log_in_english(client, org):
    _event_at(org, 400, "organization.unit.updated")
    audit_purge(before=timezone.localdate() - timedelta(days=200))
    client.force_login(org.admin)
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("core:audit_list"), {"action": "core.auditevent.purged"}).content.decode()
    assert "Purged expired audit records" in html
    assert "Records deleted" in html


def test_migrate_puts_back_triggers_a_table_rebuild_dropped(db):
    audit_guard.remove(connection)  # what Django's SQLite table rebuild does to an altered table
    assert not audit_guard.installed(connection)
    call_command("migrate", verbosity=0)
    assert audit_guard.installed(connection)
