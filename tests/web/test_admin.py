"""The admins' device page: add a device, read its pairing QR off the screen,
revoke it.

The QR is checked the way a station would see it: a screenshot of the QR
element goes through `checkin decode`, the scanner's own still-image
pipeline, and must say exactly the code printed under it. The code then
pairs a real station, so the URL and fingerprint it carries are the hub's.
"""

import json
import os
import subprocess
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from harness import COMMAND_TIMEOUT_S, WebTestCase, screenshot, wait_until
from pages import log_in, path_of, request, run_station


# Run before each page's own scripts: no page of this tab can start a
# periodic refresh, so what changes on screen came through the hub's event
# stream. (Timeouts stay: the event stream's handler uses one.)
NO_POLLING = "window.setInterval = () => 0;"


def decode_png(hub, path):
    """The texts `checkin decode --json` finds in the image at PATH."""
    done = subprocess.run([hub.binary, "decode", "--json", path], capture_output=True, text=True,
                          timeout=COMMAND_TIMEOUT_S)
    # Exit 1 says "not a ticket code", which a pairing code is not; 2 is a failure.
    if done.returncode not in (0, 1):
        raise AssertionError(f"checkin decode exited {done.returncode}: {done.stderr}")
    return [c["text"] for c in json.loads(done.stdout)["codes"]]


class AdminTest(WebTestCase):

    def open_device_page(self, driver):
        """From the dashboard's header, as an organizer would."""
        log_in(driver, self.hub, "admin")
        driver.find_element(By.ID, "admin-link").click()
        wait_until(lambda: path_of(driver) == "/admin", message="the device page")
        self.assertEqual(driver.find_element(By.TAG_NAME, "h1").text, "Dispositivos")

    def add(self, driver, name, role):
        form = driver.find_element(By.ID, "add-device")
        form.find_element(By.NAME, "name").send_keys(name)
        Select(form.find_element(By.NAME, "role")).select_by_value(role)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        qr = wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "#pairing-qr svg"),
                        message="the pairing QR")[0]
        wait_until(qr.is_displayed, message="the QR shown")
        return qr

    def row_state(self, driver, name):
        rows = driver.find_elements(By.CSS_SELECTOR, f'#devices tr[data-name="{name}"]')
        return rows[0].find_element(By.CLASS_NAME, "device-state").text if rows else None

    def test_add_shows_a_qr_that_pairs_and_revoke_says_revocado(self):
        driver = self.browser()
        self.open_device_page(driver)
        qr = self.add(driver, "puerta-sur", "scan")
        code = driver.find_element(By.ID, "pairing-code").text
        self.assertTrue(code.startswith("CKIN1-"), code)
        self.assertRegex(driver.find_element(By.ID, "pairing-expires").text, r"^\d\d:\d\d$")
        wait_until(lambda: self.row_state(driver, "puerta-sur") == "esperando emparejamiento",
                   message="the new device in the list")
        png = os.path.join(self.hub.dir, "qr.png")
        qr.screenshot(png)
        self.assertEqual(decode_png(self.hub, png), [code])

        config = os.path.join(self.hub.dir, "puerta-sur.toml")
        run_station(self.hub, config, ["station", "pair", code])
        wait_until(lambda: self.row_state(driver, "puerta-sur") == "emparejado",
                   message="the device paired, without a reload")

        driver.find_element(By.ID, "pairing-done").click()
        wait_until(lambda: not driver.find_element(By.ID, "pairing").is_displayed(),
                   message="listo to hide the code")
        self.assertEqual(driver.find_element(By.ID, "pairing-code").text, "")

        # The list is redrawn every few seconds: find the button afresh until
        # a click lands.
        wait_until(lambda: driver.find_element(
            By.CSS_SELECTOR, '#devices tr[data-name="puerta-sur"] .revoke').click() or True,
                   message="the revoke button")
        alert = wait_until(lambda: driver.switch_to.alert, message="the confirm()")
        self.assertIn("puerta-sur", alert.text)
        alert.accept()
        wait_until(lambda: self.row_state(driver, "puerta-sur") == "revocado",
                   message="the list to say revocado")
        devices = json.loads(self.hub.run(["hub", "device", "list", "--json"]).stdout)
        self.assertEqual([d["state"] for d in devices if d["name"] == "puerta-sur"], ["revoked"])

    def test_a_pairing_is_pushed_to_the_device_page_and_the_dashboard(self):
        driver = self.browser()
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NO_POLLING})
        log_in(driver, self.hub, "admin")
        # The dashboard: a station paired from the hub's terminal.
        added = self.hub.run(["hub", "device", "add", "puerta-este", "--role", "scan", "--url",
                              self.hub.url, "--json"])
        run_station(self.hub, os.path.join(self.hub.dir, "puerta-este.toml"),
                    ["station", "pair", json.loads(added.stdout)["pairing_code"]])
        wait_until(lambda: "puerta-este" in driver.find_element(By.ID, "stations").text,
                   message="the paired station in the dashboard's table, pushed")

        # The device page: a station paired with the code it showed.
        driver.find_element(By.ID, "admin-link").click()
        wait_until(lambda: path_of(driver) == "/admin", message="the device page")
        self.add(driver, "mesa-oeste", "desk")
        code = driver.find_element(By.ID, "pairing-code").text
        wait_until(lambda: self.row_state(driver, "mesa-oeste") == "esperando emparejamiento",
                   message="the new device in the list")
        config = os.path.join(self.hub.dir, "mesa-oeste.toml")
        run_station(self.hub, config, ["station", "pair", code])
        wait_until(lambda: self.row_state(driver, "mesa-oeste") == "emparejado",
                   message="the pairing pushed to the device page, without its poll")

        # The desk laptop logs its own browser in with its token; the admin
        # sees which device did.
        url = json.loads(run_station(self.hub, config, ["station", "open", "--json"]).stdout)["url"]
        status, headers, _ = request(url)
        self.assertEqual((status, headers["Location"]), (303, "/desk"))
        wait_until(lambda: "navegador con sesión" in driver.find_element(
            By.CSS_SELECTOR, '#devices tr[data-name="mesa-oeste"] .state').text,
                   message="the device's browser session on the device page")

    def test_a_bad_name_is_refused_in_words(self):
        def devices():
            return json.loads(self.hub.run(["hub", "device", "list", "--json"]).stdout)

        driver = self.browser()
        self.open_device_page(driver)
        before = devices()
        form = driver.find_element(By.ID, "add-device")
        # A terminal escape in a name would reach `hub device list`.
        driver.execute_script("arguments[0].value = 'puerta\\u001b[2J';",
                              form.find_element(By.NAME, "name"))
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_until(lambda: driver.find_element(By.ID, "status").text, message="the refusal")
        self.assertFalse(driver.find_element(By.ID, "pairing").is_displayed())
        self.assertEqual(devices(), before)

    def test_labels_and_screenshots_at_two_sizes(self):
        for i, (width, height) in enumerate(((1366, 768), (1920, 1080))):
            with self.subTest(size=f"{width}x{height}"):
                driver = self.browser(width, height)
                self.open_device_page(driver)
                self.assertIn("Agregar un dispositivo", driver.page_source)
                qr = self.add(driver, f"mesa-{i}", "desk")
                box = qr.rect
                # Whole on screen, and big enough for a camera across a desk.
                self.assertGreaterEqual(box["width"], 300)
                self.assertLessEqual(box["x"] + box["width"], width)
                wait_until(lambda: self.row_state(driver, f"mesa-{i}"), message="the list")
                screenshot(driver, f"admin-{width}x{height}")


if __name__ == "__main__":
    unittest.main()
