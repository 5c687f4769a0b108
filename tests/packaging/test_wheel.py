"""The wheel, built from this checkout and installed into a fresh virtualenv outside it, is a
complete Open edX plugin: entry points, templates and static files inside the package, no
``workbench``/``tests`` packages shadowing xblock-sdk's, migrations, and a rendering block.

Slow-ish (a virtualenv and ``pip install`` of the test extra, from pip's cache when warm), but
it is the only test that sees what administrators install, so it runs in ``make test``.
"""
import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parents[1]
PACKAGE = "lifelong_xblocks"
NOT_COPIED = shutil.ignore_patterns(".git", ".venv*", "node_modules", "var", "build", "dist", "*.egg-info",
                                    "__pycache__", "*.pyc", ".hypothesis", ".pytest_cache", "screenshots")


def clean_env(**extra):
    """The environment without anything pointing at the checkout or its virtualenv."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE"}
           and not key.startswith("LIFELONG_")}
    env.update(PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONNOUSERSITE="1", **extra)
    return env


def run(command, cwd, timeout, **env):
    proc = subprocess.run([str(part) for part in command], cwd=cwd, env=clean_env(**env), capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    if proc.returncode:
        pytest.fail(f"{' '.join(map(str, command))} exited {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}"
                    f"\n--- stderr\n{proc.stderr[-4000:]}", pytrace=False)
    return proc


def _has_setuptools():
    try:
        import setuptools  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    folder = tmp_path_factory.mktemp("packaging")
    assert not folder.resolve().is_relative_to(CHECKOUT), "the temporary folder must be outside the checkout"
    return folder


@pytest.fixture(scope="module")
def wheel(work):
    """Build from a copy of the checkout, so a stale ``build/`` there cannot leak into the wheel."""
    source = work / "source"
    shutil.copytree(CHECKOUT, source, ignore=NOT_COPIED)
    isolation = ["--no-build-isolation"] if _has_setuptools() else []
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation, "-w", work / "dist", source],
        cwd=work, timeout=600)
    wheels = list((work / "dist").glob("lifelong_xblocks-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(work, wheel):
    """A fresh virtualenv outside the checkout with the wheel and its ``test`` extra; the check
    script's JSON report from a run in a temporary folder."""
    venv = work / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=work, timeout=300)
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "-q", "--no-compile", f"{wheel}[test]"], cwd=work, timeout=900)
    rundir = work / "run"
    rundir.mkdir()
    for name in ("installed_check.py", "installed_settings.py"):
        shutil.copy(HERE / name, rundir / name)
    proc = run([python, rundir / "installed_check.py", CHECKOUT], cwd=rundir, timeout=300,
               DJANGO_SETTINGS_MODULE="installed_settings")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["venv"] = str(venv.resolve())
    report["rundir"] = str(rundir.resolve())
    return report


def test_wheel_holds_only_the_package_with_its_resources(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top_levels = {name.split("/")[0] for name in names}
    assert top_levels == {PACKAGE, wheel.name.split("-py")[0] + ".dist-info"}, top_levels
    assert not [n for n in names if n.startswith(("workbench/", "tests/")) or "__pycache__" in n]
    for required in ("templates/microlesson.html", "blocks/static/js/microlesson.js", "apps.py",
                     "migrations/0001_initial.py", "translations/zh_CN/LC_MESSAGES/text.mo"):
        assert f"{PACKAGE}/{required}" in names, required
    shipped = {n for n in names if n.startswith((f"{PACKAGE}/blocks/static/", f"{PACKAGE}/templates/"))}
    inside = {"static": f"{PACKAGE}/blocks", "templates": PACKAGE}
    on_disk = {f"{inside[folder]}/{path.relative_to(CHECKOUT).as_posix()}"
               for folder in ("static", "templates") for path in (CHECKOUT / folder).rglob("*")
               if path.is_file() and "__pycache__" not in path.parts}
    assert on_disk - shipped == set(), "files of static/ or templates/ missing from the wheel"


def test_wheel_declares_the_entry_points(wheel):
    with zipfile.ZipFile(wheel) as archive:
        entry_points = next(archive.read(n).decode() for n in archive.namelist() if n.endswith("entry_points.txt"))
    assert "lifelong_microlesson = lifelong_xblocks.blocks.microlesson:MicroLessonBlock" in entry_points
    for group in ("[lms.djangoapp]", "[cms.djangoapp]"):
        assert group in entry_points


def test_check_ran_outside_the_checkout(installed):
    assert installed["errors"] == [], "\n".join(installed["errors"])
    assert Path(installed["cwd"]).resolve() == Path(installed["rundir"])
    assert installed["checkout_on_sys_path"] == []
    assert Path(installed["prefix"]).resolve() == Path(installed["venv"])


def test_installed_package_is_the_one_imported(installed):
    assert installed["package"]["in_prefix"], installed["package"]
    assert Path(installed["package"]["file"]).resolve().is_relative_to(Path(installed["venv"]))
    assert installed["package_files"]["present"] == {
        "templates/microlesson.html": True, "blocks/static/js/microlesson.js": True,
        "blocks/static/css/lifelong.css": True}
    assert installed["package_files"]["resource_root"] == installed["package_files"]["package_dir"]


def declared_blocks():
    """``BLOCKS`` of setup.py as ``{tag: "module:Class"}``."""
    tree = ast.parse((CHECKOUT / "setup.py").read_text(encoding="utf-8"))
    blocks = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                  and any(getattr(target, "id", "") == "BLOCKS" for target in node.targets))
    return dict(tuple(part.strip() for part in ast.literal_eval(item).split("=")) for item in blocks.elts)


def test_installed_entry_points_load(installed):
    found = installed["entry_points"]
    assert "lifelong_microlesson" in declared_blocks()
    assert found["xblock.v1"] == declared_blocks()
    assert found["loaded_blocks"] == declared_blocks()      # every block class imports from the wheel
    for group in ("lms.djangoapp", "cms.djangoapp"):
        assert found[group] == {"lifelong_xblocks": "lifelong_xblocks.apps:LifelongXBlocksConfig"}
    assert found["block_class"] == "lifelong_xblocks.blocks.microlesson.MicroLessonBlock"
    assert found["app_config"] is True
    assert Path(found["block_module_file"]).resolve().is_relative_to(Path(installed["venv"]))


def test_xblock_sdk_workbench_is_not_shadowed(installed):
    workbench = installed["workbench"]
    assert workbench["in_prefix"] and workbench["from_xblock_sdk"], workbench
    assert "site-packages" in workbench["file"]
    assert set(workbench["lifelong_top_levels"]) <= {PACKAGE, "lifelong_xblocks-0.1.0.dist-info"}, workbench


def test_migrate_and_render_from_the_installed_copy(installed):
    assert installed["django"]["applied"][:1] == ["0001_initial"], installed["django"]
    rendered = installed["render"]
    assert "Cloud classroom 云课堂: installed from the wheel" in rendered["html"]
    assert rendered["block_in_prefix"], rendered["block_module_file"]
    assert any(resource.endswith("static/js/microlesson.js") for resource in rendered["resources"]), \
        rendered["resources"]
    assert installed["serve_static"] == {"status": 200, "same_as_installed": True}


def test_production_collectstatic_finds_every_file_the_block_asks_for(installed):
    """In production the LMS links XBlock files to xblock/resources/<package>/<uri>, collected from
    <package>/<resources_dir>/<uri>; a file missing there is a 404 for every learner."""
    production = installed["production_static"]
    assert production["package"] == "lifelong_xblocks.blocks"
    assert production["found"] and all(production["found"].values()), production
