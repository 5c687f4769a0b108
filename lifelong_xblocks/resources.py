"""Where the shipped templates and static files are, and rendering them.

In a source checkout both folders sit at the top of the repository.  In a wheel,
``templates/`` is ``lifelong_xblocks/templates`` and ``static/`` is
``lifelong_xblocks/blocks/static``: in production Open edX serves XBlock files that
collectstatic gathered from ``<package of the block's module>/<resources_dir>/<uri>``,
and our blocks' modules live in ``lifelong_xblocks.blocks``.  Everything that reads them
goes through here; templates are rendered by :data:`loader`, a ``ResourceLoader``.
"""
from functools import lru_cache
from pathlib import Path

from django.template import Context, Engine
from xblock.utils.resources import ResourceLoader

from lifelong_xblocks import i18n

PACKAGE_DIR = Path(__file__).resolve().parent
REPOSITORY_DIR = PACKAGE_DIR.parent
INSTALLED = {"templates": PACKAGE_DIR / "templates", "static": PACKAGE_DIR / "blocks" / "static"}


@lru_cache(maxsize=2)
def folder(name):
    """The ``templates`` or ``static`` folder: inside the installed package, else in the checkout."""
    installed = INSTALLED[name]
    return installed if installed.is_dir() else REPOSITORY_DIR / name


def resource_root():
    """Where the templates are (kept for callers that report the layout)."""
    return folder("templates").parent


def resource_path(relative):
    """Absolute path of ``templates/...`` or ``static/...``; refuses anything outside those folders."""
    top, _, rest = relative.lstrip("/").partition("/")
    if top not in INSTALLED or not rest:
        raise FileNotFoundError(relative)
    base = folder(top).resolve()
    path = (base / rest).resolve()
    if not path.is_relative_to(base) or not path.is_file():
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
            dirs=[str(folder("templates"))],
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
