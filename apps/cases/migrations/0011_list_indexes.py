from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_rollups'),
        ('organization', '0003_member_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status__in', ['reported', 'registered', 'dispatched', 'handled', 'returned', 'suspended'])), fields=['jurisdiction', '-created_at', '-id'], name='cases_case_open_jur_new_idx'),
        ),
    ]
