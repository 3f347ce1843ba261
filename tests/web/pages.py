"""What the page tests share: logging in as a role, and asking the hub
from Python the way another site (or a script without a browser) would.

Requests go to the hub on loopback over TLS. Its certificate is self-signed
(stations pin its fingerprint), so Python is told not to verify it; nothing
here leaves 127.0.0.1.
"""

import http.cookies
import json
import re
import sqlite3
import ssl
import subprocess
import urllib.error
import urllib.parse
import urllib.request

from harness import COMMAND_TIMEOUT_S, PAGE_TIMEOUT_S, wait_until

INSECURE = ssl._create_unverified_context()


def login_url(hub, role, station=""):
    """A fresh one-time login URL from `checkin hub open --role ROLE --json`."""
    args = ["hub", "open", "--role", role, "--url", hub.url, "--json"]
    if station:
        args += ["--station", station]
    return json.loads(hub.run(args).stdout)["url"]


def log_in(driver, hub, role, station="", lands_on=None):
    """Opens a one-time link for ROLE in the browser; waits for its page."""
    driver.get(login_url(hub, role, station))
    home = lands_on or {"desk": "/desk", "admin": "/dashboard", "print": "/print"}[role]
    wait_until(lambda: urllib.parse.urlsplit(driver.current_url).path == home,
               message=f"the {role} login to land on {home} (at {driver.current_url})")


def path_of(driver):
    return urllib.parse.urlsplit(driver.current_url).path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=INSECURE), _NoRedirect)


def request(url, method="GET", data=None, headers=None):
    """(status, headers, body text) of one request, redirects not followed.

    An error status is an answer here, not an exception: the tests are
    about which status comes back.
    """
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _opener.open(req, timeout=PAGE_TIMEOUT_S) as r:
            # /api/events streams forever when it answers 200: its first
            # event is enough.
            text = r.readline() if "event-stream" in r.headers.get("Content-Type", "") else r.read()
            return r.status, r.headers, text.decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")


def session(hub, role):
    """(cookie header, CSRF value) of a session opened from Python.

    Spends a login link as a browser would, keeps the cookie it sets, then
    reads the CSRF value from the page's <meta name="csrf">.
    """
    status, headers, _ = request(login_url(hub, role))
    assert status == 303, f"the login link answered {status}"
    jar = http.cookies.SimpleCookie(headers["Set-Cookie"])
    cookie = f"checkin_session={jar['checkin_session'].value}"
    home = headers["Location"]
    status, _, page = request(hub.url + home, headers={"Cookie": cookie})
    assert status == 200, f"{home} answered {status} to a fresh session"
    found = re.search(r'<meta name="csrf" content="([^"]+)">', page)
    assert found, f"{home} has no <meta name=\"csrf\">"
    return cookie, found.group(1)


def checkin_rows(hub):
    """How many rows the check-in log holds (admissions, denials and undos).

    Read straight from the hub's SQLite file, read-only: any write a
    refused request made would show here.
    """
    with sqlite3.connect(f"file:{hub.db}?mode=ro", uri=True, timeout=10) as db:
        return db.execute("SELECT COUNT(*) FROM checkins").fetchone()[0]


def checked_in(hub):
    """`checkin stats --json`'s checked_in: what the CLI sees."""
    return json.loads(hub.run(["stats", "--json"]).stdout)["checked_in"]


def run_station(hub, config, args):
    """`checkin --config CONFIG ARGS...`: a station's command, beside the hub."""
    cmd = [hub.binary, "--lang", hub.lang, "--config", config, *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S,
                          cwd=hub.dir)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {done.returncode}\n"
                             f"stdout: {done.stdout}\nstderr: {done.stderr}")
    return done


def text_of(element):
    """The element's textContent, whitespace kept (selenium's .text trims)."""
    return element.get_property("textContent")
