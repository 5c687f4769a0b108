# Models of lifelong_xblocks/models/{nominations}.py.  Operations are added as those models grow;
# keep `python -m django makemigrations lifelong_xblocks --check` clean.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("lifelong_xblocks", "0006_recitation"),
    ]

    operations = [
        migrations.CreateModel(
            name='Nomination',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('by_staff', models.BooleanField(default=False)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('modified', models.DateTimeField(auto_now=True)),
                ('organisation', models.CharField(max_length=64)),
                ('category', models.CharField(max_length=20)),
                ('status', models.CharField(default='draft', max_length=24)),
                ('form', models.JSONField(default=dict)),
                ('headline', models.CharField(blank=True, default='', max_length=100)),
                ('phone', models.CharField(blank=True, default='', max_length=20)),
                ('consent_publication', models.BooleanField(default=False)),
                ('consent_portrait', models.BooleanField(default=False)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('status_changed_at', models.DateTimeField(blank=True, null=True)),
                ('feedback', models.TextField(blank=True, default='')),
                ('taken_down', models.BooleanField(default=False)),
                ('version', models.PositiveIntegerField(default=1)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='NominationComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField()),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('nomination', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='lifelong_xblocks.nomination')),
            ],
            options={
                'ordering': ['created', 'id'],
            },
        ),
        migrations.CreateModel(
            name='NominationMaterial',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20)),
                ('link', models.URLField(blank=True, default='', max_length=500)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('nomination', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='materials', to='lifelong_xblocks.nomination')),
                ('stored_file', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='lifelong_xblocks.storedfile')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='NominationQuota',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_key', models.CharField(max_length=255)),
                ('organisation', models.CharField(max_length=64)),
                ('modified', models.DateTimeField(auto_now=True)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('usage_key', 'organisation'), name='lifelong_nom_quota_once')],
            },
        ),
        migrations.CreateModel(
            name='NominationScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scores', models.JSONField(default=dict)),
                ('total', models.FloatField()),
                ('modified', models.DateTimeField(auto_now=True)),
                ('nomination', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='lifelong_xblocks.nomination')),
                ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.AddIndex(
            model_name='nomination',
            index=models.Index(fields=['usage_key', 'organisation', 'status'], name='lifelong_nom_quota'),
        ),
        migrations.AddIndex(
            model_name='nomination',
            index=models.Index(fields=['usage_key', 'user'], name='lifelong_nom_user'),
        ),
        migrations.AddIndex(
            model_name='nomination',
            index=models.Index(fields=['usage_key', 'status'], name='lifelong_nom_status'),
        ),
        migrations.AddConstraint(
            model_name='nominationscore',
            constraint=models.UniqueConstraint(fields=('nomination', 'reviewer'), name='lifelong_nom_score_once'),
        ),
        migrations.AddField(
            model_name='nomination',
            name='search_text',
            field=models.TextField(blank=True, default=''),
        ),
    ]
