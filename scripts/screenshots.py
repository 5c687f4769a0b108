#!/usr/bin/env python
"""Screenshots of every demo scenario of every block: 360 px and 1280 px wide, zh-CN and en, learner and staff.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--no-docs]

Serves the workbench on a free port with a throw-away SQLite database (the same server the
browser tests use), lets a few learners answer the quiz lesson's quick check so the staff
view has figures, then saves ``<out>/<scenario>_<width>_<locale>_<role>.png`` (full page).
Two of them are copied into docs/images/ for the README.  Needs /usr/bin/chromium.
"""
import argparse
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))

from playwright.sync_api import sync_playwright  # noqa: E402  pylint: disable=wrong-import-position

from workbench_server import (  # noqa: E402  pylint: disable=wrong-import-position
    DEMO_SCENARIOS_DIR, LEARNER_STUDENT, STAFF_STUDENT, WorkbenchServer, launch_chromium, scenario_files,
)

WIDTHS = (360, 1280)
LOCALES = ("zh-CN", "en")
ROLES = {"learner": LEARNER_STUDENT, "staff": STAFF_STUDENT}
# (scenario file stem, width, locale, role) -> docs/images name
DOCS = {
    ("lifelong_microlesson_1_video", 360, "zh-CN", "learner"): "microlesson-learner.png",
    ("lifelong_microlesson_2_video_quiz", 1280, "en", "staff"): "microlesson-staff.png",
}
# The workbench's /view/ page defines student_id but its runtime reads studentId (see
# tests/browser/conftest.py); without this the block's handler calls fail on /view/ pages.
STUDENT_ID_SHIM = """
if (typeof window.studentId === "undefined") {
  window.studentId = new URLSearchParams(window.location.search).get("student") || "student_1";
}
"""
BLOCK_READY = """() => {
  const outer = document.querySelector("[data-block-type=vertical_demo]");
  return Boolean(outer) && outer.xblock_children !== undefined;
}"""
MEDIA_READY = """() => {
  const media = document.querySelector(".ll-player");
  const images = Array.from(document.images).every(img => img.complete);
  return images && (!media || media.readyState >= 1 || media.networkState === 3);
}"""
SUBMIT = """async (answers) => {
  const block = document.querySelector("[data-block-type=lifelong_microlesson]");
  const student = new URLSearchParams(location.search).get("student");
  const token = (document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/) || [])[1] || "";
  const response = await fetch("/handler/" + block.dataset.usage + "/submit_quick_check/?student=" + student,
    {method: "POST", headers: {"Content-Type": "application/json", "X-CSRFToken": token},
     body: JSON.stringify({answers: answers})});
  return response.status;
}"""


def view_url(server, index, student, tag="lifelong_microlesson"):
    return server.url(f"/view/{tag}.{index}/", student=student)


def block_tags():
    """The package's blocks, from its installed entry points."""
    from importlib.metadata import entry_points  # noqa: PLC0415

    return sorted(point.name for point in entry_points(group="xblock.v1") if point.name.startswith("lifelong_"))


def seed_quiz_answers(browser, server, index):
    """A few learners answer the quiz lesson, so the staff view shows figures and a chart."""
    page = browser.new_page()
    page.add_init_script(STUDENT_ID_SHIM)
    answers = [
        {"q1": ["a"], "q2": ["a", "b"]},
        {"q1": ["a"], "q2": ["a"]},
        {"q1": ["b"], "q2": ["c"]},
        {"q1": ["a"], "q2": ["a", "b"]},
    ]
    for number, answer in enumerate(answers, start=1):
        page.goto(view_url(server, index, f"demo_learner_{number}"))
        page.wait_for_function(BLOCK_READY)
        status = page.evaluate(SUBMIT, answer)
        if status != 200:
            raise RuntimeError(f"seeding the quick check failed with HTTP {status}")
    page.close()


def shoot(browser, server, out, scenarios):
    saved = {}
    for locale in LOCALES:
        for width in WIDTHS:
            for role, student in ROLES.items():
                context = browser.new_context(
                    locale=locale, viewport={"width": width, "height": 800 if width > 400 else 740},
                    extra_http_headers={"Accept-Language": f"{locale},{locale[:2]};q=0.9"})
                context.add_init_script(STUDENT_ID_SHIM)
                page = context.new_page()
                for tag, index, stem in scenarios:
                    page.goto(view_url(server, index, student, tag))
                    page.wait_for_function(BLOCK_READY)
                    page.wait_for_function(MEDIA_READY, timeout=10000)
                    page.wait_for_timeout(300)
                    path = out / f"{stem}_{width}_{locale}_{role}.png"
                    page.screenshot(path=str(path), full_page=True)
                    saved[(stem, width, locale, role)] = path
                context.close()
    return saved


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO_ROOT / "screenshots"))
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/images/")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    scenarios = [(tag, index, path.stem) for tag in block_tags()
                 for index, path in enumerate(scenario_files(DEMO_SCENARIOS_DIR, tag))]

    with WorkbenchServer(DEMO_SCENARIOS_DIR) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            quiz = [index for _tag, index, stem in scenarios if stem.endswith("_video_quiz")]
            if quiz:
                seed_quiz_answers(browser, server, quiz[0])
            saved = shoot(browser, server, out, scenarios)
        finally:
            browser.close()

    print(f"{len(saved)} screenshots in {out}")
    if not options.no_docs:
        images = REPO_ROOT / "docs" / "images"
        images.mkdir(parents=True, exist_ok=True)
        for key, name in DOCS.items():
            if key in saved:
                shutil.copyfile(saved[key], images / name)
                print(f"docs/images/{name} <- {saved[key].name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
