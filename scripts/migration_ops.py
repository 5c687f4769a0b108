"""Append the pending model changes of some models to an existing migration of this app.

Several blocks grow their models side by side, each in its own migration of one chain
(``0003_live_sessions``, ``0004_bookshelf`` ...).  ``makemigrations`` would put every pending
change into one new file; this script takes from its dry run only the operations on the models
named and appends them to the migration given::

    python scripts/migration_ops.py lifelong_xblocks/migrations/0004_bookshelf.py Book BookVote

Run with ``PYTHONPATH=workbench DJANGO_SETTINGS_MODULE=lifelong_settings`` (as ``make`` sets).
Afterwards ``python -m django makemigrations lifelong_xblocks --check --dry-run`` must not list
those models any more.
"""
import re
import subprocess
import sys


def pending_operations():
    out = subprocess.run([sys.executable, "-m", "django", "makemigrations", "lifelong_xblocks", "--dry-run",
                          "-v", "3"], capture_output=True, text=True, check=True).stdout
    if "    operations = [" not in out:
        return []
    body = out[out.index("    operations = [") + len("    operations = [\n"):]
    body = body[:body.index("\n    ]")]
    return [chunk.rstrip().rstrip(",") + ",\n" for chunk in re.split(r"\n(?=        migrations\.)", body)
            if chunk.strip()]


def targets(op):
    names = re.findall(r"^            (?:name|model_name)='([^']+)'", op, re.M)
    return {name.lower() for name in names[:1]}


def main(path, *models):
    wanted = {model.lower() for model in models}
    chosen = [op for op in pending_operations() if targets(op) & wanted]
    if not chosen:
        print("nothing pending for", ", ".join(models))
        return
    text = open(path, encoding="utf-8").read()
    if "from django.db import migrations\n" in text:
        text = text.replace("from django.db import migrations\n", "from django.db import migrations, models\n")
    if "django.db.models.deletion" in "".join(chosen) and "import django.db.models.deletion" not in text:
        text = text.replace("from django.conf import settings\n",
                            "import django.db.models.deletion\nfrom django.conf import settings\n")
    if "    operations = []" in text:
        text = text.replace("    operations = []", "    operations = [\n" + "".join(chosen) + "    ]")
    else:
        end = text.rindex("\n    ]")
        text = text[:end] + "\n" + "".join(chosen).rstrip("\n") + text[end:]
    open(path, "w", encoding="utf-8").write(text)
    print(f"{len(chosen)} operation(s) appended to {path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
