"""Models of the reading_log concern (see the block or module of the same name)."""
from django.db import models  # noqa: F401
