# Models of lifelong_xblocks/models/{live}.py.  Operations are added as those models grow;
# keep `python -m django makemigrations lifelong_xblocks --check` clean.
from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("lifelong_xblocks", "0002_shared_records"),
    ]

    operations = []
