"""Serve the xblock-sdk workbench with lifelong_xblocks on a free local port.

Used by the browser tests (tests/browser/conftest.py) and by scripts/screenshots.py.
Each server gets its own var dir (SQLite database, logs, media) and, optionally, its own
folder of scenario XML files (``LIFELONG_SCENARIOS_DIR``).
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKBENCH_DIR = REPO_ROOT / "workbench"
DEMO_SCENARIOS_DIR = WORKBENCH_DIR / "scenarios"
STAFF_STUDENT = "staff"
LEARNER_STUDENT = "student_1"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scenario_files(folder, tag="lifelong_microlesson"):
    """The scenario files block ``tag`` lists, in the order the workbench numbers them
    (``/view/<tag>.<index>/``)."""
    return sorted(Path(folder).glob(f"{tag}*.xml"))


class WorkbenchServer:
    """The workbench in a subprocess (``serve_workbench.py``: runserver's threaded server, plus
    byte ranges so media can be seeked), with its own SQLite database.

    Usage::

        with WorkbenchServer() as server:
            server.url("/view/lifelong_microlesson.0/", student="student_1")
    """

    def __init__(self, scenarios_dir=None, var_dir=None, port=None, python=None):
        self.scenarios_dir = Path(scenarios_dir) if scenarios_dir else DEMO_SCENARIOS_DIR
        self._own_var_dir = var_dir is None
        self.var_dir = Path(var_dir or tempfile.mkdtemp(prefix="lifelong-workbench-"))
        self.port = port or free_port()
        self.python = python or sys.executable
        self.process = None
        self.log_path = self.var_dir / "runserver.log"
        self._log = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path, student=None):
        url = self.base_url + path
        if student is not None:
            url += ("&" if "?" in url else "?") + "student=" + student
        return url

    def env(self):
        env = dict(os.environ)
        env.update({
            "PYTHONPATH": os.pathsep.join(filter(None, [str(WORKBENCH_DIR), str(REPO_ROOT),
                                                        env.get("PYTHONPATH", "")])),
            "DJANGO_SETTINGS_MODULE": "lifelong_settings",
            "LIFELONG_VAR_DIR": str(self.var_dir),
            "LIFELONG_SQLITE": str(self.var_dir / "workbench.db"),
            "LIFELONG_SCENARIOS_DIR": str(self.scenarios_dir),
            "LIFELONG_DB": "sqlite",
            "PYTHONUNBUFFERED": "1",
        })
        return env

    def start(self, timeout=60):
        subprocess.run([self.python, "-m", "django", "migrate", "--run-syncdb", "-v", "0"],
                       cwd=REPO_ROOT, env=self.env(), check=True, timeout=180,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._log = open(self.log_path, "ab")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [self.python, str(Path(__file__).resolve().parent / "serve_workbench.py"), str(self.port)],
            cwd=REPO_ROOT, env=self.env(), stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the workbench server exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=5) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"the workbench server did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._own_var_dir and not os.environ.get("LIFELONG_KEEP_BROWSER_VAR"):
            shutil.rmtree(self.var_dir, ignore_errors=True)   # set that variable to keep logs and db

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--autoplay-policy=no-user-gesture-required",
]


def launch_chromium(playwright, **kwargs):
    """Debian's Chromium (Playwright cannot download browsers here)."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"Chromium is missing at {CHROMIUM}; the browser tests need it "
                           "(install the chromium package, see scripts/system-deps.sh).")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **kwargs)
