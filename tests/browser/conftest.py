"""Browser tests: Debian's Chromium driven by Playwright against served workbenches.

Two workbench servers run for the session, each with its own temporary SQLite database:
one with the demo scenarios (workbench/scenarios) and one with generated scenarios that
carry script-injection payloads in every authored field.  A missing Chromium is an error,
not a skip: these tests are part of the suite.
"""
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from workbench_server import DEMO_SCENARIOS_DIR, WorkbenchServer, launch_chromium, scenario_files
from xss_scenarios import write_scenarios

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# xblock-sdk's /view/ page (blockview.html) defines ``student_id`` but its runtime's
# handlerUrl() reads ``studentId``, which only the /scenario/ page defines; without this
# every handler call from a /view/ page throws.  Define it from the URL, as block.html does.
VIEW_PAGE_STUDENT_ID = """
if (typeof window.studentId === "undefined") {
  window.studentId = new URLSearchParams(window.location.search).get("student") || "student_1";
}
"""


@pytest.fixture(scope="session")
def server():
    """The workbench serving the demo scenarios."""
    with WorkbenchServer(DEMO_SCENARIOS_DIR) as running:
        yield running


@pytest.fixture(scope="session")
def demo_scenarios():
    """``[(index, title)]`` of the demo scenarios, in the workbench's numbering."""
    files = scenario_files(DEMO_SCENARIOS_DIR)
    assert files, "no demo scenarios found"
    return [(index, path.stem) for index, path in enumerate(files)]


@pytest.fixture(scope="session")
def xss_server():
    """A workbench whose scenarios carry injection payloads in every authored field."""
    with tempfile.TemporaryDirectory(prefix="lifelong-xss-scenarios-") as folder:
        scenarios = write_scenarios(folder)
        with WorkbenchServer(folder) as running:
            running.scenarios = scenarios
            yield running


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """Chromium; fails (does not skip) when /usr/bin/chromium is missing."""
    chromium = launch_chromium(playwright_instance)
    yield chromium
    chromium.close()


@pytest.fixture
def open_page(browser):
    """``open_page(locale="en", width=1280, height=900)`` -> a fresh page in its own context.

    Uncaught JavaScript errors are kept in ``page.js_errors``.
    """
    contexts = []

    def make(locale="en", width=1280, height=900):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height},
                                      extra_http_headers={"Accept-Language": f"{locale},{locale[:2]};q=0.9"})
        context.set_default_timeout(15000)
        context.add_init_script(VIEW_PAGE_STUDENT_ID)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_source():
    assert AXE_JS.exists(), f"axe-core is missing at {AXE_JS} (npm install)"
    return str(AXE_JS)
