"""Screenshots of the four pages of the demo venue, for the README.

Run after `make demo`, which leaves the demo venue's hub and a door screen
running (deploy/demo_live.sh):

    /usr/bin/python3 deploy/demo_screens.py [--out docs/screens]

It opens each page as a volunteer would, in Debian's headless Chromium at
1366x768 (the entrance laptops' usual screen): the door screen through the
door's own one-time link with an attendee just scanned, the help desk with a
search, the print desk and the organizers' dashboard through one-time links
from `checkin hub open`. Nothing is staged beyond one scan: what the pages
show is what the demo left in the venue's file.
"""

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import unicodedata
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "web"))

from harness import Browser, wait_until  # noqa: E402  (the path above)

HUB_URL = "https://127.0.0.1:" + os.environ.get("CHECKIN_DEMO_HUB_PORT", "18443")


def hub_link(checkin, db, role, station=""):
    args = [checkin, "--db", db, "hub", "open", "--role", role, "--url", HUB_URL, "--json"]
    if station:
        args += ["--station", station]
    done = subprocess.run(args, capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)["url"]


def open_page(driver, link, path):
    driver.get(link)
    wait_until(lambda: urllib.parse.urlsplit(driver.current_url).path == path,
               message=f"{path} after its login link")


def not_yet_in(db):
    """A valid ticket nobody has used yet, with an accented name if any."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        rows = c.execute(
            "SELECT ticket_code, first_name || ' ' || last_name FROM attendees a"
            " WHERE status = 'valid' AND NOT EXISTS (SELECT 1 FROM checkins k"
            " WHERE k.attendee_id = a.id) ORDER BY (first_name || last_name) GLOB '*[^ -~]*' DESC,"
            " id LIMIT 1").fetchall()
    if not rows:
        raise SystemExit("demo_screens: every ticket of the demo venue is used; run make demo")
    return rows[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkin", default="build/release/cli/checkin")
    ap.add_argument("--demo", default="demo-out")
    ap.add_argument("--out", default="docs/screens")
    a = ap.parse_args()
    db = os.path.join(a.demo, "sede", "sede.db")
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.demo, "door.log"), encoding="utf-8") as f:
        found = re.search(r"http://127\.0\.0\.1:\d+/login\?t=[A-Za-z0-9_-]+", f.read())
    if not found:
        raise SystemExit("demo_screens: no door link in demo-out/door.log; run make demo")

    with Browser(1366, 768) as driver:
        open_page(driver, found.group(0), "/door")
        code, name = not_yet_in(db)
        with open(os.path.join(a.demo, "door.in"), "w", encoding="utf-8") as pipe:
            pipe.write(code + "\n")
        wait_until(lambda: name.split()[0] in driver.find_element("id", "banner").text,
                   message=f"{name} on the door screen")
        driver.save_screenshot(os.path.join(a.out, "door.png"))

    with Browser(1366, 768) as driver:
        open_page(driver, hub_link(a.checkin, db, "desk", "mesa-ayuda"), "/desk")
        box = driver.find_element("name", "q")
        # Typed without accents, as volunteers do: the search ignores them.
        plain = unicodedata.normalize("NFKD", name.split()[0]).encode("ascii", "ignore")
        box.send_keys(plain.decode().lower())
        wait_until(lambda: driver.find_elements("css selector", "#results li.attendee"),
                   message="search results")
        driver.save_screenshot(os.path.join(a.out, "desk.png"))

    with Browser(1366, 768) as driver:
        open_page(driver, hub_link(a.checkin, db, "print", "mesa-impresion"), "/print")
        wait_until(lambda: driver.find_elements("css selector", "#jobs tbody tr"),
                   message="the print desk's table")
        driver.save_screenshot(os.path.join(a.out, "print.png"))

    with Browser(1366, 768) as driver:
        open_page(driver, hub_link(a.checkin, db, "admin"), "/dashboard")
        wait_until(lambda: driver.find_element("id", "checked-in").text.isdigit(),
                   message="the dashboard's count")
        wait_until(lambda: driver.find_elements("css selector", ".chart svg rect"),
                   message="the arrivals chart")
        driver.save_screenshot(os.path.join(a.out, "dashboard.png"))
    print(f"demo_screens: door, desk, print and dashboard saved in {a.out}/")


if __name__ == "__main__":
    main()
