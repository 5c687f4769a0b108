"""Run by test_wheel.py with the Python of a fresh virtualenv holding only the built wheel
(and its test extra), from a temporary folder: never from the checkout.

Prints one JSON report on stdout; test_wheel.py asserts on it.
"""
# pylint: disable=import-outside-toplevel
import json
import os
import sys
import traceback
from importlib import metadata, resources
from pathlib import Path

CHECKOUT = Path(sys.argv[1]).resolve()
TITLE = "Cloud classroom 云课堂: installed from the wheel"
OLX = f"""<lifelong_microlesson display_name="{TITLE}" media_duration="30"
  video_sources='[{{"url": "/static/demo/lesson-360.webm", "label": "360p", "height": 360}}]'
  lesson_text="Watch the video."/>"""


def inside(path, folder):
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def main():
    report = {"cwd": os.getcwd(), "prefix": sys.prefix, "errors": []}
    report["checkout_on_sys_path"] = [p for p in sys.path if p and inside(p, CHECKOUT)]

    def step(name, function):
        try:
            report[name] = function()
        except Exception:  # pylint: disable=broad-except
            report["errors"].append(f"{name}: {traceback.format_exc()}")

    def package():
        import lifelong_xblocks
        return {"file": lifelong_xblocks.__file__, "in_prefix": inside(lifelong_xblocks.__file__, sys.prefix)}

    def entry_points():
        found = {}
        for group in ("xblock.v1", "lms.djangoapp", "cms.djangoapp"):
            found[group] = {ep.name: ep.value for ep in metadata.entry_points(group=group)
                            if ep.dist and ep.dist.metadata["Name"].lower().replace("_", "-") == "lifelong-xblocks"}
        block = next(ep for ep in metadata.entry_points(group="xblock.v1") if ep.name == "lifelong_microlesson")
        found["block_class"] = f"{block.load().__module__}.{block.load().__name__}"
        found["block_module_file"] = sys.modules[block.load().__module__].__file__
        found["loaded_blocks"] = {ep.name: f"{ep.load().__module__}:{ep.load().__name__}"
                                  for ep in metadata.entry_points(group="xblock.v1") if ep.name in found["xblock.v1"]}
        app = next(ep for ep in metadata.entry_points(group="lms.djangoapp") if ep.name == "lifelong_xblocks")
        found["app_config"] = getattr(app.load(), "plugin_app", None) is not None
        return found

    def package_files():
        root = resources.files("lifelong_xblocks")
        wanted = ["templates/microlesson.html", "blocks/static/js/microlesson.js", "blocks/static/css/lifelong.css"]
        from lifelong_xblocks import resources as lifelong_resources
        return {"present": {name: root.joinpath(name).is_file() for name in wanted},
                "resource_root": str(lifelong_resources.resource_root()),
                "package_dir": str(lifelong_resources.PACKAGE_DIR)}

    def workbench():
        import workbench as workbench_package
        import workbench.runtime  # noqa: F401  pylint: disable=unused-import
        dist_files = [str(f) for f in metadata.files("lifelong-xblocks") or []]
        top_levels = sorted({f.split("/")[0] for f in dist_files})
        return {"file": workbench_package.__file__,
                "in_prefix": inside(workbench_package.__file__, sys.prefix),
                "from_xblock_sdk": any(str(f) == "workbench/runtime.py"
                                       for f in metadata.files("xblock-sdk") or []),
                "lifelong_top_levels": top_levels}

    def django_app():
        from django.core.management import call_command
        from django.db.migrations.recorder import MigrationRecorder
        call_command("migrate", "--run-syncdb", "--noinput", verbosity=0)
        applied = sorted(name for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
                         if app == "lifelong_xblocks")
        from lifelong_xblocks.models import LessonProgress
        return {"applied": applied, "progress_rows": LessonProgress.objects.count()}

    def render():
        from workbench.runtime import WorkbenchRuntime
        runtime = WorkbenchRuntime("student_1")
        usage_id = runtime.parse_xml_string(OLX)
        block = runtime.get_block(usage_id)
        fragment = block.render("student_view", {})
        module_file = sys.modules[block.unmixed_class.__module__].__file__
        return {"html": fragment.content, "block_module_file": module_file,
                "block_in_prefix": inside(module_file, sys.prefix),
                "resources": [r.kind + ":" + (r.data[:40] if r.kind == "text" else r.data) for r in fragment.resources]}

    def setup():
        import django
        django.setup()
        return True

    step("setup", setup)
    step("package", package)
    step("entry_points", entry_points)
    step("package_files", package_files)
    step("workbench", workbench)
    step("django", django_app)
    def serve_static():
        from django.test import Client
        answer = Client().get("/resource/lifelong_microlesson/static/js/microlesson.js")
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        on_disk = resources.files("lifelong_xblocks").joinpath("blocks/static/js/microlesson.js").read_bytes()
        return {"status": answer.status_code, "same_as_installed": body == on_disk}

    def production_static():
        """Where Open edX's collectstatic (XBlockPipelineFinder) looks for each file the block
        asks for: ``<package of the class's module>/<resources_dir>/<uri>``, served at
        ``xblock/resources/<package>/<uri>``."""
        from workbench.runtime import WorkbenchRuntime
        block = WorkbenchRuntime("student_1").get_block(WorkbenchRuntime("student_1").parse_xml_string(OLX))
        cls = block.unmixed_class
        package = cls.__module__.rsplit(".", 1)[0]
        prefix = "/resource/lifelong_microlesson/"
        uris = [r.data[len(prefix):] for r in block.render("student_view", {}).resources
                if r.kind == "url" and r.data.startswith(prefix)]
        found = {uri: resources.files(package).joinpath(cls.get_resources_dir() or "", uri).is_file() for uri in uris}
        return {"package": package, "found": found}

    if "django" in report:
        step("render", render)
        step("serve_static", serve_static)
        step("production_static", production_static)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
