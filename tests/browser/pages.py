"""What every block's browser tests do, written once: serve scenarios, open a block as a student,
call its handlers from the page, run axe on it, check the layout at a width, and check that hostile
text stayed inert.

    from pages import PAYLOAD, BlockPage, new_student, scenario_server

    with scenario_server({"lifelong_bookshelf_xss": "<lifelong_bookshelf .../>"}) as server: ...
    block = BlockPage(page, server, "lifelong_bookshelf").open(new_student())
    block.call("vote", {"book": 1});  block.axe(axe_source);  block.assert_inert("learner view")
"""
import contextlib
import json
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from workbench_server import WorkbenchServer
from xss_scenarios import PAYLOAD, SHORT_PAYLOAD  # noqa: F401 - the tests import them from here

# The workbench builds the blocks' JS runtime after the page loads; children exist once it is done.
BLOCK_READY = """() => {
  const outer = document.querySelector("[data-block-type=vertical_demo]");
  return Boolean(outer) && outer.xblock_children !== undefined;
}"""
CALL_HANDLER = """async ([tag, name, data, method]) => {
  const block = document.querySelector("[data-block-type=" + tag + "]");
  const student = new URLSearchParams(location.search).get("student");
  const token = (document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/) || [])[1] || "";
  const options = {method: method, credentials: "same-origin", headers: {"X-CSRFToken": token}};
  if (method === "POST") { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(data || {}); }
  const response = await fetch("/handler/" + block.dataset.usage + "/" + name + "/?student=" + encodeURIComponent(student), options);
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch (ignored) { /* not JSON */ }
  return {status: response.status, body: body};
}"""
AXE_RUN = """async (selector) => {
  const result = await axe.run({include: [[selector]]}, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
}"""
WIDER_THAN = """(width) => Array.from(document.querySelectorAll('.lifelong *'))
  .filter(n => n.getBoundingClientRect().right > width + 1).slice(0, 5)
  .map(n => n.tagName + '.' + (n.className.baseVal ?? n.className))"""
# Script elements holding data, never run: the blocks' json_script config, the runtime's init args.
INJECTED = """(root) => { const DATA_SCRIPTS = ['application/json', 'json/xblock-args']; return Array.from(document.querySelectorAll(root + ' *'))
  .filter(n => (n.tagName === 'SCRIPT' && !DATA_SCRIPTS.includes(n.type)) || n.tagName === 'IFRAME' || n.tagName === 'OBJECT'
          || Array.from(n.attributes).some(a => a.name.startsWith('on')))
  .map(n => n.outerHTML.slice(0, 120)); }"""
SCRIPT_URLS = """() => {
  const names = ['href', 'src', 'poster', 'action', 'formaction'];
  return Array.from(document.querySelectorAll(names.map(a => '[' + a + ']').join(', ')))
      .flatMap(n => names.map(a => n.getAttribute(a))).filter(Boolean);
}"""
SCRIPT_SCHEMES = ("javascript:", "data:text/html", "vbscript:")


def new_student(prefix="learner"):
    """A student id nobody used before (each test starts with a fresh learner)."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@contextlib.contextmanager
def scenario_server(scenarios, prefix="lifelong-scenarios-"):
    """A workbench serving ``{file stem: block XML}``, each in a ``vertical_demo`` with the stem as
    title.  Stems must start with the block's tag; the workbench numbers them in sorted order."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        for stem, xml in scenarios.items():
            Path(folder, f"{stem}.xml").write_text(f"<!-- {stem} -->\n<vertical_demo>\n{xml}\n</vertical_demo>\n",
                                                   encoding="utf-8")
        with WorkbenchServer(folder) as running:
            yield running


class BlockPage:
    """One block of one scenario, in one Playwright page."""

    def __init__(self, page, server, tag, index=0):
        self.page, self.server, self.tag, self.index = page, server, tag, index

    @property
    def root(self):
        return f"[data-block-type={self.tag}]"

    def open(self, student, index=None):
        """Load the scenario as ``student`` and wait for the block's JS; returns the block locator."""
        if index is not None:
            self.index = index
        url = self.server.url(f"/view/{self.tag}.{self.index}/", student=student)
        self.page.goto(url)
        try:
            self.page.wait_for_function(BLOCK_READY, timeout=10000)
        except PlaywrightTimeout as error:
            raise AssertionError(f"the block's JavaScript did not start on {url}: {self.page.js_errors}") from error
        return self.page.locator(self.root)

    def call(self, handler, data=None, method="POST"):
        """``(status, body)`` of a handler called from the page, with its CSRF token."""
        answer = self.page.evaluate(CALL_HANDLER, [self.tag, handler, data, method])
        return answer["status"], answer["body"]

    def axe(self, axe_source):
        """axe-core's violations inside the block (the workbench's bare page is not ours)."""
        self.page.add_script_tag(path=axe_source)
        return self.page.evaluate(AXE_RUN, self.root)

    def too_wide(self, width=360):
        """Elements of the block reaching past ``width`` (empty when nothing scrolls sideways)."""
        if self.page.evaluate("() => document.scrollingElement.scrollWidth") <= width:
            return []
        return self.page.evaluate(WIDER_THAN, width)

    def layout_problems(self, axe_source, width=360):
        """``{"wide": {...}, "axe": [...]}`` of the open block, in normal and in large text (the block's
        large-text toggle is pressed, and pressed again afterwards); empty lists when all is well."""
        toggle = self.page.locator(f"{self.root} [data-ll-toggle=large_text]")
        wide = {}
        for large in (False, True):
            if large:
                with self.page.expect_response(lambda r: "/save_comfort/" in r.url):
                    toggle.click()
            if self.too_wide(width):
                wide[f"large={large}"] = self.too_wide(width)
        violations = self.axe(axe_source)
        with self.page.expect_response(lambda r: "/save_comfort/" in r.url):
            toggle.click()
        return {"wide": wide, "axe": violations}

    def assert_inert(self, label, requests=()):
        """No payload ran, no script element or event attribute got in, no script URL, nothing
        requested from another host, and no JavaScript error."""
        page = self.page
        assert page.evaluate("() => typeof window.__xss") == "undefined", f"{label}: a payload ran"
        assert page.evaluate(INJECTED, self.root) == [], f"{label}: injected elements or handlers"
        links = [link for link in page.evaluate(SCRIPT_URLS)
                 if link.strip().lower().replace("\t", "").startswith(SCRIPT_SCHEMES)]
        assert links == [], f"{label}: script URLs in the page: {links}"
        foreign = [url for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                   and urlsplit(url).hostname != "127.0.0.1"]
        assert foreign == [], f"{label}: requests to other hosts: {foreign}"
        assert page.js_errors == [], f"{label}: {page.js_errors}"


class PlayerReports:
    """Every ``report_progress`` answer a page gets from its lesson player (static/js/player.js).

    The player reports on its own too (every 15 s while playing, and reports wait for the one in
    flight), so "the next answer" after an action may be another report's: find the answer to an
    action by the media position its report carries, or by what it says.
    """

    def __init__(self, page):
        self.page, self.responses = page, []
        page.on("response", lambda response: "/report_progress/" in response.url and self.responses.append(response))

    def wait_for(self, test, what, timeout=60):
        """The first answer (JSON) whose report and answer pass ``test(report, answer)``; fails with
        every report seen when none came within ``timeout`` seconds or a report was refused."""
        deadline = time.monotonic() + timeout
        while True:
            for response in list(self.responses):
                report = json.loads(response.request.post_data or "{}")
                assert response.status == 200, f"a report was refused: {response.text()}\n{self}"
                if test(report, response.json()):
                    return response.json()
            if time.monotonic() > deadline:
                raise AssertionError(f"no report answer {what} within {timeout} s:\n{self}")
            self.page.wait_for_timeout(100)   # lets Playwright take in the next responses

    def at(self, position, timeout=60):
        """The answer to the report sent with the player at ``position`` (e.g. where it paused)."""
        return self.wait_for(lambda report, answer: abs(report.get("position", -1) - position) < 0.01,
                             f"at {position:.3f} s", timeout)

    def __str__(self):
        return "\n".join(f"{response.request.post_data} -> {response.status} {response.text()}"
                         for response in self.responses)

    __repr__ = __str__   # (pytest shows an assertion's message with repr)
