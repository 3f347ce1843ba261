"""The organizers' dashboard follows redeems made at other stations, live.

A scan station is paired with the hub as at the venue (`hub device add`,
`station pair`) and redeems a ticket with the CLI; the open dashboard must
show the new count without being reloaded.
"""

import json
import os
import time
import unittest

from selenium.webdriver.common.by import By

from harness import WebTestCase, screenshot, wait_until
from pages import checked_in, log_in, run_station

# From the harness's roster.
NANDU_CODE = "T-0003"


def shown(driver, element_id):
    return driver.find_element(By.ID, element_id).text


# Per row of a bar table: its count's text and, in px, the bar cell's left
# and right, the bar's width and the right end of the bar and of its
# light background bar (the row's total).
BAR_GEOMETRY = """
return [...document.querySelectorAll(arguments[0] + ' tr')].map((tr) => {
  const cell = tr.querySelector('.bar-cell').getBoundingClientRect();
  const bar = tr.querySelector('.bar:not(.back)').getBoundingClientRect();
  const back = tr.querySelector('.bar.back');
  return [tr.querySelector('.count').textContent, cell.left, cell.right, bar.width,
          bar.right, back ? back.getBoundingClientRect().right : bar.right];
});"""


class DashboardTest(WebTestCase):

    def pair_door(self, name):
        """A scan station's config, paired with the hub like a door laptop."""
        added = self.hub.run(["hub", "device", "add", name, "--role", "scan", "--url",
                              self.hub.url, "--json"])
        code = json.loads(added.stdout)["pairing_code"]
        config = os.path.join(self.hub.dir, f"{name}.toml")
        run_station(self.hub, config, ["station", "pair", code])
        return config

    def check_bars(self, driver, table):
        """Each bar is as long as its count says and stays inside its cell."""
        rows = wait_until(lambda: driver.execute_script(BAR_GEOMETRY, table),
                          message=f"rows in {table}")
        counts = [[int(n) for n in r[0].split(" / ")] for r in rows]
        longest = max(1, *(c[-1] for c in counts))
        for (text, left, right, width, bar_end, back_end), count in zip(rows, counts):
            with self.subTest(table=table, count=text):
                self.assertLessEqual(max(bar_end, back_end), right + 0.5, "drawn past its cell")
                self.assertAlmostEqual(width, (right - left) * count[0] / longest, delta=1)

    def test_redeem_at_another_station_moves_the_count_without_reload(self):
        driver = self.browser()
        log_in(driver, self.hub, "admin")
        before = checked_in(self.hub)
        wait_until(lambda: shown(driver, "checked-in") == str(before),
                   message=f"#checked-in to show {before}")
        self.assertEqual(shown(driver, "expected"), "3")
        driver.execute_script("window.__marker = 1;")
        config = self.pair_door("door2")

        run_station(self.hub, config, ["redeem", NANDU_CODE])
        returned = time.monotonic()
        wait_until(lambda: shown(driver, "checked-in") == str(before + 1), interval=0.01,
                   message=f"#checked-in to show {before + 1} after the redeem")
        print(f"redeem returned -> dashboard changed: {1000 * (time.monotonic() - returned):.0f} ms")
        self.assertEqual(driver.execute_script("return window.__marker;"), 1,
                         "the page was reloaded")
        self.assertEqual(
            driver.execute_script("return performance.getEntriesByType('navigation').length;"), 1)
        wait_until(lambda: "Principal" in driver.find_element(By.ID, "by-gate").text,
                   message="the gate Principal in #by-gate")
        self.assertEqual(checked_in(self.hub), before + 1)
        self.check_bars(driver, "#by-type")

    def test_labels_and_screenshots_at_two_sizes(self):
        for width, height in ((1366, 768), (1920, 1080)):
            with self.subTest(size=f"{width}x{height}"):
                driver = self.browser(width, height)
                log_in(driver, self.hub, "admin")
                wait_until(lambda: shown(driver, "expected") == "3", message="the counts")
                self.assertEqual(driver.find_element(By.TAG_NAME, "h1").text, "Panel del evento")
                self.assertIn("ingresaron de", driver.find_element(By.CLASS_NAME, "big").text)
                self.check_bars(driver, "#by-type")
                screenshot(driver, f"dashboard-{width}x{height}")


if __name__ == "__main__":
    unittest.main()
