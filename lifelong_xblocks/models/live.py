"""Models of the live concern (see the block or module of the same name)."""
from django.db import models  # noqa: F401
