"""Proves the browser chain end to end before any page exists.

checkin binary -> real hub on loopback over TLS -> Debian's headless
Chromium through selenium -> text read from the page and screenshots saved.
The hub already serves /v1/event, which refuses a browser (no device token)
with a JSON error in the hub's language: seeing those exact words proves
every link, including that the self-signed certificate is accepted.
"""

import struct
import unittest

from harness import Browser, Hub, WebTestCase, screenshot, wait_until

# From hub/hub_server.cc, Serve(): the refusal without a device token.
REFUSAL_ES = "falta el token del dispositivo"
REFUSAL_EN = "the device token is missing"


def png_size(path):
    """Width and height from the PNG's IHDR chunk (no imaging library here)."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def body_text(driver):
    return driver.find_element("tag name", "body").text


class HarnessTest(WebTestCase):

    def test_refusal_shows_at_two_window_sizes(self):
        for width, height in ((1366, 768), (1920, 1080)):
            with self.subTest(size=f"{width}x{height}"):
                driver = self.browser(width, height)
                driver.get(self.hub.url + "/v1/event")
                text = wait_until(lambda: REFUSAL_ES in body_text(driver) and body_text(driver),
                                  message=f"the hub's refusal '{REFUSAL_ES}'")
                self.assertIn("checkin station pair", text)
                path = screenshot(driver, f"harness-refusal-{width}x{height}")
                self.assertEqual(png_size(path), (width, height))

    def test_run_reaches_the_served_database(self):
        # Later page tests change the event with other commands while the
        # hub serves it: run() must reach that same database, and the
        # fixture's roster must be there, accents intact.
        found = self.hub.run(["roster", "search", "munoz pena"])
        self.assertIn("María José", found.stdout)
        found = self.hub.run(["roster", "search", "Pérez"])
        self.assertIn("<img src=x onerror=alert(1)>", found.stdout)


class EnglishHubTest(WebTestCase):
    """The language option reaches the hub: its refusal comes in English."""

    hub_lang = "en"

    def test_refusal_in_english(self):
        driver = self.browser(1366, 768, lang="en")
        driver.get(self.hub.url + "/v1/event")
        wait_until(lambda: REFUSAL_EN in body_text(driver),
                   message=f"the hub's refusal '{REFUSAL_EN}'")
        self.assertNotIn(REFUSAL_ES, body_text(driver))


class HubStopsTest(unittest.TestCase):
    """The fixture's hub is really gone after the with-block."""

    def test_hub_stops_on_exit(self):
        with Hub() as hub:
            url = hub.url
            with Browser(800, 600) as driver:
                driver.get(url + "/v1/event")
                wait_until(lambda: REFUSAL_ES in body_text(driver))
        self.assertEqual(hub.returncode, 0, "the hub should stop cleanly on SIGTERM")


if __name__ == "__main__":
    unittest.main()
