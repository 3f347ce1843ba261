"""The help desk in a real browser: search without accents, check in, undo,
names from an import shown as text, never run.

Every check-in goes from the page through the hub to its SQLite file; the
CLI (`checkin stats`) and the file itself are asked afterwards, so a page
that only pretends fails.
"""

import unittest

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from harness import ROSTER_CSV, WebTestCase, screenshot, wait_until
from pages import checked_in, checkin_rows, log_in, text_of

MARIA = "María José Muñoz Peña"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = '"><script>alert(2)</script>'
# The harness's roster (María José, the <img> name) and a name that closes
# an attribute and opens a script, quoted as CSV.
ROSTER = ROSTER_CSV + 'T-0004,"""><script>alert(2)</script>",Escritor,script@example.org\n'


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#results li.attendee")


def row_named(driver, name):
    """The result row whose .name is exactly `name`, or None."""
    for li in rows(driver):
        if text_of(li.find_element(By.CSS_SELECTOR, ".name")) == name:
            return li
    return None


def search(driver, text):
    box = driver.find_element(By.NAME, "q")
    box.clear()
    box.send_keys(text)


def state_of(driver, name):
    """(state classes, state text) of `name`'s row, once it is shown."""
    li = wait_until(lambda: row_named(driver, name), message=f"a row named {name!r}")
    state = li.find_element(By.CSS_SELECTOR, ".state")
    return state.get_attribute("class"), text_of(state)


def no_alert(driver):
    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return True
    raise AssertionError(f"an alert is open: {text!r}")


class DeskTest(WebTestCase):

    hub_roster = ROSTER

    def open_desk(self, width=1366, height=768):
        driver = self.browser(width, height)
        log_in(driver, self.hub, "desk", station="mesa-1")
        return driver

    def test_labels_and_screenshots_at_two_sizes(self):
        for width, height in ((1366, 768), (1920, 1080)):
            with self.subTest(size=f"{width}x{height}"):
                driver = self.open_desk(width, height)
                self.assertEqual(driver.find_element(By.TAG_NAME, "h1").text, "Mesa de ayuda")
                label = driver.find_element(By.CSS_SELECTOR, "label[for=q]").text
                self.assertTrue(label.startswith("Buscar por nombre"), label)
                search(driver, "munoz")
                wait_until(lambda: row_named(driver, MARIA), message=f"{MARIA} in the results")
                screenshot(driver, f"desk-{width}x{height}")

    def test_search_without_accents_check_in_and_undo(self):
        driver = self.open_desk()
        rows_before, in_before = checkin_rows(self.hub), checked_in(self.hub)
        self.assertNotIn("ingresó", self.hub.run(["roster", "search", "jose munoz"]).stdout)
        search(driver, "jose munoz")
        li = wait_until(lambda: row_named(driver, MARIA), message=f"{MARIA} found by 'jose munoz'")
        self.assertIn("out", li.find_element(By.CSS_SELECTOR, ".state").get_attribute("class"))

        li.find_element(By.XPATH, ".//button[normalize-space()='Registrar ingreso']").click()
        status = driver.find_element(By.ID, "status")
        wait_until(lambda: "ADMITIDO" in status.text, message="ADMITIDO in #status")
        self.assertIn(MARIA, status.text)
        # The row is drawn again from the hub's answer: checked in, at this desk.
        wait_until(lambda: " in" in " " + state_of(driver, MARIA)[0],
                   message=f"{MARIA}'s row to show the check-in")
        self.assertIn("mesa-1", state_of(driver, MARIA)[1])
        self.assertEqual(checked_in(self.hub), in_before + 1, "stats --json after the check-in")
        self.assertEqual(checkin_rows(self.hub), rows_before + 1)
        found = self.hub.run(["roster", "search", "jose munoz"]).stdout
        self.assertIn("[ingresó", found, "roster search should show her checked in")

        li = row_named(driver, MARIA)
        li.find_element(By.XPATH, ".//button[normalize-space()='Deshacer ingreso']").click()
        # The desk must say why; the reason lands in the log.
        alert = wait_until(lambda: driver.switch_to.alert, message="the undo's prompt()")
        self.assertIn(MARIA, alert.text)
        alert.send_keys("escaneó por error")
        alert.accept()
        wait_until(lambda: "deshecho" in status.text, message="'deshecho' in #status")
        wait_until(lambda: " out" in " " + state_of(driver, MARIA)[0],
                   message=f"{MARIA}'s row back to not checked in")
        self.assertEqual(checked_in(self.hub), in_before, "stats --json after the undo")
        self.assertEqual(checkin_rows(self.hub), rows_before + 2, "the undo is logged too")
        li = row_named(driver, MARIA)
        li.find_element(By.XPATH, ".//button[normalize-space()='Historial']").click()
        wait_until(lambda: "escaneó por error" in li.find_element(By.CLASS_NAME, "history").text,
                   message="the undo's reason in her history")

    def test_dismissed_undo_changes_nothing(self):
        driver = self.open_desk()
        search(driver, "nandu")
        li = wait_until(lambda: row_named(driver, "Ñandú Güiza Ortíz"), message="Ñandú")
        li.find_element(By.XPATH, ".//button[normalize-space()='Registrar ingreso']").click()
        wait_until(lambda: "ADMITIDO" in driver.find_element(By.ID, "status").text)
        rows_before = checkin_rows(self.hub)
        li = wait_until(lambda: row_named(driver, "Ñandú Güiza Ortíz").find_element(
            By.XPATH, ".//button[normalize-space()='Deshacer ingreso']"))
        li.click()
        wait_until(lambda: driver.switch_to.alert).dismiss()
        self.assertEqual(checkin_rows(self.hub), rows_before)
        self.assertIn("in", state_of(driver, "Ñandú Güiza Ortíz")[0].split())

    def test_markup_in_names_shows_as_text(self):
        driver = self.open_desk()
        for query, name in (("perez", f"{IMG} Pérez"), ("escritor", f"{SCRIPT} Escritor")):
            with self.subTest(name=name):
                search(driver, query)
                wait_until(lambda: row_named(driver, name), message=f"a row named {name!r}")
                results = driver.find_element(By.ID, "results")
                self.assertEqual(results.find_elements(By.TAG_NAME, "img"), [])
                self.assertEqual(results.find_elements(By.TAG_NAME, "script"), [])
                no_alert(driver)
                # Checked in, the name comes back in #status: text there too.
                row_named(driver, name).find_element(
                    By.XPATH, ".//button[normalize-space()='Registrar ingreso']").click()
                status = driver.find_element(By.ID, "status")
                wait_until(lambda: name in text_of(status), message=f"{name!r} in #status")
                self.assertEqual(status.find_elements(By.XPATH, "./*"), [])
                no_alert(driver)
        self.assertEqual(driver.find_elements(By.CSS_SELECTOR, "body img, body script"), [])


if __name__ == "__main__":
    unittest.main()
