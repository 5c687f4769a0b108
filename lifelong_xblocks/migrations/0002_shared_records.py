# Models of lifelong_xblocks/models/{files,moderation}.py.  Operations are added as those models grow;
# keep `python -m django makemigrations lifelong_xblocks --check` clean.
from django.conf import settings
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("lifelong_xblocks", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name='ContentFlag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('subject_type', models.CharField(max_length=40)),
                ('subject_id', models.PositiveBigIntegerField()),
                ('reason', models.CharField(blank=True, default='', max_length=500)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['usage_key', 'subject_type', 'resolved_at'], name='lifelong_flag_open')],
                'constraints': [models.UniqueConstraint(fields=('reporter', 'subject_type', 'subject_id'), name='lifelong_flag_once_per_reporter')],
            },
        ),
        migrations.CreateModel(
            name='ModerationAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('action', models.CharField(max_length=32)),
                ('subject_type', models.CharField(max_length=40)),
                ('subject_id', models.PositiveBigIntegerField()),
                ('note', models.TextField(blank=True, default='')),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created', 'id'],
                'indexes': [models.Index(fields=['subject_type', 'subject_id'], name='lifelong_modaction_subject')],
            },
        ),
        migrations.CreateModel(
            name='StoredFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('by_staff', models.BooleanField(default=False)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('modified', models.DateTimeField(auto_now=True)),
                ('purpose', models.CharField(max_length=40)),
                ('kind', models.CharField(max_length=20)),
                ('storage_name', models.CharField(max_length=255, unique=True)),
                ('original_name', models.CharField(max_length=255)),
                ('content_type', models.CharField(max_length=100)),
                ('size', models.PositiveBigIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('duration', models.FloatField(blank=True, null=True)),
                ('width', models.PositiveIntegerField(blank=True, null=True)),
                ('height', models.PositiveIntegerField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['usage_key', 'purpose'], name='lifelong_file_block')],
            },
        ),
    ]
