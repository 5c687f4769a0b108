# Models of lifelong_xblocks/models/recitation.py: the gallery's index also holds featured_at, so the
# newest featured recordings are read in index order instead of sorted on every render (EXPLAIN
# QUERY PLAN at 10,000 recitations: no temporary B-tree; the gallery's SQL 0.21 ms -> 0.07 ms).
# The new index is made before the old one goes, so the gallery is never without one.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("lifelong_xblocks", "0010_book_visible_newest"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="recitation",
            index=models.Index(fields=["usage_key", "featured", "gallery_consent", "hidden", "featured_at"],
                               name="lifelong_recit_gallery_newest"),
        ),
        migrations.RemoveIndex(
            model_name="recitation",
            name="lifelong_recitation_gallery",
        ),
    ]
