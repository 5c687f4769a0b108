"""The Django app behind the blocks: models, migrations and the Open edX plugin wiring."""
from django.apps import AppConfig


class LifelongXBlocksConfig(AppConfig):
    """Registered in Open edX through the ``lms.djangoapp`` / ``cms.djangoapp`` entry points,
    so ``pip install`` followed by ``migrate`` is the whole installation."""

    name = "lifelong_xblocks"
    verbose_name = "Lifelong-learning XBlocks"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "settings_config": {
            "lms.djangoapp": {
                "common": {"relative_path": "settings.common"},
                "production": {"relative_path": "settings.production"},
            },
            "cms.djangoapp": {
                "common": {"relative_path": "settings.common"},
                "production": {"relative_path": "settings.production"},
            },
        },
    }
