# Models of lifelong_xblocks/models/{bookshelf}.py.  Operations are added as those models grow;
# keep `python -m django makemigrations lifelong_xblocks --check` clean.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("lifelong_xblocks", "0003_live_sessions"),
    ]

    operations = [
        migrations.CreateModel(
            name='Book',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('title', models.CharField(max_length=300)),
                ('author', models.CharField(max_length=200)),
                ('isbn', models.CharField(blank=True, max_length=13, null=True)),
                ('publisher', models.CharField(blank=True, default='', max_length=200)),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('tags', models.JSONField(blank=True, default=list)),
                ('match_key', models.CharField(max_length=64)),
                ('by_staff', models.BooleanField(default=False)),
                ('vote_count', models.PositiveIntegerField(default=0)),
                ('recommender_count', models.PositiveIntegerField(default=0)),
                ('hidden', models.BooleanField(default=False)),
                ('featured', models.BooleanField(default=False)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('merged_into', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='merged_books', to='lifelong_xblocks.book')),
                ('recommended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='BookRecommendation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('by_staff', models.BooleanField(default=False)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('modified', models.DateTimeField(auto_now=True)),
                ('reason', models.CharField(blank=True, default='', max_length=500)),
                ('tags', models.JSONField(blank=True, default=list)),
                ('book', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to='lifelong_xblocks.book')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='BookVote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('usage_key', models.CharField(max_length=255)),
                ('by_staff', models.BooleanField(default=False)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('modified', models.DateTimeField(auto_now=True)),
                ('book', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='lifelong_xblocks.book')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.AddIndex(
            model_name='book',
            index=models.Index(fields=['usage_key', 'hidden', 'vote_count', 'id'], name='lifelong_book_by_votes'),
        ),
        migrations.AddIndex(
            model_name='book',
            index=models.Index(fields=['usage_key', 'hidden', 'featured', 'vote_count', 'id'], name='lifelong_book_by_picks'),
        ),
        migrations.AddIndex(
            model_name='book',
            index=models.Index(fields=['usage_key', 'hidden', 'id'], name='lifelong_book_by_newest'),
        ),
        migrations.AddIndex(
            model_name='book',
            index=models.Index(fields=['course_key', 'hidden', 'title'], name='lifelong_book_course_titles'),
        ),
        migrations.AddConstraint(
            model_name='book',
            constraint=models.UniqueConstraint(fields=('usage_key', 'match_key'), name='lifelong_book_once_by_title'),
        ),
        migrations.AddConstraint(
            model_name='book',
            constraint=models.UniqueConstraint(fields=('usage_key', 'isbn'), name='lifelong_book_once_by_isbn'),
        ),
        migrations.AddIndex(
            model_name='bookrecommendation',
            index=models.Index(fields=['usage_key', 'user'], name='lifelong_recommend_by_user'),
        ),
        migrations.AddConstraint(
            model_name='bookrecommendation',
            constraint=models.UniqueConstraint(fields=('book', 'user'), name='lifelong_recommend_once'),
        ),
        migrations.AddIndex(
            model_name='bookvote',
            index=models.Index(fields=['usage_key', 'user'], name='lifelong_vote_by_user'),
        ),
        migrations.AddConstraint(
            model_name='bookvote',
            constraint=models.UniqueConstraint(fields=('book', 'user'), name='lifelong_vote_once'),
        ),
    ]
