# Models of lifelong_xblocks/models/{recitation}.py.  Operations are added as those models grow;
# keep `python -m django makemigrations lifelong_xblocks --check` clean.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("lifelong_xblocks", "0005_reading_log"),
    ]

    operations = [
        migrations.CreateModel(
            name='Recitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('by_staff', models.BooleanField(default=False)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('modified', models.DateTimeField(auto_now=True)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('submissions', models.PositiveIntegerField(default=0)),
                ('gallery_consent', models.BooleanField(default=False)),
                ('consent_changed_at', models.DateTimeField(blank=True, null=True)),
                ('featured', models.BooleanField(default=False)),
                ('featured_at', models.DateTimeField(blank=True, null=True)),
                ('hidden', models.BooleanField(default=False)),
                ('staff_comment', models.TextField(blank=True, default='')),
                ('play_count', models.PositiveIntegerField(default=0)),
                ('like_count', models.PositiveIntegerField(default=0)),
                ('recording', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='lifelong_xblocks.storedfile')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='RecitationLike',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('recitation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='likes', to='lifelong_xblocks.recitation')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='RecitationPlay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('recitation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plays', to='lifelong_xblocks.recitation')),
                ('recording', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='lifelong_xblocks.storedfile')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.AddIndex(
            model_name='recitation',
            index=models.Index(fields=['usage_key', 'featured', 'gallery_consent', 'hidden'], name='lifelong_recitation_gallery'),
        ),
        migrations.AddConstraint(
            model_name='recitation',
            constraint=models.UniqueConstraint(fields=('usage_key', 'user'), name='lifelong_recitation_once'),
        ),
        migrations.AddConstraint(
            model_name='recitationlike',
            constraint=models.UniqueConstraint(fields=('recitation', 'user'), name='lifelong_recitation_like_once'),
        ),
        migrations.AddConstraint(
            model_name='recitationplay',
            constraint=models.UniqueConstraint(fields=('recording', 'user'), name='lifelong_recitation_play_once'),
        ),
    ]
