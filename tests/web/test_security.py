"""Who may open the hub's pages and change the event through them.

Without a session no page shows and no JSON answers; another site cannot
make a logged-in browser check someone in; a login link works once; five
wrong PINs lock the role. Each refusal is checked against the hub's SQLite
file: nothing may have been written.
"""

import http.server
import os
import ssl
import subprocess
import threading
import unittest

from selenium.webdriver.common.by import By

from harness import COMMAND_TIMEOUT_S, Browser, WebTestCase, wait_until
from pages import checkin_rows, log_in, login_url, path_of, request, session

PAGES = ("/", "/desk", "/dashboard", "/admin", "/print")
JSON_ENDPOINTS = (("GET", "/api/search?q=a"), ("GET", "/api/stats"), ("GET", "/api/events"),
                  ("POST", "/api/checkin"), ("POST", "/api/undo"), ("POST", "/logout"),
                  ("GET", "/api/devices"), ("POST", "/api/devices"),
                  ("POST", "/api/devices/revoke"), ("GET", "/api/print"),
                  ("POST", "/api/print/reprint"), ("POST", "/api/print/cancel"),
                  ("POST", "/api/print/hold"))
# María José, who is in the harness's roster.
ATTENDEE = {"attendee_id": "1", "nonce": "5f0c7a52-7a0e-4c55-9d8e-1c1d9b0f3e41"}

# The other site's page: a plain form and a script's fetch, both aimed at
# the hub's check-in. __HUB__ is the hub's URL.
FORGERY = """<!doctype html><html><body>
<form id="form" method="post" action="__HUB__/api/checkin">
<input name="attendee_id" value="1"><button id="go">premio</button></form>
<script>
window.__done = false;
fetch('__HUB__/api/checkin', {method: 'POST', mode: 'no-cors', credentials: 'include',
  headers: {'Content-Type': 'application/x-www-form-urlencoded'},
  body: 'attendee_id=1&nonce=7b7d1f7e-2b5e-4a3a-8f0e-9e4cbb0a1a11'})
  .then(() => { window.__done = 'answered'; }, (e) => { window.__done = 'failed: ' + e; });
</script></body></html>"""


class OtherSite:
    """A second origin: python's http.server on another loopback port.

    Over plain http it is another site to the browser (the scheme differs),
    so the SameSite=Strict cookie stays home. Over https it is the same
    site on another port (another program on the hub's laptop): the cookie
    goes along, and only the hub's Origin and CSRF checks stand in the way.
    `referrer`: the Referrer-Policy the page is served with; "no-referrer"
    makes Chromium post its form with "Origin: null".
    """

    def __init__(self, page, tls_dir=None, referrer="strict-origin-when-cross-origin"):
        body = page.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Referrer-Policy", referrer)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls_dir:
            scheme = "https"
            key, cert = os.path.join(tls_dir, "other.key"), os.path.join(tls_dir, "other.crt")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                            "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"],
                           check=True, capture_output=True, timeout=COMMAND_TIMEOUT_S)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.url = f"{scheme}://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        return False


class WithoutSessionTest(WebTestCase):

    def test_pages_end_on_login(self):
        driver = self.browser()
        for page in PAGES:
            with self.subTest(page=page):
                driver.get(self.hub.url + page)
                wait_until(lambda: path_of(driver) == "/login", message=f"{page} -> /login")
                self.assertTrue(driver.find_elements(By.NAME, "pin"), "the login form")

    def test_json_answers_401_and_writes_nothing(self):
        before = checkin_rows(self.hub)
        for method, path in JSON_ENDPOINTS:
            with self.subTest(endpoint=f"{method} {path}"):
                data = ATTENDEE if method == "POST" else None
                status, _, body = request(self.hub.url + path, method, data)
                self.assertEqual(status, 401, body)
                self.assertIn("inicie sesión", body)
                # A made-up session is no session either.
                status, _, _ = request(self.hub.url + path, method, data,
                                       {"Cookie": "checkin_session=" + "A" * 32})
                self.assertEqual(status, 401)
        self.assertEqual(checkin_rows(self.hub), before)


class CsrfTest(WebTestCase):

    def test_post_needs_the_csrf_value_and_this_origin(self):
        cookie, csrf = session(self.hub, "desk")
        url = self.hub.url + "/api/checkin"
        before = checkin_rows(self.hub)
        refused = {
            "no X-Checkin-CSRF": {"Cookie": cookie},
            "a wrong X-Checkin-CSRF": {"Cookie": cookie, "X-Checkin-CSRF": "x" * len(csrf)},
            "another Origin": {"Cookie": cookie, "X-Checkin-CSRF": csrf,
                               "Origin": "http://127.0.0.1:1"},
            "a cross-site fetch": {"Cookie": cookie, "X-Checkin-CSRF": csrf,
                                   "Sec-Fetch-Site": "cross-site"},
            "Origin: null, same site": {"Cookie": cookie, "X-Checkin-CSRF": csrf,
                                        "Origin": "null", "Sec-Fetch-Site": "same-site"},
            "Origin: null, no fetch metadata": {"Cookie": cookie, "X-Checkin-CSRF": csrf,
                                                "Origin": "null"},
        }
        for case, headers in refused.items():
            with self.subTest(case=case):
                status, _, body = request(url, "POST", ATTENDEE, headers)
                self.assertEqual(status, 403, body)
                self.assertEqual(checkin_rows(self.hub), before)
        # The same request with everything right is admitted: the refusals
        # above are the checks, not a broken endpoint.
        status, _, body = request(url, "POST", ATTENDEE,
                                  {"Cookie": cookie, "X-Checkin-CSRF": csrf,
                                   "Origin": self.hub.url})
        self.assertEqual(status, 200, body)
        self.assertIn('"admitted"', body)
        self.assertEqual(checkin_rows(self.hub), before + 1)
        status, _, body = request(self.hub.url + "/api/undo", "POST",
                                  {"attendee_id": "1", "reason": "prueba"},
                                  {"Cookie": cookie, "X-Checkin-CSRF": csrf})
        self.assertEqual(status, 200, body)

    def test_forged_cross_site_post_is_refused(self):
        driver = self.browser()
        log_in(driver, self.hub, "desk")
        before = checkin_rows(self.hub)
        # (case, https?, Referrer-Policy, words of the hub's refusal)
        cases = (("another site", False, "strict-origin-when-cross-origin", "inicie sesión"),
                 ("same site, another port", True, "strict-origin-when-cross-origin",
                  "petición rechazada"),
                 ("same site, Origin: null", True, "no-referrer", "petición rechazada"))
        for case, tls, referrer, refusal in cases:
            with self.subTest(case=case), OtherSite(FORGERY.replace("__HUB__", self.hub.url),
                                                    self.hub.dir if tls else None,
                                                    referrer) as other:
                driver.get(other.url)
                wait_until(lambda: driver.execute_script("return window.__done"),
                           message="the other site's fetch to end")
                self.assertEqual(checkin_rows(self.hub), before, "the forged fetch wrote")
                driver.find_element(By.ID, "go").click()
                wait_until(lambda: path_of(driver) == "/api/checkin",
                           message="the forged form to reach the hub")
                body = driver.find_element(By.TAG_NAME, "body").text
                self.assertIn(refusal, body)
                self.assertNotIn("admitted", body)
                self.assertEqual(checkin_rows(self.hub), before, "the forged form wrote")
        # Still logged in: the refusals were the forgeries', not a lost session.
        driver.get(self.hub.url + "/desk")
        self.assertEqual(path_of(driver), "/desk")

class LoginTest(WebTestCase):

    def test_login_link_works_once(self):
        url = login_url(self.hub, "desk")
        first = self.browser()
        first.get(url)
        wait_until(lambda: path_of(first) == "/desk", message="the first browser on /desk")
        with Browser() as second:
            second.get(url)
            self.assertEqual(path_of(second), "/login")
            error = second.find_element(By.CSS_SELECTOR, "p.error").text
            self.assertIn("no sirve", error)
            second.get(self.hub.url + "/desk")
            self.assertEqual(path_of(second), "/login")

    def test_five_wrong_pins_lock_the_role(self):
        self.hub.run(["hub", "pin", "set", "--role", "admin"], input="48151623\n")

        def try_pin(driver, pin):
            driver.get(self.hub.url + "/login")
            driver.find_element(By.CSS_SELECTOR, "select[name=role] option[value=admin]").click()
            driver.find_element(By.NAME, "station").send_keys("oficina")
            driver.find_element(By.NAME, "pin").send_keys(pin)
            driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()

        def error(driver):
            return wait_until(lambda: driver.find_element(By.CSS_SELECTOR, "p.error").text,
                              message="the login page's answer")

        # The right PIN opens the role: the lock below is the PIN's doing.
        with Browser() as driver:
            try_pin(driver, "48151623")
            wait_until(lambda: path_of(driver) == "/dashboard", message="the PIN's login")
        driver = self.browser()
        for attempt in range(1, 6):
            with self.subTest(attempt=attempt):
                try_pin(driver, "000000")
                self.assertEqual(error(driver), "PIN equivocado")
        try_pin(driver, "48151623")
        self.assertIn("demasiados PIN equivocados", error(driver))
        self.assertEqual(path_of(driver), "/login")

if __name__ == "__main__":
    unittest.main()
