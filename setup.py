"""Packaging for lifelong-xblocks.

`static/` and `templates/` live at the top of the repository (where the
instructors and designers who edit them look first) but must ship *inside*
the installed package.  ``package_dir`` maps them into ``lifelong_xblocks/templates``
and ``lifelong_xblocks/blocks/static``: in production Open edX collects XBlock files
from ``<package of the block class's module>/<resources_dir>`` (``lifelong_xblocks.blocks``)
and serves them at ``xblock/resources/lifelong_xblocks.blocks/static/...``.
"""
from setuptools import find_packages, setup

RESOURCE_PACKAGES = {
    "lifelong_xblocks.blocks.static": "static",
    "lifelong_xblocks.templates": "templates",
}

TEST_REQUIRES = [
    "xblock-sdk>=0.12",
    "lazy>=1.4",          # xblock.django.request needs it; xblock-sdk does not declare it
    "pytest>=8",
    "pytest-django>=4.8",
    "hypothesis>=6.100",
    "playwright>=1.45",
    "polib>=1.2",
    "openpyxl>=3.1",      # reads exported XLSX back in tests
    "build>=1.0",
    "ruff>=0.5",
    "celery[redis]>=5.3",  # the dashboard's report task, run by a real worker in tests (Open edX ships Celery)
]

BLOCKS = [
    "lifelong_microlesson = lifelong_xblocks.blocks.microlesson:MicroLessonBlock",
    "lifelong_bookshelf = lifelong_xblocks.blocks.bookshelf:BookshelfBlock",
    "lifelong_live_session = lifelong_xblocks.blocks.live_session:LiveSessionBlock",
    "lifelong_reading_log = lifelong_xblocks.blocks.reading_log:ReadingLogBlock",
    "lifelong_recitation = lifelong_xblocks.blocks.recitation:RecitationBlock",
    "lifelong_nomination = lifelong_xblocks.blocks.nomination:NominationBlock",
    "lifelong_dashboard = lifelong_xblocks.blocks.dashboard:DashboardBlock",
]

setup(
    name="lifelong-xblocks",
    version="0.1.0",
    description="Open edX XBlocks for lifelong-learning activity weeks: micro-lessons, live lectures, "
                "reading clubs, nominations and reports.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.11",
    packages=find_packages(include=["lifelong_xblocks*"]) + list(RESOURCE_PACKAGES),
    package_dir=RESOURCE_PACKAGES,
    package_data={
        "lifelong_xblocks": ["translations/*/LC_MESSAGES/*.po", "translations/*/LC_MESSAGES/*.mo"],
        "lifelong_xblocks.blocks.static": ["*", "*/*", "*/*/*"],
        "lifelong_xblocks.templates": ["*", "*/*", "*/*/*"],
    },
    include_package_data=False,
    zip_safe=False,
    install_requires=[
        "XBlock>=5.1,<7",
        "Django>=4.2,<6",
        "web-fragments>=2.0",
        "nh3>=0.2.17",
        "Markdown>=3.5",
        "webvtt-py>=0.5",
        "XlsxWriter>=3.1",      # XLSX exports in constant-memory mode
        "Pillow>=10.3",         # uploaded images re-encoded, metadata dropped
        "filetype>=1.2",        # uploads: the real type sniffed from the bytes
        "mutagen>=1.47",        # uploads: audio duration
        "python-stdnum>=1.20",  # ISBN checks
        "icalendar>=5.0",       # "Add to calendar" files
        "segno>=1.6",           # check-in QR codes drawn on the server
    ],
    extras_require={
        "test": TEST_REQUIRES,
        "dev": TEST_REQUIRES,
        # The MariaDB/MySQL driver needs Debian's libmariadb-dev to build (scripts/system-deps.sh).
        "mysql": ["mysqlclient>=2.2"],
    },
    entry_points={
        "xblock.v1": BLOCKS,
        "lms.djangoapp": ["lifelong_xblocks = lifelong_xblocks.apps:LifelongXBlocksConfig"],
        "cms.djangoapp": ["lifelong_xblocks = lifelong_xblocks.apps:LifelongXBlocksConfig"],
    },
    classifiers=[
        "Framework :: Django",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
