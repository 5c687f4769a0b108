# Models of lifelong_xblocks/models/{bookshelf}.py.  Operations are added as those models grow;
# keep `python -m django makemigrations lifelong_xblocks --check` clean.
from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("lifelong_xblocks", "0003_live_sessions"),
    ]

    operations = []
