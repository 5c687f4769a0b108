# Models of lifelong_xblocks/models/bookshelf.py: the index of a shelf's newest books also holds
# merged_into, so the shelf's "N books" (visible: not hidden, not merged) is counted from the index
# alone instead of reading every book's row (bench/blocks_bench.py, 10,000 books).
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("lifelong_xblocks", "0009_report_files"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='book',
            name='lifelong_book_by_newest',
        ),
        migrations.AddIndex(
            model_name='book',
            index=models.Index(fields=['usage_key', 'hidden', 'merged_into', 'id'], name='lifelong_book_visible_newest'),
        ),
    ]
