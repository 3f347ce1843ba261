"""The door screen in a real headless Chromium (issue 11, item 1).

A real hub, a station paired with it as README "Running the venue" says,
and that station's own `checkin scan --source keyboard --ui 127.0.0.1:0`
serving the door screen; codes are typed on the scan process's stdin, as a
USB handheld scanner would, and into the page's handheld box. The hub is
then stopped: the screen must say so and keep showing verdicts, because the
station decides against its replica.
"""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import unittest

from harness import (COMMAND_TIMEOUT_S, HUB_STOP_GRACE_S, Browser, Hub, require_browser,
                     screenshot, wait_until)

# common/messages.cc: VerdictLabel and HubAwayLine in Spanish.
ADMITTED = "ADMITIDO"
ALREADY = "YA INGRESÓ"
# The hub answers the station's held sync pull before it exits on SIGTERM.
HUB_STOP_TIMEOUT_S = 40
LINK_RE = re.compile(r"http://127\.0\.0\.1:\d+/login\?t=[A-Z2-7]+")


class ScanStation:
    """`checkin scan` of a paired station, fed on stdin, as a context manager.

    stdout (JSON lines) and stderr (notices, the door link) are read by
    threads into lists, so neither pipe fills; on exit stdin is closed (the
    keyboard-only loop ends), then SIGTERM, then SIGKILL.
    """

    def __init__(self, binary, config, cwd):
        self.cmd = [binary, "--config", config, "--lang", "es", "scan", "--source", "keyboard",
                    "--ui", "127.0.0.1:0", "--json", "--headless", "--gate", "Principal"]
        self.cwd = cwd
        self.out, self.err = [], []
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=self.cwd)
        self._readers = [threading.Thread(target=self._read, args=(s, d), daemon=True)
                         for s, d in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for t in self._readers:
            t.start()
        return self

    @staticmethod
    def _read(stream, into):
        for line in stream:
            into.append(line.rstrip("\n"))

    def link(self):
        def found():
            if self.proc.poll() is not None:
                raise AssertionError(f"scan exited {self.proc.returncode}: {self.err}")
            for line in list(self.err):
                m = LINK_RE.search(line)
                if m:
                    return m.group(0)
            return None
        return wait_until(found, timeout=30, message="the door screen's link on scan's stderr")

    def type(self, code):
        self.proc.stdin.write(code + "\n")
        self.proc.stdin.flush()

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=COMMAND_TIMEOUT_S / 4)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=HUB_STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        for t in self._readers:
            t.join(timeout=HUB_STOP_GRACE_S)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if not pipe.closed:
                pipe.close()
        self.returncode = self.proc.returncode
        return False


def banner(driver):
    """The banner's words and the band, as a person reads them."""
    return driver.execute_script(
        "const t = (id) => document.getElementById(id);"
        "return {label: t('label').textContent, name: t('name').textContent,"
        " cls: t('banner').className, band: t('band').hidden ? '' : t('band').textContent,"
        " count: t('count').textContent, at: t('banner').dataset.at || ''};")


def body_data(driver, key):
    return driver.execute_script(f"return document.body.dataset.{key} || '';")


class DoorScreenTest(unittest.TestCase):

    def setUp(self):
        require_browser()
        self.hub = Hub()
        self.hub.__enter__()
        self.addCleanup(self.hub.__exit__, None, None, None)
        added = self.hub.run(["hub", "device", "add", "puerta-norte", "--role", "scan", "--url",
                              self.hub.url, "--json"])
        code = json.loads(added.stdout)["pairing_code"]
        self.config = os.path.join(self.hub.dir, "puerta-norte.toml")
        paired = subprocess.run([self.hub.binary, "--config", self.config, "--lang", "es",
                                 "station", "pair", code], capture_output=True, text=True,
                                timeout=COMMAND_TIMEOUT_S, cwd=self.hub.dir)
        self.assertEqual(paired.returncode, 0, paired.stderr)

    def wait_verdict(self, driver, label, name, after_at, what):
        """Waits for a new banner (its `at` differs from after_at) saying label
        and name; returns (state, seconds waited)."""
        start = time.monotonic()
        state = wait_until(
            lambda: (lambda b: b if b["at"] != after_at and b["label"] == label and
                     name in b["name"] else None)(banner(driver)),
            message=what)
        return state, time.monotonic() - start

    def test_verdicts_repeat_and_offline_band(self):
        b = Browser(1366, 768)
        driver = b.__enter__()
        self.addCleanup(b.__exit__, None, None, None)
        with ScanStation(self.hub.binary, self.config, self.hub.dir) as scan:
            link = scan.link()
            driver.get(link)
            wait_until(lambda: driver.current_url.endswith("/door"), message="the door page")
            # The event stream is open once the count came (it is in the first message).
            wait_until(lambda: banner(driver)["count"] == "0", message="the gate's count of 0")
            # The count is today's (the event's local day), and says so.
            self.assertIn("Hoy en esta puerta",
                          driver.find_element("css selector", ".count small").text)

            # The link is spent: another browser gets no session from it.
            with Browser(800, 600) as other:
                other.get(link)
                self.assertNotIn("/door", other.current_url)
                self.assertIn("enlace", other.find_element("tag name", "body").text)

            t0 = time.monotonic()
            scan.type("T-0001")
            state, _ = self.wait_verdict(driver, ADMITTED, "María José Muñoz Peña", "",
                                         "ADMITIDO for T-0001")
            print(f"door screen: ADMITIDO shown {1000 * (time.monotonic() - t0):.0f} ms after "
                  "the code was typed into scan", file=sys.stderr)
            self.assertIn("green", state["cls"])
            # What a person behind the attendee may see: never the email.
            self.assertNotIn("maria@example.org", driver.find_element("tag name", "body").text)
            wait_until(lambda: banner(driver)["count"] == "1", message="the count of 1")
            screenshot(driver, "door-admitted-1366x768")

            # Chromium keeps a page silent until it is touched: one tap on
            # the button, then each verdict plays its tone.
            sound = driver.find_element("id", "sound")
            self.assertTrue(sound.is_displayed())
            sound.click()
            wait_until(lambda: not sound.is_displayed(), message="the sound button to go")
            scan.type("T-0001")
            state, _ = self.wait_verdict(driver, ALREADY, "María José", state["at"],
                                         "YA INGRESÓ for the repeat")
            self.assertIn("amber", state["cls"])
            self.assertEqual(state["band"], "")
            wait_until(lambda: body_data(driver, "played") == "amber", message="the amber tone")
            scan.type("NO-EXISTE-1")
            state, _ = self.wait_verdict(driver, "NO ENCONTRADO", "NO-EXISTE-1", state["at"],
                                         "NO ENCONTRADO for an unknown code")
            self.assertIn("red", state["cls"])
            wait_until(lambda: body_data(driver, "played") == "red", message="the red tone")

            # A handheld scanner typing into the page; a name that is markup
            # shows as text.
            box = driver.find_element("id", "code")
            self.assertEqual(driver.switch_to.active_element, box)
            box.send_keys("T-0002\n")
            state, _ = self.wait_verdict(driver, ADMITTED, "<img src=x onerror=alert(1)>",
                                         state["at"], "ADMITIDO for the code typed in the page")
            self.assertEqual(driver.find_elements("css selector", "#name img"), [])

            stop_at = time.monotonic()
            self.hub._proc.send_signal(signal.SIGTERM)
            self.hub._proc.wait(timeout=HUB_STOP_TIMEOUT_S)
            print(f"hub stopped {time.monotonic() - stop_at:.1f} s after SIGTERM",
                  file=sys.stderr)
            band = wait_until(lambda: banner(driver)["band"], timeout=30,
                              message="the offline band after the hub stopped")
            print(f"door screen: offline band says {band!r}", file=sys.stderr)
            scan.type("T-0003")
            state, waited = self.wait_verdict(driver, ADMITTED, "Ñandú Güiza Ortíz",
                                              state["at"], "ADMITIDO decided offline")
            print(f"door screen: offline ADMITIDO shown {1000 * waited:.0f} ms after the code",
                  file=sys.stderr)
            self.assertTrue(banner(driver)["band"])
            screenshot(driver, "door-offline-1366x768")
            # The same screen on a larger monitor (the link logs in one browser only).
            b.width, b.height = 1920, 1080
            b._fit_viewport()
            screenshot(driver, "door-offline-1920x1080")
        self.assertEqual(scan.returncode, 0, "\n".join(scan.err))
        decisions = [json.loads(line) for line in scan.out if line.startswith('{"')]
        verdicts = [d.get("verdict") for d in decisions if "verdict" in d]
        self.assertEqual(verdicts, ["admitted", "already_checked_in", "unknown", "admitted",
                                    "admitted"],
                         scan.out)


if __name__ == "__main__":
    unittest.main()
