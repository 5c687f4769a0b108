"""Where the shipped templates and static files are, and rendering them.

In a wheel they sit inside the package (``lifelong_xblocks/templates``); in a source
checkout at the top of the repository.  Everything that reads them goes through
:data:`loader`, a ``xblock.utils.resources.ResourceLoader``.
"""
from functools import lru_cache
from pathlib import Path

from django.template import Context, Engine
from xblock.utils.resources import ResourceLoader

from lifelong_xblocks import i18n

PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def resource_root():
    """The folder that holds ``templates/`` and ``static/``."""
    if (PACKAGE_DIR / "templates").is_dir():
        return PACKAGE_DIR
    return PACKAGE_DIR.parent


def resource_path(relative):
    """Absolute path of a shipped resource; refuses anything outside templates/ and static/."""
    root = resource_root()
    path = (root / relative.lstrip("/")).resolve()
    allowed = ((root / "templates").resolve(), (root / "static").resolve())
    if not any(path.is_relative_to(folder) for folder in allowed) or not path.is_file():
        raise FileNotFoundError(relative)
    return path


@lru_cache(maxsize=128)
def _read_text(relative):
    """A shipped file's text (cached: resources do not change while the server runs)."""
    return resource_path(relative).read_text(encoding="utf-8")


class PackageResources(ResourceLoader):
    """``ResourceLoader`` that finds our top-level templates/static in both layouts.

    ``render_django_template`` is kept API-compatible but compiles each template once:
    upstream builds a new Engine (scanning every installed app's tag libraries) and
    re-parses the template on every render, which is most of a block's render time in
    a large LMS.  Translations come from our catalog, activated for the render.
    """

    def __init__(self):
        super().__init__(__name__)

    def load_unicode(self, resource_path_):  # pylint: disable=arguments-renamed
        return _read_text(resource_path_)

    @staticmethod
    @lru_cache(maxsize=1)
    def engine():
        """A Django template engine over our templates folder, autoescaping, with the i18n tags."""
        return Engine(
            dirs=[str(resource_root() / "templates")],
            builtins=["django.templatetags.i18n"],
            libraries={"l10n": "django.templatetags.l10n"},
            autoescape=True,
        )

    def render_django_template(self, template_path, context=None, i18n_service=None):
        name = template_path.lstrip("/").removeprefix("templates/")
        template = self.engine().get_template(name)
        with i18n.templates_translated():
            return template.render(Context(context or {}, autoescape=True))


loader = PackageResources()
