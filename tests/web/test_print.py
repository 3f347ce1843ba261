"""The print desk in a real browser, with a real printing station and CUPS.

A private cupsd (tests/tools/cups_fixture.sh, Debian's cups-pdf backend)
holds the "badges" queue; a print station is paired with the hub like a
laptop at the venue and runs `checkin print --printer badges` against it.
So the page's words come from what CUPS really says: a queue paused with
cupsdisable shows "en pausa", and a badge is "impresa" only once CUPS has
printed it. The hub's SQLite file is read afterwards, so a page that only
pretends fails.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest

from selenium.webdriver.common.by import By

from harness import WebTestCase, screenshot, wait_until
from pages import log_in, request, run_station, session, text_of

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "tools", "cups_fixture.sh")
MARIA = "María José Muñoz Peña"
# The daemon asks CUPS for the printer every 5 s (PrintDaemon); a page
# shows what it says at the next change event. Bounded waits, never sleeps.
PRINTER_WAIT_S = 30
PRINT_WAIT_S = 60
TEXT_AT = "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';"
CLICK_AT = ("const e = document.querySelector(arguments[0]);"
            " if (!e || e.disabled) return false; e.click(); return true;")


def fixture(command, folder):
    done = subprocess.run(["bash", FIXTURE, command, folder], capture_output=True, text=True,
                          timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"cups_fixture.sh {command} failed: {done.stderr}")
    return done.stdout


def job_rows(hub, sql, *args):
    with sqlite3.connect(f"file:{hub.db}?mode=ro", uri=True, timeout=10) as db:
        return db.execute(sql, args).fetchall()


class PrintDeskTest(WebTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cups_dir = tempfile.mkdtemp(prefix="checkin-web-cups-")
        cls.addClassCleanup(fixture, "stop", cls.cups_dir)
        env = dict(os.environ)
        for line in fixture("start", cls.cups_dir).splitlines():
            # `export NAME=value` lines, meant for eval.
            name, _, value = line.removeprefix("export ").partition("=")
            if name and value:
                env[name] = value.strip("'\"")
        cls.queue = env.get("CHECKIN_CUPS_QUEUE", "badges")
        added = cls.hub.run(["hub", "device", "add", "impresion", "--role", "print", "--url",
                             cls.hub.url, "--json"])
        code = json.loads(added.stdout)["pairing_code"]
        cls.config = os.path.join(cls.hub.dir, "impresion.toml")
        run_station(cls.hub, cls.config, ["station", "pair", code])
        cls.daemon_log = open(os.path.join(cls.hub.dir, "print.log"), "w+", encoding="utf-8")
        cls.daemon = subprocess.Popen(
            [cls.hub.binary, "--lang", "es", "--config", cls.config, "print", "--printer",
             cls.queue], stdout=cls.daemon_log, stderr=subprocess.STDOUT, env=env,
            cwd=cls.hub.dir)
        cls.addClassCleanup(cls.stop_daemon)

    @classmethod
    def stop_daemon(cls):
        cls.daemon.terminate()
        try:
            cls.daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cls.daemon.kill()
            cls.daemon.wait()
        cls.daemon_log.seek(0)
        print(f"print daemon:\n{cls.daemon_log.read()}", file=sys.stderr)
        cls.daemon_log.close()

    def open_print_desk(self, width=1366, height=768):
        driver = self.browser(width, height)
        log_in(driver, self.hub, "print", station="mesa-impresion")
        return driver

    # The page draws its tables afresh at every change, so an element found
    # a moment ago may be gone: each read and click is one script that
    # finds and acts at once.
    def text_at(self, driver, css):
        return driver.execute_script(TEXT_AT, css)

    def click_at(self, driver, css):
        wait_until(lambda: driver.execute_script(CLICK_AT, css), message=f"{css} to click")

    def printer_words(self, driver):
        return self.text_at(driver, "#printers tbody tr[data-worker] .state")

    def printer_class(self, driver):
        return driver.execute_script(
            "const r = document.querySelector('#printers tbody tr[data-worker]');"
            " return r ? r.className : '';")

    def has_job(self, driver, job_id):
        return bool(self.text_at(driver, f'#jobs tr[data-job="{job_id}"] .name'))

    def job_state(self, driver, job_id):
        return self.text_at(driver, f'#jobs tr[data-job="{job_id}"] .state')

    def wait_printer(self, driver, words):
        return wait_until(lambda: words in self.printer_words(driver), timeout=PRINTER_WAIT_S,
                          message=f"the printer to read {words!r} "
                                  f"(reads {self.printer_words(driver)!r})")

    def click_printer_button(self, driver, css):
        self.click_at(driver, f"#printers tbody tr[data-worker] {css}")

    def reprint(self, driver, attendee_name, job_id, reason):
        """Opens the reprint dialog on JOB_ID's row and sends REASON; the new job's id."""
        before = {r[0] for r in job_rows(self.hub, "SELECT id FROM print_jobs")}
        self.click_at(driver, f'#jobs tr[data-job="{job_id}"] button.reprint')
        dialog = driver.find_element(By.ID, "reprint")
        wait_until(lambda: dialog.is_displayed(), message="the reprint dialog")
        self.assertIn(attendee_name, text_of(dialog.find_element(By.ID, "reprint-name")))
        box = dialog.find_element(By.ID, "reprint-reason")
        box.clear()
        box.send_keys(reason)
        dialog.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        new = wait_until(lambda: {r[0] for r in job_rows(self.hub, "SELECT id FROM print_jobs")}
                         - before, message="a new print job in the hub's file")
        return new.pop()

    def test_1_walk_in_badge_appears_and_is_printed_by_cups(self):
        desk = self.browser()
        log_in(desk, self.hub, "desk", station="mesa-1")
        desk.find_element(By.CSS_SELECTOR, "#walkin-box summary").click()
        form = desk.find_element(By.ID, "walkin")
        form.find_element(By.NAME, "first_name").send_keys("Ana Lucía")
        form.find_element(By.NAME, "last_name").send_keys("Córdoba Ñáñez")
        form.find_element(By.NAME, "email").send_keys("ana@example.org")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        job = wait_until(lambda: job_rows(
            self.hub, "SELECT j.id FROM print_jobs j JOIN attendees a ON a.id = j.attendee_id"
            " WHERE a.first_name = ?", "Ana Lucía"), message="the walk-in's badge job")[0][0]

        driver = self.open_print_desk()
        wait_until(lambda: self.has_job(driver, job), message=f"job {job} on the page")
        self.assertTrue(self.text_at(driver, f'#jobs tr[data-job="{job}"] .name')
                        .startswith("Ana Lucía Córdoba Ñáñez"))
        # CUPS prints it (cups-pdf) and the page says so, without a reload.
        wait_until(lambda: self.job_state(driver, job) == "impresa", timeout=PRINT_WAIT_S,
                   message=f"job {job} printed (reads {self.job_state(driver, job)!r})")
        self.assertEqual(job_rows(self.hub, "SELECT state FROM print_jobs WHERE id = ?", job),
                         [("done",)])
        self.wait_printer(driver, "lista")

    def test_2_cups_paused_shows_in_words_and_back(self):
        driver = self.open_print_desk()
        self.wait_printer(driver, "lista")
        fixture("pause", self.cups_dir)
        try:
            self.wait_printer(driver, "en pausa")
            self.assertIn("offline", self.printer_class(driver))
            screenshot(driver, "print-cups-paused")
        finally:
            fixture("resume", self.cups_dir)
        self.wait_printer(driver, "lista")

    def test_3_pause_reprint_cancel_resume(self):
        driver = self.open_print_desk()
        self.wait_printer(driver, "lista")
        # A badge to reprint: María José's, queued by the hub's CLI.
        maria = job_rows(self.hub, "SELECT id FROM attendees WHERE first_name = ?",
                         "María José")[0][0]
        said = self.hub.run(["print", "reprint", "--attendee", str(maria)]).stdout
        first_id = int(re.search(r"\(trabajo (\d+)\)", said).group(1))
        wait_until(lambda: self.job_state(driver, first_id) == "impresa", timeout=PRINT_WAIT_S,
                   message="María José's first badge printed")

        # Pausing this station's printing: the hub gives its daemon nothing.
        self.click_printer_button(driver, "button.pause")
        wait_until(lambda: job_rows(self.hub, "SELECT held FROM printers") == [(1,)],
                   message="the printer held in the hub's file")
        wait_until(lambda: "En pausa desde la mesa de impresión" in self.printer_words(driver),
                   message="the held printer in words")

        # A reprint needs a reason; with one, it is queued and stays queued.
        self.click_at(driver, f'#jobs tr[data-job="{first_id}"] button.reprint')
        dialog = driver.find_element(By.ID, "reprint")
        wait_until(lambda: dialog.is_displayed(), message="the reprint dialog")
        dialog.find_element(By.ID, "reprint-reason").send_keys("   ")
        dialog.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_until(lambda: text_of(dialog.find_element(By.ID, "reprint-error")),
                   message="the empty reason refused")
        dialog.find_element(By.ID, "reprint-cancel").click()
        again = self.reprint(driver, MARIA, first_id, "Se imprimió mal")
        self.assertEqual(job_rows(self.hub, "SELECT reason FROM print_jobs WHERE id = ?", again),
                         [("Se imprimió mal",)])
        wait_until(lambda: "Reimpresión: Se imprimió mal" in self.job_state(driver, again),
                   message="the reprint's reason on the page")
        # Held across the daemon's next report, the job is still queued.
        reported = job_rows(self.hub, "SELECT reported_at FROM printers")[0][0]
        wait_until(lambda: job_rows(self.hub, "SELECT reported_at FROM printers")[0][0]
                   != reported, timeout=PRINTER_WAIT_S, message="the daemon's next report")
        self.assertEqual(job_rows(self.hub, "SELECT state FROM print_jobs WHERE id = ?", again),
                         [("queued",)])
        self.assertTrue(self.job_state(driver, again).startswith("en cola"),
                        self.job_state(driver, again))
        screenshot(driver, "print-held")

        # A second reprint, cancelled while queued: never printed.
        cancelled = self.reprint(driver, MARIA, first_id, "Nombre corregido")
        self.click_at(driver, f'#jobs tr[data-job="{cancelled}"] button.cancel')
        wait_until(lambda: self.job_state(driver, cancelled).startswith("cancelada"),
                   message="the cancelled badge in words")
        self.assertEqual(
            job_rows(self.hub, "SELECT state FROM print_jobs WHERE id = ?", cancelled),
            [("cancelled",)])
        reprints = driver.find_element(By.ID, "n-reprints")
        wait_until(lambda: text_of(reprints) == "1",
                   message=f"one reprint counted (reads {text_of(reprints)!r})")

        # Resumed: the queued reprint prints; the cancelled one does not.
        self.click_printer_button(driver, "button.resume")
        wait_until(lambda: self.job_state(driver, again).startswith("impresa"),
                   timeout=PRINT_WAIT_S, message="the reprint printed after resuming")
        self.assertEqual(
            job_rows(self.hub, "SELECT state FROM print_jobs WHERE id = ?", cancelled),
            [("cancelled",)])

    def test_5_roles_and_bad_input_change_nothing(self):
        jobs = job_rows(self.hub, "SELECT id, state FROM print_jobs ORDER BY id")
        printers = job_rows(self.hub, "SELECT worker, held FROM printers")
        cookie, csrf = session(self.hub, "desk")
        desk = {"Cookie": cookie, "X-Checkin-CSRF": csrf}
        # The help desk reads the queue and reprints; it neither cancels
        # nor pauses.
        self.assertEqual(request(self.hub.url + "/api/print", headers=desk)[0], 200)
        for path, data in (("/api/print/cancel", {"job": "1"}),
                           ("/api/print/hold", {"worker": "impresion/badges", "held": "1"})):
            with self.subTest(role="desk", path=path):
                status, _, body = request(self.hub.url + path, "POST", data, desk)
                self.assertEqual(status, 403, body)
        cookie, csrf = session(self.hub, "print")
        printer = {"Cookie": cookie, "X-Checkin-CSRF": csrf}
        for path, data, expected in (
                ("/api/print/cancel", {"job": "abc"}, 400),
                ("/api/print/cancel", {"job": "999999"}, 404),
                ("/api/print/hold", {"worker": "impresion/badges", "held": "yes"}, 400),
                ("/api/print/hold", {"worker": "nadie/ninguna", "held": "1"}, 404),
                ("/api/print/reprint", {"attendee_id": "1", "reason": ""}, 400),
                ("/api/print/reprint", {"attendee_id": "0", "reason": "x"}, 400),
                ("/api/print/reprint", {"attendee_id": "1", "reason": "a\x1b[2J"}, 400)):
            with self.subTest(path=path, data=data):
                status, _, body = request(self.hub.url + path, "POST", data, printer)
                self.assertEqual(status, expected, body)
                self.assertIn('"error"', body)
        self.assertEqual(job_rows(self.hub, "SELECT id, state FROM print_jobs ORDER BY id"), jobs)
        self.assertEqual(job_rows(self.hub, "SELECT worker, held FROM printers"), printers)

    def test_4_labels_and_screenshots_at_two_sizes(self):
        for width, height in ((1366, 768), (1920, 1080)):
            with self.subTest(size=f"{width}x{height}"):
                driver = self.open_print_desk(width, height)
                self.assertEqual(driver.find_element(By.TAG_NAME, "h1").text,
                                 "Mesa de impresión")
                headings = [h.text for h in driver.find_elements(By.TAG_NAME, "h2")]
                self.assertIn("Impresoras", headings)
                self.assertIn("Escarapelas", headings)
                wait_until(lambda: self.printer_words(driver), message="the printer's row")
                screenshot(driver, f"print-{width}x{height}")


if __name__ == "__main__":
    unittest.main()
