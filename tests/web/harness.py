"""Browser test harness for the hub's web pages.

The pages are tested as a volunteer sees them: a real hub process
(`checkin hub serve`) on loopback, opened in Debian's headless Chromium,
driven by Debian's python3-selenium. Nothing here is downloaded at run time
and nothing is stubbed: deploy/install-deps.sh installs the three packages.

Only the Python standard library and selenium are used, so the tests run
from ctest with the system python3 and no pip.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Every wait in the harness is bounded: a hung hub or browser fails the test
# instead of stalling ctest until its own timeout.
PAGE_TIMEOUT_S = 20
COMMAND_TIMEOUT_S = 60
HUB_START_TIMEOUT_S = 30
HUB_STOP_GRACE_S = 5


def require_browser():
    """Fails loudly when Chromium or its driver is missing.

    A skipped browser test would look green in CI while testing nothing;
    CI installs both through deploy/install-deps.sh, so their absence is a
    broken machine, said in words a person can act on.
    """
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    try:
        import selenium  # noqa: F401  (Debian's python3-selenium)
    except ImportError:
        missing.append(f"python3-selenium (for {sys.executable})")
    if missing:
        raise AssertionError(
            "browser tests need " + " and ".join(missing) +
            ": run `sudo bash deploy/install-deps.sh` (installs chromium,"
            " chromium-driver and python3-selenium)")


def wait_until(fn, timeout=PAGE_TIMEOUT_S, interval=0.1, message="condition"):
    """Polls fn() until it returns something truthy, and returns that.

    Pages load and change asynchronously; polling for the awaited state
    (rather than sleeping a fixed time) is both faster and not flaky.
    Raises AssertionError with the last value seen after `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = fn()
        except Exception as e:  # the page may be mid-navigation
            last = e
        else:
            if last:
                return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}; "
                                 f"last value: {last!r}")
        time.sleep(interval)


class Browser:
    """Headless Chromium of a given window size, as a context manager.

    Always quits on exit (even when the test failed), so no Chromium is left
    behind eating the machine's two cores. `lang` is what the browser asks
    for (the pages are Spanish first, as the venue is); "en" for English.
    """

    def __init__(self, width=1366, height=768, lang="es"):
        self.width, self.height, self.lang = width, height, lang
        self.driver = None
        self._profile = None

    def __enter__(self):
        require_browser()
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        # A fresh profile each time: no cookies or cache leak between tests.
        self._profile = tempfile.mkdtemp(prefix="checkin-chromium-")
        accept = "es-CO,es" if self.lang == "es" else "en-US,en"
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage",
                     f"--user-data-dir={self._profile}",
                     f"--window-size={self.width},{self.height}",
                     f"--lang={accept.split(',')[0]}"):
            opts.add_argument(flag)
        opts.add_experimental_option("prefs", {"intl.accept_languages": accept})
        # The hub's certificate is self-signed (stations pin its fingerprint).
        opts.accept_insecure_certs = True
        try:
            self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER),
                                           options=opts)
            self.driver.set_page_load_timeout(PAGE_TIMEOUT_S)
            self.driver.set_script_timeout(PAGE_TIMEOUT_S)
            self._fit_viewport()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self.driver

    def _fit_viewport(self):
        """Makes the page area (not the window) width x height.

        Headless Chromium's window keeps room for browser chrome it does not
        draw, so --window-size=1366,768 leaves the page about 1366x625. The
        pages are laid out for the screen a volunteer has: the window grows
        by the difference, and the screenshots are exactly that size.
        """
        inner = "return [window.innerWidth, window.innerHeight];"
        w, h = self.driver.execute_script(inner)
        outer = self.driver.get_window_size()
        self.driver.set_window_size(outer["width"] + self.width - w,
                                    outer["height"] + self.height - h)
        got = tuple(self.driver.execute_script(inner))
        if got != (self.width, self.height):
            raise AssertionError(f"Chromium's viewport is {got}, not {(self.width, self.height)}")

    def __exit__(self, *exc):
        if self.driver is not None:
            try:
                self.driver.quit()
            finally:
                self.driver = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None
        return False


def screenshot(driver, name):
    """Saves the page as NAME.png under $CHECKIN_WEB_ARTIFACTS and prints the path.

    The PNGs are kept after the run so a person can look at what the
    browser showed, passing or failing.
    """
    folder = os.environ.get("CHECKIN_WEB_ARTIFACTS") or os.path.join(os.getcwd(),
                                                                     "web-artifacts")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name + ".png")
    if not driver.save_screenshot(path):
        raise AssertionError(f"Chromium could not save the screenshot {path}")
    print(f"screenshot: {path}", file=sys.stderr)
    return path


def checkin_binary():
    """The checkin binary under test: $CHECKIN_BINARY (ctest passes it)."""
    path = os.environ.get("CHECKIN_BINARY", "")
    if not path or not os.access(path, os.X_OK):
        raise AssertionError(f"CHECKIN_BINARY={path!r} is not an executable checkin binary "
                             "(ctest sets it; by hand: CHECKIN_BINARY=build/test/checkin)")
    return path


# A roster with what the pages must show safely: accents, ñ, and markup
# that would run if a page inserted names as HTML.
ROSTER_CSV = (
    "ticket_code,first_name,last_name,email\n"
    "T-0001,María José,Muñoz Peña,maria@example.org\n"
    "T-0002,<img src=x onerror=alert(1)>,Pérez,xss@example.org\n"
    "T-0003,Ñandú,Güiza Ortíz,nandu@example.org\n"
)


class Hub:
    """A real hub on 127.0.0.1, on a fresh event database, as a context manager.

    init, roster import and hub init run as a person would run them; then
    `hub serve --listen 127.0.0.1:0` picks a free port, and its first stdout
    line tells the URL. On exit the hub gets SIGTERM, then SIGKILL after 5 s,
    and the temporary folder is removed.
    """

    def __init__(self, binary=None, lang="es", roster=ROSTER_CSV):
        self.binary = binary or checkin_binary()
        self.lang = lang
        self.roster = roster
        self.dir = None
        self.db = None
        self.url = None
        self.banner = None
        self._proc = None
        self._drain = None

    def run(self, args, check=True, input=None):
        """Runs `checkin --lang L --db DB ARGS...` (`input` on its stdin);
        returns the CompletedProcess."""
        cmd = [self.binary, "--lang", self.lang, "--db", self.db, *args]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S,
                              cwd=self.dir, input=input)
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} exited {done.returncode}\n"
                                 f"stdout: {done.stdout}\nstderr: {done.stderr}")
        return done

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="checkin-web-")
        self.db = os.path.join(self.dir, "venue.db")
        try:
            self.run(["init", "--event", "KCD Colombia 2026", "--timezone", "America/Bogota"])
            roster = os.path.join(self.dir, "inscripciones.csv")
            with open(roster, "w", encoding="utf-8") as f:
                f.write(self.roster)
            self.run(["roster", "import", roster])
            self.run(["hub", "init"])
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self):
        # stderr goes to a file, not a pipe: nobody reads it while the hub
        # runs, and a full pipe would stall the hub's log writes.
        self._stderr = open(os.path.join(self.dir, "hub.stderr"), "w+", encoding="utf-8")
        self._proc = subprocess.Popen(
            [self.binary, "--lang", self.lang, "--db", self.db, "hub", "serve",
             "--listen", "127.0.0.1:0", "--threads", "16"],
            stdout=subprocess.PIPE, stderr=self._stderr, text=True, cwd=self.dir)
        # readline() would block forever on a hub that hangs before printing;
        # a timer kills it so the read ends.
        timer = threading.Timer(HUB_START_TIMEOUT_S, self._proc.kill)
        timer.start()
        try:
            self.banner = self._proc.stdout.readline().strip()
        finally:
            timer.cancel()
        found = re.search(r"(https://127\.0\.0\.1:\d+)", self.banner)
        if not found:
            self._proc.kill()
            self._proc.wait()
            self._stderr.seek(0)
            err = self._stderr.read()
            raise AssertionError(f"hub serve did not announce an https URL: {self.banner!r}\n"
                                 f"stderr: {err}")
        self.url = found.group(1)
        # Whatever the hub prints later is drained, so a full pipe never
        # blocks it mid-test.
        self._drain = threading.Thread(target=self._proc.stdout.read, daemon=True)
        self._drain.start()

    def __exit__(self, *exc):
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.send_signal(signal.SIGTERM)
                try:
                    self._proc.wait(timeout=HUB_STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
            # stderr may carry sanitizer reports: show them with the test.
            if self._drain is not None:
                self._drain.join(timeout=HUB_STOP_GRACE_S)
                self._drain = None
            self._proc.stdout.close()
            self._stderr.seek(0)
            err = self._stderr.read()
            self._stderr.close()
            if err.strip():
                print(f"hub stderr:\n{err}", file=sys.stderr)
            self.returncode = self._proc.returncode
            self._proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
        return False


class WebTestCase(unittest.TestCase):
    """Base for page tests: a hub per test class, browsers per test.

    setUpClass fails the whole class when Chromium or the driver is missing,
    before starting the hub. `self.browser(w, h)` opens a Browser whose quit
    is registered with addCleanup, so it runs even when the test fails.
    """

    hub_lang = "es"
    hub_roster = ROSTER_CSV

    @classmethod
    def setUpClass(cls):
        require_browser()
        cls.hub = Hub(lang=cls.hub_lang, roster=cls.hub_roster)
        cls.hub.__enter__()
        cls.addClassCleanup(cls.hub.__exit__, None, None, None)

    def browser(self, width=1366, height=768, lang="es"):
        b = Browser(width, height, lang)
        driver = b.__enter__()
        self.addCleanup(b.__exit__, None, None, None)
        return driver
