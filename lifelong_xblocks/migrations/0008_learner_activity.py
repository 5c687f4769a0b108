# Models of lifelong_xblocks/models/activity.py (the course-wide activity ledger of the reports).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("lifelong_xblocks", "0007_nominations"),
    ]

    operations = [
        migrations.CreateModel(
            name='LearnerActivityDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(max_length=255)),
                ('block_type', models.CharField(max_length=64)),
                ('day', models.DateField()),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('course_key', 'day', 'block_type', 'user'), name='lifelong_activity_day')],
            },
        ),
        migrations.CreateModel(
            name='LearnerBlockActivity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('block_type', models.CharField(max_length=64)),
                ('title', models.CharField(blank=True, default='', max_length=255)),
                ('by_staff', models.BooleanField(default=False)),
                ('first_activity', models.DateTimeField()),
                ('last_activity', models.DateTimeField()),
                ('completion', models.FloatField(default=0.0)),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
                ('score', models.FloatField(blank=True, null=True)),
                ('max_score', models.FloatField(blank=True, null=True)),
                ('figures', models.JSONField(blank=True, default=dict)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('usage_key', 'user'), name='lifelong_activity_block_user')],
            },
        ),
    ]
