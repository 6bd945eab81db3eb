"""Notifications and the working calendar leave `cases` for the shared apps (issue 8).

The rows are copied here, in the domain app, so the shared apps' migrations know nothing
about cases: a case notification becomes a notification whose generic target is the case,
with the case's page and code stored as its link and title. Rows keep their ids, so the
audit rows of calendar days are repointed to the new model and still name the same day.
0008 drops the old tables.
"""

from django.core.management.color import no_style
from django.db import migrations
from django.urls import NoReverseMatch, reverse


def _case_url(case_id):
    try:
        return reverse("cases:case_detail", args=[case_id])
    except NoReverseMatch:
        return ""


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldNotification = apps.get_model("cases", "Notification")
    Notification = apps.get_model("notifications", "Notification")
    OldDay = apps.get_model("cases", "CalendarDay")
    Day = apps.get_model("worktime", "CalendarDay")

    AuditEvent = apps.get_model("core", "AuditEvent")

    Day.objects.bulk_create(
        [Day(pk=old.pk, date=old.date, is_workday=old.is_workday, note=old.note) for old in OldDay.objects.all()]
    )
    _reset_sequence(schema_editor, Day)
    _repoint_audit(ContentType, AuditEvent, ("cases", "calendarday"), ("worktime", "calendarday"))

    case_type = None
    batch = []
    for old in OldNotification.objects.select_related("case").order_by("pk").iterator(chunk_size=2000):
        target_type = target_id = None
        title, link = "", old.link
        if old.case_id:
            if case_type is None:
                case_type, _created = ContentType.objects.get_or_create(app_label="cases", model="case")
            target_type, target_id = case_type, old.case_id
            title = old.case.code
            link = link or _case_url(old.case_id)
        batch.append(
            Notification(
                pk=old.pk,
                recipient_id=old.recipient_id,
                target_type=target_type,
                target_id=target_id,
                kind=old.kind,
                title=title[:100],
                message=old.message,
                link=link[:200],
                created_at=old.created_at,
                read_at=old.read_at,
            )
        )
        if len(batch) >= 2000:
            Notification.objects.bulk_create(batch)
            batch = []
    if batch:
        Notification.objects.bulk_create(batch)
    _reset_sequence(schema_editor, Notification)


def backward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldNotification = apps.get_model("cases", "Notification")
    Notification = apps.get_model("notifications", "Notification")
    OldDay = apps.get_model("cases", "CalendarDay")
    Day = apps.get_model("worktime", "CalendarDay")

    AuditEvent = apps.get_model("core", "AuditEvent")

    OldDay.objects.bulk_create(
        [OldDay(pk=day.pk, date=day.date, is_workday=day.is_workday, note=day.note) for day in Day.objects.all()]
    )
    _reset_sequence(schema_editor, OldDay)
    _repoint_audit(ContentType, AuditEvent, ("worktime", "calendarday"), ("cases", "calendarday"))
    case_type = ContentType.objects.filter(app_label="cases", model="case").first()
    OldNotification.objects.bulk_create(
        [
            OldNotification(
                recipient_id=n.recipient_id,
                case_id=n.target_id if case_type and n.target_type_id == case_type.pk else None,
                kind=n.kind,
                message=n.message,
                link=n.link,
                created_at=n.created_at,
                read_at=n.read_at,
            )
            for n in Notification.objects.order_by("pk")
        ],
        batch_size=2000,
    )
    # Moved back: the shared tables stay (their own migrations are not undone) but empty,
    # so that migrating forward again copies every row once.
    Notification.objects.all().delete()
    Day.objects.all().delete()


def _repoint_audit(ContentType, AuditEvent, old, new):
    old_type = ContentType.objects.filter(app_label=old[0], model=old[1]).first()
    if old_type is not None:
        new_type, _created = ContentType.objects.get_or_create(app_label=new[0], model=new[1])
        # The audit table refuses updates (core 0002) except inside the maintenance switch.
        from apps.core.audit_guard import audit_maintenance

        with audit_maintenance(AuditEvent.objects.db):
            AuditEvent.objects.filter(content_type=old_type).update(content_type=new_type)


def _reset_sequence(schema_editor, model):
    """Rows were copied with their ids: move PostgreSQL's id sequence past them."""
    connection = schema_editor.connection
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_unit_created_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("notifications", "0001_initial"),
        ("worktime", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
