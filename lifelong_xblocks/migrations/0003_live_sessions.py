# Models of lifelong_xblocks/models/{live}.py.  Operations are added as those models grow;
# keep `python -m django makemigrations lifelong_xblocks --check` clean.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("lifelong_xblocks", "0002_shared_records"),
    ]

    operations = [
        migrations.CreateModel(
            name='LiveSessionState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255, unique=True)),
                ('start_override', models.DateTimeField(blank=True, null=True)),
                ('end_override', models.DateTimeField(blank=True, null=True)),
                ('overrides_start', models.CharField(blank=True, default='', max_length=40)),
                ('cancelled', models.BooleanField(default=False)),
                ('cancel_reason', models.CharField(blank=True, default='', max_length=500)),
                ('sequence', models.PositiveIntegerField(default=0)),
                ('last_queue_number', models.PositiveIntegerField(default=0)),
                ('modified', models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name='LiveRegistration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('by_staff', models.BooleanField(default=False)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('modified', models.DateTimeField(auto_now=True)),
                ('status', models.CharField(choices=[('registered', 'registered'), ('waiting', 'waiting'), ('cancelled', 'cancelled')], max_length=12)),
                ('queued_at', models.DateTimeField()),
                ('queue_number', models.PositiveIntegerField(default=0)),
                ('registered_at', models.DateTimeField(blank=True, null=True)),
                ('promoted', models.BooleanField(default=False)),
                ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                ('checked_in_at', models.DateTimeField(blank=True, null=True)),
                ('check_in_method', models.CharField(blank=True, default='', max_length=8)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['usage_key', 'status', 'queue_number'], name='lifelong_live_queue')],
                'constraints': [models.UniqueConstraint(fields=('usage_key', 'user'), name='lifelong_live_seat_once')],
            },
        ),
    ]
