from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_move_notifications_and_calendar")]

    operations = [
        migrations.DeleteModel(name="Notification"),
        migrations.DeleteModel(name="CalendarDay"),
    ]
