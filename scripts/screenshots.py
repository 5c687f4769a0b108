#!/usr/bin/env python
"""Screenshots of every demo scenario of every block: 360 px and 1280 px wide, zh-CN and en, learner and staff.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--no-docs]

Serves the workbench on a free port with a throw-away SQLite database (the same server the
browser tests use), lets a few demo learners act in the blocks (quick check, books, votes, check-ins, sign-ups) so the staff
view has figures, then saves ``<out>/<scenario>_<width>_<locale>_<role>.png`` (the full page; only the scenario's own
block when it stands beside others, as the dashboard does).
Two of them are copied into docs/images/ for the README.  Needs /usr/bin/chromium.
"""
import argparse
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))

from playwright.sync_api import sync_playwright  # noqa: E402  pylint: disable=wrong-import-position

from pages import CALL_HANDLER  # noqa: E402  pylint: disable=wrong-import-position
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
    ("lifelong_live_session_1_lecture", 360, "zh-CN", "learner"): "live-session-learner.png",
    ("lifelong_bookshelf_1_club", 360, "zh-CN", "learner"): "bookshelf-learner.png",
    ("lifelong_reading_log_1_week", 360, "zh-CN", "learner"): "reading-log-learner.png",
    ("lifelong_recitation_1_poem", 360, "zh-CN", "learner"): "recitation-learner.png",
    ("lifelong_nomination_1_learning_star", 1280, "zh-CN", "staff"): "nomination-staff.png",
    ("lifelong_bookshelf_1_club", 1280, "en", "staff"): "bookshelf-staff.png",
    ("lifelong_dashboard_1_week", 1280, "zh-CN", "staff"): "dashboard-staff.png",
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
def view_url(server, index, student, tag="lifelong_microlesson"):
    return server.url(f"/view/{tag}.{index}/", student=student)


def block_tags():
    """The package's blocks, from its installed entry points."""
    from importlib.metadata import entry_points  # noqa: PLC0415

    return sorted(point.name for point in entry_points(group="xblock.v1") if point.name.startswith("lifelong_"))


class Seeder:
    """Demo learners acting through the blocks' own handlers, so staff views have figures."""

    def __init__(self, browser, server, scenarios):
        self.page = browser.new_page()
        self.page.add_init_script(STUDENT_ID_SHIM)
        self.server = server
        self.index = {stem: (tag, index) for tag, index, stem in scenarios}

    def call(self, stem, student, handler, data):
        tag, index = self.index[stem]
        self.page.goto(view_url(self.server, index, student, tag))
        self.page.wait_for_function(BLOCK_READY)
        answer = self.page.evaluate(CALL_HANDLER, [tag, handler, data, "POST"])
        if answer["status"] != 200:
            raise RuntimeError(f"seeding {stem} {handler} failed: {answer}")
        return answer["body"]

    def seed(self):
        quiz = "lifelong_microlesson_2_video_quiz"
        for number, answers in enumerate([{"q1": ["a"], "q2": ["a", "b"]}, {"q1": ["a"], "q2": ["a"]},
                                          {"q1": ["b"], "q2": ["c"]}, {"q1": ["a"], "q2": ["a", "b"]}], 1):
            self.call(quiz, f"demo_learner_{number}", "submit_quick_check", {"answers": answers})
        shelf = "lifelong_bookshelf_1_club"
        books = [self.call(shelf, f"demo_reader_{number}", "recommend", book)["book"]["id"] for number, book in
                 enumerate(DEMO_BOOKS, 1)]
        for number, voted in enumerate([books[:2], books[:1], books], 1):
            for book in voted:
                self.call(shelf, f"demo_reader_{number}", "vote", {"book": book})
        log = "lifelong_reading_log_1_week"
        for number, (minutes, reflection) in enumerate(DEMO_CHECK_INS, 1):
            self.call(log, f"demo_reader_{number}", "set_wall_sharing", {"sharing": True})
            self.call(log, f"demo_reader_{number}", "check_in",
                      {"book_id": books[number % len(books)], "minutes": minutes, "reflection": reflection,
                       "shared": True})
        for number in range(1, 4):
            self.call("lifelong_live_session_1_lecture", f"demo_learner_{number}", "sign_up", {})
        stars = "lifelong_nomination_1_learning_star"
        for number, (organisation, answers) in enumerate(DEMO_NOMINATIONS, 1):
            who = f"demo_office_{number}"
            draft = self.call(stars, who, "start_nomination", {"organisation": organisation})
            self.call(stars, who, "save_draft", {"id": draft["id"], "version": 1, "answers": answers,
                                                 "consent_publication": True})
            self.call(stars, who, "add_video_link", {"id": draft["id"], "link": "https://example.org/story.mp4"})
            self.call(stars, who, "submit_nomination", {"id": draft["id"]})
        for number, (group, region) in enumerate(DEMO_PROFILES, 1):
            self.call(shelf, f"demo_reader_{number}", "save_profile",
                      {"consented": True, "audience_group": group, "region": region})
        self.call("lifelong_dashboard_1_week", STAFF_STUDENT, "request_report", {"format": "xlsx"})
        self.page.close()


DEMO_BOOKS = [
    {"title": "三体", "author": "刘慈欣", "isbn": "978-7-5366-9293-0", "year": "2008",
     "reason": "想象力惊人，适合全家一起读。", "tags": "科幻, 经典"},
    {"title": "平凡的世界", "author": "路遥", "year": "1986", "reason": "写尽普通人的坚韧。", "tags": "小说"},
    {"title": "The Old Man and the Sea", "author": "Ernest Hemingway", "year": "1952",
     "reason": "Short, strong, and easy to read aloud.", "tags": "classic"},
]
STORY = ("退休后在社区老年学校学会了用智能手机，又组织邻居们每周两次一起学习防范电信诈骗、网上挂号和视频通话。"
         "三年来她带动了一百多位老人走进课堂，还把学习笔记编成了图文并茂的小册子，送到社区的每一个楼栋。"
         "她说：“活到老，学到老，学了还要教给身边的人。”")
DEMO_NOMINATIONS = [
    ("zhejiang", {"name": "王秀英", "age_band": "60_69", "region": "zhejiang", "occupation": "社区居民、退休教师",
                  "phone": "13800138000", "story": STORY}),
    ("sichuan", {"name": "李建国", "age_band": "45_59", "region": "sichuan", "occupation": "新型职业农民",
                 "phone": "13900139000", "story": STORY.replace("老年学校", "农民夜校")}),
]
DEMO_PROFILES = [("older_adult", "zhejiang"), ("enterprise_employee", "sichuan"), ("community_resident", "zhejiang")]
DEMO_CHECK_INS = [(25, "孙少平在煤矿里读书的那一段，让我想起年轻时在车间里背诗。"),
                  (40, "Read two chapters on the bus. The river scenes are beautiful."),
                  (15, "和孙子一起读了三页，他问了好多问题。")]


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
                    blocks = page.locator("[data-block-type^=lifelong_]")
                    if blocks.count() > 1:   # a scenario showing a block beside others: shoot that block
                        page.locator(f"[data-block-type={tag}]").first.screenshot(path=str(path))
                    else:
                        page.screenshot(path=str(path), full_page=True)
                    saved[(stem, width, locale, role)] = path
                context.close()
    return saved


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO_ROOT / "screenshots"))
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/images/")
    parser.add_argument("--only", default="", help="shoot only scenarios whose name starts with this (all are seeded)")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    scenarios = [(tag, index, path.stem) for tag in block_tags()
                 for index, path in enumerate(scenario_files(DEMO_SCENARIOS_DIR, tag))]

    with WorkbenchServer(DEMO_SCENARIOS_DIR) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            Seeder(browser, server, scenarios).seed()
            saved = shoot(browser, server, out, [entry for entry in scenarios if entry[2].startswith(options.only)])
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
