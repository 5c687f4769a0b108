# Models of lifelong_xblocks/models/reports.py (report files produced from the dashboard).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("lifelong_xblocks", "0008_learner_activity"),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('format', models.CharField(choices=[('csv', 'CSV'), ('xlsx', 'XLSX')], max_length=8)),
                ('options', models.JSONField(default=dict)),
                ('status', models.CharField(choices=[('queued', 'queued'), ('running', 'running'), ('ready', 'ready'), ('failed', 'failed')], default='queued', max_length=10)),
                ('unfinished', models.BooleanField(default=True, null=True)),
                ('storage_name', models.CharField(blank=True, default='', max_length=255)),
                ('size', models.PositiveBigIntegerField(default=0)),
                ('summary_storage_name', models.CharField(blank=True, default='', max_length=255)),
                ('summary_size', models.PositiveBigIntegerField(default=0)),
                ('error', models.TextField(blank=True, default='')),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('started', models.DateTimeField(blank=True, null=True)),
                ('finished', models.DateTimeField(blank=True, null=True)),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['course_key', '-created'], name='lifelong_report_course')],
                'constraints': [models.UniqueConstraint(fields=('course_key', 'requested_by', 'unfinished'), name='lifelong_report_one_unfinished')],
            },
        ),
    ]
