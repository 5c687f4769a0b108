# Models of lifelong_xblocks/models/{reading_log}.py.  Operations are added as those models grow;
# keep `python -m django makemigrations lifelong_xblocks --check` clean.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("lifelong_xblocks", "0004_bookshelf"),
    ]

    operations = [
        migrations.CreateModel(
            name='ReadingCheckIn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('by_staff', models.BooleanField(default=False)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('modified', models.DateTimeField(auto_now=True)),
                ('day', models.DateField()),
                ('book_title', models.CharField(max_length=300)),
                ('minutes', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('pages', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('reflection', models.CharField(blank=True, default='', max_length=500)),
                ('shared', models.BooleanField(default=False)),
                ('hidden', models.BooleanField(default=False)),
                ('book', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='lifelong_xblocks.book')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['day'],
                'indexes': [models.Index(fields=['usage_key', 'day'], name='lifelong_checkin_block_day'), models.Index(fields=['usage_key', 'shared', 'hidden', 'day'], name='lifelong_checkin_wall')],
                'constraints': [models.UniqueConstraint(fields=('usage_key', 'user', 'day'), name='lifelong_checkin_once_a_day')],
            },
        ),
        migrations.CreateModel(
            name='ReadingWallMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('by_staff', models.BooleanField(default=False)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('modified', models.DateTimeField(auto_now=True)),
                ('sharing', models.BooleanField(default=False)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['usage_key', 'sharing'], name='lifelong_wall_member_sharing')],
                'constraints': [models.UniqueConstraint(fields=('usage_key', 'user'), name='lifelong_wall_member_once')],
            },
        ),
    ]
