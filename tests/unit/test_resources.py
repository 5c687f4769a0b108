"""Shipped templates and static files are found in both layouts and nothing else is served."""
import pytest

from lifelong_xblocks.blocks.microlesson import MicroLessonBlock
from lifelong_xblocks.resources import resource_path


def test_static_files_are_served():
    with MicroLessonBlock.open_local_resource("static/js/microlesson.js") as handle:
        assert b"LifelongMicroLesson" in handle.read()


@pytest.mark.parametrize("uri", [
    "static/../setup.py", "templates/microlesson.html", "static/js/../../lifelong_xblocks/conf.py",
    "/etc/passwd", "static/js/missing.js", "../static/js/microlesson.js",
])
def test_anything_outside_static_is_refused(uri):
    with pytest.raises(FileNotFoundError):
        MicroLessonBlock.open_local_resource(uri)


def test_resource_paths_cannot_escape_their_folders():
    with pytest.raises(FileNotFoundError):
        resource_path("templates/../setup.py")
    assert resource_path("templates/microlesson.html").name == "microlesson.html"
