"""Write the "who may call which handler" table into docs/security.md, read from the block classes.

    PYTHONPATH=workbench DJANGO_SETTINGS_MODULE=lifelong_settings .venv/bin/python scripts/security_table.py

The section "## Who may call which handler" is replaced up to the next "## " heading;
tests/security/test_authorization_matrix.py checks that the document matches the classes.
"""
import re
import sys
from pathlib import Path

import django

HEADING = "## Who may call which handler"
INTRO = """Generated from the block classes by `scripts/security_table.py` (every installed `lifelong_*`
block, every handler); `tests/security/test_authorization_matrix.py` fails when it differs. JSON
handlers take a `POST` with a JSON object; `owner` handlers also find the object by the id sent and
refuse anybody else's with the same 403 as a missing one (`identity.require_owner`). The `anyone`
handler `material` (nomination) serves a file to everybody only when it is in the showcase,
otherwise only to its nominator and staff, through the same check.
"""


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    django.setup()
    from lifelong_xblocks.blocks.access import access_table_markdown  # noqa: PLC0415

    doc = Path(__file__).resolve().parents[1] / "docs" / "security.md"
    text = doc.read_text(encoding="utf-8")
    section = f"{HEADING}\n\n{INTRO}\n{access_table_markdown()}\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
